"""`scoq schema`: the JSON Schema of annotation files, generated from the model, and the
copies the shipped YAML files name for editors."""

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import HARBOR, ROOT, edit
from scoq.annotations import loader_class

SCHEMA_DIR = ROOT / "data" / "schema"
MODELINE = re.compile(r"\A# yaml-language-server: \$schema=(\S+)\n")


def annotation_files():
    return sorted((ROOT / "data").glob("*.yaml")) + sorted((ROOT / "data" / "articles").glob("*.yaml")) + \
        sorted(HARBOR.glob("*.yaml")) + sorted((HARBOR / "articles").glob("*.yaml"))


def kind_of(path: Path) -> str:
    return "registry" if path.name == "registry.yaml" else "article"


@pytest.mark.parametrize("kind", ["article", "registry"])
def test_the_committed_schema_is_what_scoq_generates(run, kind):
    result = run("schema", kind)
    assert result.exit_code == 0
    assert (SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8") == result.stdout
    jsonschema.Draft7Validator.check_schema(json.loads(result.stdout))


def test_the_schema_carries_the_field_help(run):
    schema = json.loads(run("schema").stdout)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["additionalProperties"] is False
    statement = schema["definitions"]["Statement"]
    assert statement["properties"]["cue"]["description"] == "The attribution cue: said, pointed out, according to..."
    assert statement["properties"]["type"]["enum"] == ["direct", "indirect", "mixed"]
    assert statement["required"] == ["id", "speaker", "type", "quote", "cue"]
    # A quote may be plain text or a mapping with prefix/suffix.
    assert {"type": "string"} in statement["properties"]["quote"]["anyOf"]
    registry = json.loads(run("schema", "registry").stdout)
    assert registry["properties"]["claims"]["description"] == "Claims that several reports word differently."
    assert run("schema", "articles").exit_code == 2


def test_every_shipped_yaml_file_names_its_schema():
    files = annotation_files()
    assert len(files) == 1 + 5 + 1 + 3
    for path in files:
        line = MODELINE.match(path.read_text(encoding="utf-8"))
        assert line, f"{path} does not name its schema on its first line"
        assert (path.parent / line.group(1)).resolve() == SCHEMA_DIR / f"{kind_of(path)}.schema.json"


@pytest.mark.parametrize("path", annotation_files(), ids=lambda p: p.name)
def test_the_schema_accepts_every_shipped_file(path):
    schema = json.loads((SCHEMA_DIR / f"{kind_of(path)}.schema.json").read_text(encoding="utf-8"))
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader_class())
    jsonschema.Draft7Validator(schema).validate(data)


def test_the_schema_flags_mistakes(harbor):
    schema = json.loads((SCHEMA_DIR / "article.schema.json").read_text(encoding="utf-8"))
    edit(harbor / "articles/a1.yaml", "    source: Álvarez\n", "    sorce: Álvarez\n")
    edit(harbor / "articles/a1.yaml", "type: direct", "type: quoted")
    edit(harbor / "articles/a1.yaml", "value: 40", "value: -40")
    data = yaml.load((harbor / "articles/a1.yaml").read_text(encoding="utf-8"), Loader=loader_class())
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(data), key=lambda e: list(e.path))
    assert [(list(e.path), e.validator) for e in errors] == [
        (["figures", 0, "value"], "anyOf"),
        (["statements", 1], "additionalProperties"),
        (["statements", 1, "type"], "enum"),
    ]
    registry = json.loads((SCHEMA_DIR / "registry.schema.json").read_text(encoding="utf-8"))
    bad = {"events": [{"id": "x y", "name": "A meeting", "kind": "meeting"}]}
    with pytest.raises(jsonschema.ValidationError, match="does not match"):
        jsonschema.validate(bad, registry, cls=jsonschema.Draft7Validator)
