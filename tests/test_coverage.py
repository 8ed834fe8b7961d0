"""Candidates for statements and figures, the covered rule, and ignore entries."""

import pytest

from conftest import edit, problems
from scoq import coverage
from scoq.problems import InputError


def kinds(body):
    return [(c.kind, body[c.start:c.end]) for c in coverage.candidates(body)]


def test_numbers_quotes_and_verbs_are_candidates():
    body = ('More than 1,000 knives, hundreds of attacks, the 10th meeting and eight boats, '
            'Liu said. \u201cWe act,\u201d she pointed out, according to "the report"')
    assert kinds(body) == [
        ("number", "More than 1,000"), ("number", "hundreds"), ("number", "10th"), ("number", "eight"),
        ("verb", "said"), ("quote", "\u201cWe act,\u201d"), ("verb", "pointed out"),
        ("verb", "according to"), ("quote", '"the report"'),
    ]


def test_an_unclosed_quotation_runs_to_the_end_of_its_line():
    body = '"We will act.\nHe said.'
    assert kinds(body) == [("quote", '"We will act.'), ("verb", "said")]


def test_words_inside_other_words_are_not_candidates():
    assert kinds("The member states saidso someone10 attoned") == []


def check(root, *wanted):
    return coverage.check(root, wanted)


def test_the_shipped_corpus_is_fully_covered(shipped_corpus):
    gaps, totals = check(shipped_corpus)
    assert gaps == []
    assert [(t["article_id"][:3], t["candidates"], t["percent"]) for t in totals] == [
        ("000", 18, 100.0), ("001", 15, 100.0), ("002", 31, 100.0), ("003", 15, 100.0), ("004", 9, 100.0)]


def test_a_number_inside_a_statement_is_a_gap_until_it_is_a_figure(harbor):
    yaml = harbor / "articles/a1.yaml"
    text = yaml.read_text(encoding="utf-8")
    yaml.write_text(text[: text.index("  - id: a1-f4")], encoding="utf-8")
    gaps, totals = check(harbor, "a1")
    assert [(g["line"], g["col"], g["kind"], g["text"], g["start"], g["end"]) for g in gaps] == [
        (10, 73, "number", "at least 7", 474, 484)]
    assert totals == [{"article_id": "a1", "candidates": 9, "covered": 8, "gaps": 1, "percent": 88.9}]


def test_an_ignore_entry_covers_its_words(harbor):
    yaml = harbor / "articles/a1.yaml"
    text = yaml.read_text(encoding="utf-8")
    yaml.write_text(text[: text.index("  - id: a1-f4")]
                    + "ignore:\n  - quote: at least 7\n    reason: counted in a1-s4 only\n", encoding="utf-8")
    gaps, totals = check(harbor, "a1")
    assert gaps == [] and totals[0]["percent"] == 100.0


def test_an_ignore_not_in_the_text_is_an_error_at_its_line(harbor):
    with open(harbor / "articles/b2.yaml", "a", encoding="utf-8") as f:
        f.write("ignore:\n  - quote: 3,300 tonnes\n    reason: a typo\n")
    assert problems(harbor) == [
        "articles/b2.yaml:54:5: ignore[0]: '3,300 tonnes' is not in the article text "
        "(not even its first word is in the text); copy the words exactly as the article has them"]


def test_an_ignore_needs_a_reason(harbor):
    with open(harbor / "articles/b2.yaml", "a", encoding="utf-8") as f:
        f.write("ignore:\n  - quote: in 2024\n")
    found = problems(harbor)
    assert len(found) == 1 and "ignore[0]" in found[0] and "reason" in found[0]


def test_an_unknown_article_is_named(harbor):
    with pytest.raises(LookupError, match="no article 'c9' in the corpus; articles: a1, b2"):
        check(harbor, "c9")
    edit(harbor / "articles/a1.yaml", "cue: told", "cue: shouted")
    with pytest.raises(InputError):
        check(harbor)


def test_gaps_kept_are_the_first_of_all_and_totals_count_every_one(harbor):
    for name in ("a1", "b2"):  # their figures unannotated: every number is a gap
        yaml = harbor / f"articles/{name}.yaml"
        text = yaml.read_text(encoding="utf-8")
        yaml.write_text(text[: text.index("figures:")], encoding="utf-8")
    gaps, totals = coverage.check(harbor)
    assert len(gaps) > 3 and {g["article_id"] for g in gaps} == {"a1", "b2"}
    for n in (0, 1, 3):
        assert coverage.check(harbor, max_gaps=n) == (gaps[:n], totals)
