"""``python -m app.cli``: the ``tandem`` command without its installed script."""

from app.cli import main

main()
