"""scoq as a real process on a real database: what a shell user and a script meet."""

import csv
import io
import json
import os
import subprocess
import sys

import pytest


def scoq(*args, env=None, **kw):
    full_env = {k: v for k, v in os.environ.items() if k not in ("SCOQ_DB", "SCOQ_TERMINAL", "NO_COLOR")}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "scoq", *map(str, args)], capture_output=True, text=True,
                          env=full_env, timeout=60, **kw)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("proc") / "scoq.db"
    result = scoq("ingest", "--db", path)
    assert result.returncode == 0, result.stderr
    return path


def test_pipeline_answers_from_another_folder(built, tmp_path):
    result = scoq("who", "Liao Jinrong", "--db", built, cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == 37 and lines[0].startswith("statement_id\tsaid\t")
    figures = json.loads(scoq("figures", "--meeting", "frontier", "--format", "json", "--db", built).stdout)
    assert [f["value"] for f in figures] == [12000, 9600, 75, 13800, 1000, 8.8, 1178.3]


def test_default_database_in_the_user_data_directory(tmp_path):
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path)}
    assert scoq("who", "liao", env=env).returncode == 2
    assert scoq("ingest", env=env).returncode == 0
    assert (tmp_path / "data" / "scoq" / "scoq.db").is_file()
    assert scoq("who", "liao", env=env).returncode == 0


def test_no_database_says_how_to_build_one(tmp_path):
    result = scoq("figures", "--db", tmp_path / "none.db")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "no database at" in result.stderr and "scoq ingest" in result.stderr


HEAVY = ("yaml", "sqlite_utils", "rich", "pydantic")
PROBE = """
import sys
sys.argv = ["scoq"] + sys.argv[1:]
from scoq.cli import main
try:
    main()
except SystemExit:
    pass
print(",".join(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)
"""


def test_a_piped_query_imports_nothing_heavy(built):
    for args in (["who", "liao"], ["figures", "--meeting", "frontier"], ["search", "terror*"], ["search", "SCO's"],
                 ["articles"], ["events"], ["people"], ["timeline"]):
        result = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *args, "--db", str(built)],
                                capture_output=True, text=True, timeout=60)
        assert result.stdout.count("\n") > 1
        assert result.stderr.strip() == "", f"{args} imported {result.stderr.strip()}"


def test_a_terminal_query_loads_rich_but_not_yaml(built):
    result = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), "who", "liao", "--db", str(built)],
                            capture_output=True, text=True, timeout=60, env={**os.environ, "SCOQ_TERMINAL": "1"})
    assert result.stderr.strip().splitlines()[-1] == "rich"


def test_export_through_a_file_and_back(built, tmp_path):
    exported = scoq("export", "--db", built)
    assert exported.returncode == 0 and exported.stderr == ""
    (tmp_path / "corpus.json").write_text(exported.stdout, encoding="utf-8")
    result = scoq("ingest", "corpus.json", "--db", "copy.db", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    # The same corpus gives the same file, byte for byte.
    assert (tmp_path / "copy.db").read_bytes() == built.read_bytes()


def test_piped_answers_parse_back(built):
    claims = list(csv.DictReader(io.StringIO(scoq("claims", "--db", built).stdout), delimiter="\t"))
    assert len(claims) == 11 and claims[0]["claim_id"] == "expansion-benefits"
    conflicts = json.loads(scoq("conflicts", "-f", "json", "--db", built).stdout)
    assert sorted({c["topic"] for c in conflicts}) == [
        "SCO dialogue partners (countries)", "SCO full member states (countries)", "SCO observer states (countries)"]
    lines = scoq("export", "-f", "jsonl", "--db", built).stdout.splitlines()
    assert json.loads(lines[0])["kind"] == "export" and len(lines) == 1 + 11 + 7 + 7 + 15 + 8 + 11 + 5 + 21 + 47 + 16


def test_piped_claims_conflicts_and_export_import_nothing_heavy(built):
    for args in (["claims", "attacks"], ["titles", "liao"], ["conflicts"], ["export", "-f", "jsonl"]):
        result = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *args, "--db", str(built)],
                                capture_output=True, text=True, timeout=60)
        assert result.stdout.count("\n") > 1
        assert result.stderr.strip() == "", f"{args} imported {result.stderr.strip()}"


def test_query_modules_import_nothing_heavy():
    code = ("import sys, scoq.cli, scoq.queries, scoq.output, scoq.db; "
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == ""


def test_a_piped_who_or_figures_imports_only_what_it_uses(built):
    # pathlib and dataclasses cost a piped query more than its answer does.
    light = ("pathlib", "dataclasses", "urllib.parse", *HEAVY)
    for args in (["who", "liao"], ["figures", "--meeting", "frontier"]):
        result = subprocess.run([sys.executable, "-c", PROBE.format(heavy=light), *args, "--db", str(built)],
                                capture_output=True, text=True, timeout=60)
        assert result.stdout.count("\n") > 1
        assert result.stderr.strip() == "", f"{args} imported {result.stderr.strip()}"


def test_a_piped_query_loads_one_sqlite_driver(built):
    """Where pysqlite3 is installed, queries read with it alone: the standard library's
    module, which ingest writes with, is not imported as well."""
    from scoq.sqlite import sqlite3 as driver

    if driver.__name__ == "sqlite3":
        pytest.skip("pysqlite3 is not installed here: the standard library's module is the one driver")
    for args in (["who", "liao"], ["search", "terror*"], ["search", "SCO's"], ["timeline"], ["people"]):
        result = subprocess.run([sys.executable, "-c", PROBE.format(heavy=("sqlite3",)), *args, "--db", str(built)],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0 and result.stderr.strip() == "", f"{args} imported {result.stderr.strip()}"
