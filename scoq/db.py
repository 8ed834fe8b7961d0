"""The database: its one schema, where it lives, opening it to read, writing it whole.

The schema is plain SQL so that the sqlite3 shell and Datasette see what scoq sees:
tables with foreign keys, indexes on every query path, FTS5 over statements and article
bodies, and views that join statements and figures to speaker, event and article.

A database is always written whole: the new one is built in a temporary file beside
the old and moved over it in one atomic rename, so a reader sees either the old
database or the new one, and a failed ingest leaves the old one exactly as it was.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from typing import TYPE_CHECKING

from scoq.sqlite import sqlite3, writing

if TYPE_CHECKING:
    from pathlib import Path

SCHEMA_VERSION = 7

#: How the full-text indexes cut text into words (case and accents do not count);
#: search marks the words of its hits in a small table that cuts them the same way.
FTS_TOKENIZE = "unicode61 remove_diacritics 2"

SCHEMA = f"""
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
-- What a re-ingest compares, without reading the articles' large rows.
CREATE INDEX articles_files ON articles(id, path, annotation_path, sha256, annotation_sha256);
-- Articles by publication date, without reading their large rows.
CREATE INDEX articles_published ON articles(published_start, id);

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
  id TEXT NOT NULL,        -- unique: statements_id
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
-- A speaker's statements by date; it also holds what speaker_totals counts and lists
-- for each speaker (roles, articles, first and last dates), read without the rows.
CREATE UNIQUE INDEX statements_id ON statements(id);
CREATE INDEX statements_speaker ON statements(speaker_id, said_start, said_end, role, article_id, id);
CREATE INDEX statements_article ON statements(article_id);
-- Many statements name no event and most no claim: only those that do are indexed,
-- and a lookup of either (=, IN, IS NOT NULL) finds them there. The article beside the
-- event lets events count each event's articles off the index alone.
CREATE INDEX statements_event ON statements(event_id, article_id) WHERE event_id IS NOT NULL;
CREATE INDEX statements_claim ON statements(claim_id) WHERE claim_id IS NOT NULL;
-- The timeline's order: dated statements by first day, then undated ones, each read off
-- the index in order (and --since/--until on the first day).
CREATE INDEX statements_when ON statements(said_start, said_end DESC, article_id, start, id);

-- What scoq people lists of every speaker, worked out from the statements at ingest (and
-- again, for the speakers of the articles it changes, by an ingest that patches): listing
-- 5,000 speakers then reads 5,000 rows, where counting their million statements took seconds.
CREATE TABLE speaker_totals (
  speaker_id TEXT PRIMARY KEY REFERENCES speakers(id),
  statements INTEGER NOT NULL,
  articles INTEGER NOT NULL,       -- distinct articles with a statement of theirs
  roles TEXT,                      -- the distinct roles as worded, sorted, joined with "; "
  first_start TEXT,                -- the first day of their earliest dated statement
  first_said TEXT,                 -- that statement's date as recorded (EDTF, at its precision)
  last_said TEXT                   -- the date of their latest, as recorded
);

-- MeasEval quantities: value, qualifier (TIMEX3 mod), unit, what is counted.
CREATE TABLE figures (
  id TEXT NOT NULL,        -- unique: figures_id
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
  topic TEXT NOT NULL,             -- counts, action and unit as a key: figures.topic_key
  period TEXT, period_start TEXT, period_end TEXT, period_precision TEXT, period_as TEXT,
  as_of TEXT, as_of_start TEXT, as_of_end TEXT, as_of_precision TEXT, as_of_as TEXT,
  -- The date the figure is about: its period, else its as-of date, else its event's.
  date TEXT, date_start TEXT, date_end TEXT, date_precision TEXT,
  date_basis TEXT,                 -- period, as of, event
  event_id TEXT REFERENCES events(id),
  reporter_id TEXT REFERENCES speakers(id),
  note TEXT
);
CREATE UNIQUE INDEX figures_id ON figures(id);
CREATE INDEX figures_article ON figures(article_id);
CREATE INDEX figures_event ON figures(event_id, article_id) WHERE event_id IS NOT NULL;
CREATE INDEX figures_reporter ON figures(reporter_id);
-- figures --unit ignores (ASCII) case.
CREATE INDEX figures_unit ON figures(unit COLLATE NOCASE);
-- The timeline's order of figures, as statements_when is of statements.
CREATE INDEX figures_when ON figures(date_start, date_end DESC, article_id, start, id);
-- conflicts: each topic's distinct values in order, then its figures.
CREATE INDEX figures_topic ON figures(topic, value, low, high, mod);

