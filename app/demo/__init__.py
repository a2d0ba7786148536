"""The demo working group, users and document that ``tandem seed-demo`` creates."""
