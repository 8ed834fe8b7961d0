"""Anchoring quoted text in an article: the W3C Web Annotation quote selector.

A selector names the exact text, with an optional prefix and suffix to tell two
occurrences apart. Matching tolerates line breaks and runs of white space (a report
may break a sentence across lines, even before a comma) but never a changed character,
and a quote that starts or ends inside a word does not match. Offsets are in code
points, end exclusive, so ``text[start:end]`` is the matched passage.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
_WORD = re.compile(r"\w+")


class AnchorError(ValueError):
    """A quote that is not in the text, or is there more than once and not told apart."""


@dataclass(frozen=True)
class Quote:
    """A TextQuoteSelector: exact text, with optional prefix and suffix. (Anything with
    these three attributes will do, such as the annotation model's QuoteSelector.)"""

    exact: str
    prefix: str | None = None
    suffix: str | None = None


def _body(text: str) -> str:
    """Regex for ``text`` where white space matches any run of white space, and a
    line break may stand between a word and punctuation."""
    parts: list[str] = []
    prev_kind = None
    for tok in _TOKEN.findall(text):
        if tok.isspace():
            parts.append(r"\s+")
            prev_kind = "space"
            continue
        kind = "word" if tok[0].isalnum() or tok[0] == "_" else "punct"
        if prev_kind in ("word", "punct") and "punct" in (kind, prev_kind):
            parts.append(r"\s*")
        parts.append(re.escape(tok))
        prev_kind = kind
    return "".join(parts)


@lru_cache(maxsize=4096)
def pattern(exact: str) -> re.Pattern[str]:
    """The compiled pattern for a quote's exact text."""
    exact = exact.strip()
    if not exact:
        raise AnchorError("the quote is empty")
    body = _body(exact)
    if exact[0].isalnum():
        body = r"(?<!\w)" + body
    if exact[-1].isalnum():
        body = body + r"(?!\w)"
    return re.compile(body)


@lru_cache(maxsize=4096)
def _steps(exact: str) -> tuple[tuple[str, ...], tuple[int, ...], int]:
    """The quote as literal tokens, each with what may stand before it: 1 a run of
    white space, 0 optional white space (between a word and punctuation), -1 nothing;
    and which token is the longest."""
    tokens, gaps, prev_kind, space = [], [], None, False
    for tok in _TOKEN.findall(exact.strip()):
        if tok.isspace():
            space, prev_kind = True, "space"
            continue
        kind = "word" if tok[0].isalnum() or tok[0] == "_" else "punct"
        if space:
            gaps.append(1)
        elif prev_kind in ("word", "punct") and "punct" in (kind, prev_kind):
            gaps.append(0)
        else:
            gaps.append(-1)
        tokens.append(tok)
        prev_kind, space = kind, False
    return tuple(tokens), tuple(gaps), max(range(len(tokens)), key=lambda i: len(tokens[i]))


def find_all(text: str, exact: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    """Every (start, end) at which ``exact`` occurs in ``text``, overlapping ones too
    ("00 00" occurs twice in "00 00 00"), so that no second occurrence goes unnoticed.

    Matches exactly what ``pattern(exact)`` matches, without compiling a regex for
    each quote (most quotes are seen once, and compiling costs more than matching):
    every token is literal and every gap is white space, so a greedy walk decides.
    The walk starts from each occurrence of the quote's longest word, the rarest
    place to start from, and goes backwards and forwards from there. With ``lo`` and
    ``hi``, only occurrences inside text[lo:hi] are returned.
    """
    exact = exact.strip()
    if not exact:
        raise AnchorError("the quote is empty")
    n = len(text)
    if hi is None:
        hi = n
    found = _walked(text, exact, lo, hi)
    if not found:
        return found
    check_before, check_after = exact[0].isalnum(), exact[-1].isalnum()
    out = []
    for s, e in found:
        if s < lo or e > hi:
            continue
        if check_before and s > 0 and (text[s - 1].isalnum() or text[s - 1] == "_"):
            continue  # starts inside a word
        if check_after and e < n and (text[e].isalnum() or text[e] == "_"):
            continue  # ends inside a word
        out.append((s, e))
    return out


#: Characters of the quote compared, white space removed, before a token walk.
_GLANCE = 12


@lru_cache(maxsize=4096)
def _key(exact: str) -> tuple[str, int]:
    """The quote's longest word and where it first stands in the quote ('' if no word)."""
    longest = max(exact.split(), key=len)
    if longest.isalnum():
        # No word is longer than the longest run of non-space characters: when that
        # run is one word, it is the first of the longest words, as below, found sooner.
        return longest, exact.find(longest)
    words = _WORD.findall(exact)
    if not words:
        return "", 0
    key = max(words, key=len)
    return key, exact.find(key)


def _glance(exact: str, key: str, off: int) -> tuple[str, str, str, str]:
    """The quote after and before its key word, white space removed: first the few
    characters next to the word, then the whole of each."""
    after, before = "".join(exact[off + len(key):].split()), "".join(exact[:off].split())
    return after[:_GLANCE], before[-_GLANCE:], after, before


def _walked(text: str, exact: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Every match of ``exact`` that has its longest word inside text[lo:hi] (bounds and
    word edges not yet checked), in order.

    From one occurrence of a token the walk can match in one way only (white space
    is skipped to its end, and no token starts with white space), so each occurrence
    of the word starts at most one match. Where the text around it is ``exact``
    written out verbatim, as most quotes are, that is the match, found by str.find
    and str.startswith alone. Elsewhere the characters just after and before the word,
    white space removed, must be the quote's (a match differs from the quote only in
    white space), which rules most occurrences out; only the rest are walked.
    """
    key, off = _key(exact)
    if not key:  # no word, only punctuation: walk from its longest token
        tokens, gaps, j = _steps(exact)
        return _walked_on(text, exact, tokens[j], 0, text.find(tokens[j], lo, hi), hi, [], (tokens, gaps, j))
    found: list[tuple[int, int]] = []
    at = text.find(key, lo, hi)
    if at < 0:
        return found
    start = at - off
    if start >= 0 and text.startswith(exact, start):
        # The usual case: verbatim where the word is first seen.
        found.append((start, start + len(exact)))
        at = text.find(key, at + 1, hi)
        if at < 0:
            return found
    return _walked_on(text, exact, key, off, at, hi, found, None)


def _walked_on(text: str, exact: str, key: str, off: int, at: int, hi: int, found: list[tuple[int, int]],
               steps) -> list[tuple[int, int]]:
    """_walked from the occurrence of ``key`` at ``at`` on; ``steps`` is None when
    ``key`` is a word of the quote (then a verbatim quote is recognised at once), else
    the quote's ``_steps``."""
    n = len(text)
    verbatim = steps is None
    tokens, gaps, j = steps or (None, None, 0)
    glance = None
    size, width = len(exact), len(key)
    walked = False
    while at >= 0:
        start = at - off
        if verbatim and start >= 0 and text.startswith(exact, start):
            found.append((start, start + size))
        elif verbatim and (_differs(text, at, width, *(glance := glance or _glance(exact, key, off))[:2])
                           or _differs(text, at, width, *glance[2:])):
            pass  # ruled out by a glance, else by the whole quote (a name repeated in the text)
        else:
            if tokens is None:
                tokens, gaps, _ = _steps(exact)
                j = tokens.index(key)
            start, end = _walk(text, n, tokens, gaps, j, at) if len(tokens) > 1 else (at, at + len(key))
            if start >= 0:
                found.append((start, end))
                walked = True
        at = text.find(key, at + 1, hi)
    if walked:
        found.sort()
    return found


def _differs(text: str, at: int, width: int, after: str, before: str) -> bool:
    """Whether the text around a word at ``at`` surely differs from the quote's
    ``after`` and ``before`` (white space removed). Only a window of text is looked
    at; where it holds too few characters to tell, it does not surely differ."""
    if after:
        near = "".join(text[at + width:at + width + 4 * max(len(after), _GLANCE)].split())
        if len(near) >= len(after) and not near.startswith(after):
            return True
    if before:
        near = "".join(text[max(0, at - 4 * max(len(before), _GLANCE)):at].split())
        if len(near) >= len(before) and not near.endswith(before):
            return True
    return False


def _walk(text: str, n: int, tokens, gaps, k: int, at: int) -> tuple[int, int]:
    """Match the tokens around token ``k`` found at ``at``: (start, end), or (-1, -1)."""
    pos = at
    for i in range(k, 0, -1):
        gap = gaps[i]
        if gap >= 0:
            ws = pos
            while ws > 0 and text[ws - 1].isspace():
                ws -= 1
            if gap == 1 and ws == pos:
                return -1, -1
            pos = ws
        tok = tokens[i - 1]
        pos -= len(tok)
        if pos < 0 or not text.startswith(tok, pos):
            return -1, -1
    start = pos
    pos = at + len(tokens[k])
    for i in range(k + 1, len(tokens)):
        gap = gaps[i]
        if gap >= 0:
            ws = pos
            while ws < n and text[ws].isspace():
                ws += 1
            if gap == 1 and ws == pos:
                return -1, -1
            pos = ws
        tok = tokens[i]
        if not text.startswith(tok, pos):
            return -1, -1
        pos += len(tok)
    return start, pos


def line_of(text: str, offset: int) -> int:
    """1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1


_SENTENCE_END = ".!?\"\u201d\u2019:"


def quotations(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """Quoted passages in ``text[start:end]``, marks included, straight or curly marks
    paired in order: (start, end, closed). One left open runs to ``end``, as a
    quotation that goes on into the next paragraph does in news style."""
    out, opened = [], None
    for i in range(start, end):
        ch = text[i]
        if opened is None and ch in '"\u201c':
            opened = i
        elif opened is not None and ch in '"\u201d':
            out.append((opened, i + 1, True))
            opened = None
    if opened is not None:
        out.append((opened, end, False))
    return out


_breaks_of: tuple[str | None, list[int]] = (None, [])


def _breaks(text: str) -> list[int]:
    """Where the paragraph-ending line breaks of ``text`` are. Kept for the last text
    asked about: an article's spans are all anchored in one text, one after another."""
    global _breaks_of
    last = _breaks_of
    if last[0] is text:
        return last[1]
    breaks = []
    nl = text.find("\n")
    while nl >= 0:
        # A break after the end of a sentence, after another break, or at the start,
        # with only spaces, tabs or CRs between.
        i = nl
        while i > 0 and text[i - 1] in " \t\r":
            i -= 1
        if i == 0 or text[i - 1] == "\n" or text[i - 1] in _SENTENCE_END:
            breaks.append(nl)
        nl = text.find("\n", nl + 1)
    _breaks_of = (text, breaks)
    return breaks


def paragraph(text: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph around a span. A line break that does not follow the end of a
    sentence continues the paragraph: some reports break sentences across lines."""
    breaks = _breaks(text)
    i = bisect_left(breaks, start)
    j = bisect_left(breaks, end, i)
    return (breaks[i - 1] + 1 if i else 0), (breaks[j] if j < len(breaks) else len(text))


def _has_prefix(text: str, start: int, prefix: str) -> bool:
    window = text[max(0, start - 4 * len(prefix) - 64) : start]
    return re.search("(?:" + _body(prefix.strip()) + r")\s*\Z", window) is not None


def _has_suffix(text: str, end: int, suffix: str) -> bool:
    return re.match(r"\s*(?:" + _body(suffix.strip()) + ")", text[end:]) is not None


def _closest_miss(text: str, exact: str) -> str:
    """Point at where the quote stops matching, to show what changed."""
    words = exact.split()
    best = 0
    for n in range(1, len(words) + 1):
        if pattern(" ".join(words[:n])).search(text):
            best = n
        else:
            break
    if best == 0:
        return "not even its first word is in the text"
    if best == len(words):
        return "it is in the text only as part of a longer word"
    return f"the text matches as far as '{' '.join(words[max(0, best - 3):best])}' but not '{words[best]}'"


def shortened(s: str, n: int = 60) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _filter(text, hits, quote: Quote, forbidden) -> list[tuple[int, int]]:
    """Hits that have the quote's prefix and suffix and touch no forbidden range."""
    if quote.prefix:
        hits = [h for h in hits if _has_prefix(text, h[0], quote.prefix)]
    if quote.suffix:
        hits = [h for h in hits if _has_suffix(text, h[1], quote.suffix)]
    if forbidden and hits:
        hits = [h for h in hits if not _touches(h, forbidden)]
    return hits


def _touches(hit: tuple[int, int], ranges: list[tuple[int, int, str]]) -> bool:
    """Whether a hit overlaps any of the ranges."""
    start, end = hit
    for s, e, _ in ranges:
        if s < end and start < e:
            return True
    return False


def locate(
    text: str,
    quote: Quote,
    near: tuple[int, int] | None = None,
    within: tuple[int, int] | None = None,
    forbidden: list[tuple[int, int, str]] | None = None,
) -> tuple[int, int]:
    """The one (start, end) of ``quote`` in ``text``.

    ``within`` limits the search to a range (a statement's cue is sought near its
    content). With ``near``, several occurrences are not an error: the one closest
    to that range is taken. Otherwise a quote found more than once must be told apart
    by its prefix or suffix. ``forbidden`` ranges (page furniture) may not be touched.
    """
    told = quote.prefix or quote.suffix
    if near is not None and within is None:
        # Most often the closest occurrence is in the paragraph of ``near``: look
        # there first, and at the whole text only if it is not.
        inside = find_all(text, quote.exact, *paragraph(text, *near))
        if inside and (told or forbidden):
            inside = _filter(text, inside, quote, forbidden)
        if len(inside) == 1:
            return inside[0]
        if inside:
            return min(inside, key=lambda h: (max(0, h[0] - near[1], near[0] - h[1]), h[0]))
    hits = find_all(text, quote.exact)
    if within is not None:
        hits = [h for h in hits if h[0] >= within[0] and h[1] <= within[1]]
    if told:
        hits = _filter(text, hits, quote, None)
    if forbidden and hits:
        allowed = [h for h in hits if not _touches(h, forbidden)]
        if not allowed:
            kind = next(k for s, e, k in forbidden if s < hits[0][1] and hits[0][0] < e)
            raise AnchorError(
                f"'{shortened(quote.exact)}' lies in page furniture ({kind}), not in the article body; "
                "annotate only what the report itself says"
            )
        hits = allowed
    if not hits:
        if find_all(text, quote.exact):
            where = "with that prefix/suffix" if (quote.prefix or quote.suffix) else "in that part of the text"
            fix = "; correct the prefix or suffix" if (quote.prefix or quote.suffix) else ""
            raise AnchorError(f"'{shortened(quote.exact)}' is in the article, but not {where}{fix}")
        raise AnchorError(
            f"'{shortened(quote.exact)}' is not in the article text ({_closest_miss(text, quote.exact)}); "
            "copy the words exactly as the article has them"
        )
    if len(hits) == 1:
        return hits[0]
    if near is not None:
        para = paragraph(text, *near)
        inside = [h for h in hits if h[0] >= para[0] and h[1] <= para[1]]
        return min(inside or hits, key=lambda h: (max(0, h[0] - near[1], near[0] - h[1]), h[0]))
    lines = ", ".join(str(line_of(text, h[0])) for h in hits)
    raise AnchorError(
        f"'{shortened(quote.exact)}' occurs {len(hits)} times (article lines {lines}); "
        "add a prefix or suffix (the words just before or after it) to say which"
    )