-- What scoq events lists of every event, worked out as speaker_totals is.
CREATE TABLE event_totals (
  event_id TEXT PRIMARY KEY REFERENCES events(id),
  statements INTEGER NOT NULL,
  figures INTEGER NOT NULL,
  articles INTEGER NOT NULL        -- distinct articles with a statement or a figure of it
);

CREATE VIRTUAL TABLE statements_fts USING fts5(
  text, content='statements', content_rowid='rowid', tokenize='{FTS_TOKENIZE}'
);
CREATE VIRTUAL TABLE articles_fts USING fts5(
  title, body, content='articles', content_rowid='rowid', tokenize='{FTS_TOKENIZE}'
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
       f.unit, f.counts, f.action, f.period, f.as_of, f.date, f.event_id, e.name AS event,
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


# A query names its database by a plain string, the same text pathlib would print:
# importing pathlib would cost a piped query more time than answering it does.


def default_path() -> Path:
    """The per-user data directory: XDG on Linux, Application Support on macOS, LOCALAPPDATA on Windows."""
    from pathlib import Path

    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        return Path(_default_location())
    return base / "scoq" / "scoq.db"


def _default_location() -> str:
    """default_path() as text; on Linux without importing pathlib."""
    if sys.platform in ("win32", "darwin"):
        return str(default_path())
    base = os.environ.get("XDG_DATA_HOME")
    if not base:
        home = os.path.expanduser("~")
        if home[:1] == "~":
            raise RuntimeError("Could not determine home directory.")  # as Path.home() says it
        base = os.path.join(home, ".local", "share")
    return _path_text(os.path.join(base, "scoq", "scoq.db"))


def _path_text(path: str | os.PathLike) -> str:
    """A path as str(pathlib.Path(path)) writes it: no empty or '.' parts, no trailing
    slash (``./data//scoq.db/`` -> ``data/scoq.db``)."""
    if os.name == "nt":  # drives and both slashes: pathlib knows them
        from pathlib import Path

        return str(Path(path))
    text = os.fspath(path)
    root = ""
    if text.startswith("/"):
        # POSIX leaves a path that starts with exactly two slashes to the system.
        root = "//" if len(text) - len(text.lstrip("/")) == 2 else "/"
    return root + "/".join(p for p in text.split("/") if p and p != ".") or "."


def location(option: str | os.PathLike | None) -> str:
    """resolve_path() as text, for a query: ``--db``, else ``SCOQ_DB``, else the per-user default."""
    if option:
        return _path_text(option)
    env = os.environ.get("SCOQ_DB")
    return _path_text(env) if env else _default_location()


def resolve_path(option: str | os.PathLike | None) -> Path:
    """``--db``, else ``SCOQ_DB``, else the per-user default."""
    from pathlib import Path

    return Path(location(option))


#: Bytes a file: URI carries as they are (those urllib.parse.quote keeps, and '/').
_URI_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~/")


def _file_uri(path: str) -> str:
    """The absolute file: URI of an existing file, as pathlib's resolve().as_uri() writes it."""
    if os.name == "nt":
        from pathlib import Path

        return Path(path).resolve().as_uri()
    real = os.fsencode(os.path.realpath(path))
    return "file://" + "".join(chr(b) if b in _URI_SAFE else f"%{b:02X}" for b in real)


def _stat_file(path: str) -> os.stat_result | None:
    """The file's stat, or None where pathlib's is_file() says False (missing, not a
    regular file); other errors, such as a folder one may not read, are raised as it does."""
    try:
        st = os.stat(path)
    except OSError as e:
        if e.errno not in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
            raise
        return None
    except ValueError:
        return None
    return st if stat.S_ISREG(st.st_mode) else None


def connect_readonly(path: str | os.PathLike) -> sqlite3.Connection:
    """Open a database to read; DatabaseError if it is missing or of another schema."""
    path = _path_text(path)
    default = location(None)
    if os.name == "nt":  # names that differ only in case are the same file there
        from pathlib import PureWindowsPath

        is_default = PureWindowsPath(path) == PureWindowsPath(default)
    else:
        is_default = path == default
    build = "scoq ingest" + ("" if is_default else f" --db {path}")
    st = _stat_file(path)
    if st is None:
        raise DatabaseError(f"no database at {path}; build it first with: {build}")
    if st.st_size == 0:
        raise DatabaseError(f"{path} is an empty file, not a scoq database; build it with: {build}")
    try:
        try:
            conn, version, ours = _open_readonly(path)
        except sqlite3.OperationalError as e:
            if not _hot_journal(e, path):
                raise
            _roll_back(path, build)
            conn, version, ours = _open_readonly(path)
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


#: How much of a database a query reads through a memory map instead of read() calls:
#: all of it (SQLite maps no more than the file holds, and reads as before where a
#: map cannot be made). A page then costs no copy into SQLite's own cache: at 100,000
#: articles, on two connections in one process taking turns, a warm ``who`` took 2.56 ms
#: at the median instead of 2.72, ``figures`` 2.65 instead of 2.86, the benchmark's mix of
#: searches 39 instead of 47; a whole ``scoq who`` process takes as long as before.
READ_MAP_BYTES = 1 << 40


def _mapped(conn: sqlite3.Connection) -> sqlite3.Connection:
    conn.execute(f"PRAGMA mmap_size = {READ_MAP_BYTES}")
    return conn


class Reader(sqlite3.Connection):
    """A read-only connection that can lend more of its kind to the same file, for a
    query that reads in several threads at once (search's ranking of a common word)."""

    def companions(self, n: int) -> list[sqlite3.Connection]:
        """``n`` more read-only connections to this database, opened once and kept until
        this one is closed. Read them while this one holds its read transaction: with a
        rollback journal no ingest can commit then, so they read what it reads."""
        have = self.__dict__.setdefault("_companions", [])
        uri = None
        while len(have) < n:
            uri = uri or self.execute("PRAGMA main.database_list").fetchone()[2]
            have.append(_mapped(sqlite3.connect(f"{_file_uri(uri)}?mode=ro", uri=True, check_same_thread=False)))
            have[-1].row_factory = self.row_factory
        return have[:n]

    def close(self) -> None:
        for c in self.__dict__.pop("_companions", ()):
            c.close()
        super().close()


def _open_readonly(path: str):
    conn = sqlite3.connect(f"{_file_uri(path)}?mode=ro", uri=True, factory=Reader)
    try:
        conn.row_factory = sqlite3.Row
        _mapped(conn)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        ours = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn, version, ours


def _hot_journal(e: Exception, path: str) -> bool:
    """Whether a read-only open failed on a journal that a killed writer left: SQLite
    says SQLITE_READONLY_ROLLBACK, or plain SQLITE_READONLY where the driver does not
    ask for extended codes (pysqlite3), with the journal beside the file."""
    name = getattr(e, "sqlite_errorname", "")
    return name == "SQLITE_READONLY_ROLLBACK" or (name == "SQLITE_READONLY" and os.path.exists(path + "-journal"))


def _roll_back(path: str, build: str) -> None:
    """Undo what an ingest killed while patching the database left half-done (its
    rollback journal is beside the database): a read-only connection cannot, so one
    that may write opens it once, which rolls it back."""
    try:
        _undo_interrupted(path)
    except writing().Error as e:
        raise DatabaseError(f"an ingest into {path} was interrupted, and undoing it needs write access to "
                            f"that file and its folder ({e}); run it again: {build}") from None


def _undo_interrupted(path) -> None:
    """Open the database to write and read it once: SQLite then rolls back a transaction
    that a killed process left in its journal, if there is one."""
    conn = writing().connect(path, timeout=60)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()


def as_tuples(rows: list[dict], cols: tuple[str, ...], table: str) -> list[tuple]:
    """Rows (dicts with the same keys) as tuples in the table's column order."""
    keys = set(rows[0])
    if not keys <= set(cols):
        raise writing().OperationalError(f"table {table} has no column named {sorted(keys - set(cols))[0]}")
    if keys == set(cols):
        from operator import itemgetter

        get = itemgetter(*cols)
        return [get(r) for r in rows] if len(cols) > 1 else [(get(r),) for r in rows]
    return [tuple(r.get(c) for c in cols) for r in rows]


#: The page size of a new database, and of the images ``pack`` makes (so that records
#: are copied between pages of one size). An article's row (its text twice, about 6 KB
#: in the benchmark) fits in one page of 16 KiB where with 4 KiB it runs on into
#: overflow pages, and a quarter as many pages are written. At 1,000 articles the end
#: of an ingest (commits, index builds, writing the file) went from 91-93 ms to 70-72
#: and the main process's CPU from 0.45 to 0.39 s (medians of 10 alternating pairs).
#: At 100,000 articles the file is 1% smaller, and queries took as long or less:
#: in one process ``figures`` 8% less CPU, search the same; whole ``who`` and
#: ``figures`` processes 111 against 114 ms.
PAGE_BYTES = 16384

#: The page cache (KiB) while the indexes are built after a load, a quarter of the
#: load's: each build reads its whole table from the file whatever the cache, and sorts
#: in memory up to the cache's size, then merges. At 100,000 articles, building them all
#: with 16 MiB took 5.8 s, with 8 MiB 7.05 s (on a slower hour) and with 4 MiB 7.2 s,
#: and each halving took 4 to 8 MiB off the ingest's peak memory, which is highest there.
INDEX_CACHE_KIB = 4096

#: Indexes a new database has from the start, kept up row by row during the load: those
#: on articles, one entry per article. Built after the load, each would read every
#: article's row again, text and all (780 MB at 100,000 articles).
EARLY_INDEXES = ("articles_files", "articles_published")

#: The tables an article's rows go to, in the order they are written.
ARTICLE_TABLES = ("articles", "furniture", "statements", "figures")

#: The name a packed chunk of rows is attached under while it is copied in.
PACKED = "packed"

_packing = None  # this process's connection for pack: in memory, the tables empty, their image and columns


def _packer():
    global _packing
    if _packing is None:
        conn = writing().connect(":memory:", isolation_level=None)
        if not hasattr(conn, "serialize"):
            raise RuntimeError("this Python's sqlite3 cannot serialize a database (SQLite built without it); "
                               "use a Python whose SQLite is 3.36 or newer")
        conn.execute(f"PRAGMA page_size = {PAGE_BYTES}")
        conn.executescript(";\n".join(table_sql(t) for t in ARTICLE_TABLES) + ";")
        columns = {t: tuple(r[1] for r in conn.execute(f'PRAGMA table_info("{t}")')) for t in ARTICLE_TABLES}
        _packing = conn, conn.serialize(), columns
    return _packing


def pack_columns(table: str) -> tuple[str, ...]:
    """The columns of one of ARTICLE_TABLES, in the order pack takes its tuples in:
    the database's own, as both are made from one schema."""
    return _packer()[2][table]


def pack(tables: dict[str, list[tuple]]) -> bytes:
    """Rows of ARTICLE_TABLES (tuples in column order, pack_columns) as the image of
    a small SQLite database that holds just them. It is made where the articles are
    checked, in a worker process, so that the process writing the database copies the
    rows in whole records (see Writer.insert_packed) instead of binding every value
    of every row."""
    conn, empty, _ = _packer()
    conn.deserialize(empty)
    conn.execute("BEGIN")
    for table in ARTICLE_TABLES:
        rows = tables.get(table)
        if rows:
            conn.executemany(f'INSERT INTO "{table}" VALUES ({", ".join("?" * len(rows[0]))})', rows)
    conn.execute("COMMIT")
    return conn.serialize()


class Writer:
    """A new database built in a temporary file beside ``path``: rows go in with plain
    ``executemany``, or whole from ``pack`` images, in one transaction, indexes and
    full-text indexes are built in a second; ``finish`` renames it over ``path``,
    ``abort`` removes it. Rows may be added as they are made, so that a large corpus
    never has to be held in memory."""

    def __init__(self, path: Path, references_checked: bool = False):
        """``references_checked``: the caller has looked up every reference its rows
        make (as checking a corpus does), and the foreign keys are not checked again
        after the load (at 100,000 articles that takes a second)."""
        self.path, self.sqlite = path, writing()
        self.references_checked = references_checked
        self.fd, self.tmp = _temporary(path)
        self.counts: dict[str, int] = {t: 0 for t in LOAD_ORDER}
        self._sql: dict[str, tuple[str, ...]] = {}
        self._indexed: dict[str, int] = {}  # rows of each table in its full-text index
        self._flushing = None
        try:
            self.conn = self.sqlite.connect(self.tmp, isolation_level=None)
            self.conn.execute(f"PRAGMA page_size = {PAGE_BYTES}")
            self.conn.execute("PRAGMA journal_mode = OFF")
            self.conn.execute("PRAGMA synchronous = OFF")
            self.conn.execute("PRAGMA cache_size = -16384")
            # Indexes are made after the bulk load: sorting once is faster than
            # keeping them in order row by row. Not those on articles: see EARLY_INDEXES.
            statements = [x.strip() for x in SCHEMA.split(";\n") if x.strip()]
            self._indexes = [sql for name, sql in indexes().items() if name not in EARLY_INDEXES]
            self.conn.executescript(";\n".join(x for x in statements if _sql_of(x) not in self._indexes) + ";")
            self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self.conn.execute(f"ATTACH ':memory:' AS {PACKED}")
            self.conn.execute("BEGIN")
            self._merge_every(LOAD_MERGE)
        except BaseException as e:
            self.fail(e)

    def columns(self, table: str) -> tuple[str, ...]:
        cols = self._sql.get(table)
        if cols is None:
            cols = self._sql[table] = tuple(r[1] for r in self.conn.execute(f'PRAGMA main.table_info("{table}")'))
        return cols

    def insert(self, table: str, rows: list[dict]) -> None:
        """Add rows (dicts keyed by column) to a table."""
        if not rows:
            return
        self.insert_tuples(table, as_tuples(rows, self.columns(table), table))

    def insert_tuples(self, table: str, rows: list[tuple]) -> None:
        """Add rows given as tuples in the table's column order."""
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            self.conn.executemany(f'INSERT INTO "{table}" VALUES ({marks})', rows)
            self.counts[table] = self.counts.get(table, 0) + len(rows)

    def insert_packed(self, image: bytes) -> None:
        """Add the rows of a ``pack`` image, table by table. Where the table has no
        index yet, as in a new database, SQLite copies each row's record as it is
        (its "transfer optimisation"), several times as fast as inserting its values."""
        self.conn.deserialize(image, name=PACKED)
        for table in ARTICLE_TABLES:
            added = self.conn.execute(f'INSERT INTO main."{table}" SELECT * FROM {PACKED}."{table}"').rowcount
            self.counts[table] = self.counts.get(table, 0) + added

    def index_text(self) -> None:
        """Add the rows written since the last call to the full-text indexes. Called
        after each batch, indexing overlaps the checking of the next articles instead
        of waiting for the last; in one statement per batch it costs little more than
        a rebuild at the end. (Rows are only appended here, so their rowids count up.)"""
        for fts, (table, columns) in FULL_TEXT.items():
            done, total = self._indexed.get(table, 0), self.counts.get(table, 0)
            if total > done:
                self.conn.execute(f"INSERT INTO {fts}(rowid, {columns}) SELECT rowid, {columns} FROM {table} "
                                  "WHERE rowid > ?", (done,))
                self._indexed[table] = total

    def _merge_every(self, segments: int) -> None:
        """How many full-text index segments of a size FTS5 lets pile up before it
        merges them into one of the next size ('automerge')."""
        for fts in FULL_TEXT:
            self.conn.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('automerge', ?)", (segments,))

    def finish(self, meta: dict[str, str], verify=None) -> None:
        """Full-text indexes, a foreign key check, then the atomic rename. ``verify``
        is called with the connection once the indexes are built; what it raises
        leaves the database unwritten."""
        try:
            c = self.conn
            self.index_text()
            self._merge_every(DEFAULT_MERGE)
            c.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
            c.execute("COMMIT")
            c.execute(f"DETACH {PACKED}")  # foreign_key_check looks at every attached database
            # The rows go to disk on another core while the indexes are built; the
            # fsync in _commit then has only the indexes left to write.
            import threading

            self._flushing = threading.Thread(target=os.fsync, args=(self.fd,), daemon=True)
            self._flushing.start()
            c.execute("BEGIN")
            c.execute(f"PRAGMA cache_size = -{INDEX_CACHE_KIB}")
            for sql in self._indexes:
                c.execute(sql)
            work_out_totals(c)
            if verify is not None:
                verify(c)
            self._commit()
        except BaseException as e:
            self.fail(e)

    def _commit(self) -> None:
        c = self.conn
        problems = [] if self.references_checked else c.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"foreign key check failed: {problems[:5]}")
        c.execute("COMMIT")
        c.execute("PRAGMA synchronous = FULL")
        c.close()
        if self._flushing is not None:
            self._flushing.join()
        os.chmod(self.tmp, _mode_for(self.path))
        os.fsync(self.fd)
        os.replace(self.tmp, self.path)
        os.close(self.fd)
        _fsync_folder(self.path.parent)

    def abort(self) -> None:
        """Drop the unfinished database; the old one is untouched."""
        try:
            self.conn.close()
        except Exception:
            pass
        if self._flushing is not None:
            self._flushing.join()  # before its file descriptor is closed
        self.tmp.unlink(missing_ok=True)
        try:
            os.close(self.fd)
        except OSError:
            pass

    def fail(self, e: BaseException):
        """Abort and re-raise ``e``; as a DatabaseError in the user's terms when the disk
        is at fault (full, not writable)."""
        self.abort()
        if isinstance(e, self.sqlite.OperationalError) and "locked" in str(e):
            raise DatabaseError(f"{self.path} is in use (another ingest, or a long query, holds it); "
                                "try again when it is done; the database there was not changed") from None
        if isinstance(e, OSError) or (isinstance(e, self.sqlite.OperationalError) and "full" in str(e)):
            raise DatabaseError(f"cannot write a database at {self.path}: {getattr(e, 'strerror', None) or e}; "
                                "the database there was not changed") from None
        raise e


