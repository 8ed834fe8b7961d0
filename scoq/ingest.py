"""Ingest: find a corpus, check all of it, and write the database in one step.

Articles are checked in parallel worker processes, in chunks, and their rows are
written as they arrive into a new database beside the old one; only when every
article has been checked without a problem is it renamed over the old one. An
article whose annotation file and text are unchanged since the last ingest (same
hashes, same registry, same scoq) is not parsed again: the new database starts as a
copy of the old one, and only the rows of changed, new and removed articles change.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from scoq import __version__, corpus, db, validate
from scoq import workers as worker_processes
from scoq.problems import InputError
from scoq.sqlite import memory_statistics_off, sqlite3, writing

#: Articles written between two updates of the full-text indexes, at most. Each update
#: makes new index segments that FTS5 merges later: with 1,024 articles each, indexing
#: a hundred thousand takes 6.4 s of CPU, against 7.2 to 7.8 s with 256.
BATCH = 1024


#: Articles at most left to the last full-text update.
LAST_UPDATE = 16


def _batch(n_articles: int) -> int:
    """Articles per full-text update for a load of ``n_articles``. The last update
    waits for the last article, with the other core idle: at least eight updates keep
    it short (at 1,000 articles, one update of them all took 70 ms at the end). Their
    segments are left unmerged: a warm search of that corpus takes 3.3 ms instead of
    2.7, where merging them at the end would cost the 70 ms again."""
    return max(128, min(BATCH, n_articles // 8))


def _packed(checker, results: list[validate.ArticleResult]) -> list[validate.ArticleResult]:
    """A chunk of checked articles with their rows packed into one SQLite image
    (db.pack), made where they were checked and carried by the last of them; each
    keeps only its text hash of its rows."""
    tables: dict[str, list[dict]] = {t: [] for t in db.ARTICLE_TABLES}
    for result in results:
        articles = result.tables.get("articles")
        result.text_sha256 = articles[0]["sha256"] if articles else ""
        for table, rows in result.tables.items():
            tables[table] += rows
        result.tables = {}
        result.spans = []  # only coverage reads them; ingest keeps nothing per article it has written
    results[-1].packed = db.pack({t: db.as_tuples(rows, db.pack_columns(t), t) for t, rows in tables.items() if rows})
    return results


class _Previous:
    """The database being replaced, if its rows can be reused: same schema, same scoq,
    same registry. ``unchanged`` says which articles can be kept from it."""

    def __init__(self, path: Path, root: Path, registry_sha256: str):
        self.path, self.root, self.conn = path, root, None
        if not path.is_file():
            return
        try:
            conn = db.connect_readonly(path)
        except db.DatabaseError:  # not a database this scoq can reuse: everything is parsed
            return
        conn.row_factory = None  # plain tuples: a hundred thousand rows are read
        # Read, not mapped: the index of files read here lies in pages spread over the
        # whole file, and the system maps the pages around each one touched into this
        # process (at 100,000 articles 150 MiB of it, counted in its memory).
        conn.execute("PRAGMA mmap_size = 0")
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta"))
        except sqlite3.Error:
            conn.close()
            return
        if meta.get("scoq_version") == __version__ and meta.get("registry_sha256") == registry_sha256:
            self.conn = conn
        else:
            conn.close()

    def unchanged(self, plan: list[str], relative) -> list[str | tuple[str, str] | None] | None:
        """For each annotation file of ``plan``, if the article is unchanged, its text's
        hash, or (text path, hash) where the text is not the one beside the file; else
        None. None for all if nothing can be reused. (Paths of the usual texts are not
        kept: at 100,000 articles they were 18 MiB of this list, held to the end.)

        The database's rows are read in one pass in id order, beside the plan sorted by
        id, and each article found is hashed as it comes, so that nothing more of it is
        kept; the connection is then closed (the database is about to be written)."""
        if self.conn is None:
            return None
        out: list[str | tuple[str, str] | None] = [None] * len(plan)
        rows = self.conn.execute("SELECT id, path, annotation_path, sha256, annotation_sha256 "
                                 "FROM articles INDEXED BY articles_files ORDER BY id")
        try:
            row = next(rows, None)
            stems = [validate.article_id(ann) for ann in plan]
            for i in sorted(range(len(plan)), key=stems.__getitem__):
                stem, ann = stems[i], plan[i]
                while row is not None and row[0] < stem:
                    row = next(rows, None)
                if row is None or row[0] != stem or row[2] != relative(ann):
                    continue
                text_path, sha = str(self.root / row[1]), row[3]
                if corpus.file_sha256(ann) == row[4] and corpus.file_sha256(text_path) == sha:
                    out[i] = sha if text_path == validate.Claimed.beside(ann) else (text_path, sha)
        finally:
            rows.close()
            self.close()
        return out

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class _Clash(Exception):
    """The build cannot report its problems as a fresh, careful check would: a checked
    article uses an id of an unchanged one (which of the two is reported depends on
    their order), or a trusting build met a problem. Everything is checked again."""


class _SqliteIds(validate.Ids):
    """Ids seen so far, kept in a temporary table rather than in memory. With
    ``reused``, the ids of unchanged articles are those already in the database's
    statements and figures (less the rows this ingest added, whose ids it also holds)."""

    def __init__(self, conn: sqlite3.Connection, reused: bool = False):
        self.conn, self.reused = conn, reused
        conn.execute("CREATE TEMP TABLE ids (id TEXT PRIMARY KEY, file TEXT NOT NULL) WITHOUT ROWID")

    def claim(self, idents: list[str], owners: list[str]) -> list[str | None]:
        unique = list(set(idents))
        marks = ",".join("?" * len(unique))
        if self.reused:
            kept = [r[0] for r in self.conn.execute(
                f"SELECT id FROM main.statements WHERE id IN ({marks}) "
                f"UNION ALL SELECT id FROM main.figures WHERE id IN ({marks})", unique * 2)]
            if kept:
                mine = {r[0] for r in self.conn.execute(
                    f"SELECT id FROM temp.ids WHERE id IN ({','.join('?' * len(kept))})", kept)}
                if any(i not in mine for i in kept):
                    raise _Clash()
        before = self.conn.total_changes
        self.conn.executemany("INSERT OR IGNORE INTO temp.ids VALUES (?, ?)", zip(idents, owners))
        if self.conn.total_changes - before == len(idents):
            return [None] * len(idents)
        held = dict(self.conn.execute(f"SELECT id, file FROM temp.ids WHERE id IN ({marks})", unique))
        # Each declaration has its own owner token, so the one that holds the id is this one
        # only where the id is new.
        return [held[ident] if held[ident] != owner else None for ident, owner in zip(idents, owners)]


def run(root: Path, db_path: Path, progress=None, workers: int | None = None, reuse: bool = True) -> dict[str, int]:
    """Validate the corpus under ``root`` and replace the database at ``db_path``.

    Raises InputError with every problem found; the database is then left untouched.
    ``progress(total)`` is called once with the number of articles and returns a
    callable that is called after each article is checked. Returns row counts, and
    how many articles were ``parsed`` and how many ``reused`` from the old database.
    """
    files, problems = corpus.discover(root)
    if problems or files is None:
        raise InputError(problems)
    # Before the first connection that writes: it is allowed only then. The worker
    # processes, forked later, pack their rows with the same setting.
    memory_statistics_off(writing())
    registry_sha256 = corpus.file_sha256(files.registry) or ""
    with db.ingest_lock(db_path), worker_processes.gc_paused():
        previous = _Previous(db_path, files.root, registry_sha256) if reuse else _Previous(Path(), root, "")
        try:
            counts = _build(files, db_path, progress, workers, previous, registry_sha256)
        finally:
            previous.close()
        if counts is None:
            # A problem somewhere, or an unchanged article's id clashed with a changed
            # one: check everything, comparing ids as it goes, for the full report.
            counts = _build(files, db_path, progress, workers, _Previous(Path(), root, ""), registry_sha256,
                            trusting=False)
    return counts


def _build(files, db_path, progress, workers, previous: _Previous, registry_sha256: str, trusting: bool = True):
    """Check and write the corpus; None if it must be checked again from the start.

    A fresh build is ``trusting``: it expects a sound corpus, as most ingests are. Ids
    are then not compared article by article: the unique indexes built after the
    load refuse a repeated statement or figure id, and one query finds an id used by
    both. At the first problem of any kind it gives up, and the corpus is checked
    again without trust, which reports every problem with its place (as ``scoq
    validate`` does)."""
    tick = progress(len(files.annotations)) if progress else None
    checker = validate.Checker(files)
    checker.registry()
    # Decide first what is unchanged; then check the rest in parallel and merge in order.
    # (Lists of a hundred thousand articles are kept as few and as small as they can be.)
    plan = checker.annotation_files()
    same_of = previous.unchanged(plan, checker.relative)
    todo = plan if same_of is None else [p for p, same in zip(plan, same_of) if same is None]
    reused = len(plan) - len(todo)
    for_workers = checker.for_workers()
    trusting = trusting and not reused and not checker.problems
    for_workers.claim_ids = not trusting
    if workers is None:
        workers = worker_processes.default(len(todo))
    # The workers start now and check the first articles while the new database is
    # set up; forked before it is opened, they hold no connection to it.
    results = worker_processes.results(for_workers, todo, workers, _packed)
    try:
        writer = (db.Patcher(db_path, (validate.article_id(ann) for ann, same in zip(plan, same_of) if same))
                  if reused else db.Writer(db_path, references_checked=True))
    except BaseException:
        results.close()
        raise
    try:
        if not trusting:
            checker.ids = _SqliteIds(writer.conn, reused=bool(reused))
        if not reused and not checker.problems:
            for table in validate.LOAD_ORDER[:6]:
                writer.insert(table, checker.rows.tables[table])
        claimed = validate.Claimed(plan)
        digest = _Digest()
        unindexed, batch = 0, _batch(len(todo))  # articles written since the full-text indexes last caught up
        left, last_but_one = len(todo), False  # articles still to come; whether the update before the last is done
        for i, ann in enumerate(plan):
            same = same_of[i] if same_of is not None else None
            if same is not None:
                text_path, sha = same if isinstance(same, tuple) else (validate.Claimed.beside(ann), same)
                claimed.add(ann, text_path)
            else:
                result = next(results)
                left -= 1
                claimed.add(ann, result.text_path)
                try:
                    if trusting:
                        if result.problems:
                            raise _Clash()
                    else:
                        checker.merge(result)
                except _Clash:
                    results.close()
                    writer.abort()
                    return None
                sha = result.text_sha256
                unindexed += 1
                # A chunk's rows come with its last article, all of whose articles are merged by then.
                if result.packed is not None and not checker.problems:
                    writer.insert_packed(result.packed)
                    # The last update waits for the last article, with the workers done:
                    # the one before it comes a few articles earlier, so that it is short.
                    if unindexed >= batch or (left <= LAST_UPDATE and not last_but_one):
                        writer.index_text()
                        unindexed, last_but_one = 0, left <= LAST_UPDATE
            digest.add(validate.article_id(ann), sha)
            if tick:
                tick()
        checker.unclaimed(claimed)
        if checker.problems:
            if trusting:  # the report must also hold any repeated id
                writer.abort()
                return None
            raise InputError(checker.problems)
        meta = {**digest.meta(), "registry_sha256": registry_sha256,
                # What verify compares the corpus on disk with later.
                "corpus_root": str(files.root.resolve())}
        if not trusting:
            writer.finish(meta)
        else:
            try:
                writer.finish(meta, verify=_no_shared_id)
            except (_Clash, writing().IntegrityError):  # an id used twice: see the docstring
                return None
    except BaseException as e:
        results.close()
        writer.fail(e)
    finally:
        results.close()  # every result has been taken: the workers have ended, and are waited for
    return {**writer.counts, "parsed": len(todo), "reused": reused}


def _no_shared_id(conn: sqlite3.Connection) -> None:
    """Raise _Clash if a statement and a figure have the same id (the unique index of
    each table's ids has refused a repeat within it). Both indexes are walked in
    order, so that at a million rows the lookups stay in the page cache."""
    if conn.execute("SELECT 1 FROM figures f INDEXED BY figures_id "
                    "JOIN statements s INDEXED BY statements_id ON s.id = f.id LIMIT 1").fetchone():
        raise _Clash()


def run_export(path: Path, db_path: Path) -> dict[str, int]:
    """Replace the database at ``db_path`` with the one an export file (``scoq export``,
    JSON or JSON Lines) holds. Raises InputError if the file is not a sound export;
    the database is then left untouched. Returns row counts."""
    from scoq import export
    from scoq.problems import Problem, display_path

    tables = export.read(path)
    recorded = tables.pop("meta")
    try:
        digest = _Digest()
        for art in tables["articles"]:
            digest.add(art["id"], art["sha256"])
        with db.ingest_lock(db_path):
            db.write(db_path, tables, {**digest.meta(), **recorded})
    except (writing().IntegrityError, RuntimeError) as e:
        # Ids that repeat or references to rows that are not there.
        raise InputError([Problem(display_path(path), 0, 0, f"the rows do not fit together: {e}")]) from None
    return {t: len(r) for t, r in tables.items()}


class _Digest:
    """The corpus digest: each article's id and text hash, in corpus order."""

    def __init__(self):
        self.hash = hashlib.sha256()

    def add(self, article_id: str, sha256: str) -> None:
        self.hash.update(article_id.encode() + b"\0" + sha256.encode() + b"\n")

    def meta(self) -> dict[str, str]:
        """What every database records about itself: versions and the digest."""
        return {"schema_version": str(db.SCHEMA_VERSION), "scoq_version": __version__,
                "corpus_sha256": self.hash.hexdigest()}
