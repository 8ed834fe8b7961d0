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


class WorkerDied(RuntimeError):
    """A worker process ended before it had sent all its results (killed, out of memory)."""


#: Whether worker processes are forked (POSIX); else Python's pool starts them anew.
FORK = hasattr(os, "fork")

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
    chunks = [todo[i:j] for i, j in chunked(len(todo))]
    if workers <= 1:
        return (result for chunk in chunks for result in finish(checker, [checker.article(ann) for ann in chunk]))
    gathered = (_forked if FORK else _pooled)(checker, chunks, workers, finish)
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


#: Chunks in flight per worker: sent, and not yet handed on in order.
IN_FLIGHT = 4
#: Bytes a worker's result pipe holds (where the system lets a pipe be widened), so
#: that a worker seldom waits for the main process to read: a chunk's results, with
#: its rows packed, are about 600 KB at 32 articles.
PIPE_BYTES = 1 << 20


def _forked(checker, chunks: list[list[str]], workers: int, finish):
    """results in ``workers`` forked processes: first yields None, once the first chunks
    are sent, then each article's result.

    The workers inherit ``checker``, ``finish`` and the chunks, so a task is a chunk's
    number: 4 bytes on one pipe that all of them read from, each read taking one whole
    number, so that the next free worker takes the next chunk. Each worker sends its
    results back, pickled, on a pipe of its own, and they are handed on in order, with
    IN_FLIGHT chunks per worker sent ahead. This is what Python's ProcessPoolExecutor
    does, without its imports (15-35 ms of an ingest's start, on one core while the
    other waits) and the two threads of its own that it runs beside the caller's: at
    1,000 articles an ingest took 4% less CPU and 4-7% less time."""
    import pickle

    _give_back_freed()
    tasks_in, tasks = os.pipe()
    results = _Results()
    try:
        for _ in range(min(workers, len(chunks))):
            read, write = os.pipe()
            _widen(write)
            pid = os.fork()
            if pid == 0:
                try:
                    for fd in (tasks, read, *results.pids):
                        os.close(fd)
                    _work(checker, finish, chunks, tasks_in, write)
                finally:
                    os._exit(1)  # _work ends the process itself: this only if closing failed
            os.close(write)
            results.add(read, pid)
        os.close(tasks_in)
        tasks_in = -1
        sent = 0

        def send(n: int) -> None:
            nonlocal sent, tasks
            for _ in range(min(n, len(chunks) - sent)):
                os.write(tasks, sent.to_bytes(4, "little"))
                sent += 1
            if sent == len(chunks) and tasks >= 0:
                os.close(tasks)  # each worker ends when it finds no chunk left
                tasks = -1

        send(IN_FLIGHT * workers)
        yield None
        for i in range(len(chunks)):
            ok, value = results.of(i, pickle.loads)
            if not ok:
                raise value
            send(1)
            yield from value
    finally:
        for fd in (tasks_in, tasks):
            if fd >= 0:
                os.close(fd)
        results.stop()