class Patcher(Writer):
    """The database at ``path`` patched in place, in one SQLite transaction, when most
    articles are unchanged: the rows of every article not in ``keep`` are deleted,
    those of changed and new articles added, and the full-text indexes patched to
    match. Nothing is copied: SQLite's rollback journal makes the transaction atomic,
    so a reader sees the old database or the new one, and an ingest that fails or is
    killed leaves the old one (a killed one is rolled back by the next connection
    that may write; see connect_readonly). The registry must be unchanged (its rows
    are kept as they are)."""

    def __init__(self, path: Path, keep):
        self.path, self.sqlite = path, writing()
        self.counts, self._sql, self.added = {}, {}, []
        self.conn = None
        try:
            remove_stale_temporaries(path)
            # Wait for a reader to finish rather than fail at once.
            c = self.conn = self.sqlite.connect(path, isolation_level=None, timeout=60)
            # Foreign keys are checked row by row here, instead of for the whole
            # database after the load, as Writer does.
            c.execute("PRAGMA foreign_keys = ON")
            c.execute("PRAGMA synchronous = FULL")
            c.execute("PRAGMA cache_size = -16384")
            c.execute(f"ATTACH ':memory:' AS {PACKED}")
            c.execute("BEGIN IMMEDIATE")
            indexed = update_indexes(c)
            c.execute("CREATE TEMP TABLE keep (id TEXT PRIMARY KEY) WITHOUT ROWID")
            c.executemany("INSERT INTO temp.keep VALUES (?)", ((i,) for i in keep))
            # The articles to remove, found once off the articles' index: each table's rows
            # of them are then looked up by article, where asking each table for the rows
            # of articles not kept read every row's article (at 100,000 articles 0.4 s for
            # the statements alone, each time).
            c.execute("CREATE TEMP TABLE gone (id TEXT PRIMARY KEY) WITHOUT ROWID")
            c.execute("INSERT INTO temp.gone SELECT id FROM articles WHERE id NOT IN (SELECT id FROM temp.keep)")
            gone = "IN (SELECT id FROM temp.gone)"
            # Speakers and events whose rows go or come: their totals are worked out again in finish.
            self._touch(f"article_id {gone}")
            c.execute("INSERT INTO statements_fts(statements_fts, rowid, text) "
                      f"SELECT 'delete', rowid, text FROM statements WHERE article_id {gone}")
            c.execute("INSERT INTO articles_fts(articles_fts, rowid, title, body) "
                      f"SELECT 'delete', rowid, title, body FROM articles WHERE id {gone}")
            for table in ("furniture", "statements", "figures"):
                c.execute(f"DELETE FROM {table} WHERE article_id {gone}")
            c.execute(f"DELETE FROM articles WHERE id {gone}")
            self.changed = indexed or c.execute("SELECT 1 FROM temp.gone LIMIT 1").fetchone() is not None
        except BaseException as e:
            self.fail(e)

    def _touch(self, rows: str) -> None:
        """Note the speakers and events of the statements and figures that ``rows`` (a
        condition on them) keeps, whose totals ``finish`` works out again."""
        c = self.conn
        for table in TOTALS:
            c.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table}_touched (id TEXT PRIMARY KEY) WITHOUT ROWID")
        c.execute(f"INSERT OR IGNORE INTO temp.speaker_totals_touched SELECT speaker_id FROM statements WHERE {rows}")
        for source in ("statements", "figures"):
            c.execute(f"INSERT OR IGNORE INTO temp.event_totals_touched SELECT event_id FROM {source} "
                      f"WHERE {rows} AND event_id IS NOT NULL")

    def index_text(self) -> None:
        """Nothing: ``finish`` adds the new articles to the full-text indexes."""

    def insert_packed(self, image: bytes) -> None:
        super().insert_packed(image)
        self.added += [r[0] for r in self.conn.execute(f"SELECT id FROM {PACKED}.articles")]

    def finish(self, meta: dict[str, str]) -> None:
        """Patch the full-text indexes and meta, and commit; roll back if nothing changed
        at all (the file is then the same database, byte for byte)."""
        try:
            c = self.conn
            if self.added:
                c.execute("CREATE TEMP TABLE added (id TEXT PRIMARY KEY) WITHOUT ROWID")
                c.executemany("INSERT INTO temp.added VALUES (?)", ((i,) for i in self.added))
                c.execute("INSERT INTO statements_fts(rowid, text) SELECT rowid, text FROM statements "
                          "WHERE article_id IN (SELECT id FROM temp.added)")
                c.execute("INSERT INTO articles_fts(rowid, title, body) SELECT rowid, title, body FROM articles "
                          "WHERE id IN (SELECT id FROM temp.added)")
                self._touch("article_id IN (SELECT id FROM temp.added)")
            work_out_totals(c, {table: f"SELECT id FROM temp.{table}_touched" for table in TOTALS})
            old_meta = dict(c.execute("SELECT key, value FROM meta"))
            self.counts = {t: c.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in LOAD_ORDER}
            if not (self.changed or self.added) and old_meta == meta:
                self.abort()
                return
            c.execute("DELETE FROM meta")
            c.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
            c.execute("COMMIT")
            c.close()
        except BaseException as e:
            self.fail(e)

    def abort(self) -> None:
        """Roll back: the database is as it was."""
        if self.conn is None:
            return
        try:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            self.conn.close()
        except self.sqlite.Error:
            pass  # a connection that is closed without commit rolls back


