import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoq import anchor
from scoq.anchor import AnchorError, Quote


def test_line_break_before_a_comma_is_tolerated(shipped_corpus):
    text = (shipped_corpus / "articles" / "001_37ed9a5634ffda20.txt").read_text(encoding="utf-8")
    start, end = anchor.locate(text, Quote("the Ministry of Public Security, said at a press conference"))
    assert text[start:end] == "the Ministry of Public Security\n, said at a press conference"


def test_runs_of_white_space_match_any_white_space():
    text = "He said:\n   the  border   is\tclosed."
    start, end = anchor.locate(text, Quote("the border is closed"))
    assert text[start:end] == "the  border   is\tclosed"


def test_a_changed_word_is_never_found_and_the_error_says_where():
    text = "Terrorism is the most severe security challenge the SCO faces."
    with pytest.raises(AnchorError) as e:
        anchor.locate(text, Quote("Terrorism is the most serious security challenge"))
    assert "matches as far as 'is the most' but not 'serious'" in str(e.value)


def test_a_quote_must_not_start_or_end_inside_a_word():
    assert anchor.find_all("sixty six sixth", "six") == [(6, 9)]
    assert anchor.find_all("10th meeting, 10 states", "10") == [(14, 16)]


def test_a_repeated_quote_must_be_told_apart():
    text = "Liao said A.\nLater Liao said B.\n"
    with pytest.raises(AnchorError, match=r"occurs 2 times \(article lines 1, 2\); add a prefix or suffix"):
        anchor.locate(text, Quote("Liao said"))
    assert anchor.locate(text, Quote("Liao said", prefix="Later")) == (19, 28)
    assert anchor.locate(text, Quote("Liao said", suffix="A.")) == (0, 9)


def test_near_takes_the_occurrence_in_the_same_paragraph():
    text = "First claim, Liao said.\nSecond claim that runs on, Liao said.\n"
    content = anchor.locate(text, Quote("Second claim that runs on"))
    start, _ = anchor.locate(text, Quote("said"), near=content)
    assert start == text.rindex("said")


def test_paragraphs_continue_across_lines_broken_mid_sentence():
    text = "A sentence that is\nbroken here, he said.\nNext one."
    assert anchor.paragraph(text, 0, 5) == (0, text.index("\nNext"))


def test_text_in_page_furniture_is_refused():
    text = "Caption: Liao speaks.\nLiao said things."
    with pytest.raises(AnchorError, match=r"lies in page furniture \(caption\)"):
        anchor.locate(text, Quote("Liao speaks"), forbidden=[(0, 21, "caption")])
    # The same words outside the furniture are found there.
    assert anchor.locate(text, Quote("Liao"), forbidden=[(0, 21, "caption")]) == (22, 26)


words = st.text(alphabet=st.characters(whitelist_categories=("Ll", "Lu", "Nd")), min_size=1, max_size=8)
spaces = st.sampled_from([" ", "  ", "\n", " \n ", "\t", "\r\n"])


@given(st.lists(words, min_size=3, max_size=30), st.data())
def test_any_span_reflowed_is_found_at_its_offsets(tokens, data):
    seps = [data.draw(spaces) for _ in tokens]
    text = "".join(t + s for t, s in zip(tokens, seps))
    i = data.draw(st.integers(0, len(tokens) - 1))
    j = data.draw(st.integers(i, len(tokens) - 1))
    quote = " ".join(tokens[i : j + 1])
    start = sum(len(t) + len(s) for t, s in zip(tokens[:i], seps[:i]))
    hits = anchor.find_all(text, quote)
    assert start in [h[0] for h in hits]
    for h0, h1 in hits:
        assert " ".join(text[h0:h1].split()) == quote


@given(st.lists(words, min_size=3, max_size=20), st.data())
def test_a_changed_word_is_not_found(tokens, data):
    text = " ".join(tokens)
    k = data.draw(st.integers(0, len(tokens) - 1))
    changed = list(tokens)
    changed[k] = changed[k] + "q"
    quote = " ".join(changed)
    if quote not in text:
        assert anchor.find_all(text, quote) == []


pieces = st.sampled_from(["a", "b", "ab", " ", "  ", "\n", ",", ".", "é", "_", "1", "00", "'", "-", "\u00a0", "\t"])


@given(st.lists(pieces, max_size=25).map("".join), st.lists(pieces, min_size=1, max_size=6).map("".join))
def test_find_all_matches_exactly_what_the_pattern_matches(text, exact):
    if not exact.strip():
        return
    expected, pat, pos = [], anchor.pattern(exact), 0
    while (m := pat.search(text, pos)) is not None:
        expected.append(m.span())
        pos = m.start() + 1
    assert anchor.find_all(text, exact) == expected


@given(st.lists(pieces, max_size=25).map("".join), st.lists(pieces, min_size=1, max_size=6).map("".join),
       st.integers(0, 30), st.integers(0, 30))
def test_find_all_in_a_range_is_find_all_filtered(text, exact, lo, hi):
    if not exact.strip():
        return
    lo, hi = min(lo, hi, len(text)), min(max(lo, hi), len(text))
    expected = [h for h in anchor.find_all(text, exact) if h[0] >= lo and h[1] <= hi]
    assert anchor.find_all(text, exact, lo, hi) == expected


names = st.sampled_from(["Shanghai", "Cooperation", "Organization", "Cooperations", "of", "the", " ", "  ",
                         "\n", ",", ".", "-"])


@given(st.lists(names, min_size=1, max_size=12).map("".join),
       st.lists(st.one_of(names, st.just("QUOTE"), st.just("REFLOWED")), max_size=30))
def test_find_all_matches_the_pattern_for_long_quotes_among_repeated_names(exact, parts):
    """Quotes longer than the glance at each side of their key word, in texts that
    repeat the same long names: only the whole quote tells the occurrences apart."""
    if not exact.strip():
        return
    reflowed = re.sub(r"\s+", "\n  ", exact)
    text = "".join(exact if p == "QUOTE" else reflowed if p == "REFLOWED" else p for p in parts)
    expected, pat, pos = [], anchor.pattern(exact), 0
    while (m := pat.search(text, pos)) is not None:
        expected.append(m.span())
        pos = m.start() + 1
    assert anchor.find_all(text, exact) == expected


def test_a_repeated_name_is_not_taken_for_the_quote_around_it():
    text = ("The Shanghai Cooperation Organization met. Members of the Shanghai Cooperation\n"
            "Organization agreed, said the head of the Shanghai Cooperation Organization.")
    quote = "Members of the Shanghai Cooperation Organization agreed"
    start = text.index("Members")
    assert anchor.find_all(text, quote) == [(start, start + len(quote))]
    assert anchor.locate(text, anchor.Quote(quote)) == (start, start + len(quote))


def test_a_quote_found_verbatim_and_reflowed_in_one_text():
    """Where the longest word occurs verbatim once and reflowed once, both are found."""
    text = "He said more than 40 boats.\nLater: more\nthan  40 boats again, and more boats."
    assert anchor.find_all(text, "more than 40 boats") == [(8, 26), (35, 54)]


def test_a_quote_without_words_is_walked():
    assert anchor.find_all("a -- b --\n-- c", "-- --") == [(7, 12)]
