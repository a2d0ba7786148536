"""Benchmarks: ``python -m tests.bench`` (``make bench``) prints one JSON object.

Every figure comes with a baseline measured in the same run on the same machine and is
reported as a ratio against it; nothing here asserts a wall-clock threshold.
"""
