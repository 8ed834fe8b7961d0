"""Full-text search on real databases: ranking, offsets, awkward queries, Chinese text."""

import math

import pytest

from scoq import queries, search
from scoq.queries import Filters
from scoq.sqlite import sqlite3


def article_text(conn, article_id):
    return conn.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()[0]


def test_statement_hits_carry_the_statements_span(conn):
    hits = search.search(conn, "terrorism", Filters(), limit=3)
    assert [(h["kind"], h["id"], h["start"], h["end"]) for h in hits] == [
        ("statement", "001-s03", 514, 575), ("statement", "002-s05", 1486, 1542),
        ("statement", "002-s06", 1566, 1649)]
    for h in hits:
        text = article_text(conn, h["article_id"])
        span = " ".join(text[h["start"]:h["end"]].split())
        assert h["snippet"] in span
        assert [h["snippet"][s:e].lower() for s, e in h["marks"]] == ["terrorism"]
    assert hits[0]["snippet"] == "Terrorism is the most severe security challenge the SCO faces"
    assert hits[0]["speaker"] == "Liao Jinrong" and hits[0]["said"] == "2018-06-08"
    assert hits[0]["rank"] <= hits[1]["rank"] <= hits[2]["rank"] < 0


def test_article_hits_point_at_the_snippet(conn):
    hits = [h for h in search.search(conn, "terrorism", Filters()) if h["kind"] == "article"]
    assert len(hits) == 5
    for h in hits:
        text = article_text(conn, h["id"])
        assert " ".join(text[h["start"]:h["end"]].split()) == h["snippet"]
        assert all(h["snippet"][s:e].lower().startswith("terror") for s, e in h["marks"])


def test_fts_syntax_phrases_prefixes_and_not(conn):
    phrase = search.search(conn, '"security cooperation"', Filters(speakers=("liao",)))
    assert [h["id"] for h in phrase if h["kind"] == "statement"] == [
        "000-s03", "000-s12", "002-s11", "000-s01", "000-s02", "002-s01", "000-s05", "002-s13"]
    hit = phrase[0]
    assert hit["snippet"][slice(*hit["marks"][0])] == "Security cooperation"
    prefix = search.search(conn, "terror* NOT drug*", Filters(since="2018-06"), limit=5)
    assert [h["id"] for h in prefix] == ["002-s03", "000-s04", "001-s04", "001-s03", "002-s05"]
    assert all("drug" not in h["snippet"].lower() for h in prefix)


@pytest.mark.parametrize("query", ["U.S.", '"unbalanced', "SCO's", "x'; DROP TABLE statements; --", "a: b", "*",
                                   "NEAR(x", "(", "AND"])
def test_queries_fts_rejects_are_searched_word_by_word(conn, query):
    search.search(conn, query, Filters())  # no exception
    assert conn.execute("SELECT count(*) FROM statements").fetchone()[0] == 47


def test_a_possessive_finds_the_title(conn):
    [hit] = search.search(conn, "SCO's", Filters())
    assert (hit["kind"], hit["id"], hit["start"], hit["end"]) == ("article", "000_dda2cd104923b83f", 0, 40)
    assert hit["snippet"] == "SCO's members will give security a boost"
    assert article_text(conn, hit["id"])[0:40] == hit["snippet"]


def test_an_empty_query_is_a_bad_filter(conn):
    with pytest.raises(queries.BadFilter):
        search.search(conn, "  ", Filters())


def test_filters(conn):
    hits = search.search(conn, "terrorism", Filters(events=("secretaries",)))
    assert {h["article_id"] for h in hits} == {"004_86c43b96d38f94ca"}
    assert [h["id"] for h in hits if h["kind"] == "statement"] == ["004-s05", "004-s08", "004-s02", "004-s07", "004-s04"]
    assert search.search(conn, "terrorism", Filters(since="2024")) == search.search(
        conn, "terrorism", Filters(articles=("003",)))
    assert [h["id"] for h in search.search(conn, "terrorism", Filters(speakers=("liu",)))] == [
        "003-s01", "003_11cea8c31ae39c19"]


@pytest.mark.parametrize("query", ["王磊", "王", "磊", "Wang 王磊"])
def test_chinese_is_found_as_a_substring(harbor_conn, query):
    [hit] = search.search(harbor_conn, query, Filters())
    assert (hit["kind"], hit["id"], hit["start"], hit["end"]) == ("article", "b2", 244, 322)
    assert hit["snippet"] == "Trade envoy Wang Lei (王磊) said the port handled 3,200 tonnes of cargo in 2024."
    text = article_text(harbor_conn, "b2")
    assert text[hit["start"]:hit["end"]] == hit["snippet"]
    assert [hit["snippet"][s:e] for s, e in hit["marks"]] == query.split()


