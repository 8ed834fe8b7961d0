"""Annotation files of the usual shape, read into plain records without pydantic.

``scoq.model`` declares what an annotation file may say; pydantic checks it and words
every error. Importing pydantic and building its validators takes about 85 ms, most
of starting an ingest of a small corpus, and most files are sound and plainly
written: text where text is asked, lists of mappings, known keys. ``read`` turns such
data into records with the model's attributes and the values pydantic would give.
Anything else, whether wrong or only unusual (``ordinal: "10"``, a key spelt by its
Python name, ``all: yes``), it declines with None and pydantic decides, so that what
is accepted and every message stay pydantic's. tests/test_records.py checks that the
two agree on generated and on every shipped file.
"""

from __future__ import annotations

import re

from scoq.dates import is_edtf, normalize_input

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"
_ID = re.compile(ID_PATTERN[1:-1])

EVENT_KINDS = ("summit", "meeting", "press-conference", "operation", "talks", "founding", "accession", "other")
FURNITURE_KINDS = (
    "title", "byline", "standfirst", "caption", "credit", "dateline", "metadata",
    "navigation", "boilerplate", "spam", "label",
)
BODY_KINDS = ("document", "group", "organization")
STATEMENT_TYPES = ("direct", "indirect", "mixed")
TENSES = ("past", "future")


def file_name(value: str) -> str:
    """The name of a file beside the annotation file: no folders."""
    if "/" in value or "\\" in value or value in (".", ".."):
        raise ValueError(f"'{value}' is not a file name; the article's text is a file beside its annotation "
                         "file: give its name alone (no folders), or move the text beside it")
    return value


def quote_in(value):
    """A quote written as plain text stands for its exact words."""
    return {"exact": value} if isinstance(value, str) else value


def date_in(value):
    """A date written as EDTF or as the article's words, as the mapping it stands for."""
    if value is None or isinstance(value, dict):
        return value
    return {"date": normalize_input(value)} if is_edtf(value) else {"as_written": str(value)}


def edtf_in(value):
    """YAML reads 2018 as a number and 2018-06-08 as a date: the text written."""
    return value if value is None else normalize_input(value)


class Unusual(Exception):
    """Data that pydantic must judge."""


class Record:
    """A model's values as attributes, as pydantic's model instance has them."""

    #: (attribute, key in the file, reader, default: a value, list, dict or REQUIRED), in
    #: the model's order.
    FIELDS: tuple = ()

    def __eq__(self, other):
        return type(other) is type(self) and vars(self) == vars(other)

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(f'{a}={v!r}' for a, v in vars(self).items())})"


REQUIRED = object()


def _record(name: str, fields: tuple, check=None) -> type[Record]:
    """A Record class; what _build needs of its fields is worked out once, here."""
    cls = type(name, (Record,), {
        "FIELDS": fields,
        "ATTRS": tuple(f[0] for f in fields),
        # A default list or dict is made anew for each record, as pydantic copies it.
        "TEMPLATE": {attr: default for attr, _, _, default in fields},
        "FRESH": tuple((attr, default) for attr, _, _, default in fields if default in (list, dict)),
        "BY_KEY": {key: (attr, reader, default is None) for attr, key, reader, default in fields},
        "REQUIRED_KEYS": frozenset(key for _, key, _, default in fields if default is REQUIRED),
        "check": staticmethod(check),
    })
    cls.__module__ = __name__
    return cls


def _build(cls: type[Record], value) -> Record:
    """``value`` (a mapping) as a ``cls``; Unusual if it is anything but plainly right.
    A null is taken only where the default is null: ``tense: null`` is for pydantic."""
    if type(value) is not dict or not cls.REQUIRED_KEYS <= value.keys():
        raise Unusual
    values = cls.TEMPLATE.copy()
    by_key = cls.BY_KEY
    for key, v in value.items():
        field = by_key.get(key)
        if field is None:
            raise Unusual
        attr, reader, nullable = field
        values[attr] = None if v is None and nullable else reader(v)
    for attr, make in cls.FRESH:
        if values[attr] is make:
            values[attr] = make()
    obj = object.__new__(cls)
    obj.__dict__ = values
    if cls.check is not None and not cls.check(obj):
        raise Unusual
    return obj


def _text(v) -> str:
    if type(v) is not str:
        raise Unusual
    return v


def _words(v) -> str:
    if type(v) is not str or not v:
        raise Unusual
    return v


def _ident(v) -> str:
    if type(v) is not str or not _ID.fullmatch(v):
        raise Unusual
    return v


def _one_of(choices):
    def read(v) -> str:
        if type(v) is not str or v not in choices:
            raise Unusual
        return v
    read.choices = choices
    return read


def _flag(v) -> bool:
    if type(v) is not bool:
        raise Unusual
    return v


def _ordinal(v) -> int:
    if type(v) is not int or v < 1:
        raise Unusual
    return v


def _amount(v) -> float:
    if type(v) is float:
        if not v >= 0:  # NaN too
            raise Unusual
        return v
    if type(v) is not int or not 0 <= v < 2 ** 53:
        raise Unusual
    return float(v)


def _edtf(v) -> str:
    try:
        return edtf_in(v)  # text whatever it is given, or an error
    except Exception:  # noqa: BLE001 - whatever the text of it raises, pydantic reports
        raise Unusual from None


def _file(v) -> str:
    try:
        return file_name(_text(v))
    except ValueError:
        raise Unusual from None


def _texts(v) -> list[str]:
    if type(v) is not list:
        raise Unusual
    return [_text(x) for x in v]


