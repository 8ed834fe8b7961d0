"""Articles checked in worker processes come back whole, finished where they were
checked, and in the order asked for."""

import os
import time

from scoq import corpus, validate, workers


def _stem_only(checker, results):
    """A finish that drops what a worker need not send back."""
    for result in results:
        result.tables, result.spans = {}, []
    return results


def test_results_in_order_from_processes_as_from_here(harbor):
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


def test_workers_start_at_once_and_stop_when_closed(tmp_path):
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
    # No chunk was sent after the first ones (4 per worker), whose results are not all read yet.
    assert "a0" in checked and len(checked) <= 8 * workers.CHUNK


def test_chunks_taper_at_the_end_and_cover_every_article_once():
    sizes = [j - i for i, j in workers.chunked(1000)]
    assert sizes[:28] == [workers.CHUNK] * 28 and sizes[-6:] == [11, 8, 8, 8, 8, 2]
    assert sum(sizes) == 1000 and [j - i for i, j in workers.chunked(20)] == [8, 8, 4]
    for n in (0, 1, 7, 33, 200, 12_345):
        spans = list(workers.chunked(n))
        assert [k for i, j in spans for k in range(i, j)] == list(range(n)) and all(j > i for i, j in spans)
