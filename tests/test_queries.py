"""Queries answer with the real rows of the shipped corpus and of the made-up one."""

import pytest

from scoq import queries
from scoq.queries import Filters


def ids(rows, key):
    return [r[key] for r in rows]


def test_who_liao_jinrong(conn):
    speaker = queries.resolve_speaker(conn, "Liao Jinrong")
    rows = queries.statements(conn, [speaker["id"]], Filters())
    assert len(rows) == 36
    assert {r["article_id"][:3] for r in rows} == {"000", "001", "002"}
    assert {r["said"] for r in rows} == {"2018-06-08"}
    assert {r["event_id"] for r in rows} == {"qingdao-press-conference"}
    # The same man, titled three ways.
    assert {r["role"] for r in rows} == {
        "head of the International Cooperation Bureau of the Ministry of Public Security",
        "head of the international cooperation department with the Ministry of Public Security",
        "director of the Ministry of Public Security's International Cooperation Bureau",
    }
    first = rows[0]
    assert first["statement_id"] == "001-s01"
    assert first["source"] == "a Chinese official" and first["said_basis"] == "resolved"
    assert first["said_as_written"] == "Friday"  # the words it was resolved from, as the article has them


@pytest.mark.parametrize("name", ["liao", "LIAO", "Liao Jinrong", "jinrong", "liao-jinrong", "  liao  jinrong "])
def test_speaker_names_partial_any_case(conn, name):
    assert queries.resolve_speaker(conn, name)["id"] == "liao-jinrong"


def test_accents_do_not_count(harbor_conn):
    for name in ("jose alvarez", "JOSÉ ÁLVAREZ", "alvarez", "Álvarez"):
        assert queries.resolve_speaker(harbor_conn, name)["id"] == "jose-alvarez"
    assert queries.resolve_speaker(harbor_conn, "王磊")["id"] == "wang-lei"


def test_several_matches_and_none(conn):
    with pytest.raises(queries.Ambiguous) as e:
        queries.resolve_speaker(conn, "li")
    assert [c["id"] for c in e.value.candidates] == ["liao-jinrong", "liu-haitao"]
    with pytest.raises(queries.NotFound) as e:
        queries.resolve_speaker(conn, "Lio Jinrong")
    assert e.value.suggestions == ["Liao Jinrong"]
    with pytest.raises(queries.NotFound):
        queries.resolve_speaker(conn, "x'; DROP TABLE statements; --")
    assert conn.execute("SELECT count(*) FROM statements").fetchone()[0] == 47


def test_who_filters(conn):
    liao = ["liao-jinrong"]
    assert ids(queries.statements(conn, liao, Filters(types=("direct",))), "statement_id") == [
        "001-s09", "002-s05", "002-s08", "000-s02", "000-s12"]
    assert len(queries.statements(conn, liao, Filters(articles=("001",)))) == 10
    assert ids(queries.statements(conn, [], Filters(since="2024")), "statement_id") == ["003-s01"]
    assert queries.statements(conn, liao, Filters(until="2018-06-07")) == []
    assert len(queries.statements(conn, [], Filters(events=("secretaries",)))) == 8
    zhao = queries.statements(conn, ["zhao-kezhi"], Filters())
    assert [(r["statement_id"], r["event_id"]) for r in zhao] == [
        ("004-s01", "security-secretaries"), ("004-s02", "security-secretaries"),
        ("004-s03", "security-secretaries"), ("004-s09", "zhao-patrushev-talks")]


def test_bodies_speak_too(conn):
    rows = queries.statements(conn, [queries.resolve_speaker(conn, "the press release")["id"]], Filters())
    assert [r["text"][:42] for r in rows] == ["all parties will continue to implement eff"]


def test_one_claim_reported_three_ways(conn):
    rows = conn.execute("SELECT article_id FROM statements WHERE claim_id = 'attacks-prevented' ORDER BY 1").fetchall()
    assert [r[0][:3] for r in rows] == ["000", "001", "002"]


def test_figures_of_the_frontier_meeting(conn):
    rows = queries.figures(conn, Filters(events=("frontier",)))
    assert {(r["period_as_written"], r["as_of_as_written"]) for r in rows} == {("from August to October last year", None)}
    got = [(r["value"], r["qualifier"], r["unit"], r["counts"], r["action"], r["period"]) for r in rows]
    assert got == [
        (12000, "more than", "people", "lawbreakers", "arrested", "2023-08/2023-10"),
        (9600, "over", "people", "people stopped at border crossings for immigration violations", "stopped", "2023-08/2023-10"),
        (75, "exact", "firearms", "firearms", "seized", "2023-08/2023-10"),
        (13800, "exact", "rounds", "ammunition", "seized", "2023-08/2023-10"),
        (1000, "more than", "knives", "knives", "seized", "2023-08/2023-10"),
        (8.8, "exact", "t", "drugs", "seized", "2023-08/2023-10"),
        (1178.3, "exact", "t", "smuggled goods", "seized", "2023-08/2023-10"),
    ]
    assert {r["article_id"] for r in rows} == {"003_11cea8c31ae39c19"}


def test_figure_filters(conn):
    assert ids(queries.figures(conn, Filters(units=("t",))), "figure_id") == ["003-f06", "003-f07"]
    assert ids(queries.figures(conn, Filters(speakers=("liao",))), "figure_id") == ["000-f01", "002-f01", "002-f02"]
    members = queries.figures(conn, Filters(about="full members"))
    assert [(r["value"], r["as_of"]) for r in members] == [(8, "2018"), (10, "2024-07")]
    vague = queries.figures(conn, Filters(about="terrorist attacks"))
    assert [(r["value"], r["low"], r["qualifier"], r["mod"]) for r in vague] == [
        (None, 100, "vague", "EQUAL_OR_MORE"), (None, 100, "vague", "EQUAL_OR_MORE")]
    assert queries.figures(conn, Filters(events=("summit",))) == []
    # A plural in -ies finds the singular in -y, as -s finds the word without it.
    assert ids(queries.figures(conn, Filters(about="securities")), "figure_id") == ["002-f02"]


