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

__all__ = ["library", "memory_statistics_off", "parallel_reads", "sqlite3", "writing"]


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


#: sqlite3_config's verb for the memory statistics, and sqlite3_status64's for the bytes in use.
_CONFIG_MEMSTATUS, _STATUS_MEMORY_USED = 9, 0
_statistics_off: dict[str, bool] = {}  # by driver, once a process has asked


def memory_statistics_off(driver=sqlite3) -> bool:
    """Stop ``driver``'s SQLite counting every allocation (SQLITE_CONFIG_MEMSTATUS,
    the first of the options SQLite recommends turning off). While they are counted,
    every allocation takes one lock of the whole library, and the threads that rank
    a search of a common word wait on each other for it: in one process at 100,000
    articles, a search of "training officers" took 49 ms with it and 47 without.
    scoq never reads the statistics.

    It costs the import of ctypes (2.5 ms), so it is for a process that reads or
    writes much: an ingest calls it (at 1,000 articles 2% less CPU over 10
    alternating pairs, a difference 30 pairs of whole ingests lost in the machine's
    drift), as should a program that keeps a database open and searches it many
    times. A single ``scoq search`` gains less than it costs, and does not.

    SQLite takes this setting only while it holds nothing: it is shut down and
    started again, which is safe only with no connection open. That is done only
    when the statistics themselves show no memory in use (they count while they are
    on); call it before the first connection. Returns whether they are off."""
    name = driver.__name__
    if name not in _statistics_off:
        _statistics_off[name] = _switch_off(driver)
    return _statistics_off[name]


def library(driver=sqlite3):
    """``driver``'s SQLite library, to call through ctypes: its C module, which holds
    SQLite (pysqlite3) or links to it, and whose handle finds it either way. Raises
    AttributeError or OSError where there is no such module to load."""
    import ctypes
    import sys

    package = driver.__name__.rpartition(".")[0]
    return ctypes.CDLL(sys.modules.get(f"{package}._sqlite3" if package else "_sqlite3").__file__)


def _switch_off(driver) -> bool:
    import ctypes

    try:
        lib = library(driver)
        if lib.sqlite3_compileoption_used(b"DEFAULT_MEMSTATUS=0"):
            return True  # built without them
        used, highest = ctypes.c_int64(), ctypes.c_int64()
        if lib.sqlite3_status64(_STATUS_MEMORY_USED, ctypes.byref(used), ctypes.byref(highest), 0) or used.value:
            return False  # a connection (or a statement) is open: leave SQLite as it is
        return (lib.sqlite3_shutdown() == 0 and lib.sqlite3_config(_CONFIG_MEMSTATUS, ctypes.c_int(0)) == 0
                and lib.sqlite3_initialize() == 0)
    except (AttributeError, OSError, TypeError):  # no such module or symbol on this platform
        return False
