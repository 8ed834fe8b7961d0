"""Reading the plain block YAML that annotation files are written in, without libyaml.

Most annotation files use a small part of YAML: ``key: value`` lines, ``- `` list
items, values that are plain words or quoted on one line, lists of such words in
brackets on one line (``aliases: [Liao, "Liao J."]``), comments. This reads such a
file straight from its lines, as PyYAML's safe loader would construct it (dates kept
as text, as scoq keeps them), several times faster than making libyaml's events into
Python objects, and without importing PyYAML. Anything else (flow mappings, nested
flow lists, anchors, tags, block or multi-line scalars, escapes, tabs, a repeated key,
anything malformed) is not read here: ``read`` returns ``UNUSUAL`` and the caller
parses the file with libyaml, which also gives every error its message and place.
"""

from __future__ import annotations

import re

#: What ``read`` returns for a file it leaves to libyaml.
UNUSUAL = object()

# A scalar quoted on one line, its text captured: double-quoted without escapes, or
# single-quoted ('' stands for ').
_DQ = r'"([^"\\]*)"'
_SQ = r"'((?:[^']|'')*)'"
# What may follow a value on its line: spaces, then perhaps a comment.
_AFTER = re.compile(r"(?: +#.*| *)")
# One significant line: indentation, an optional "- ", then a plain key and its
# colon, then the rest. A key is a plain scalar with no spaces that cannot be taken
# for an indicator; anything else leaves the line unmatched, and the file unusual.
_LINE = re.compile(r"( *)(- +)?(?:([^\s\-?:,\[\]{}#&*!|>'\"%@`][^\s:#]*):(?: +|$))?"
                   rf"(?:{_DQ}{_AFTER.pattern}|(.*))")
_DOUBLE = re.compile(_DQ + _AFTER.pattern)
_SINGLE = re.compile(_SQ + _AFTER.pattern)
# Characters libyaml refuses or that this reader does not handle: tab, CR, a BOM,
# and the line breaks YAML has besides LF (NEL, LINE and PARAGRAPH SEPARATOR).
# (Written as the characters refused rather than those allowed: a class of what is
# allowed, nearly all of Unicode, takes 9 ms to compile.)
_AWKWARD = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
# One item of a flow sequence written on one line (["a", 'b', c]), with the comma or
# bracket after it: a quoted scalar, or a plain one with no character that could mean
# something else in a flow (a colon, a hash, a quote, a bracket or brace, a comma).
_FLOW_ITEM = re.compile(rf"""\ *(?:{_DQ}|{_SQ}|([^\s\-?:,\[\]{{}}#&*!|>'"%@`][^,\[\]{{}}:#'"]*?))\ *([,\]])""")
_EMPTY_FLOW = re.compile(r"\[ *\]" + _AFTER.pattern)
_INDICATOR = frozenset("-?:,[]{}#&*!|>'\"%@`")
_NO_KEY = object()


class _Unusual(Exception):
    pass


#: PyYAML's implicit resolvers, as its safe loaders have them (yaml/resolver.py): the
#: tag a plain scalar gets is that of the first of these, in this order, that is listed
#: for its first character and matches it; else it is a string. A copy, so that a plain
#: file is read without importing PyYAML, which takes a quarter of an ingest's start-up;
#: tests/test_blockyaml.py holds it to PyYAML's own table.
RESOLVERS = (
    ("tag:yaml.org,2002:bool", re.compile(r'''^(?:yes|Yes|YES|no|No|NO
                    |true|True|TRUE|false|False|FALSE
                    |on|On|ON|off|Off|OFF)$''', re.VERBOSE), "yYnNtTfFoO"),
    ("tag:yaml.org,2002:float", re.compile(r'''^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
                    |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
                    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
                    |[-+]?\.(?:inf|Inf|INF)
                    |\.(?:nan|NaN|NAN))$''', re.VERBOSE), "-+0123456789."),
    ("tag:yaml.org,2002:int", re.compile(r'''^(?:[-+]?0b[0-1_]+
                    |[-+]?0[0-7_]+
                    |[-+]?(?:0|[1-9][0-9_]*)
                    |[-+]?0x[0-9a-fA-F_]+
                    |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$''', re.VERBOSE), "-+0123456789"),
    ("tag:yaml.org,2002:merge", re.compile(r'^(?:<<)$'), "<"),
    ("tag:yaml.org,2002:null", re.compile(r'''^(?: ~
                    |null|Null|NULL
                    | )$''', re.VERBOSE), ("~", "n", "N", "")),
    ("tag:yaml.org,2002:timestamp", re.compile(r'''^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
                    |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
                     (?:[Tt]|[ \t]+)[0-9][0-9]?
                     :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
                     (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$''', re.VERBOSE), "0123456789"),
    ("tag:yaml.org,2002:value", re.compile(r'^(?:=)$'), "="),
    ("tag:yaml.org,2002:yaml", re.compile(r'^(?:!|&|\*)$'), "!&*"),
)
STR, NULL, BOOL, INT, FLOAT, TIMESTAMP = (f"tag:yaml.org,2002:{t}" for t in
                                         ("str", "null", "bool", "int", "float", "timestamp"))