@pytest.mark.parametrize("f", [Filters(), Filters(units=("t",)), Filters(about="seized"), Filters(since="2018-06"),
                               Filters(speakers=("liao",)), Filters(events=("frontier",))])
def test_figures_cut_to_a_limit_are_the_head_of_them_all(conn, f):
    """With a limit the figures are picked on their sort keys before they are read whole:
    they must be the first of all of them, in the same order."""
    every = queries.figures(conn, f)
    assert every
    for n in (1, 2, len(every), len(every) + 1):
        assert queries.figures(conn, f, n) == every[:n]


@pytest.mark.parametrize("f", [Filters(), Filters(about="boats"), Filters(since="2020"), Filters(since="2025-02-10"),
                               Filters(until="2025-02"), Filters(since="2018-06", until="2024")])
def test_all_figures_are_read_in_date_order_without_one_sort_of_them_all(conn, open_start_conn, f):
    """Unlimited and unfiltered but for dates and words, the figures are read off
    figures_when and figures_article, sorted only among those of one day or one article:
    the same rows, in the same order, as the one sorted query (a limit above the count)."""
    for c in (conn, open_start_conn):
        run: list[str] = []
        c.set_trace_callback(run.append)
        try:
            every = queries.figures(c, f)
        finally:
            c.set_trace_callback(None)
        assert every == queries.figures(c, f, len(every) + 1)
        plans = [[r[3] for r in c.execute("EXPLAIN QUERY PLAN " + sql, [])] for sql in run if "FROM figures" in sql]
        assert plans and all("USE TEMP B-TREE FOR ORDER BY" not in plan for plan in plans), plans
        used = " ".join(d for plan in plans for d in plan)
        assert "figures_when" in used and ("figures_article" in used) == (f.until is None), used
    kept = [r["figure_id"] for r in queries.figures(open_start_conn, f)]
    assert ("b2-f1" in kept) == (f.until is None and (f.about or "boats") == "boats")  # its last day is 2025-02-28


def test_events_by_slug_kind_or_name(conn):
    assert queries.match_events(conn, "frontier") == ["frontier", "frontier-operations"]
    assert queries.match_events(conn, "summit") == ["astana-summit", "qingdao-summit"]
    assert queries.match_events(conn, "heads of the frontier authorities") == ["frontier"]
    # Each word is looked for in the slug or the kind, case ignored, wherever it falls.
    assert queries.match_events(conn, "QINGDAO conference") == ["qingdao-press-conference"]
    assert queries.match_events(conn, "Press-Conference") == ["qingdao-press-conference"]
    assert queries.match_events(conn, "operation") == ["frontier-operations"]
    assert queries.match_events(conn, "fronti") == ["frontier-operations", "frontier"]  # by date
    # A dash that folds to '-' parts words as '-' does.
    assert queries.match_events(conn, "qingdao\ufe63summit") == ["qingdao-summit"]
    with pytest.raises(queries.NotFound):
        queries.match_events(conn, "olympics")


def test_bad_date_filter(conn):
    with pytest.raises(queries.BadFilter, match="--since: '2018-13' has no month 13"):
        queries.statements(conn, [], Filters(since="2018-13"))


@pytest.mark.parametrize("which", ["conn", "harbor_conn"])
def test_a_figures_date_is_its_period_else_its_as_of_date_else_its_events(which, request):
    """Stored at ingest (so that the timeline reads figures in date order off an index),
    the date is the one the definition gives, for every figure of both corpora."""
    c = request.getfixturevalue(which)
    rows = c.execute("""
        SELECT f.id, f.date, f.date_start, f.date_end, f.date_precision, f.date_basis,
               CASE WHEN f.period IS NOT NULL THEN f.period WHEN f.as_of IS NOT NULL THEN f.as_of ELSE e.date END,
               CASE WHEN f.period IS NOT NULL THEN f.period_start WHEN f.as_of IS NOT NULL THEN f.as_of_start
                    ELSE e.date_start END,
               CASE WHEN f.period IS NOT NULL THEN f.period_end WHEN f.as_of IS NOT NULL THEN f.as_of_end
                    ELSE e.date_end END,
               CASE WHEN f.period IS NOT NULL THEN f.period_precision WHEN f.as_of IS NOT NULL THEN f.as_of_precision
                    ELSE e.date_precision END,
               CASE WHEN f.period IS NOT NULL THEN 'period' WHEN f.as_of IS NOT NULL THEN 'as of'
                    WHEN e.date IS NOT NULL THEN 'event' END
        FROM figures f LEFT JOIN events e ON e.id = f.event_id""").fetchall()
    assert rows and all(tuple(r[1:6]) == tuple(r[6:]) for r in rows)
    assert {r[5] for r in rows} >= ({"period", "as of", "event"} if which == "conn" else {"period", None})


def test_lazy_rows_are_an_iterator_of_the_same_rows(conn):
    speaker = queries.resolve_speaker(conn, "Liao Jinrong")
    lazy = queries.statements(conn, [speaker["id"]], Filters(), lazy=True)
    assert not isinstance(lazy, list) and next(lazy)["statement_id"] == "001-s01"
    assert [r["statement_id"] for r in lazy] == [
        r["statement_id"] for r in queries.statements(conn, [speaker["id"]], Filters())][1:]
    assert list(queries.figures(conn, Filters(), lazy=True)) == queries.figures(conn, Filters())
