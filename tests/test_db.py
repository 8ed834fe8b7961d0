"""The database: one schema, atomic writes, read-only queries, versions."""

import hashlib
import os
import stat

import pytest
from conftest import edit

from scoq import db, ingest
from scoq.problems import InputError
from scoq.sqlite import sqlite3, writing


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_schema_has_foreign_keys_indexes_fts_views_and_version(shipped_db):
    c = sqlite3.connect(shipped_db)
    assert c.execute("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION
    names = {r[0] for r in c.execute("SELECT name FROM sqlite_master")}
    assert {"statements_fts", "articles_fts", "statements_view", "figures_view",
            "statements_speaker", "figures_event", "aliases_norm"} <= names
    fks = {(r[2], r[3]) for r in c.execute("PRAGMA foreign_key_list(statements)")}
    assert {("articles", "article_id"), ("speakers", "speaker_id"), ("events", "event_id"),
            ("claims", "claim_id")} <= fks
    assert c.execute("PRAGMA foreign_key_check").fetchall() == []
    meta = dict(c.execute("SELECT key, value FROM meta"))
    assert meta["schema_version"] == str(db.SCHEMA_VERSION)


def test_counts_of_the_shipped_corpus(shipped_db):
    c = sqlite3.connect(shipped_db)
    counts = {t: c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("articles", "speakers", "events", "statements", "figures", "claims")}
    assert counts == {"articles": 5, "speakers": 7, "events": 8, "statements": 47, "figures": 16, "claims": 11}


def test_every_span_is_the_text_at_its_offsets(shipped_db):
    c = sqlite3.connect(shipped_db)
    texts = dict(c.execute("SELECT id, text FROM articles"))
    for table in ("statements", "figures", "furniture"):
        for art, start, end, text in c.execute(f'SELECT article_id, start, "end", text FROM {table}'):
            assert texts[art][start:end] == text
    for art, s, e, cue in c.execute("SELECT article_id, cue_start, cue_end, cue FROM statements"):
        assert texts[art][s:e] == cue


def test_body_blanks_furniture_and_keeps_offsets(shipped_db):
    c = sqlite3.connect(shipped_db)
    text, body = c.execute("SELECT text, body FROM articles WHERE id LIKE '004%'").fetchone()
    assert len(text) == len(body)
    assert "主站蜘蛛池模板" in text and "主站蜘蛛池模板" not in body
    assert "Related news" not in body
    assert "Zhao made the remarks in a keynote speech" in body


def test_full_text_search_and_views_work_for_other_tools(shipped_db):
    c = sqlite3.connect(shipped_db)
    hits = c.execute("SELECT s.id FROM statements_fts JOIN statements s ON s.rowid = statements_fts.rowid "
                     "WHERE statements_fts MATCH 'intelligence' ").fetchall()
    assert sorted(hits) == [("000-s09",), ("004-s04",)]
    row = c.execute("SELECT speaker, event, outlet FROM statements_view WHERE statement_id = '003-s01'").fetchone()
    assert row == ("Liu Haitao",
                   "10th meeting of the heads of the frontier authorities of the SCO member states",
                   "SHINE (Shanghai Daily)")
    assert c.execute("SELECT count(*) FROM figures_view WHERE event_id = 'frontier-operations'").fetchone()[0] == 7


def test_ingest_twice_gives_the_same_database(tmp_path, shipped_corpus):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    ingest.run(shipped_corpus, a)
    ingest.run(shipped_corpus, b)
    assert sha(a) == sha(b)
    ingest.run(shipped_corpus, a)
    assert sha(a) == sha(b)


def test_failed_ingest_leaves_the_database_exactly_as_it_was(tmp_path, harbor, shipped_corpus):
    (tmp_path / "dbs").mkdir()
    target = tmp_path / "dbs" / "scoq.db"
    ingest.run(shipped_corpus, target)
    before = sha(target)
    edit(harbor / "articles/a1.yaml", "speaker: ana-ruiz", "speaker: nobody")
    with pytest.raises(InputError):
        ingest.run(harbor, target)
    assert sha(target) == before
    assert sorted(p.name for p in target.parent.iterdir()) == ["scoq.db"]  # no temporary left behind


def test_write_failure_leaves_no_half_written_file(tmp_path):
    target = tmp_path / "x.db"
    target.write_bytes(b"old")
    with pytest.raises(writing().Error):  # the database is written with the standard library's driver
        db.write(target, {"statements": [{"id": "s", "no_such_column": 1}]}, {})
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.db"]


def test_queries_open_read_only(shipped_db):
    c = db.connect_readonly(shipped_db)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        c.execute("DELETE FROM statements")


def test_queries_read_through_a_memory_map_on_every_connection(shipped_db):
    c = db.connect_readonly(shipped_db)
    try:
        for conn in (c, *c.companions(2)):
            assert conn.execute("PRAGMA mmap_size").fetchone()[0] > 0  # as much as this SQLite maps
            assert conn.execute("SELECT count(*) FROM statements").fetchone()[0] == 47
    finally:
        c.close()


def test_missing_database_says_how_to_build_one(tmp_path):
    with pytest.raises(db.DatabaseError, match=r"no database at .*; build it first with: scoq ingest --db "):
        db.connect_readonly(tmp_path / "none.db")


def test_other_schema_version_says_how_to_fix(tmp_path):
    p = tmp_path / "old.db"
    c = sqlite3.connect(p)
    c.execute("PRAGMA user_version = 99")
    c.close()
    with pytest.raises(db.DatabaseError, match=f"has schema version 99, this scoq reads version {db.SCHEMA_VERSION}; rebuild it with: scoq ingest"):
        db.connect_readonly(p)
    p.write_bytes(b"not a database at all" * 100)
    with pytest.raises(db.DatabaseError, match="is not a scoq database"):
        db.connect_readonly(p)


def test_database_location(monkeypatch, tmp_path):
    monkeypatch.setenv("SCOQ_DB", str(tmp_path / "env.db"))
    assert db.resolve_path("given.db").name == "given.db"
    assert db.resolve_path(None) == tmp_path / "env.db"
    monkeypatch.delenv("SCOQ_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert db.resolve_path(None) == tmp_path / "xdg" / "scoq" / "scoq.db"


def test_every_index_of_the_schema_is_made_and_named_once(tmp_path, harbor):
    """db.indexes() reads SCHEMA's CREATE INDEX statements (a comment on the wrong line
    would hide one inside another): each is in a new database, as written there."""
    assert len(db.indexes()) == db.SCHEMA.count("CREATE INDEX") + db.SCHEMA.count("CREATE UNIQUE INDEX") == 17
    ingest.run(harbor, tmp_path / "x.db")
    c = sqlite3.connect(tmp_path / "x.db")
    assert dict(c.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")) == db.indexes()
    assert [r[3] for r in c.execute("EXPLAIN QUERY PLAN SELECT id FROM figures WHERE unit COLLATE NOCASE IN ('T')")] == [
        "SEARCH figures USING INDEX figures_unit (unit=?)"]


def test_packed_rows_are_copied_whole_and_in_order(tmp_path, shipped_db):
    """A chunk packed where it was checked comes into a new database as the same rows,
    after those already there, as inserting the values would make them."""
    src = writing().connect(shipped_db)
    rows = {t: src.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in db.ARTICLE_TABLES}
    assert all(rows.values())
    registry = {t: [dict(zip([d[0] for d in src.execute(f'SELECT * FROM "{t}"').description], r))
                    for r in src.execute(f'SELECT * FROM "{t}"')] for t in db.LOAD_ORDER[:6]}

    def build(path, put):
        w = db.Writer(path)
        for t in db.LOAD_ORDER[:6]:
            w.insert(t, registry[t])
        put(w)
        w.finish({"k": "v"})
        return w.counts

    first, rest = {t: r[:2] for t, r in rows.items()}, {t: r[2:] for t, r in rows.items()}
    packed = build(tmp_path / "packed.db", lambda w: (w.insert_packed(db.pack(first)),
                                                       w.insert_packed(db.pack(rest))))
    inserted = build(tmp_path / "inserted.db",
                     lambda w: [w.insert_tuples(t, part[t]) for part in (first, rest) for t in db.ARTICLE_TABLES])
    assert packed == inserted and packed["statements"] == len(rows["statements"])
    for path in ("packed.db", "inserted.db"):
        c = writing().connect(tmp_path / path)
        for t in db.ARTICLE_TABLES:
            assert c.execute(f'SELECT rowid, * FROM "{t}" ORDER BY rowid').fetchall() == \
                [(i, *r) for i, r in enumerate(rows[t], 1)]
    # A chunk's image holds its rows and nothing else.
    image = writing().connect(":memory:")
    image.deserialize(db.pack(first))
    assert {t: image.execute(f'SELECT * FROM "{t}"').fetchall() for t in db.ARTICLE_TABLES} == first
    # Both in pages of one size, so that whole records are copied from one to the other.
    assert image.execute("PRAGMA page_size").fetchone() == c.execute("PRAGMA page_size").fetchone() == (16384,)
    assert db.PAGE_BYTES == 16384


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_a_database_gets_the_permissions_of_a_new_file_or_of_the_one_it_replaces(tmp_path):
    """The database is built in a temporary file that only its owner may read; renamed
    into place, it gets what a file created there gets (0666 less the umask), or keeps
    what the database it replaces had."""
    target = tmp_path / "scoq.db"
    old = os.umask(0o027)
    try:
        db.write(target, {}, {"k": "v"})
        assert stat.S_IMODE(target.stat().st_mode) == 0o640
        os.chmod(target, 0o604)
        db.write(target, {}, {"k": "v"})
        assert stat.S_IMODE(target.stat().st_mode) == 0o604
    finally:
        os.umask(old)
    assert [p.name for p in tmp_path.iterdir()] == ["scoq.db"]
