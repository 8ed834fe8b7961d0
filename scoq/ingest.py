"""Ingest: find a corpus, check all of it, and write the database in one step."""

from __future__ import annotations

import hashlib
from pathlib import Path

from scoq import __version__, corpus, db, validate
from scoq.problems import InputError


def run(root: Path, db_path: Path, progress=None) -> dict[str, int]:
    """Validate the corpus under ``root`` and replace the database at ``db_path``.

    Raises InputError with every problem found; the database is then left untouched.
    ``progress(total)`` is called once with the number of articles and returns a
    callable that is called after each article is checked. Returns row counts.
    """
    files, problems = corpus.discover(root)
    if problems or files is None:
        raise InputError(problems)
    tick = progress(len(files.annotations)) if progress else None
    rows = validate.check(files, tick)
    digest = hashlib.sha256()
    for art in rows.tables["articles"]:
        digest.update(art["id"].encode() + b"\0" + art["sha256"].encode() + b"\n")
    meta = {
        "schema_version": str(db.SCHEMA_VERSION),
        "scoq_version": __version__,
        "corpus_sha256": digest.hexdigest(),
        # What verify compares the corpus on disk with later.
        "corpus_root": str(root.resolve()),
        "registry_sha256": hashlib.sha256(files.registry.read_bytes()).hexdigest(),
    }
    db.write(db_path, rows.tables, meta)
    return rows.counts()


def run_export(path: Path, db_path: Path) -> dict[str, int]:
    """Replace the database at ``db_path`` with the one an export file (``scoq export``,
    JSON or JSON Lines) holds. Raises InputError if the file is not a sound export;
    the database is then left untouched. Returns row counts."""
    import sqlite3

    from scoq import export
    from scoq.problems import Problem, display_path

    tables = export.read(path)
    recorded = tables.pop("meta")
    try:
        db.write(db_path, tables, {**_meta(tables["articles"]), **recorded})
    except (sqlite3.IntegrityError, RuntimeError) as e:
        # Ids that repeat or references to rows that are not there.
        raise InputError([Problem(display_path(path), 0, 0, f"the rows do not fit together: {e}")]) from None
    return {t: len(r) for t, r in tables.items()}


def _meta(articles: list[dict]) -> dict[str, str]:
    """What the database records about itself: versions and a digest of the texts."""
    digest = hashlib.sha256()
    for art in articles:
        digest.update(art["id"].encode() + b"\0" + art["sha256"].encode() + b"\n")
    return {"schema_version": str(db.SCHEMA_VERSION), "scoq_version": __version__, "corpus_sha256": digest.hexdigest()}
