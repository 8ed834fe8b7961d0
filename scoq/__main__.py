"""``python -m scoq``."""

from scoq.cli import main

main()