def test_a_substring_query_also_finds_statements(harbor_conn):
    st, ar = search._scopes(harbor_conn, Filters())
    hits = search._substring_hits(harbor_conn, ["tonnes of cargo"], st, ar)
    assert [(h["kind"], h["id"], h["rank"]) for h in hits] == [
        ("statement", "b2-s3", -1), ("statement", "g3-s3", -1), ("article", "b2", -1), ("article", "g3", -1)]


def test_accents_do_not_count(harbor_conn):
    hits = search.search(harbor_conn, "jose alvarez", Filters())
    assert [(h["kind"], h["id"]) for h in hits] == [("article", "b2"), ("article", "a1"), ("article", "g3")]
    a1 = hits[1]
    assert [a1["snippet"][s:e] for s, e in a1["marks"]] == ["José", "Álvarez"]


def test_snippet_windows_long_text_on_word_boundaries():
    text = "word " * 100 + "needle " + "word " * 100
    start = text.index("needle")
    snippet, marks, lo, hi = search._snippet(text, [(start, start + 6)])
    assert snippet[slice(*marks[0])] == "needle"
    assert len(snippet) <= search.SNIPPET_WIDTH and snippet.startswith("word") and snippet.endswith("word")
    assert " ".join(text[lo:hi].split()) == snippet


def test_spans_from_highlight():
    assert search._spans("a bc d", "a \x02bc\x03 d") == [(2, 4)]
    assert search._spans("a \x02", "whatever") == []


def test_substring_queries_ignore_case_in_latin_words(harbor_conn):
    [hit] = search.search(harbor_conn, "TRADE envoy 磊", Filters())
    assert [hit["snippet"][s:e] for s, e in hit["marks"]] == ["Trade", "envoy", "磊"]
    assert hit["rank"] == -3.0
    assert search.search(harbor_conn, "磊 cargo", Filters(until="2025-03-18")) == []


@pytest.mark.parametrize("query", ["terrorism", "security", "SCO", "cooperation", "among", "of the", "SCO security",
                                   "terror* NOT drug*", '"security cooperation"', "SCO's"])
def test_a_limit_keeps_the_head_of_the_whole_ranking(conn, query):
    """The best are picked before anything is read, ties in rowid order, and articles are
    left out when none can rank among them; what a limit keeps is still the whole ranking's head."""
    whole = search.search(conn, query, Filters())
    assert whole
    for k in range(1, len(whole) + 1):
        assert search.search(conn, query, Filters(), k) == whole[:k]


@pytest.mark.parametrize("query", ["terrorism", "security cooperation", '"security cooperation"', "terror*",
                                   "SCO NOT drug*", "drug OR border", "NEAR(security cooperation, 3)",
                                   "title:security", "body:SCO", "the"])
def test_hits_are_marked_as_highlight_marks_them_in_the_whole_table(conn, query):
    """_read marks the words of each hit in a small table of the hits alone: every match,
    every column, the same marks as FTS5's highlight() gives in the database's own table."""
    compared = 0
    for fts, sql, columns in (("statements_fts", search._STATEMENTS, ["text"]),
                              ("articles_fts", search._ARTICLES, ["title", "body"])):
        try:
            best = conn.execute(f"SELECT rowid, bm25({fts}) FROM {fts} WHERE {fts} MATCH ? ORDER BY 2, 1",
                                [query]).fetchall()
        except sqlite3.OperationalError:  # a column the other table has
            continue
        marks = ", ".join(f"highlight({fts}, {i}, '{search.OPEN}', '{search.CLOSE}')" for i in range(len(columns)))
        whole = {r[0]: tuple(r[1:]) for r in conn.execute(f"SELECT rowid, {marks} FROM {fts} WHERE {fts} MATCH ?",
                                                          [query])}
        got = search._read(conn, fts, sql, query, [tuple(b) for b in best])
        assert [(r["_rowid"], rank) for r, rank, _ in got] == [tuple(b) for b in best]
        assert {r["_rowid"]: m for r, _, m in got} == whole
        compared += sum(search.OPEN in (v or "") for m in whole.values() for v in m)
    assert compared  # marks were compared, not only empty columns
    assert conn.execute("SELECT count(*) FROM temp.sqlite_master").fetchone()[0] == 0


