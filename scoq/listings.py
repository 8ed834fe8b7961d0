"""Listings of what the database holds: articles, events, people, and a timeline.

Each listing returns plain rows with counts, in a documented sort order that is always
completed by the id, so that the same database gives the same order every time.
Limits are bound into the SQL.
"""

from __future__ import annotations

from scoq import queries
from scoq.sqlite import sqlite3

ARTICLE_FIELDS = ("article_id", "published", "published_precision", "outlet", "title", "url",
                  "statements", "figures", "chars")
#: --sort choices for articles and their ORDER BY.
ARTICLE_SORTS = {
    "date": "a.published_start IS NULL, a.published_start, a.id",
    "id": "a.id",
    "outlet": "o.name IS NULL, o.name, a.id",
    "statements": "statements DESC, a.id",
    "figures": "figures DESC, a.id",
    "chars": "a.chars DESC, a.id",
}


def articles(conn: sqlite3.Connection, sort: str = "date", limit: int | None = None, lazy: bool = False):
    """Every article with its counts of statements and figures; an iterator with ``lazy``
    (see queries.dicts). Cut to ``limit`` on a sort that needs no counts, the articles
    are picked first and counted after."""
    limit_sql, params = queries.limit_sql(limit)
    source = "articles a"
    if limit is not None and sort == "date":  # read off articles_published, dated then undated
        source, picked = queries.picked_halves("articles", "a", queries.Where(), "a.published_start",
                                               "a.published_start, a.id", limit)
        params = [*picked, *params]
    elif limit is not None and sort not in ("statements", "figures"):
        source, params = queries.picked("articles", "a", "LEFT JOIN organizations o ON o.id = a.outlet_id",
                                        queries.Where(), ARTICLE_SORTS[sort], limit)
        limit_sql = ""
    sql = f"""
        SELECT a.id AS article_id, a.published, a.published_precision, o.name AS outlet, a.title, a.url,
               (SELECT count(*) FROM statements s WHERE s.article_id = a.id) AS statements,
               (SELECT count(*) FROM figures f WHERE f.article_id = a.id) AS figures,
               a.chars
        FROM {source} LEFT JOIN organizations o ON o.id = a.outlet_id
        ORDER BY {ARTICLE_SORTS[sort]}{limit_sql}
    """
    return queries.dicts(conn, sql, params, lazy)


EVENT_FIELDS = ("event_id", "name", "kind", "date", "date_precision", "place", "statements", "figures", "articles")
EVENT_SORTS = {
    "date": "e.date_start IS NULL, e.date_start, e.id",
    "id": "e.id",
    "name": "e.name, e.id",
    "statements": "statements DESC, e.id",
    "figures": "figures DESC, e.id",
}


def events(conn: sqlite3.Connection, sort: str = "date", limit: int | None = None) -> list[dict]:
    """Every event with its counts of statements, figures and the articles that report it,
    worked out at ingest (the event_totals table)."""
    limit_sql, params = queries.limit_sql(limit)
    sql = f"""
        SELECT e.id AS event_id, e.name, e.kind, e.date, e.date_precision, p.name AS place,
               t.statements, t.figures, t.articles
        FROM events e JOIN event_totals t ON t.event_id = e.id LEFT JOIN places p ON p.id = e.place_id
        ORDER BY {EVENT_SORTS[sort]}{limit_sql}
    """
    return queries.dicts(conn, sql, params)


PEOPLE_FIELDS = ("speaker_id", "name", "kind", "roles", "statements", "articles", "first_said", "last_said")
PEOPLE_SORTS = {
    "statements": "statements DESC, name, speaker_id",
    "name": "name, speaker_id",
    "date": "first_start IS NULL, first_start, speaker_id",
    "articles": "articles DESC, name, speaker_id",
}


def people(conn: sqlite3.Connection, sort: str = "statements", limit: int | None = None) -> list[dict]:
    """Every speaker (people and bodies) with the roles articles give them and their counts.
    ``roles`` joins the distinct roles as worded, with "; ". ``first_said`` and
    ``last_said`` are the dates of the earliest and latest statements as recorded, at
    their precision: a statement known only as "2026-03" does not become "2026-03-31".

    All of it was worked out from the statements at ingest (the speaker_totals table),
    so that listing every speaker reads a row for each, not their statements."""
    limit_sql, params = queries.limit_sql(limit)
    sql = f"""
        SELECT sp.id AS speaker_id, sp.name, sp.kind, t.roles, t.statements, t.articles, t.first_said, t.last_said
        FROM speakers sp JOIN speaker_totals t ON t.speaker_id = sp.id
        ORDER BY {PEOPLE_SORTS[sort]}{limit_sql}
    """
    return queries.dicts(conn, sql, params)


