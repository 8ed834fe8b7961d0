"""Listings of articles, events, people and the timeline, on the shipped and harbor databases."""

import pytest

from scoq import db, listings, queries
from scoq.queries import Filters


def test_articles_in_date_order_with_counts(conn):
    rows = listings.articles(conn)
    assert [(r["article_id"][:3], r["published"], r["published_precision"], r["statements"], r["figures"], r["chars"])
            for r in rows] == [
        ("004", "2018-05-23T02:56:16", "second", 10, 0, 3940),
        ("001", "2018-06-08", "day", 10, 0, 2128),
        ("002", "2018-06-08/..", "day", 14, 2, 3420),
        ("000", "2018-06-09", "day", 12, 4, 2594),
        ("003", "2024-07-10", "day", 1, 10, 2180)]
    assert rows[-1]["outlet"] == "SHINE (Shanghai Daily)" and rows[-1]["url"] == "www.shine.cn/news/metro/2407108809/"
    assert sum(r["statements"] for r in rows) == 47 and sum(r["figures"] for r in rows) == 16


def test_event_totals_count_articles_off_the_indexes_alone(conn):
    plan = [r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN SELECT {db.EVENT_ARTICLES} FROM events x")]
    assert "SEARCH statements USING COVERING INDEX statements_event (event_id=?)" in plan
    assert "SEARCH figures USING COVERING INDEX figures_event (event_id=?)" in plan


@pytest.mark.parametrize("sort,first", [("id", "000"), ("statements", "002"), ("figures", "003"), ("chars", "004"),
                                        ("outlet", "000"), ("date", "004")])
def test_article_sorts(conn, sort, first):
    assert listings.articles(conn, sort)[0]["article_id"].startswith(first)
    assert len(listings.articles(conn, sort, limit=2)) == 2


def test_events_with_counts(conn):
    rows = {r["event_id"]: r for r in listings.events(conn)}
    assert (rows["qingdao-press-conference"]["statements"], rows["qingdao-press-conference"]["figures"],
            rows["qingdao-press-conference"]["articles"]) == (36, 3, 3)
    assert (rows["frontier-operations"]["date"], rows["frontier-operations"]["date_precision"],
            rows["frontier-operations"]["figures"]) == ("2023-08/2023-10", "month", 7)
    assert rows["astana-summit"]["date"] == "2017-06" and rows["astana-summit"]["place"] == "Astana"
    assert [r["event_id"] for r in listings.events(conn)][:2] == ["sco-founding", "astana-summit"]
    assert [r["event_id"] for r in listings.events(conn, "statements", 2)] == [
        "qingdao-press-conference", "security-secretaries"]


def test_people_with_roles(conn):
    rows = listings.people(conn)
    assert [(r["speaker_id"], r["statements"]) for r in rows][:2] == [("liao-jinrong", 36), ("zhao-kezhi", 4)]
    assert rows[0]["roles"].split("; ") == [
        "director of the Ministry of Public Security's International Cooperation Bureau",
        "head of the International Cooperation Bureau of the Ministry of Public Security",
        "head of the international cooperation department with the Ministry of Public Security"]
    assert [r["name"] for r in listings.people(conn, "name", 2)] == [
        "All parties at the 13th meeting of SCO Security Council Secretaries", "Liao Jinrong"]
    assert listings.people(conn, "date")[-1]["speaker_id"] == "liu-haitao"


@pytest.mark.parametrize("sort", sorted(listings.ARTICLE_SORTS))
def test_articles_cut_to_a_limit_are_the_head_of_them_all(conn, harbor_conn, sort):
    for c in (conn, harbor_conn):
        whole = listings.articles(c, sort)
        for n in (1, 2, len(whole)):
            assert listings.articles(c, sort, n) == whole[:n]


@pytest.mark.parametrize("sort", ["statements", "name", "date", "articles"])
def test_people_cut_to_a_limit_are_the_head_of_the_whole_list(conn, harbor_conn, sort):
    """Cut to a limit, the rows are the head of the whole list, in its order (the sort
    keys, with the id last, leave no tie to a whim of the query plan)."""
    for c in (conn, harbor_conn):
        whole = listings.people(c, sort)
        assert len(whole) > 3
        for n in (1, 3, len(whole)):
            assert listings.people(c, sort, n) == whole[:n]


@pytest.mark.parametrize("listing,totals", [(listings.people, "speaker_totals"), (listings.events, "event_totals")])
def test_people_and_events_read_the_totals_made_at_ingest(conn, listing, totals):
    """Listing every speaker or event reads a row of totals each, and no statement or
    figure: at 100,000 articles, counting a million statements for 5,000 speakers took
    seconds."""
    asked = []
    conn.set_trace_callback(asked.append)
    try:
        assert len(listing(conn, "date", 3)) == 3
    finally:
        conn.set_trace_callback(None)
    plan = " ".join(r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {asked[-1]}"))  # values bound in
    assert totals in plan
    assert "statements" not in plan.replace(totals, "") and "figures" not in plan


def test_harbor_people_of_unknown_date(harbor_conn):
    rows = {r["speaker_id"]: r for r in listings.people(harbor_conn)}
    assert rows["wang-lei"]["roles"] == "Lakeside's trade envoy; Trade envoy" and rows["wang-lei"]["first_said"] is None
    assert rows["jose-alvarez"]["first_said"] == "2025-03-17" and rows["jose-alvarez"]["articles"] == 3


def test_first_and_last_said_keep_their_precision(harbor, tmp_path):
    """A statement known only as "2025-03" makes the speaker's last_said "2025-03", not the
    month's last day, which would claim a day no article gives."""
    from scoq import db, ingest

    g3 = harbor / "articles" / "g3.yaml"
    g3.write_text(g3.read_text(encoding="utf-8").replace("said: on Wednesday", "said: 2025-03"), encoding="utf-8")
    ingest.run(harbor, tmp_path / "h.db")
    conn = db.connect_readonly(tmp_path / "h.db")
    try:
        alvarez = {r["speaker_id"]: r for r in listings.people(conn)}["jose-alvarez"]
    finally:
        conn.close()
    assert (alvarez["first_said"], alvarez["last_said"]) == ("2025-03", "2025-03")


@pytest.mark.parametrize("f", [Filters(), Filters(since="2018-06"), Filters(until="2018"),
                               Filters(speakers=("liao",)), Filters(events=("frontier",))])
def test_a_timeline_cut_to_a_limit_is_the_head_of_the_whole_one(conn, harbor_conn, f):
    """With a limit, each kind's first rows are picked on their sort keys before being read
    whole: together they must be the head of the whole timeline."""
    whole = listings.timeline(conn, f)
    assert len(whole) > 5
    for n in (1, 2, 5, len(whole), len(whole) + 1):
        assert listings.timeline(conn, f, n) == whole[:n]
    whole = listings.timeline(harbor_conn, Filters())
    assert whole[-1]["date"] is None  # statements of unknown date, last
    for n in (1, 4, len(whole) - 1, len(whole)):
        assert listings.timeline(harbor_conn, Filters(), n) == whole[:n]


def test_timeline_keeps_each_date_at_its_precision(conn):
    rows = listings.timeline(conn, Filters())
    assert len(rows) == 8 + 47 + 16
    dates = [(r["date"], r["precision"], r["kind"], r["id"]) for r in rows]
    assert dates[:3] == [("2001/2018-06-08", "year", "figure", "000-f01"), ("2001-06-15", "day", "event", "sco-founding"),
                         ("2017-06", "month", "event", "astana-summit")]
    assert dates[-5:] == [
        ("2024-07", "month", "figure", "003-f08"), ("2024-07", "month", "figure", "003-f09"),
        ("2024-07", "month", "figure", "003-f10"), ("2024-07-10", "day", "event", "frontier"),
        ("2024-07-10", "day", "statement", "003-s01")]
    liu = rows[-1]
    assert (liu["who"], liu["event_id"], liu["article_id"], liu["start"], liu["end"]) == (
        "Liu Haitao", "frontier", "003_11cea8c31ae39c19", 715, 941)
    assert liu["what"].endswith("…") and len(liu["what"]) <= listings.WHAT_WIDTH + 1


def test_timeline_filters(conn):
    assert [(r["kind"], r["id"]) for r in listings.timeline(conn, Filters(events=("frontier",)))][-2:] == [
        ("event", "frontier"), ("statement", "003-s01")]
    rows = listings.timeline(conn, Filters(speakers=("zhao",)))
    assert [(r["kind"], r["id"]) for r in rows] == [
        ("event", "security-secretaries"), ("event", "zhao-patrushev-talks"), ("statement", "004-s01"),
        ("statement", "004-s02"), ("statement", "004-s03"), ("statement", "004-s09")]
    rows = listings.timeline(conn, Filters(since="2023", until="2023"))
    assert {r["date"] for r in rows} == {"2023-08/2023-10"} and len(rows) == 8
    assert len(listings.timeline(conn, Filters(), limit=4)) == 4
    with pytest.raises(queries.BadFilter):
        listings.timeline(conn, Filters(since="2018-02-30"))


def test_timeline_unknown_dates_last(harbor_conn):
    rows = listings.timeline(harbor_conn, Filters())
    unknown = [r["id"] for r in rows if r["date"] is None]
    assert unknown == ["a1-s3", "a1-s4", "b2-s2", "b2-s3", "g3-s2", "g3-s3", "a1-f2"]
    assert [r["id"] for r in rows[-len(unknown):]] == unknown
    assert rows[0]["date"] == "2023" and rows[0]["precision"] == "year" and rows[0]["id"] == "g3-f2"


def test_a_whole_timeline_is_read_in_date_order_and_not_sorted_at_once(open_start_conn, conn):
    """Without a limit, a speaker or an event, the timeline is read off the date indexes in
    several queries: dated rows merged by SQLite, then rows of unknown first day but known
    last day, then undated ones. Each must give what the one sorted query gives (with a
    limit above the row count, the timeline is that one query)."""
    rows = listings.timeline(open_start_conn, Filters())
    assert [(r["id"], r["date"]) for r in rows[-8:]] == [
        ("b2-f1", "../2025-02"), ("a1-s3", None), ("a1-s4", None), ("b2-s2", None), ("b2-s3", None),
        ("g3-s2", None), ("g3-s3", None), ("a1-f2", None)]
    for c in (open_start_conn, conn):
        for f in (Filters(), Filters(since="2018-06-09"), Filters(until="2025-02"),
                  Filters(since="2018-06", until="2018-06")):
            assert len(listings.timeline_queries(c, f)) == 5
            whole = listings.timeline(c, f)
            assert whole == listings.timeline(c, f, limit=len(whole) + 1), f

    read = []  # every step of every query's plan
    for sql, params in listings.timeline_queries(conn, Filters()):
        steps: dict[int, list[str]] = {}
        for _, parent, _, detail in conn.execute("EXPLAIN QUERY PLAN " + sql, params):
            steps.setdefault(parent, []).append(detail)
        for details in steps.values():  # only the events, a few rows, are sorted whole
            assert "USE TEMP B-TREE FOR ORDER BY" not in details or any(d.startswith("SCAN e") for d in details)
        plan = [d for details in steps.values() for d in details]
        assert all("statements_when" in d for d in plan if d.startswith(("SCAN s", "SEARCH s "))), plan
        assert all("figures_when" in d for d in plan if d.startswith(("SCAN f", "SEARCH f "))), plan
        read += plan
    assert sum(d.startswith("SEARCH s USING INDEX statements_when") for d in read) == 3  # dated, open start, undated
    assert sum(d.startswith("SEARCH f USING INDEX figures_when") for d in read) == 3


def test_speakers_the_most_quoted_first(conn):
    rows = listings.people(conn, "statements")
    assert [(r["speaker_id"], r["statements"], r["articles"]) for r in rows[:2]] == [
        ("liao-jinrong", 36, 3), ("zhao-kezhi", 4, 1)]
    assert sum(r["statements"] for r in rows) == 47


def test_articles_of_unknown_date_come_last_with_or_without_a_limit(tmp_path, harbor):
    """Cut to a limit, the dated and the undated articles are each read off the date
    index: an article whose publication date is not known still comes last."""
    from conftest import edit
    from scoq import db, ingest

    edit(harbor / "articles/a1.yaml", "published: 2025-03-18\n", "")
    ingest.run(harbor, tmp_path / "h.db")
    conn = db.connect_readonly(tmp_path / "h.db")
    try:
        whole = listings.articles(conn, "date")
        assert [(a["article_id"], a["published"]) for a in whole] == [
            ("b2", "2025-03-19"), ("g3", "2025-03-20"), ("a1", None)]
        assert [listings.articles(conn, "date", n) for n in (1, 2, 3, 4)] == [whole[:1], whole[:2], whole, whole]
    finally:
        conn.close()


def test_lazy_listings_are_the_same_rows(conn, harbor_conn):
    for c in (conn, harbor_conn):
        lazy = listings.timeline(c, Filters(), lazy=True)
        assert not isinstance(lazy, list) and list(lazy) == listings.timeline(c, Filters())
        lazy = listings.articles(c, "outlet", lazy=True)
        assert not isinstance(lazy, list) and list(lazy) == listings.articles(c, "outlet")
