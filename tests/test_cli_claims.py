"""scoq claims, titles, conflicts and export end to end, in process through click's CliRunner."""

import csv
import io
import json
import re

import pytest

from conftest import HARBOR, all_rows
from scoq import db


def tsv(text):
    return list(csv.DictReader(io.StringIO(text), delimiter="\t"))


@pytest.fixture
def dbs(tmp_path, run):
    """The shipped corpus and the made-up one, each ingested through the command line."""
    paths = {"shipped": tmp_path / "shipped.db", "harbor": tmp_path / "harbor.db"}
    assert run("ingest", "-q", "--db", paths["shipped"]).exit_code == 0
    assert run("ingest", "-q", HARBOR, "--db", paths["harbor"]).exit_code == 0
    return paths


PLAIN = {"COLUMNS": "120", "NO_COLOR": "1"}


def plain(result) -> str:
    """A table as the eye reads it: without styles."""
    return re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)


def test_claims_listed_with_counts(run, dbs):
    result = run("claims", "--db", dbs["shipped"])
    assert result.exit_code == 0
    rows = tsv(result.stdout)
    assert list(rows[0]) == ["claim_id", "summary", "statements", "articles", "outlets", "outlet_names", "speakers"]
    assert [(r["claim_id"], r["statements"], r["articles"]) for r in rows[:2]] == [
        ("expansion-benefits", "4", "3"), ("attacks-prevented", "3", "3")]
    [patrols] = tsv(run("claims", "--db", dbs["harbor"]).stdout)
    assert patrols["outlet_names"] == "(outlet not stated); Harbour Gazette; Lakeside Courier"
    assert (patrols["statements"], patrols["articles"], patrols["outlets"]) == ("4", "3", "2")


def test_one_claim_piped_and_as_json(run, dbs):
    rows = tsv(run("claims", "attacks prevented", "--db", dbs["shipped"]).stdout)
    assert list(rows[0]) == ["claim_id", "summary", "statement_id", "outlet", "article_id", "published",
                             "speaker_id", "speaker", "role", "said", "type", "cue", "text", "start", "end"]
    assert [(r["outlet"], r["statement_id"], r["type"], r["cue"]) for r in rows] == [
        ("Global Times", "001-s04", "indirect", "said"), ("", "002-s03", "indirect", "noted"),
        ("China Daily", "000-s04", "indirect", "said")]
    data = json.loads(run("claims", "patrols-added", "-f", "json", "--db", dbs["harbor"]).stdout)
    assert [(r["outlet"], r["role"], r["start"], r["end"]) for r in data] == [
        ("Lakeside Courier", "Mayor", 106, 196), (None, "Mayor", 58, 106), (None, "Mayor", 163, 241),
        ("Harbour Gazette", "the town's mayor", 49, 95)]
    text = (HARBOR / "articles/g3.txt").read_text(encoding="utf-8")
    assert text[49:95] == data[3]["text"] == "Lakeside will put night patrols in its harbour"


def test_several_claims_match_and_none_match(run, dbs):
    rows = tsv(run("claims", "challenge", "--db", dbs["shipped"]).stdout)
    assert sorted({r["claim_id"] for r in rows}) == [
        "cooperation-to-be-enhanced", "four-challenges", "measures-in-preparation", "terrorism-top-challenge"]
    none = run("claims", "olympic games", "--db", dbs["shipped"])
    assert none.exit_code == 1 and none.stdout == ""
    assert "no claim matches 'olympic games'" in none.stderr
    close = run("claims", "atacks-prevented", "--db", dbs["shipped"])
    assert close.exit_code == 1 and "did you mean: attacks-prevented?" in close.stderr


def test_one_claim_on_a_terminal_puts_the_outlets_side_by_side(run, dbs):
    result = run("claims", "attacks-prevented", "--db", dbs["shipped"], terminal=True, env=PLAIN)
    assert result.exit_code == 0
    lines = plain(result).splitlines()
    assert max(len(line) for line in lines) <= 120
    assert lines[0].startswith("attacks-prevented: SCO members have prevented hundreds of terrorist attacks")
    header = next(line for line in lines if "Global Times" in line)
    assert "China Daily" in header  # one column per outlet, on one line
    assert header.index("Global Times") < header.index("China Daily")
    assert "002_468bcedb7b044713" in "".join(lines[:6])  # the unnamed outlet is its own column
    first_row = next(i for i, line in enumerate(lines) if line.startswith(" ──")) + 1
    assert lines[first_row].split() [:3] == ["Over", "the", "past"]
    assert "member countries have prevented" in lines[first_row]
    assert "001-s04 · 001_37ed9a5634ffda20" in plain(result)


