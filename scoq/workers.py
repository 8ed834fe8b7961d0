"""Checking articles in worker processes, one per core: ingest, validate and coverage
all check a corpus this way. Results come back in corpus order, with only a few
chunks of articles in flight, so that memory stays flat whatever the corpus's size."""

from __future__ import annotations

import gc
import os
from collections import deque
from contextlib import contextmanager
from itertools import islice

#: Articles per task sent to a worker process, and the fewest in the last tasks
#: (chunks); below PARALLEL_MIN articles, no workers.
CHUNK, LAST_CHUNK = 32, 8
PARALLEL_MIN = 200

_checker = None
_finish = None


def default(n_articles: int) -> int:
    """How many worker processes to check ``n_articles`` with: one per core (up to
    eight) when there are enough articles to pay for starting them, else none (1)."""
    return min(os.cpu_count() or 1, 8) if n_articles >= PARALLEL_MIN else 1


def keep(checker, results: list) -> list:
    """A chunk's results as they were checked."""
    return results


def results(checker, todo: list[str], workers: int, finish=keep):
    """``checker.article(ann)`` for each annotation file of ``todo``, in order, each
    chunk of them passed through ``finish(checker, results)`` where it was
    checked: in ``workers`` processes when there are more than one (so that what
    ``finish`` drops is never sent back), else here. The chunks (``chunked``) are the
    same either way, so that what ``finish`` makes of them is too.

    The worker processes start at once, and check the first chunks while the caller
    goes on setting up; ``close()`` the generator returned to stop them sooner than
    at its end."""
    chunks = (todo[i:j] for i, j in chunked(len(todo)))
    if workers <= 1:
        return (result for chunk in chunks for result in finish(checker, [checker.article(ann) for ann in chunk]))
    gathered = _gathered(checker, chunks, workers, finish)
    next(gathered)  # up to the point where the first chunks are sent
    return gathered


def chunked(n: int):
    """(start, end) of each chunk of ``n`` articles: CHUNK of them, and in the last
    chunks a quarter of those left, down to LAST_CHUNK. The workers end their last
    chunks one after the other, and what the first of them then leaves idle is a
    fraction of a whole chunk (at 1,000 articles, a chunk is about 50 ms of a core)."""
    i = 0
    while i < n:
        j = i + min(CHUNK, max(LAST_CHUNK, (n - i) // 4))
        yield i, min(j, n)
        i = j


def _gathered(checker, chunks, workers: int, finish):
    """results in ``workers`` processes: first yields None, once the first chunks are
    sent, then each article's result."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init, initargs=(checker, finish))
    try:
        pending: deque = deque(pool.submit(_check_chunk, chunk) for chunk in islice(chunks, 4 * workers))
        yield None
        while pending:
            yield from pending.popleft().result()
            chunk = next(chunks, None)
            if chunk is not None:
                pending.append(pool.submit(_check_chunk, chunk))
    finally:
        # At the end there is nothing left to cancel; closed early, what has not begun is dropped.
        pool.shutdown(cancel_futures=True)


@contextmanager
def gc_paused():
    """The cyclic garbage collector off for a while: checking and writing a corpus makes
    millions of small tuples, dicts and lists and no cycles, and with it on Python walks
    them again and again (7% of an ingest's main process). Memory is still freed as it
    is let go of."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _init(checker, finish) -> None:
    global _checker, _finish
    _checker, _finish = checker, finish
    gc.disable()


def _check_chunk(chunk: list[str]) -> list:
    return _finish(_checker, [_checker.article(ann) for ann in chunk])
