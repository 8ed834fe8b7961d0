"""scoq sql: one read-only statement, bound parameters, a time limit; every write refused."""

import hashlib
import json
import re
import shutil

import pytest

from scoq import db, sql


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def copy_db(tmp_path, shipped_db):
    """A private copy of the shipped database, so that a test can prove it is unchanged."""
    target = tmp_path / "scoq.db"
    shutil.copyfile(shipped_db, target)
    return target


def test_real_rows_with_field_names_from_the_query(run, shipped_db):
    result = run("sql", "SELECT speaker_id, count(*) AS n FROM statements_view GROUP BY speaker_id "
                        "ORDER BY n DESC LIMIT 2", "--db", shipped_db)
    assert result.exit_code == 0
    assert result.stdout == "speaker_id\tn\nliao-jinrong\t36\nzhao-kezhi\t4\n"


def test_bound_parameters_and_json(run, shipped_db):
    result = run("sql", "SELECT figure_id, value, unit FROM figures_view WHERE unit = :u AND value > :v",
                 "--param", "u", "t", "--param", "v", "100", "-f", "json", "--db", shipped_db)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [{"figure_id": "003-f07", "value": 1178.3, "unit": "t"}]


def test_a_parameter_is_a_value_never_sql(run, copy_db):
    before = sha(copy_db)
    result = run("sql", "SELECT id FROM speakers WHERE name = :n", "--param", "n",
                 "x'; DROP TABLE statements; --", "--db", copy_db)
    assert result.exit_code == 1 and result.stdout == "id\n" and result.stderr == "no rows\n"
    assert sha(copy_db) == before


def test_full_text_search_through_sql(run, shipped_db):
    result = run("sql", "SELECT s.id FROM statements_fts JOIN statements s ON s.rowid = statements_fts.rowid "
                        "WHERE statements_fts MATCH :q ORDER BY s.id", "-p", "q", "intelligence", "--db", shipped_db)
    assert result.stdout.splitlines() == ["id", "000-s09", "004-s04"]


def test_repeated_column_names_are_kept_apart(shipped_db):
    conn = db.connect_readonly(shipped_db)
    fields, rows = sql.run(conn, "SELECT s.id, a.id FROM statements s JOIN articles a ON a.id = s.article_id "
                                 "WHERE s.id = '003-s01'")
    assert fields == ["id", "id_2"] and rows == [{"id": "003-s01", "id_2": "003_11cea8c31ae39c19"}]


def test_limit_and_table_on_a_terminal(run, shipped_db):
    result = run("sql", "SELECT statement_id, text FROM statements_view ORDER BY statement_id", "--limit", "1",
                 "--db", shipped_db, terminal=True, env={"COLUMNS": "100", "NO_COLOR": "1"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert re.sub(r"\x1b\[[0-9;]*m", "", lines[0]).strip() == "1 row"
    assert any("statement_id" in line and "text" in line for line in lines)
    assert "000-s01" in result.stdout


def test_query_from_stdin(run, shipped_db):
    from click.testing import CliRunner

    from scoq.cli import cli

    result = CliRunner().invoke(cli, ["sql", "-", "--db", str(shipped_db)], input="SELECT count(*) AS n FROM claims\n")
    assert result.stdout == "n\n11\n"


REFUSED = [
    ("DELETE FROM statements", "refused: DELETE is not a read"),
    ("insert into claims values ('x', 'y')", "refused: INSERT is not a read"),
    ("UPDATE speakers SET name = 'x'", "refused: UPDATE is not a read"),
    ("CREATE TABLE t (a)", "refused: CREATE is not a read"),
    ("DROP TABLE statements", "refused: DROP is not a read"),
    ("/* a comment */ DROP VIEW statements_view", "refused: DROP is not a read"),
    ("WITH x AS (SELECT 1) DELETE FROM statements", "refused: DELETE is not a read"),
    ("EXPLAIN DELETE FROM statements", "refused: DELETE is not a read"),
    ("PRAGMA user_version = 7", "refused: PRAGMA user_version with a value changes the connection or the database"),
    ("PRAGMA journal_mode = WAL", "refused: PRAGMA journal_mode with a value"),
    ("PRAGMA writable_schema = ON", "refused: PRAGMA writable_schema with a value"),
    ("VACUUM INTO '{tmp}/copy.db'", "refused: VACUUM is not a read"),
    ("ATTACH '{tmp}/other.db' AS other", "refused: ATTACH is not a read"),
    ("DETACH main", "refused: DETACH is not a read"),
    ("BEGIN", "refused: BEGIN is not a read"),
    ("SELECT load_extension('mod_spatialite')", "refused: load_extension() is not allowed: scoq never loads extensions"),
    ("SELECT * FROM statements WHERE id IN (SELECT load_extension('x'))", "refused: load_extension() is not allowed"),
    ("SELECT 1; DROP TABLE statements", "only one statement at a time: remove everything after the first ';'"),
    ("SELECT 1; SELECT 2", "only one statement at a time"),
    ("SELEC 1", "SQL error: a query begins with SELECT, WITH, VALUES, EXPLAIN or PRAGMA, not 'SELEC'"),
    ("SELECT * FROM nowhere", "SQL error: no such table: nowhere"),
    ("SELECT * FROM claims WHERE id = :claim", "no value for :claim; give it with --param claim VALUE"),
    ("   ", "the query is empty; give one SELECT statement"),
]


@pytest.mark.parametrize("query, message", REFUSED, ids=[q for q, _ in REFUSED])
def test_refused_with_a_message_and_the_database_untouched(query, message, run, copy_db, tmp_path):
    before = sha(copy_db)
    result = run("sql", query.format(tmp=tmp_path), "--db", copy_db)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: {message}")
    assert sha(copy_db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scoq.db"]  # no file attached or vacuumed into


def test_a_runaway_query_is_stopped_at_its_time_limit(run, shipped_db):
    result = run("sql", "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c",
                 "--timeout", "0.05", "--db", shipped_db)
    assert result.exit_code == 2
    assert result.stderr == ("Error: the query ran longer than 0.05 s and was stopped; narrow it (a LIMIT, a WHERE) "
                             "or allow more time with --timeout SECONDS\n")


def test_reading_pragmas_are_allowed(run, shipped_db):
    result = run("sql", "PRAGMA table_info(claims)", "--db", shipped_db)
    assert result.exit_code == 0
    assert [line.split("\t")[1] for line in result.stdout.splitlines()] == ["name", "id", "summary"]
    assert run("sql", "PRAGMA user_version", "--db", shipped_db).stdout == f"user_version\n{db.SCHEMA_VERSION}\n"


def test_no_rows_is_exit_1_with_the_header(run, shipped_db):
    result = run("sql", "SELECT id, name FROM speakers WHERE 0", "--db", shipped_db)
    assert result.exit_code == 1 and result.stdout == "id\tname\n" and result.stderr == "no rows\n"


def test_the_connection_stays_read_only_after_a_query(shipped_db):
    conn = db.connect_readonly(shipped_db)
    sql.run(conn, "SELECT 1")
    with pytest.raises(Exception, match="readonly|query_only"):
        conn.execute("DELETE FROM claims")


def test_a_piped_sql_query_imports_nothing_heavy(shipped_db):
    import subprocess
    import sys

    from test_process import HEAVY, PROBE

    result = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), "sql", "SELECT id FROM claims",
                             "--db", str(shipped_db)], capture_output=True, text=True, timeout=60)
    assert result.stdout.count("\n") == 12
    assert result.stderr.strip() == ""
