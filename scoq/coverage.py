"""What in an article looks like a statement or a figure but is not annotated yet.

Coverage reads the corpus files, not the database, so a curator can run it on an
article before it has ever been ingested. The corpus is checked as ``scoq ingest``
checks it; every span that anchors (statement content, cue, source, role and date
words, figure quote and date words, furniture, title, byline, ``ignore`` entries)
counts as annotated.

A *candidate* is found in the article body (the text with page furniture blanked):

- ``number``: a numeral or number word with its qualifier ("more than 1,000", "8.8",
  "10th", "eight", "hundreds", "a dozen");
- ``quote``: a passage in quotation marks, straight or curly, from the opening mark to
  the closing one (or to the end of its line when it is not closed there);
- ``verb``: a reporting verb ("said", "told", "pointed out", "according to", ...).

A candidate is *covered* when every letter and digit in it lies inside an annotated
span (the quotation marks around a statement's content need not be in the statement).
A quote or a verb may be covered by any span; a number only by a span that is not part
of a statement (a figure, the words of a date, furniture, title, an ``ignore``), so that
a figure given inside a statement is still pointed at. Every other candidate is a *gap*. An article's coverage is covered candidates over all
candidates; an article with no candidates is 100% covered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from scoq import anchor, corpus, validate
from scoq.figures import QUALIFIERS, VAGUE, SCALE, WORDNUM, alternation
from scoq.problems import InputError, display_path

GAP_FIELDS = ("article_id", "line", "col", "kind", "text", "context", "start", "end", "path")
TOTAL_FIELDS = ("article_id", "candidates", "covered", "gaps", "percent")

REPORTING_VERBS = (
    "said", "says", "say", "saying", "added", "adds", "adding", "noted", "notes", "pointed out",
    "points out", "according to", "told", "tells", "called on", "calls on", "called for",
    "calls for", "stressed", "stresses", "urged", "urges", "stated", "announced",
    "announces", "emphasized", "emphasizes", "emphasised", "underlined", "underscored",
    "highlighted", "remarked", "explained", "warned", "insisted", "declared", "claimed",
    "reiterated", "expressed", "agreed", "vowed", "pledged", "confirmed", "revealed",
    "reported", "briefed",
)

_NUMBER = re.compile(
    rf"(?<![\w.,])(?:(?:{alternation(QUALIFIERS)})\s+)?"
    rf"(?:(?:{alternation(VAGUE)})"
    rf"|(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:st|nd|rd|th)?"
    rf"|{WORDNUM}|dozen|hundred|thousand|million|billion)"
    rf"(?:\s+(?:{alternation(SCALE)}))?"
    r"(?!\w)",
    re.I,
)
_VERB = re.compile(r"(?<!\w)(?:" + alternation(REPORTING_VERBS) + r")(?!\w)", re.I)


@dataclass(frozen=True)
class Candidate:
    kind: str
    start: int
    end: int


def candidates(body: str) -> list[Candidate]:
    """Every candidate in ``body``, in text order."""
    found = [Candidate("number", m.start(), m.end()) for m in _NUMBER.finditer(body)]
    found += [Candidate("verb", m.start(), m.end()) for m in _VERB.finditer(body)]
    found += _quotes(body)
    return sorted(found, key=lambda c: (c.start, c.end, c.kind))


def _quotes(body: str) -> list[Candidate]:
    """Quoted passages, paired line by line: a quotation that runs on to the next
    paragraph is, as news style has it, left open at the end of the line."""
    found = []
    pos = 0
    for line in body.split("\n"):
        for start, end, closed in anchor.quotations(body, pos, pos + len(line)):
            if closed:
                found.append(Candidate("quote", start, end))
            elif body[start + 1:end].strip():
                found.append(Candidate("quote", start, pos + len(line.rstrip())))
        pos += len(line) + 1
    return found


def covered(text: str, cand: Candidate, mask: bytearray) -> bool:
    """True when every letter and digit of the candidate is inside an annotated span."""
    return all(mask[i] or not text[i].isalnum() for i in range(cand.start, cand.end))


def _mask(length: int, spans) -> bytearray:
    mask = bytearray(length)
    for start, end, _ in spans:
        mask[start:end] = b"\1" * (end - start)
    return mask


def _counts_for_numbers(span: tuple[int, int, str]) -> bool:
    """A statement's content, cue, source or role does not cover a number; its date does."""
    label = span[2]
    return not label.startswith("statements[") or label.endswith("said as written")


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    lo, hi = max(line_start, start - width), min(line_end, end + width)
    left = ("…" if lo > line_start else "") + text[lo:start]
    right = text[end:hi] + ("…" if hi < line_end else "")
    return f"{left}[{text[start:end]}]{right}"