def write(path: Path, tables: dict[str, list[dict]], meta: dict[str, str]) -> None:
    """Write a whole database to ``path`` atomically: build beside it, then rename over it."""
    writer = Writer(path)
    try:
        for name in LOAD_ORDER:
            writer.insert(name, tables.get(name) or [])
    except BaseException as e:
        writer.fail(e)
    writer.finish(meta)


#: How many distinct articles report event ``x``: read off statements_event and
#: figures_event, which hold each row's article, so that no statement or figure is read.
EVENT_ARTICLES = """(SELECT count(*) FROM (SELECT article_id FROM statements WHERE event_id = x.id
                                          UNION SELECT article_id FROM figures WHERE event_id = x.id))"""

#: Each table of totals: its key, and the SELECT of its rows, one for each row ``x`` of
#: what it totals, read off the indexes of statements and figures.
TOTALS = {
    "speaker_totals": ("speaker_id", """
        SELECT x.id,
               (SELECT count(*) FROM statements WHERE speaker_id = x.id),
               (SELECT count(DISTINCT article_id) FROM statements WHERE speaker_id = x.id),
               (SELECT group_concat(role, '; ') FROM (
                    SELECT DISTINCT role FROM statements WHERE speaker_id = x.id AND role IS NOT NULL ORDER BY role)),
               (SELECT min(said_start) FROM statements WHERE speaker_id = x.id),
               (SELECT said FROM statements WHERE rowid = (
                    SELECT rowid FROM statements WHERE speaker_id = x.id AND said_start IS NOT NULL
                    ORDER BY said_start, said_end, id LIMIT 1)),
               (SELECT said FROM statements WHERE rowid = (
                    SELECT rowid FROM statements WHERE speaker_id = x.id AND said_end IS NOT NULL
                    ORDER BY said_end DESC, said_start DESC, id LIMIT 1))
        FROM speakers x"""),
    "event_totals": ("event_id", f"""
        SELECT x.id,
               (SELECT count(*) FROM statements WHERE event_id = x.id),
               (SELECT count(*) FROM figures WHERE event_id = x.id),
               {EVENT_ARTICLES}
        FROM events x"""),
}