def test_articles_are_left_out_only_when_none_can_rank_before_the_statements(conn):
    # "terrorism" is in all 5 articles: FTS5 gives it an idf of 1e-6 there, so no article
    # ranks before -2.2e-6 (the best is -1.8e-6), while its 17 statements rank -0.73 to -0.40.
    assert search._articles_rank_below(conn, "terrorism", -0.39887215741519433)
    assert not search._articles_rank_below(conn, "terrorism", -2.1e-6)
    article = search.search(conn, "terrorism", Filters(articles=("004",)))[-1]
    assert (article["kind"], article["id"], round(article["rank"], 8)) == ("article", "004_86c43b96d38f94ca", -1.82e-06)
    # "among" is in one article of 5 (idf log(4.5 / 1.5)): nothing can rank before -2.417.
    assert search._articles_rank_below(conn, "among", -2.42)
    assert not search._articles_rank_below(conn, "among", -2.41)
    assert [(h["kind"], round(h["rank"], 3)) for h in search.search(conn, "among", Filters())][-1] == ("article", -1.832)
    # Only a plain conjunction of words tells how many articles hold each word.
    for query in ("terror*", "terrorism OR drug", "NOT drug", "title:terrorism", '"terrorism security"'):
        assert not search._articles_rank_below(conn, query, -100.0)


@pytest.mark.parametrize("query", ["terrorism", "among", "SCO security", "cooperation"])
def test_counting_articles_only_as_far_as_needed_decides_as_counting_them_all(conn, query):
    n = conn.execute("SELECT max(rowid) FROM articles").fetchone()[0]
    m = conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", [query]).fetchone()[0]
    assert 0 < m <= n == 5

    def by_full_count(worst):
        idf = max(1e-6, math.log((n - m + 0.5) / (m + 0.5)))
        return -2.2 * idf * len(query.split()) * (1 + 1e-9) >= worst

    worsts = [-10.0, -4.0, -2.42, -2.41, -1.0, -0.4, -1e-3, -2.2e-6, -2.1e-6, -1e-9, 0.0]
    worsts += [-(10 ** (i / 8)) for i in range(-60, 10)]
    decided = [search._articles_rank_below(conn, query, w) for w in worsts]
    assert decided == [by_full_count(w) for w in worsts]
    assert True in decided and False in decided


def test_the_search_reads_in_one_transaction_and_closes_only_its_own(conn):
    assert [h["id"] for h in search.search(conn, "terrorism", Filters(), limit=1)] == ["001-s03"]
    assert not conn.in_transaction
    with pytest.raises(queries.NotFound):
        search.search(conn, "terrorism", Filters(speakers=("nobody-at-all",)))
    assert not conn.in_transaction
    conn.execute("BEGIN")
    assert [h["id"] for h in search.search(conn, "王", Filters())] == []
    assert conn.in_transaction
    conn.execute("COMMIT")


@pytest.mark.parametrize("scope_max", [0, 50_000])
@pytest.mark.parametrize("query", ["terrorism", "security cooperation", "the"])
def test_a_filtered_search_is_the_unfiltered_one_cut_down(conn, query, scope_max, monkeypatch):
    """Matches are looked up in a temporary table of the rows in scope, or (past
    SCOPE_TABLE_MAX rows in scope) among all rows: either way the hits, their order and
    ranks are those of the whole search, less the rest, and the connection is left
    without the table."""
    monkeypatch.setattr(search, "SCOPE_TABLE_MAX", scope_max)
    everything = search.search(conn, query, Filters())
    speaker_of = dict(conn.execute("SELECT id, speaker_id FROM statements"))
    for speaker in ("liu", "Liao Jinrong"):
        ids = set(queries.speaker_ids(conn, (speaker,)))
        cut = [h for h in everything if h["kind"] == "statement" and speaker_of[h["id"]] in ids]
        got = [h for h in search.search(conn, query, Filters(speakers=(speaker,))) if h["kind"] == "statement"]
        assert got == cut
    since = [h for h in everything if h["kind"] == "statement"
             and conn.execute("SELECT said_end >= '2024-01-01' FROM statements WHERE id = ?", [h["id"]]).fetchone()[0]]
    assert [h for h in search.search(conn, query, Filters(since="2024")) if h["kind"] == "statement"] == since
    assert conn.execute("SELECT count(*) FROM temp.sqlite_master").fetchone()[0] == 0
    if query == "terrorism":  # the comparisons are not of empty lists
        assert since and got


@pytest.mark.parametrize("query", ["terrorism", "security", "SCO security", "terror* NOT drug*", '"security cooperation"',
                                   "SCO's", "nothing-like-this"])
def test_ranking_in_threads_gives_the_ranking_of_one_query(conn, query, monkeypatch):
    """On a large table the rowids are ranked in ranges, on connections of their own in
    threads, and merged: the hits, their order and their ranks are those of one query."""
    monkeypatch.setattr(search, "SCOPE_TABLE_MAX", 0)  # filters: each match looked up among all rows
    filtered = (Filters(), Filters(since="2018-06"), Filters(speakers=("liao",)))
    whole = [search.search(conn, query, f, k) for f in filtered for k in (None, 1, 5)]
    monkeypatch.setattr(search, "SPLIT_MIN", 1)
    monkeypatch.setattr(search, "parallel_reads", lambda: True)
    monkeypatch.setattr(search.os, "cpu_count", lambda: 3)
    assert search._ranges(conn, "statements") == [(1, 16), (17, 32), (33, 47)]
    assert search._ranges(conn, "articles") == [(1, 2), (3, 4), (5, 5)]
    assert [search.search(conn, query, f, k) for f in filtered for k in (None, 1, 5)] == whole
    assert len(conn._companions) == 2  # the two other ranges were read on connections of their own
    assert len(conn.companions(9)) == 9 and conn.companions(2) == conn._companions[:2]
    assert not conn.in_transaction


