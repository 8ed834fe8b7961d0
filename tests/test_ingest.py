import sqlite3

import pytest

from conftest import edit
from scoq import ingest
from scoq.problems import InputError


def test_run_reports_counts_and_progress(tmp_path, harbor):
    ticks = []
    counts = ingest.run(harbor, tmp_path / "h.db", progress=lambda total: (ticks.append(total), lambda: ticks.append("."))[1])
    assert counts["articles"] == 3 and counts["statements"] == 10 and counts["figures"] == 8
    assert ticks == [3, ".", ".", "."]


def test_corpus_hash_follows_the_texts(tmp_path, harbor):
    ingest.run(harbor, tmp_path / "a.db")
    edit(harbor / "articles/b2.txt", "Trade envoy", "Trade  envoy")
    ingest.run(harbor, tmp_path / "b.db")

    def digest(p):
        return sqlite3.connect(p).execute("SELECT value FROM meta WHERE key = 'corpus_sha256'").fetchone()[0]

    assert digest(tmp_path / "a.db") != digest(tmp_path / "b.db")


def test_missing_corpus_folder(tmp_path):
    with pytest.raises(InputError, match="no such folder"):
        ingest.run(tmp_path / "nowhere", tmp_path / "x.db")
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize("old, new, first", [
    ("id: b2-s3", "id: a1-s2", "a1.yaml:27"),  # a statement's id used again in a later article
    ("id: b2-s3", "id: b2-s1", "b2.yaml:15"),  # ... in the same article
    ("id: b2-s3", "id: a1-f4", "a1.yaml:72"),  # a figure's id taken by a statement
    ("id: b2-f2", "id: a1-s1", "a1.yaml:16"),  # a statement's id taken by a figure
])
def test_a_repeated_id_alone_is_reported_with_both_places(tmp_path, harbor, old, new, first, monkeypatch):
    """A fresh ingest leaves ids to the database's keys; a repeat found there is
    reported as checking every id would report it, and nothing is written."""
    target = tmp_path / "scoq.db"
    edit(harbor / "articles/b2.yaml", old, new)
    builds = []

    def build(*args, **kwargs):
        builds.append(kwargs.get("trusting", True))
        out = real(*args, **kwargs)
        builds.append(out)
        return out

    real = ingest._build
    monkeypatch.setattr(ingest, "_build", build)
    with pytest.raises(InputError) as e:
        ingest.run(harbor, target)
    assert builds == [True, None, False]  # the database's keys found it; then every id was compared
    ident = new.split()[-1]
    (problem,) = e.value.problems
    section = "statements[2]" if "s3" in old else "figures[1]"
    assert problem.file.endswith("articles/b2.yaml") and problem.message.startswith(
        f"{section} ({ident}): id '{ident}' is already used at ")
    assert problem.message.endswith(f"articles/{first}; ids must be unique")
    assert not target.exists() and [p.name for p in tmp_path.iterdir()] == ["harbor"]  # no temporary left


def test_a_repeated_id_is_reported_beside_a_text_without_annotations(tmp_path, harbor):
    edit(harbor / "articles/b2.yaml", "id: b2-s3", "id: a1-s2")
    (harbor / "articles/z9.txt").write_text("A report nobody annotated.\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        ingest.run(harbor, tmp_path / "scoq.db")
    messages = sorted(p.message for p in e.value.problems)
    assert len(messages) == 2
    assert messages[0].startswith("article without annotations: create z9.yaml beside it")
    assert messages[1].startswith("statements[2] (a1-s2): id 'a1-s2' is already used at ")
