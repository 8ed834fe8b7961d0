"""Shell completion: real names from a real database, nothing without one, and the scripts."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from scoq import completion
from scoq.cli import cli


def ctx_for(db_path, command="who"):
    ctx = click.Context(cli.commands[command], info_name=command)
    ctx.params["db_path"] = str(db_path)
    return ctx


def values(items):
    return [i.value for i in items]


def test_speaker_names_from_the_shipped_database(shipped_db, monkeypatch):
    monkeypatch.delenv("_SCOQ_COMPLETE", raising=False)
    items = completion.candidates("speakers", ctx_for(shipped_db), "li")
    assert values(items) == ["Liao Jinrong", "Liu Haitao"]
    assert [i.help for i in items] == ["liao-jinrong", "liu-haitao"]
    assert values(completion.candidates("speakers", ctx_for(shipped_db), "patru")) == ["Nikolai Patrushev"]
    assert values(completion.candidates("speakers", ctx_for(shipped_db), "press release")) == [
        "Press release of the 13th meeting of SCO Security Council Secretaries"]


def test_accented_names_and_bash_escaping(harbor_db, monkeypatch):
    monkeypatch.delenv("_SCOQ_COMPLETE", raising=False)
    assert values(completion.candidates("speakers", ctx_for(harbor_db), "alv")) == ["José Álvarez"]
    monkeypatch.setenv("_SCOQ_COMPLETE", "bash_complete")
    # click's bash script reads each candidate with `read`, which takes one backslash away.
    assert values(completion.candidates("speakers", ctx_for(harbor_db), "jose")) == ["José\\\\ Álvarez"]


def test_events_and_articles(shipped_db):
    assert values(completion.candidates("events", ctx_for(shipped_db), "fr")) == ["frontier", "frontier-operations"]
    assert values(completion.candidates("events", ctx_for(shipped_db), "summit")) == ["astana-summit", "qingdao-summit"]
    items = completion.candidates("articles", ctx_for(shipped_db), "00")
    assert len(items) == 5 and items[3].value == "003_11cea8c31ae39c19"
    assert items[3].help == "SCO committed to maintaining regional security"


def test_nothing_without_a_database(tmp_path):
    assert completion.candidates("speakers", ctx_for(tmp_path / "none.db"), "li") == []
    (tmp_path / "junk.db").write_text("not a database")
    assert completion.candidates("events", ctx_for(tmp_path / "junk.db"), "") == []


def complete(env):
    """What the shell script would receive, with click's completion machinery in process."""
    return CliRunner().invoke(cli, [], prog_name="scoq", env=env).stdout


def test_completion_through_click(shipped_db):
    env = {"_SCOQ_COMPLETE": "zsh_complete", "COMP_WORDS": "scoq figures --meeting fr", "COMP_CWORD": "3",
           "SCOQ_DB": str(shipped_db)}
    assert complete(env).split("\n")[:6] == [
        "plain", "frontier", "10th meeting of the heads of the frontier authorities of the SCO member states",
        "plain", "frontier-operations", "Joint frontier control operations of SCO member states"]
    env = {"_SCOQ_COMPLETE": "fish_complete", "COMP_WORDS": "scoq who --db " + str(shipped_db) + " zha",
           "COMP_CWORD": "zha"}
    assert complete(env) == "plain,Zhao Kezhi\tzhao-kezhi\n"
    env = {"_SCOQ_COMPLETE": "bash_complete", "COMP_WORDS": "scoq tim", "COMP_CWORD": "1"}
    assert complete(env) == "plain,timeline\n"
    # show takes an article id, titles a speaker's name.
    env = {"_SCOQ_COMPLETE": "zsh_complete", "COMP_WORDS": "scoq show 003", "COMP_CWORD": "2", "SCOQ_DB": str(shipped_db)}
    assert complete(env) == "plain\n003_11cea8c31ae39c19\nSCO committed to maintaining regional security\n"
    env = {"_SCOQ_COMPLETE": "zsh_complete", "COMP_WORDS": "scoq titles zha", "COMP_CWORD": "2", "SCOQ_DB": str(shipped_db)}
    assert complete(env) == "plain\nZhao Kezhi\nzhao-kezhi\n"


