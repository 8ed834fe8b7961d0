"""Questions asked of the database, answered as plain rows (dicts with stable keys).

Nothing here prints or formats: a query takes a read-only connection and filters,
and returns rows or raises NotFound / Ambiguous for the command line to report.
User input is always bound as a parameter, never pasted into SQL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scoq.names import fold, stem
from scoq.sqlite import sqlite3

if TYPE_CHECKING:
    from scoq import dates


class NotFound(LookupError):
    """Nothing matched a name; ``suggestions`` holds close names."""

    def __init__(self, message: str, suggestions: list[str] | None = None):
        self.suggestions = suggestions or []
        super().__init__(message)


class Ambiguous(LookupError):
    """A name matched several things where one was needed."""

    def __init__(self, message: str, candidates: list[dict]):
        self.candidates = candidates
        super().__init__(message)


class BadFilter(ValueError):
    """A filter value that cannot be used, such as an impossible date."""


class Filters:
    """The filters every listing shares; empty means no filter.

    A plain class, not a dataclass, so that a piped query need not import dataclasses."""

    __slots__ = ("since", "until", "events", "articles", "types", "speakers", "units", "about")

    def __init__(self, since: str | None = None, until: str | None = None, events: tuple[str, ...] = (),
                 articles: tuple[str, ...] = (), types: tuple[str, ...] = (), speakers: tuple[str, ...] = (),
                 units: tuple[str, ...] = (), about: str | None = None):
        self.since, self.until, self.events, self.articles = since, until, events, articles
        self.types, self.speakers, self.units, self.about = types, speakers, units, about

    def _values(self) -> tuple:
        return tuple(getattr(self, k) for k in self.__slots__)

    def __eq__(self, other):
        return self._values() == other._values() if type(other) is Filters else NotImplemented

    def __repr__(self) -> str:
        return "Filters(" + ", ".join(f"{k}={getattr(self, k)!r}" for k in self.__slots__) + ")"


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def match_speakers(conn: sqlite3.Connection, name: str) -> list[dict]:
    """Speakers a name stands for: an exact id, name or alias first, else names that
    start with the words given ("liao"), else names that contain them."""
    q = fold(name)
    if not q:
        return []
    like = like_escape(q)
    for where, params in (
        ("a.norm = ? OR a.speaker_id = ?", [q, name]),
        ("a.norm LIKE ? ESCAPE '\\' OR a.norm LIKE ? ESCAPE '\\'", [like + "%", "% " + like + "%"]),
        ("a.norm LIKE ? ESCAPE '\\'", ["%" + like + "%"]),
    ):
        rows = conn.execute(
            f"""SELECT DISTINCT s.id, s.name, s.kind FROM speakers s JOIN aliases a ON a.speaker_id = s.id
                WHERE {where} ORDER BY s.name""",
            params,
        ).fetchall()
        if rows:
            return [dict(r) for r in rows]
    return []


def close_names(conn: sqlite3.Connection, name: str, table: str = "aliases") -> list[str]:
    """Names close to a misspelt one, for 'did you mean'."""
    if table == "aliases":
        names = [r[0] for r in conn.execute("SELECT alias FROM aliases")]
    else:
        names = [r[0] for r in conn.execute("SELECT id FROM events")] + [
            r[0] for r in conn.execute("SELECT name FROM events")
        ]
    import difflib

    by_fold = {fold(n): n for n in names}
    hits = difflib.get_close_matches(fold(name), list(by_fold), n=3, cutoff=0.6)
    return [by_fold[h] for h in hits]


def speaker_ids(conn: sqlite3.Connection, names) -> list[str]:
    """The one speaker each name stands for (NotFound or Ambiguous otherwise)."""
    return [resolve_speaker(conn, name)["id"] for name in names]


def resolve_speaker(conn: sqlite3.Connection, name: str) -> dict:
    """The one speaker ``name`` stands for; NotFound or Ambiguous otherwise."""
    found = match_speakers(conn, name)
    if not found:
        raise NotFound(f"no speaker matches '{name}'", close_names(conn, name))
    if len(found) > 1:
        raise Ambiguous(f"'{name}' matches {len(found)} speakers; name one of them", found)
    return found[0]


def match_events(conn: sqlite3.Connection, text: str) -> list[str]:
    """Event ids for a slug, or words of its slug or kind ("frontier", "summit"), else
    words of its name or aliases ("heads of frontier authorities")."""
    words = fold(text).replace("-", " ").split()
    if not words:
        return []
    patterns = ["%" + like_escape(w) + "%" for w in words]
    # A word holds no space or '-', so it is in the slug's words or the kind exactly when
    # it is in the slug or the kind: each is asked of the columns as stored, as building
    # the one string of both cost most of a --meeting query at 3,000 events.
    for columns in (("id", "kind"), ("match",)):
        where = " AND ".join("(" + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in columns) + ")" for _ in words)
        params = [p for p in patterns for _ in columns]
        rows = conn.execute(
            f"SELECT id FROM events WHERE id = ? OR ({where}) ORDER BY id != ?, date_start, id",
            [text, *params, text],
        ).fetchall()
        ids = [r[0] for r in rows]
        if ids:
            return ids
    raise NotFound(f"no event matches '{text}'", close_names(conn, text, "events"))


def match_articles(conn: sqlite3.Connection, text: str) -> list[str]:
    """Article ids for an id or the start of one ("000")."""
    rows = conn.execute(
        "SELECT id FROM articles WHERE id = ? OR id LIKE ? ESCAPE '\\' ORDER BY id",
        [text, like_escape(text) + "%"],
    ).fetchall()
    if not rows:
        import difflib

        ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]
        raise NotFound(f"no article matches '{text}'", difflib.get_close_matches(text, ids, n=3))
    return [r[0] for r in rows]


def _span(value: str, option: str) -> dates.Span:
    from scoq import dates

    try:
        return dates.parse(value)
    except dates.DateError as e:
        raise BadFilter(f"{option}: {e}") from None


class Where:
    """WHERE clauses and their bound parameters, built filter by filter."""

    def __init__(self):
        self.clauses: list[str] = []
        self.params: list = []

    def add(self, clause: str, *params) -> None:
        self.clauses.append(clause)
        self.params += params

    def isin(self, column: str, values) -> None:
        values = list(values)
        if values:
            self.add(f"{column} IN ({', '.join('?' * len(values))})", *values)

    def scope(self, conn, f: "Filters", prefix: str, start: str, end: str) -> None:
        """The filters every listing shares: events, articles, and dates that overlap
        [since, until] (rows of unknown date drop out when a date is asked for)."""
        self.isin(f"{prefix}.event_id", dict.fromkeys(i for e in f.events for i in match_events(conn, e)))
        self.isin(f"{prefix}.article_id", dict.fromkeys(i for a in f.articles for i in match_articles(conn, a)))
        self.dates(f, start, end)

    def dates(self, f: "Filters", start: str, end: str) -> None:
        """Rows whose [start, end] overlaps [--since, --until]."""
        if f.since:
            self.add(f"{end} >= ?", _span(f.since, "--since").start)
        if f.until:
            self.add(f"{start} <= ?", _span(f.until, "--until").end)

    def sql(self) -> str:
        return "WHERE " + " AND ".join(self.clauses) if self.clauses else ""


def dicts(conn: sqlite3.Connection, sql: str, params=(), lazy: bool = False):
    """Rows as dicts keyed by column name: a list, or with ``lazy`` an iterator that
    reads each row as it is asked for, so that a million rows written out one by one
    never sit in memory together. Zipping plain tuples with the names is several times
    faster than dict(sqlite3.Row), which shows on hundreds of rows."""
    cur = conn.cursor()
    cur.row_factory = None
    cur.execute(sql, params)
    names = [d[0] for d in cur.description]
    rows = (dict(zip(names, r)) for r in cur)
    return rows if lazy else list(rows)


def chained(conn: sqlite3.Connection, parts: list[tuple[str, list]], lazy: bool = False):
    """The rows (dicts) of several queries (SQL, parameters), one query after another; each
    is run only when the rows before it have been read. See dicts for ``lazy``."""
    rows = (row for sql, params in parts for row in dicts(conn, sql, params, lazy=True))
    return rows if lazy else list(rows)


def limit_sql(limit: int | None) -> tuple[str, list]:
    """A bound LIMIT clause and its parameter; nothing when there is no limit."""
    return (" LIMIT ?", [limit]) if limit is not None else ("", [])


STATEMENT_FIELDS = (
    "statement_id", "said", "said_precision", "said_basis", "said_as_written", "speaker_id", "speaker", "role",
    "source", "cue", "type", "event_id", "event", "claim_id", "claim", "text", "start", "end",
    "article_id", "outlet", "published", "title", "url",
)


def statements(conn: sqlite3.Connection, speaker_ids: list[str], f: Filters, limit: int | None = None,
               lazy: bool = False):
    """Statements by the given speakers (all if empty), oldest first; an iterator with
    ``lazy`` (see dicts)."""
    where = Where()
    where.isin("s.speaker_id", speaker_ids)
    where.isin("s.type", f.types)
    where.scope(conn, f, "s", "s.said_start", "s.said_end")
    limit = limit_sql(limit)
    sql = f"""
        SELECT s.id AS statement_id, s.said, s.said_precision, s.said_basis, s.said_as AS said_as_written,
               s.speaker_id, sp.name AS speaker, s.role, s.source, s.cue, s.type,
               s.event_id, e.name AS event, s.claim_id, c.summary AS claim,
               s.text, s.start, s."end", s.article_id, o.name AS outlet, a.published,
               a.title, a.url
        FROM statements s
        JOIN speakers sp ON sp.id = s.speaker_id
        JOIN articles a ON a.id = s.article_id
        LEFT JOIN organizations o ON o.id = a.outlet_id
        LEFT JOIN events e ON e.id = s.event_id
        LEFT JOIN claims c ON c.id = s.claim_id
        {where.sql()}
        ORDER BY s.said_start IS NULL, s.said_start, a.published_start, s.article_id, s.start, s.id{limit[0]}
    """
    return dicts(conn, sql, where.params + limit[1], lazy)


FIGURE_FIELDS = (
    "figure_id", "quantity", "value_text", "value", "low", "high", "qualifier", "mod", "unit",
    "counts", "action", "period", "period_as_written", "as_of", "as_of_as_written", "event_id", "event",
    "reporter_id", "reporter", "text", "start", "end", "article_id", "outlet", "published",
)


def figures(conn: sqlite3.Connection, f: Filters, limit: int | None = None, lazy: bool = False):
    """Reported figures matching the filters, in date order; an iterator with ``lazy``
    (see dicts)."""
    where = Where()
    where.isin("f.reporter_id", speaker_ids(conn, f.speakers))
    where.isin("f.unit COLLATE NOCASE", f.units)  # as lower() did: ASCII case, read off figures_unit
    for word in map(stem, fold(f.about or "").split()):  # "members" also finds "member states"
        where.add("lower(f.counts || ' ' || coalesce(f.action, '') || ' ' || f.text) LIKE ? ESCAPE '\\'",
                  "%" + like_escape(word) + "%")
    # A figure's date is the date it is about (figures.date_*, worked out at ingest).
    where.scope(conn, f, "f", "f.date_start", "f.date_end")
    order = "f.date_start IS NULL, f.date_start, f.article_id, f.start, f.id"
    if limit is None and not (f.speakers or f.units or f.events or f.articles):
        return _figures_in_date_order(conn, where, undated=not f.until, lazy=lazy)
    if limit is None:
        source, where_sql, params = "figures f", where.sql(), where.params
    else:
        source, params = picked("figures", "f", "", where, order, limit)
        where_sql = ""
    return dicts(conn, _figure_rows(source, where_sql, order), params, lazy)


def _figure_rows(source: str, where_sql: str, order: str) -> str:
    """A query for the figures of ``source`` (aliased f), whole and joined, in ``order``."""
    return f"""
        SELECT f.id AS figure_id, f.quantity, f.value_text, f.value, f.low, f.high,
               f.qualifier, f.mod, f.unit, f.counts, f.action, f.period, f.period_as AS period_as_written,
               f.as_of, f.as_of_as AS as_of_as_written,
               f.event_id, e.name AS event, f.reporter_id, sp.name AS reporter,
               f.text, f.start, f."end", f.article_id, o.name AS outlet, a.published
        FROM {source}
        JOIN articles a ON a.id = f.article_id
        LEFT JOIN organizations o ON o.id = a.outlet_id
        LEFT JOIN events e ON e.id = f.event_id
        LEFT JOIN speakers sp ON sp.id = f.reporter_id
        {where_sql}
        ORDER BY {order}
    """


def _figures_in_date_order(conn: sqlite3.Connection, where: Where, undated: bool, lazy: bool):
    """Every figure that ``where`` keeps, in ``figures``' order, read without sorting them
    all at once (the SQLite scoq reads with keeps a sort in memory, whatever its size: see
    listings._in_date_order): the dated ones off figures_when, sorted only among those of
    the same first day, then those of unknown first day article by article off
    figures_article (none is on or before an --until)."""
    def where_sql(dated: str) -> str:
        return "WHERE " + " AND ".join([dated, *where.clauses])

    parts = [(_figure_rows("figures f INDEXED BY figures_when", where_sql("f.date_start IS NOT NULL"),
                           "f.date_start, f.article_id, f.start, f.id"), where.params)]
    if undated:
        parts.append((_figure_rows("figures f INDEXED BY figures_article", where_sql("f.date_start IS NULL"),
                                   "f.article_id, f.start, f.id"), where.params))
    return chained(conn, parts, lazy)


def picked(table: str, alias: str, joins: str, where: Where, order: str, limit: int) -> tuple[str, list]:
    """A FROM clause, and its parameters, for the first ``limit`` rows of ``table`` that
    ``where`` keeps, by ``order``: their rowids are picked on the sort keys alone, and
    only those rows are then read whole and joined to the rest. A large table's other
    columns and joins are thus read for the rows shown, not for every row sorted."""
    return (f"(SELECT {alias}.rowid AS pick FROM {table} {alias} {joins} {where.sql()} ORDER BY {order} LIMIT ?) "
            f"AS picked CROSS JOIN {table} {alias} ON {alias}.rowid = picked.pick", [*where.params, limit])


def picked_halves(table: str, alias: str, where: Where, start: str, keys: str, limit: int,
                  index: str | None = None) -> tuple[str, list]:
    """A FROM clause, and its parameters, for the first ``limit`` rows of ``table`` by
    ``keys`` whose ``start`` is known and the first ``limit`` whose ``start`` is not, read
    whole: the rows are picked on the sort keys alone, off an index that holds them in
    that order (``index`` names another one to use). The caller orders the two halves
    together with ``start IS NULL`` first, and cuts them to ``limit``."""
    via = f"INDEXED BY {index}" if index else ""
    half = [f"SELECT {alias}.rowid FROM {table} {alias} {via} WHERE {' AND '.join([*where.clauses, c])} "
            f"ORDER BY {keys} LIMIT ?" for c in (f"{start} IS NOT NULL", f"{start} IS NULL")]
    return (f"(SELECT rowid AS pick FROM ({half[0]}) UNION ALL SELECT rowid FROM ({half[1]})) AS picked "
            f"CROSS JOIN {table} {alias} ON {alias}.rowid = picked.pick", [*where.params, limit, *where.params, limit])


# Curation: one article and its annotations, for show and verify.

ARTICLE_FIELDS = (
    "article_id", "title", "outlet_id", "outlet", "url", "published", "published_precision",
    "published_basis", "byline", "language", "chars", "path", "annotation_path", "sha256",
    "annotation_sha256",
)


def resolve_article(conn: sqlite3.Connection, text: str) -> str:
    """The one article id that ``text`` (an id or the start of one) stands for."""
    ids = match_articles(conn, text)
    if len(ids) > 1 and text not in ids:
        found = conn.execute(
            f"""SELECT a.id, coalesce(a.title, '(no title)') AS name, coalesce(o.name, 'outlet unknown') AS kind
                FROM articles a LEFT JOIN organizations o ON o.id = a.outlet_id
                WHERE a.id IN ({', '.join('?' * len(ids))}) ORDER BY a.id""", ids).fetchall()
        raise Ambiguous(f"'{text}' matches {len(ids)} articles; name one of them", [dict(r) for r in found])
    return text if text in ids else ids[0]


def articles_recorded(conn: sqlite3.Connection, article_id: str | None = None) -> list[dict]:
    """Every article's metadata as ingested (or one article's), without its text."""
    where, params = ("WHERE a.id = ?", [article_id]) if article_id is not None else ("", [])
    return dicts(conn,
        f"""SELECT a.id AS article_id, a.title, a.outlet_id, o.name AS outlet, a.url, a.published,
                   a.published_precision, a.published_basis, a.byline, a.language, a.chars, a.path,
                   a.annotation_path, a.sha256, a.annotation_sha256
            FROM articles a LEFT JOIN organizations o ON o.id = a.outlet_id {where} ORDER BY a.id""", params)


def article(conn: sqlite3.Connection, article_id: str) -> dict:
    """One article's metadata (ARTICLE_FIELDS) and its verbatim ``text``."""
    meta = articles_recorded(conn, article_id)[0]
    meta["text"] = conn.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()[0]
    return meta