def test_harbor_claim_on_a_terminal(run, dbs):
    result = run("claims", "patrols", "--db", dbs["harbor"], terminal=True, env=PLAIN)
    header = next(line for line in plain(result).splitlines() if "Lakeside Courier" in line)
    assert "(outlet not stated) b2" in header and "Harbour Gazette" in header
    assert "— José Álvarez, the town's mayor" in result.stdout


def test_titles(run, dbs):
    rows = tsv(run("titles", "liao", "--db", dbs["shipped"]).stdout)
    assert [(r["outlet"], r["role"], r["article_id"], r["start"], r["end"]) for r in rows] == [
        ("Global Times", "head of the international cooperation department with the Ministry of Public Security",
         "001_37ed9a5634ffda20", "324", "409"),
        ("", "director of the Ministry of Public Security's International Cooperation Bureau",
         "002_468bcedb7b044713", "821", "899"),
        ("China Daily", "head of the International Cooperation Bureau of the Ministry of Public Security",
         "000_dda2cd104923b83f", "513", "592")]
    every = tsv(run("titles", "--db", dbs["shipped"]).stdout)
    assert len(every) == 6 and {r["speaker_id"] for r in every} >= {"zhao-kezhi", "liu-haitao"}
    table = run("titles", "alvarez", "--db", dbs["harbor"], terminal=True, env=PLAIN)
    assert plain(table).startswith("José Álvarez: 2 titles in 3 articles")
    assert "the town's mayor" in table.stdout
    wang = json.loads(run("titles", "wang", "-f", "json", "--db", dbs["harbor"]).stdout)
    assert [(r["outlet"], r["role"], r["start"], r["end"]) for r in wang] == [
        (None, "Trade envoy", 244, 255), ("Harbour Gazette", "Lakeside's trade envoy", 224, 246)]
    assert (HARBOR / "articles/g3.txt").read_text(encoding="utf-8")[224:246] == "Lakeside's trade envoy"
    assert run("titles", "nobody", "--db", dbs["shipped"]).exit_code == 1
    assert run("titles", "secretaries", "--db", dbs["shipped"]).exit_code == 2


def test_conflicts_piped(run, dbs):
    result = run("conflicts", "--db", dbs["shipped"])
    assert result.exit_code == 0
    rows = tsv(result.stdout)
    assert [(r["topic"], r["kind"], r["quantity"], r["date"], r["date_precision"], r["article_id"]) for r in rows
            if r["topic"].startswith("SCO full")] == [
        ("SCO full member states (countries)", "changed", "eight", "2018", "year", "000_dda2cd104923b83f"),
        ("SCO full member states (countries)", "changed", "10", "2024-07", "month", "003_11cea8c31ae39c19")]
    assert len(rows) == 6
    harbor = json.loads(run("conflicts", "--about", "boats", "-f", "json", "--db", dbs["harbor"]).stdout)
    assert [(r["figure_id"], r["kind"], r["value"], r["qualifier"], r["outlet"]) for r in harbor] == [
        ("g3-f1", "disagree", 35, "exact", "Harbour Gazette"), ("a1-f1", "disagree", 40, "more than", "Lakeside Courier"),
        ("b2-f1", "disagree", 40, "more than", None)]


def test_conflicts_options_and_exit_codes(run, dbs):
    limited = tsv(run("conflicts", "--limit", "1", "--db", dbs["harbor"]).stdout)
    assert {r["topic"] for r in limited} == {"boats stolen from the marina (boats)"}
    none = run("conflicts", "--about", "lawbreakers", "--db", dbs["shipped"])
    assert none.exit_code == 1 and none.stdout.startswith("topic\ttopic_key\tkind\t")
    assert none.stderr.strip() == "no conflicting figures"
    assert run("conflicts", "--limit", "-1", "--db", dbs["shipped"]).exit_code == 2
    table = run("conflicts", "--db", dbs["harbor"], terminal=True, env=PLAIN)
    assert plain(table).startswith("2 conflicts, 5 figures")
    assert "disagree" in table.stdout and "changed" in table.stdout and "2,900 tonnes" in table.stdout


@pytest.mark.parametrize("corpus", ["shipped", "harbor"])
@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_export_and_ingest_give_back_the_same_database(run, dbs, tmp_path, corpus, fmt):
    result = run("export", "--format", fmt, "--db", dbs[corpus])
    assert result.exit_code == 0 and result.stderr == ""
    file = tmp_path / f"corpus.{fmt}"
    file.write_text(result.stdout, encoding="utf-8")
    copy = tmp_path / "copy.db"
    again = run("ingest", file, "--db", copy)
    assert again.exit_code == 0, again.stderr
    assert again.stderr.startswith("Ingested 5 articles: 7 speakers" if corpus == "shipped" else
                                   "Ingested 3 articles: 4 speakers, 1 event, 10 statements, 8 figures")
    assert all_rows(copy) == all_rows(dbs[corpus])


