"""Extraction of claims with spaCy, and the curators' review application."""
