"""Read helpers, one module per area. Nothing here writes."""
