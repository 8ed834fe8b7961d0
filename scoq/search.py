"""Full-text search over statements and article bodies: ranked hits with exact offsets.

Words are found by SQLite FTS5 (``unicode61``: case and accents do not count) in its own
query syntax: phrases, AND/OR/NOT, prefix*. A query that syntax rejects (``U.S.``,
``SCO's``, an unbalanced quote) is run again with each of its words quoted, so every
query gets an answer. Chinese, Japanese and Korean are written without spaces between
words, and FTS5 would keep a whole run of such characters as one word; a query in those
scripts is therefore found as a substring of the text instead (a scan, ranked by how
often it occurs).

The words that matched are located with FTS5's own ``highlight()`` (between two control
characters that text never holds), so the snippet marks exactly what FTS5 matched.
"""

from __future__ import annotations

import math
import os
import re

from scoq import db, queries
from scoq.sqlite import parallel_reads, sqlite3

SEARCH_FIELDS = ("kind", "id", "article_id", "start", "end", "speaker", "said", "event_id", "snippet", "rank")

#: Characters of scripts written without spaces between words (Han, kana, Hangul, bopomofo).
CJK = re.compile(
    "[\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]"
)
OPEN, CLOSE = "\x02", "\x03"
MARKED = re.compile(f"{OPEN}([^{OPEN}{CLOSE}]*){CLOSE}")
SNIPPET_WIDTH = 160


def search(conn: sqlite3.Connection, query: str, f: queries.Filters, limit: int | None = None) -> list[dict]:
    """Statements and articles matching ``query``, best first (lowest rank)."""
    if not query.strip():
        raise queries.BadFilter("the search query is empty; give some words, e.g. scoq search terrorism")
    # One read transaction around all of it: FTS5 runs a statement of its own to read each
    # match's length for bm25(), and that costs a tenth less inside an open transaction.
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        statement_where, article_where = _scopes(conn, f)
        if CJK.search(query):
            hits = _substring_hits(conn, _terms(query), statement_where, article_where, limit)
        else:
            hits = _fts_hits(conn, query, statement_where, article_where, limit)
    finally:
        if own:
            conn.execute("COMMIT")
    hits.sort(key=lambda h: (h["rank"], h["kind"] != "statement", h["id"]))
    return hits[:limit] if limit is not None else hits


def _scopes(conn, f: queries.Filters):
    """WHERE clauses for statement hits and for article hits. An article is in scope for
    --meeting or --speaker when it has a statement (or, for an event, a figure) of it."""
    speaker_ids = queries.speaker_ids(conn, f.speakers)
    st = queries.Where()
    st.isin("s.speaker_id", speaker_ids)
    st.scope(conn, f, "s", "s.said_start", "s.said_end")

    ar = queries.Where()
    ar.isin("a.id", dict.fromkeys(i for x in f.articles for i in queries.match_articles(conn, x)))
    events = list(dict.fromkeys(i for e in f.events for i in queries.match_events(conn, e)))
    if events:
        marks = ", ".join("?" * len(events))
        ar.add(f"a.id IN (SELECT article_id FROM statements WHERE event_id IN ({marks}) "
               f"UNION SELECT article_id FROM figures WHERE event_id IN ({marks}))", *events, *events)
    if speaker_ids:
        ar.add(f"a.id IN (SELECT article_id FROM statements WHERE speaker_id IN ({', '.join('?' * len(speaker_ids))}))",
               *speaker_ids)
    ar.dates(f, "a.published_start", "a.published_end")
    return st, ar


def _quoted(query: str) -> str:
    """Every word as an FTS5 string, so that no character is read as syntax."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in query.split())


def _fts_hits(conn, query, st, ar, limit) -> list[dict]:
    try:
        return _fts_run(conn, query, st, ar, limit)
    except sqlite3.OperationalError as e:
        if not _syntax(e):
            raise
    try:
        return _fts_run(conn, _quoted(query), st, ar, limit)
    except sqlite3.OperationalError as e:
        raise queries.BadFilter(f"cannot search for {query!r}: {e}") from None


def _syntax(e: sqlite3.OperationalError) -> bool:
    """Whether FTS5 rejected the query's syntax (and not, say, a locked or broken file)."""
    message = str(e)
    return any(m in message for m in ("fts5", "syntax error", "no such column", "unterminated string",
                                      "unknown special query"))


