"""The SQLite driver and its settings: memory statistics are turned off only when safe.

Each case runs in a process of its own: turning the statistics off shuts SQLite down,
which a test process that has opened connections must not see done to it."""

import importlib.util
import json
import subprocess
import sys

PROBE = """
import ctypes, json, sys
from scoq import sqlite

def in_use(driver):
    used, highest = ctypes.c_int64(), ctypes.c_int64()
    sqlite.library(driver).sqlite3_status64(0, ctypes.byref(used), ctypes.byref(highest), 0)
    return used.value

out = {}
for driver in (sqlite.sqlite3, sqlite.writing()):
    held = driver.connect(":memory:") if sys.argv[1] == "open" else None
    off = sqlite.memory_statistics_off(driver)
    c = driver.connect(":memory:")
    c.execute("CREATE TABLE t (x)")
    c.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(1000)])
    out[driver.__name__] = {"off": off, "again": sqlite.memory_statistics_off(driver), "in_use": in_use(driver),
                            "sum": c.execute("SELECT sum(x) FROM t").fetchone()[0],
                            "held": held.execute("SELECT 7").fetchone()[0] if held else None}
print(json.dumps(out))
"""


def probe(state: str) -> dict:
    result = subprocess.run([sys.executable, "-c", PROBE, state], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_memory_statistics_go_off_before_the_first_connection():
    out = probe("fresh")
    assert set(out) == ({"pysqlite3.dbapi2", "sqlite3"} if importlib.util.find_spec("pysqlite3") else {"sqlite3"})
    for driver, r in out.items():
        # Off: a connection with a thousand rows is open, and no memory is counted.
        assert r == {"off": True, "again": True, "in_use": 0, "sum": 499500, "held": None}, driver


def test_memory_statistics_stay_on_while_a_connection_is_open():
    out = probe("open")
    for driver, r in out.items():
        # SQLite is not shut down under an open connection: it still answers, and memory is still counted.
        assert r["off"] is False and r["again"] is False, driver
        assert r["held"] == 7 and r["sum"] == 499500 and r["in_use"] > 0, driver
