"""Re-ingest reuses unchanged articles, and parallel checking changes nothing but speed."""

import sqlite3
import sys
from pathlib import Path

import pytest

from conftest import edit
from scoq import db, ingest
from scoq import workers as worker_processes
from scoq.problems import InputError

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import generate  # noqa: E402


def tables(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, and what the full-text indexes find, in a stable order."""
    c = sqlite3.connect(path)
    names = [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%'")]
    out = {n: sorted(c.execute(f'SELECT * FROM "{n}"'), key=repr) for n in names}
    for word in ("patrols", "council", "harbour", "cargo", "boats"):
        out["fts " + word] = sorted(c.execute(
            "SELECT s.id FROM statements_fts JOIN statements s ON s.rowid = statements_fts.rowid "
            "WHERE statements_fts MATCH ?", (word,)))
        out["articles fts " + word] = sorted(c.execute(
            "SELECT a.id FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
            "WHERE articles_fts MATCH ?", (word,)))
    assert c.execute("INSERT INTO statements_fts(statements_fts) VALUES ('integrity-check')")
    assert c.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    c.close()
    return out


def test_one_changed_article_is_parsed_and_the_rest_reused(tmp_path, harbor):
    target = tmp_path / "scoq.db"
    assert ingest.run(harbor, target)["parsed"] == 3
    edit(harbor / "articles/b2.yaml", "cue: announced", "cue: announced\n    note: changed")
    counts = ingest.run(harbor, target)
    assert (counts["parsed"], counts["reused"]) == (1, 2)
    assert counts["articles"] == 3 and counts["statements"] == 10 and counts["figures"] == 8
    fresh = ingest.run(harbor, tmp_path / "fresh.db", reuse=False)
    assert fresh["parsed"] == 3
    assert tables(target) == tables(tmp_path / "fresh.db")
    assert sqlite3.connect(target).execute("SELECT note FROM statements WHERE id = 'b2-s1'").fetchone() == ("changed",)


def test_a_changed_text_is_parsed_again(tmp_path, harbor):
    target = tmp_path / "scoq.db"
    ingest.run(harbor, target)
    edit(harbor / "articles/a1.txt", "Published by", "Published  by")
    assert ingest.run(harbor, target)["reused"] == 2
    ingest.run(harbor, tmp_path / "fresh.db", reuse=False)
    assert tables(target) == tables(tmp_path / "fresh.db")


def test_an_article_whose_text_lies_elsewhere_is_reused_and_parsed_again_when_it_changes(tmp_path, harbor):
    """An unchanged article whose annotation file names a text other than the one of its
    own name keeps that text's path, which the unclaimed-text check then counts as named."""
    (harbor / "articles/b2.txt").rename(harbor / "articles/b2-night.txt")
    edit(harbor / "articles/b2.yaml", "title: Night", "text: b2-night.txt\ntitle: Night")
    target = tmp_path / "scoq.db"
    ingest.run(harbor, target)
    before = target.read_bytes()
    counts = ingest.run(harbor, target)
    assert (counts["parsed"], counts["reused"]) == (0, 3)
    assert target.read_bytes() == before
    edit(harbor / "articles/b2-night.txt", "LAKESIDE", "LAKESIDE ")
    counts = ingest.run(harbor, target)
    assert (counts["parsed"], counts["reused"]) == (1, 2)
    ingest.run(harbor, tmp_path / "fresh.db", reuse=False)
    assert tables(target) == tables(tmp_path / "fresh.db")
    path = sqlite3.connect(target).execute("SELECT path FROM articles WHERE id = 'b2'").fetchone()[0]
    assert path == "articles/b2-night.txt"


def test_a_removed_and_an_added_article(tmp_path, harbor):
    target = tmp_path / "scoq.db"
    ingest.run(harbor, target)
    (harbor / "articles/a1.yaml").rename(harbor / "articles/c3.yaml")
    (harbor / "articles/a1.txt").rename(harbor / "articles/c3.txt")
    text = (harbor / "articles/c3.yaml").read_text(encoding="utf-8").replace("- id: a1-", "- id: c3-")
    (harbor / "articles/c3.yaml").write_text(text, encoding="utf-8")
    counts = ingest.run(harbor, target)
    assert (counts["parsed"], counts["reused"], counts["articles"]) == (1, 2, 3)
    ingest.run(harbor, tmp_path / "fresh.db", reuse=False)
    assert tables(target) == tables(tmp_path / "fresh.db")
    ids = {r[0] for r in sqlite3.connect(target).execute("SELECT id FROM statements")}
    assert "c3-s1" in ids and "a1-s1" not in ids


def totals(path: Path, table: str = "speaker_totals") -> dict[str, tuple]:
    """The rows of a table of totals, by the id of what they total."""
    c = sqlite3.connect(path)
    try:
        return {r[0]: r[1:] for r in c.execute(f"SELECT * FROM {table}")}
    finally:
        c.close()


def test_speaker_totals_follow_the_articles_a_patch_removes_and_adds(tmp_path, harbor):
    """scoq people reads each speaker's counts and dates from speaker_totals: a re-ingest
    that patches the database works them out again for the speakers of the articles it
    removes and adds, and they are those a fresh ingest gives."""
    target = tmp_path / "scoq.db"
    ingest.run(harbor, target)
    before = totals(target)
    # Álvarez speaks twice in each article, as "Mayor" in a1 and b2 and as "the town's
    # mayor" in g3, on Monday 17 March (a1) to Wednesday 19 March (g3).
    assert before["jose-alvarez"] == (6, 3, "Mayor; the town's mayor", "2025-03-17", "2025-03-17", "2025-03-19")
    kept = tmp_path / "kept"
    kept.mkdir()
    for name in ("g3.txt", "g3.yaml"):
        (harbor / "articles" / name).rename(kept / name)
    assert ingest.run(harbor, target)["reused"] == 2
    ingest.run(harbor, tmp_path / "fresh.db", reuse=False)
    after = totals(target)
    assert after == totals(tmp_path / "fresh.db")
    assert after["jose-alvarez"] == (4, 2, "Mayor", "2025-03-17", "2025-03-17", "2025-03-18")
    assert after["wang-lei"] == (1, 1, "Trade envoy", None, None, None)
    assert after.keys() == before.keys()  # a speaker left with no statement is still listed
    for name in ("g3.txt", "g3.yaml"):
        (kept / name).rename(harbor / "articles" / name)
    assert ingest.run(harbor, target)["parsed"] == 1
    assert totals(target) == before


def test_event_totals_follow_the_articles_a_patch_removes_and_adds(tmp_path, harbor):
    """scoq events reads each event's counts from event_totals, kept as speaker_totals is:
    the council meeting has two statements and a figure, all in a1."""
    target = tmp_path / "scoq.db"
    ingest.run(harbor, target)
    assert totals(target, "event_totals") == {"council-meeting": (2, 1, 1)}
    kept = tmp_path / "kept"
    kept.mkdir()
    for name in ("a1.txt", "a1.yaml"):
        (harbor / "articles" / name).rename(kept / name)
    assert ingest.run(harbor, target)["reused"] == 2
    assert totals(target, "event_totals") == {"council-meeting": (0, 0, 0)}
    ingest.run(harbor, tmp_path / "fresh.db", reuse=False)
    assert tables(target) == tables(tmp_path / "fresh.db")
    for name in ("a1.txt", "a1.yaml"):
        (kept / name).rename(harbor / "articles" / name)
    assert ingest.run(harbor, target)["parsed"] == 1
    assert totals(target, "event_totals") == {"council-meeting": (2, 1, 1)}


def test_a_patch_finds_the_removed_articles_once_and_their_rows_by_article(tmp_path, harbor, monkeypatch):
    """The rows of removed or changed articles are looked up by article in each table,
    not found by reading every row's article against the articles kept (at 100,000
    articles that read a million statements, 0.4 s, each time it was asked)."""
    target = tmp_path / "scoq.db"
    ingest.run(harbor, target)
    edit(harbor / "articles/b2.yaml", "cue: announced", "cue: announced\n    note: changed")
    real, asked = db.writing(), []

    class Traced:
        def __getattr__(self, name):
            return getattr(real, name)

        def connect(self, *args, **kwargs):
            conn = real.connect(*args, **kwargs)
            conn.set_trace_callback(asked.append)
            return conn

    monkeypatch.setattr(db, "writing", Traced)
    assert ingest.run(harbor, target)["parsed"] == 1
    keep = [q for q in asked if "temp.keep" in q and not q.startswith(("CREATE", "INSERT INTO temp.keep"))]
    assert keep == ["INSERT INTO temp.gone SELECT id FROM articles WHERE id NOT IN (SELECT id FROM temp.keep)"]
    deletes = [q for q in asked if q.startswith("DELETE FROM") and "article_id" in q]
    assert len(deletes) == 3 and all(q.endswith("article_id IN (SELECT id FROM temp.gone)") for q in deletes)
    c = sqlite3.connect(target)
    c.execute("CREATE TEMP TABLE gone (id TEXT PRIMARY KEY) WITHOUT ROWID")
    for q in deletes:
        assert "SEARCH" in " ".join(r[3] for r in c.execute(f"EXPLAIN QUERY PLAN {q}")), q
    c.close()


def test_nothing_changed_leaves_the_file_as_it_was(tmp_path, harbor):
    target = tmp_path / "scoq.db"
    ingest.run(harbor, target)
    before = target.read_bytes()
    assert ingest.run(harbor, target)["reused"] == 3
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["scoq.db"]


def test_the_database_replaced_is_read_without_a_memory_map(tmp_path, harbor):
    """Its files' index lies in pages spread over the whole file: mapped, the system would
    map the pages around each one read into the ingest's memory too."""
    target = tmp_path / "scoq.db"
    ingest.run(harbor, target)
    query = db.connect_readonly(target)
    registry_sha256 = query.execute("SELECT value FROM meta WHERE key = 'registry_sha256'").fetchone()[0]
    assert query.execute("PRAGMA mmap_size").fetchone()[0] == db.READ_MAP_BYTES  # as a query reads
    query.close()
    previous = ingest._Previous(target, harbor, registry_sha256)
    try:
        assert previous.conn is not None  # reusable
        assert previous.conn.execute("PRAGMA mmap_size").fetchone()[0] == 0
    finally:
        previous.close()


def test_a_changed_registry_parses_everything(tmp_path, harbor):
    target = tmp_path / "scoq.db"
    ingest.run(harbor, target)
    edit(harbor / "registry.yaml", "aliases: [Ruiz]", "aliases: [Ruiz, Chief Ruiz]")
    assert ingest.run(harbor, target)["reused"] == 0
    assert ingest.run(harbor, target)["reused"] == 3


def test_an_unchanged_article_whose_id_is_now_taken_is_reported_as_a_fresh_ingest_would(tmp_path, harbor):
    target = tmp_path / "scoq.db"
    ingest.run(harbor, target)
    before = target.read_bytes()
    edit(harbor / "articles/a1.yaml", "id: a1-s4", "id: b2-s3")
    with pytest.raises(InputError) as reused:
        ingest.run(harbor, target)
    with pytest.raises(InputError) as fresh:
        ingest.run(harbor, tmp_path / "fresh.db", reuse=False)
    assert [str(p) for p in reused.value.problems] == [str(p) for p in fresh.value.problems]
    assert any("b2.yaml" in str(p) and "id 'b2-s3' is already used at" in str(p) and "a1.yaml" in str(p)
               for p in reused.value.problems)
    assert target.read_bytes() == before


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    return generate.generate(40, tmp_path_factory.mktemp("gen") / "corpus", seed=3)


def test_parallel_and_serial_checking_give_the_same_database(tmp_path, generated):
    serial = ingest.run(generated, tmp_path / "serial.db", workers=1)
    parallel = ingest.run(generated, tmp_path / "parallel.db", workers=2)
    assert serial == parallel and serial["articles"] == 40
    assert (tmp_path / "serial.db").read_bytes() == (tmp_path / "parallel.db").read_bytes()
    # Checking the corpus looked every reference up, so the load did not check them again:
    # none points nowhere.
    c = sqlite3.connect(tmp_path / "parallel.db")
    assert c.execute("SELECT count(*) FROM statements WHERE event_id IS NOT NULL").fetchone()[0] > 0
    assert c.execute("PRAGMA foreign_key_check").fetchall() == []


def test_parallel_checking_reports_the_same_problems_in_the_same_order(tmp_path, generated):
    import shutil

    corpus = shutil.copytree(generated, tmp_path / "corpus")
    files = sorted(corpus.glob("articles/*/*.yaml"))
    edit(files[3], "stage 1 of", "stage 1 off")
    edit(files[30], '"a30-s2"', '"a20-s5"')
    second_id = "a20-s5"
    problems = []
    for workers in (1, 2):
        with pytest.raises(InputError) as e:
            ingest.run(corpus, tmp_path / "x.db", workers=workers)
        problems.append([str(p) for p in e.value.problems])
    assert problems[0] == problems[1]
    assert any("is not in the article text" in p for p in problems[0])
    assert any(f"id '{second_id}' is already used at" in p for p in problems[0])
    assert not (tmp_path / "x.db").exists()


def test_the_generated_corpus_has_the_shape_it_claims(tmp_path, generated):
    counts = ingest.run(generated, tmp_path / "g.db")
    assert counts["articles"] == 40 and counts["figures"] == 200
    assert counts["statements"] == 40 * 10 + 14  # one article in three also quotes someone in Russian
    c = db.connect_readonly(tmp_path / "g.db")
    assert c.execute("SELECT count(*) FROM speakers WHERE native_name GLOB '*[王李张刘陈杨赵黄]*'").fetchone()[0] > 0
    assert c.execute("SELECT count(*) FROM statements WHERE cue = 'заявил'").fetchone()[0] == 14
    chars = c.execute("SELECT avg(chars) FROM articles").fetchone()[0]
    assert 2500 < chars < 4500
    again = generate.generate(40, tmp_path / "again", seed=3)
    assert sorted(p.name for p in again.rglob("*")) == sorted(p.name for p in generated.rglob("*"))


def _indexes(path: Path) -> dict[str, str]:
    c = sqlite3.connect(path)
    out = dict(c.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"))
    c.close()
    return out


@pytest.mark.parametrize("changed", [True, False])
def test_a_reingest_brings_an_older_databases_indexes_up_to_date(tmp_path, harbor, changed):
    """Indexes change no data, so a database with those of an earlier scoq is patched,
    not rebuilt, and leaves with SCHEMA's indexes, whether or not an article changed."""
    target = tmp_path / "scoq.db"
    ingest.run(harbor, target)
    assert _indexes(target) == db.indexes()
    c = sqlite3.connect(target)
    c.execute("DROP INDEX statements_when")
    c.execute("CREATE INDEX statements_said ON statements(said_start)")  # as scoq 0.1.0 wrote it
    c.commit()
    c.close()
    if changed:
        edit(harbor / "articles/b2.yaml", "cue: announced", "cue: announced\n    note: changed")
    counts = ingest.run(harbor, target)
    assert (counts["parsed"], counts["reused"]) == ((1, 2) if changed else (0, 3))
    assert _indexes(target) == db.indexes()
    assert "statements_said" not in _indexes(target)
    ingest.run(harbor, tmp_path / "fresh.db", reuse=False)
    assert tables(target) == tables(tmp_path / "fresh.db")


def test_full_text_batches_are_short_for_a_small_load_and_capped_for_a_large_one():
    assert [ingest._batch(n) for n in (200, 1000, 4000, 8192, 100_000)] == [128, 128, 500, 1024, 1024]


def test_the_last_full_text_update_is_left_a_few_articles(tmp_path, generated, monkeypatch):
    """The update before the last comes once at most LAST_UPDATE articles are left, so
    that the one after the last article is short."""
    monkeypatch.setattr(ingest, "_batch", lambda n: 16)
    at = []
    index_text = db.Writer.index_text
    monkeypatch.setattr(db.Writer, "index_text", lambda self: (at.append(self.counts["articles"]), index_text(self)))
    ingest.run(generated, tmp_path / "scoq.db", workers=1)
    # Chunks of 10, 8, 8, 8 and 6 articles: updated after 16 or more, then with 14 left, then at the end.
    assert [j - i for i, j in worker_processes.chunked(40)] == [10, 8, 8, 8, 6]
    assert at == [18, 26, 40] and ingest.LAST_UPDATE == 16


def test_full_text_indexed_batch_by_batch_is_what_a_rebuild_makes(tmp_path, generated, monkeypatch):
    """Ingest adds each batch's rows to the full-text indexes as it writes them; the
    indexes hold every row once, as a rebuild from the tables would."""
    monkeypatch.setattr(ingest, "_batch", lambda n: 6)  # seven batches, of one chunk each
    monkeypatch.setattr(worker_processes, "CHUNK", 6)
    target = tmp_path / "scoq.db"
    ingest.run(generated, target, workers=1)
    c = sqlite3.connect(target)
    words = ["border", "security", "stage", "Tajikistan", "王"]

    def hits():
        return {w: (c.execute("SELECT rowid FROM statements_fts WHERE statements_fts MATCH ? ORDER BY rowid",
                              (w,)).fetchall(),
                    c.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid",
                              (w,)).fetchall()) for w in words}

    batched = hits()
    assert sum(len(s) for s, _ in batched.values()) > 50 and all(a for _, a in list(batched.values())[:3])
    # Merged sixteen segments at a time during the load, and left with FTS5's default.
    for fts in ("statements_fts", "articles_fts"):
        assert c.execute(f"SELECT v FROM {fts}_config WHERE k = 'automerge'").fetchone() == (db.DEFAULT_MERGE,) == (4,)
    for fts in ("statements_fts", "articles_fts"):
        c.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)")  # index == table
        c.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
    assert hits() == batched
