"""Queries only read: values are bound, the database is opened read-only, and a
database scoq cannot read is refused with the command that fixes it."""

import hashlib
import os
import shutil
import sqlite3
import stat

import pytest

from scoq import db


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def copy_db(tmp_path, shipped_db):
    target = tmp_path / "dbs" / "scoq.db"
    target.parent.mkdir()
    shutil.copyfile(shipped_db, target)
    return target


INJECTION = "x'; DROP TABLE statements; --"


def test_a_name_with_sql_in_it_is_only_a_name(run, copy_db):
    before = sha(copy_db)
    result = run("who", INJECTION, "--db", copy_db)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"Error: no speaker matches '{INJECTION}'\n"
    for args in (["figures", "--about", INJECTION], ["figures", "--speaker", "liao", "--unit", INJECTION],
                 ["who", "liao", "--article", INJECTION]):
        assert run(*args, "--db", copy_db).exit_code in (1, 2)
    assert sha(copy_db) == before
    assert run("who", "liao", "--db", copy_db).stdout.count("\n") == 37


def test_a_read_only_database_file_in_a_read_only_folder_still_answers(run, copy_db):
    expected = run("who", "--db", copy_db).stdout
    copy_db.chmod(stat.S_IRUSR | stat.S_IRGRP)
    copy_db.parent.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        result = run("who", "--db", copy_db)
        assert result.exit_code == 0 and result.stdout == expected
        assert run("sql", "SELECT count(*) AS n FROM statements", "--db", copy_db).stdout == "n\n47\n"
    finally:
        copy_db.parent.chmod(stat.S_IRWXU)
        copy_db.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert sorted(os.listdir(copy_db.parent)) == ["scoq.db"]  # no journal or lock file made


def _with_version(path, version):
    c = sqlite3.connect(path)
    c.execute(f"PRAGMA user_version = {version}")
    c.commit()
    c.close()


def test_a_database_from_an_older_scoq(run, copy_db):
    _with_version(copy_db, db.SCHEMA_VERSION - 1)
    result = run("who", "liao", "--db", copy_db)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (f"Error: {copy_db} has schema version {db.SCHEMA_VERSION - 1}, this scoq reads version "
                             f"{db.SCHEMA_VERSION}; rebuild it with: scoq ingest --db {copy_db} (an older scoq wrote it)\n")


def test_a_database_from_a_newer_scoq(run, copy_db):
    _with_version(copy_db, db.SCHEMA_VERSION + 1)
    result = run("figures", "--db", copy_db)
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {copy_db} has schema version {db.SCHEMA_VERSION + 1}, this scoq reads version "
                             f"{db.SCHEMA_VERSION}; rebuild it with: scoq ingest --db {copy_db} (a newer scoq wrote it: "
                             "upgrade scoq to read it as it is)\n")


def test_a_file_that_is_not_a_database(run, tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 200)
    result = run("who", "--db", path)
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {path} is not a scoq database (file is not a database); "
                             f"rebuild it with: scoq ingest --db {path}\n")
    assert path.read_text().startswith("these are my notes")


def test_an_empty_file(run, tmp_path):
    path = tmp_path / "empty.db"
    path.touch()
    result = run("sql", "SELECT 1", "--db", path)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {path} is an empty file, not a scoq database; build it with: scoq ingest --db {path}\n"
    assert path.read_bytes() == b""


def test_another_programs_sqlite_database(run, tmp_path):
    path = tmp_path / "other.db"
    c = sqlite3.connect(path)
    c.execute("CREATE TABLE recipes (name TEXT)")
    c.commit()
    c.close()
    before = sha(path)
    result = run("who", "--db", path)
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {path} is an SQLite database but not one scoq wrote; give another --db, "
                             f"or replace it with: scoq ingest --db {path}\n")
    assert sha(path) == before
