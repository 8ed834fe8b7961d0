"""Measure scoq at several corpus sizes and write the figures to docs/benchmarks.md
(all of them) and to the README (a summary, between its markers).

For each size (articles) it builds a synthetic corpus once (bench/generate.py, kept
in the work folder) and measures: full ingests (wall time, rows/s, peak memory,
database size), each taken in turn with parsing the same YAML with libyaml alone; a
re-ingest after one annotation file changed; warm query latency (in-process, p50/p95) of who,
figures and a full-text search; and whole-process latency of ``scoq who`` and
``scoq figures`` piped and on a terminal, taken side by side (interleaved) with
``python -c "import click, sqlite3"`` and ``sqlite-utils query`` for the same rows.
Each target is printed with the measured figure beside it and PASS or FAIL.

    python bench/run.py                      # 1000 and 10000 articles
    python bench/run.py --sizes 1000,10000,100000
    python bench/run.py --sizes 20 --quick --out /tmp/b.json --docs /tmp/b.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

SEED = 1
#: Full ingests at each size, each timed in turn with a YAML-alone parse (--runs).
RUNS = 3


def median_ms(values) -> float:
    return round(statistics.median(values) * 1000, 2)


def p95_ms(values) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))] * 1000, 2)


def scoq_command() -> list[str]:
    """The installed ``scoq`` script beside this Python, as a user runs it."""
    script = Path(sys.executable).with_name("scoq")
    return [str(script)] if script.exists() else [sys.executable, "-m", "scoq"]


def sqlite_utils_command() -> list[str] | None:
    script = Path(sys.executable).with_name("sqlite-utils")
    return [str(script)] if script.exists() else None


def clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("SCOQ_DB", "SCOQ_TERMINAL", "NO_COLOR")}
    env.update(extra)
    return env


def corpus(work: Path, n: int) -> Path:
    """The corpus of ``n`` articles, generated once and kept."""
    path = work / f"corpus-{n}"
    done = path / ".complete"
    if not done.exists():
        shutil.rmtree(path, ignore_errors=True)
        generate.generate(n, path, SEED)
        done.write_text(f"{n} articles, seed {SEED}\n")
    return path


def yaml_alone(root: Path) -> dict:
    """Parse every annotation file with libyaml's CSafeLoader and nothing else."""
    import gc

    import yaml

    files = sorted(root.glob("articles/*/*.yaml"))
    seconds, size = 0.0, 0
    gc.disable()
    try:
        for f in files:
            text = f.read_text(encoding="utf-8")
            size += len(text.encode("utf-8"))
            t = time.perf_counter()
            yaml.load(text, Loader=yaml.CSafeLoader)
            seconds += time.perf_counter() - t
    finally:
        gc.enable()
    return {"files": len(files), "seconds": round(seconds, 3), "mb_per_s": round(size / seconds / 1e6, 2),
            "articles_per_s": round(len(files) / seconds, 1)}


def read_all(path: Path) -> int:
    """Read a file, or every file under a folder, once, so that what is timed next finds
    them in the page cache, as the run before it left them. This machine pages out what
    has been untouched for a minute (the kernel's DAMON reclaim): an ingest that came
    right after a YAML-alone parse, which reads only the annotation files, would
    otherwise also time the disk for the article texts, and after one run at 100,000
    articles less than half of the 1.8 GB database was left in memory for the queries
    timed next. Files are read in pieces, so that a large one is not held. Returns the
    bytes read."""
    size = 0
    for f in [path] if path.is_file() else (f for f in path.rglob("*") if f.is_file()):
        with open(f, "rb", buffering=0) as handle:
            while chunk := handle.read(1 << 24):
                size += len(chunk)
    return size


