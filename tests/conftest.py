"""Shared fixtures: the shipped corpus and a made-up one, each ingested into a real database."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from scoq import corpus, ingest

ROOT = Path(__file__).resolve().parent.parent
CORPORA = Path(__file__).resolve().parent / "corpora"
HARBOR = CORPORA / "harbor"


@pytest.fixture(scope="session")
def shipped_corpus() -> Path:
    """The corpus as the installed package ships it."""
    return corpus.shipped()


@pytest.fixture(scope="session")
def shipped_db(tmp_path_factory, shipped_corpus) -> Path:
    path = tmp_path_factory.mktemp("shipped") / "scoq.db"
    ingest.run(shipped_corpus, path)
    return path


@pytest.fixture(scope="session")
def harbor_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("harbor") / "harbor.db"
    ingest.run(HARBOR, path)
    return path


@pytest.fixture(scope="session")
def open_start_conn(tmp_path_factory):
    """``harbor`` with one figure dated by a period whose first day is unknown
    ("../2025-02"): it sorts after every dated row and before the undated ones."""
    from scoq import db

    root = tmp_path_factory.mktemp("open-start") / "harbor"
    shutil.copytree(HARBOR, root)
    edit(root / "articles/b2.yaml", "    period: in February\n",
         "    period:\n      date: ../2025-02\n      as_written: in February\n")
    ingest.run(root, root.parent / "h.db")
    c = db.connect_readonly(root.parent / "h.db")
    yield c
    c.close()


@pytest.fixture
def harbor(tmp_path) -> Path:
    """A writable copy of the made-up corpus, for tests that break it."""
    dest = tmp_path / "harbor"
    shutil.copytree(HARBOR, dest)
    return dest


@pytest.fixture
def conn(shipped_db):
    from scoq import db

    c = db.connect_readonly(shipped_db)
    yield c
    c.close()


@pytest.fixture
def harbor_conn(harbor_db):
    from scoq import db

    c = db.connect_readonly(harbor_db)
    yield c
    c.close()


@pytest.fixture
def run(monkeypatch):
    """Invoke the CLI in process; ``terminal=True`` draws as for a person."""
    from scoq.cli import cli

    monkeypatch.delenv("SCOQ_DB", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)

    def invoke(*args, terminal: bool | None = None, env: dict | None = None):
        env = dict(env or {})
        if terminal is not None:
            env["SCOQ_TERMINAL"] = "1" if terminal else "0"
        return CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)

    return invoke


def all_rows(path) -> dict[str, list[tuple]]:
    """Every row of every table (meta included), in a stable order: two databases with
    the same answers compare equal."""
    import sqlite3

    from scoq import db

    conn = sqlite3.connect(path)
    out = {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in (*db.LOAD_ORDER, "meta")}
    conn.close()
    return out


def peak_heaps(*calls) -> list[int]:
    """The peak of the Python heap (tracemalloc) while each call runs, one after another:
    an answer streamed should peak at a fraction of the same answer built whole."""
    import tracemalloc

    peaks = []
    tracemalloc.start()
    try:
        for call in calls:
            tracemalloc.reset_peak()
            call()
            peaks.append(tracemalloc.get_traced_memory()[1])
    finally:
        tracemalloc.stop()
    return peaks


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact passage in a file; fail loudly if it is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# CI runs the property tests with a fixed seed, so a run is repeatable.
if os.environ.get("CI"):
    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, deadline=None)
    settings.load_profile("ci")


def problems(root) -> list[str]:
    """The problems that checking the corpus at ``root`` raises, paths made relative to it."""
    from scoq import validate
    from scoq.problems import InputError

    files, found = corpus.discover(root)
    assert found == []
    with pytest.raises(InputError) as e:
        validate.check(files)
    prefix = str(root) + "/"
    return [str(p).replace(prefix, "") for p in e.value.problems]



class ReferenceLoader(yaml.CSafeLoader):
    """PyYAML's own construction, dates kept as text as scoq keeps them: what scoq's own
    YAML reading is compared with."""


ReferenceLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))