def _and(where: queries.Where) -> str:
    return "".join(f" AND {c}" for c in where.clauses)


def _fts_run(conn, match, st, ar, limit) -> list[dict]:
    hits = []
    best = _best_of(conn, "statements_fts", "statements s", "s", match, st, limit)
    # Whether the articles could change the answer is settled on another connection
    # while the statement hits are read and highlighted here (at 100,000 articles a
    # two-word search ranks for about 43 ms, then checks for 3 beside reading for 2).
    settled = (_alongside(conn, "statements", lambda c: _articles_rank_below(c, match, best[-1][1]))
               if limit and len(best) >= limit else None)
    try:
        for r, rank, (marked,) in _read(conn, "statements_fts", _STATEMENTS, match, best):
            snippet, marks, _, _ = _snippet(r["text"], _spans(r["text"], marked))
            hits.append({"kind": "statement", "id": r["id"], "article_id": r["article_id"], "start": r["start"],
                         "end": r["end"], "speaker": r["speaker"], "said": r["said"], "event_id": r["event_id"],
                         "snippet": snippet, "marks": marks, "rank": rank})
    finally:
        outcome = settled and _attempt(settled)  # its connection is free again before this goes on
    if isinstance(outcome, BaseException):
        raise outcome
    if outcome:
        return hits
    best = _best_of(conn, "articles_fts", "articles a", "a", match, ar, limit)
    for r, rank, (marked_title, marked) in _read(conn, "articles_fts", _ARTICLES, match, best):
        spans = _spans(r["body"], marked)
        if spans or not r["title"]:
            snippet, marks, start, end = _snippet(r["body"], spans, within_line=True)
        else:  # only the title matched
            snippet, marks, _, _ = _snippet(r["title"], _spans(r["title"], marked_title))
            start, end = r["title_start"], r["title_end"]
        hits.append(_article_hit(r["id"], start, end, snippet, marks, rank))
    return hits


#: What a hit shows of a statement or an article, for ``rowid IN (...)`` (_read).
_STATEMENTS = """
    SELECT s.rowid AS _rowid, s.id, s.article_id, s.start, s."end", sp.name AS speaker, s.said, s.event_id, s.text
    FROM statements s JOIN speakers sp ON sp.id = s.speaker_id
    WHERE s.rowid"""
_ARTICLES = "SELECT a.rowid AS _rowid, a.id, a.body, a.title, a.title_start, a.title_end FROM articles a WHERE a.rowid"


def _best_of(conn, fts: str, table: str, alias: str, match: str, where: queries.Where, limit) -> list[tuple]:
    """(rowid, rank) of the best ``limit`` matches in ``fts`` (of rows of ``table`` that
    ``where`` keeps), best first; _read then reads and highlights them.

    The best are picked first, by FTS5's rank (bm25(), the default rank) and then rowid,
    and only they are then read and highlighted: highlight() over every match of a common
    word would cost far more than finding the best ones. Asked as ``ORDER BY bm25(...)``
    rather than ``ORDER BY rank``, SQLite keeps only the best ``limit`` as it goes, where
    FTS5 would sort every match first (a third of the time on a common word); rowid
    breaks ties as that sort did, in the order FTS5 reads the matches.

    With filters (a speaker, dates, an event), FTS5 reads the matches once and each is
    looked up: in a temporary table of the rows in scope when they are few (_narrow),
    else among all the rows, with the filters. Asked as ``rowid IN (SELECT ...)``, FTS5
    runs the whole match again for every row in scope, which for a common word took
    seconds (``"the plan" --speaker X``: 5.6 s at 100,000 articles, 0.1 s this way)."""
    limit_sql, limit_params = queries.limit_sql(limit)
    if where.clauses and not _narrow(conn, table, where):
        best = _best(conn, fts, table.split()[0], f"CROSS JOIN {table} ON {alias}.rowid = {fts}.rowid",
                     f" AND {' AND '.join(where.clauses)}", [match, *where.params], limit, limit_sql, limit_params)
    elif where.clauses:
        scope = f"scope_{alias}"
        conn.execute(f"CREATE TEMP TABLE {scope} (id INTEGER PRIMARY KEY)")
        try:
            conn.execute(f"INSERT INTO temp.{scope} SELECT {alias}.rowid FROM {table} "
                         f"WHERE {' AND '.join(where.clauses)}", where.params)
            best = conn.execute(f"SELECT {fts}.rowid, bm25({fts}) AS r FROM {fts} "
                                f"CROSS JOIN temp.{scope} AS scope ON scope.id = {fts}.rowid "
                                f"WHERE {fts} MATCH ? ORDER BY r, {fts}.rowid{limit_sql}",
                                [match, *limit_params]).fetchall()
        finally:
            conn.execute(f"DROP TABLE temp.{scope}")
    else:
        best = _best(conn, fts, table.split()[0], "", "", [match], limit, limit_sql, limit_params)
    return best


