"""Articles checked in worker processes come back whole, finished where they were
checked, and in the order asked for."""

import os
import platform
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from scoq import corpus, validate, workers
from scoq.cli import cli


def _stem_only(checker, results):
    """A finish that drops what a worker need not send back."""
    for result in results:
        result.tables, result.spans = {}, []
    return results


@pytest.fixture(params=["forked", "pool"])
def start(request, monkeypatch):
    """Workers forked (POSIX), or started by Python's pool, as where fork is missing."""
    if request.param == "forked" and not workers.FORK:
        pytest.skip("this system cannot fork")
    monkeypatch.setattr(workers, "FORK", request.param == "forked")
    return request.param


forking = pytest.mark.skipif(not workers.FORK, reason="this system cannot fork")


def _no_process_left() -> None:
    """Every worker process has ended and been waited for (none is left a zombie)."""
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_results_in_order_from_processes_as_from_here(harbor, start):
    files, _ = corpus.discover(harbor)
    checker = validate.Checker(files)
    checker.registry()
    todo = checker.annotation_files() * 40  # enough chunks for both workers, in an order to keep
    here = [(r.stem, r.problems, r.tables) for r in workers.results(checker, todo, 1)]
    there = [(r.stem, r.problems, r.tables) for r in workers.results(checker.for_workers(), todo, 2)]
    assert there == here and len(here) == len(todo)
    assert [stem for stem, _, _ in here] == [validate.article_id(a) for a in todo]
    finished = list(workers.results(checker.for_workers(), todo, 2, _stem_only))
    assert [r.stem for r in finished] == [r[0] for r in here]
    assert all(r.tables == {} and r.spans == [] for r in finished)
    if start == "forked":
        _no_process_left()


def test_workers_only_for_a_corpus_worth_them():
    assert workers.default(workers.PARALLEL_MIN - 1) == 1
    assert workers.default(workers.PARALLEL_MIN) == min(os.cpu_count() or 1, 8)


class _Noting:
    """A checker that notes each article it checks in a file, and returns its name."""

    def __init__(self, log):
        self.log = log

    def article(self, ann):
        with open(self.log, "a", encoding="utf-8") as f:
            f.write(f"{ann}\n")
        return ann


def test_workers_start_at_once_and_stop_when_closed(tmp_path, start):
    log = tmp_path / "checked"
    todo = [f"a{i}" for i in range(workers.CHUNK * 50)]
    results = workers.results(_Noting(log), todo, 2)
    # Nothing has been asked for yet, and the first chunks are being checked.
    deadline = time.monotonic() + 30
    while not log.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert log.exists()
    assert [next(results) for _ in range(3)] == ["a0", "a1", "a2"]
    results.close()
    checked = log.read_text(encoding="utf-8").split()
    # No chunk was sent after the first ones (IN_FLIGHT per worker) and the one sent as the
    # first chunk's results began to be handed on; those are not all read yet.
    assert "a0" in checked and len(checked) <= (2 * workers.IN_FLIGHT + 1) * workers.CHUNK
    if start == "forked":
        _no_process_left()


class _Failing:
    """A checker that raises ``error`` on one article, or is killed there."""

    def __init__(self, at: str, error: BaseException | None):
        self.at, self.error, self.parent = at, error, os.getpid()

    def article(self, ann):
        if ann == self.at and os.getpid() != self.parent:
            if self.error is None:
                os.kill(os.getpid(), signal.SIGKILL)
            raise self.error
        return ann


class _Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("not this one")


class _Unreadable(Exception):
    """Pickled, but not read back: its __init__ wants two arguments, its args hold one."""

    def __init__(self, what, why):
        super().__init__(f"{what} {why}")


def test_an_error_in_a_worker_is_raised_here_after_the_articles_before_it(start):
    todo = [f"a{i}" for i in range(workers.CHUNK * 10)]
    got = []
    with pytest.raises(ValueError, match="^no good: a100$"):
        for r in workers.results(_Failing("a100", ValueError("no good: a100")), todo, 2):
            got.append(r)
    assert got == todo[:96]  # the chunks before a100's, whole (chunks of 32)
    if start == "forked":
        _no_process_left()


@forking
@pytest.mark.parametrize("error", [_Unpicklable("deep trouble"), _Unreadable("deep", "trouble")])
def test_an_error_that_cannot_be_sent_back_is_named(error):
    with pytest.raises(RuntimeError) as caught:
        list(workers.results(_Failing("a5", error), [f"a{i}" for i in range(100)], 2))
    assert type(caught.value) is RuntimeError
    assert str(caught.value) == f"checking articles failed: {type(error).__name__}: deep trouble"
    _no_process_left()


