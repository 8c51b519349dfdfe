"""Harvest PubMed records on the HIGM genes into the working database."""
