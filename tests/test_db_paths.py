"""A query names its database as text without pathlib: the text, the file URI and the
messages must be exactly those pathlib gave."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from scoq import db
from scoq.sqlite import sqlite3

SPELLINGS = [
    "scoq.db", "./scoq.db", "a//b/./c.db/", ".", "./", "/", "//", "///", "//srv/x.db", "///srv/x.db",
    "../up/x.db", "a/../b.db", "dir/.hidden.db", "with space/ü 名.db", "odd?#%;=&+name.db", "~/x.db",
]


@pytest.mark.parametrize("text", SPELLINGS)
def test_path_text_is_what_pathlib_prints(text):
    assert db._path_text(text) == str(Path(text))
    assert db._path_text(Path(text)) == str(Path(text))


@pytest.mark.parametrize("name", ["plain.db", "with space.db", "odd?#%;=&+~name.db", "ü 名 ™.db"])
def test_file_uri_is_what_pathlib_writes(tmp_path, monkeypatch, name, shipped_db):
    (tmp_path / "sub").mkdir()
    target = tmp_path / "sub" / name
    shutil.copyfile(shipped_db, target)
    (tmp_path / "link.db").symlink_to(target)
    monkeypatch.chdir(tmp_path)
    for spelling in (str(target), f"sub/{name}", f"./sub//{name}", "link.db"):
        assert db._file_uri(spelling) == Path(spelling).resolve().as_uri()
    # SQLite opens the file the URI names.
    conn = db.connect_readonly(f"./sub/{name}")
    assert conn.execute("SELECT count(*) FROM statements").fetchone()[0] == 47


@pytest.mark.parametrize("env", [
    {"SCOQ_DB": "env.db"}, {"SCOQ_DB": "./x//env.db/"}, {"XDG_DATA_HOME": "/data/"},
    {"XDG_DATA_HOME": "rel/data"}, {"HOME": "/home/someone/"}, {"HOME": "/"},
])
def test_location_is_resolve_path_as_text(monkeypatch, env):
    for key in ("SCOQ_DB", "XDG_DATA_HOME"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert db.location(None) == str(db.resolve_path(None))
    assert db.location("given//x.db") == str(db.resolve_path("given//x.db")) == "given/x.db"
    assert db.default_path() == Path(db._default_location())


def test_messages_name_the_path_as_given_cleaned(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCOQ_DB", "default.db")
    with pytest.raises(db.DatabaseError) as e:
        db.connect_readonly("./none//x.db")
    assert str(e.value) == "no database at none/x.db; build it first with: scoq ingest --db none/x.db"
    # The default database needs no --db in the advice.
    with pytest.raises(db.DatabaseError) as e:
        db.connect_readonly("./default.db")
    assert str(e.value) == "no database at default.db; build it first with: scoq ingest"
    (tmp_path / "empty.db").touch()
    with pytest.raises(db.DatabaseError, match=r"^empty.db is an empty file, not a scoq database; "
                                               r"build it with: scoq ingest --db empty.db$"):
        db.connect_readonly("empty.db/")
    (tmp_path / "folder.db").mkdir()
    with pytest.raises(db.DatabaseError, match=r"^no database at folder.db;"):
        db.connect_readonly(Path("folder.db"))


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="needs a folder this user may not enter")
def test_a_folder_one_may_not_enter_is_an_error_as_before(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        with pytest.raises(PermissionError):
            Path(locked / "x.db").is_file()
        with pytest.raises(PermissionError):
            db.connect_readonly(locked / "x.db")
    finally:
        locked.chmod(0o700)


def test_read_only_connection_still(shipped_db):
    conn = db.connect_readonly(str(shipped_db))
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("DELETE FROM statements")
