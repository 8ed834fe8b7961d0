"""The annotation model: what a registry file and an article's annotation file may say.

Two layers. ``registry.yaml`` holds what all articles share: people and bodies that
speak, organizations, places, events and claims, each with a stable id. One YAML file
per article holds what that article says: its metadata, which parts are page furniture,
its statements (PARC 3.0: source, cue, content) and its figures (MeasEval: quantity,
unit, what it counts, qualifier). Every span is a W3C quote selector; every date is EDTF
or the words the article uses ("on Friday"), resolved against the publication date.

This module only declares shapes; cross-references and anchoring are checked in
``scoq.validate``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from scoq.dates import is_edtf, normalize_input

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"
Id = Annotated[str, Field(pattern=ID_PATTERN, description="A stable id: letters, digits, '.', '_', ':' or '-'.")]

EVENT_KINDS = ("summit", "meeting", "press-conference", "operation", "talks", "founding", "accession", "other")
FURNITURE_KINDS = (
    "title", "byline", "standfirst", "caption", "credit", "dateline", "metadata",
    "navigation", "boilerplate", "spam", "label",
)


class Strict(BaseModel):
    """Unknown keys are errors, so a misspelt key is caught rather than ignored."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def _quote_in(value: Any) -> Any:
    return {"exact": value} if isinstance(value, str) else value


class QuoteSelector(Strict):
    """Exact text from the article, with prefix/suffix to tell repeated text apart."""

    exact: Annotated[str, Field(min_length=1)]
    prefix: str | None = None
    suffix: str | None = None


Quote = Annotated[QuoteSelector, BeforeValidator(_quote_in)]


def _date_in(value: Any) -> Any:
    if value is None or isinstance(value, dict):
        return value
    return {"date": normalize_input(value)} if is_edtf(value) else {"as_written": str(value)}


class DateSelector(Strict):
    """A date as EDTF (``2018-06``), as the article's words (``on Friday``), or both."""

    date: Annotated[str | None, BeforeValidator(lambda v: None if v is None else normalize_input(v))] = None
    as_written: str | None = Field(None, description="The words in the article that give this date.")
    tense: Literal["past", "future"] = "past"

    @model_validator(mode="after")
    def _one_of(self) -> "DateSelector":
        if self.date is None and self.as_written is None:
            raise ValueError("give 'date' (EDTF, e.g. 2018-06-08) or 'as_written' (the article's words)")
        return self


DateField = Annotated[DateSelector, BeforeValidator(_date_in)]


class Person(Strict):
    id: Id
    name: str
    aliases: list[str] = []
    native_name: str | None = None
    note: str | None = None


class Body(Strict):
    """A source that speaks without being a person: a press release, "all parties"."""

    id: Id
    name: str
    aliases: list[str] = []
    kind: Literal["document", "group", "organization"] = "group"
    note: str | None = None


class Organization(Strict):
    id: Id
    name: str
    aliases: list[str] = []
    kind: str = "organization"
    parent: Id | None = None
    note: str | None = None


class Place(Strict):
    id: Id
    name: str
    kind: str = "place"
    within: Id | None = None


class Event(Strict):
    """A meeting, summit, press conference, operation...; ``id`` is its short slug."""

    id: Id
    name: str
    aliases: list[str] = []
    kind: Literal[EVENT_KINDS]  # type: ignore[valid-type]
    ordinal: Annotated[int, Field(ge=1)] | None = None
    place: Id | None = None
    date: Annotated[str | None, BeforeValidator(lambda v: None if v is None else normalize_input(v))] = None
    note: str | None = None


class Claim(Strict):
    """One claim, however many reports word it."""

    id: Id
    summary: str


class Registry(Strict):
    people: list[Person] = []
    bodies: list[Body] = []
    organizations: list[Organization] = []
    places: list[Place] = []
    events: list[Event] = []
    claims: list[Claim] = []


class Furniture(Strict):
    """Page furniture: text that is on the page but is not the report's body."""

    kind: Literal[FURNITURE_KINDS]  # type: ignore[valid-type]
    quote: Quote | None = None
    from_: Quote | None = Field(None, alias="from")
    to: Quote | None = None
    all: bool = Field(False, description="Mark every occurrence of the quote, not just one.")
    note: str | None = None

    @model_validator(mode="after")
    def _one_of(self) -> "Furniture":
        if (self.quote is None) == (self.from_ is None and self.to is None):
            raise ValueError("give either 'quote', or 'from' and 'to'")
        if self.quote is None and (self.from_ is None or self.to is None):
            raise ValueError("a range needs both 'from' and 'to'")
        return self


class Statement(Strict):
    """Who said what (PARC 3.0 source, cue and content), when and where."""

    id: Id
    speaker: Id
    type: Literal["direct", "indirect", "mixed"]
    quote: Quote = Field(description="The content: what was said, as the article words it.")
    cue: Quote = Field(description="The attribution cue: said, pointed out, according to...")
    source: Quote | None = Field(None, description="The words naming the source here: 'he', 'Liao'.")
    role: Quote | None = Field(None, description="The speaker's role as this article words it.")
    said: DateField | None = None
    event: Id | None = None
    claim: Id | None = None
    note: str | None = None


class Figure(Strict):
    """A reported quantity (MeasEval): value, qualifier, unit, what it counts."""

    id: Id
    quote: Quote = Field(description="The phrase holding the quantity and what it counts.")
    quantity: str | None = Field(None, description="The quantity inside the quote, if not the first.")
    value: Annotated[float, Field(ge=0)] | None = Field(None, description="Normalized value, checked.")
    qualifier: str | None = Field(None, description="Checked against the text: exact, more than, over...")
    unit: str
    counts: str = Field(description="What is counted or measured (MeasEval's measured entity).")
    action: str | None = None
    period: DateField | None = None
    as_of: DateField | None = None
    event: Id | None = None
    reporter: Id | None = Field(None, description="The speaker who gave it; none: the report itself.")
    note: str | None = None


class Ignore(Strict):
    """Text that looks like a statement or a figure but deliberately is not annotated:
    an ordinal in an event's name, a scare quote, a date that is not a statement's date.
    Only ``scoq coverage`` reads it; the reason says why, for the next curator."""

    quote: Quote
    reason: Annotated[str, Field(min_length=1)]
    all: bool = Field(False, description="Every occurrence of the quote, not just one.")


class Article(Strict):
    """One article's annotations; the text file is ``text`` beside this file."""

    text: str | None = Field(None, description="The article file; default: same name, .txt.")
    title: Quote | None = None
    outlet: Id | None = None
    outlet_basis: str | None = None
    agency: Id | None = None
    url: str | None = None
    published: Annotated[str | None, BeforeValidator(lambda v: None if v is None else normalize_input(v))] = None
    published_basis: str | None = None
    byline: Quote | None = None
    editor: Quote | None = None
    language: str = "en"
    furniture: list[Furniture] = []
    roles: dict[str, Quote] = {}
    statements: list[Statement] = []
    figures: list[Figure] = []
    ignore: list[Ignore] = []
    note: str | None = None
