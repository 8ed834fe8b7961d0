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

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

from scoq.records import (
    BODY_KINDS,
    EVENT_KINDS,
    FURNITURE_KINDS,
    ID_PATTERN,
    STATEMENT_TYPES,
    TENSES,
    date_in,
    edtf_in,
    file_name,
    quote_in,
)

Id = Annotated[str, Field(pattern=ID_PATTERN, description="A stable id: letters, digits, '.', '_', ':' or '-'.")]


class Strict(BaseModel):
    """Unknown keys are errors, so a misspelt key is caught rather than ignored."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class QuoteSelector(Strict):
    """Exact text from the article, with prefix/suffix to tell repeated text apart."""

    exact: Annotated[str, Field(min_length=1)] = Field(description="The words exactly as the article has them.")
    prefix: str | None = Field(None, description="Words just before, to say which occurrence is meant.")
    suffix: str | None = Field(None, description="Words just after, to say which occurrence is meant.")


#: The name of a file in the annotation file's folder.
FileName = Annotated[str, AfterValidator(file_name), Field(json_schema_extra={"pattern": r"^[^/\\]+$"})]


#: A quote is written as plain text, or as a mapping with exact/prefix/suffix.
Quote = Annotated[QuoteSelector, BeforeValidator(quote_in, json_schema_input_type=str | QuoteSelector)]

#: YAML reads 2018 as a number and 2018-06-08 as a date; both are kept as the text written.
EdtfText = Annotated[str, BeforeValidator(edtf_in, json_schema_input_type=str | int)]


class DateSelector(Strict):
    """A date as EDTF (``2018-06``), as the article's words (``on Friday``), or both."""

    date: EdtfText | None = Field(None, description="EDTF: 2018-06-08, 2018-06, 2023-08/2023-10, 2018-06-08/..")
    as_written: Annotated[str, Field(min_length=1)] | None = Field(
        None, description="The words in the article that give this date.")
    tense: Literal[TENSES] = Field(  # type: ignore[valid-type]
        "past", description="future: the words point ahead ('will be held on Saturday').")

    @model_validator(mode="after")
    def _one_of(self) -> "DateSelector":
        if self.date is None and self.as_written is None:
            raise ValueError("give 'date' (EDTF, e.g. 2018-06-08) or 'as_written' (the article's words)")
        return self


#: A date is written as EDTF, as the article's words, or as a mapping of both.
DateField = Annotated[DateSelector, BeforeValidator(date_in, json_schema_input_type=str | int | DateSelector)]

_NOTE = "Free text for curators; kept in the database, never checked."
_ALIASES = "Other names the text uses for it."


class Person(Strict):
    """A person who speaks in the articles."""

    id: Id
    name: str = Field(description="The full name, as users will type it.")
    aliases: list[str] = Field([], description=_ALIASES)
    native_name: str | None = Field(None, description="The name in its own script, only where a source gives it.")
    note: str | None = Field(None, description=_NOTE)


class Body(Strict):
    """A source that speaks without being a person: a press release, "all parties"."""

    id: Id
    name: str
    aliases: list[str] = Field([], description=_ALIASES)
    kind: Literal[BODY_KINDS] = "group"  # type: ignore[valid-type]
    note: str | None = Field(None, description=_NOTE)


class Organization(Strict):
    """An organization the articles name: an outlet, a ministry, a news agency."""

    id: Id
    name: str
    aliases: list[str] = Field([], description=_ALIASES)
    kind: str = Field("organization", description="Free text: outlet, ministry, news agency...")
    parent: Id | None = Field(None, description="The id of the organization it belongs to.")
    note: str | None = Field(None, description=_NOTE)


class Place(Strict):
    """A place where events happen."""

    id: Id
    name: str
    kind: str = Field("place", description="Free text: city, country, venue...")
    within: Id | None = Field(None, description="The id of the place it lies in.")


class Event(Strict):
    """A meeting, summit, press conference, operation...; ``id`` is its short slug."""

    id: Id
    name: str = Field(description="The full name: 10th meeting of the heads of the frontier authorities...")
    aliases: list[str] = Field([], description=_ALIASES)
    kind: Literal[EVENT_KINDS]  # type: ignore[valid-type]
    ordinal: Annotated[int, Field(ge=1)] | None = Field(None, description="Its number in a series: 10 for the 10th.")
    place: Id | None = Field(None, description="The id of a place in the registry.")
    date: EdtfText | None = Field(None, description="EDTF at the precision known: 2024-07-10, 2018-06-09/2018-06-10.")
    note: str | None = Field(None, description=_NOTE)


class Claim(Strict):
    """One claim, however many reports word it."""

    id: Id
    summary: str = Field(description="The claim in one sentence, in neutral words.")


class Registry(Strict):
    """registry.yaml: who and what all articles of a corpus share, each with a stable id."""

    people: list[Person] = Field([], description="People who speak in the articles.")
    bodies: list[Body] = Field([], description="Sources that speak without being a person.")
    organizations: list[Organization] = Field([], description="Outlets, agencies and other organizations.")
    places: list[Place] = Field([], description="Places where events happen.")
    events: list[Event] = Field([], description="Meetings, summits, press conferences, operations...")
    claims: list[Claim] = Field([], description="Claims that several reports word differently.")


