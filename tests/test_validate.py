"""Every class of bad input gives a clear error at its file and line; all are reported together."""

import pytest

from conftest import edit, problems
from scoq import corpus, validate
from scoq.problems import InputError


def test_the_made_up_corpus_is_valid(harbor):
    files, _ = corpus.discover(harbor)
    rows = validate.check(files)
    assert rows.counts()["statements"] == 10 and rows.counts()["figures"] == 8


def test_articles_handed_on_are_counted_not_kept(harbor):
    """validate and coverage take each article as it is checked: its rows are counted, and
    nothing of it stays behind, so memory does not grow with the corpus."""
    files, _ = corpus.discover(harbor)
    kept = validate.check(files)
    seen = []
    passed = validate.check(files, each=lambda result: seen.append((result.stem, len(result.tables["statements"]))))
    assert passed.counts() == kept.counts()
    assert [stem for stem, _ in seen] == [a["id"] for a in kept.tables["articles"]]
    assert sum(n for _, n in seen) == 10
    assert all(passed.tables[t] == [] for t in ("articles", "furniture", "statements", "figures"))
    assert passed.tables["speakers"] == kept.tables["speakers"]


def test_checked_in_worker_processes_the_answer_is_the_same(harbor):
    """validate and coverage check a large corpus in worker processes, as ingest does:
    the rows, and the problems in their order, are those of checking here."""
    files, _ = corpus.discover(harbor)
    here, there = validate.check(files, workers=1), validate.check(files, workers=2)
    assert there.counts() == here.counts() and there.tables == here.tables
    edit(harbor / "articles/a1.yaml", "quote: We will not let", "quote: We will never let")
    edit(harbor / "articles/b2.yaml", "speaker: jose-alvarez", "speaker: jose-alvares")
    files, _ = corpus.discover(harbor)
    found = []
    for workers in (1, 2):
        with pytest.raises(InputError) as e:
            validate.check(files, workers=workers)
        found.append(e.value.problems)
    assert found[0] == found[1] and len(found[0]) >= 2


def test_quote_not_in_text(harbor):
    edit(harbor / "articles/a1.yaml", "quote: We will not let", "quote: We will never let")
    assert problems(harbor) == [
        "articles/a1.yaml:32:5: statements[1] (a1-s2).quote: 'We will never let the marina become a market for "
        "thieves' is not in the article text (the text matches as far as 'We will' but not 'never'); "
        "copy the words exactly as the article has them"
    ]


def test_quote_found_twice(harbor):
    edit(harbor / "articles/a1.yaml", "quote: We will not let the marina become a market for thieves", "quote: boats")
    assert problems(harbor) == [
        "articles/a1.yaml:32:5: statements[1] (a1-s2).quote: 'boats' occurs 2 times (article lines 4, 10); "
        "add a prefix or suffix (the words just before or after it) to say which"
    ]


def test_quote_in_page_furniture(harbor):
    edit(harbor / "articles/a1.yaml", "quote: We will not let the marina become a market for thieves",
         "quote: Boats at the marina")
    assert problems(harbor) == [
        "articles/a1.yaml:32:5: statements[1] (a1-s2).quote: 'Boats at the marina' lies in page furniture "
        "(caption), not in the article body; annotate only what the report itself says"
    ]


def test_unknown_speaker_event_and_claim(harbor):
    a1 = harbor / "articles/a1.yaml"
    edit(a1, "speaker: ana-ruiz", "speaker: ana-ruis")
    edit(a1, "    event: council-meeting\n    claim: patrols-added", "    event: council-meating\n    claim: patrol-added")
    assert problems(harbor) == [
        "articles/a1.yaml:25:5: statements[0] (a1-s1).event: no event 'council-meating' in the registry "
        "(did you mean 'council-meeting'?); add it to registry.yaml or correct the id",
        "articles/a1.yaml:26:5: statements[0] (a1-s1).claim: no claim 'patrol-added' in the registry "
        "(did you mean 'patrols-added'?); add it to registry.yaml or correct the id",
        "articles/a1.yaml:41:5: statements[3] (a1-s4).speaker: no speaker 'ana-ruis' in the registry "
        "(did you mean 'ana-ruiz'?); add it to registry.yaml or correct the id",
    ]


