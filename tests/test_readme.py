"""The README's examples, run as a user runs them: each `$ scoq ...` shown with its output
in a pipe is run in a shell from the top of the repository, on the shipped corpus (and
harbor.db, the made-up one), and must print what the README shows.
(Terminal tables, abridged output and the curator's guide, which has its own test, are
left out.)"""

import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def examples() -> list[tuple[str, list[str]]]:
    """(command, output lines) of every example that can be run as it stands."""
    found = []
    for block in re.findall(r"^```console\n(.*?)^```", README, re.S | re.M):
        lines = block.splitlines()
        starts = [i for i, line in enumerate(lines) if line.startswith("$ ")]
        for i, end in zip(starts, starts[1:] + [len(lines)]):
            command, _, note = lines[i][2:].partition("  #")
            output = lines[i + 1:end]
            if (not command.startswith("scoq ") or "terminal" in note or any("..." in line for line in output)
                    or re.search(r"[>&]|--db (?!harbor\.db)", command)):
                continue
            found.append((command, output))
    return found


EXAMPLES = examples()


def test_the_readme_has_examples_to_run():
    assert len(EXAMPLES) >= 15, [c for c, _ in EXAMPLES]


@pytest.mark.parametrize("command, output", EXAMPLES, ids=[c[:60] for c, _ in EXAMPLES])
def test_a_readme_example_prints_what_the_readme_shows(command, output, shipped_db, harbor_db, tmp_path):
    shutil.copy(harbor_db, tmp_path / "harbor.db")
    env = {**os.environ, "SCOQ_DB": str(shipped_db), "PATH": os.path.dirname(sys.executable) + os.pathsep
           + os.environ["PATH"]}
    env.pop("SCOQ_TERMINAL", None)
    command = command.replace("--db harbor.db", f"--db {tmp_path / 'harbor.db'}")
    result = subprocess.run(command + " 2>&1", shell=True, cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.splitlines() == output