def work_out_totals(conn, ids: dict[str, str] | None = None) -> None:
    """Fill the tables of TOTALS: every row, or, with ``ids`` (a query selecting the ids
    of what to total again, for each table), those rows alone, replaced."""
    for table, (key, select) in TOTALS.items():
        if ids is None:
            conn.execute(f"DELETE FROM {table}")
            conn.execute(f"INSERT INTO {table} {select}")
        else:
            conn.execute(f"DELETE FROM {table} WHERE {key} IN ({ids[table]})")
            conn.execute(f"INSERT INTO {table} {select} WHERE x.id IN ({ids[table]})")


#: FTS5's 'automerge' while a new database is loaded, and its default, set again
#: after the load. Merging sixteen segments at a time instead of four writes each
#: entry fewer times (at 100,000 articles, indexing takes a fifth less time) and
#: leaves a few more segments, which a search does not notice.
LOAD_MERGE, DEFAULT_MERGE = 16, 4

#: Each full-text index: the table whose rows it indexes, and their indexed columns.
FULL_TEXT = {"statements_fts": ("statements", "text"), "articles_fts": ("articles", "title, body")}


def _sql_of(statement: str) -> str:
    """A statement of SCHEMA without its comment lines."""
    return "\n".join(ln for ln in statement.splitlines() if not ln.startswith("--")).strip()


