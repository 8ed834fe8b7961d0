"""Raw SQL against the database, for questions the commands do not ask: read only.

The connection is opened read-only (``mode=ro``) and ``query_only``; on top of that an
authorizer lets a statement only read. SQLite itself would let a read-only connection
ATTACH (and so create) another file or ``VACUUM INTO`` a new one, so those are refused
here, as are every write, pragma writes, transactions and ``load_extension`` (extension
loading is never enabled). Only one statement is run, with its ``:name`` parameters
bound, never pasted in; a progress handler ends it once it has run past its time limit.
"""

from __future__ import annotations

import re
import time

from scoq.sqlite import sqlite3

#: Pragmas that take an argument and only read.
READ_PRAGMAS = frozenset({
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
    "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check",
    "function_list", "pragma_list", "collation_list", "module_list", "compile_options",
    "database_list",
})

#: What a reading statement is made of; everything else is refused.
_READING = {
    sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION,
    sqlite3.SQLITE_RECURSIVE, sqlite3.SQLITE_PRAGMA,
}

_ACTIONS = {
    sqlite3.SQLITE_ATTACH: "ATTACH", sqlite3.SQLITE_DETACH: "DETACH",
    sqlite3.SQLITE_TRANSACTION: "a transaction", sqlite3.SQLITE_SAVEPOINT: "a savepoint",
    sqlite3.SQLITE_INSERT: "INSERT", sqlite3.SQLITE_UPDATE: "UPDATE", sqlite3.SQLITE_DELETE: "DELETE",
    sqlite3.SQLITE_ALTER_TABLE: "ALTER TABLE", sqlite3.SQLITE_REINDEX: "REINDEX",
    sqlite3.SQLITE_ANALYZE: "ANALYZE",
}

_WRITING = frozenset({
    "INSERT", "UPDATE", "DELETE", "REPLACE", "UPSERT", "CREATE", "DROP", "ALTER", "ATTACH", "DETACH",
    "VACUUM", "REINDEX", "ANALYZE", "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE",
})

_FIRST_WORD = re.compile(r"\A(?:\s+|--[^\n]*(?:\n|\Z)|/\*.*?\*/)*(\w+)", re.S)


class SQLError(Exception):
    """A query that is refused, fails or runs too long; the message says why and what to do."""


def _first_word(query: str) -> str:
    m = _FIRST_WORD.match(query)
    return m[1].upper() if m else ""


def _authorizer(refusals: list[str]):
    def check(action, arg1, arg2, db_name, trigger):
        if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() == "load_extension":
            refusals.append("load_extension() is not allowed: scoq never loads extensions")
            return sqlite3.SQLITE_DENY
        if action == sqlite3.SQLITE_PRAGMA and arg2 is not None and arg1.lower() not in READ_PRAGMAS:
            refusals.append(f"PRAGMA {arg1} with a value changes the connection or the database")
            return sqlite3.SQLITE_DENY
        if action in _READING:
            return sqlite3.SQLITE_OK
        # A full-text table declares itself to SQLite on first use, which SQLite checks
        # as an update of the schema table; nothing can actually write it here.
        if action == sqlite3.SQLITE_UPDATE and arg1 in ("sqlite_master", "sqlite_schema") and db_name == "main":
            return sqlite3.SQLITE_OK
        refusals.append(f"{_ACTIONS.get(action, 'this statement')} is not a read")
        return sqlite3.SQLITE_DENY

    return check


def _unique(names: list[str]) -> list[str]:
    """Column names made unique (``id``, ``id_2``) so that no value is lost from a row."""
    out: list[str] = []
    for name in names:
        candidate, n = name, 1
        while candidate in out:
            n += 1
            candidate = f"{name}_{n}"
        out.append(candidate)
    return out


def _value(v):
    return v.hex() if isinstance(v, bytes) else v


def run(conn: sqlite3.Connection, query: str, params: dict[str, str] | None = None,
        timeout: float = 10.0, limit: int | None = None) -> tuple[list[str], list[dict]]:
    """Run one reading statement: ``(field names, rows as dicts)``; SQLError otherwise."""
    if not query.strip():
        raise SQLError("the query is empty; give one SELECT statement")
    word = _first_word(query)
    if word in _WRITING:
        raise SQLError(f"refused: {word} is not a read; scoq sql only reads (SELECT, WITH, VALUES, EXPLAIN "
                       "or PRAGMA), and the database is changed only by: scoq ingest")
    if word not in ("SELECT", "WITH", "VALUES", "EXPLAIN", "PRAGMA"):
        raise SQLError(f"SQL error: a query begins with SELECT, WITH, VALUES, EXPLAIN or PRAGMA, not '{word}'")
    refusals: list[str] = []
    conn.execute("PRAGMA query_only = 1")
    conn.set_authorizer(_authorizer(refusals))
    deadline = time.monotonic() + timeout
    conn.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 1000)
    try:
        cur = conn.execute(query, params or {})
        fields = _unique([d[0] for d in cur.description or ()])
        raw = cur.fetchmany(limit) if limit else cur.fetchall()
    except (sqlite3.ProgrammingError, sqlite3.Warning) as e:  # pysqlite3: Warning for a second statement
        if "one statement at a time" in str(e):
            raise SQLError("only one statement at a time: remove everything after the first ';'") from None
        missing = _missing_parameter(query, params or {}) if "supply a value for binding" in str(e) else None
        if missing:
            raise SQLError(f"no value for :{missing}; give it with --param {missing} VALUE") from None
        raise SQLError(f"SQL error: {e}") from None
    except sqlite3.DatabaseError as e:
        if refusals:
            raise SQLError(f"refused: {refusals[0]}; scoq sql only reads, and the database is "
                           "changed only by: scoq ingest") from None
        if str(e) == "interrupted":
            raise SQLError(f"the query ran longer than {timeout:g} s and was stopped; narrow it "
                           "(a LIMIT, a WHERE) or allow more time with --timeout SECONDS") from None
        if "readonly" in str(e):
            raise SQLError("refused: the statement would write; scoq sql only reads") from None
        raise SQLError(f"SQL error: {e}") from None
    finally:
        conn.set_progress_handler(None, 0)
        conn.set_authorizer(None)
    return fields, [dict(zip(fields, map(_value, r))) for r in raw]


_LITERALS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/", re.S)


def _missing_parameter(query: str, params: dict[str, str]) -> str | None:
    """The first ``:name`` (or ``@name``, ``$name``) of the query that ``params`` lacks,
    outside strings and comments. (Drivers word the error differently, some by number.)"""
    names = re.findall(r"[:@$]([A-Za-z_]\w*)", _LITERALS.sub(" ", query))
    return next((n for n in names if n not in params), None)


def columns(fields: list[str], rows: list[dict]):
    """A table view for any result: one column per field, the longest text given the room."""
    from scoq.output import Column

    def longest(f):
        return max((len(str(r[f])) for r in rows if r[f] is not None), default=0)

    widest = max(fields, key=longest, default=None)
    return tuple(Column(f, (f,), "bold" if i == 0 else "", flex=(f == widest)) for i, f in enumerate(fields))
