"""The SQLite driver scoq uses: pysqlite3's where it is installed, else Python's own.

pysqlite3-binary bundles a current SQLite built with its lookaside allocator, where some
systems' Python links an older library built without one (Debian's: OMIT_LOOKASIDE). On
that build every small allocation takes a global lock, which makes ranking a common word
a third slower and two threads no faster than one. The module has the same API as
``sqlite3``; sqlite-utils and Datasette prefer it in the same way. Import ``sqlite3``
from here, so that exceptions and rows come from the driver that opened the connection;
an ingest writes with ``writing()``.
"""

from __future__ import annotations

try:
    from pysqlite3 import dbapi2 as sqlite3
except ImportError:  # no wheel for this platform: the standard library's
    import sqlite3

__all__ = ["sqlite3", "parallel_reads", "writing"]


def writing():
    """The driver the database is written with: the standard library's, whose
    ``executemany`` binds parameters about 1.7 times as fast as pysqlite3's; either
    library reads what the other writes. Imported by the ingest that needs it, so that
    a query does not load two drivers."""
    import sqlite3 as standard

    return standard


_parallel: dict[str, bool] = {}  # by driver: the library does not change while scoq runs


def parallel_reads(driver=sqlite3) -> bool:
    """Whether reads on two connections of ``driver``'s SQLite run side by side: not when
    it was built without lookaside memory, where every allocation contends for one lock.
    A property of the library, not of a database: asked once, of a connection in memory."""
    if driver.__name__ not in _parallel:
        probe = driver.connect(":memory:")
        try:
            _parallel[driver.__name__] = not any(r[0] == "OMIT_LOOKASIDE"
                                                 for r in probe.execute("PRAGMA compile_options"))
        finally:
            probe.close()
    return _parallel[driver.__name__]
