"""Fuzzing the annotation loader and the checks of one article: whatever an annotation
file holds, the answer is the corpus's rows or problems at file:line, never a traceback.

Inputs are the shipped annotation files (and the registry) mutated: lines deleted,
duplicated, swapped or re-indented, characters flipped, YAML punctuation inserted,
values replaced, files truncated or given bytes that are not UTF-8; and random
documents built from the model's own keys. ``SCOQ_FUZZ`` sets how many (default 300),
``SCOQ_FUZZ_SEED`` the seed; a failing input is saved beside the test's temporary
files with its number, to replay:

    SCOQ_FUZZ=20000 .venv/bin/pytest -q tests/test_fuzz.py
"""

from __future__ import annotations

import os
import random
import shutil
import traceback
from pathlib import Path

import yaml

from scoq import corpus, db, validate
from scoq.model import Article, Registry
from scoq.problems import InputError, Problem

COUNT = int(os.environ.get("SCOQ_FUZZ", "300"))
SEED = int(os.environ.get("SCOQ_FUZZ_SEED", "0"))

PUNCTUATION = [": ", "- ", "[", "]", "{", "}", "&a ", "*a", "!!binary ", "!!python/object:os.system ", "\t",
               "---\n", "...\n", "'", '"', "|\n", ">-\n", "#", "? ", "<<: *a\n", "%YAML 1.1\n", "\\", "\x00",
               "\ufeff", "\r", "~", "null", "2018-02-30", "-1", "1e400", ".nan", "0x1F", "yes", "\u2028",
               "[" * 60, "9" * 1500, "\x07", "&x [*x]", "? [a]\n: b\n", "1: ", "true: ", "!!set {a}"]
SCALARS = [None, True, 0, -5, 3.5, float("inf"), "", " ", "x" * 300, "2018-06-08", "2018-13-01", "on Friday",
           "1,000", [], {}, ["a", 1], {"exact": ""}, {"exact": "the"}, {"date": "2018"}, "liao-jinrong",
           "frontier", "the", "said", "\u00e9", "a: b", 12000, "more than 12,000"]


def _keys(model) -> list[str]:
    found = []
    for name, field in model.model_fields.items():
        found.append(field.alias or name)
    return found


KEYS = sorted(set(_keys(Article) + _keys(Registry) + ["id", "speaker", "type", "quote", "cue", "source", "role",
                                                        "said", "event", "claim", "exact", "prefix", "suffix",
                                                        "date", "as_written", "tense", "value", "unit", "counts",
                                                        "kind", "from", "to", "all", "name", "aliases"]))


def random_doc(rng: random.Random, depth: int = 0):
    roll = rng.random()
    if depth > 3 or roll < 0.4:
        return rng.choice(SCALARS)
    if roll < 0.7:
        return {rng.choice(KEYS): random_doc(rng, depth + 1) for _ in range(rng.randint(0, 6))}
    return [random_doc(rng, depth + 1) for _ in range(rng.randint(0, 4))]


def mutate(rng: random.Random, data: bytes) -> bytes:
    """One to four random edits of a YAML file."""
    for _ in range(rng.randint(1, 4)):
        lines = data.split(b"\n")
        op = rng.randrange(10)
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[j])
        elif op == 2:
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 3:
            lines[i] = b" " * rng.choice([1, 2, 4]) + lines[i] if rng.random() < 0.5 else lines[i].lstrip()
        elif op == 4 and data:
            k = rng.randrange(len(data))
            data = data[:k] + bytes([rng.randrange(256)]) + data[k + 1:]
            continue
        elif op == 5 and data:
            k = rng.randrange(len(data))
            data = data[:k] + rng.choice(PUNCTUATION).encode() + data[k:]
            continue
        elif op == 6:
            data = data[: rng.randrange(len(data) + 1)]
            continue
        elif op == 7 and b": " in lines[i]:
            key = lines[i].split(b": ", 1)[0]
            value = yaml.safe_dump(rng.choice(SCALARS), default_flow_style=True).split("\n...")[0].strip()
            lines[i] = key + b": " + value.encode()
        elif op == 8:
            chars = list(data.decode("utf-8", "replace"))
            if chars:
                k = rng.randrange(len(chars))
                chars[k] = rng.choice("aeiouxyz0129 -:,.'\"\n\u00e9\u4e2d")
            data = "".join(chars).encode()
            continue
        else:
            lines.insert(i, b"x" * rng.randint(0, 3) + rng.choice(PUNCTUATION).encode())
        data = b"\n".join(lines)
    return data


def inputs(rng: random.Random, shipped: Path):
    """(which file, bytes) pairs: mostly mutated article annotations, some registries."""
    annotations = sorted(shipped.glob("articles/*.yaml"))
    registry = (shipped / "registry.yaml").read_bytes()
    originals = {p.name: p.read_bytes() for p in annotations}
    for _ in range(COUNT):
        name = rng.choice(sorted(originals))
        roll = rng.random()
        if roll < 0.1:
            yield name, "registry.yaml", mutate(rng, registry)
        elif roll < 0.3:
            doc = random_doc(rng)
            yield name, name, yaml.safe_dump(doc, allow_unicode=True).encode() if rng.random() < 0.8 else \
                yaml.safe_dump(doc, default_flow_style=True).encode()
        else:
            yield name, name, mutate(rng, originals[name])