def _read(conn, fts: str, sql: str, match: str, best: list[tuple]) -> list[tuple]:
    """(row, rank, marked) for each of ``best`` (_best_of), in its order: the row of
    ``sql`` (a SELECT of the rows ``fts`` indexes, their rowid first as ``_rowid``, ending
    in ``WHERE <rowid>``), and each column that ``fts`` indexes as FTS5's highlight()
    marks the words of ``match`` in it (None where it marks none)."""
    columns = [c.strip() for c in db.FULL_TEXT[fts][1].split(",")]
    rank = dict(best)
    rows = []
    for i in range(0, len(best), 500):  # in batches, within SQLite's limit on parameters
        rowids = [r[0] for r in best[i:i + 500]]
        rows += conn.execute(f"{sql} IN ({', '.join('?' * len(rowids))})", rowids).fetchall()
    marked = _marked(conn, columns, [(r["_rowid"], *(r[c] for c in columns)) for r in rows], match)
    none = (None,) * len(columns)
    return sorted(((r, rank[r["_rowid"]], marked.get(r["_rowid"], none)) for r in rows),
                  key=lambda p: (p[1], p[0]["id"]))


def _marked(conn, columns: list[str], rows: list[tuple], match: str) -> dict[int, tuple]:
    """highlight() of each of ``columns`` for ``match``, by rowid, of ``rows`` ((rowid,
    *values)), asked of a temporary full-text table of these rows alone that cuts words
    as the database's do. highlight() looks at nothing but a row and the query, so it
    marks the same words here as in the whole table, where FTS5 sets up the query again
    for each rowid asked for: 50 hits at 100,000 articles took 2.4 ms there, 0.8 here."""
    if not rows:
        return {}
    names = ", ".join(columns)
    conn.execute(f"CREATE VIRTUAL TABLE temp.search_marks USING fts5({names}, tokenize='{db.FTS_TOKENIZE}')")
    try:
        conn.executemany(f"INSERT INTO temp.search_marks (rowid, {names}) VALUES (?{', ?' * len(columns)})", rows)
        marks = ", ".join(f"highlight(search_marks, {i}, '{OPEN}', '{CLOSE}')" for i in range(len(columns)))
        return {r[0]: tuple(r[1:]) for r in conn.execute(
            f"SELECT rowid, {marks} FROM temp.search_marks WHERE search_marks MATCH ?", [match])}
    finally:
        conn.execute("DROP TABLE temp.search_marks")


#: Rows of a table from which the ranking of its matches is shared between threads.
SPLIT_MIN = 100_000


