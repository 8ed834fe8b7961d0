"""Loading annotation files: YAML in, validated models out, every error at its line.

YAML is parsed with libyaml (``CSafeLoader``). Line numbers are only worked out when a
file has an error: the file is then composed a second time into nodes, which carry
their marks, and each error's location is looked up there.
"""

from __future__ import annotations

import typing
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from scoq.problems import Problem, did_you_mean

class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml's safe loader, keeping dates as the text written: EDTF is checked by
    scoq.dates, and an impossible date must be an error at its line, not a crash."""


Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def decode(data: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text, or a problem naming the line and column of the first bad byte."""
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        return None, [
            Problem(
                file, line, col,
                f"not UTF-8: byte 0x{data[e.start]:02X} cannot be decoded; "
                "re-save the file as UTF-8 (for example: iconv -f latin1 -t utf-8)",
            )
        ]


class Locator:
    """Finds the line and column of a path such as ``('statements', 2, 'cue')``."""

    def __init__(self, text: str):
        self.text = text
        self._root: yaml.Node | None | bool = False

    def _compose(self):
        if self._root is False:
            try:
                self._root = yaml.compose(self.text, Loader=Loader)
            except yaml.YAMLError:
                self._root = None
        return self._root

    def where(self, loc: tuple) -> tuple[int, int]:
        node = self._compose()
        if node is None:
            return (1, 0)
        mark = node.start_mark
        for key in loc:
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if k.value == str(key):
                        mark, node = k.start_mark, v
                        break
                else:
                    break
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
                node = node.value[key]
                mark = node.start_mark
            else:
                break
        return mark.line + 1, mark.column + 1


def parse_yaml(text: str, file: str) -> tuple[object, list[Problem]]:
    """The YAML document in ``text``, or the syntax error at its line and column."""
    try:
        return yaml.load(text, Loader=Loader), []
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        what = " ".join(x for x in (e.context, e.problem) if x)
        return None, [
            Problem(
                file,
                mark.line + 1 if mark else 0,
                mark.column + 1 if mark else 0,
                f"YAML syntax error: {what}; check the indentation and quoting on this line "
                "(text containing ': ' or starting with a quote mark must be quoted)",
            )
        ]
    except (yaml.YAMLError, ValueError) as e:
        return None, [Problem(file, 0, 0, f"YAML error: {e}")]


def _model_at(cls: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that holds the last key of ``loc``."""
    current: type[BaseModel] | None = cls
    for key in loc:
        if current is None or isinstance(key, int):
            continue
        field = current.model_fields.get(key) or next(
            (f for f in current.model_fields.values() if f.alias == key), None
        )
        if field is None:
            return None
        current = _inner_model(field.annotation)
    return current


def _inner_model(annotation) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _keys_of(cls: type[BaseModel] | None) -> list[str]:
    if cls is None:
        return []
    return [f.alias or name for name, f in cls.model_fields.items()]


def _path(loc: tuple, data: object) -> str:
    """``statements[2] (s000-03).cue`` for ``('statements', 2, 'cue')``."""
    out = ""
    node = data
    for key in loc:
        if isinstance(key, int):
            out += f"[{key}]"
            node = node[key] if isinstance(node, list) and key < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                out += f" ({node['id']})"
        else:
            out += ("." if out else "") + str(key)
            node = node.get(key) if isinstance(node, dict) else None
    return out


def _message(err: dict, cls: type[BaseModel], data: object) -> tuple[tuple, str]:
    """Turn one pydantic error into (location, message with the fix)."""
    loc = tuple(k for k in err["loc"] if k not in ("function-after[_one_of(), DateSelector]",))
    kind = err["type"]
    path = _path(loc, data)
    value = err.get("input")
    if kind == "extra_forbidden":
        choices = _keys_of(_model_at(cls, loc[:-1]))
        hint = did_you_mean(loc[-1], choices)
        where = _path(loc[:-1], data)
        return loc, f"{where + ': ' if where else ''}unknown key '{loc[-1]}'{hint}; allowed here: {', '.join(choices)}"
    if kind == "missing":
        parent = _path(loc[:-1], data) or "this file"
        return loc[:-1], f"{parent}: missing required key '{loc[-1]}'"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        options = [o.strip(" '") for o in expected.replace(" or ", ",").split(",") if o.strip(" '")]
        return loc, f"{path}: '{value}' is not one of {expected}{did_you_mean(value, options)}"
    if kind == "string_pattern_mismatch":
        return loc, f"{path}: '{value}' is not a valid id; use letters, digits, '.', '_', ':' or '-' (no spaces)"
    if kind in ("greater_than_equal", "greater_than"):
        return loc, f"{path}: {value} is negative; a reported figure is written as a positive number"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type"):
        return loc, f"{path}: '{value}' is not a number; write the normalized value as digits (12,000 -> 12000)"
    if kind == "dict_type" and loc and loc[-1] not in ("said", "period", "as_of"):
        return loc, f"{path}: expected a mapping (key: value lines), got {type(value).__name__}"
    if kind == "list_type":
        return loc, f"{path}: expected a list (lines starting with '- '), got {type(value).__name__}"
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return loc, f"{path}: {msg[0].lower() + msg[1:]}" if path else msg


def validate_model(cls: type[BaseModel], data: object, file: str, locator: Locator):
    """``(model, [])`` or ``(None, problems)`` with each problem at its line."""
    if data is None:
        return None, [Problem(file, 1, 0, f"the file is empty; expected keys such as {', '.join(_keys_of(cls)[:4])}")]
    if not isinstance(data, dict):
        return None, [Problem(file, 1, 0, f"expected a mapping of keys ({', '.join(_keys_of(cls)[:4])}...), got a {type(data).__name__}")]
    try:
        return cls.model_validate(data), []
    except ValidationError as e:
        problems = []
        for err in e.errors(include_url=False):
            loc, message = _message(err, cls, data)
            line, col = locator.where(loc)
            problems.append(Problem(file, line, col, message))
        return None, problems


def load(path: Path, cls: type[BaseModel], file: str):
    """Read, parse and validate one YAML file: ``(model, locator, problems)``."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        return None, None, [Problem(file, 0, 0, f"cannot read: {e.strerror}")]
    text, problems = decode(raw, file)
    if text is None:
        return None, None, problems
    data, problems = parse_yaml(text, file)
    locator = Locator(text)
    if problems:
        return None, locator, problems
    model, problems = validate_model(cls, data, file, locator)
    return model, locator, problems
