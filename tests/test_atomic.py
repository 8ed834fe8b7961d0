"""Ingest is all or nothing, whenever it is stopped, and readers never see a mix.

``SCOQ_KILL_POINTS`` sets how many times a large ingest is killed (default 8), e.g.
``SCOQ_KILL_POINTS=100 pytest tests/test_atomic.py`` for a longer run.
"""

import hashlib
import json
import os
import signal
import subprocess
import sys
import time

import pytest

import generated
from scoq import db, ingest

HARBOR = generated.HARBOR


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def scoq_cmd(*args):
    return [sys.executable, "-m", "scoq", *map(str, args)]


def temporaries(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_ingest_killed_at_any_point_leaves_the_previous_database(tmp_path, run):
    big = generated.large_corpus(tmp_path / "big", 80)
    folder = tmp_path / "dbs"
    folder.mkdir()
    target = folder / "scoq.db"
    ingest.run(HARBOR, target)
    old = sha(target)
    old_who = run("who", "--db", target).stdout
    assert old_who.splitlines()[1].startswith("jose-alvarez\tJosé Álvarez\tperson\tMayor; the town's mayor\t6\t3\t")

    # A whole ingest, timed (the second of two, the first warms the caches), noting
    # when it starts writing its temporary file.
    new_db = tmp_path / "new.db"
    for _ in range(2):
        start = time.monotonic()
        proc = subprocess.Popen(scoq_cmd("ingest", big, "--db", new_db, "-q"))
        writing = written = None
        while proc.poll() is None:
            busy = any(n.endswith(".tmp") for n in os.listdir(tmp_path))
            if writing is None and busy:
                writing = time.monotonic() - start
            elif writing is not None and written is None and not busy:
                written = time.monotonic() - start
            time.sleep(0.001)
        total = time.monotonic() - start
        assert proc.returncode == 0
    new = sha(new_db)
    writing = writing or total * 0.8
    written = written or total

    # Half the kill points while it checks the corpus (so long after it starts), half
    # while it writes the database (so long after its temporary file appears).
    n = int(os.environ.get("SCOQ_KILL_POINTS", "8"))
    early, late = n // 2, n - n // 2
    points = [(False, writing * (i + 1) / (early + 1)) for i in range(early)]
    points += [(True, (written - writing) * (i + 0.5) / late) for i in range(late)]
    outcomes = []
    for after_temporary, delay in points:
        stale = set(temporaries(folder))
        proc = subprocess.Popen(scoq_cmd("ingest", big, "--db", target, "-q"))
        while after_temporary and proc.poll() is None and set(temporaries(folder)) <= stale:
            time.sleep(0.001)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        now = sha(target)
        assert now in (old, new), f"killed after {delay:.3f}s: the database is neither the old nor the new one"
        outcomes.append("new" if now == new else "old while writing" if temporaries(folder) else "old")
        if now == new:  # finished before the kill: put the old one back for the next round
            ingest.run(HARBOR, target)
            assert sha(target) == old
        result = run("who", "--db", target)
        assert result.exit_code == 0 and result.stdout == old_who
    assert any(o.startswith("old") for o in outcomes)
    print(f"\n{n} kills: " + ", ".join(f"{outcomes.count(o)} {o}" for o in sorted(set(outcomes))))

    # Temporaries of killed ingests are removed by the next one; nothing else is left.
    ingest.run(HARBOR, target)
    assert sha(target) == old
    assert sorted(os.listdir(folder)) == ["scoq.db"]


def test_stale_temporaries_go_but_one_in_use_stays(tmp_path):
    import fcntl

    target = tmp_path / "scoq.db"
    stale = tmp_path / ".scoq.db.abc123.tmp"
    stale.write_bytes(b"half a database")
    busy = tmp_path / ".scoq.db.def456.tmp"
    busy.write_bytes(b"being written")
    other = tmp_path / ".other.db.xyz.tmp"
    other.write_bytes(b"not ours")
    with open(busy, "rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        assert db.remove_stale_temporaries(target) == [stale]
        ingest.run(HARBOR, target)
        assert sorted(p.name for p in tmp_path.iterdir()) == [".other.db.xyz.tmp", ".scoq.db.def456.tmp", "scoq.db"]


READER = r"""
import json, sys
from click.testing import CliRunner
from scoq.cli import cli
db, stop, out = sys.argv[1:4]
import os
runner = CliRunner()
with open(out, "w") as fh:
    open(out + ".ready", "w").close()
    while True:
        for args in (["who"], ["figures", "-f", "json"]):
            r = runner.invoke(cli, args + ["--db", db], env={"SCOQ_TERMINAL": "0"})
            fh.write(json.dumps([args[0], r.exit_code, r.stdout, r.stderr]) + "\n")
        if os.path.exists(stop):
            break
"""

WRITER = r"""
import sys
from pathlib import Path
from scoq import ingest
db, a, b, rounds = sys.argv[1:5]
for i in range(int(rounds)):
    ingest.run(Path(a if i % 2 else b), Path(db))
"""


@pytest.mark.parametrize("how", ["replaced", "patched in place"])
def test_readers_see_the_old_database_or_the_new_never_a_mix(tmp_path, run, shipped_corpus, harbor, how):
    """Ingests alternate between two corpora while two readers query: either whole new
    databases renamed into place (two registries) or one article patched in place."""
    target = tmp_path / "scoq.db"
    if how == "patched in place":
        a1 = harbor / "articles" / "a1.yaml"
        a1.write_text(a1.read_text(encoding="utf-8").replace("speaker: ana-ruiz", "speaker: jose-alvarez", 1),
                      encoding="utf-8")
        shipped_corpus = harbor
    answers = {}
    for corpus in (HARBOR, shipped_corpus):
        counts = ingest.run(corpus, target)
        answers[corpus] = {"who": run("who", "--db", target).stdout,
                           "figures": run("figures", "-f", "json", "--db", target).stdout}
    assert answers[HARBOR]["who"] != answers[shipped_corpus]["who"]
    if how == "patched in place":
        assert (counts["parsed"], counts["reused"]) == (1, 2)
    stop = tmp_path / "stop"
    readers = [subprocess.Popen([sys.executable, "-c", READER, str(target), str(stop), str(tmp_path / f"r{i}.jsonl")])
               for i in range(2)]
    while not all((tmp_path / f"r{i}.jsonl.ready").exists() for i in range(2)):
        time.sleep(0.01)
    writer = subprocess.run([sys.executable, "-c", WRITER, str(target), str(HARBOR), str(shipped_corpus), "12"],
                            capture_output=True, text=True, timeout=120)
    stop.touch()
    for r in readers:
        assert r.wait(timeout=60) == 0
    assert writer.returncode == 0, writer.stderr
    seen = {"who": set(), "figures": set()}
    count = 0
    for i in range(2):
        for line in (tmp_path / f"r{i}.jsonl").read_text().splitlines():
            command, code, stdout, stderr = json.loads(line)
            assert code == 0 and stderr == "", stderr
            assert stdout in (answers[HARBOR][command], answers[shipped_corpus][command])
            seen[command].add(stdout)
            count += 1
    assert count >= 4
    assert temporaries(tmp_path) == []


def test_a_database_that_cannot_be_written_is_a_message_not_a_traceback(tmp_path, run):
    (tmp_path / "afile").write_text("a file, not a folder")
    result = run("ingest", HARBOR, "--db", tmp_path / "afile" / "x.db")
    assert result.exit_code == 2
    assert result.stderr == (f"Error: cannot write a database at {tmp_path / 'afile' / 'x.db'}: File exists; "
                             f"give another --db, or make {tmp_path / 'afile'} a folder you can write to\n")


KILLED_MID_PATCH = """
import os, signal, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size = 1")  # changed pages reach the file before the commit
conn.execute("BEGIN IMMEDIATE")
for table in ("furniture", "statements", "figures"):
    conn.execute(f"DELETE FROM {table}")
conn.execute("UPDATE articles SET title = 'half done', text = text || 'x'")
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_an_ingest_killed_while_patching_in_place_is_rolled_back_by_the_next_reader(tmp_path, run):
    """A re-ingest patches the database in one SQLite transaction; killed half-way, it
    leaves a rollback journal beside a file it has partly changed. The next reader
    (read-only as every query is) undoes it, and answers from the old database."""
    target = tmp_path / "scoq.db"
    ingest.run(HARBOR, target)
    old, old_who = sha(target), run("who", "--db", target).stdout
    proc = subprocess.run([sys.executable, "-c", KILLED_MID_PATCH, str(target)])
    assert proc.returncode == -signal.SIGKILL
    journal = tmp_path / "scoq.db-journal"
    assert journal.exists() and sha(target) != old

    result = run("who", "--db", target)
    assert result.exit_code == 0 and result.stdout == old_who
    assert not journal.exists() and sha(target) == old


def test_a_re_ingest_that_fails_leaves_the_database_byte_for_byte(tmp_path, harbor):
    (tmp_path / "dbs").mkdir()
    target = tmp_path / "dbs" / "scoq.db"
    ingest.run(harbor, target)
    old = sha(target)
    a1 = harbor / "articles" / "a1.yaml"
    a1.write_text(a1.read_text(encoding="utf-8").replace("speaker: ana-ruiz", "speaker: nobody", 1),
                  encoding="utf-8")
    try:
        ingest.run(harbor, target)
    except Exception as e:
        assert "no speaker 'nobody'" in str(e)
    else:
        raise AssertionError("the ingest should have failed")
    assert sha(target) == old
    assert sorted(os.listdir(tmp_path / "dbs")) == ["scoq.db"]


def test_a_full_ingest_after_a_killed_patch_does_not_inherit_its_journal(tmp_path, run, shipped_corpus):
    """The journal a killed patch leaves belongs to the old file: it is rolled back
    before a new database is renamed into place, never played into the new one."""
    import sqlite3

    target = tmp_path / "scoq.db"
    ingest.run(HARBOR, target)
    subprocess.run([sys.executable, "-c", KILLED_MID_PATCH, str(target)])
    assert (tmp_path / "scoq.db-journal").exists()

    ingest.run(shipped_corpus, target)  # another registry: a whole new database
    assert not (tmp_path / "scoq.db-journal").exists()
    conn = sqlite3.connect(target)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 5
    conn.close()
    result = run("who", "Liao Jinrong", "--db", target)
    assert result.exit_code == 0 and "Liao Jinrong" in result.stdout


def test_each_writer_has_a_new_temporary_of_its_own_that_others_cannot_read(tmp_path):
    target = tmp_path / "scoq.db"
    first, second = db.Writer(target), db.Writer(target)
    try:
        assert first.tmp != second.tmp and first.tmp.parent == tmp_path
        for w in (first, second):
            assert w.tmp.name.startswith(".scoq.db.") and w.tmp.name.endswith(".tmp")
            assert w.tmp.stat().st_mode & 0o777 == 0o600
        # Both are being written: neither is taken for stale.
        assert db.remove_stale_temporaries(target) == []
    finally:
        first.abort()
        second.abort()
    assert list(tmp_path.iterdir()) == []


def test_an_ingest_imports_no_tempfile(tmp_path):
    probe = ("import sys; from pathlib import Path; from scoq import ingest; "
             "ingest.run(Path(sys.argv[1]), Path(sys.argv[2])); print('tempfile' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe, str(HARBOR), str(tmp_path / "h.db")],
                         capture_output=True, text=True, check=True)
    assert out.stdout == "False\n" and (tmp_path / "h.db").exists()
