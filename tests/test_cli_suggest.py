"""scoq suggest end to end, and the curator's guide of the README, command by command."""

import csv
import io
import shutil

import pytest

from conftest import CORPORA, HARBOR

GUIDE = CORPORA / "guide"


def tsv(text):
    return list(csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))


def test_suggest_prints_a_draft(run):
    result = run("suggest", HARBOR / "articles/b2.txt", "--published", "2025-03-19")
    assert result.exit_code == 0
    assert "  - kind: dateline\n    quote: \"LAKESIDE, March 19 --\"\n" in result.stdout
    assert "    said: on Tuesday  # 2025-03-18\n" in result.stdout
    assert result.stderr == "3 statements and 2 figures suggested for b2; check each and fill in every TODO\n"


def test_suggest_uses_the_shipped_registry_when_the_corpus_has_none(run, tmp_path):
    article = tmp_path / "liu.txt"
    article.write_text('"We act," Liu Haitao said on Wednesday.\n', encoding="utf-8")
    out = run("suggest", article, "--published", "2024-07-10").stdout
    assert "    speaker: liu-haitao\n    type: direct\n    quote: We act\n" not in out  # two words: too short
    article.write_text('"We will act together," Liu Haitao said on Wednesday.\n', encoding="utf-8")
    out = run("suggest", article, "--published", "2024-07-10").stdout
    assert "    speaker: liu-haitao\n    type: direct\n    quote: We will act together\n" in out
    assert "    said: on Wednesday  # 2024-07-10\n" in out


def test_suggest_bad_input_exits_2(run, tmp_path):
    result = run("suggest", HARBOR / "articles/a1.txt", "--published", "2025-02-30")
    assert result.exit_code == 2 and "February 2025 has 28 days" in result.stderr
    existing = tmp_path / "a1.yaml"
    existing.write_text("keep me", encoding="utf-8")
    result = run("suggest", HARBOR / "articles/a1.txt", "--published", "2025-03-18", "-o", existing)
    assert result.exit_code == 2 and "exists" in result.stderr
    assert existing.read_text(encoding="utf-8") == "keep me"
    assert run("suggest", tmp_path / "none.txt", "--published", "2025").exit_code == 2


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    """The README's corpus: the made-up harbor corpus, with the guide's new article."""
    root = tmp_path / "my-corpus"
    shutil.copytree(HARBOR, root)
    monkeypatch.chdir(root)
    return root


def test_the_curators_guide(run, corpus):
    # 1. The new article's text.
    shutil.copy(GUIDE / "c3.txt", corpus / "articles/c3.txt")
    # 2. A draft, exactly as the README shows it.
    result = run("suggest", "articles/c3.txt", "--published", "2025-03-21", "-o", "articles/c3.yaml")
    assert result.exit_code == 0
    assert result.stderr == "6 statements and 4 figures suggested for c3; check each and fill in every TODO\n"
    assert (corpus / "articles/c3.yaml").read_text(encoding="utf-8") == (GUIDE / "c3.draft.yaml").read_text(
        encoding="utf-8")
    # 3. The curator's edit; coverage finds what is still missing.
    shutil.copy(GUIDE / "c3.yaml", corpus / "articles/c3.yaml")
    result = run("coverage", "--corpus", ".", "--strict", "c3")
    assert result.exit_code == 1
    assert [(g["line"], g["col"], g["kind"], g["text"]) for g in tsv(result.stdout)] == [
        ("4", "56", "number", "1"), ("12", "23", "quote", '"lifeline"'),
        ("12", "40", "number", "1952"), ("12", "70", "number", "73")]
    assert result.stderr == "11 of 15 candidates covered (73.3%), 4 gaps in 1 article\n"
    # 4. Ignore entries with their reasons: 100%.
    with open(corpus / "articles/c3.yaml", "a", encoding="utf-8") as f:
        f.write((GUIDE / "c3.ignore.yaml").read_text(encoding="utf-8"))
    result = run("coverage", "--corpus", ".", "--strict")
    assert result.exit_code == 0
    assert result.stderr == "36 of 36 candidates covered (100.0%), 0 gaps in 4 articles\n"
    # 5. Ingest, and ask.
    result = run("ingest", ".", "--db", "my.db")
    assert result.exit_code == 0
    assert "Ingested 4 articles: 4 speakers, 1 event, 16 statements, 11 figures, 1 claim" in result.stderr
    rows = tsv(run("figures", "--article", "c3", "--db", "my.db").stdout)
    assert [(r["figure_id"], r["quantity"], r["unit"], r["reporter"]) for r in rows] == [
        ("c3-f01", "about 2,500", "people", "José Álvarez"), ("c3-f02", "nearly 30", "people", "Ana Ruiz"),
        ("c3-f03", "80,000", "EUR", "Lakeside council budget office")]
