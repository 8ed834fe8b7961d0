"""Figures about the same thing that differ: between reports, or over time.

Figures are grouped by what they count: the words of ``counts`` and ``action``, folded,
without small words, singular, in any order, together with the unit ("SCO full member
states" in countries). A group whose figures give more than one distinct value (value
and the bounds its qualifier implies) is a conflict, and every figure of it is reported:
none is preferred. Each conflict says whether the values differ at dates that do not
overlap (``changed``), at the same or overlapping dates (``disagree``), or whether a
figure's date is unknown so that this cannot be told (``undated``).
"""

from __future__ import annotations

import sqlite3

from scoq import queries
from scoq.names import fold

KINDS = ("disagree", "undated", "changed")

STOPWORDS = frozenset("a an and at by for from in into of on or per the to with".split())

CONFLICT_FIELDS = (
    "topic", "topic_key", "kind", "values", "figure_id", "quantity", "value", "low", "high", "qualifier", "mod", "unit",
    "counts", "action", "date", "date_basis", "date_precision", "event_id", "reporter_id", "reporter",
    "text", "start", "end", "article_id", "outlet", "published",
)


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


def topic_key(counts: str, action: str | None, unit: str) -> str:
    """What a figure counts, as a key that ignores case, plurals, small words and order."""
    return " ".join(sorted(set(words(counts + " " + (action or ""))))) + " | " + fold(unit)


def _overlap(a: dict, b: dict) -> bool | None:
    if a["date_start"] is None or b["date_start"] is None:
        return None
    return a["date_start"] <= b["date_end"] and b["date_start"] <= a["date_end"]


def _kind(rows: list[dict]) -> str:
    """How the differing values of one group relate in time."""
    seen = set()
    for i, a in enumerate(rows):
        for b in rows[i + 1:]:
            if a["_value"] != b["_value"]:
                seen.add({True: "disagree", False: "changed", None: "undated"}[_overlap(a, b)])
    return next(k for k in KINDS if k in seen)


def conflicts(conn: sqlite3.Connection, about: str | None = None, limit: int | None = None) -> list[dict]:
    """Every figure of every group that gives more than one distinct value, group by group
    (groups in order of topic, figures by date); ``about`` keeps groups whose words hold
    all its words, ``limit`` keeps that many groups."""
    fd = queries.figure_date("f", "e")
    sql = f"""
        SELECT f.id AS figure_id, f.quantity, f.value, f.low, f.high, f.qualifier, f.mod, f.unit,
               f.counts, f.action,
               {fd["date"]} AS date, {fd["basis"]} AS date_basis, {fd["precision"]} AS date_precision,
               {fd["start"]} AS date_start, {fd["end"]} AS date_end,
               f.event_id, f.reporter_id, sp.name AS reporter, f.text, f.start, f."end",
               f.article_id, o.name AS outlet, a.published
        FROM figures f
        JOIN articles a ON a.id = f.article_id
        LEFT JOIN organizations o ON o.id = a.outlet_id
        LEFT JOIN events e ON e.id = f.event_id
        LEFT JOIN speakers sp ON sp.id = f.reporter_id
        ORDER BY date_start IS NULL, date_start, f.value, f.article_id, f.start
    """
    groups: dict[str, list[dict]] = {}
    for r in conn.execute(sql):
        row = dict(r)
        row["_value"] = (row["value"], row["low"], row["high"], row["mod"])
        groups.setdefault(topic_key(row["counts"], row["action"], row["unit"]), []).append(row)
    wanted = words(about or "")
    out: list[dict] = []
    n = 0
    for key in sorted(groups):
        rows = groups[key]
        values = len({r["_value"] for r in rows})
        if values < 2:
            continue
        haystack = " ".join([key] + [" ".join(words(r["text"])) for r in rows])
        if not all(w in haystack for w in wanted):
            continue
        if limit is not None and n >= limit:
            break
        n += 1
        first = rows[0]
        action = first["action"] if first["action"] and not set(words(first["action"])) <= set(words(first["counts"])) else None
        topic = first["counts"] + (f", {action}" if action else "") + f" ({first['unit']})"
        kind = _kind(rows)
        for r in rows:
            r.update(topic=topic, topic_key=key, kind=kind, values=values)
            out.append({k: r[k] for k in CONFLICT_FIELDS})
    return out
