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


#: An event, a statement and a figure as rows of the timeline, with the keys it sorts by.
_EVENT_ROW = """e.date AS date, e.date_precision AS precision, 'event' AS kind, e.id AS id, e.name AS what,
    NULL AS who, e.id AS event_id, NULL AS article_id, NULL AS start, NULL AS "end",
    e.date_start AS sort_start, e.date_end AS sort_end, 0 AS sort_kind"""
_STATEMENT_ROW = """s.said AS date, s.said_precision AS precision, 'statement' AS kind, s.id AS id, s.text AS what,
    sp.name AS who, s.event_id AS event_id, s.article_id AS article_id, s.start AS start, s."end" AS "end",
    s.said_start AS sort_start, s.said_end AS sort_end, 1 AS sort_kind"""
_FIGURE_ROW = """f.date AS date, f.date_precision AS precision, 'figure' AS kind, f.id AS id, f.text AS what,
    sp.name AS who, f.event_id AS event_id, f.article_id AS article_id, f.start AS start, f."end" AS "end",
    f.date_start AS sort_start, f.date_end AS sort_end, 2 AS sort_kind"""


def timeline(conn: sqlite3.Connection, f: queries.Filters, limit: int | None = None, lazy: bool = False):
    """Events, statements and figures in date order, each at the precision it is known;
    an iterator with ``lazy`` (see queries.dicts).

    Rows sort by the first day they cover; a broader date comes before a narrower one
    starting the same day ("2024-07" before "2024-07-01"); unknown dates come last.
    A figure is dated by its period, else its as-of date, else its event's date.
    With --speaker, the events kept are those the speaker spoke at.
    """
    rows = queries.chained(conn, timeline_queries(conn, f, limit), lazy=True)
    rows = ({**{k: r[k] for k in TIMELINE_FIELDS}, "what": _short(r["what"])} for r in rows)
    return rows if lazy else list(rows)


def timeline_queries(conn: sqlite3.Connection, f: queries.Filters, limit: int | None = None) -> list[tuple[str, list]]:
    """The queries (SQL, parameters) whose rows, one query after another, are the timeline."""
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

    if limit is None and not speaker_ids and not f.events:
        return _in_date_order(ev, st, fi)
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
            SELECT {_EVENT_ROW} FROM events e {ev.sql()}
            UNION ALL
            SELECT {_STATEMENT_ROW} FROM {st_from} JOIN speakers sp ON sp.id = s.speaker_id {st_where}
            UNION ALL
            SELECT {_FIGURE_ROW} FROM {fi_from} LEFT JOIN speakers sp ON sp.id = f.reporter_id {fi_where}
        )
        ORDER BY sort_start IS NULL, sort_start, sort_end DESC, sort_kind, article_id, start, id{limit_sql}
    """
    return [(sql, [*ev.params, *st_params, *fi_params, *limit_params])]


def _in_date_order(ev: queries.Where, st: queries.Where, fi: queries.Where) -> list[tuple[str, list]]:
    """The whole timeline, or a span of dates of it, read in order off the date indexes.

    One sorted query would sort every row at once, and the SQLite that scoq reads with
    keeps its sorts in memory (built with SQLITE_TEMP_STORE=3): 350 MB for the 1.5
    million rows of 100,000 articles. Read instead through statements_when and
    figures_when, the kinds are merged as they come (MERGE (UNION ALL)), and only rows
    of the same dates are sorted together. The rows of unknown first day follow, those
    with a last day first (sorted, as they are few), then those of no date at all, each
    kind in its index's order."""
    kinds = (  # each kind's row, where it is read from, its filters, and its dates' columns
        (_EVENT_ROW, "events e", ev, "e.date"),
        (_STATEMENT_ROW, "statements s INDEXED BY statements_when JOIN speakers sp ON sp.id = s.speaker_id",
         st, "s.said"),
        (_FIGURE_ROW, "figures f INDEXED BY figures_when LEFT JOIN speakers sp ON sp.id = f.reporter_id",
         fi, "f.date"),
    )

    def select(row: str, source: str, w: queries.Where, dates: str) -> str:
        return f"SELECT {row} FROM {source} WHERE {' AND '.join([*w.clauses, dates])}"

    def merged(dates: str, order: str) -> tuple[str, list]:
        arms = [select(row, source, w, dates.format(col)) for row, source, w, col in kinds]
        return " UNION ALL ".join(arms) + f" ORDER BY {order}", [p for *_, w, _ in kinds for p in w.params]

    undated = [(select(row, source, w, f"{col}_start IS NULL AND {col}_end IS NULL") + f" ORDER BY {order}", w.params)
               for (row, source, w, col), order in zip(kinds, ("e.id", "s.article_id, s.start, s.id",
                                                              "f.article_id, f.start, f.id"))]
    return [merged("{0}_start IS NOT NULL", "sort_start, sort_end DESC, sort_kind, article_id, start, id"),
            merged("{0}_start IS NULL AND {0}_end IS NOT NULL", "sort_end DESC, sort_kind, article_id, start, id"),
            *undated]
