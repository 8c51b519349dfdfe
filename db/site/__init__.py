"""The published site's Datasette plugin and templates."""
