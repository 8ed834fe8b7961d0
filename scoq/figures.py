"""Reading a reported quantity: "more than 12,000", "8.8 tons", "hundreds of", "eight".

A figure is kept as written and normalized (MeasEval: quantity, unit, qualifier).
Qualifiers map to TIMEX3 ``mod`` values (MORE_THAN, EQUAL_OR_MORE, APPROX...).
Vague quantities follow ACLED's coding of vague terms: "hundreds" has a lower bound
of 100, "dozens" of 12, "thousands" of 1,000, and no point value. What a figure counts
is also made into a topic, the key that tells which figures are about the same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from scoq.names import fold

# qualifier as written -> (qualifier as stored, TIMEX3 mod)
QUALIFIERS: dict[str, tuple[str, str]] = {
    "more than": ("more than", "MORE_THAN"),
    "over": ("over", "MORE_THAN"),
    "above": ("over", "MORE_THAN"),
    "in excess of": ("more than", "MORE_THAN"),
    "at least": ("at least", "EQUAL_OR_MORE"),
    "no fewer than": ("at least", "EQUAL_OR_MORE"),
    "no less than": ("at least", "EQUAL_OR_MORE"),
    "up to": ("up to", "EQUAL_OR_LESS"),
    "at most": ("up to", "EQUAL_OR_LESS"),
    "no more than": ("up to", "EQUAL_OR_LESS"),
    "less than": ("less than", "LESS_THAN"),
    "fewer than": ("less than", "LESS_THAN"),
    "under": ("less than", "LESS_THAN"),
    "nearly": ("nearly", "LESS_THAN"),
    "almost": ("nearly", "LESS_THAN"),
    "about": ("about", "APPROX"),
    "around": ("about", "APPROX"),
    "approximately": ("about", "APPROX"),
    "roughly": ("about", "APPROX"),
    "some": ("about", "APPROX"),
    "an estimated": ("about", "APPROX"),
}
QUALIFIER_NAMES = sorted({q for q, _ in QUALIFIERS.values()} | {"exact", "vague"})

# ACLED: a vague number is coded at its conservative lower bound.
VAGUE = {
    "dozens": 12,
    "scores": 20,
    "hundreds": 100,
    "thousands": 1_000,
    "tens of thousands": 10_000,
    "hundreds of thousands": 100_000,
    "millions": 1_000_000,
}

_UNITS = {
    "t": "t", "ton": "t", "tons": "t", "tonne": "t", "tonnes": "t",
    "kg": "kg", "kilogram": "kg", "kilograms": "kg",
    "g": "g", "gram": "g", "grams": "g",
    "km": "km", "kilometer": "km", "kilometers": "km", "kilometre": "km", "kilometres": "km",
    "%": "%", "percent": "%", "per cent": "%",
    "yuan": "CNY", "dollars": "USD", "us dollars": "USD",
}

_SMALL = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
#: Scale words and what they multiply by ("3.5 million").
SCALE = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


def alternation(words) -> str:
    """A regex alternation of ``words``, longest first so that none stops at a shorter one."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


#: A number written in words, "twenty-one" or "a dozen" (coverage and suggest look for them too).
WORDNUM = rf"(?:(?:{alternation(_TENS)})(?:-(?:{alternation(_SMALL)}))?|{alternation(_SMALL)}|a dozen|a hundred|a thousand)"
_NUMERAL = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_QUANTITY = re.compile(
    rf"(?<![\w.,])(?:(?P<qual>{alternation(QUALIFIERS)})\s+)?"
    rf"(?:(?P<vague>{alternation(VAGUE)})(?:\s+of)?"
    rf"|(?P<num>{_NUMERAL}|{WORDNUM})(?:\s+(?P<scale>{alternation(SCALE)}))?"
    rf"(?:\s*(?P<unit>{alternation(_UNITS)})(?![\w]))?)"
    r"(?![\w])",
    re.I,
)


class FigureError(ValueError):
    """Text with no quantity in it, or a quantity the curator normalized differently."""


@dataclass(frozen=True)
class Quantity:
    """A quantity read from text, with offsets of its parts relative to that text."""

    text: str
    start: int
    end: int
    value_text: str
    value: int | float | None
    low: int | float | None
    high: int | float | None
    qualifier: str
    mod: str | None
    unit: str | None


def _number(text: str) -> int | float:
    t = text.lower()
    if t in ("a dozen",):
        return 12
    if t in ("a hundred", "a thousand"):
        return SCALE[t[2:]]
    if t in _SMALL:
        return _SMALL[t]
    if t.split("-")[0] in _TENS:
        tens, _, ones = t.partition("-")
        return _TENS[tens] + (_SMALL[ones] if ones else 0)
    n = float(t.replace(",", ""))
    return int(n) if n.is_integer() and "." not in t else n


def _tidy(x: int | float) -> int | float:
    if isinstance(x, float):
        x = round(x, 10)
        if x.is_integer():
            return int(x)
    return x


def read(text: str) -> Quantity:
    """The first quantity in ``text``; FigureError if there is none."""
    m = _QUANTITY.search(text)
    if not m:
        raise FigureError(f"no number in '{text}': a figure's quote must contain its quantity")
    unit = _UNITS[m["unit"].lower()] if m["unit"] else None
    if m["vague"]:
        low = VAGUE[" ".join(m["vague"].lower().split())]
        qual, mod = ("vague", "EQUAL_OR_MORE")
        if m["qual"]:
            qual, mod = QUALIFIERS[m["qual"].lower()]
        return Quantity(m[0], m.start(), m.end(), m["vague"], None, low, None, qual, mod, unit)
    value = _number(m["num"])
    if m["scale"]:
        value = _tidy(value * SCALE[m["scale"].lower()])
    value_text = m["num"] + (" " + m["scale"] if m["scale"] else "")
    if m["qual"]:
        qual, mod = QUALIFIERS[" ".join(m["qual"].lower().split())]
    else:
        qual, mod = "exact", None
    low = value if mod in (None, "MORE_THAN", "EQUAL_OR_MORE") else None
    high = value if mod in (None, "LESS_THAN", "EQUAL_OR_LESS") else None
    return Quantity(m[0], m.start(), m.end(), value_text, value, low, high, qual, mod, unit)


#: Words that say nothing of what is counted.
STOPWORDS = frozenset("a an and at by for from in into of on or per the to with".split())


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """The content words of a phrase, folded and singular: 'SCO full member states'
    -> ['sco', 'full', 'member', 'state']."""
    out = []
    for w in fold(text.replace("-", " ").replace("/", " ")).split():
        w = w.strip(".,;:!?'\"()[]")
        if w and w not in STOPWORDS:
            out.append(_singular(w))
    return out


@lru_cache(maxsize=4096)
def topic_key(counts: str, action: str | None, unit: str) -> str:
    """What a figure counts, as a key that ignores case, plurals, small words and order:
    figures with the same key are about the same thing (``scoq conflicts`` compares them).
    Stored with each figure (``figures.topic``)."""
    return " ".join(sorted(set(words(counts + " " + (action or ""))))) + " | " + fold(unit)