def check_one(root: Path, article: str, which: str, data: bytes, write_to: Path) -> str:
    """Validate one article (with the registry) after writing ``data``; the outcome in a word."""
    target = root / ("registry.yaml" if which == "registry.yaml" else f"articles/{which}")
    target.write_bytes(data)
    ann = root / "articles" / article
    files = corpus.CorpusFiles(root, root / "registry.yaml", [ann], [ann.with_suffix(".txt")])
    try:
        rows = validate.check(files)
    except InputError as e:
        assert e.problems and all(isinstance(p, Problem) and p.message for p in e.problems)
        assert all("\n" not in str(p) for p in e.problems)  # one problem, one line
        return "problems"
    db.write(write_to, rows.tables, {"schema_version": str(db.SCHEMA_VERSION)})
    return "rows"


def test_fuzzed_annotations_give_rows_or_problems_never_a_crash(tmp_path, shipped_corpus):
    root = tmp_path / "corpus"
    shutil.copytree(shipped_corpus, root)
    originals = {p: p.read_bytes() for p in [root / "registry.yaml", *root.glob("articles/*.yaml")]}
    rng = random.Random(SEED)
    outcomes = {"rows": 0, "problems": 0}
    for n, (article, which, data) in enumerate(inputs(rng, root)):
        try:
            outcomes[check_one(root, article, which, data, tmp_path / "out.db")] += 1
        except Exception:
            saved = tmp_path / f"crash-{n}-{which}"
            saved.write_bytes(data)
            raise AssertionError(f"input {n} (seed {SEED}, {which}, saved as {saved}) crashed:\n"
                                 f"{traceback.format_exc()}") from None
        finally:
            for path, original in originals.items():
                path.write_bytes(original)
    assert sum(outcomes.values()) == COUNT
    print(f"\n{COUNT} inputs (seed {SEED}): {outcomes['problems']} refused with problems, "
          f"{outcomes['rows']} valid and written, no crash")
    assert outcomes["problems"] > COUNT // 2


ADVERSARIAL = {
    # Older libyaml builds read any depth; the one PyYAML 6.0.4 wheels bundle stops at a nesting limit.
    "nested 5000 deep": ("note: " + "[" * 5000 + "]" * 5000, (
        "a.yaml:1:1: note: input should be a valid string",
        "a.yaml:1:1006: YAML syntax error: while increasing flow level exceeded maximum nesting depth; check "
        "the indentation and quoting on this line (text containing ': ' or starting with a quote mark must be "
        "quoted)")),
    "billion laughs": ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                       "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nstatements: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
                       # reported where the aliased list is defined, once per statement, not once per copy
                       "a.yaml:3:4: statements[0]: expected a mapping (key: value lines), got a list"),
    "an alias of itself": ("statements: &s [*s]\n",
                           "a.yaml:1:13: statements[0]: expected a mapping (key: value lines), got a list"),
    "a number as key": ("1: x\n", 'a.yaml:1:1: key 1 reads as a number, not as text; quote it ("1":) or use a name'),
    "a number as speaker id": ("roles: {1: x}\n",
                               'a.yaml:1:9: roles: key 1 reads as a number, not as text; quote it ("1":) or use a name'),
    "true as key": ("true: 1\n", 'a.yaml:1:1: key true reads as true or false, not as text; quote it ("true":) or use a name'),
    "a list as key": ("? [a, b]\n: x\n", "a.yaml:1:3: YAML syntax error: while constructing a mapping found unhashable "
                                           "key; a key is one word or phrase, not a list or mapping"),
    "5000 digits": ("title: x\nnote: " + "9" * 5000 + "\n", "a.yaml:2:7: a number too long to read; if it is text, quote it"),
    "a NUL character": ("title: a\x00b\n", "a.yaml:1:9: character U+0000 is not allowed in YAML (a control character); remove it"),
    "a line break in a value": ("statements:\n  - id: s1\n    speaker: x\n    type: \"in\\ndirect\"\n    quote: q\n    cue: c\n",
                                "a.yaml:4:5: statements[0] (s1).type: 'in\\ndirect' is not one of 'direct', 'indirect' "
                                "or 'mixed' (did you mean 'indirect'?)"),
}


import pytest  # noqa: E402


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_hostile_yaml_is_a_problem_at_its_line(name, tmp_path):
    from scoq import annotations

    text, expected = ADVERSARIAL[name]
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    model, _, problems = annotations.load(path, "article", "a.yaml")
    assert model is None
    assert str(problems[0]) in ((expected,) if isinstance(expected, str) else expected)
