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
from collections.abc import Iterable
from itertools import groupby
from operator import itemgetter

from scoq import queries
from scoq.figures import words
from scoq.sqlite import sqlite3

KINDS = ("disagree", "undated", "changed")

CONFLICT_FIELDS = (
    "topic", "topic_key", "kind", "values", "figure_id", "quantity", "value", "low", "high", "qualifier", "mod", "unit",
    "counts", "action", "date", "date_basis", "date_precision", "event_id", "reporter_id", "reporter",
    "text", "start", "end", "article_id", "outlet", "published",
)


#: Each topic's distinct values (value, bounds, qualifier), in order off figures_topic.
DISTINCT_VALUES = ("SELECT DISTINCT topic, value, low, high, mod FROM figures INDEXED BY figures_topic "
                   "ORDER BY topic, value, low, high, mod")

#: The last day of a period open at its end ("2018-06-08/..": since then).
_OPEN_END = "9999-12-31"


#: What _kind needs of each figure of a group: its first and last day, and its value.
DATES_AND_VALUES = ("SELECT date_start, date_end, value, low, high, mod FROM figures INDEXED BY figures_topic "
                    "WHERE topic = ?")


def _kind(figures: Iterable[tuple]) -> str:
    """How the differing values of one group (two values or more) relate in time:
    ``disagree`` if two figures of different values have dates that overlap, else
    ``undated`` if a figure's date is unknown, else ``changed``. ``figures`` are
    (first day, last day, value, low, high, mod), as DATES_AND_VALUES reads them.

    The dated figures are swept in order of their first day, keeping those whose
    period is still open at that day, so that a group of any size is decided in
    n log n steps rather than by comparing every pair."""
    dated, undated = [], False
    for first, last, *value in figures:
        if first is None:
            undated = True
        else:
            dated.append((first, last or _OPEN_END, tuple(value)))
    dated.sort(key=lambda d: d[:2])
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
    return "undated" if undated else "changed"


def conflicts(conn: sqlite3.Connection, about: str | None = None, limit: int | None = None, lazy: bool = False):
    """Every figure of every group that gives more than one distinct value, group by group
    (groups in order of topic, figures by date); ``about`` keeps groups whose words hold
    all its words, ``limit`` keeps that many groups. With ``lazy``, an iterator that
    reads one group at a time.

    Each figure's group is stored with it (``figures.topic``, made at ingest by
    figures.topic_key), and the groups that differ are read in order off the index of
    topics and values, so that the first of them is found without reading every figure."""
    wanted = words(about or "")
    chosen = []
    # Each topic's distinct values, in order off the index: counted as they stream past,
    # so that with --limit the reading stops at the last group kept.
    distinct = conn.execute(DISTINCT_VALUES)
    for key, group in groupby(distinct, key=itemgetter(0)):
        values = sum(1 for _ in group)
        if values < 2:
            continue
        if limit is not None and len(chosen) >= limit:
            break
        if not wanted or _mentions(conn, key, wanted):
            chosen.append((key, values))
    distinct.close()
    out = _groups(conn, chosen)
    return out if lazy else list(out)


def _groups(conn: sqlite3.Connection, chosen: list[tuple[str, int]]):
    """The rows of each chosen group (topic key, distinct values), a group at a time.

    A group's kind is decided first, off its dates and values alone; its figures are
    then read whole one at a time as they are written out, so that a group of tens of
    thousands of figures is never held in memory whole."""
    for key, values in chosen:
        kind = _kind(conn.execute(DATES_AND_VALUES, (key,)))
        rows = _figures(conn, key)
        first = next(rows)
        action = first["action"] if first["action"] and not set(words(first["action"])) <= set(words(first["counts"])) else None
        group = {"topic": first["counts"] + (f", {action}" if action else "") + f" ({first['unit']})",
                 "topic_key": key, "kind": kind, "values": values}
        yield {**group, **first}
        for r in rows:
            yield {**group, **r}


def _mentions(conn: sqlite3.Connection, key: str, wanted: list[str]) -> bool:
    """Whether the group's key and its figures' quoted words hold every wanted word
    (each word within one of them); the quotes are read only as far as needed."""
    missing = [w for w in wanted if w not in key]
    rows = conn.execute("SELECT text FROM figures WHERE topic = ?", (key,))
    for (text,) in rows:
        if not missing:
            break
        folded = " ".join(words(text))
        missing = [w for w in missing if w not in folded]
    rows.close()
    return not missing


def _figures(conn: sqlite3.Connection, key: str):
    """The figures of one group, whole, in date order: an iterator of dicts whose keys
    are CONFLICT_FIELDS after the group's own four."""
    return queries.dicts(conn, """
        SELECT f.id AS figure_id, f.quantity, f.value, f.low, f.high, f.qualifier, f.mod, f.unit,
               f.counts, f.action, f.date, f.date_basis, f.date_precision,
               f.event_id, f.reporter_id, sp.name AS reporter, f.text, f.start, f."end",
               f.article_id, o.name AS outlet, a.published
        FROM figures f INDEXED BY figures_topic
        JOIN articles a ON a.id = f.article_id
        LEFT JOIN organizations o ON o.id = a.outlet_id
        LEFT JOIN speakers sp ON sp.id = f.reporter_id
        WHERE f.topic = ?
        ORDER BY f.date_start IS NULL, f.date_start, f.value, f.article_id, f.start""", (key,), lazy=True)
