"""The database: its one schema, where it lives, opening it to read, writing it whole.

The schema is plain SQL so that the sqlite3 shell and Datasette see what scoq sees:
tables with foreign keys, indexes on every query path, FTS5 over statements and article
bodies, and views that join statements and figures to speaker, event and article.

A database is always written whole: the new one is built in a temporary file beside
the old and moved over it in one atomic rename, so a reader sees either the old
database or the new one, and a failed ingest leaves the old one exactly as it was.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

SCHEMA_VERSION = 2

SCHEMA = """
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT
);

CREATE TABLE organizations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT,
  parent_id TEXT REFERENCES organizations(id),
  aliases TEXT,            -- JSON array
  note TEXT
);

CREATE TABLE places (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT,
  within_id TEXT REFERENCES places(id)
);

-- People, and bodies that speak without being a person (a press release, "all parties").
CREATE TABLE speakers (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('person', 'body')),
  subkind TEXT,
  name TEXT NOT NULL,
  native_name TEXT,
  note TEXT
);

-- Every name a speaker goes by, with its folded form (no case, no accents) for lookup.
CREATE TABLE aliases (
  speaker_id TEXT NOT NULL REFERENCES speakers(id),
  alias TEXT NOT NULL,
  norm TEXT NOT NULL,
  PRIMARY KEY (speaker_id, alias)
);
CREATE INDEX aliases_norm ON aliases(norm);

CREATE TABLE events (
  id TEXT PRIMARY KEY,     -- the short slug, e.g. 'frontier'
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  ordinal INTEGER,
  place_id TEXT REFERENCES places(id),
  date TEXT,               -- EDTF as written: 2018-06-09/2018-06-10, 2017-06
  date_start TEXT,         -- first day covered (ISO)
  date_end TEXT,           -- last day covered (ISO)
  date_precision TEXT,     -- year, month, day, second
  aliases TEXT,            -- JSON array
  match TEXT NOT NULL,     -- folded slug, name, aliases and kind, for word matching
  note TEXT
);

CREATE TABLE claims (
  id TEXT PRIMARY KEY,
  summary TEXT NOT NULL
);

CREATE TABLE articles (
  id TEXT PRIMARY KEY,
  path TEXT NOT NULL,              -- relative to the corpus folder
  annotation_path TEXT NOT NULL,
  title TEXT,
  title_start INTEGER,
  title_end INTEGER,
  outlet_id TEXT REFERENCES organizations(id),
  outlet_basis TEXT,               -- how the outlet is known
  agency_id TEXT REFERENCES organizations(id),
  url TEXT,
  published TEXT,                  -- EDTF; NULL when unknown
  published_start TEXT,
  published_end TEXT,
  published_precision TEXT,
  published_basis TEXT,
  byline TEXT,
  editor TEXT,
  language TEXT,
  chars INTEGER NOT NULL,          -- length in code points
  sha256 TEXT NOT NULL,            -- of the UTF-8 text
  annotation_sha256 TEXT NOT NULL, -- of the annotation file's bytes
  text TEXT NOT NULL,              -- verbatim; every offset points into this
  body TEXT NOT NULL,              -- the text with page furniture blanked out, same offsets
  note TEXT
);

