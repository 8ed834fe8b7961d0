"""The whole annotated corpus out of the database, and back in.

``dump`` reads a database (read-only) into one JSON document, and ``write_document``
writes that document an article at a time: the registry, and every
article with its text, metadata, page furniture, statements and figures. Each object
carries its database row under the column names of ``scoq.db.SCHEMA``, so that ``load``
rebuilds the same tables from it: ``scoq ingest FILE.json`` gives back the same database.
``records`` gives the same rows flat, one kind-tagged record per row (JSON Lines), and
``load_records`` reads them back. Only derived data is left out: an alias's folded form
(recomputed with ``scoq.names.fold``), a figure's topic (with ``scoq.figures.topic_key``),
and the ``article_id`` of rows nested in their article.

A file to load is checked first (its format and schema version, every table's columns,
and every span against its article's text); problems name the file and where in it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Iterable, Iterator

from scoq import db
from scoq.figures import topic_key
from scoq.names import fold
from scoq.problems import InputError, Problem, did_you_mean
from scoq.queries import dicts
from scoq.sqlite import sqlite3

FORMAT = "scoq-export"
EXPORT_VERSION = 1

REGISTRY = ("organizations", "places", "speakers", "events", "claims")
PARTS = ("furniture", "statements", "figures")  # nested in each article
LISTS = {"organizations": ("aliases",), "events": ("aliases",)}  # JSON arrays stored as text
# Spans checked against the article text: (text column, start column, end column).
SPANS = {
    "articles": (("title", "title_start", "title_end"),),
    "furniture": (("text", "start", "end"),),
    "statements": (("text", "start", "end"), ("cue", "cue_start", "cue_end"),
                   ("source", "source_start", "source_end"), ("role", "role_start", "role_end"),
                   ("said_as", "said_as_start", "said_as_end")),
    "figures": (("text", "start", "end"), ("quantity", "quantity_start", "quantity_end")),
}


def columns() -> dict[str, list[str]]:
    """Every table's columns, in order, as the schema declares them."""
    conn = sqlite3.connect(":memory:")
    conn.executescript(db.SCHEMA)
    return {t: [r[1] for r in conn.execute(f"PRAGMA table_info({t})")] for t in (*db.LOAD_ORDER, "meta")}


#: Columns made again from the others when an export is loaded, so left out of it.
DERIVED = {"aliases": "norm", "figures": "topic"}


def _rows(conn: sqlite3.Connection, table: str, article_id: str | None = None) -> Iterator[dict]:
    """A table's rows as exported, in the order they were stored (those of one article with
    ``article_id``): lists as lists, derived columns left out."""
    derived = DERIVED.get(table)
    where, params = ("", ()) if article_id is None else ("WHERE article_id = ?", (article_id,))
    for r in conn.execute(f'SELECT * FROM "{table}" {where} ORDER BY rowid', params):
        row = dict(r)
        if derived:
            del row[derived]
        for key in LISTS.get(table, ()):
            row[key] = json.loads(row[key]) if row[key] is not None else None
        yield row


def _header(conn: sqlite3.Connection) -> dict:
    return {"format": FORMAT, "export_version": EXPORT_VERSION, "schema_version": db.SCHEMA_VERSION,
            "meta": {r["key"]: r["value"] for r in conn.execute("SELECT key, value FROM meta ORDER BY key")}}


def _head(conn: sqlite3.Connection) -> dict:
    """The document but its articles: header and registry."""
    aliases: dict[str, list[str]] = {}
    for a in _rows(conn, "aliases"):
        aliases.setdefault(a["speaker_id"], []).append(a["alias"])
    registry = {t: list(_rows(conn, t)) for t in REGISTRY}
    for sp in registry["speakers"]:
        sp["aliases"] = aliases.get(sp["id"], [])
    return {**_header(conn), "registry": registry}


def _articles(conn: sqlite3.Connection) -> Iterator[dict]:
    """Each article with its parts, one at a time: its rows of each part are read off
    the part's index of articles."""
    for art in _rows(conn, "articles"):
        for p in PARTS:
            art[p] = [{k: v for k, v in row.items() if k != "article_id"} for row in _rows(conn, p, art["id"])]
        yield art


def dump(conn: sqlite3.Connection) -> dict:
    """The database as one document: header, registry, and articles with their parts."""
    return {**_head(conn), "articles": list(_articles(conn))}


