"""Finding an annotation of the old text again in the new one."""

from scoq.verify import reanchor


def span(text, words, kind="statement", nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return {"kind": kind, "text": words, "start": start, "end": start + len(words)}


OLD = "He said the port is open. Later he said the port is closed."


def test_unchanged_place_is_no_news():
    assert reanchor(OLD, OLD + " More.", span(OLD, "the port is open")) is None


def test_moved_not_found_and_ambiguous():
    new = "Update. " + OLD
    assert reanchor(OLD, new, span(OLD, "the port is open")) == (
        "moved", (16, 32), "moved from 8-24 to 16-32 (article line 1); scoq ingest records the new offsets")
    status, at, why = reanchor(OLD, OLD.replace("open", "shut"), span(OLD, "the port is open"))
    assert (status, at) == ("not found", None) and "as far as 'the port is' but not 'open'" in why
    twice = OLD.replace("closed", "open")
    status, at, why = reanchor(OLD, twice, span(OLD, "the port is open"))
    assert (status, at) == ("ambiguous", (8, 24))
    assert why.startswith("'the port is open' now occurs 2 times (article lines 1, 1) where it occurred once")


def test_a_cue_is_told_apart_by_the_words_around_it():
    cue = span(OLD, "said", kind="cue", nth=1)
    new = OLD.replace("He said", "He said, twice,")
    assert reanchor(OLD, new, cue) == (
        "moved", (43, 47), "moved from 35-39 to 43-47 (article line 1); scoq ingest records the new offsets")
    # A cue occurring more often than before is not an error: ingest takes the nearest.
    assert reanchor(OLD, OLD + " She said so.", cue) is None
