"""scoq suggest end to end (the README's curator's guide is tests/test_curators_guide.py)."""

from conftest import HARBOR


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
