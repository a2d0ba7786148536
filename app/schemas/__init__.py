"""JSON shapes of the API (docs/api.md), one module per area.

Response models read the query views and rows with ``from_attributes``; request bodies
refuse unknown fields. Field types and their limits come from ``app.fields``.
"""