def timed_ingest(root: Path, db: Path) -> dict:
    """Run ``scoq ingest`` as its own process: wall time and the peak memory of the
    largest process it ran (its own or a worker's)."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "r = subprocess.run(sys.argv[1:]); s = time.perf_counter() - t; "
             "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
             "print(s, u.ru_maxrss, r.returncode, u.ru_utime + u.ru_stime)")
    out = subprocess.run([sys.executable, "-c", probe, *scoq_command(), "ingest", str(root), "--db", str(db), "-q"],
                         capture_output=True, text=True, env=clean_env(), check=True)
    seconds, rss_kb, code, cpu = out.stdout.split()
    if code != "0":
        raise SystemExit(f"ingest of {root} failed:\n{out.stderr}")
    return {"seconds": round(float(seconds), 3), "peak_rss_mib": round(int(rss_kb) / 1024, 1),
            "cpu_seconds": round(float(cpu), 3)}


def touch_one(root: Path) -> Path:
    """Change one annotation file (a comment line), so that its hash changes."""
    files = sorted(root.glob("articles/*/*.yaml"))
    f = files[len(files) // 2]
    text = f.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    if lines and lines[-1].startswith("# touched "):
        n = int(lines[-1].split()[-1]) + 1
        lines = lines[:-1]
    else:
        n = 1
    f.write_text("".join(lines) + f"# touched {n}\n", encoding="utf-8")
    return f


def sample(db: Path, reps: int) -> dict:
    """Names, events and search words to ask about, drawn from the database."""
    c = sqlite3.connect(db)
    rng = random.Random(7)
    speakers = [r[0] for r in c.execute("SELECT name FROM speakers WHERE kind = 'person' ORDER BY id")]
    events = [r[0] for r in c.execute("SELECT id FROM events ORDER BY id")]
    busiest = c.execute("SELECT sp.name, sp.id FROM statements s JOIN speakers sp ON sp.id = s.speaker_id "
                        "GROUP BY sp.id ORDER BY count(*) DESC LIMIT 1").fetchone()
    event = c.execute("SELECT event_id FROM figures WHERE event_id IS NOT NULL "
                      "GROUP BY event_id ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    c.close()
    words = ["extradition", "pipelines", "cyber", "narcotics patrols", "shared database", "Kazakhstan drills",
             "customs", "rail freight", "emergency", "training officers"]
    return {"speakers": [rng.choice(speakers) for _ in range(reps)], "events": [rng.choice(events) for _ in range(reps)],
            "words": [rng.choice(words) for _ in range(reps)], "busiest": busiest, "event": event}


SEARCH_SQL = """
    SELECT s.id AS statement_id, s.said, s.speaker_id, sp.name AS speaker, s.text, s.start, s."end",
           s.article_id, a.published
    FROM statements_fts JOIN statements s ON s.rowid = statements_fts.rowid
    JOIN speakers sp ON sp.id = s.speaker_id JOIN articles a ON a.id = s.article_id
    WHERE statements_fts MATCH ? ORDER BY rank LIMIT 50