-- Spans of page furniture: captions, repeated headlines, menus, spam. Never an answer.
CREATE TABLE furniture (
  article_id TEXT NOT NULL REFERENCES articles(id),
  kind TEXT NOT NULL,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX furniture_article ON furniture(article_id);

-- PARC 3.0 attributions: source, cue, content. Offsets in code points, end exclusive.
CREATE TABLE statements (
  id TEXT PRIMARY KEY,
  article_id TEXT NOT NULL REFERENCES articles(id),
  speaker_id TEXT NOT NULL REFERENCES speakers(id),
  type TEXT NOT NULL CHECK (type IN ('direct', 'indirect', 'mixed')),
  text TEXT NOT NULL,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  cue TEXT, cue_start INTEGER, cue_end INTEGER,
  source TEXT, source_start INTEGER, source_end INTEGER,
  role TEXT, role_start INTEGER, role_end INTEGER,
  said TEXT,                       -- EDTF
  said_start TEXT,
  said_end TEXT,
  said_precision TEXT,
  said_basis TEXT,                 -- annotation, resolved (from the words), event
  said_as TEXT, said_as_start INTEGER, said_as_end INTEGER,
  event_id TEXT REFERENCES events(id),
  claim_id TEXT REFERENCES claims(id),
  note TEXT
);
CREATE INDEX statements_speaker ON statements(speaker_id, said_start);
CREATE INDEX statements_article ON statements(article_id);
CREATE INDEX statements_event ON statements(event_id);
CREATE INDEX statements_claim ON statements(claim_id);
CREATE INDEX statements_said ON statements(said_start);

-- MeasEval quantities: value, qualifier (TIMEX3 mod), unit, what is counted.
CREATE TABLE figures (
  id TEXT PRIMARY KEY,
  article_id TEXT NOT NULL REFERENCES articles(id),
  text TEXT NOT NULL,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  quantity TEXT NOT NULL, quantity_start INTEGER NOT NULL, quantity_end INTEGER NOT NULL,
  value_text TEXT NOT NULL,
  value NUMERIC,                   -- NULL for a vague quantity
  low NUMERIC,
  high NUMERIC,
  qualifier TEXT NOT NULL,         -- exact, more than, over, about, at least, up to, vague...
  mod TEXT,                        -- TIMEX3: MORE_THAN, EQUAL_OR_MORE, APPROX...
  unit TEXT NOT NULL,
  counts TEXT NOT NULL,
  action TEXT,
  period TEXT, period_start TEXT, period_end TEXT, period_precision TEXT, period_as TEXT,
  as_of TEXT, as_of_start TEXT, as_of_end TEXT, as_of_precision TEXT, as_of_as TEXT,
  event_id TEXT REFERENCES events(id),
  reporter_id TEXT REFERENCES speakers(id),
  note TEXT
);
CREATE INDEX figures_article ON figures(article_id);
CREATE INDEX figures_event ON figures(event_id);
CREATE INDEX figures_reporter ON figures(reporter_id);
CREATE INDEX figures_unit ON figures(unit);

CREATE VIRTUAL TABLE statements_fts USING fts5(
  text, content='statements', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE articles_fts USING fts5(
  title, body, content='articles', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);

CREATE VIEW statements_view AS
SELECT s.id AS statement_id, s.said, s.said_precision, s.said_basis,
       s.speaker_id, sp.name AS speaker, s.role, s.source, s.cue, s.type,
       s.event_id, e.name AS event, s.claim_id, s.text, s.start, s."end",
       s.article_id, o.name AS outlet, a.published, a.title, a.url
FROM statements s
JOIN speakers sp ON sp.id = s.speaker_id
JOIN articles a ON a.id = s.article_id
LEFT JOIN organizations o ON o.id = a.outlet_id
LEFT JOIN events e ON e.id = s.event_id;

CREATE VIEW figures_view AS
SELECT f.id AS figure_id, f.quantity, f.value_text, f.value, f.low, f.high, f.qualifier, f.mod,
       f.unit, f.counts, f.action, f.period, f.as_of, f.event_id, e.name AS event,
       f.reporter_id, sp.name AS reporter, f.text, f.start, f."end",
       f.article_id, o.name AS outlet, a.published
FROM figures f
JOIN articles a ON a.id = f.article_id
LEFT JOIN organizations o ON o.id = a.outlet_id
LEFT JOIN events e ON e.id = f.event_id
LEFT JOIN speakers sp ON sp.id = f.reporter_id;
"""

#: Tables in the order they are filled, so that every foreign key points backwards.
LOAD_ORDER = (
    "organizations", "places", "speakers", "aliases", "events", "claims",
    "articles", "furniture", "statements", "figures",
)


class DatabaseError(Exception):
    """No database, or one scoq cannot read; the message says what to run."""


def default_path() -> Path:
    """The per-user data directory: XDG on Linux, Application Support on macOS, LOCALAPPDATA on Windows."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "scoq" / "scoq.db"


def resolve_path(option: str | os.PathLike | None) -> Path:
    """``--db``, else ``SCOQ_DB``, else the per-user default."""
    if option:
        return Path(option)
    env = os.environ.get("SCOQ_DB")
    return Path(env) if env else default_path()


def connect_readonly(path: Path) -> sqlite3.Connection:
    """Open a database to read; DatabaseError if it is missing or of another schema."""
    build = "scoq ingest" + (f" --db {path}" if path != resolve_path(None) else "")
    if not path.is_file():
        raise DatabaseError(f"no database at {path}; build it first with: {build}")
    if path.stat().st_size == 0:
        raise DatabaseError(f"{path} is an empty file, not a scoq database; build it with: {build}")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        ours = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
    except sqlite3.DatabaseError as e:
        raise DatabaseError(f"{path} is not a scoq database ({e}); rebuild it with: {build}") from None
    if version == 0 and not ours:
        conn.close()
        raise DatabaseError(f"{path} is an SQLite database but not one scoq wrote; give another --db, "
                            f"or replace it with: {build}")
    if version != SCHEMA_VERSION:
        conn.close()
        newer = (" (a newer scoq wrote it: upgrade scoq to read it as it is)" if version > SCHEMA_VERSION
                 else " (an older scoq wrote it)")
        raise DatabaseError(
            f"{path} has schema version {version}, this scoq reads version {SCHEMA_VERSION}; "
            f"rebuild it with: {build}{newer}"
        )
    return conn


def write(path: Path, tables: dict[str, list[dict]], meta: dict[str, str]) -> None:
    """Write a whole database to ``path`` atomically: build beside it, then rename over it."""
    import tempfile

    import sqlite_utils

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(path)
        while True:
            fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            _lock(fd, block=True)
            # Another ingest may have taken it for stale before the lock was held.
            if os.path.exists(tmp_name) and os.path.samestat(os.fstat(fd), os.stat(tmp_name)):
                break
            os.close(fd)
    except OSError as e:
        raise DatabaseError(f"cannot write a database at {path}: {e.strerror}; give another --db, "
                            f"or make {path.parent} a folder you can write to") from None
    tmp = Path(tmp_name)
    try:
        conn = sqlite3.connect(tmp)
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        db = sqlite_utils.Database(conn)
        conn.executescript(SCHEMA)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        with db.atomic():
            for name in LOAD_ORDER:
                if tables.get(name):
                    db[name].insert_all(tables[name], batch_size=1000)
            db["meta"].insert_all([{"key": k, "value": v} for k, v in sorted(meta.items())])
            # Full-text indexes are built once, after the bulk load.
            db.execute("INSERT INTO statements_fts(statements_fts) VALUES ('rebuild')")
            db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
        problems = conn.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"foreign key check failed: {problems[:5]}")
        conn.execute("PRAGMA synchronous = FULL")
        conn.commit()
        conn.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as e:
        tmp.unlink(missing_ok=True)
        if isinstance(e, OSError) or (isinstance(e, sqlite3.OperationalError) and "full" in str(e)):
            raise DatabaseError(f"cannot write a database at {path}: {getattr(e, 'strerror', None) or e}; "
                                "the database there was not changed") from None
        raise
    finally:
        os.close(fd)


def _lock(fd: int, block: bool) -> bool:
    """Hold an exclusive lock on an open file while this process lives; False if another has it.

    The lock (flock, not SQLite's own POSIX locks) marks a temporary file as in use:
    the system drops it when its process ends, however it ends."""
    try:
        import fcntl
    except ImportError:  # Windows: no lock, so no temporary is ever taken for stale
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if block else fcntl.LOCK_NB))
        return True
    except OSError:
        return False


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Remove the temporary files that ingests into ``path`` left when they were killed.

    A temporary is stale when no living process holds its lock; one still being
    written by another ingest is left alone. Returns the files removed."""
    removed = []
    import glob

    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        try:
            fd = os.open(tmp, os.O_RDONLY)
        except OSError:
            continue
        try:
            if _lock(fd, block=False):
                tmp.unlink(missing_ok=True)
                removed.append(tmp)
        finally:
            os.close(fd)
    return removed
