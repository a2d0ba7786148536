"""The pure domain of Tandem: texts, revisions, diffs, merges, anchors, alignment.

Nothing in this package imports the application, the database or the web framework;
functions take plain values and return plain values.
"""
