"""scoq search from the command line: pipes, JSON, a terminal, awkward queries, a real process."""

import csv
import io
import json
import os
import subprocess
import sys

import pytest


def tsv(text):
    return list(csv.DictReader(io.StringIO(text), delimiter="\t"))


FIELDS = ["kind", "id", "article_id", "start", "end", "speaker", "said", "event_id", "snippet", "rank"]


def test_search_piped_is_tsv_without_markers(run, shipped_db):
    result = run("search", "terrorism", "--limit", "2", "--db", shipped_db)
    assert result.exit_code == 0
    rows = tsv(result.stdout)
    assert list(rows[0]) == FIELDS
    assert [(r["kind"], r["id"], r["start"], r["end"], r["speaker"], r["event_id"]) for r in rows] == [
        ("statement", "001-s03", "514", "575", "Liao Jinrong", "qingdao-press-conference"),
        ("statement", "002-s05", "1486", "1542", "Liao Jinrong", "qingdao-press-conference")]
    assert rows[0]["snippet"] == "Terrorism is the most severe security challenge the SCO faces"
    assert "\x1b" not in result.stdout and "\x02" not in result.stdout and "marks" not in result.stdout


def test_search_json_with_filters(run, shipped_db):
    result = run("search", '"security cooperation"', "--speaker", "liao", "--article", "002", "-f", "json",
                 "--db", shipped_db)
    rows = json.loads(result.stdout)
    assert [(r["kind"], r["id"]) for r in rows] == [
        ("statement", "002-s11"), ("statement", "002-s01"), ("statement", "002-s13"),
        ("article", "002_468bcedb7b044713")]
    assert list(rows[0]) == FIELDS and isinstance(rows[0]["rank"], float) and rows[0]["start"] == 2643


def test_search_in_chinese_on_the_harbor_corpus(run, harbor_db):
    rows = tsv(run("search", "王", "--db", harbor_db).stdout)
    assert [(r["kind"], r["id"], r["start"], r["end"], r["rank"]) for r in rows] == [("article", "b2", "244", "322", "-1")]
    assert "(王磊)" in rows[0]["snippet"]


def test_search_terminal_highlights_the_match(run, shipped_db):
    result = run("search", "terrorism", "--limit", "1", "--db", shipped_db, terminal=True, env={"COLUMNS": "160"})
    assert result.exit_code == 0
    assert "1 hit for terrorism" in result.stdout
    assert "\x1b[1;33mTerrorism\x1b[0m is the most severe" in result.stdout


@pytest.mark.parametrize("query", ["U.S.", '"unbalanced', "x'; DROP TABLE statements; --", "NEAR("])
def test_awkward_queries_answer_without_a_traceback(run, shipped_db, query):
    result = run("search", query, "--db", shipped_db)
    assert result.exit_code == 1
    assert result.stdout == "\t".join(FIELDS) + "\n" and result.stderr.strip() == "no hits"


def test_search_exit_codes(run, shipped_db, tmp_path):
    assert run("search", "SCO's", "--db", shipped_db).exit_code == 0
    assert run("search", "", "--db", shipped_db).exit_code == 2
    assert run("search", "terrorism", "--since", "2018-13", "--db", shipped_db).exit_code == 2
    assert run("search", "terrorism", "--speaker", "nobody", "--db", shipped_db).exit_code == 1
    assert run("search", "terrorism", "--db", tmp_path / "none.db").exit_code == 2
    assert run("search", "terrorism", "--limit", "0", "--db", shipped_db).exit_code == 2


def test_search_as_a_real_process(shipped_db, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SCOQ_DB", "SCOQ_TERMINAL", "NO_COLOR")}
    result = subprocess.run([sys.executable, "-m", "scoq", "search", "hundreds", "--db", str(shipped_db)],
                            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert result.returncode == 0 and result.stderr == ""
    rows = tsv(result.stdout)
    assert {(r["kind"], r["id"]) for r in rows} == {
        ("statement", "000-s04"), ("statement", "002-s03"),
        ("article", "000_dda2cd104923b83f"), ("article", "002_468bcedb7b044713")}
