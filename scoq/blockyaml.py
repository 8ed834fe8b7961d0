"""Reading the plain block YAML that annotation files are written in, without libyaml.

Most annotation files use a small part of YAML: ``key: value`` lines, ``- `` list
items, values that are plain words or quoted on one line, comments. This reads such a
file straight from its lines, as PyYAML's safe loader would construct it (dates kept
as text, as scoq keeps them), several times faster than making libyaml's events into
Python objects. Anything else (flow collections, anchors, tags, block or multi-line
scalars, escapes, tabs, a repeated key, anything malformed) is not read here: ``read``
returns ``UNUSUAL`` and the caller parses the file with libyaml, which also gives
every error its message and place.
"""

from __future__ import annotations

import re

#: What ``read`` returns for a file it leaves to libyaml.
UNUSUAL = object()

# One significant line: indentation, an optional "- ", then a plain key and its
# colon, then the rest. A key is a plain scalar with no spaces that cannot be taken
# for an indicator; anything else leaves the line unmatched, and the file unusual.
_LINE = re.compile(r"( *)(- +)?(?:([^\s\-?:,\[\]{}#&*!|>'\"%@`][^\s:#]*):(?: +|$))?"
                   r"(?:\"([^\"\\]*)\"(?: +#.*| *)|(.*))")
_DOUBLE = re.compile(r'"([^"\\]*)"(?: +(?:#.*)?)?')
_SINGLE = re.compile(r"'((?:[^']|'')*)'(?: +(?:#.*)?)?")
# Characters libyaml refuses or that this reader does not handle: tab, CR, a BOM,
# and the line breaks YAML has besides LF (NEL, LINE and PARAGRAPH SEPARATOR).
_AWKWARD = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_INDICATOR = frozenset("-?:,[]{}#&*!|>'\"%@`")
_NO_KEY = object()


class _Unusual(Exception):
    pass


class Reader:
    """Reads block YAML with the scalar resolution of a PyYAML loader class: plain
    scalars get the tag its implicit resolvers give, and non-strings are made by its
    constructors."""

    def __init__(self, loader_class):
        self._loader = loader_class("")
        self._str = "tag:yaml.org,2002:str"
        anywhere = tuple(loader_class.yaml_implicit_resolvers.get(None, []))
        self._implicit = {first: tuple(resolvers) + anywhere
                          for first, resolvers in loader_class.yaml_implicit_resolvers.items() if first is not None}
        self._anywhere = anywhere
        self._constructors = loader_class.yaml_constructors
        self._keys: dict[str, object] = {}

    def tag(self, text: str) -> str:
        """The tag of a plain scalar: the first of the loader's implicit resolvers that
        matches it, as PyYAML's resolve() picks it (there are no path resolvers), else str."""
        for tag, regexp in self._implicit.get(text[:1], self._anywhere):
            if regexp.match(text):
                return tag
        return self._str

    def _plain(self, text: str):
        """A plain scalar's value (its comment and trailing spaces already gone)."""
        tag = self.tag(text)
        if tag == self._str:
            return text
        import yaml

        construct = self._constructors.get(tag)
        if construct is None:
            raise _Unusual
        try:
            return construct(self._loader, yaml.ScalarNode(tag, text))
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
