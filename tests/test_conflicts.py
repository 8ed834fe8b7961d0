"""Figures about the same thing that differ, on the shipped corpus and the made-up one."""

from conftest import peak_heaps
from generated import large_corpus
from hypothesis import given
from hypothesis import strategies as st

from scoq import conflicts, db, figures, ingest


def test_each_figure_keeps_its_topic_and_the_groups_are_read_off_their_index(conn):
    stored = conn.execute("SELECT counts, action, unit, topic FROM figures").fetchall()
    assert len(stored) == 16
    assert all(topic == figures.topic_key(counts, action, unit) for counts, action, unit, topic in stored)
    plan = " ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + conflicts.DISTINCT_VALUES))
    assert "COVERING INDEX figures_topic" in plan and "TEMP B-TREE" not in plan


def test_shipped_membership_changed_over_time(conn):
    rows = conflicts.conflicts(conn)
    assert {r["topic"] for r in rows} == {
        "SCO dialogue partners (countries)", "SCO full member states (countries)", "SCO observer states (countries)"}
    members = [r for r in rows if r["topic"] == "SCO full member states (countries)"]
    assert [(r["figure_id"], r["value"], r["qualifier"], r["date"], r["date_basis"], r["date_precision"],
             r["outlet"]) for r in members] == [
        ("000-f02", 8, "exact", "2018", "as of", "year", "China Daily"),
        ("003-f08", 10, "exact", "2024-07", "as of", "month", "SHINE (Shanghai Daily)"),
    ]
    assert {r["kind"] for r in rows} == {"changed"} and {r["values"] for r in rows} == {2}
    text = conn.execute("SELECT text FROM articles WHERE id = '003_11cea8c31ae39c19'").fetchone()[0]
    assert text[members[1]["start"]:members[1]["end"]] == "10 full member states"


def test_harbor_reports_disagree_and_cargo_changed(harbor_conn):
    rows = conflicts.conflicts(harbor_conn)
    boats = [r for r in rows if r["topic_key"] == "boat marina stolen | boats"]
    # Every figure is reported, the two that agree as well as the one that does not.
    assert [(r["figure_id"], r["quantity"], r["value"], r["date"]) for r in boats] == [
        ("g3-f1", "35", 35, "2025-02"), ("a1-f1", "more than 40", 40, "2025-02"), ("b2-f1", "more than 40", 40, "2025-02")]
    assert {r["kind"] for r in boats} == {"disagree"} and boats[0]["values"] == 2
    assert boats[0]["topic"] == "boats stolen from the marina (boats)"
    cargo = [r for r in rows if r["topic_key"] == "cargo handled port | t"]
    assert [(r["figure_id"], r["value"], r["date"], r["kind"]) for r in cargo] == [
        ("g3-f2", 2900, "2023", "changed"), ("b2-f2", 3200, "2024", "changed")]
    assert len(rows) == 5


def test_about_and_limit(conn, harbor_conn):
    assert {r["figure_id"] for r in conflicts.conflicts(conn, about="full members")} == {"000-f02", "003-f08"}
    assert conflicts.conflicts(conn, about="lawbreakers") == []
    assert len({r["topic_key"] for r in conflicts.conflicts(conn, limit=2)}) == 2
    assert [r["figure_id"] for r in conflicts.conflicts(harbor_conn, about="cargo")] == ["g3-f2", "b2-f2"]


def test_a_figure_of_unknown_date_cannot_be_placed_in_time():
    def fig(value, start, end):
        return (start, end, value, value, value, None)

    assert conflicts._kind([fig(1, "2020-01-01", "2020-12-31"), fig(2, None, None)]) == "undated"
    assert conflicts._kind([fig(1, "2020-01-01", "2020-12-31"), fig(2, "2020-06-01", "2021-05-31")]) == "disagree"
    assert conflicts._kind([fig(1, "2020-01-01", "2020-12-31"), fig(2, "2021-01-01", "2021-12-31"),
                            fig(1, None, None)]) == "undated"


def _kind_by_pairs(rows):
    """What _kind decides, by comparing every pair of figures."""
    seen = set()
    for i, a in enumerate(rows):
        for b in rows[i + 1:]:
            if a[2:] != b[2:]:
                if a[0] is None or b[0] is None:
                    seen.add("undated")
                elif a[0] <= (b[1] or "9999") and b[0] <= (a[1] or "9999"):
                    seen.add("disagree")
                else:
                    seen.add("changed")
    return next(k for k in conflicts.KINDS if k in seen)


_DAYS = ["2020-01-01", "2020-03-01", "2020-06-01", "2020-12-31", "2021-06-01"]


@st.composite
def _figure(draw):
    start = draw(st.sampled_from([None, *_DAYS]))
    end = draw(st.sampled_from([None, *[d for d in _DAYS if start is None or d >= start]]))
    value = draw(st.sampled_from([(1, 1, 1, None), (2, 2, 2, None), (None, 100, None, "EQUAL_OR_MORE")]))
    return (start, end, *value)


@given(st.lists(_figure(), min_size=2, max_size=12).filter(lambda rows: len({r[2:] for r in rows}) > 1))
def test_kind_is_what_comparing_every_pair_decides(rows):
    assert conflicts._kind(rows) == _kind_by_pairs(rows)


def test_a_large_group_is_decided_without_comparing_every_pair():
    """A hundred thousand figures of one topic: every pair would be 5e9 comparisons."""
    rows = [(f"{2000 + k // 2 % 20}-01-01", f"{2000 + k // 2 % 20}-12-31", k % 2, k % 2, k % 2, None)
            for k in range(100_000)]
    assert conflicts._kind(rows) == "disagree"
    rows = [(f"{2000 + k // 50_000}-01-01", f"{2000 + k // 50_000}-12-31", *(k // 50_000,) * 3, None)
            for k in range(100_000)]
    assert conflicts._kind(rows) == "changed"


def test_lazy_conflicts_are_the_same_rows(conn, harbor_conn):
    for c in (conn, harbor_conn):
        lazy = conflicts.conflicts(c, lazy=True)
        assert not isinstance(lazy, list) and list(lazy) == conflicts.conflicts(c)
    assert conflicts.conflicts(conn)  # the shipped corpus has some


def test_a_large_group_is_written_out_one_figure_at_a_time(tmp_path):
    """Streamed, a group's figures are read whole one at a time: its kind is decided off
    the dates and values alone, and the group's rows are never held together."""
    corpus = large_corpus(tmp_path / "corpus", 300)
    for path in (corpus / "articles").glob("b*.*"):  # the cargo of each copy: seven values, all in 2024
        copy = int(path.stem[1:])
        path.write_text(path.read_text(encoding="utf-8").replace("3,200", f"{3000 + copy % 7:,}"), encoding="utf-8")
    ingest.run(corpus, tmp_path / "scoq.db")
    conn = db.connect_readonly(tmp_path / "scoq.db")
    whole = conflicts.conflicts(conn)
    assert len(whole) == 300 and {(r["topic"], r["kind"], r["values"]) for r in whole} == {
        ("cargo handled by the port (t)", "disagree", 7)}
    assert [r["value"] for r in whole[:8]] == [3000, 3000, 3000, 3000, 3000, 3000, 3000, 3000]
    same = []
    try:
        streaming_peak, whole_peak = peak_heaps(
            lambda: same.append(sum(a == b for a, b in zip(conflicts.conflicts(conn, lazy=True), whole, strict=True))),
            lambda: conflicts.conflicts(conn))
    finally:
        conn.close()
    assert same == [300]
    assert streaming_peak < whole_peak / 4