_BOOLS = {"yes": True, "no": False, "true": True, "false": False, "on": True, "off": False}
# The numbers most files hold, read here as PyYAML reads them; any other (0x1F, 1_000,
# 1:20, .inf, or too many digits for Python to read) is left to PyYAML's constructor.
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,99})")
_POINT = re.compile(r"[-+]?[0-9]+\.[0-9]*(?:[eE][-+][0-9]+)?|\.[0-9]+(?:[eE][-+][0-9]+)?")


class Reader:
    """Reads block YAML as PyYAML's safe loader does, dates kept as text: plain scalars
    get the tag its implicit resolvers give (RESOLVERS), and a value of that tag."""

    def __init__(self):
        by_first: dict[str, list] = {}
        for tag, regexp, firsts in RESOLVERS:
            for first in firsts:
                by_first.setdefault(first, []).append((tag, regexp))
        self._implicit = {first: tuple(resolvers) for first, resolvers in by_first.items()}
        self._keys: dict[str, object] = {}
        self._pyyaml = None

    def tag(self, text: str) -> str:
        """The tag of a plain scalar: the first of PyYAML's implicit resolvers that
        matches it, as its resolve() picks it (there are no path resolvers), else str."""
        for tag, regexp in self._implicit.get(text[:1], ()):
            if regexp.match(text):
                return tag
        return STR

    def _plain(self, text: str):
        """A plain scalar's value (its comment and trailing spaces already gone)."""
        tag = self.tag(text)
        if tag == STR or tag == TIMESTAMP:
            return text
        if tag == NULL:
            return None
        if tag == BOOL:
            return _BOOLS[text.lower()]
        if tag == INT and _DECIMAL.fullmatch(text):
            return int(text)
        if tag == FLOAT and _POINT.fullmatch(text):
            return float(text)
        return self._constructed(tag, text)

    def _constructed(self, tag: str, text: str):
        """A plain scalar of ``tag`` as PyYAML's safe constructor makes it."""
        import yaml

        if self._pyyaml is None:
            self._pyyaml = yaml.CSafeLoader("") if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader("")
        construct = self._pyyaml.yaml_constructors.get(tag)
        if construct is None:
            raise _Unusual
        try:
            return construct(self._pyyaml, yaml.ScalarNode(tag, text))
        except (ValueError, TypeError, OverflowError, yaml.YAMLError):
            raise _Unusual from None  # a number too long to read: libyaml's path says so

    def _value(self, rest: str):
        """The value of the rest of a line: a quoted or plain scalar; _NO_KEY if empty."""
        first = rest[:1]
        if first == '"':
            m = _DOUBLE.fullmatch(rest)
            if m is None:
                raise _Unusual
            return m.group(1)
        if first == "'":
            m = _SINGLE.fullmatch(rest)
            if m is None:
                raise _Unusual
            return m.group(1).replace("''", "'")
        if first == "[":
            return self._flow(rest)
        if not first or first == "#":
            return _NO_KEY
        if first in _INDICATOR and not (first == "-" and rest[1:2] not in ("", " ")):
            raise _Unusual  # (a "-" that starts a word, as in -5, is plain)
        cut = rest.find(" #")
        if cut >= 0:
            rest = rest[:cut]
        rest = rest.rstrip(" ")
        if ": " in rest or rest.endswith(":"):
            raise _Unusual
        return self._plain(rest)

    def _flow(self, rest: str) -> list:
        """A flow sequence on one line of quoted and plain scalars, as registries list
        aliases (``aliases: ["Liao Jinrong", Liao]``); anything more is left to libyaml."""
        if _EMPTY_FLOW.fullmatch(rest):
            return []
        items, pos = [], 1
        while True:
            m = _FLOW_ITEM.match(rest, pos)
            if m is None:
                raise _Unusual
            double, single, plain, end = m.groups()
            if double is not None:
                items.append(double)
            elif single is not None:
                items.append(single.replace("''", "'"))
            else:
                items.append(self._plain(plain))
            pos = m.end()
            if end == "]":
                break
        if _AFTER.fullmatch(rest, pos) is None:
            raise _Unusual
        return items

    def read(self, text: str):
        """The document's data, or ``UNUSUAL``."""
        try:
            return self._read(text)
        except _Unusual:
            return UNUSUAL

    def _read(self, text: str):
        if _AWKWARD.search(text) is not None:
            raise _Unusual
        # Open collections, innermost last: [column, dict or list, key awaiting its value]
        stack: list[list] = []
        root = None
        match = _LINE.fullmatch
        value_of, keys = self._value, self._keys
        for line in text.split("\n"):
            indent, dash, key, quoted, rest = match(line).groups()
            if key is None and dash is None:
                if quoted is None and (not rest or rest[0] == "#"):
                    continue  # blank or comment
                raise _Unusual  # a line that is not a key, an item or a comment
            col = len(indent)
            if dash is not None:
                # Close what is deeper; then this item belongs to a list at this
                # column, or starts one under a key waiting for its value.
                while stack and stack[-1][0] > col:
                    _close(stack)
                top = stack[-1] if stack else None
                if top is not None and top[0] == col and top[2] is None:
                    items = top[1]
                elif top is None and root is None:
                    items = root = []
                    stack.append([col, items, None])
                elif top is not None and top[2] is not None and top[2] is not _NO_KEY and top[0] <= col:
                    items = []
                    top[1][top[2]] = items
                    top[2] = _NO_KEY
                    stack.append([col, items, None])
                else:
                    raise _Unusual
                if key is None:
                    if quoted is not None:
                        items.append(quoted)
                        continue
                    value = value_of(rest)
                    if value is _NO_KEY or rest[0] == "-":
                        raise _Unusual  # an item on the lines below, or a list in a list
                    items.append(value)
                    continue
                mapping: dict = {}
                items.append(mapping)
                col += len(dash)
                stack.append([col, mapping, _NO_KEY])
                top = stack[-1]
            else:
                while stack and (stack[-1][0] > col or (stack[-1][0] == col and stack[-1][2] is None)):
                    _close(stack)
                top = stack[-1] if stack else None
                if top is None:
                    if root is not None:
                        raise _Unusual
                    root = {}
                    stack.append([col, root, _NO_KEY])
                    top = stack[-1]
                elif top[0] == col and top[2] is not None:
                    if top[2] is not _NO_KEY:
                        top[1][top[2]] = None
                        top[2] = _NO_KEY
                elif top[0] < col and top[2] is not None and top[2] is not _NO_KEY:
                    mapping = {}
                    top[1][top[2]] = mapping
                    top[2] = _NO_KEY
                    stack.append([col, mapping, _NO_KEY])
                    top = stack[-1]
                else:
                    raise _Unusual
            k = keys.get(key)
            if k is None:
                k = self._plain(key)
                if k.__class__ is not str:
                    raise _Unusual
                if len(keys) < 10_000:
                    keys[key] = k
            mapping = top[1]
            if k in mapping:
                raise _Unusual  # libyaml's path reports the repeated key
            if quoted is not None:
                mapping[k] = quoted
                continue
            value = value_of(rest)
            if value is _NO_KEY:
                mapping[k] = None
                top[2] = k
            else:
                mapping[k] = value
        while stack:
            _close(stack)
        return root


def _close(stack: list[list]) -> None:
    frame = stack.pop()
    if frame[2] is not None and frame[2] is not _NO_KEY:
        frame[1][frame[2]] = None  # a key with nothing under it is null