def write_document(conn: sqlite3.Connection, out) -> None:
    """``dump``'s document as ``json.dump(..., indent=2)`` writes it, and a newline,
    written an article at a time: a corpus of any size is never in memory whole."""
    head = json.dumps(_head(conn), ensure_ascii=False, indent=2)
    out.write(head[:-2] + ',\n  "articles": [')  # the head without its closing "\n}"
    n = 0
    for art in _articles(conn):
        text = json.dumps(art, ensure_ascii=False, indent=2).replace("\n", "\n    ")
        out.write(("\n    " if not n else ",\n    ") + text)
        n += 1
    out.write("\n  ]\n}\n" if n else "]\n}\n")


def records(conn: sqlite3.Connection) -> Iterator[dict]:
    """The database as flat records, a header first, then ``{"kind": TABLE, "row": ROW}``
    for every row of every table in load order."""
    yield {"kind": "export", "row": _header(conn)}
    for table in db.LOAD_ORDER:
        for row in _rows(conn, table):
            yield {"kind": table, "row": row}


def table_rows(conn: sqlite3.Connection, table: str) -> Iterator[dict]:
    """One table's rows as stored (for CSV and TSV), read as they are written out."""
    return dicts(conn, f'SELECT * FROM "{table}" ORDER BY rowid', lazy=True)


class _Loader:
    """Collects rows table by table, checking each against the schema and its text."""

    def __init__(self, file: str):
        self.file = file
        self.columns = columns()
        self.tables: dict[str, list[dict]] = {t: [] for t in db.LOAD_ORDER}
        self.where: dict[str, list[tuple[str, int]]] = {t: [] for t in db.LOAD_ORDER}
        self.problems: list[Problem] = []

    def problem(self, where: str, message: str, line: int = 0) -> None:
        self.problems.append(Problem(self.file, line, 0, f"{where}: {message}" if where else message))

    def header(self, head, line: int = 0) -> None:
        if not isinstance(head, dict) or head.get("format") != FORMAT:
            self.problem("", f"not a scoq export (no \"format\": \"{FORMAT}\"); "
                             "export a database with: scoq export --format json", line)
            return
        # What the exported database recorded about its corpus, so that verify still works.
        recorded = head.get("meta") if isinstance(head.get("meta"), dict) else {}
        self.recorded = {k: str(v) for k, v in recorded.items() if k in ("corpus_root", "registry_sha256")}
        if head.get("export_version") != EXPORT_VERSION or head.get("schema_version") != db.SCHEMA_VERSION:
            self.problem("", f"export version {head.get('export_version')} of schema {head.get('schema_version')}; "
                             f"this scoq reads version {EXPORT_VERSION} of schema {db.SCHEMA_VERSION}: "
                             "export it again with this scoq, or ingest the corpus folder", line)

    def add(self, table: str, row, where: str, line: int = 0, **implied) -> dict | None:
        if not isinstance(row, dict):
            self.problem(where, f"expected an object (a row of {table})", line)
            return None
        row = {**row, **implied}
        if table == "aliases" and "alias" in row:
            row["norm"] = fold(str(row["alias"]))
        if table == "figures" and "counts" in row and "unit" in row:
            action = row.get("action")
            row["topic"] = topic_key(str(row["counts"]), None if action is None else str(action), str(row["unit"]))
        wanted = self.columns[table]
        unknown = [k for k in row if k not in wanted]
        # A derived column is missing only because what it is made from is; that is said.
        missing = [k for k in wanted if k not in row and k != DERIVED.get(table)]
        for k in unknown:
            self.problem(where, f"unknown key '{k}'{did_you_mean(k, wanted)}; {table} have: {', '.join(wanted)}", line)
        for k in missing:
            self.problem(where, f"missing key '{k}'", line)
        if unknown or missing:
            return None
        for key in LISTS.get(table, ()):
            if row[key] is not None:
                row[key] = json.dumps(row[key], ensure_ascii=False)
        row = {k: row[k] for k in wanted}
        self.tables[table].append(row)
        self.where[table].append((where, line))
        return row

    def check_spans(self) -> None:
        texts = {}
        for art, (where, line) in zip(self.tables["articles"], self.where["articles"]):
            text = art["text"]
            if not isinstance(text, str):
                self.problem(where, "text: expected a string", line)
                continue
            texts[art["id"]] = text
            if hashlib.sha256(text.encode("utf-8")).hexdigest() != art["sha256"] or art["chars"] != len(text):
                self.problem(where, "text does not match its sha256 and chars; the export was edited or is damaged",
                             line)
        for table, spans in SPANS.items():
            for row, (where, line) in zip(self.tables[table], self.where[table]):
                text = texts.get(row["id"] if table == "articles" else row["article_id"])
                if text is None:
                    continue
                for col, start, end in spans:
                    if row[col] is None or row[start] is None:
                        continue
                    ok = isinstance(row[start], int) and isinstance(row[end], int) and 0 <= row[start] <= row[end]
                    if not ok or text[row[start]:row[end]] != row[col]:
                        self.problem(where or f"{table} ({row.get('id', row.get('article_id'))})",
                                     f"{col} '{row[col]}' is not the article text at "
                                     f"{start}..{end} ({row[start]}..{row[end]})", line)

    def result(self) -> dict[str, list[dict]]:
        self.check_spans()
        if self.problems:
            raise InputError(self.problems)
        return {**self.tables, "meta": getattr(self, "recorded", {})}