def _statements(kind: str) -> dict[str, str]:
    """The statements of SCHEMA that make a ``kind`` ("TABLE", "INDEX"), by name."""
    import re

    out = {}
    for statement in SCHEMA.split(";\n"):
        sql = _sql_of(statement)
        if m := re.match(rf"CREATE (?:UNIQUE )?{kind} (\w+)", sql):
            out[m[1]] = sql
    return out


def indexes() -> dict[str, str]:
    """The CREATE [UNIQUE] INDEX statements of SCHEMA, by index name."""
    return _statements("INDEX")


def table_sql(table: str) -> str:
    """The CREATE TABLE statement of SCHEMA for ``table``."""
    return _statements("TABLE")[table]


def update_indexes(conn) -> bool:
    """Make the indexes of a database that an earlier scoq wrote those of SCHEMA; True
    if any changed. Indexes change no data, so a database is not rebuilt for them: the
    next ingest that patches it brings them up to date."""
    wanted = indexes()
    have = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"))
    for name, sql in have.items():
        if wanted.get(name) != sql:
            conn.execute(f'DROP INDEX "{name}"')
    for name, sql in wanted.items():
        if have.get(name) != sql:
            conn.execute(sql)
    return have != wanted


def _temporary(path: Path) -> tuple[int, Path]:
    """A new temporary file beside ``path``, locked by this process while it lives, after
    removing those that killed ingests left behind. Made as ``tempfile.mkstemp`` makes
    one (a new name, created only if it does not exist, readable by its owner alone),
    without importing tempfile, which with shutil, bz2, lzma and random took 6.5 ms of
    an ingest's start."""
    from pathlib import Path

    flags = (os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
             | getattr(os, "O_BINARY", 0))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(path)
        while True:
            tmp_name = str(path.parent / f".{path.name}.{os.urandom(6).hex()}.tmp")
            try:
                fd = os.open(tmp_name, flags, 0o600)
            except FileExistsError:
                continue
            _lock(fd, block=True)
            # Another ingest may have taken it for stale before the lock was held.
            if os.path.exists(tmp_name) and os.path.samestat(os.fstat(fd), os.stat(tmp_name)):
                return fd, Path(tmp_name)
            os.close(fd)
    except OSError as e:
        raise DatabaseError(f"cannot write a database at {path}: {e.strerror}; give another --db, "
                            f"or make {path.parent} a folder you can write to") from None


