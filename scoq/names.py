"""Folding names and words for matching: case, accents and spacing do not count."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """``Liáo  JINRONG`` -> ``liao jinrong``: what a user types should find what is stored."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())