class Furniture(Strict):
    """Page furniture: text that is on the page but is not the report's body."""

    kind: Literal[FURNITURE_KINDS]  # type: ignore[valid-type]
    quote: Quote | None = Field(None, description="The furniture's words; or give from and to.")
    from_: Quote | None = Field(None, alias="from", description="A range: from the start of this quote...")
    to: Quote | None = Field(None, description="...to the end of this one.")
    all: bool = Field(False, description="Mark every occurrence of the quote, not just one.")
    note: str | None = Field(None, description=_NOTE)

    @model_validator(mode="after")
    def _one_of(self) -> "Furniture":
        if (self.quote is None) == (self.from_ is None and self.to is None):
            raise ValueError("give either 'quote', or 'from' and 'to'")
        if self.quote is None and (self.from_ is None or self.to is None):
            raise ValueError("a range needs both 'from' and 'to'")
        return self


class Statement(Strict):
    """Who said what (PARC 3.0 source, cue and content), when and where."""

    id: Id = Field(description="Unique across the corpus, e.g. 003-s01.")
    speaker: Id = Field(description="The id of a person or body in the registry.")
    type: Literal[STATEMENT_TYPES] = Field(  # type: ignore[valid-type]
        description="direct: quoted; indirect: reported speech; mixed: partly quoted.")
    quote: Quote = Field(description="The content: what was said, as the article words it.")
    cue: Quote = Field(description="The attribution cue: said, pointed out, according to...")
    source: Quote | None = Field(None, description="The words naming the source here: 'he', 'Liao'.")
    role: Quote | None = Field(None, description="The speaker's role as this article words it.")
    said: DateField | None = Field(None, description="When: EDTF, or the article's words ('on Friday'); "
                                                     "default: the event's date.")
    event: Id | None = Field(None, description="The id of the event where it was said.")
    claim: Id | None = Field(None, description="The id of a claim in the registry that this statement words.")
    note: str | None = Field(None, description=_NOTE)


class Figure(Strict):
    """A reported quantity (MeasEval): value, qualifier, unit, what it counts."""

    id: Id = Field(description="Unique across the corpus, e.g. 003-f01.")
    quote: Quote = Field(description="The phrase holding the quantity and what it counts.")
    quantity: str | None = Field(None, description="The quantity inside the quote, if not the first.")
    value: Annotated[float, Field(ge=0)] | None = Field(None, description="Normalized value, checked.")
    qualifier: str | None = Field(None, description="Checked against the text: exact, more than, over...")
    unit: str = Field(description="people, t, countries...; must agree with a unit the text states.")
    counts: str = Field(description="What is counted or measured (MeasEval's measured entity).")
    action: str | None = Field(None, description="What happened to what is counted: arrested, seized...")
    period: DateField | None = Field(None, description="The span the figure covers: EDTF or the article's words.")
    as_of: DateField | None = Field(None, description="The date of a standing count: EDTF or the article's words.")
    event: Id | None = Field(None, description="The id of the event it is about.")
    reporter: Id | None = Field(None, description="The speaker who gave it; none: the report itself.")
    note: str | None = Field(None, description=_NOTE)


class Ignore(Strict):
    """Text that looks like a statement or a figure but deliberately is not annotated:
    an ordinal in an event's name, a scare quote, a date that is not a statement's date.
    Only ``scoq coverage`` reads it; the reason says why, for the next curator."""

    quote: Quote = Field(description="The words to pass over, as the text has them.")
    reason: Annotated[str, Field(min_length=1, description="Why they are not annotated.")]
    all: bool = Field(False, description="Every occurrence of the quote, not just one.")


class Article(Strict):
    """One article's annotations; the text file is ``text`` beside this file."""

    text: FileName | None = Field(None, description="The article file beside this one; default: same name, .txt.")
    title: Quote | None = Field(None, description="The headline; must be in the text.")
    outlet: Id | None = Field(None, description="The id of the publishing organization in the registry.")
    outlet_basis: str | None = Field(None, description="How the outlet is known, when the text does not say.")
    agency: Id | None = Field(None, description="The id of the news agency the report comes from.")
    url: str | None = None
    published: EdtfText | None = Field(None, description="Publication date, EDTF at the precision known.")
    published_basis: str | None = Field(None, description="How the publication date is known.")
    byline: Quote | None = Field(None, description="The author's name as the text gives it.")
    editor: Quote | None = Field(None, description="The editor's name as the text gives it.")
    language: str = Field("en", description="Language of the text (BCP 47).")
    furniture: list[Furniture] = Field([], description="On the page but not the report: never an answer.")
    roles: dict[str, Quote] = Field({}, description="Speaker id -> that speaker's title as this article words it.")
    statements: list[Statement] = Field([], description="Who said what: PARC 3.0 source, cue and content.")
    figures: list[Figure] = Field([], description="Reported quantities (MeasEval).")
    ignore: list[Ignore] = Field([], description="Numbers, quotation marks and reporting verbs that "
                                 "coverage should pass over, each with its reason.")
    note: str | None = Field(None, description=_NOTE)


#: The two kinds of annotation file, by the name ``scoq schema`` takes.
FILE_MODELS: dict[str, type[BaseModel]] = {"article": Article, "registry": Registry}


def json_schema(kind: str) -> dict:
    """The JSON Schema of an article's or the registry's annotation file, generated from
    the model above so that editors complete keys and flag mistakes as ingest would.
    Draft-07, the version the YAML language server reads."""
    schema = FILE_MODELS[kind].model_json_schema(mode="validation", ref_template="#/definitions/{model}")
    definitions = schema.pop("$defs", {})
    return {"$schema": "http://json-schema.org/draft-07/schema#", **schema, "definitions": definitions}
