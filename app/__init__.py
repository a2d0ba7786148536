"""Tandem: the web application (HTTP, persistence, authentication)."""