"""


def warm(db: Path, picks: dict) -> dict:
    """Latency of the query functions in one process, connection open, caches warm: a
    program that keeps a database open, which turns SQLite's memory statistics off
    first, as scoq.sqlite.memory_statistics_off advises such a program to."""
    from scoq import db as scoq_db
    from scoq import queries
    from scoq.sqlite import memory_statistics_off

    out = {"memory_statistics_off": memory_statistics_off()}
    conn = scoq_db.connect_readonly(db)

    def who(name):
        sp = queries.resolve_speaker(conn, name)
        return queries.statements(conn, [sp["id"]], queries.Filters())

    def figures(event):
        return queries.figures(conn, queries.Filters(events=(event,)))

    from scoq import search

    search_kind = "scoq.search.search (statements and article bodies), as `scoq search WORDS --limit 50`"

    def find(words):
        return search.search(conn, words, queries.Filters(), 50)

    for name, fn, args in (("who", who, picks["speakers"]), ("figures", figures, picks["events"]),
                           ("search", find, picks["words"])):
        fn(args[0])
        times, rows = [], 0
        for a in args:
            t = time.perf_counter()
            rows += len(fn(a))
            times.append(time.perf_counter() - t)
        out[name] = {"p50_ms": median_ms(times), "p95_ms": p95_ms(times), "calls": len(times),
                     "rows_per_call": round(rows / len(times), 1)}
    out["search"]["what"] = search_kind
    plans = {}
    for label, sql, params in (
        ("who", "SELECT 1 FROM statements s WHERE s.speaker_id IN (?)", ["x"]),
        ("figures", "SELECT 1 FROM figures f WHERE f.event_id IN (?)", ["x"]),
        ("search", SEARCH_SQL, ['"x"']),
    ):
        plans[label] = [r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
    out["plans"] = plans
    return out


def processes(db: Path, picks: dict, reps: int) -> dict:
    """Whole-process wall time, each command run in turn in every round (interleaved),
    so that a busy moment of the machine falls on all of them alike."""
    from scoq import queries

    name, speaker_id = picks["busiest"]
    event = picks["event"]
    scoq = scoq_command()
    who_sql = _statements_sql(speaker_id)
    commands = {
        "python -c 'import click, sqlite3'": ([sys.executable, "-c", "import click, sqlite3"], {}),
        "scoq who (piped)": ([*scoq, "who", name, "--db", str(db)], {}),
        "scoq who (terminal)": ([*scoq, "who", name, "--db", str(db)], {"SCOQ_TERMINAL": "1", "COLUMNS": "160"}),
        "scoq figures (piped)": ([*scoq, "figures", "--meeting", event, "--db", str(db)], {}),
        "scoq figures (terminal)": ([*scoq, "figures", "--meeting", event, "--db", str(db)],
                                    {"SCOQ_TERMINAL": "1", "COLUMNS": "160"}),
        "scoq search (piped)": ([*scoq, "search", picks["words"][0], "--limit", "50", "--db", str(db)], {}),
        "scoq search --since (piped)": ([*scoq, "search", picks["words"][0], "--since", "2020", "--limit", "50",
                                         "--db", str(db)], {}),
        "scoq people --limit 20 (piped)": ([*scoq, "people", "--limit", "20", "--db", str(db)], {}),
        "scoq people, every speaker (piped)": ([*scoq, "people", "--db", str(db)], {}),
        "scoq search CJK --limit 50 (piped)": ([*scoq, "search", "王", "--limit", "50", "--db", str(db)], {}),
        "scoq timeline --limit 20 (piped)": ([*scoq, "timeline", "--limit", "20", "--db", str(db)], {}),
    }
    su = sqlite_utils_command()
    if su:
        commands["sqlite-utils query (who rows)"] = ([*su, "query", str(db), who_sql, "--tsv"], {})
        from scoq import db as scoq_db

        event_ids = queries.match_events(scoq_db.connect_readonly(db), event)
        commands["sqlite-utils query (figures rows)"] = ([*su, "query", str(db), _figures_sql(event_ids), "--tsv"], {})
    times = {k: [] for k in commands}
    lines = {}
    for _ in range(reps):
        for label, (cmd, env) in commands.items():
            t = time.perf_counter()
            r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=clean_env(**env))
            times[label].append(time.perf_counter() - t)
            lines[label] = r.stdout.count(b"\n")
    # conflicts writes every figure of a group (tens of thousands at the largest size): a few runs.
    label = "scoq conflicts --limit 1 (piped)"
    times[label] = []
    for _ in range(min(reps, 3)):
        t = time.perf_counter()
        r = subprocess.run([*scoq, "conflicts", "--limit", "1", "--db", str(db)], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, env=clean_env())
        times[label].append(time.perf_counter() - t)
        lines[label] = r.stdout.count(b"\n")
    out = {k: {"p50_ms": median_ms(v), "p95_ms": p95_ms(v), "lines": lines[k]} for k, v in times.items()}
    out["asked"] = {"who": name, "figures": event, "search": picks["words"][0]}
    return out


def _statements_sql(speaker_id: str) -> str:
    """What ``scoq who`` runs for one speaker, with the id written in (sqlite-utils
    takes parameters too, but a literal keeps the command line plain)."""
    sid = speaker_id.replace("'", "''")
    return f"""SELECT s.id AS statement_id, s.said, s.said_precision, s.said_basis, s.said_as AS said_as_written,
       s.speaker_id, sp.name AS speaker, s.role, s.source, s.cue, s.type,
       s.event_id, e.name AS event, s.claim_id, c.summary AS claim,
       s.text, s.start, s."end", s.article_id, o.name AS outlet, a.published, a.title, a.url