TIMELINE_FIELDS = ("date", "precision", "kind", "id", "what", "who", "event_id", "article_id", "start", "end")
WHAT_WIDTH = 100


def _short(text: str | None) -> str | None:
    """Text cut at a word near WHAT_WIDTH characters, with an ellipsis where cut."""
    if text is None:
        return None
    text = " ".join(text.split())
    if len(text) <= WHAT_WIDTH:
        return text
    cut = text.rfind(" ", 0, WHAT_WIDTH)
    return text[: cut if cut > 0 else WHAT_WIDTH] + "…"


def timeline(conn: sqlite3.Connection, f: queries.Filters, limit: int | None = None, lazy: bool = False):
    """Events, statements and figures in date order, each at the precision it is known;
    an iterator with ``lazy`` (see queries.dicts).

    Rows sort by the first day they cover; a broader date comes before a narrower one
    starting the same day ("2024-07" before "2024-07-01"); unknown dates come last.
    A figure is dated by its period, else its as-of date, else its event's date.
    With --speaker, the events kept are those the speaker spoke at.
    """
    speaker_ids = queries.speaker_ids(conn, f.speakers)
    scope = queries.Filters(since=f.since, until=f.until, events=f.events)

    ev = queries.Where()
    ev.isin("e.id", dict.fromkeys(i for e in f.events for i in queries.match_events(conn, e)))
    ev.dates(f, "e.date_start", "e.date_end")
    if speaker_ids:
        ev.add(f"e.id IN (SELECT event_id FROM statements WHERE speaker_id IN ({', '.join('?' * len(speaker_ids))}))",
               *speaker_ids)

    st = queries.Where()
    st.isin("s.speaker_id", speaker_ids)
    st.scope(conn, scope, "s", "s.said_start", "s.said_end")

    fi = queries.Where()
    fi.isin("f.reporter_id", speaker_ids)
    fi.scope(conn, scope, "f", "f.date_start", "f.date_end")

    limit_sql, limit_params = queries.limit_sql(limit)
    if limit is None:
        st_from, st_where, st_params = "statements s", st.sql(), st.params
        fi_from, fi_where, fi_params = "figures f", fi.sql(), fi.params
    else:
        # Only the first ``limit`` of each kind can be among the first ``limit`` of all: each
        # kind's are picked on their sort keys alone, in the order of its date index, and
        # only those are read whole. A speaker's or an event's are read through their own
        # index and sorted: left to choose, SQLite walks the whole date index, testing each row.
        st_from, st_params = queries.picked_halves(
            "statements", "s", st, "s.said_start", "s.said_start, s.said_end DESC, s.article_id, s.start, s.id",
            limit, "statements_speaker" if speaker_ids else "statements_event" if f.events else None)
        fi_from, fi_params = queries.picked_halves(
            "figures", "f", fi, "f.date_start", "f.date_start, f.date_end DESC, f.article_id, f.start, f.id",
            limit, "figures_reporter" if speaker_ids else "figures_event" if f.events else None)
        st_where = fi_where = ""
    sql = f"""
        SELECT * FROM (
            SELECT e.date AS date, e.date_precision AS precision, 'event' AS kind, e.id AS id,
                   e.name AS what, NULL AS who, e.id AS event_id, NULL AS article_id,
                   NULL AS start, NULL AS "end", e.date_start AS sort_start, e.date_end AS sort_end, 0 AS sort_kind
            FROM events e {ev.sql()}
            UNION ALL
            SELECT s.said, s.said_precision, 'statement', s.id, s.text, sp.name, s.event_id, s.article_id,
                   s.start, s."end", s.said_start, s.said_end, 1
            FROM {st_from} JOIN speakers sp ON sp.id = s.speaker_id {st_where}
            UNION ALL
            SELECT f.date, f.date_precision,
                   'figure', f.id, f.text, sp.name, f.event_id, f.article_id, f.start, f."end",
                   f.date_start, f.date_end, 2
            FROM {fi_from} LEFT JOIN speakers sp ON sp.id = f.reporter_id {fi_where}
        )
        ORDER BY sort_start IS NULL, sort_start, sort_end DESC, sort_kind, article_id, start, id{limit_sql}
    """
    rows = queries.dicts(conn, sql, [*ev.params, *st_params, *fi_params, *limit_params], lazy=True)
    rows = ({**{k: r[k] for k in TIMELINE_FIELDS}, "what": _short(r["what"])} for r in rows)
    return rows if lazy else list(rows)
