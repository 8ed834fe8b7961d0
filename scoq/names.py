"""Folding names and words for matching: case, accents and spacing do not count."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """``Liáo  JINRONG`` -> ``liao jinrong``: what a user types should find what is stored."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def stem(word: str) -> str:
    """A folded word cut to what its singular and plural share, for finding it inside
    other text: ``attacks`` -> ``attack``, ``countries`` -> ``countr`` (finds both
    "country" and "countries"). Short words and ``-ss`` words stay whole."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word
