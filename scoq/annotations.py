"""Loading annotation files: YAML in, validated models out, every error at its line.

Plain block YAML is read by scoq.blockyaml; anything else by libyaml (``CSafeLoader``).
Data of the usual shape becomes records (scoq.records); anything else is validated by
the pydantic model (scoq.model), imported only then, which words every error.
Line numbers are only worked out when a file has an error: the file is then composed a
second time into nodes, which carry their marks, and each error's location is looked
up there.
"""

from __future__ import annotations

import dataclasses
import json
import re
import typing
from functools import cache
from pathlib import Path

from scoq import blockyaml, records
from scoq.problems import Problem, did_you_mean, display_path

if typing.TYPE_CHECKING:
    from pydantic import BaseModel


@cache
def loader_class():
    """scoq's libyaml loader class, made on first use: PyYAML is imported only for a
    file that scoq.blockyaml leaves to it, or to place an error."""
    import yaml

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        """libyaml's safe loader, keeping dates as the text written: EDTF is checked by
        scoq.dates, and an impossible date must be an error at its line, not a crash.

        YAML lets a later key silently replace an earlier one in the same mapping; the
        loader notes each repeated key instead, so that no annotation is lost unseen."""

        def __init__(self, stream):
            super().__init__(stream)
            self.duplicates: list[tuple[yaml.Mark, str, int]] = []

        def construct_mapping(self, node, deep=False):
            if isinstance(node, yaml.MappingNode):
                first: dict[tuple[str, str], int] = {}
                for key, _ in node.value:
                    if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
                        continue
                    if (key.tag, key.value) in first:
                        self.duplicates.append((key.start_mark, key.value, first[key.tag, key.value]))
                    else:
                        first[key.tag, key.value] = key.start_mark.line + 1
            return super().construct_mapping(node, deep)

    Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))
    assert not Loader.yaml_path_resolvers  # blockyaml.Reader.tag resolves by the text alone
    return Loader


_STR, _SEQ, _MAP = blockyaml.STR, "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


class _Unusual(Exception):
    """Something the quick construction leaves to PyYAML's own: merge keys, sets,
    keys that are not plain scalars, several documents, anything it would reject."""


_NO_KEY = object()


def _from_events(loader):
    """The document's data, as PyYAML's ``get_single_data()`` would make it, built
    straight from libyaml's parse events.

    PyYAML composes the whole file into a tree of nodes and then constructs it with
    several Python calls for every scalar: most of an ingest's YAML time, and for a
    large registry tens of megabytes of nodes at once. This builds strings, lists and
    dicts as the events come, leaves other scalars (numbers, booleans, null) to the
    loader, notes repeated keys as the loader does, and raises _Unusual for anything
    else. An alias is the same object as its anchor, as in PyYAML.
    """
    import yaml

    get, construct_object = loader.get_event, loader.construct_object
    duplicates = loader.duplicates
    scalar, seq_start, seq_end = yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.SequenceEndEvent
    map_start, map_end, alias = yaml.MappingStartEvent, yaml.MappingEndEvent, yaml.AliasEvent
    get()  # stream start
    event = get()
    if event.__class__ is yaml.StreamEndEvent:
        return None
    anchors: dict[str, object] = {}
    # Open collections: [list or dict, key awaiting its value, {(tag, key): first line}]
    stack: list[list] = []
    root = None
    while True:
        event = get()
        cls = event.__class__
        key = None
        if cls is scalar:
            tag = event.tag
            if tag is None or tag == "!":
                # As the loader's resolve: a quoted scalar is a string, a plain one
                # gets the tag of the first implicit resolver that matches it.
                tag = _BLOCK.tag(event.value) if event.implicit[0] else _STR
            value = event.value if tag == _STR else construct_object(
                yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style))
            key = (tag, event.value)
        elif cls is map_start or cls is seq_start:
            tag = event.tag
            if not (tag is None or tag == "!" or tag == (_MAP if cls is map_start else _SEQ)):
                raise _Unusual
            value = {} if cls is map_start else []
            if event.anchor is not None:
                anchors[event.anchor] = value
            if stack:
                _attach(stack[-1], value, None, event, duplicates)
            stack.append([value, _NO_KEY, {} if cls is map_start else None])
            continue
        elif cls is map_end or cls is seq_end:
            value = stack.pop()[0]
            if stack:
                continue  # attached when it was opened
            root = value
            continue
        elif cls is alias:
            if event.anchor not in anchors:
                raise _Unusual
            value = anchors[event.anchor]
        elif cls is yaml.DocumentEndEvent:
            break
        else:
            raise _Unusual
        if cls is scalar and event.anchor is not None:
            anchors[event.anchor] = value
        if stack:
            _attach(stack[-1], value, key, event, duplicates)
        else:
            root = value
    if get().__class__ is not yaml.StreamEndEvent:
        raise _Unusual  # another document: PyYAML's own error
    return root