def test_duplicate_ids(harbor):
    edit(harbor / "articles/b2.yaml", "id: b2-s3", "id: a1-s2")
    found = problems(harbor)
    assert len(found) == 1
    assert found[0].startswith("articles/b2.yaml:30:5: statements[2] (a1-s2): id 'a1-s2' is already used at")
    assert found[0].endswith("articles/a1.yaml:27; ids must be unique")


def test_impossible_and_inconsistent_dates(harbor):
    a1 = harbor / "articles/a1.yaml"
    edit(a1, "said: on Monday", "said:\n      date: 2025-03-16\n      as_written: on Monday")
    edit(a1, "date: 2025-03/2025-03-18\n      as_written: since March\n    reporter: ana-ruiz\n  - id: a1-f4",
         "date: 2025-03-18/2025-03-01\n      as_written: since March\n    reporter: ana-ruiz\n  - id: a1-f4")
    edit(harbor / "articles/b2.yaml", "published: 2025-03-19", "published: 2025-02-29")
    assert problems(harbor) == [
        "articles/a1.yaml:24:5: statements[0] (a1-s1).said: 'on Monday' against the publication date "
        "2025-03-18 is 2025-03-17, not 2025-03-16; correct one of them",
        "articles/a1.yaml:24:5: statements[0] (a1-s1).said: 2025-03-16 is outside the dates of event "
        "'council-meeting' (2025-03-17); correct the date or the event",
        "articles/a1.yaml:70:5: figures[2] (a1-f3).period: '2025-03-18/2025-03-01' ends before it starts: "
        "write START/END in order",
        "articles/b2.yaml:5:1: published: '2025-02-29' is impossible: February 2025 has 28 days",
    ]


def test_statement_date_outside_its_event(harbor):
    edit(harbor / "articles/b2.yaml", "    said: on Tuesday\n", "    said: on Tuesday\n    event: council-meeting\n")
    assert problems(harbor) == [
        "articles/b2.yaml:21:5: statements[0] (b2-s1).said: 2025-03-18 is outside the dates of event "
        "'council-meeting' (2025-03-17); correct the date or the event"
    ]


def test_figure_checked_against_the_text(harbor):
    a1 = harbor / "articles/a1.yaml"
    edit(a1, "value: 40\n    qualifier: more than", "value: 41\n    qualifier: at least")
    edit(harbor / "articles/b2.yaml", "    unit: t\n", "    unit: kg\n")
    assert problems(harbor) == [
        "articles/a1.yaml:50:5: figures[0] (a1-f1).value: 41 but the text says 'more than 40' = 40; correct the value",
        "articles/a1.yaml:51:5: figures[0] (a1-f1).qualifier: 'at least' but the text says 'more than 40', "
        "which reads as 'more than'; write qualifier: more than, or leave it out",
        "articles/b2.yaml:46:5: figures[1] (b2-f2).unit: 'kg' but the text gives the unit as 't' ('3,200 tonnes'); write unit: t",
    ]


def test_duplicate_annotation_of_the_same_words(harbor):
    edit(harbor / "articles/a1.yaml", "  - id: a1-s2\n", "  - id: a1-s1b\n    speaker: jose-alvarez\n"
         "    cue: told\n    type: direct\n    quote: We will not let the marina become a market for thieves\n"
         "  - id: a1-s2\n")
    found = problems(harbor)
    assert found == ["articles/a1.yaml:37:5: statements[2] (a1-s2): the same words as statement a1-s1b; "
                     "remove one of the two"]


def test_articles_and_annotations_must_pair_up(harbor):
    (harbor / "articles" / "c3.txt").write_text("An article nobody annotated.\n")
    (harbor / "articles" / "d4.yaml").write_text("text: d4-missing.txt\npublished: 2025\n")
    assert problems(harbor) == [
        "articles/c3.txt: article without annotations: create c3.yaml beside it (at least outlet and "
        "published), or move the text out of the corpus",
        "articles/d4.yaml:1:1: text: articles/d4-missing.txt: missing: the annotation file names this "
        "article, but there is no such file",
    ]


