"""scoq: ask a curated news corpus who said what, when, at which meeting, with which figures."""

__version__ = "0.1.0"