def _attach(frame: list, value, key, event, duplicates) -> None:
    """Put a value into the open collection ``frame``: a list item, a mapping's key
    (``key`` is then its (tag, text), None if it is not a scalar) or a key's value."""
    into = frame[0]
    if frame[2] is None:
        into.append(value)
    elif frame[1] is _NO_KEY:
        if key is None or key[0] == "tag:yaml.org,2002:merge":
            raise _Unusual
        first = frame[2]
        if key in first:
            duplicates.append((event.start_mark, key[1], first[key]))
        else:
            first[key] = event.start_mark.line + 1
        frame[1] = value
    else:
        into[frame[1]] = value
        frame[1] = _NO_KEY


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
        self._root = False  # the composed node tree, or None if it cannot be composed

    def _compose(self):
        if self._root is False:
            import yaml

            try:
                self._root = yaml.compose(self.text, Loader=loader_class())
            except yaml.YAMLError:
                self._root = None
        return self._root

    def where(self, loc: tuple) -> tuple[int, int]:
        node = self._compose()
        if node is None:
            return (1, 0)
        import yaml

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


def _syntax_fix(problem: str) -> str:
    """The usual fix for a YAML syntax error."""
    if "tab" in problem:
        return "indent with spaces, never tabs"
    if "unhashable key" in problem:
        return "a key is one word or phrase, not a list or mapping"
    if "another document" in problem:
        return "an annotation file is one YAML document: remove the '---' line"
    return ("check the indentation and quoting on this line "
            "(text containing ': ' or starting with a quote mark must be quoted)")


_BLOCK = blockyaml.Reader()


def parse_yaml(text: str, file: str) -> tuple[object, list[Problem]]:
    """The YAML document in ``text``, or the syntax error (or repeated keys) at its line and column.

    Plain block YAML, as most annotation files are, is read by scoq.blockyaml; the
    rest, and every error, by libyaml."""
    data = _BLOCK.read(text)
    if data is not blockyaml.UNUSUAL:
        return data, []
    import yaml

    make = loader_class()
    loader = make(text)
    try:
        try:
            data = _from_events(loader)
        except (_Unusual, yaml.YAMLError, ValueError, TypeError):
            # PyYAML's own way, for its data or its error message.
            loader.dispose()
            loader = make(text)
            data = loader.get_single_data()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        what = " ".join(x for x in (e.context, e.problem) if x)
        unclosed = e.context and ("flow" in e.context or "quoted" in e.context)
        if unclosed and e.context_mark and mark and e.context_mark.line != mark.line:
            what += f" (it began on line {e.context_mark.line + 1})"
        return None, [
            Problem(
                file,
                mark.line + 1 if mark else 0,
                mark.column + 1 if mark else 0,
                f"YAML syntax error: {what}; {_syntax_fix(e.problem or '')}",
            )
        ]
    except yaml.reader.ReaderError as e:
        line = text.count("\n", 0, e.position) + 1
        col = e.position - (text.rfind("\n", 0, e.position) + 1) + 1
        return None, [Problem(file, line, col, f"character U+{e.character:04X} is not allowed in YAML "
                                               "(a control character); remove it")]
    except ValueError:
        # Python refuses to read an integer of thousands of digits.
        long_number = re.search(r"\d{1000,}", text)
        at = long_number.start() if long_number else 0
        line = text.count("\n", 0, at) + 1
        return None, [Problem(file, line, at - (text.rfind("\n", 0, at) + 1) + 1,
                              "a number too long to read; if it is text, quote it")]
    except yaml.YAMLError as e:
        return None, [Problem(file, 0, 0, "YAML error: " + " ".join(str(e).split()))]
    finally:
        loader.dispose()
    if loader.duplicates:
        return None, [
            Problem(file, mark.line + 1, mark.column + 1,
                    f"key '{key}' is given twice in the same mapping (first on line {first}); "
                    "YAML would keep only the last one: remove or rename one of them")
            for mark, key, first in loader.duplicates
        ]
    return data, []


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
    from pydantic import BaseModel

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
    if kind == "invalid_key" or (loc and loc[-1] == "[key]"):
        key_loc = loc[:-1] if loc[-1] == "[key]" else loc
        where = _path(key_loc[:-1], data)
        shown = json.dumps(value, default=str, ensure_ascii=False)
        kind_of = {bool: "true or false", type(None): "null"}.get(type(value), "a number")
        return key_loc, (f"{where + ': ' if where else ''}key {shown} reads as {kind_of}, not as text; "
                         f"quote it (\"{shown.strip(chr(34))}\":) or use a name")
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
    if kind == "model_type":
        got = type(value).__name__
        cls_name = err.get("ctx", {}).get("class_name")
        if cls_name == "QuoteSelector":
            return loc, (f"{path}: expected the article's words (quoted if they contain ': '), or a mapping "
                         f"with 'exact' and optionally 'prefix'/'suffix'; got a {got}")
        if cls_name == "DateSelector":
            return loc, (f"{path}: expected a date (EDTF, e.g. 2018-06-08) or the article's words, or a mapping "
                         f"with 'date'/'as_written'; got a {got}")
        return loc, f"{path}: expected a mapping (key: value lines), got a {got}"
    if kind == "dict_type" and loc and loc[-1] not in ("said", "period", "as_of"):
        return loc, f"{path}: expected a mapping (key: value lines), got {type(value).__name__}"
    if kind == "list_type":
        return loc, f"{path}: expected a list (lines starting with '- '), got {type(value).__name__}"
    if kind == "string_too_short":
        if loc and loc[-1] == "reason":
            return loc, f"{path}: is empty; say why the words are not annotated"
        return loc, f"{path}: is empty; give the article's words, or leave the key out"
    msg = err["msg"]
    msg = msg.removeprefix("Value error, ")
    return loc, f"{path}: {msg[0].lower() + msg[1:]}" if path else msg


