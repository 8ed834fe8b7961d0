"""Every command's --help leads with examples, including commands added later."""

import pytest

from scoq.cli import cli


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_help_has_examples(run, name):
    result = run(name, "--help")
    assert result.exit_code == 0
    assert "Examples" in result.stdout
    assert f"scoq {name}" in result.stdout.split("Examples", 1)[1]


def test_every_listing_takes_a_limit():
    for name in ("who", "figures", "search", "articles", "events", "meetings", "people", "timeline"):
        assert "limit" in [p.name for p in cli.commands[name].params], name


def test_top_level_help_lists_every_command_by_purpose(run):
    out = run("--help").stdout
    sections = [line for line in out.splitlines() if line.endswith("commands:")]
    assert sections == ["Ask commands:", "List commands:", "Load and curate commands:", "Raw access commands:"]
    listed = [line.split()[0] for line in out.split("Ask commands:", 1)[1].splitlines()
              if line.startswith("  ") and not line.startswith("    ") and line.strip()]
    assert sorted(listed[:len(cli.commands)]) == sorted(cli.commands)
    assert "  who        Everything a person or body said, when and where." in out