def load(doc, file: str) -> dict[str, list[dict]]:
    """Rows for every table from a document made by ``dump``; InputError if it is not one."""
    loader = _Loader(file)
    loader.header(doc)
    if loader.problems:
        raise InputError(loader.problems)
    registry = doc.get("registry") or {}
    for table in REGISTRY:
        for i, row in enumerate(registry.get(table) or []):
            row = dict(row) if isinstance(row, dict) else row
            where = f"registry.{table}[{i}]" + (f" ({row.get('id')})" if isinstance(row, dict) else "")
            aliases = row.pop("aliases", None) if table == "speakers" and isinstance(row, dict) else None
            added = loader.add(table, row, where)
            for alias in aliases or []:
                if added:
                    loader.add("aliases", {"alias": alias}, where + ".aliases", speaker_id=added["id"])
    for i, art in enumerate(doc.get("articles") or []):
        where = f"articles[{i}]" + (f" ({art.get('id')})" if isinstance(art, dict) else "")
        if not isinstance(art, dict):
            loader.add("articles", art, where)
            continue
        art = dict(art)
        parts = {p: art.pop(p, None) or [] for p in PARTS}
        added = loader.add("articles", art, where)
        if added:
            for p in PARTS:
                for j, row in enumerate(parts[p]):
                    loader.add(p, row, f"{where}.{p}[{j}]", article_id=added["id"])
    return loader.result()


def load_records(lines: Iterable[str], file: str) -> dict[str, list[dict]]:
    """Rows for every table from JSON Lines made by ``records``."""
    loader = _Loader(file)
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            loader.problems.append(Problem(file, n, e.colno, f"not JSON: {e.msg}"))
            continue
        kind = rec.get("kind") if isinstance(rec, dict) else None
        if n == 1 or kind == "export":
            loader.header(rec.get("row") if kind == "export" else None, n)
            if loader.problems:
                break
        elif kind in loader.tables:
            loader.add(kind, rec.get("row"), "", n)
        else:
            loader.problem("", f"unknown kind {kind!r}{did_you_mean(kind, loader.tables)}; "
                               f"kinds are: export, {', '.join(db.LOAD_ORDER)}", n)
    return loader.result()


def read(path) -> dict[str, list[dict]]:
    """Rows for every table from an export file: JSON, or JSON Lines if it ends in .jsonl."""
    from pathlib import Path

    from scoq.problems import display_path

    path = Path(path)
    file = display_path(path)
    try:
        with open(path, encoding="utf-8") as fh:
            if path.suffix == ".jsonl":
                return load_records(fh, file)
            doc = json.load(fh)
    except UnicodeDecodeError as e:
        raise InputError([Problem(file, 0, 0, f"not UTF-8 ({e.reason} at byte {e.start})")]) from None
    except json.JSONDecodeError as e:
        raise InputError([Problem(file, e.lineno, e.colno, f"not JSON ({e.msg}); give a corpus folder, "
                                                           "or a file made by scoq export")]) from None
    except OSError as e:
        raise InputError([Problem(file, 0, 0, e.strerror or str(e))]) from None
    if not isinstance(doc, dict):
        raise InputError([Problem(file, 1, 1, "not a scoq export (expected a JSON object)")])
    return load(doc, file)
