"""Writes, one module per area: load, let the domain decide, persist, commit, publish."""
