"""`scoq verify`: every annotation in the database checked against the corpus on disk."""

import csv
import io
import json
import shutil

import pytest

from conftest import edit


def rows(text):
    return list(csv.DictReader(io.StringIO(text), delimiter="\t"))


@pytest.fixture
def ingested(run, harbor, tmp_path):
    """The writable made-up corpus, ingested; verify then finds its folder by itself."""
    db = tmp_path / "h.db"
    assert run("ingest", harbor, "--db", db).exit_code == 0
    return db


def test_everything_matches_after_ingest(run, ingested, harbor):
    result = run("verify", "--db", ingested)
    assert result.exit_code == 0
    assert result.stdout == "article_id\tstatus\tkind\tid\tstart\tend\tnew_start\tnew_end\ttext\treason\tfile\tline\n"
    assert result.stderr == f"{harbor}: 3 articles, 59 annotations; all match the database\n"
    assert run("verify", "-q", "--db", ingested).stderr == ""
    assert json.loads(run("verify", "-f", "json", "--db", ingested).stdout) == []


def test_the_shipped_corpus_matches(run, shipped_db):
    result = run("verify", "--db", shipped_db)
    assert result.exit_code == 0
    assert result.stderr.endswith(": 5 articles, 228 annotations; all match the database\n")


def test_a_changed_text_names_each_stale_annotation(run, ingested, harbor):
    text = harbor / "articles" / "a1.txt"
    edit(text, "Port council agrees new patrols\n", "Port council agrees new patrols\nUpdated: cost corrected\n")
    edit(text, "about 1.5 million euros", "about 1.8 million euros")
    edit(text, "Police Chief Ana Ruiz said", 'Police Chief Ana Ruiz said "We will not let the marina become a market '
                                          'for thieves," and')
    result = run("verify", "--db", ingested)
    assert result.exit_code == 1
    found = rows(result.stdout)
    assert [(r["status"], r["kind"], r["id"]) for r in found[:4]] == [
        ("changed", "article", ""), ("ambiguous", "statement", "a1-s2"),
        ("not found", "statement", "a1-s3"), ("not found", "figure", "a1-f2")]
    assert found[0]["reason"] == ("the text changed since ingest (549 -> 635 characters); "
                                  "22 of its annotations no longer match")
    ambiguous, s3, f2 = found[1:4]
    assert (ambiguous["start"], ambiguous["end"], ambiguous["new_start"], ambiguous["new_end"]) == (
        "200", "254", "224", "278")
    assert ambiguous["reason"] == ("'We will not let the marina become a market for thieves' now occurs 2 times "
                                   "(article lines 7, 11) where it occurred once; add a prefix or suffix to say which")
    assert (s3["text"], s3["start"], s3["end"], s3["new_start"]) == (
        "The patrols will cost about 1.5 million euros a year", "305", "357", "")
    assert "(the text matches as far as 'will cost about' but not '1.5')" in s3["reason"]
    assert s3["file"] == f"{harbor}/articles/a1.yaml" and s3["line"] == "39"
    assert f2["line"] == "59"
    moved = [r for r in found if r["status"] == "moved"]
    assert len(moved) == 19 and len(found) == 23
    s1 = next(r for r in moved if r["id"] == "a1-s1" and r["kind"] == "statement")
    assert (s1["start"], s1["end"], s1["new_start"], s1["new_end"]) == ("106", "196", "130", "220")
    assert s1["reason"] == "moved from 106-196 to 130-220 (article line 5); scoq ingest records the new offsets"
    assert result.stderr == (f"Error: {harbor}: 3 articles, 59 annotations; 1 text changed; "
                             "annotations 2 not found, 1 ambiguous, 19 moved; 23 changes listed\n")
    # validate names the same two quotes that need a fix.
    problems = run("validate", harbor).stdout.splitlines()
    assert [p.split(": ")[0].rsplit("/", 1)[1] for p in problems] == ["a1.yaml:32:5", "a1.yaml:39:5", "a1.yaml:59:5"]


def test_an_edit_after_the_annotations_moves_nothing(run, ingested, harbor):
    edit(harbor / "articles" / "b2.txt", "in 2024.", "in 2024. More to follow.")
    result = run("verify", "--db", ingested, "-f", "json")
    assert result.exit_code == 1
    [changed] = json.loads(result.stdout)
    assert (changed["article_id"], changed["status"], changed["kind"]) == ("b2", "changed", "article")
    assert changed["reason"] == ("the text changed since ingest (323 -> 339 characters); "
                                 "every annotation is still where it was; scoq ingest records the new text")


def test_changed_missing_and_new_files(run, ingested, harbor):
    edit(harbor / "articles" / "a1.yaml", "counts: suspects", "counts: people arrested")
    (harbor / "articles" / "b2.txt").unlink()
    shutil.copy(harbor / "articles" / "a1.yaml", harbor / "articles" / "c3.yaml")
    edit(harbor / "registry.yaml", "kind: council", "kind: city council")
    result = run("verify", "--db", ingested, "-f", "jsonl")
    assert result.exit_code == 1
    found = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["article_id"], r["status"], r["kind"]) for r in found] == [
        (None, "changed", "registry"), ("a1", "changed", "annotations"), ("b2", "missing", "article"),
        ("c3", "new", "article")]
    assert found[2]["reason"] == "the article's text is gone; restore it, or ingest again to drop the article"
    assert found[2]["file"] == f"{harbor}/articles/b2.txt"


def test_path_and_table(run, ingested, harbor, tmp_path):
    copy = tmp_path / "elsewhere"
    shutil.copytree(harbor, copy)
    edit(copy / "articles" / "b2.txt", "Trade envoy", "Trade  envoy")  # moves what follows by one
    assert run("verify", "--db", ingested).exit_code == 0  # the folder recorded at ingest is unchanged
    table = run("verify", copy, "--db", ingested, terminal=True, env={"COLUMNS": "160"})
    assert table.exit_code == 1
    assert "6 changes since ingest" in table.stdout and "moved from 275-321 to 276-322" in table.stdout
    shutil.rmtree(harbor)
    gone = run("verify", "--db", ingested)
    assert gone.exit_code == 2
    assert f"the corpus folder recorded at ingest, {harbor}, is not there; give its path" in gone.stderr
    assert run("verify", "--db", tmp_path / "none.db").exit_code == 2


def test_curation_help_leads_with_examples(run):
    for command, example in (("validate", "scoq validate ~/my-corpus/articles/a1.yaml"),
                             ("schema", "scoq schema registry > registry.schema.json"),
                             ("show", "scoq show 003 | grep -w statement"),
                             ("verify", "scoq verify ~/my-corpus --db my.db")):
        result = run(command, "--help")
        assert result.exit_code == 0 and example in result.stdout and "Exit codes:" in result.stdout
