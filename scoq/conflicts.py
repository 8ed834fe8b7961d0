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

import heapq

from scoq import queries
from scoq.names import fold
from scoq.sqlite import sqlite3

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


#: The last day of a period open at its end ("2018-06-08/..": since then).
_OPEN_END = "9999-12-31"


def _kind(rows: list[dict]) -> str:
    """How the differing values of one group (two values or more) relate in time:
    ``disagree`` if two figures of different values have dates that overlap, else
    ``undated`` if a figure's date is unknown, else ``changed``.

    The dated figures are swept in order of their first day, keeping those whose
    period is still open at that day, so that a group of any size is decided in
    n log n steps rather than by comparing every pair."""
    dated = sorted(((r["date_start"], r["date_end"] or _OPEN_END, r["_value"])
                    for r in rows if r["date_start"] is not None), key=lambda d: d[:2])
    open_: list[tuple] = []  # (last day, order, value) of the figures still open, soonest first
    values: dict[tuple, int] = {}  # how many open figures give each value
    for order, (first, last, value) in enumerate(dated):
        while open_ and open_[0][0] < first:
            _, _, gone = heapq.heappop(open_)
            values[gone] -= 1
            if not values[gone]:
                del values[gone]
        if len(values) > (value in values):
            return "disagree"
        heapq.heappush(open_, (last, order, value))
        values[value] = values.get(value, 0) + 1
    return "undated" if len(dated) < len(rows) else "changed"


def conflicts(conn: sqlite3.Connection, about: str | None = None, limit: int | None = None) -> list[dict]:
    """Every figure of every group that gives more than one distinct value, group by group
    (groups in order of topic, figures by date); ``about`` keeps groups whose words hold
    all its words, ``limit`` keeps that many groups.

    Groups are found from what each figure counts and its value alone, with each distinct
    counts/action/unit worded once into its key; only the figures of the groups kept are
    then read whole, so that a corpus of millions of figures is not held in memory."""
    keys: dict[tuple, str] = {}
    members: dict[str, list[int]] = {}
    values: dict[str, set] = {}
    for rowid, counts, action, unit, *value in conn.execute(
            "SELECT rowid, counts, action, unit, value, low, high, mod FROM figures"):
        key = keys.get((counts, action, unit))
        if key is None:
            key = keys[(counts, action, unit)] = topic_key(counts, action, unit)
            members[key], values[key] = [], set()
        members[key].append(rowid)
        values[key].add(tuple(value))
    wanted = words(about or "")
    chosen = []
    for key in sorted(k for k in members if len(values[k]) > 1):
        if limit is not None and len(chosen) >= limit:
            break
        if wanted and not _mentions(conn, key, members[key], wanted):
            continue
        chosen.append(key)
    out: list[dict] = []
    for key in chosen:
        rows = _figures(conn, members[key])
        first = rows[0]
        action = first["action"] if first["action"] and not set(words(first["action"])) <= set(words(first["counts"])) else None
        topic = first["counts"] + (f", {action}" if action else "") + f" ({first['unit']})"
        kind = _kind(rows)
        for r in rows:
            r.update(topic=topic, topic_key=key, kind=kind, values=len(values[key]))
            out.append({k: r[k] for k in CONFLICT_FIELDS})
    return out


def _mentions(conn: sqlite3.Connection, key: str, rowids: list[int], wanted: list[str]) -> bool:
    """Whether the group's key and its figures' quoted words hold every wanted word."""
    haystack = [key]
    for i in range(0, len(rowids), 500):
        batch = rowids[i:i + 500]
        haystack += (" ".join(words(r[0])) for r in conn.execute(
            f"SELECT text FROM figures WHERE rowid IN ({', '.join('?' * len(batch))})", batch))
    text = " ".join(haystack)
    return all(w in text for w in wanted)


def _figures(conn: sqlite3.Connection, rowids: list[int]) -> list[dict]:
    """The figures of one group, whole, in date order."""
    fd = queries.figure_date("f")
    conn.execute("CREATE TEMP TABLE conflict_group (id INTEGER PRIMARY KEY)")
    try:
        conn.executemany("INSERT INTO temp.conflict_group VALUES (?)", ((i,) for i in rowids))
        rows = [dict(r) for r in conn.execute(f"""
            SELECT f.id AS figure_id, f.quantity, f.value, f.low, f.high, f.qualifier, f.mod, f.unit,
                   f.counts, f.action,
                   {fd["date"]} AS date, {fd["basis"]} AS date_basis, {fd["precision"]} AS date_precision,
                   {fd["start"]} AS date_start, {fd["end"]} AS date_end,
                   f.event_id, f.reporter_id, sp.name AS reporter, f.text, f.start, f."end",
                   f.article_id, o.name AS outlet, a.published
            FROM temp.conflict_group g
            CROSS JOIN figures f ON f.rowid = g.id
            JOIN articles a ON a.id = f.article_id
            LEFT JOIN organizations o ON o.id = a.outlet_id
            LEFT JOIN speakers sp ON sp.id = f.reporter_id
            ORDER BY f.date_start IS NULL, f.date_start, f.value, f.article_id, f.start""")]
    finally:
        conn.execute("DROP TABLE temp.conflict_group")
    for row in rows:
        row["_value"] = (row["value"], row["low"], row["high"], row["mod"])
    return rows