@pytest.mark.parametrize("shell,marker", [("bash", "complete -o nosort -F _scoq_completion scoq"),
                                          ("zsh", "#compdef scoq"), ("fish", "complete --no-files --command scoq")])
def test_scripts_name_the_environment_variable(run, shell, marker):
    result = run("completion", shell)
    assert result.exit_code == 0
    assert f"_SCOQ_COMPLETE={shell}_complete" in result.stdout
    assert marker in result.stdout
    assert run("completion", "powershell").exit_code == 2


SCOQ = Path(sys.executable).with_name("scoq")


def scoq_process(*args, **env):
    return subprocess.run([str(SCOQ), *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **env}).stdout


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_script_is_the_one_the_environment_variable_gives(shell):
    assert scoq_process("completion", shell) == scoq_process(_SCOQ_COMPLETE=f"{shell}_source")
    assert scoq_process("completion", shell).startswith(("_scoq_completion() {", "#compdef scoq", "function _scoq"))


def test_the_fish_script_cuts_a_line_at_its_first_comma_only():
    script = scoq_process("completion", "fish")
    assert '(string split --max 1 "," $completion)' in script and '(string split "," $completion)' not in script


def in_shell(shell: str, code: str, db) -> list[str]:
    """Completion as the shell itself does it: the script from scoq, then a line completed."""
    path = f"{SCOQ.parent}{os.pathsep}{os.environ.get('PATH', '')}"
    out = subprocess.run([shell, *SHELL_FLAGS[shell], code], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PATH": path, "SCOQ_DB": str(db)})
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


SHELL_FLAGS = {"bash": ["--norc", "--noprofile", "-c"], "zsh": ["-f", "-c"], "fish": ["--no-config", "-c"]}
needs = {shell: pytest.mark.skipif(shutil.which(shell) is None, reason=f"{shell} is not installed")
         for shell in SHELL_FLAGS}


@needs["bash"]
def test_bash_completes_names_from_the_database(shipped_db):
    # COMPREPLY holds each name escaped, as bash then inserts it.
    assert in_shell("bash", 'source <(scoq completion bash); COMP_WORDS=(scoq who li); COMP_CWORD=2; '
                            '_scoq_completion scoq; printf "%s\\n" "${COMPREPLY[@]}"', shipped_db) == [
        "Liao\\ Jinrong", "Liu\\ Haitao"]


@needs["zsh"]
def test_zsh_completes_events_with_their_names(shipped_db):
    # Outside an interactive line editor, _describe and compadd print what they are given.
    stubs = 'compdef() { : }; _describe() { print -rl -- "${(@P)3}"; }; compadd() { print -rl -- "${(@P)${@[-1]}}"; }'
    assert in_shell("zsh", f"{stubs}; source <(scoq completion zsh); "
                           "words=(scoq figures --meeting fr); CURRENT=4; _scoq_completion", shipped_db) == [
        "frontier:10th meeting of the heads of the frontier authorities of the SCO member states",
        "frontier-operations:Joint frontier control operations of SCO member states"]


@needs["fish"]
def test_fish_completes_names_and_articles_whole(shipped_db):
    lines = in_shell("fish", 'scoq completion fish | source; complete -C "scoq who zha"; complete -C "scoq show 004"; '
                             'complete -C "scoq titles liu"', shipped_db)
    assert lines == ["Zhao Kezhi\tzhao-kezhi",
                     "004_86c43b96d38f94ca\tSCO countries pledge to enhance political trust, safeguard stability "
                     "for development",
                     "Liu Haitao\tliu-haitao"]
