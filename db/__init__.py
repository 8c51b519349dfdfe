"""The working database's schema and shared queries, export, and publishing."""
