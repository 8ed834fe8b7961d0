"""scoq.blockyaml reads what PyYAML reads, or leaves the file to it: never a different value."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ReferenceLoader
from scoq import annotations, blockyaml

ROOT = Path(__file__).parent


READER = blockyaml.Reader()


def pyyaml(text: str):
    """What PyYAML makes of ``text``, or UNUSUAL where it refuses it or keeps only the
    last of a repeated key (scoq reports those; the block reader must leave them)."""
    try:
        loader = annotations.loader_class()(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except (yaml.YAMLError, ValueError):
        return blockyaml.UNUSUAL
    return blockyaml.UNUSUAL if loader.duplicates else data


def same(text: str) -> None:
    """The block reader gives PyYAML's value, or declines."""
    got = READER.read(text)
    if got is not blockyaml.UNUSUAL:
        expected = pyyaml(text)
        assert expected is not blockyaml.UNUSUAL, f"read what PyYAML refuses: {text!r}"
        assert got == expected and _types(got) == _types(expected), text


def _types(value):
    """The value's shape with the type of every scalar (1 == True == 1.0 in Python)."""
    if isinstance(value, dict):
        return {k: _types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_types(v) for v in value]
    return type(value).__name__


def test_an_annotation_file_is_read_as_pyyaml_reads_it():
    text = (
        "# comment\n"
        "title: \"Dushanbe: officials pledge\"   # trailing comment\n"
        "outlet: outlet-9\n"
        "published: 2024-07-07\n"
        "url: https://example.com/a?b=c#frag\n"
        "furniture:\n"
        "  - kind: title\n"
        "    quote: 'It''s here'\n"
        "roles:\n"
        "  p1: Spokesperson\n"
        "statements:\n"
        "- id: a0-s0\n"
        "  said:\n"
        "    as_written: on Monday\n"
        "  value: 4000\n"
        "  ok: yes\n"
        "  none: ~\n"
        "  empty:\n"
        "\n"
        "note:\n"
    )
    got = READER.read(text)
    assert got == {
        "title": "Dushanbe: officials pledge", "outlet": "outlet-9", "published": "2024-07-07",
        "url": "https://example.com/a?b=c#frag",
        "furniture": [{"kind": "title", "quote": "It's here"}],
        "roles": {"p1": "Spokesperson"},
        "statements": [{"id": "a0-s0", "said": {"as_written": "on Monday"}, "value": 4000, "ok": True,
                        "none": None, "empty": None}],
        "note": None,
    }
    same(text)


@pytest.mark.parametrize("text", [
    "a: [1, [2]]\n", "a: {b: c}\n", "a: &x b\nc: *x\n", "a: !!str 5\n", "a: |\n  x\n", "a: >\n  x\n",
    "a: b\n  c\n", "a:\n  b\n", 'a: "b\n  c"\n', 'a: "b \\" c"\n', "a: b: c\n", "a: b:\n", "a\tb: c\n",
    "a: 1\na: 2\n", "--- \na: 1\n", "a: 1\n---\nb: 2\n", "? a\n: b\n", "- - a\n", "-\n  a: b\n", "1: a\n",
    "true: a\n", "<<: {a: b}\n", "a: 1\r\nb: 2\r\n", "\ufeffa: 1\n", "a: \x07\n", '"a": b\n', "a: 9" + "9" * 5000 + "\n",
    "a:\n  b: 1\n c: 2\n", "  a: 1\nb: 2\n", "a: 1\n- b\n", "- a\nb: 1\n", "a: '''\n", 'a: "x"y\n', "a: @x\n",
    "a: \x85b\n", "a: b\u2028c\n", "a: 'b\u2029'\n", "a: [a] x\n", "a: [] x\n", "a: []#c\n", "a: [a]#c\n",
    "a: [a\n", "a: [a, b\n",
])
def test_anything_else_is_left_to_libyaml(text):
    assert READER.read(text) is blockyaml.UNUSUAL
    data, problems = annotations.parse_yaml(text, "a.yaml")  # and libyaml still reads it, or says why not
    assert problems or data == yaml.load(text, Loader=ReferenceLoader)


@pytest.mark.parametrize("text", ["", "# only a comment\n\n", "- a\n- 'b'\n- \"c\"\n- 1.5\n- null\n",
                                  "a:\n- x\n- y\nb: 2\n", "a:\n    - x\n    -   k: v\n        l: w\n",
                                  "a: x # c\nb: x#c\nc: 'x' # c\nd: -x\n", "a: .inf\nb: 0x1F\nc: 1_000\nd: 1:20\n",
                                  "aliases: [Liao, 'Liao J.', \"Mr Liao\", 7, yes, null]\nb: [ ]  # none\nc: [x,y]\n",
                                  "- [a, b]\n- []\n"])
def test_edge_cases_match_pyyaml(text):
    assert READER.read(text) is not blockyaml.UNUSUAL
    same(text)


@pytest.mark.parametrize("text", ["0", "-0", "+7", "12", "007", "0o17", "0x1F", "-0b101", "1_000", "1:20", "1.5",
                                  "-0.0", "+1.", "1.5e+3", "1.5E-3", "1e3", ".5", "-.5", ".inf", "-.Inf", ".NaN",
                                  "1:20.5", "yes", "Yes", "NO", "no", "on", "On", "ON", "Off", "off", "true",
                                  "False", "y", "n", "null", "~", "Null", "2020-01-01",
                                  "2020-01-01 10:00:00", "x", "1" * 5000])
