"""Shell completion: real names from a real database, nothing without one, and the scripts."""

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


@pytest.mark.parametrize("shell,marker", [("bash", "complete -o nosort -F _scoq_completion scoq"),
                                          ("zsh", "#compdef scoq"), ("fish", "complete --no-files --command scoq")])
def test_scripts_name_the_environment_variable(run, shell, marker):
    result = run("completion", shell)
    assert result.exit_code == 0
    assert f"_SCOQ_COMPLETE={shell}_complete" in result.stdout
    assert marker in result.stdout
    assert run("completion", "powershell").exit_code == 2


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_script_is_clicks_own(run, shell):
    assert run("completion", shell).stdout == complete({"_SCOQ_COMPLETE": f"{shell}_source"})