FROM statements s JOIN speakers sp ON sp.id = s.speaker_id JOIN articles a ON a.id = s.article_id
LEFT JOIN organizations o ON o.id = a.outlet_id LEFT JOIN events e ON e.id = s.event_id
LEFT JOIN claims c ON c.id = s.claim_id
WHERE s.speaker_id IN ('{sid}')
ORDER BY s.said_start IS NULL, s.said_start, a.published_start, s.article_id, s.start"""


def _figures_sql(event_ids: list[str]) -> str:
    eid = "', '".join(e.replace("'", "''") for e in event_ids)
    start = "f.date_start"  # the date the figure is about, as ingest stored it
    return f"""SELECT f.id AS figure_id, f.quantity, f.value_text, f.value, f.low, f.high,
       f.qualifier, f.mod, f.unit, f.counts, f.action, f.period, f.period_as AS period_as_written,
       f.as_of, f.as_of_as AS as_of_as_written, f.event_id, e.name AS event, f.reporter_id, sp.name AS reporter,
       f.text, f.start, f."end", f.article_id, o.name AS outlet, a.published
FROM figures f JOIN articles a ON a.id = f.article_id LEFT JOIN organizations o ON o.id = a.outlet_id
LEFT JOIN events e ON e.id = f.event_id LEFT JOIN speakers sp ON sp.id = f.reporter_id
WHERE f.event_id IN ('{eid}')
ORDER BY {start} IS NULL, {start}, f.article_id, f.start, f.id"""


def ingest_against_yaml(root: Path, db: Path, runs: int) -> tuple[dict, dict]:
    """Full ingests and YAML-alone parses of the same corpus, taken in turns, ``runs``
    pairs: the machine's speed drifts (other tenants, clock speed) by up to a fifth
    over a minute, and each pair meets the same drift. The ratio is the median of the
    pairs' ratios; times and CPU are medians, peak memory the largest seen."""
    pairs = []
    for _ in range(runs):
        read_all(root)
        y = yaml_alone(root)
        db.unlink(missing_ok=True)
        read_all(root)
        pairs.append((y, timed_ingest(root, db)))
    mid = statistics.median
    y0 = pairs[0][0]
    alone = {**y0, "seconds": round(mid(y["seconds"] for y, _ in pairs), 3),
             "mb_per_s": round(mid(y["mb_per_s"] for y, _ in pairs), 2)}
    alone["articles_per_s"] = round(y0["files"] / alone["seconds"], 1)
    full = {"seconds": round(mid(i["seconds"] for _, i in pairs), 3),
            "peak_rss_mib": max(i["peak_rss_mib"] for _, i in pairs),
            "cpu_seconds": round(mid(i["cpu_seconds"] for _, i in pairs), 3),
            "vs_yaml_alone": round(mid(y["seconds"] / i["seconds"] for y, i in pairs), 2),
            "runs": [{"yaml_alone_seconds": y["seconds"], "ingest_seconds": i["seconds"],
                      "vs_yaml_alone": round(y["seconds"] / i["seconds"], 2)} for y, i in pairs]}
    return alone, full


#: A fixed piece of work for one core: about 0.17 s on a free core of this machine.
BUSY = "sum(range(10**7))"


def cores_probe() -> dict:
    """Wall time of BUSY in one process alone, then in two at once. Where the two cores
    are free to the benchmark, both take the same; where other work on the host slows
    them, "two" takes longer than "one", and an ingest on both cores loses more than
    a parse on one. Taken before and after each size's ingests, so that the ratios can
    be read against it."""
    def timed(k: int) -> float:
        t = time.perf_counter()
        for p in [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(k)]:
            p.wait()
        return round(time.perf_counter() - t, 3)

    return {"one_s": timed(1), "two_s": timed(2)}


def measure(n: int, work: Path, reps: int, runs: int = RUNS) -> dict:
    root = corpus(work, n)
    db = work / f"scoq-{n}.db"
    before = cores_probe()
    alone, full = ingest_against_yaml(root, db, runs)
    result = {"articles": n, "cores": {"before": before, "after": cores_probe()}, "yaml_alone": alone}
    c = sqlite3.connect(db)
    rows = {t: c.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
            for t in ("articles", "furniture", "statements", "figures", "speakers", "aliases", "events", "claims")}
    c.close()
    total = sum(rows.values())
    full.update(rows=rows, rows_per_s=round(total / full["seconds"]), articles_per_s=round(n / full["seconds"], 1),
                db_mib=round(db.stat().st_size / 2**20, 1))
    # The same ratio from CPU time, as if every core were free for the ingest: a busy
    # machine changes wall time, much less the work done.
    cores = os.cpu_count() or 1
    full["cpu_ms_per_article"] = round(full["cpu_seconds"] / n * 1000, 3)
    full["vs_yaml_alone_cores_free"] = round(
        (1000 / result["yaml_alone"]["articles_per_s"]) * cores / full["cpu_ms_per_article"], 2)
    result["ingest"] = full
    touch_one(root)
    read_all(root)
    again = timed_ingest(root, db)
    again["vs_full"] = round(again["seconds"] / full["seconds"], 3)
    result["reingest_one_changed"] = again
    picks = sample(db, max(reps * 4, 20))
    read_all(db)
    result["warm"] = warm(db, picks)
    read_all(db)
    result["process"] = processes(db, picks, reps)
    return result


