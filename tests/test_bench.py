"""The benchmark runs end to end at a tiny size (it shows that it works; no time is asserted)."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(run)


def test_benchmark_runs_and_writes_its_results(tmp_path):
    out, docs, readme = tmp_path / "results.json", tmp_path / "benchmarks.md", tmp_path / "README.md"
    readme.write_text(f"# A\n\n{run.README_START}\nold figures\n{run.README_END}\n\nThe rest.\n")
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "12", "--quick", "--runs", "2",
         "--work", str(tmp_path / "work"), "--out", str(out), "--docs", str(docs), "--readme", str(readme)],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    assert set(data) == {"machine", "results", "targets", "not_run"}
    assert data["machine"]["cpus"] >= 1
    (r,) = data["results"]
    assert r["articles"] == 12
    assert set(r) == {"articles", "cores", "yaml_alone", "ingest", "reingest_one_changed", "warm", "process"}
    assert set(r["cores"]) == {"before", "after"}
    assert all(set(c) == {"one_s", "two_s"} and c["one_s"] > 0 and c["two_s"] > 0 for c in r["cores"].values())
    assert r["ingest"]["rows"]["articles"] == 12 and r["ingest"]["rows"]["figures"] == 60
    assert {"seconds", "rows_per_s", "peak_rss_mib", "db_mib", "vs_yaml_alone"} <= set(r["ingest"])
    # Two ingests, each in turn with a YAML-alone parse; the ratio is the median of the pairs'.
    runs = r["ingest"]["runs"]
    assert len(runs) == 2 and all(x["ingest_seconds"] > 0 and x["yaml_alone_seconds"] > 0 for x in runs)
    assert r["ingest"]["vs_yaml_alone"] == round(sum(x["yaml_alone_seconds"] / x["ingest_seconds"] for x in runs) / 2, 2)
    assert set(r["warm"]) == {"who", "figures", "search", "plans", "memory_statistics_off"}
    assert {"p50_ms", "p95_ms"} <= set(r["warm"]["who"])
    assert r["warm"]["memory_statistics_off"] is True  # the bench opens no connection before it
    assert "scoq who (piped)" in r["process"] and "python -c 'import click, sqlite3'" in r["process"]
    assert r["process"]["scoq who (piped)"]["lines"] > 1
    for label in ("scoq people --limit 20 (piped)", "scoq timeline --limit 20 (piped)",
                  "scoq conflicts --limit 1 (piped)", "scoq search --since (piped)"):
        assert r["process"][label]["p50_ms"] > 0, label
    assert r["process"]["scoq people --limit 20 (piped)"]["lines"] == 21  # a header and the 20 asked for
    assert any(t["target"].endswith("warm who p95") for t in data["targets"])
    assert all(t["pass"] in (True, False, None) for t in data["targets"])
    text = docs.read_text()
    assert text.startswith("# Benchmarks") and "| target | limit | measured |" in text
    probe = r["cores"]["before"]
    assert f"- 12 articles: before {probe['one_s']} alone, {probe['two_s']} two at once; after " in text
    for t in data["targets"]:
        assert t["target"] in result.stdout
    assert not any("re-ingest" in t["target"] for t in data["targets"])  # set at 10,000 articles
    summary = readme.read_text()
    assert "old figures" not in summary and summary.startswith("# A\n") and summary.endswith("The rest.\n")
    assert "| full ingest | " in summary and "| 12 articles |" in summary
    assert all(run._verdict(t) in summary for t in data["targets"])  # one size: every target is shown

    # --render writes the docs again from the results, measuring nothing.
    docs.unlink()
    again = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--render", "--out", str(out),
                            "--docs", str(docs), "--readme", str(tmp_path / "none.md")],
                           capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stderr
    assert docs.read_text() == text and json.loads(out.read_text()) == data


def test_the_readmes_figures_are_those_of_the_recorded_run():
    """The README's table and targets are what bench/run.py makes of bench/results.json."""
    data = json.loads((ROOT / "bench" / "results.json").read_text(encoding="utf-8"))
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text[text.index(run.README_START) + len(run.README_START):text.index(run.README_END)]
    assert block.strip() == run.readme_summary(data).strip()
    assert "| full ingest | " in block and block.count("\n|") >= 20


def test_the_sql_the_benchmark_compares_with_gives_scoqs_rows(conn):
    """sqlite-utils is timed on SQL written out in the benchmark: it must stay the same
    answer as `scoq who` and `scoq figures`, field for field and row for row."""
    from scoq import queries

    def rows(sql):
        cur = conn.execute(sql)
        return [dict(zip([d[0] for d in cur.description], r)) for r in cur]

    who = queries.statements(conn, ["liao-jinrong"], queries.Filters())
    assert rows(run._statements_sql("liao-jinrong")) == who and len(who) == 36
    figures = queries.figures(conn, queries.Filters(events=("frontier",)))
    events = queries.match_events(conn, "frontier")
    assert rows(run._figures_sql(events)) == figures and len(figures) == 7
