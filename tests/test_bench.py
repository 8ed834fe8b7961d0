"""The benchmark runs end to end at a tiny size (it shows that it works; no time is asserted)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_runs_and_writes_its_results(tmp_path):
    out, docs = tmp_path / "results.json", tmp_path / "benchmarks.md"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "12", "--quick",
         "--work", str(tmp_path / "work"), "--out", str(out), "--docs", str(docs)],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    assert set(data) == {"machine", "results", "targets", "not_run"}
    assert data["machine"]["cpus"] >= 1
    (r,) = data["results"]
    assert r["articles"] == 12
    assert set(r) == {"articles", "yaml_alone", "ingest", "reingest_one_changed", "warm", "process"}
    assert r["ingest"]["rows"]["articles"] == 12 and r["ingest"]["rows"]["figures"] == 60
    assert {"seconds", "rows_per_s", "peak_rss_mib", "db_mib", "vs_yaml_alone"} <= set(r["ingest"])
    assert set(r["warm"]) == {"who", "figures", "search", "plans"}
    assert {"p50_ms", "p95_ms"} <= set(r["warm"]["who"])
    assert "scoq who (piped)" in r["process"] and "python -c 'import click, sqlite3'" in r["process"]
    assert r["process"]["scoq who (piped)"]["lines"] > 1
    assert any(t["target"].endswith("warm who p95") for t in data["targets"])
    assert all(t["pass"] in (True, False, None) for t in data["targets"])
    text = docs.read_text()
    assert text.startswith("# Benchmarks") and "| target | limit | measured |" in text
    for t in data["targets"]:
        assert t["target"] in result.stdout
