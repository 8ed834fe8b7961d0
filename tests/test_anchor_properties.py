"""Anchoring, as properties over the real article texts: any span cut at word
boundaries and reflowed is found at its offsets; a span with a word changed never is.
(tests/test_anchor.py holds the same properties over made-up word lists.)"""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from scoq import anchor, corpus

from conftest import HARBOR

TEXTS = [p.read_text(encoding="utf-8") for p in sorted(corpus.shipped().glob("articles/*.txt"))]
TEXTS += [p.read_text(encoding="utf-8") for p in sorted(HARBOR.glob("articles/*.txt"))]
CHUNKS = [[m.span() for m in re.finditer(r"\S+", t)] for t in TEXTS]


def squeeze(s: str) -> str:
    return "".join(s.split())


@st.composite
def spans(draw):
    """(text, start, end): an article and a run of its words, whole words only."""
    k = draw(st.integers(0, len(TEXTS) - 1))
    chunks = CHUNKS[k]
    i = draw(st.integers(0, len(chunks) - 1))
    j = draw(st.integers(i, min(i + 25, len(chunks) - 1)))
    return TEXTS[k], chunks[i][0], chunks[j][1]


def reflow(draw, passage: str) -> str:
    """The passage with each run of white space replaced by another."""
    runs = re.split(r"(\s+)", passage)
    return "".join(draw(st.sampled_from([" ", "\n", "  ", " \n ", "\t"])) if part.isspace() else part
                   for part in runs)


@settings(max_examples=150)
@given(spans(), st.data())
def test_a_span_reflowed_is_found_at_its_offsets(span, data):
    text, start, end = span
    quote = reflow(data.draw, text[start:end])
    hits = anchor.find_all(text, quote)
    assert (start, end) in hits
    for h0, h1 in hits:
        assert squeeze(text[h0:h1]) == squeeze(quote)
    if len(hits) == 1:
        assert anchor.locate(text, anchor.Quote(quote)) == (start, end)


@settings(max_examples=150)
@given(spans(), st.data())
def test_a_span_with_one_word_changed_is_not_found(span, data):
    text, start, end = span
    passage = text[start:end]
    letters = [m.start() for m in re.finditer(r"[^\W\d_]", passage)]
    if not letters:
        return
    at = data.draw(st.sampled_from(letters))
    old = passage[at]
    new = data.draw(st.sampled_from([c for c in "qxzjkQXZJK" if c != old]))
    changed = reflow(data.draw, passage[:at] + new + passage[at + 1:])
    hits = anchor.find_all(text, changed)
    assert (start, end) not in hits
    # Found only where the text really has the changed words, if anywhere.
    for h0, h1 in hits:
        assert squeeze(text[h0:h1]) == squeeze(changed)


def regex_hits(text: str, quote: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Every match of the quote's regex inside text[lo:hi], overlapping ones too."""
    pat, out, pos = anchor.pattern(quote), [], lo
    while (m := pat.search(text, pos)) is not None:
        if m.end() <= hi:
            out.append(m.span())
        pos = m.start() + 1
    return out


@settings(max_examples=200)
@given(spans(), st.data())
def test_find_all_is_what_the_regex_finds_verbatim_or_reflowed_in_any_window(span, data):
    text, start, end = span
    passage = text[start:end]
    quote = reflow(data.draw, passage) if data.draw(st.booleans()) else passage
    lo = data.draw(st.integers(0, start))
    hi = data.draw(st.integers(end, len(text)))
    assert anchor.find_all(text, quote, lo, hi) == regex_hits(text, quote, lo, hi)


def _paragraph_by_scanning(text: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph around a span, found by walking line break by line break."""
    def ends_sentence(nl: int) -> bool:
        i = nl
        while i > 0 and text[i - 1] in " \t\r":
            i -= 1
        return i == 0 or text[i - 1] == "\n" or text[i - 1] in '.!?"\u201d\u2019:'

    lo = start
    while (nl := text.rfind("\n", 0, lo)) >= 0 and not ends_sentence(nl):
        lo = nl
    hi = end
    while (nl2 := text.find("\n", hi)) >= 0 and not ends_sentence(nl2):
        hi = nl2 + 1
    return (nl + 1 if nl >= 0 else 0), (nl2 if nl2 >= 0 else len(text))


@settings(max_examples=300)
@given(st.lists(st.sampled_from(["word", " ", "\n", "\n\n", ".", ":", "\u201d", " \t\r", "\r\n"]), max_size=30),
       st.data())
def test_paragraph_is_the_run_between_sentence_ending_line_breaks(pieces, data):
    text = "".join(pieces)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert anchor.paragraph(text, start, end) == _paragraph_by_scanning(text, start, end)
    for k, t in enumerate(TEXTS[:3]):  # and on real texts, one after another (the last text's breaks are kept)
        s = data.draw(st.integers(0, len(t)))
        assert anchor.paragraph(t, s, s) == _paragraph_by_scanning(t, s, s), k