def test_work_alongside_runs_on_a_companion_when_the_table_is_read_in_ranges(conn, monkeypatch):
    """The check on the articles runs on a connection of its own while the statement hits
    are read, and gives its answer, or raises its error, to the thread that waits."""
    seen = []

    def work(c):
        seen.append(c)
        return c.execute("SELECT count(*) FROM articles").fetchone()[0]

    assert search._alongside(conn, "statements", work)() == 5 and seen == [conn]  # 47 rows: here
    monkeypatch.setattr(search, "SPLIT_MIN", 1)
    monkeypatch.setattr(search, "parallel_reads", lambda: True)
    monkeypatch.setattr(search.os, "cpu_count", lambda: 2)
    conn.execute("BEGIN")
    try:
        assert search._alongside(conn, "statements", work)() == 5
        assert seen[1] is conn.companions(1)[0] and seen[1] is not conn

        def broken(c):
            c.execute("SELECT x FROM nowhere")

        wait = search._alongside(conn, "statements", broken)
        with pytest.raises(sqlite3.OperationalError, match="no such table: nowhere"):
            wait()
    finally:
        conn.execute("COMMIT")


def test_ranking_stays_in_one_query_on_a_database_in_wal_mode(shipped_db, tmp_path, monkeypatch):
    """Connections to a database in WAL mode may each read another snapshot, so the
    ranges are not shared out there."""
    import shutil

    from scoq import db
    from scoq.sqlite import sqlite3

    copy = tmp_path / "wal.db"
    shutil.copy(shipped_db, copy)
    c = sqlite3.connect(copy)
    assert c.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
    c.close()
    monkeypatch.setattr(search, "SPLIT_MIN", 1)
    monkeypatch.setattr(search, "parallel_reads", lambda: True)
    monkeypatch.setattr(search.os, "cpu_count", lambda: 2)
    wal = db.connect_readonly(copy)
    try:
        assert search._ranges(wal, "statements") == [(1, 47)]
    finally:
        wal.close()


def test_ranking_stays_in_one_query_where_threads_would_not_help(conn, monkeypatch):
    assert search._ranges(conn, "statements") == [(1, 47)]  # 47 rows: below SPLIT_MIN
    monkeypatch.setattr(search, "SPLIT_MIN", 1)
    monkeypatch.setattr(search, "parallel_reads", lambda: False)  # a SQLite built without lookaside
    assert search._ranges(conn, "statements") == [(1, 47)]


def test_parallel_reads_is_asked_of_each_driver_s_library():
    """Each driver's SQLite answers for itself (here the standard library's may be built
    without lookaside while pysqlite3's is not), and the answer is kept."""
    from scoq import sqlite

    for driver in {sqlite.sqlite3, sqlite.writing()}:
        probe = driver.connect(":memory:")
        options = {r[0] for r in probe.execute("PRAGMA compile_options")}
        probe.close()
        assert sqlite.parallel_reads(driver) is ("OMIT_LOOKASIDE" not in options)
        assert sqlite._parallel[driver.__name__] is sqlite.parallel_reads(driver)


@pytest.mark.parametrize("query", ["王", "tonnes of cargo 王", "cargo", "港"])
def test_substring_search_in_threads_is_the_search_of_one_scan(harbor_conn, query, monkeypatch):
    """A query in a script without spaces scans both tables a range of rows per core:
    hits, order and snippets are those of one scan, and a limit keeps the head."""
    st, ar = search._scopes(harbor_conn, Filters())
    whole = search._substring_hits(harbor_conn, search._terms(query), st, ar)
    assert [search._substring_hits(harbor_conn, search._terms(query), st, ar, k) for k in (1, 2)] == [
        whole[:1], whole[:2]]
    monkeypatch.setattr(search, "SPLIT_MIN", 1)
    monkeypatch.setattr(search, "parallel_reads", lambda: True)
    monkeypatch.setattr(search.os, "cpu_count", lambda: 2)
    assert len(search._ranges(harbor_conn, "statements")) == 2
    assert search._substring_hits(harbor_conn, search._terms(query), st, ar) == whole
    if search.CJK.search(query):  # what scoq search runs for it (a Latin word goes to FTS5)
        assert search.search(harbor_conn, query, Filters(), 3) == whole[:3]
    assert whole or query == "港"