def _best(conn, fts: str, table: str, join: str, where: str, params: list, limit, limit_sql: str,
          limit_params: list) -> list[tuple]:
    """(rowid, bm25) of the best ``limit`` matches in ``fts`` (``params`` begin with the
    MATCH; ``join`` and ``where`` add filters), best first.

    bm25() costs about half a microsecond a match, so a word in most of a million
    statements takes tens of milliseconds: on a large table each range of rowids is
    ranked on its own (_by_range). bm25 reads its statistics from the whole table
    whatever range is asked, so every match gets the rank it gets in one query, and the
    merge by (rank, rowid) gives the same rows in the same order."""
    sql = (f"SELECT {fts}.rowid, bm25({fts}) AS r FROM {fts} {join} WHERE {fts} MATCH ?{where} "
           f"AND {fts}.rowid BETWEEN ? AND ? ORDER BY r, {fts}.rowid{limit_sql}")
    parts = _by_range(conn, table, lambda c, lo, hi: c.execute(sql, [*params, lo, hi, *limit_params]).fetchall())
    if len(parts) == 1:
        return parts[0]
    merged = sorted((row for rows in parts for row in rows), key=lambda row: (row[1], row[0]))
    return merged[:limit] if limit else merged


def _by_range(conn, table: str, query) -> list:
    """``query(connection, first rowid, last rowid)`` for each range of ``table``'s rowids
    (_ranges), in order: all but the first on connections of their own, in threads, side
    by side with the first here (SQLite lets go of the GIL while it steps)."""
    ranges = _ranges(conn, table)
    if len(ranges) < 2:
        return [query(conn, *ranges[0])]
    waits = [_begun(c, lambda c, r=r: query(c, *r)) for c, r in zip(conn.companions(len(ranges) - 1), ranges[1:])]
    out = [_attempt(query, conn, *ranges[0]), *(_attempt(wait) for wait in waits)]
    for r in out:  # raised once every thread is done
        if isinstance(r, BaseException):
            raise r
    return out


def _alongside(conn, table: str, work):
    """``work(connection)`` on a connection of its own in a thread, begun now, when
    ``table`` is large enough to be read in ranges (_ranges), else here; returns a
    function that waits for its result."""
    if len(_ranges(conn, table)) < 2:
        result = work(conn)
        return lambda: result
    return _begun(conn.companions(1)[0], work)


def _begun(c, work):
    """``work(c)`` begun in a thread; returns a function that waits for it and returns
    its result, or raises what it raised."""
    import threading

    out: list = []
    thread = threading.Thread(target=lambda: out.append(_attempt(work, c)), daemon=True)
    thread.start()

    def wait():
        thread.join()
        if isinstance(out[0], BaseException):
            raise out[0]
        return out[0]

    return wait


def _attempt(work, *args):
    """``work(*args)``, or the exception it raised."""
    try:
        return work(*args)
    except BaseException as e:
        return e


def _ranges(conn, table: str) -> list[tuple[int, int]]:
    """Rowid ranges of ``table`` to read in parallel: one per core (up to four) when the
    table is large and this SQLite reads well in parallel, else one. (Reading the
    bounds also starts this connection's read, which its companions then share: with a
    rollback journal no ingest can commit while it lasts. In WAL mode, which someone may
    have set with another tool, a companion could read a newer snapshot: one range.)"""
    # Two subqueries: SQLite reads min() or max() of the rowid off the b-tree's edge only
    # when a query asks for one of them.
    lo, hi = conn.execute(f"SELECT (SELECT min(rowid) FROM {table}), (SELECT max(rowid) FROM {table})").fetchone()
    cores = min(os.cpu_count() or 1, 4)
    if (lo is None or hi - lo + 1 < SPLIT_MIN or cores < 2 or not hasattr(conn, "companions")
            or not parallel_reads() or conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"):
        return [(lo or 0, hi or 0)]
    step = (hi - lo + cores) // cores
    return [(a, min(a + step - 1, hi)) for a in range(lo, hi + 1, step)]


#: Rows in scope up to which a filtered search puts them in a table of their own.
SCOPE_TABLE_MAX = 50_000


def _narrow(conn, table: str, where: queries.Where) -> bool:
    """Whether the filters leave few enough rows to put in a table of their own that each
    match is looked up in (an insert per row in scope, then a small table to look in).
    Past that, each match is looked up among all the rows, which costs more per match but
    nothing per row in scope: ``extradition --since 2020`` at 100,000 articles, half a
    million statements in scope, takes 0.14 s, where the table of them took 0.32 s."""
    n = conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {' AND '.join(where.clauses)} "
                     f"LIMIT {SCOPE_TABLE_MAX + 1})", where.params).fetchone()[0]
    return n <= SCOPE_TABLE_MAX