def _mode_for(path: Path) -> int:
    """The permissions a database built beside ``path`` takes: those of the file it
    replaces, else those of any new file (0666 less the umask), as SQLite gives a file it
    creates. The temporary file is readable by its owner alone, and a database left so
    could not be opened by another user, such as the one a Datasette server runs as."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mask = os.umask(0)  # the only way to read it is to set it
        os.umask(mask)
        return 0o666 & ~mask


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable: it lives in the folder's entry, not in the file."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open a folder; its renames are durable as they are
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
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


class ingest_lock:
    """Held by an ingest for its whole run: an exclusive lock (flock) on the database
    file, so that ingests into one database run one after another, and a rename never
    replaces a file that another ingest is patching in place.

    Taking it also undoes a patch that a killed ingest left half-done: SQLite's
    rollback journal beside the database would otherwise be taken, after a rename,
    for the journal of the new file (SQLite's "mispaired journal": a corrupt file)."""

    def __init__(self, path: Path):
        self.path, self.fd = path, None

    def __enter__(self):
        while True:
            try:
                fd = os.open(self.path, os.O_RDONLY)
            except OSError:
                return self  # no database yet: nothing to patch, and a rename is atomic
            _lock(fd, block=True)
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except OSError:
                same = False
            if same:
                break
            os.close(fd)  # replaced by the ingest that held the lock: lock the new one
        self.fd = fd
        if os.path.exists(f"{self.path}-journal"):
            try:
                _undo_interrupted(self.path)
            except writing().Error:
                pass  # not a database: the ingest says so, or replaces it
        return self

    def __exit__(self, *exc):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
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