def test_export_json_document(run, dbs):
    doc = json.loads(run("export", "--db", dbs["harbor"]).stdout)
    assert [a["id"] for a in doc["articles"]] == ["a1", "b2", "g3"]
    assert [s["id"] for s in doc["articles"][2]["statements"]] == ["g3-s1", "g3-s2", "g3-s3"]
    assert doc["registry"]["claims"] == [
        {"id": "patrols-added", "summary": "Lakeside adds night patrols in the harbor after boat thefts."}]


def test_export_csv_and_tsv(run, dbs, tmp_path):
    statements = list(csv.DictReader(io.StringIO(run("export", "-f", "csv", "--db", dbs["shipped"]).stdout)))
    assert len(statements) == 47 and statements[0]["id"] == "000-s01"
    assert list(statements[0])[:6] == ["id", "article_id", "speaker_id", "type", "text", "start"]
    figures = tsv(run("export", "-f", "tsv", "--table", "figures", "--db", dbs["harbor"]).stdout)
    assert [(f["id"], f["value"], f["period_start"]) for f in figures if f["id"].startswith("g3")] == [
        ("g3-f1", "35", "2025-02-01"), ("g3-f2", "2900", "2023-01-01")]
    out = tmp_path / "tables"
    result = run("export", "-f", "csv", "--out", out, "--db", dbs["harbor"])
    assert result.exit_code == 0 and result.stdout == ""
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.csv" for t in db.LOAD_ORDER)
    articles = list(csv.DictReader(open(out / "articles.csv", encoding="utf-8", newline="")))
    assert articles[2]["text"] == (HARBOR / "articles/g3.txt").read_text(encoding="utf-8")


def test_export_options_that_do_not_fit_the_format(run, dbs, tmp_path):
    for args in (["--table", "figures"], ["--out", tmp_path / "t"], ["-f", "jsonl", "--table", "figures"],
                 ["-f", "csv", "--table", "figures", "--out", tmp_path / "t"]):
        result = run("export", *args, "--db", dbs["harbor"])
        assert result.exit_code == 2 and result.stdout == "", args
    assert not (tmp_path / "t").exists()
    assert "--table and --out are for csv and tsv" in run("export", "--table", "figures", "--db", dbs["harbor"]).stderr


def test_ingest_refuses_a_file_that_is_not_an_export(run, dbs, tmp_path):
    before = dbs["harbor"].read_bytes()
    bad = tmp_path / "notes.json"
    bad.write_text('{"articles": []}')
    result = run("ingest", bad, "--db", dbs["harbor"])
    assert result.exit_code == 2
    assert "notes.json: not a scoq export" in result.stderr and "the database was not changed" in result.stderr
    yaml_file = run("ingest", HARBOR / "registry.yaml", "--db", dbs["harbor"])
    assert yaml_file.exit_code == 2 and "registry.yaml:1:1: not JSON" in yaml_file.stderr
    assert dbs["harbor"].read_bytes() == before


def test_export_table_names_are_the_schemas():
    from scoq.cli import EXPORT_TABLES

    assert EXPORT_TABLES == db.LOAD_ORDER


def test_help_leads_with_examples(run):
    for command, example in (("claims", "scoq claims attacks-prevented"), ("titles", "scoq titles liao"),
                             ("conflicts", "scoq conflicts --about \"full members\""),
                             ("export", "scoq ingest corpus.json --db copy.db")):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Examples:" in result.stdout and example in result.stdout
        assert "Exit codes:" in result.stdout


def test_a_narrow_terminal_gets_one_row_per_statement_grouped_by_outlet(run, dbs):
    result = run("claims", "attacks-prevented", "--db", dbs["shipped"], terminal=True,
                 env={"COLUMNS": "80", "NO_COLOR": "1"})
    lines = plain(result).splitlines()
    assert max(len(line) for line in lines) <= 80
    header = next(line for line in lines if "Outlet" in line)
    assert header.split() == ["Outlet", "Speaker", "Type", "Statement"]
    firsts = [line.split()[0] for line in lines if line.startswith("  ") and line.strip()]
    outlets = [word for word in firsts if word in ("Global", "002_468bcedb7b044713", "China")]
    assert outlets == ["Global", "002_468bcedb7b044713", "China"]