def select(ids: list[str], wanted: tuple[str, ...]) -> list[str]:
    """The article ids named by ``wanted`` (an id or its start); all when none given."""
    if not wanted:
        return ids
    chosen = []
    for w in wanted:
        hits = [i for i in ids if i == w] or [i for i in ids if i.startswith(w)]
        if not hits:
            raise LookupError(f"no article '{w}' in the corpus; articles: {', '.join(ids)}")
        chosen += [h for h in hits if h not in chosen]
    return chosen


def check(root: Path, wanted: tuple[str, ...] = (), max_gaps: int | None = None) -> tuple[list[dict], list[dict]]:
    """Gaps and per-article totals for the corpus at ``root``, in article id order.

    Raises InputError when the corpus does not pass ingest's checks, and LookupError
    for an article that is not in it. Each article's gaps are found as soon as it is
    checked, and its text let go: a large corpus is not held in memory. ``max_gaps``
    keeps only the first so many gaps (0 for totals alone); the totals count them all.
    """
    files, problems = corpus.discover(root)
    if problems or files is None:
        raise InputError(problems)
    ids = sorted({validate.article_id(ann) for ann in files.annotations.strings()})
    try:
        chosen, unknown = select(ids, wanted), None
    except LookupError as e:  # said once the corpus is known to pass, as before
        chosen, unknown = [], e
    found: dict[str, tuple[list[dict], dict]] = {}
    wanted_ids = set(chosen)

    def each(result: validate.ArticleResult) -> None:
        if result.stem in wanted_ids and result.tables.get("articles"):
            found[result.stem] = _article_gaps(root, result.tables["articles"][0], result.spans, max_gaps)

    validate.check(files, each=each)
    if unknown is not None:
        raise unknown
    gaps, totals = [], []
    for art_id in chosen:
        article_gaps, total = found[art_id]
        gaps += article_gaps
        totals.append(total)
    return gaps[:max_gaps] if max_gaps is not None else gaps, totals


def _article_gaps(root: Path, art: dict, spans, max_gaps: int | None = None) -> tuple[list[dict], dict]:
    """One article's gaps (the first ``max_gaps`` of them), and its totals."""
    art_id, text, body = art["id"], art["text"], art["body"]
    masks = {"any": _mask(len(text), spans), "number": _mask(len(text), [s for s in spans if _counts_for_numbers(s)])}
    found = candidates(body)
    missing = [c for c in found if not covered(text, c, masks["number" if c.kind == "number" else "any"])]
    path = display_path(root / art["path"])
    gaps = []
    for c in missing[:max_gaps] if max_gaps is not None else missing:
        line = anchor.line_of(text, c.start)
        col = c.start - (text.rfind("\n", 0, c.start) + 1) + 1
        gaps.append({
            "article_id": art_id, "line": line, "col": col, "kind": c.kind,
            "text": text[c.start:c.end], "context": _context(text, c.start, c.end),
            "start": c.start, "end": c.end, "path": path,
        })
    n = len(found)
    total = {
        "article_id": art_id, "candidates": n, "covered": n - len(missing), "gaps": len(missing),
        "percent": round(100 * (n - len(missing)) / n, 1) if n else 100.0,
    }
    return gaps, total
