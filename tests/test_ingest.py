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
