"""claims, titles, conflicts and export as real processes in a pipe."""

import csv
import io
import json
import subprocess
import sys

import pytest

from test_process import HEAVY, PROBE, scoq


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("proc-claims") / "scoq.db"
    result = scoq("ingest", "--db", path)
    assert result.returncode == 0, result.stderr
    return path


def test_export_through_a_file_and_back(built, tmp_path):
    exported = scoq("export", "--db", built)
    assert exported.returncode == 0 and exported.stderr == ""
    (tmp_path / "corpus.json").write_text(exported.stdout, encoding="utf-8")
    result = scoq("ingest", "corpus.json", "--db", "copy.db", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    # The same corpus gives the same file, byte for byte.
    assert (tmp_path / "copy.db").read_bytes() == built.read_bytes()


def test_piped_answers_parse_back(built):
    claims = list(csv.DictReader(io.StringIO(scoq("claims", "--db", built).stdout), delimiter="\t"))
    assert len(claims) == 11 and claims[0]["claim_id"] == "expansion-benefits"
    conflicts = json.loads(scoq("conflicts", "-f", "json", "--db", built).stdout)
    assert sorted({c["topic"] for c in conflicts}) == [
        "SCO dialogue partners (countries)", "SCO full member states (countries)", "SCO observer states (countries)"]
    lines = scoq("export", "-f", "jsonl", "--db", built).stdout.splitlines()
    assert json.loads(lines[0])["kind"] == "export" and len(lines) == 1 + 11 + 7 + 7 + 15 + 8 + 11 + 5 + 21 + 47 + 16


def test_piped_claims_conflicts_and_export_import_nothing_heavy(built):
    for args in (["claims", "attacks"], ["titles", "liao"], ["conflicts"], ["export", "-f", "jsonl"]):
        result = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *args, "--db", str(built)],
                                capture_output=True, text=True, timeout=60)
        assert result.stdout.count("\n") > 1
        assert result.stderr.strip() == "", f"{args} imported {result.stderr.strip()}"