def test_plain_numbers_and_words_are_read_as_pyyaml_reads_them(text):
    same(f"a: {text}\n")
    same(f"- {text}\n")
    same(f"a: [{text}, x]\n")


def test_the_resolvers_are_a_copy_of_pyyamls():
    """Which tag a plain scalar gets is decided as PyYAML's loader decides it: the same
    resolvers for the same first characters, in the same order."""
    def table(resolvers):
        return {first: [(tag, r.pattern, r.flags) for tag, r in rs] for first, rs in resolvers.items()}

    assert table(READER._implicit) == table(annotations.loader_class().yaml_implicit_resolvers)
    assert table(READER._implicit) == table(yaml.SafeLoader.yaml_implicit_resolvers)


def test_awkward_characters_are_all_those_outside_what_the_reader_handles():
    """_AWKWARD lists the characters refused, which compiles in a fraction of the time
    that the class of those allowed takes: they are exactly the characters outside it."""
    allowed = re.compile("[\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
    every = "".join(map(chr, range(0x110000)))
    assert "".join(blockyaml._AWKWARD.findall(every)) == allowed.sub("", every)


def test_an_ingest_of_plain_files_does_not_import_pyyaml(tmp_path):
    """Ingesting a corpus written in plain block YAML (with lists of aliases in brackets)
    never imports PyYAML, a quarter of an ingest's start-up; a file left to libyaml does."""
    spec = importlib.util.spec_from_file_location("generate", ROOT.parent / "bench" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    generate.generate(3, tmp_path / "c", 1)
    assert "aliases: [" in (tmp_path / "c" / "registry.yaml").read_text(encoding="utf-8")
    code = ("import sys; from pathlib import Path; from scoq import ingest; "
            "ingest.run(Path(sys.argv[1]), Path(sys.argv[2])); print(sorted(m for m in sys.modules if 'yaml' in m))")

    def yaml_modules() -> str:
        out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "c"), str(tmp_path / "c.db")],
                             capture_output=True, text=True, check=True)
        return out.stdout.strip()

    assert yaml_modules() == "['scoq.blockyaml']"
    registry = tmp_path / "c" / "registry.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace("people:", "people: !!seq", 1), encoding="utf-8")
    assert "'yaml'" in yaml_modules()


def test_every_shipped_and_test_corpus_file_reads_as_pyyaml_reads_it():
    files = [*ROOT.parent.joinpath("data").rglob("*.yaml"), *ROOT.joinpath("corpora").rglob("*.yaml")]
    assert len(files) > 20
    read = 0
    for f in files:
        try:
            text = f.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        same(text)
        read += READER.read(text) is not blockyaml.UNUSUAL
    assert read >= len(files) // 2  # most are plain block YAML


# Lines made of the pieces YAML gives meaning to, in any order: whatever the block
# reader accepts of them, PyYAML must read to the same value.
_INDENT = st.sampled_from(["", "", " ", "  ", "    ", "      "])
_DASH = st.sampled_from(["", "", "- ", "-  ", "-", "- - "])
_KEY = st.sampled_from(["", "", "a", "b", "id", "a-b", "a b", "true", "1", "null", "~", ".5", "2020-01-01", '"q"',
                        "'q'", "x#y", "?", "<<", "=", "a:b", "-x"])
_COLON = st.sampled_from([": ", ":", ":  ", " : "])
_VALUE = st.sampled_from(["", "x", "x y", "yes", "No", "on", "1", "-1", "1.5", "1e3", "0o17", "0x1F", "1_000", "12:30",
                          ".inf", ".NaN", "null", "~", "2020-01-01", "2020-01-01 10:00:00", '"q"', '"a: b"',
                          '"a \\" b"', '""', "''", "'it''s'", "'a", '"a', "a: b", "a:", "a #c", "a#c", '"x" #c',
                          '"x"#c', "[a]", "{a: b}", "&x a", "*x", "!!str 1", "|", ">", "%x", "@x", "`x", ",x",
                          "x,y", "é ü 王", "x ", "# c", "- a", "? a", "=", "<<", "x\x85y", "\u2028", "\ufeff",
                          "[]", "[ ]", "[a, b]", "[a,b]", "[ a , b ]", "[\"a\", 'b']", "['it''s', a b]", "[1, yes, ~]",
                          "[a, [b]]", "[a, {b: c}]", "[a,]", "[,a]", "[a:b]", "[a: b]", "[a #c]", "[a] #c", "[a]#c",
                          "[a] x", "[a", "[a, b", "[-a]", "[- a]", "[é 王]", "[\"a, b\"]", "[a'b]", "[.5, 0x1F, 1:20]"])


@st.composite
def _line(draw) -> str:
    line = draw(_INDENT) + draw(_DASH)
    key = draw(_KEY)
    if key:
        line += key + draw(_COLON)
    return line + draw(_VALUE)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_line(), min_size=1, max_size=8))
def test_random_lines_are_read_as_pyyaml_reads_them_or_left_to_it(lines):
    same("\n".join(lines) + "\n")


@settings(max_examples=500, deadline=None)
@given(st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.text(max_size=12)),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=4)),
    max_leaves=12),
    st.sampled_from([2, 3, 4]), st.booleans())
def test_what_pyyaml_writes_in_block_style_is_read_back(data, indent, sort_keys):
    text = yaml.safe_dump({"root": data}, default_flow_style=False, allow_unicode=True, indent=indent,
                          sort_keys=sort_keys)
    same(text)