def _widen(fd: int) -> None:
    """Make a pipe hold PIPE_BYTES where the system allows it (Linux)."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass


def _give_back_freed() -> None:
    """Return to the system the heap that Python has freed but the C library keeps
    (glibc's malloc_trim), before forking: the caller and every worker would count it
    in their memory to the end. At 100,000 articles, listing the files, reading the
    registry and ordering the articles leave about 5 MiB of it. Elsewhere, nothing."""
    try:
        import ctypes

        trim = ctypes.CDLL(None).malloc_trim
    except (ImportError, OSError, AttributeError):  # not glibc, or no ctypes
        return
    trim(0)


def _work(checker, finish, chunks, tasks: int, out: int) -> None:
    """A worker process: for each chunk number read from ``tasks`` until it is closed,
    write (number, (True, results)), or (number, (False, exception)) if checking
    raised, to ``out``, pickled, after its length in 8 bytes. Then end the process
    without running anything of the parent's (no atexit, no flushing its buffers).
    Ctrl-C is the main process's to handle: it stops the workers, so that an
    interrupted ingest says so rather than that a worker ended."""
    import pickle
    import signal

    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        gc.disable()
        while number := os.read(tasks, 4):
            i = int.from_bytes(number, "little")
            try:
                payload = pickle.dumps((i, (True, finish(checker, [checker.article(a) for a in chunks[i]]))), -1)
            except Exception as e:  # noqa: BLE001 - any error is sent back and raised there
                payload = _failure(i, e, pickle)
            view = memoryview(len(payload).to_bytes(8, "little") + payload)
            while view:
                view = view[os.write(out, view):]
        code = 0
    finally:
        os._exit(code)


def _failure(i: int, e: Exception, pickle) -> bytes:
    """What a worker sends for chunk ``i`` when checking it raised ``e``: the exception
    itself where it can be pickled and read back, else a RuntimeError with its type and
    message."""
    try:
        payload = pickle.dumps((i, (False, e)), -1)
        pickle.loads(payload)
        return payload
    except Exception:
        return pickle.dumps((i, (False, RuntimeError(f"checking articles failed: {type(e).__name__}: {e}"))), -1)


class _Results:
    """The worker processes' result pipes, read as results come in: a result's length,
    then the result itself straight into a buffer of that size. A worker writes a
    result whole before it takes another chunk, so once it has begun one, reading on
    to its end never waits for long."""

    def __init__(self):
        import select
        import signal

        self.stop_signal = signal.SIGTERM  # looked up now: stop may run as Python shuts down
        self.pids: dict[int, int] = {}  # result pipe -> worker's pid
        self.done: dict[int, tuple] = {}
        self.poll = select.poll()

    def add(self, fd: int, pid: int) -> None:
        self.pids[fd] = pid
        self.poll.register(fd)

    def of(self, i: int, loads) -> tuple:
        """The result of chunk ``i``, reading what the workers write until it is in."""
        while i not in self.done:
            if not self.pids:
                raise WorkerDied("the worker processes ended before every chunk of articles was checked")
            for fd, _ in self.poll.poll():
                self._read(fd, loads)
        return self.done.pop(i)

    def _read(self, fd: int, loads) -> None:
        head = bytearray(8)
        got = _fill(fd, head)
        if got == 8:
            body = bytearray(int.from_bytes(head, "little"))
            if _fill(fd, body) == len(body):
                i, value = loads(body)
                self.done[i] = value
                return
        # The pipe is at its end: the worker has ended, after a whole result or not.
        self.poll.unregister(fd)
        os.close(fd)
        _, status = os.waitpid(self.pids.pop(fd), 0)
        code = os.waitstatus_to_exitcode(status)
        if code or got:
            how = f"was killed by signal {-code}" if code < 0 else f"ended with exit code {code}"
            raise WorkerDied(f"a worker process checking articles {how}")

    def stop(self) -> None:
        """Stop the workers that are left and wait for them. At the end they have found
        no chunk left and are ending; closed early, they are stopped where they are."""
        for fd, pid in self.pids.items():
            os.close(fd)
            try:
                os.kill(pid, self.stop_signal)
            except ProcessLookupError:
                pass
        for pid in self.pids.values():
            os.waitpid(pid, 0)
        self.pids.clear()


def _fill(fd: int, buf: bytearray) -> int:
    """Read from ``fd`` into ``buf`` until it is full or the pipe ends: the bytes read."""
    view, got = memoryview(buf), 0
    while got < len(buf):
        n = os.readv(fd, [view[got:]])
        if not n:
            break
        got += n
    return got


def _pooled(checker, chunks, workers: int, finish):
    """results in ``workers`` processes of Python's pool, where processes cannot be
    forked (Windows): as _forked, with the checker sent to each process."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(), initializer=_init,
                               initargs=(checker, finish))
    chunks = iter(chunks)
    try:
        pending: deque = deque(pool.submit(_check_chunk, chunk) for chunk in islice(chunks, IN_FLIGHT * workers))
        yield None
        while pending:
            try:
                done = pending.popleft().result()
            except BrokenProcessPool:  # as _forked says it, for the callers that report it
                raise WorkerDied("a worker process checking articles ended before it sent its results") from None
            yield from done
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
