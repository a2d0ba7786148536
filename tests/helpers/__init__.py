"""What several test modules share: builders, clients, data paths and small API steps.

Test modules import from here, never from one another, so that each can be read, moved
or deleted on its own.
"""