SPAN_FIELDS = ("kind", "id", "start", "end", "speaker_id", "speaker", "type", "text", "article_id")

#: Each kind of span: what it is, for show and verify. ``type`` is the statement's
#: type, the figure's unit, the furniture's kind, or the date a date's words resolve to.
SPAN_KINDS = ("title", "furniture", "statement", "source", "cue", "role", "date", "figure", "quantity")


def spans(conn: sqlite3.Connection, article_id: str) -> list[dict]:
    """Every annotated span of one article, in text order: page furniture, statements with
    their source, cue, role and date words, and figures with their quantity."""
    who = "s.speaker_id, sp.name"
    by = "f.reporter_id, sp.name"
    parts = [
        "SELECT 'title' AS kind, NULL AS id, title_start AS start, title_end AS \"end\", NULL AS speaker_id, "
        "NULL AS speaker, NULL AS type, title AS text, id AS article_id FROM articles "
        "WHERE id = :a AND title_start IS NOT NULL",
        "SELECT 'furniture', NULL, start, \"end\", NULL, NULL, kind, text, article_id FROM furniture "
        "WHERE article_id = :a",
    ]
    for kind, start, end, type_, text in (
        ("statement", "s.start", 's."end"', "s.type", "s.text"),
        ("source", "s.source_start", "s.source_end", "NULL", "s.source"),
        ("cue", "s.cue_start", "s.cue_end", "NULL", "s.cue"),
        ("role", "s.role_start", "s.role_end", "NULL", "s.role"),
        ("date", "s.said_as_start", "s.said_as_end", "s.said", "s.said_as"),
    ):
        parts.append(f"SELECT '{kind}', s.id, {start}, {end}, {who}, {type_}, {text}, s.article_id "
                     f"FROM statements s JOIN speakers sp ON sp.id = s.speaker_id "
                     f"WHERE s.article_id = :a AND {start} IS NOT NULL")
    for kind, start, end, text in (("figure", "f.start", 'f."end"', "f.text"),
                                   ("quantity", "f.quantity_start", "f.quantity_end", "f.quantity")):
        parts.append(f"SELECT '{kind}', f.id, {start}, {end}, {by}, f.unit, {text}, f.article_id "
                     f"FROM figures f LEFT JOIN speakers sp ON sp.id = f.reporter_id WHERE f.article_id = :a")
    rank = " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(SPAN_KINDS))
    sql = (f"SELECT * FROM ({' UNION ALL '.join(parts)}) "
           f'ORDER BY start, "end" DESC, CASE kind {rank} END, id')
    rows = conn.execute(sql, {"a": article_id}).fetchall()
    return [dict(zip(SPAN_FIELDS, r)) for r in rows]


def meta(conn: sqlite3.Connection) -> dict[str, str]:
    """What ingest recorded about the corpus: its folder, hashes, versions."""
    return {r[0]: r[1] for r in conn.execute("SELECT key, value FROM meta")}
