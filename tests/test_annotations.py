"""Loading YAML: syntax and shape errors are reported at their line, with the fix."""

from pathlib import Path

import pytest
import yaml

from conftest import ReferenceLoader
from scoq import annotations


def load(tmp_path: Path, text: str, kind="article", raw: bytes | None = None):
    path = tmp_path / "a.yaml"
    path.write_bytes(raw if raw is not None else text.encode("utf-8"))
    model, _, problems = annotations.load(path, kind, "a.yaml")
    return model, [str(p) for p in problems]


def test_a_valid_file_loads(tmp_path):
    model, problems = load(tmp_path, "published: 2018-06-09\nstatements: []\n")
    assert problems == []
    assert model.published == "2018-06-09"  # dates stay as written


def test_yaml_syntax_error_names_line_and_column(tmp_path):
    _, problems = load(tmp_path, "published: 2018-06-09\nstatements:\n  - id: [a\n    speaker: x\n")
    assert len(problems) == 1
    assert problems[0].startswith("a.yaml:4:")
    assert "YAML syntax error" in problems[0]


def test_unknown_key_gets_did_you_mean(tmp_path):
    text = (
        "statements:\n"
        "  - id: s1\n"
        "    speakr: liao\n"
        "    type: direct\n"
        "    quote: x\n"
        "    cue: said\n"
    )
    _, problems = load(tmp_path, text)
    assert "a.yaml:2:5: statements[0] (s1): missing required key 'speaker'" in problems
    assert any(
        p.startswith("a.yaml:3:5: statements[0] (s1): unknown key 'speakr' (did you mean 'speaker'?)")
        for p in problems
    )


def test_bad_choice_gets_did_you_mean(tmp_path):
    text = "statements:\n  - id: s1\n    speaker: x\n    type: indirekt\n    quote: x\n    cue: said\n"
    _, problems = load(tmp_path, text)
    assert len(problems) == 1
    assert problems[0].startswith("a.yaml:4:5: statements[0] (s1).type: 'indirekt' is not one of")
    assert "(did you mean 'indirect'?)" in problems[0]


def test_wrong_types_and_negative_figures(tmp_path):
    text = (
        "figures:\n"
        "  - id: f1\n"
        "    quote: 12 boats\n"
        "    value: twelve\n"
        "    unit: boats\n"
        "    counts: boats\n"
        "  - id: f2\n"
        "    quote: 12 boats\n"
        "    value: -12\n"
        "    unit: boats\n"
        "    counts: boats\n"
        "furniture: caption\n"
    )
    _, problems = load(tmp_path, text)
    assert "a.yaml:4:5: figures[0] (f1).value: 'twelve' is not a number; write the normalized value as digits (12,000 -> 12000)" in problems
    assert "a.yaml:9:5: figures[1] (f2).value: -12 is negative; a reported figure is written as a positive number" in problems
    assert "a.yaml:12:1: furniture: expected a list (lines starting with '- '), got str" in problems


def test_impossible_date_in_yaml_is_not_a_crash(tmp_path):
    model, problems = load(tmp_path, "published: 2018-02-30\n")
    assert problems == [] and model.published == "2018-02-30"  # checked later, with its line


def test_non_utf8_names_line_and_column(tmp_path):
    _, problems = load(tmp_path, "", raw=b"title: ok\nnote: caf\xe9\n")
    assert problems == ["a.yaml:2:10: not UTF-8: byte 0xE9 cannot be decoded; re-save the file as UTF-8 (for example: iconv -f latin1 -t utf-8)"]


def test_empty_file_and_wrong_top_level(tmp_path):
    assert load(tmp_path, "")[1][0].startswith("a.yaml:1: the file is empty")
    assert load(tmp_path, "- a\n- b\n", "registry")[1][0].startswith("a.yaml:1: expected a mapping of keys")


@pytest.mark.parametrize("text", [
    "a: yes\nb: ~\nc: 1.5\nd: 0x1F\ne: [1, '2', null]\nh: ''\n'': 3\ni: 2020-01-01\nj: .inf\nk: !!str 5\n",
    "f: &x {k: v, n: [1, 2]}\ng: *x\n",
    "base: &b {k: v}\nm: {<<: *b, z: 1}\n",
    "s: !!set {a, b}\n",
    "? [a, b]\n: c\n",
    "- a\n- {b: c}\n- - d\n",
    "a: 1\nb: 2\na: 3\n",
])
def test_quick_construction_gives_what_pyyaml_gives(text):
    try:
        expected = yaml.load(text, Loader=ReferenceLoader)
    except yaml.YAMLError:
        expected = None
    data, problems = annotations.parse_yaml(text, "a.yaml")
    if "a: 3" in text:  # a repeated key is a problem, not a silent last value
        assert data is None and "given twice" in problems[0].message
    elif expected is None:
        assert data is None and problems
    else:
        assert problems == [] and data == expected
    if "*x" in text:  # an alias is the same object, as PyYAML makes it
        assert data["f"] is data["g"]


def test_parsing_leaves_no_garbage_cycles():
    """Ingest workers run with the garbage collector paused: what parsing makes must be
    freed by reference counting alone."""
    import gc

    text = "statements:\n  - id: s1\n    quote: a b\n    said: {as_written: today}\n"
    gc.collect()
    gc.disable()
    try:
        for _ in range(20):
            annotations.parse_yaml(text, "a.yaml")
        assert gc.collect() == 0
    finally:
        gc.enable()
