"""HTTP routes, one module per area, HTML pages and JSON API side by side."""
