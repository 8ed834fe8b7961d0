"""The command line end to end, in process through click's CliRunner."""

import csv
import io
import json

import pytest

from conftest import HARBOR, edit


@pytest.fixture
def dbfile(tmp_path, run):
    path = tmp_path / "scoq.db"
    result = run("ingest", "--db", path)
    assert result.exit_code == 0, result.stderr
    return path


def tsv(text):
    return list(csv.DictReader(io.StringIO(text), delimiter="\t"))


def test_ingest_summary(run, tmp_path):
    result = run("ingest", "--db", tmp_path / "x.db")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.startswith(
        "Ingested 5 articles: 7 speakers, 8 events, 47 statements, 16 figures, 11 claims -> ")


def test_ingest_uses_scoq_db_from_the_environment(run, tmp_path):
    target = tmp_path / "env.db"
    assert run("ingest", "-q", env={"SCOQ_DB": str(target)}).exit_code == 0
    assert target.is_file()
    result = run("who", "Liu Haitao", env={"SCOQ_DB": str(target)})
    assert result.exit_code == 0 and len(tsv(result.stdout)) == 1


def test_ingest_of_a_users_own_corpus(run, tmp_path):
    result = run("ingest", HARBOR, "--db", tmp_path / "h.db")
    assert result.exit_code == 0
    assert "Ingested 3 articles: 4 speakers, 1 event, 10 statements, 8 figures, 1 claim" in result.stderr


def test_bad_input_lists_every_problem_and_keeps_the_database(run, dbfile, harbor):
    before = dbfile.read_bytes()
    edit(harbor / "articles/a1.yaml", "cue: told", "cue: shouted")
    edit(harbor / "articles/b2.yaml", "speaker: wang-lei", "speaker: wang-li")
    result = run("ingest", harbor, "--db", dbfile)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].endswith("a1.yaml:30:5: statements[1] (a1-s2).cue: 'shouted' is not in the article text "
                             "(not even its first word is in the text); copy the words exactly as the article has them")
    assert lines[1].endswith("b2.yaml:31:5: statements[2] (b2-s3).speaker: no speaker 'wang-li' in the registry "
                             "(did you mean 'wang-lei'?); add it to registry.yaml or correct the id")
    assert lines[2].startswith("Error: 2 problems in ") and lines[2].endswith("; the database was not changed.")
    assert dbfile.read_bytes() == before


def test_who_piped_is_tsv_with_stable_fields(run, dbfile):
    result = run("who", "Liao Jinrong", "--db", dbfile)
    assert result.exit_code == 0
    rows = tsv(result.stdout)
    assert len(rows) == 36
    assert list(rows[0]) == [
        "statement_id", "said", "said_precision", "said_basis", "said_as_written", "speaker_id", "speaker", "role",
            "source",
        "cue", "type", "event_id", "event", "claim_id", "claim", "text", "start", "end", "article_id",
        "outlet", "published", "title", "url"]
    assert rows[0]["statement_id"] == "001-s01" and rows[0]["outlet"] == "Global Times"
    assert "\x1b" not in result.stdout and "─" not in result.stdout


def test_who_json_carries_ids_and_offsets(run, dbfile):
    result = run("who", "liu", "--format", "json", "--db", dbfile)
    [row] = json.loads(result.stdout)
    assert row["statement_id"] == "003-s01" and row["said"] == "2024-07-10"
    assert row["type"] == "direct" and row["role"] == "deputy director of the State Migration Administration"
    text = (HARBOR.parent.parent.parent / "data/articles/003_11cea8c31ae39c19.txt").read_text(encoding="utf-8")
    assert text[row["start"]:row["end"]] == row["text"]


def test_who_filters_on_the_command_line(run, dbfile):
    result = run("who", "liao", "--direct", "--format", "jsonl", "--db", dbfile)
    assert [json.loads(line)["statement_id"] for line in result.stdout.splitlines()] == [
        "001-s09", "002-s05", "002-s08", "000-s02", "000-s12"]
    result = run("who", "--meeting", "frontier", "--db", dbfile)
    assert [r["speaker"] for r in tsv(result.stdout)] == ["Liu Haitao"]
    result = run("who", "zhao", "--since", "2018-05-22", "--until", "2018-05-22", "-f", "csv", "--db", dbfile)
    assert len(list(csv.DictReader(io.StringIO(result.stdout)))) == 4