def validate_model(kind: str, data: object, file: str, locator: Locator):
    """``(model, [])`` or ``(None, problems)`` with each problem at its line; ``kind`` is
    article or registry. The model is a record (scoq.records) where it can be, else
    pydantic's model instance: both have the same attributes and values."""
    if data is None:
        return None, [Problem(file, 1, 0, f"the file is empty; expected keys such as {', '.join(records.keys(kind)[:4])}")]
    if not isinstance(data, dict):
        return None, [Problem(file, 1, 0, f"expected a mapping of keys ({', '.join(records.keys(kind)[:4])}...), got a {type(data).__name__}")]
    record = records.read(kind, data)
    if record is not None:
        return record, []
    from pydantic import ValidationError

    from scoq.model import FILE_MODELS

    cls = FILE_MODELS[kind]
    try:
        return cls.model_validate(data), []
    except ValidationError as e:
        problems = []
        for err in e.errors(include_url=False):
            loc, message = _message(err, cls, data)
            line, col = locator.where(loc)
            problems.append(Problem(file, line, col, message))
        return None, problems


def load(path: Path | str, kind: str, file: str | None = None, raw: bytes | None = None):
    """Read, parse and validate one YAML file of ``kind`` (article or registry):
    ``(model, locator, problems)``. With ``raw``, its bytes as already read. Problems
    name the file as ``file``, by default as ``display_path`` shows ``path`` (worked out
    only when there is a problem)."""
    if file is None:
        model, locator, problems = load(path, kind, "", raw)
        if problems:
            shown = display_path(path)
            problems = [dataclasses.replace(p, file=shown) for p in problems]
        return model, locator, problems
    if raw is None:
        try:
            raw = Path(path).read_bytes()
        except OSError as e:
            return None, None, [Problem(file, 0, 0, f"cannot read: {e.strerror}")]
    text, problems = decode(raw, file)
    if text is None:
        return None, None, problems
    data, problems = parse_yaml(text, file)
    locator = Locator(text)
    if problems:
        return None, locator, problems
    if data is None and text.strip() and all(not ln.strip() or ln.lstrip().startswith("#")
                                             for ln in text.splitlines()):
        return None, locator, [Problem(file, 1, 0, "the file holds only comments or blank lines; expected keys "
                                                   f"such as {', '.join(records.keys(kind)[:4])}")]
    model, problems = validate_model(kind, data, file, locator)
    return model, locator, problems