def _list_of(cls):
    def read(v) -> list:
        if type(v) is not list:
            raise Unusual
        return [_build(cls, x) for x in v]
    read.item = cls
    return read


def _quote(v) -> Record:
    if type(v) is str and v:  # most quotes: their words alone
        obj = object.__new__(QuoteSelector)
        obj.__dict__ = {"exact": v, "prefix": None, "suffix": None}
        return obj
    return _build(QuoteSelector, quote_in(v))


def _date(v) -> Record:
    try:
        v = date_in(v)
    except Exception:  # noqa: BLE001 - whatever the text of it raises, pydantic reports
        raise Unusual from None
    return _build(DateSelector, v)


def _roles(v) -> dict:
    if type(v) is not dict:
        raise Unusual
    return {_text(k): _quote(x) for k, x in v.items()}


def _f(attr, reader, default=None, key=None):
    return (attr, key or attr, reader, default)


QuoteSelector = _record("QuoteSelector", (_f("exact", _words, REQUIRED), _f("prefix", _text), _f("suffix", _text)))
DateSelector = _record("DateSelector", (_f("date", _edtf), _f("as_written", _words),
                                        _f("tense", _one_of(TENSES), "past")),
                       check=lambda d: d.date is not None or d.as_written is not None)
Person = _record("Person", (_f("id", _ident, REQUIRED), _f("name", _text, REQUIRED), _f("aliases", _texts, list),
                            _f("native_name", _text), _f("note", _text)))
Body = _record("Body", (_f("id", _ident, REQUIRED), _f("name", _text, REQUIRED), _f("aliases", _texts, list),
                        _f("kind", _one_of(BODY_KINDS), "group"), _f("note", _text)))
Organization = _record("Organization", (_f("id", _ident, REQUIRED), _f("name", _text, REQUIRED),
                                        _f("aliases", _texts, list), _f("kind", _text, "organization"),
                                        _f("parent", _ident), _f("note", _text)))
Place = _record("Place", (_f("id", _ident, REQUIRED), _f("name", _text, REQUIRED), _f("kind", _text, "place"),
                          _f("within", _ident)))
Event = _record("Event", (_f("id", _ident, REQUIRED), _f("name", _text, REQUIRED), _f("aliases", _texts, list),
                          _f("kind", _one_of(EVENT_KINDS), REQUIRED), _f("ordinal", _ordinal), _f("place", _ident),
                          _f("date", _edtf), _f("note", _text)))
Claim = _record("Claim", (_f("id", _ident, REQUIRED), _f("summary", _text, REQUIRED)))
Registry = _record("Registry", (_f("people", _list_of(Person), list), _f("bodies", _list_of(Body), list),
                                _f("organizations", _list_of(Organization), list),
                                _f("places", _list_of(Place), list), _f("events", _list_of(Event), list),
                                _f("claims", _list_of(Claim), list)))
Furniture = _record("Furniture", (_f("kind", _one_of(FURNITURE_KINDS), REQUIRED), _f("quote", _quote),
                                  _f("from_", _quote, key="from"), _f("to", _quote), _f("all", _flag, False),
                                  _f("note", _text)),
                    check=lambda f: (f.quote is None) != (f.from_ is None and f.to is None)
                    and (f.quote is not None or (f.from_ is not None and f.to is not None)))
Statement = _record("Statement", (_f("id", _ident, REQUIRED), _f("speaker", _ident, REQUIRED),
                                  _f("type", _one_of(STATEMENT_TYPES), REQUIRED), _f("quote", _quote, REQUIRED),
                                  _f("cue", _quote, REQUIRED), _f("source", _quote), _f("role", _quote),
                                  _f("said", _date), _f("event", _ident), _f("claim", _ident), _f("note", _text)))
Figure = _record("Figure", (_f("id", _ident, REQUIRED), _f("quote", _quote, REQUIRED), _f("quantity", _text),
                            _f("value", _amount), _f("qualifier", _text), _f("unit", _text, REQUIRED),
                            _f("counts", _text, REQUIRED), _f("action", _text), _f("period", _date),
                            _f("as_of", _date), _f("event", _ident), _f("reporter", _ident), _f("note", _text)))
Ignore = _record("Ignore", (_f("quote", _quote, REQUIRED), _f("reason", _words, REQUIRED), _f("all", _flag, False)))
Article = _record("Article", (_f("text", _file), _f("title", _quote), _f("outlet", _ident), _f("outlet_basis", _text),
                              _f("agency", _ident), _f("url", _text), _f("published", _edtf),
                              _f("published_basis", _text), _f("byline", _quote), _f("editor", _quote),
                              _f("language", _text, "en"), _f("furniture", _list_of(Furniture), list),
                              _f("roles", _roles, dict), _f("statements", _list_of(Statement), list),
                              _f("figures", _list_of(Figure), list), _f("ignore", _list_of(Ignore), list),
                              _f("note", _text)))

#: The record of each kind of annotation file, by the name ``scoq schema`` takes.
FILE_RECORDS: dict[str, type[Record]] = {"article": Article, "registry": Registry}


def read(kind: str, data) -> Record | None:
    """The record of an annotation file's data (``kind``: article or registry), or None
    when pydantic must judge it."""
    try:
        return _build(FILE_RECORDS[kind], data)
    except Unusual:
        return None


def keys(kind: str) -> list[str]:
    """The keys a file of ``kind`` may have, in the model's order."""
    return [f[1] for f in FILE_RECORDS[kind].FIELDS]