def test_a_worker_killed_is_an_error_not_a_hang(start):
    todo = [f"a{i}" for i in range(workers.CHUNK * 10)]
    said = (f"was killed by signal {int(signal.SIGKILL)}" if start == "forked"
            else "ended before it sent its results")  # Python's pool does not say how
    with pytest.raises(workers.WorkerDied, match=f"^a worker process checking articles {said}$"):
        list(workers.results(_Failing("a40", None), todo, 2))
    if start == "forked":
        _no_process_left()


@forking
def test_ingest_whose_worker_is_killed_says_so_and_leaves_the_database(harbor, tmp_path, monkeypatch):
    (tmp_path / "db").mkdir()
    db_path = tmp_path / "db" / "h.db"
    assert CliRunner().invoke(cli, ["ingest", str(harbor), "--db", str(db_path), "-q"]).exit_code == 0
    before = db_path.read_bytes()
    with open(harbor / "registry.yaml", "a", encoding="utf-8") as f:
        f.write("# a changed registry: every article is checked again\n")
    parent = os.getpid()
    checking = validate.Checker.article

    def article(self, ann):
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return checking(self, ann)

    monkeypatch.setattr(validate.Checker, "article", article)
    monkeypatch.setattr(workers, "default", lambda n: 2)
    result = CliRunner().invoke(cli, ["ingest", str(harbor), "--db", str(db_path), "-q"])
    assert result.exit_code == 2, result.output
    assert result.output == (f"Error: a worker process checking articles was killed by signal {int(signal.SIGKILL)}; "
                             "the database was not changed\n")
    assert db_path.read_bytes() == before
    assert [p.name for p in (tmp_path / "db").iterdir()] == ["h.db"]  # no temporary file left
    _no_process_left()


def test_chunks_taper_at_the_end_and_cover_every_article_once():
    sizes = [j - i for i, j in workers.chunked(1000)]
    assert sizes[:28] == [workers.CHUNK] * 28 and sizes[-6:] == [11, 8, 8, 8, 8, 2]
    assert sum(sizes) == 1000 and [j - i for i, j in workers.chunked(20)] == [8, 8, 4]
    for n in (0, 1, 7, 33, 200, 12_345):
        spans = list(workers.chunked(n))
        assert [k for i, j in spans for k in range(i, j)] == list(range(n)) and all(j > i for i, j in spans)


@forking
def test_results_left_unfinished_until_python_exits_stop_their_workers_quietly():
    # The generator is held by a module global, so it is closed only as Python shuts down,
    # when nothing can be imported any more.
    probe = ("from scoq import workers\n"
             "class Checker:\n    def article(self, a):\n        return a\n"
             "held = workers.results(Checker(), [f'a{i}' for i in range(1000)], 2)\n"
             "print(next(held), next(held))\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert (out.returncode, out.stdout, out.stderr) == (0, "a0 a1\n", "")


class _Interruptible:
    """A checker that says whether Ctrl-C (SIGINT) would interrupt it where it runs."""

    def article(self, ann):
        return signal.getsignal(signal.SIGINT) is not signal.SIG_IGN


@forking
def test_ctrl_c_is_left_to_the_main_process():
    assert set(workers.results(_Interruptible(), [f"a{i}" for i in range(100)], 2)) == {False}
    assert signal.getsignal(signal.SIGINT) is not signal.SIG_IGN  # here, as it was


class _Big:
    """A checker whose results are larger than a pipe holds, a chunk of them many times so."""

    def article(self, ann):
        return ann * 40_000


def test_results_larger_than_a_pipe_come_whole_and_in_order(start):
    todo = [f"a{i:04}-" for i in range(workers.CHUNK * 6)]
    got = list(workers.results(_Big(), todo, 2))
    assert got == [a * 40_000 for a in todo]  # 240 KB each, 7.7 MB a chunk


@pytest.mark.skipif(not (workers.FORK and platform.libc_ver()[0] == "glibc"), reason="malloc_trim is glibc's")
def test_freed_heap_is_given_back_before_forking(monkeypatch):
    """Memory Python has freed, and glibc kept, is returned to the system before the
    workers are forked, so that neither they nor the caller count it to the end."""
    given_back = []
    monkeypatch.setattr(workers, "_give_back_freed", lambda: given_back.append(True))
    assert list(workers.results(_Big(), ["a-", "b-"], 2)) == ["a-" * 40_000, "b-" * 40_000]
    assert given_back == [True]
    monkeypatch.undo()
    probe = """
def rss():
    return int(open('/proc/self/status').read().split('VmRSS:')[1].split()[0])
from scoq import workers
for i in range(10):  # dicts growing and freed: their tables stay in glibc's heap
    d = {str(j): j for j in range(20000 * (i + 1))}
    del d
before = rss()
workers._give_back_freed()
print(before - rss())
"""
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert int(out.stdout) > 6_000  # KiB: 14 MiB here