def ratio(process: dict, a: str, b: str) -> float | None:
    if a in process and b in process:
        return round(process[a]["p50_ms"] / process[b]["p50_ms"], 2)
    return None


def targets(results: list[dict]) -> list[dict]:
    """Each target with the figure measured for it and whether it is met."""
    out = []

    def add(what, limit, measured, ok):
        out.append({"target": what, "limit": limit, "measured": measured,
                    "pass": None if measured is None else bool(ok)})

    base = "python -c 'import click, sqlite3'"
    for r in results:
        n, p = r["articles"], r["process"]
        for cmd, su in (("scoq who (piped)", "sqlite-utils query (who rows)"),
                        ("scoq figures (piped)", "sqlite-utils query (figures rows)")):
            x = ratio(p, cmd, base)
            add(f"{n} articles: {cmd} vs {base}", "<= 1.3x", x, x is not None and x <= 1.3)
            y = ratio(p, cmd, su)
            add(f"{n} articles: {cmd} vs {su}", "<= 0.5x", y, y is not None and y <= 0.5)
        w = r["warm"]
        add(f"{n} articles: warm who p95", "<= 5 ms", w["who"]["p95_ms"], w["who"]["p95_ms"] <= 5)
        add(f"{n} articles: warm figures p95", "<= 5 ms", w["figures"]["p95_ms"], w["figures"]["p95_ms"] <= 5)
        add(f"{n} articles: warm search p95", "<= 50 ms", w["search"]["p95_ms"], w["search"]["p95_ms"] <= 50)
        v = r["ingest"]["vs_yaml_alone"]
        add(f"{n} articles: ingest throughput vs YAML parsing alone", ">= 0.8x", v, v >= 0.8)
        if n >= 10_000:  # the target is set at 10,000 articles; below, starting the process is most of it
            g = r["reingest_one_changed"]["vs_full"]
            add(f"{n} articles: re-ingest, one file changed, vs full ingest", "<= 0.10", g, g <= 0.10)
    if len(results) > 1:
        lo, hi = results[0], results[-1]
        m = round(hi["ingest"]["peak_rss_mib"] / lo["ingest"]["peak_rss_mib"], 2)
        add(f"peak ingest memory, {hi['articles']} vs {lo['articles']} articles", "<= 2x", m, m <= 2)
    return out


