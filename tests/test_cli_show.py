"""`scoq show`: one article with its annotations marked, as text, rows or one JSON object."""

import csv
import io
import json
import re

from conftest import HARBOR


def rows(text):
    return list(csv.DictReader(io.StringIO(text), delimiter="\t"))


def test_spans_in_a_pipe_are_rows_in_text_order(run, harbor_db):
    result = run("show", "a1", "--db", harbor_db)
    assert result.exit_code == 0
    spans = rows(result.stdout)
    assert list(spans[0]) == ["kind", "id", "start", "end", "speaker_id", "speaker", "type", "text", "article_id"]
    assert [(s["kind"], s["id"]) for s in spans if s["kind"] in ("statement", "figure")] == [
        ("statement", "a1-s1"), ("figure", "a1-f1"), ("statement", "a1-s2"), ("statement", "a1-s3"),
        ("figure", "a1-f2"), ("statement", "a1-s4"), ("figure", "a1-f3"), ("figure", "a1-f4")]
    text = (HARBOR / "articles" / "a1.txt").read_text(encoding="utf-8")
    for s in spans:
        assert text[int(s["start"]):int(s["end"])] == s["text"]
    s2 = next(s for s in spans if s["id"] == "a1-s2" and s["kind"] == "statement")
    assert (s2["speaker"], s2["type"], s2["text"]) == (
        "José Álvarez", "direct", "We will not let the marina become a market for thieves")
    caption = spans[-1]
    assert (caption["kind"], caption["type"], caption["start"], caption["end"]) == ("furniture", "caption", "506", "548")
    f4 = next(s for s in spans if s["id"] == "a1-f4" and s["kind"] == "quantity")
    assert (f4["text"], f4["type"], f4["speaker"]) == ("at least 7", "people", "Ana Ruiz")


def test_json_is_one_object_with_metadata_text_and_spans(run, conn, shipped_db):
    result = run("show", "003", "--format", "json", "--db", shipped_db)
    doc = json.loads(result.stdout)
    assert doc["article_id"] == "003_11cea8c31ae39c19"
    assert doc["title"] == "SCO committed to maintaining regional security"
    assert (doc["outlet"], doc["published"]) == ("SHINE (Shanghai Daily)", "2024-07-10")
    statements = [s for s in doc["spans"] if s["kind"] == "statement"]
    figures = [s for s in doc["spans"] if s["kind"] == "figure"]
    assert [s["id"] for s in statements] == ["003-s01"] and len(figures) == 10
    for s in doc["spans"]:
        assert doc["text"][s["start"]:s["end"]] == s["text"]
    assert figures[0]["text"] == "more than 12,000 lawbreakers were arrested" and figures[0]["speaker"] is None


def test_terminal_marks_the_text_and_names_the_speakers(run, shipped_db):
    result = run("show", "002", "--db", shipped_db, terminal=True, env={"COLUMNS": "100", "NO_COLOR": "1"})
    assert result.exit_code == 0
    plain = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)
    tags = re.findall(r"\[(002-[sf]\d\d)\]", plain)
    # Each tag follows the end of its span: a figure inside a statement comes first.
    assert tags == ["002-s01", "002-s02", "002-f01", "002-s03", "002-f02", "002-s04"] + [
        f"002-s{i:02}" for i in range(5, 15)]
    assert "Liao Jinrong (liao-jinrong): 14 statements, 2 figures" in plain
    assert "page furniture (1 span), never an answer" in plain
    assert max(len(line) for line in plain.splitlines()) <= 100
    assert "economic development[002-s14]." in " ".join(plain.split())


def test_terminal_colours_each_speaker(run, harbor_db):
    result = run("show", "a1", "--db", harbor_db, terminal=True, env={"COLUMNS": "120"})
    out = result.stdout
    assert "\x1b[36mWe will not let the marina become a market for thieves" in out  # Álvarez: cyan
    assert "\x1b[1;35mLakeside council budget office\x1b[0m (budget-office): 1 statement, 1 figure" in out
    assert "\x1b[1;32mAna Ruiz\x1b[0m (ana-ruiz): 1 statement, 2 figures" in out
    # A caption containing brackets is shown as text, not read as markup.
    assert "Photo: Boats at the marina. [Courier/File]" in out


def test_article_not_found_or_ambiguous(run, shipped_db):
    missing = run("show", "009", "--db", shipped_db)
    assert missing.exit_code == 1 and "no article matches '009'" in missing.stderr
    several = run("show", "00", "--db", shipped_db)
    assert several.exit_code == 2
    assert "'00' matches 5 articles; name one of them" in several.stderr
    assert "003_11cea8c31ae39c19\tSCO committed to maintaining regional security (SHINE (Shanghai Daily))" in several.stderr


def test_show_in_a_pipe_imports_nothing_heavy(shipped_db):
    import subprocess
    import sys

    probe = ("import sys; sys.argv = ['scoq'] + sys.argv[1:]\nfrom scoq.cli import main\ntry:\n    main()\n"
             "except SystemExit:\n    pass\nprint(','.join(m for m in ('yaml', 'sqlite_utils', 'rich', 'pydantic') "
             "if m in sys.modules), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", probe, "show", "003", "--db", str(shipped_db)],
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.startswith("kind\tid\tstart\tend\t") and result.stderr.strip() == ""
