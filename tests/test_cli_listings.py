"""scoq articles, events/meetings, people and timeline, and --limit on who and figures, from the command line."""

import csv
import io
import json


def tsv(text):
    return list(csv.DictReader(io.StringIO(text), delimiter="\t"))


def test_articles_piped(run, shipped_db):
    result = run("articles", "--sort", "statements", "--limit", "2", "--db", shipped_db)
    assert result.exit_code == 0
    rows = tsv(result.stdout)
    assert list(rows[0]) == ["article_id", "published", "published_precision", "outlet", "title", "url",
                             "statements", "figures", "chars"]
    assert [(r["article_id"], r["statements"], r["figures"]) for r in rows] == [
        ("002_468bcedb7b044713", "14", "2"), ("000_dda2cd104923b83f", "12", "4")]
    assert rows[1]["title"] == "SCO's members will give security a boost" and rows[0]["outlet"] == ""


def test_events_and_meetings_are_one_command(run, shipped_db):
    events = run("events", "-f", "json", "--db", shipped_db)
    meetings = run("meetings", "-f", "json", "--db", shipped_db)
    assert events.exit_code == 0 and events.stdout == meetings.stdout
    rows = json.loads(events.stdout)
    assert len(rows) == 8
    frontier = next(r for r in rows if r["event_id"] == "frontier")
    assert frontier == {"event_id": "frontier",
                        "name": "10th meeting of the heads of the frontier authorities of the SCO member states",
                        "kind": "meeting", "date": "2024-07-10", "date_precision": "day",
                        "place": "Lujiazui International Conference Center", "statements": 1, "figures": 0,
                        "articles": 1}
    assert run("events", "--sort", "when", "--db", shipped_db).exit_code == 2


def test_people_csv(run, harbor_db):
    rows = list(csv.DictReader(io.StringIO(run("people", "--sort", "name", "-f", "csv", "--db", harbor_db).stdout)))
    assert [(r["name"], r["roles"], r["statements"]) for r in rows] == [
        ("Ana Ruiz", "Police Chief", "1"), ("José Álvarez", "Mayor; the town's mayor", "6"),
        ("Lakeside council budget office", "", "1"), ("Wang Lei", "Lakeside's trade envoy; Trade envoy", "2")]


def test_timeline_piped(run, shipped_db, harbor_db):
    rows = tsv(run("timeline", "--since", "2024", "--db", shipped_db).stdout)
    assert [(r["date"], r["precision"], r["kind"], r["id"]) for r in rows] == [
        ("2024-07", "month", "figure", "003-f08"), ("2024-07", "month", "figure", "003-f09"),
        ("2024-07", "month", "figure", "003-f10"), ("2024-07-10", "day", "event", "frontier"),
        ("2024-07-10", "day", "statement", "003-s01")]
    assert rows[0]["what"] == "10 full member states" and rows[0]["start"] and rows[3]["start"] == ""
    harbor = tsv(run("timeline", "--speaker", "wang", "--db", harbor_db).stdout)
    assert [(r["date"], r["kind"], r["id"], r["who"]) for r in harbor] == [
        ("2023", "figure", "g3-f2", "Wang Lei"), ("2024", "figure", "b2-f2", "Wang Lei"),
        ("", "statement", "b2-s3", "Wang Lei"), ("", "statement", "g3-s3", "Wang Lei")]


def test_limit_on_who_and_figures(run, shipped_db):
    rows = tsv(run("who", "liao", "--limit", "3", "--db", shipped_db).stdout)
    assert [r["statement_id"] for r in rows] == ["001-s01", "001-s02", "001-s03"]
    assert [r["speaker_id"] for r in tsv(run("who", "-n", "2", "--db", shipped_db).stdout)] == [
        "liao-jinrong", "zhao-kezhi"]
    rows = tsv(run("figures", "--meeting", "frontier", "--limit", "2", "--db", shipped_db).stdout)
    assert [r["figure_id"] for r in rows] == ["003-f01", "003-f02"]
    assert run("figures", "--limit", "-1", "--db", shipped_db).exit_code == 2


def test_listings_on_a_terminal(run, shipped_db):
    result = run("timeline", "--meeting", "frontier", "--db", shipped_db, terminal=True, env={"COLUMNS": "140"})
    assert result.exit_code == 0 and "10 entries" in result.stdout and "2023-08/2023-10" in result.stdout
    result = run("articles", "--db", shipped_db, terminal=True, env={"COLUMNS": "140"})
    assert "5 articles" in result.stdout and "SHINE (Shanghai" in result.stdout


def test_a_table_without_a_limit_is_cut_at_table_rows_and_says_so(run, harbor_db, monkeypatch):
    """On a screen a listing draws at most cli.TABLE_ROWS rows unless --limit asks for
    another number; a pipe gets them all."""
    from scoq import cli

    monkeypatch.setattr(cli, "TABLE_ROWS", 5)
    table = run("timeline", "--db", harbor_db, terminal=True, env={"COLUMNS": "200"})
    assert table.exit_code == 0
    assert "5 entries (the first 5 rows: --limit N shows N, a pipe or --format tsv gives them all)" in table.stdout
    assert "g3-f2" in table.stdout and "a1-s1" not in table.stdout  # the first row drawn, the seventh not
    assert "7 entries (--limit 7 reached)" in run("timeline", "-n", "7", "--db", harbor_db, terminal=True,
                                                   env={"COLUMNS": "200"}).stdout
    piped = run("timeline", "--db", harbor_db)
    assert len(piped.stdout.splitlines()) == 1 + 19
    cut = run("who", "alvarez", "--db", harbor_db, terminal=True, env={"COLUMNS": "200"}).stdout
    assert "José Álvarez: 5 statements in 3 articles (the first 5 rows:" in cut  # of his 6
    whole = run("who", "wang", "--db", harbor_db, terminal=True, env={"COLUMNS": "200"}).stdout
    assert "Wang Lei: 2 statements in 2 articles" in whole and "first 5 rows" not in whole


def test_a_table_says_when_the_limit_cut_it_short(run, shipped_db):
    result = run("who", "liao", "--limit", "2", "--db", shipped_db, terminal=True, env={"COLUMNS": "140"})
    assert "Liao Jinrong: 2 statements in 1 article (--limit 2 reached)" in result.stdout
    result = run("people", "--limit", "20", "--db", shipped_db, terminal=True, env={"COLUMNS": "140"})
    assert "7 speakers" in result.stdout and "reached" not in result.stdout
