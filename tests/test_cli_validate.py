"""`scoq validate`: every check ingest makes, no database touched, problems as file:line:col."""

import json
import os
import subprocess
import sys

import yaml

import test_process
from conftest import ROOT, edit


def test_the_shipped_corpus_is_clean(run, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    result = run("validate")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.endswith(": 5 articles, 47 statements, 16 figures, 11 claims; no problems\n")
    assert run("validate", "-q").stderr == ""
    assert not any(tmp_path.iterdir())  # no database was made


def test_every_mistake_at_its_line_in_one_run(run, harbor, tmp_path):
    db = tmp_path / "untouched.db"
    edit(harbor / "articles/a1.yaml", "cue: told", "cue: shouted")
    edit(harbor / "articles/a1.yaml", "    source: Álvarez\n", "    sorce: Álvarez\n")
    edit(harbor / "articles/b2.yaml", "speaker: wang-lei", "speaker: wang-li")
    result = run("validate", harbor, "--quiet")
    assert result.exit_code == 2
    prefix = str(harbor) + "/"
    assert result.stdout.replace(prefix, "").splitlines() == [
        "articles/a1.yaml:29:5: statements[1] (a1-s2): unknown key 'sorce' (did you mean 'source'?); "
        "allowed here: id, speaker, type, quote, cue, source, role, said, event, claim, note",
        "articles/b2.yaml:31:5: statements[2] (b2-s3).speaker: no speaker 'wang-li' in the registry "
        "(did you mean 'wang-lei'?); add it to registry.yaml or correct the id",
    ]
    assert result.stderr == f"Error: 2 problems in {harbor}\n"
    assert not db.exists()
    # Once the shape is right, the checks against the text run too.
    edit(harbor / "articles/a1.yaml", "sorce:", "source:")
    lines = run("validate", harbor).stdout.replace(prefix, "").splitlines()
    assert lines[0] == ("articles/a1.yaml:30:5: statements[1] (a1-s2).cue: 'shouted' is not in the article text "
                        "(not even its first word is in the text); copy the words exactly as the article has them")
    assert len(lines) == 2


def test_a_file_names_the_corpus_that_holds_it(run, harbor):
    edit(harbor / "registry.yaml", "id: council-meeting", "id: council-meetings")
    for path in (harbor / "articles" / "b2.txt", harbor / "registry.yaml", harbor / "articles"):
        result = run("validate", path)
        assert result.exit_code == 2
        problems = result.stdout.splitlines()
        # Both articles refer to the renamed event; the registry change breaks them.
        assert len(problems) == 3
        assert all("no event 'council-meeting' in the registry (did you mean 'council-meetings'?)" in p
                   for p in problems)
        assert result.stderr == f"Error: 3 problems in {harbor}\n"


def test_paths_outside_a_corpus(run, tmp_path):
    (tmp_path / "notes.yaml").write_text("a: 1\n")
    result = run("validate", tmp_path / "notes.yaml", tmp_path / "gone.yaml")
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        f"{tmp_path}/gone.yaml: no such file or folder",
        f"{tmp_path}/notes.yaml: not in a corpus: no registry.yaml in its folder or any folder above it; "
        "give the path of a corpus folder",
    ]


def test_problems_as_rows(run, harbor):
    edit(harbor / "articles/b2.yaml", "speaker: wang-lei", "speaker: wang-li")
    result = run("validate", harbor, "--format", "json")
    assert result.exit_code == 2
    [row] = json.loads(result.stdout)
    assert row["file"] == f"{harbor}/articles/b2.yaml" and (row["line"], row["col"]) == (31, 5)
    assert row["message"].startswith("statements[2] (b2-s3).speaker: no speaker 'wang-li'")
    tsv = run("validate", harbor, "-f", "tsv").stdout.splitlines()
    assert tsv[0] == "file\tline\tcol\tmessage" and tsv[1].startswith(f"{harbor}/articles/b2.yaml\t31\t5\t")
    table = run("validate", harbor, "-f", "table", terminal=True, env={"COLUMNS": "160"})
    assert "1 problem" in table.stdout and "no speaker 'wang-li'" in table.stdout


def test_the_pre_commit_hook_names_the_command():
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "scoq-validate" and hook["entry"] == "scoq validate" and hook["language"] == "python"
    import re

    files = re.compile(hook["files"])
    assert files.search("data/registry.yaml") and files.search("data/articles/003_11cea8c31ae39c19.yaml")
    assert files.search("corpus/articles/a1.txt") and not files.search(".pre-commit-config.yaml")


def scoq(*args, **kw):
    env = {k: v for k, v in os.environ.items() if k not in ("SCOQ_DB", "SCOQ_TERMINAL", "NO_COLOR")}
    return subprocess.run([sys.executable, "-m", "scoq", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=60, **kw)


def test_exit_codes_as_a_process(harbor):
    clean = scoq("validate", harbor / "articles" / "a1.yaml")
    assert clean.returncode == 0 and clean.stdout == ""
    assert clean.stderr.endswith(": 3 articles, 10 statements, 8 figures, 1 claim; no problems\n")
    edit(harbor / "articles/a1.yaml", "value: 40", "value: 41")
    broken = scoq("validate", "articles/a1.yaml", cwd=harbor)
    assert broken.returncode == 2
    assert broken.stdout == ("articles/a1.yaml:50:5: figures[0] (a1-f1).value: 41 but the text says "
                             "'more than 40' = 40; correct the value\n")
    assert broken.stderr == "Error: 1 problem in .\n"


# validate reads YAML and builds the model, so only these two must stay out.
PROBE = test_process.PROBE.format(heavy=("sqlite_utils", "rich"))


def test_validate_in_a_pipe_loads_neither_sqlite_utils_nor_rich(harbor):
    edit(harbor / "articles/a1.yaml", "value: 40", "value: 41")
    result = subprocess.run([sys.executable, "-c", PROBE, "validate", str(harbor)],
                            capture_output=True, text=True, timeout=60)
    assert "figures[0] (a1-f1).value: 41" in result.stdout
    assert result.stderr.strip().splitlines()[-1] == "Error: 1 problem in " + str(harbor)