def machine() -> dict:
    from scoq.sqlite import sqlite3 as reading
    from scoq.sqlite import writing

    info = {"cpus": os.cpu_count(), "python": platform.python_version(),
            "sqlite": f"{reading.sqlite_version} ({reading.__name__}; ingest writes with "
                      f"{writing().__name__} {writing().sqlite_version})",
            "platform": platform.platform(), "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    if hasattr(os, "getloadavg"):
        info["load_average_at_start"] = [round(x, 2) for x in os.getloadavg()]
    return info


def _runs_of(data: dict) -> int:
    """How many full ingests each size took in ``data``."""
    return len(data["results"][0]["ingest"].get("runs", [])) if data["results"] else RUNS


def markdown(data: dict) -> str:
    m = data["machine"]
    lines = [
        "# Benchmarks",
        "",
        "Generated by `python bench/run.py --sizes "
        + ",".join(str(r["articles"]) for r in data["results"])
        + "".join(f" --runs {n}" for n in [_runs_of(data)] if n != RUNS)
        + "` from `bench/results.json`; rerun it to measure your machine. Corpora are synthetic, "
          "made by `bench/generate.py` (about 3 KB of text, ten statements and five figures per article, "
          "speakers and events shared through one registry, some Chinese and Russian names).",
        "",
        f"Machine: {m['cpus']} cores, Python {m['python']}, SQLite {m['sqlite']}, {m['platform']}; "
        f"measured {m['when']}"
        + (f", load average at start {m['load_average_at_start']}" if "load_average_at_start" in m else "")
        + ". Times are wall-clock; whole-process times are medians of interleaved runs, so that a busy "
          "moment of the machine falls on every command alike.",
        "",
        "## Targets",
        "",
        "| target | limit | measured | |",
        "|---|---|---|---|",
    ]
    for t in data["targets"]:
        verdict = "n/a" if t["pass"] is None else ("PASS" if t["pass"] else "FAIL")
        lines.append(f"| {t['target']} | {t['limit']} | {t['measured']} | {verdict} |")
    lines += ["", "## Ingest", "",
              "| articles | statements | figures | YAML alone (articles/s) | ingest (s) | articles/s | rows/s "
              "| vs YAML alone | CPU ms/article | vs YAML alone, cores free | peak RSS (MiB) | database (MiB) "
              "| re-ingest, one changed (s) | vs full |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in data["results"]:
        i, y, g = r["ingest"], r["yaml_alone"], r["reingest_one_changed"]
        lines.append(f"| {r['articles']} | {i['rows']['statements']} | {i['rows']['figures']} | {y['articles_per_s']} "
                     f"| {i['seconds']} | {i['articles_per_s']} | {i['rows_per_s']} | {i['vs_yaml_alone']} "
                     f"| {i['cpu_ms_per_article']} | {i['vs_yaml_alone_cores_free']} "
                     f"| {i['peak_rss_mib']} | {i['db_mib']} | {g['seconds']} | {g['vs_full']} |")
    lines += ["", "Each full ingest is taken in turn with a YAML-alone parse of the same files, so that "
              "both meet the machine as it is at that moment; times are the medians of these runs, "
              "\"vs YAML alone\" the median of each pair's ratio. Every file of the corpus is read just before "
              "each timed run, so that both find the files in the page cache (this machine pages out files "
              "left untouched for a few tens of seconds). The runs, as YAML alone / ingest (s) = ratio:", ""]
    for r in data["results"]:
        runs = r["ingest"].get("runs", [])
        lines.append(f"- {r['articles']} articles: " + "; ".join(
            f"{x['yaml_alone_seconds']} / {x['ingest_seconds']} = {x['vs_yaml_alone']}" for x in runs))
    if any("cores" in r for r in data["results"]):
        lines += ["", f"How free the cores were: `python -c \"{BUSY}\"` alone, then two of it at once, "
                  "before and after each size's ingests (s). Where the cores are free to the benchmark, the two "
                  "take as long as one; where other work on the host slows them, two take longer, and the "
                  "ingest, on both cores, loses more than the YAML-alone parse, on one:", ""]
        for r in data["results"]:
            if "cores" in r:
                lines.append(f"- {r['articles']} articles: " + "; ".join(
                    f"{when} {c['one_s']} alone, {c['two_s']} two at once" for when, c in r["cores"].items()))
    lines += ["", "Peak RSS is that of the largest process of the ingest (the main one or a worker). "
              "CPU is that of the ingest and its workers together; \"cores free\" is the YAML-alone time per "
              "article times the number of cores, over the ingest's CPU time per article: the throughput ratio "
              "the ingest would reach with every core to itself.", "",
              "## Warm queries (in one process)", "",
              "| articles | who p50 / p95 (ms) | figures p50 / p95 (ms) | search p50 / p95 (ms) |",
              "|---|---|---|---|"]
    for r in data["results"]:
        w = r["warm"]
        lines.append(f"| {r['articles']} | {w['who']['p50_ms']} / {w['who']['p95_ms']} "
                     f"| {w['figures']['p50_ms']} / {w['figures']['p95_ms']} "
                     f"| {w['search']['p50_ms']} / {w['search']['p95_ms']} |")
    if data["results"]:
        w = data["results"][-1]["warm"]
        off = "turned" if w.get("memory_statistics_off") else "could not turn"
        lines += ["", f"Search is timed as: {w['search']['what']}, two words, best 50 by rank.", "",
                  f"The process {off} SQLite's memory statistics off before it opened the database "
                  "(`scoq.sqlite.memory_statistics_off`), as a program that keeps a database open should: "
                  "two threads ranking one search then do not wait on each other for the lock that counts "
                  "every allocation.", "",
                  "Query plans (EXPLAIN QUERY PLAN) at the largest size:", ""]
        for k, plan in w["plans"].items():
            lines.append(f"- {k}: " + "; ".join(f"`{p}`" for p in plan))
    lines += ["", "## Whole processes", "", "Median (p50) and p95 wall time in ms; lines of output in brackets.", ""]
    labels = list(data["results"][0]["process"]) if data["results"] else []
    labels = [x for x in labels if x != "asked"]
    lines.append("| command | " + " | ".join(f"{r['articles']} articles" for r in data["results"]) + " |")
    lines.append("|---" * (len(data["results"]) + 1) + "|")
    for label in labels:
        cells = []
        for r in data["results"]:
            p = r["process"].get(label)
            cells.append(f"{p['p50_ms']} / {p['p95_ms']} ({p['lines']})" if p else "")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    if data["results"]:
        asked = data["results"][-1]["process"]["asked"]
        lines += ["", f"Asked at the largest size: `scoq who \"{asked['who']}\"` (the busiest speaker), "
                      f"`scoq figures --meeting {asked['figures']}` (the busiest event), "
                      f"`scoq search \"{asked.get('search', '')}\" --limit 50`."]
    lines += [""]
    if data.get("not_run"):
        lines += [data["not_run"], ""]
    return "\n".join(lines)


#: The lines of the README between which the benchmark writes its summary.
README_START = "<!-- bench/run.py writes what follows, to the end marker, from bench/results.json -->"
README_END = "<!-- end of what bench/run.py writes -->"


def _s(seconds: float) -> str:
    return f"{seconds:.2g} s" if seconds < 10 else f"{seconds:.1f} s"


def _ms(ms: float) -> str:
    if ms >= 1000:
        return _s(ms / 1000)
    return f"{ms:.1f} ms" if ms < 10 else f"{ms:.0f} ms"


def _verdict(t: dict) -> str:
    verdict = "n/a " if t["pass"] is None else ("PASS" if t["pass"] else "FAIL")
    return f"{verdict}  {t['target']}: {t['measured']} (target {t['limit']})"


def readme_summary(data: dict) -> str:
    """The README's table of figures and its list of targets, from one run's results,
    so that the README says what the last run measured and nothing else."""
    results = data["results"]
    if not results:
        return ""
    head = "| | " + " | ".join(f"{r['articles']:,} articles" for r in results) + " |"
    rows = [head, "|---" * (len(results) + 1) + "|"]

    def row(label: str, cell) -> None:
        rows.append(f"| {label} | " + " | ".join(cell(r) for r in results) + " |")

    def process(label: str, counted: str | None = None):
        def cell(r):
            p = r["process"].get(label)
            if p is None:
                return ""
            return _ms(p["p50_ms"]) + (f" ({p['lines'] - 1:,} {counted})" if counted else "")
        return cell

    def ratios(r):
        runs = [x["vs_yaml_alone"] for x in r["ingest"].get("runs", [])]
        spread = f" ({min(runs)} to {max(runs)})" if len(runs) > 1 else ""
        return f"{r['ingest']['vs_yaml_alone']}{spread}"

    row("statements / figures", lambda r: f"{r['ingest']['rows']['statements']:,} / {r['ingest']['rows']['figures']:,}")
    row("full ingest", lambda r: f"{_s(r['ingest']['seconds'])} ({r['ingest']['articles_per_s']:,.0f} articles/s)")
    row(f"ingest against libyaml alone, median of {_runs_of(data)} (range)", ratios)
    row("re-ingest after one annotation file changed", lambda r: _s(r["reingest_one_changed"]["seconds"]))
    row("peak memory of an ingest process", lambda r: f"{r['ingest']['peak_rss_mib']:.0f} MiB")
    row("database", lambda r: f"{r['ingest']['db_mib']:,.0f} MiB")
    for label, text, counted in (
            ("scoq who (piped)", "`scoq who NAME`, piped (busiest speaker)", "rows"),
            ("scoq figures (piped)", "`scoq figures --meeting X`, piped (busiest event)", "rows"),
            ("scoq search (piped)", "`scoq search WORD --limit 50`, piped", None),
            ("scoq search --since (piped)", "`scoq search WORD --since 2020 --limit 50`, piped", None),
            ("scoq search CJK --limit 50 (piped)", "`scoq search 王 --limit 50`, piped (a substring scan)", None),
            ("scoq people --limit 20 (piped)", "`scoq people --limit 20`, piped", None),
            ("scoq people, every speaker (piped)", "`scoq people`, piped (every speaker)", "rows"),
            ("scoq timeline --limit 20 (piped)", "`scoq timeline --limit 20`, piped", None),
            ("scoq conflicts --limit 1 (piped)", "`scoq conflicts --limit 1`, piped (one topic)", "rows"),
            ("python -c 'import click, sqlite3'", '`python -c "import click, sqlite3"`', None),
            ("sqlite-utils query (who rows)", "`sqlite-utils query` for the same rows as `who`", None)):
        row(text, process(label, counted))
    row("who / figures / full-text search (best 50), warm, p95", lambda r: " / ".join(
        _ms(r["warm"][k]["p95_ms"]).removesuffix(" ms") for k in ("who", "figures", "search")) + " ms")

    largest = results[-1]["articles"]
    shown = [t for t in data["targets"]
             if not t["target"][0].isdigit() or t["target"].startswith(f"{largest} ") or t["pass"] is False]
    m = data["machine"]
    when = (f"Measured {m['when']} on {m['cpus']} cores (Python {m['python']}); whole processes are medians of "
            f"interleaved runs, ingests of {_runs_of(data)}.")
    met = sum(1 for t in data["targets"] if t["pass"])
    which = f"The targets at {largest:,} articles, and any missed at another size ({met} of {len(data['targets'])} met in all):"
    return "\n".join([when, "", *rows, "", which, "", "```", *map(_verdict, shown), "```"])


def write_readme(path: Path, data: dict) -> bool:
    """Put the summary between the README's markers; False if it has none."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        return False
    path.write_text(text[:start + len(README_START)] + "\n" + readme_summary(data) + "\n" + text[end:],
                    encoding="utf-8")
    return True


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000", help="Corpus sizes in articles, comma-separated.")
    ap.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "scoq-bench",
                    help="Folder for generated corpora and databases (kept between runs).")
    ap.add_argument("--reps", type=int, default=25, help="Repetitions of each whole-process command.")
    ap.add_argument("--runs", type=int, default=None,
                    help="Full ingests at each size, each in turn with a YAML-alone parse; the median counts "
                         "(default 3, 1 with --quick).")
    ap.add_argument("--quick", action="store_true", help="Few repetitions: shows that it works, measures little.")
    ap.add_argument("--out", type=Path, default=HERE / "results.json")
    ap.add_argument("--docs", type=Path, default=ROOT / "docs" / "benchmarks.md")
    ap.add_argument("--readme", type=Path, default=ROOT / "README.md",
                    help="A file whose benchmark summary (between its markers) is written again.")
    ap.add_argument("--not-run", default="", help="A note for the docs on sizes that were not measured.")
    ap.add_argument("--render", action="store_true",
                    help="Measure nothing: judge the targets and write the docs again from --out's results.")
    args = ap.parse_args(argv)
    if args.render:
        data = json.loads(args.out.read_text(encoding="utf-8"))
        return _report(data, args)
    reps = 3 if args.quick else args.reps
    sizes = [int(s) for s in args.sizes.split(",") if s]
    args.work.mkdir(parents=True, exist_ok=True)
    # Measure imports as an installed scoq does them: from compiled bytecode.
    import compileall

    compileall.compile_dir(str(ROOT / "scoq"), quiet=1)
    data = {"machine": machine(), "results": []}
    for n in sizes:
        print(f"-- {n} articles", file=sys.stderr)
        data["results"].append(measure(n, args.work, reps, args.runs or (1 if args.quick else RUNS)))
    data["not_run"] = args.not_run
    return _report(data, args)


def _report(data: dict, args) -> int:
    """Judge the targets, write the results and the docs, print the verdicts."""
    data["targets"] = targets(data["results"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    args.docs.parent.mkdir(parents=True, exist_ok=True)
    args.docs.write_text(markdown(data), encoding="utf-8")
    for t in data["targets"]:
        print(_verdict(t))
    readme = f" and {args.readme}" if write_readme(args.readme, data) else ""
    print(f"wrote {args.out}, {args.docs}{readme}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