def test_text_beside_an_annotation_file_left_out_is_unclaimed(harbor):
    """An annotation file whose id another has taken is not checked, so the text beside it
    is no article's; the files checked are told from the rest by walking both in order."""
    (harbor / "articles" / "more").mkdir()
    (harbor / "articles" / "more" / "b2.txt").write_text("A second b2.\n")
    (harbor / "articles" / "more" / "b2.yaml").write_text("published: 2025\n")
    assert problems(harbor) == [
        "articles/more/b2.txt: article without annotations: create b2.yaml beside it (at least outlet and "
        "published), or move the text out of the corpus",
        "articles/more/b2.yaml:1: article id 'b2' is also used by articles/b2.yaml; rename one of the two "
        "(the file name is the article's id)",
    ]


def test_claimed_tells_the_files_checked_from_the_rest():
    every = ["a/1.yaml", "a/2.yaml", "b/1.yaml", "b/3.yaml", "c/2.yaml"]
    claimed = validate.Claimed(["a/1.yaml", "a/2.yaml", "b/3.yaml"])
    assert list(claimed.checked(every)) == [("a/1.yaml", True), ("a/2.yaml", True), ("b/1.yaml", False),
                                           ("b/3.yaml", True), ("c/2.yaml", False)]
    assert claimed._annotations is None  # the set is made only when a text is looked up
    assert "a/2.txt" in claimed and "b/1.txt" not in claimed
    claimed.add("b/3.yaml", "elsewhere/x.txt")
    assert "elsewhere/x.txt" in claimed and "b/3.txt" not in claimed


def test_non_utf8_and_empty_articles(harbor):
    (harbor / "articles" / "a1.txt").write_bytes("Port council\nMayor Jos\u00e9".encode("latin-1"))
    (harbor / "articles" / "b2.txt").write_text("")
    assert problems(harbor) == [
        "articles/a1.txt:2:10: not UTF-8: byte 0xE9 cannot be decoded; re-save the file as UTF-8 "
        "(for example: iconv -f latin1 -t utf-8)",
        "articles/b2.txt: the article is empty; put the report's text in it, or remove it",
    ]


def test_registry_errors(harbor):
    reg = harbor / "registry.yaml"
    edit(reg, "  - id: ana-ruiz", "  - id: jose-alvarez")
    edit(reg, "    place: lakeside\n", "    place: lakesid\n")
    found = problems(harbor)
    assert "registry.yaml:7:5: people[1]: id 'jose-alvarez' is already used in people (line 4); ids must be unique across the registry" in found
    assert ("registry.yaml:37:5: events[0] (council-meeting).place: no place 'lakesid' in the registry "
            "(did you mean 'lakeside'?); add it to registry.yaml or correct the id") in found


def test_every_problem_in_every_file_is_reported_in_one_run(harbor):
    edit(harbor / "articles/a1.yaml", "speaker: ana-ruiz", "speaker: nobody")
    edit(harbor / "articles/b2.yaml", "statements:", "statments:")
    edit(harbor / "registry.yaml", "date: 2025-03-17", "date: 2025-13-17")
    found = problems(harbor)
    assert [f.split(":")[0] for f in found] == ["articles/a1.yaml", "articles/b2.yaml", "registry.yaml"]
    assert "unknown key 'statments' (did you mean 'statements'?)" in found[1]


def test_an_id_owner_token_survives_a_tab_in_the_file_name(tmp_path, monkeypatch):
    from scoq.validate import _owner, _owner_place

    monkeypatch.chdir(tmp_path)
    ann = tmp_path / "odd\tname.yaml"
    ann.write_text("statements:\n  - id: s1\n  - id: s2\n", encoding="utf-8")
    assert _owner_place(_owner(ann, ("statements", 1, "id"))) == "odd\tname.yaml:3"