#: A query that is a plain conjunction: words and "strings" only, each of them one phrase
#: that every match holds (no operator, column filter, prefix or group).
_CONJUNCTION_WORD = re.compile(r'\w+|"(?:[^"\s]|"")*"')
_OPERATORS = ("AND", "OR", "NOT", "NEAR")


def _articles_rank_below(conn, match: str, worst: float) -> bool:
    """Whether no article can rank before ``worst`` (the last of the statement hits kept),
    so that searching the articles would not change the answer.

    bm25 is minus the sum, over the query's phrases, of idf * f * (k1 + 1) / (f + k1 * (1 - b
    + b * D / avgdl)), and that fraction is below k1 + 1 = 2.2 for every article. In a
    conjunction every article that matches holds every phrase, so no phrase is in fewer
    articles than the whole query (m), and idf, which falls as that count rises, is at most
    log((N - m + 0.5) / (m + 0.5)) (FTS5 puts 1e-6 for an idf of 0 or less). A word found in
    most articles thus has an idf near nothing there, while its statements still rank by it.

    Since the bound only tightens as m rises, the matching articles are counted only as far
    as the smallest m that settles it (at 100,000 articles, counting a two-word query's
    58,000 matches took 6 ms; the check now takes 3 to 5)."""
    words = match.split()
    if not all(_CONJUNCTION_WORD.fullmatch(w) and w not in _OPERATORS for w in words):
        return False
    # The articles' largest rowid is at least FTS5's count of rows, and idf rises with that count.
    n = conn.execute("SELECT max(rowid) FROM articles").fetchone()[0] or 0

    def settled(m: int) -> bool:
        idf = max(1e-6, math.log((n - m + 0.5) / (m + 0.5)))
        return -2.2 * idf * len(words) * (1 + 1e-9) >= worst  # the margin covers rounding

    def count(most: int | None) -> int:
        cap = "" if most is None else f" LIMIT {most}"
        return conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM articles_fts WHERE articles_fts MATCH ?{cap})",
                            [match]).fetchone()[0]

    # The smallest m with log((N - m + 0.5) / (m + 0.5)) <= x, where x is the largest idf
    # that still settles it; with x below FTS5's least idf, no m but 0 does.
    x = -worst / (2.2 * len(words) * (1 + 1e-9))
    if x < 1e-6:
        return count(1) == 0
    e = math.exp(min(x, 700.0))
    enough = max(1, math.ceil((n + 0.5 - 0.5 * e) / (1 + e)))
    m = count(enough)
    if m == 0:
        return True
    if m < enough:  # all of them counted
        return settled(m)
    return settled(m) or settled(count(None))


def _article_hit(article_id, start, end, snippet, marks, rank) -> dict:
    return {"kind": "article", "id": article_id, "article_id": article_id, "start": start, "end": end,
            "speaker": None, "said": None, "event_id": None, "snippet": snippet, "marks": marks, "rank": rank}


def _terms(query: str) -> list[str]:
    """The words of a substring query: "quoted phrases" stay whole; FTS operators are dropped."""
    terms = [a or b for a, b in re.findall(r'"([^"]*)"|(\S+)', query)]
    return [t.strip('"') for t in terms if t.strip('"') and t not in ("AND", "OR", "NOT")]


def _occurrences(text: str, terms: list[str]) -> list[tuple[int, int]] | None:
    """Where each term occurs in ``text`` (case ignored); None unless every term does."""
    spans = []
    for term in terms:
        found = [m.span() for m in re.finditer(re.escape(term), text, re.IGNORECASE)]
        if not found:
            return None
        spans += found
    return sorted(spans)


