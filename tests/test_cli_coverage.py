"""scoq coverage end to end: the shipped corpus, and a made-up one with deliberate gaps."""

import csv
import io
import json

import pytest


def tsv(text):
    return list(csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))


def test_the_shipped_corpus_is_complete_under_strict(run):
    result = run("coverage", "--strict")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout == "article_id\tline\tcol\tkind\ttext\tcontext\tstart\tend\tpath\n"
    assert result.stderr == "88 of 88 candidates covered (100.0%), 0 gaps in 5 articles\n"


def test_totals_per_article(run):
    rows = tsv(run("coverage", "--totals", "002", "004").stdout)
    assert rows == [
        {"article_id": "002_468bcedb7b044713", "candidates": "31", "covered": "31", "gaps": "0", "percent": "100"},
        {"article_id": "004_86c43b96d38f94ca", "candidates": "9", "covered": "9", "gaps": "0", "percent": "100"},
    ]


@pytest.fixture
def gappy(harbor):
    """The made-up corpus with one statement and one figure taken out of a1."""
    yaml = harbor / "articles/a1.yaml"
    text = yaml.read_text(encoding="utf-8")
    s2, s3 = text.index("  - id: a1-s2"), text.index("  - id: a1-s3")
    text = text[:s2] + text[s3:]
    yaml.write_text(text[: text.index("  - id: a1-f4")], encoding="utf-8")
    return harbor


def test_gaps_with_line_column_and_offsets(run, gappy):
    result = run("coverage", "--corpus", gappy)
    assert result.exit_code == 0
    rows = tsv(result.stdout)
    assert [(r["article_id"], r["line"], r["col"], r["kind"], r["text"], r["start"], r["end"]) for r in rows] == [
        ("a1", "6", "1", "quote", '"We will not let the marina become a market for thieves,"', "199", "256"),
        ("a1", "6", "67", "verb", "told", "265", "269"),
        ("a1", "10", "73", "number", "at least 7", "474", "484"),
    ]
    assert rows[2]["context"] == "…ers had recovered 12 boats and arrested [at least 7] people since March."
    assert rows[0]["path"].endswith("harbor/articles/a1.txt")
    assert result.stderr == "18 of 21 candidates covered (85.7%), 3 gaps in 3 articles\n"


def test_strict_fails_below_full_coverage(run, gappy):
    result = run("coverage", "--corpus", gappy, "--strict", "--format", "json", "b2")
    assert result.exit_code == 0 and json.loads(result.stdout) == []
    result = run("coverage", "--corpus", gappy, "--strict", "--format", "json", "a1")
    assert result.exit_code == 1
    assert [g["text"] for g in json.loads(result.stdout)] == [
        '"We will not let the marina become a market for thieves,"', "told", "at least 7"]
    assert result.stderr == "6 of 9 candidates covered (66.7%), 3 gaps in 1 article\n"


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "tsv"])
def test_every_format(run, gappy, fmt):
    out = run("coverage", "--corpus", gappy, "--format", fmt).stdout
    assert "at least 7" in out and "474" in out


def test_table_on_a_terminal(run, gappy):
    result = run("coverage", "--corpus", gappy, terminal=True, env={"COLUMNS": "120"})
    assert result.exit_code == 0 and result.stderr == ""
    out = result.stdout
    assert "18 of 21 candidates covered (85.7%), 3 gaps in 3 articles" in out
    assert "Line" in out and "at least 7" in out and "\x1b[1;7;33mat least 7" in out


def test_bad_corpus_and_unknown_article_exit_2(run, gappy, tmp_path):
    result = run("coverage", "--corpus", gappy, "z9")
    assert result.exit_code == 2 and "no article 'z9' in the corpus; articles: a1, b2" in result.stderr
    (gappy / "articles/b2.yaml").write_text("title: [", encoding="utf-8")
    result = run("coverage", "--corpus", gappy)
    assert result.exit_code == 2
    assert "b2.yaml:2:1: YAML syntax error" in result.stderr and "fix them, then run coverage again" in result.stderr


def test_limit_keeps_the_summary_whole(run, gappy):
    result = run("coverage", "--corpus", gappy, "--limit", "1")
    assert [r["text"] for r in tsv(result.stdout)] == ['"We will not let the marina become a market for thieves,"']
    assert result.stderr == "18 of 21 candidates covered (85.7%), 3 gaps in 3 articles\n"


def test_as_a_real_process_in_a_pipe(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("SCOQ_TERMINAL", "NO_COLOR")}
    result = subprocess.run([sys.executable, "-m", "scoq", "coverage", "--strict", "--totals"],
                            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert result.returncode == 0
    assert result.stdout.splitlines()[1] == "000_dda2cd104923b83f\t18\t18\t0\t100"
    assert result.stderr == "88 of 88 candidates covered (100.0%), 0 gaps in 5 articles\n"