def test_who_without_a_name_lists_speakers(run, dbfile):
    rows = tsv(run("who", "--db", dbfile).stdout)
    assert [(r["speaker_id"], r["statements"]) for r in rows] == [
        ("liao-jinrong", "36"), ("zhao-kezhi", "4"), ("secretaries-all-parties", "3"), ("liu-haitao", "1"),
        ("nikolai-patrushev", "1"), ("secretaries-press-release", "1"), ("secretaries-countries", "1")]


def test_exit_codes(run, dbfile, tmp_path):
    none = run("who", "Lio Jinrong", "--db", dbfile)
    assert none.exit_code == 1
    assert "no speaker matches 'Lio Jinrong'; did you mean: Liao Jinrong?" in none.stderr
    empty = run("who", "liao", "--since", "2020", "--db", dbfile)
    assert empty.exit_code == 1 and empty.stderr.strip() == "no statements match"
    assert empty.stdout.startswith("statement_id\t")  # the header still comes, for scripts
    several = run("who", "li", "--db", dbfile)
    assert several.exit_code == 2
    assert "'li' matches 2 speakers; name one of them" in several.stderr
    assert "liu-haitao\tLiu Haitao (person)" in several.stderr
    missing = run("who", "liao", "--db", tmp_path / "none.db")
    assert missing.exit_code == 2 and "build it first with: scoq ingest" in missing.stderr
    assert run("figures", "--since", "2018-02-30", "--db", dbfile).exit_code == 2
    assert run("figures", "--format", "xml", "--db", dbfile).exit_code == 2
    assert run("who", "x'; DROP TABLE statements; --", "--db", dbfile).exit_code == 1
    assert run("who", "liao", "--db", dbfile).exit_code == 0


def test_figures_of_the_frontier_meeting(run, dbfile):
    result = run("figures", "--meeting", "frontier", "--db", dbfile)
    rows = tsv(result.stdout)
    assert [(r["quantity"], r["value"], r["unit"]) for r in rows] == [
        ("more than 12,000", "12000", "people"), ("over 9,600", "9600", "people"), ("75", "75", "firearms"),
        ("13,800", "13800", "rounds"), ("more than 1,000", "1000", "knives"), ("8.8 tons", "8.8", "t"),
        ("1,178.3 tons", "1178.3", "t")]
    assert {r["period"] for r in rows} == {"2023-08/2023-10"}


def test_figures_filters(run, dbfile):
    rows = json.loads(run("figures", "--about", "members", "-f", "json", "--db", dbfile).stdout)
    assert [(r["value"], r["as_of"], r["outlet"]) for r in rows] == [
        (8, "2018", "China Daily"), (10, "2024-07", "SHINE (Shanghai Daily)")]
    rows = tsv(run("figures", "--speaker", "liao", "--unit", "challenges", "--db", dbfile).stdout)
    assert [(r["figure_id"], r["value"], r["reporter"]) for r in rows] == [("002-f02", "4", "Liao Jinrong")]
    assert run("figures", "--meeting", "olympics", "--db", dbfile).exit_code == 1


def test_terminal_gets_a_table(run, dbfile):
    result = run("who", "Liao Jinrong", "--db", dbfile, terminal=True, env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Liao Jinrong: 36 statements in 3 articles" in result.stdout
    assert "qingdao-press-conference" in result.stdout and "─" in result.stdout
    figures = run("figures", "--meeting", "frontier", "--db", dbfile, terminal=True, env={"COLUMNS": "200"})
    assert "7 figures" in figures.stdout and "more than 12,000" in figures.stdout


def test_help_leads_with_examples_and_exit_codes(run):
    for command in ([], ["ingest"], ["who"], ["figures"]):
        result = run(*command, "--help")
        assert result.exit_code == 0
        assert "Exit codes:" in result.stdout
    assert "scoq who liao --direct --format json" in run("who", "--help").stdout
    assert run("--version").stdout.strip() == "scoq, version 0.1.0"