def _substring_hits(conn, terms, st, ar, limit=None) -> list[dict]:
    """The best ``limit`` hits for a query in a script without spaces: each term a
    substring; rank is minus the number of occurrences, so that more occurrences come
    first, like bm25. Both tables are scanned, a range of rows per core (_by_range), and
    snippets are made for the hits kept."""
    if not terms:
        return []
    # SQL narrows the rows by the terms in those scripts (they have no case); Python's
    # case-blind match decides, as SQLite's lower() knows only ASCII.
    narrow = [t for t in terms if CJK.search(t)]
    like = " AND ".join("instr({col}, ?) > 0" for _ in narrow) or "1"
    scans = (
        ("statements", False, [*narrow, *st.params], f"""
            SELECT s.id, s.article_id, s.start, s."end", sp.name AS speaker, s.said, s.event_id, s.text
            FROM statements s JOIN speakers sp ON sp.id = s.speaker_id
            WHERE {like.format(col='s.text')}{_and(st)} AND s.rowid BETWEEN ? AND ?"""),
        ("articles", True, [*narrow, *ar.params], f"""
            SELECT a.id, a.body AS text FROM articles a
            WHERE {like.format(col='a.body')}{_and(ar)} AND a.rowid BETWEEN ? AND ?"""),
    )
    found = []
    for table, is_article, params, sql in scans:
        for rows in _by_range(conn, table, lambda c, lo, hi: c.execute(sql, [*params, lo, hi]).fetchall()):
            for r in rows:
                spans = _occurrences(r["text"], terms)
                if spans is not None:
                    found.append((-float(len(spans)), is_article, r["id"], r, spans))
    found.sort(key=lambda hit: hit[:3])  # as search() orders hits: rank, statements first, id
    hits = []
    for rank, is_article, _, r, spans in (found[:limit] if limit is not None else found):
        if is_article:
            snippet, marks, start, end = _snippet(r["text"], spans, within_line=True)
            hits.append(_article_hit(r["id"], start, end, snippet, marks, rank))
        else:
            snippet, marks, _, _ = _snippet(r["text"], spans)
            hits.append({"kind": "statement", "id": r["id"], "article_id": r["article_id"], "start": r["start"],
                         "end": r["end"], "speaker": r["speaker"], "said": r["said"], "event_id": r["event_id"],
                         "snippet": snippet, "marks": marks, "rank": rank})
    return hits


def _spans(text: str, marked: str | None) -> list[tuple[int, int]]:
    """Offsets in ``text`` of the runs FTS5's highlight() put between OPEN and CLOSE."""
    if marked is None or OPEN in text or CLOSE in text:
        return []
    spans = []
    for k, m in enumerate(MARKED.finditer(marked)):
        start = m.start() - 2 * k  # each run before this one added two marker characters
        spans.append((start, start + len(m.group(1))))
    return spans if len(marked) - 2 * len(spans) == len(text) else []


def _snippet(text: str, spans, within_line: bool = False):
    """A window of ``text`` around the first match, white space collapsed.

    Returns (snippet, marks, start, end): ``marks`` are the matches' offsets in the snippet,
    ``start``/``end`` the window's offsets in ``text``, so that the snippet is
    ``" ".join(text[start:end].split())``. An article's window stays within the line
    (its paragraph) of the first match.
    """
    first = spans[0] if spans else (0, 0)
    lo, hi = 0, len(text)
    if within_line:
        lo = text.rfind("\n", 0, first[0]) + 1
        nl = text.find("\n", first[1])
        hi = len(text) if nl < 0 else nl
    if hi - lo > SNIPPET_WIDTH:
        a = max(lo, first[0] - SNIPPET_WIDTH // 3)
        b = min(hi, max(a + SNIPPET_WIDTH, first[1]))
        if a > lo and not text[a - 1].isspace():  # start and end on word boundaries
            space = text.find(" ", a, first[0])
            a = space + 1 if space >= 0 else a
        if b < hi and not text[b].isspace():
            space = text.rfind(" ", first[1], b)
            b = space if space >= 0 else b
        lo, hi = a, b
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    out, where, last_space = [], {}, False
    for i in range(lo, hi):
        ch = text[i]
        if ch.isspace():
            if not last_space:
                out.append(" ")
            last_space = True
            where[i] = len(out) - 1
            continue
        last_space = False
        where[i] = len(out)
        out.append(ch)
    marks = [(where[s], where[e - 1] + 1) for s, e in spans if lo <= s and e <= hi and s < e]
    return "".join(out), marks, lo, hi
