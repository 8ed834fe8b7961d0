"""Checking a whole corpus and turning it into database rows.

Everything is checked before anything is written: the YAML against the annotation
model, every reference between registry and articles, every span found verbatim in
its article's body (not in page furniture), dates, figures and ids. All problems are
collected and reported together; only a corpus with none becomes rows.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path

from scoq import anchor, dates, figures
from scoq.annotations import Locator, load
from scoq.corpus import CorpusFiles, read_article, read_bytes
from scoq.db import LOAD_ORDER
from scoq.names import fold
from scoq.problems import InputError, Problem, did_you_mean, display_path

if typing.TYPE_CHECKING:  # records (scoq.records) or these, with the same attributes
    from scoq.model import Article, DateSelector, QuoteSelector


#: What page furniture is blanked to in an article's body: all but its line breaks.
_NOT_LINE_BREAK = re.compile(r"[^\n]")


def _no_such(label: str, kind: str, value: str, known) -> str:
    """The one message for a reference to an id the registry does not have."""
    return (f"{label}: no {kind} '{value}' in the registry{did_you_mean(value, known)}; "
            "add it to registry.yaml or correct the id")


@dataclass
class Rows:
    """The validated corpus as rows for each table, in a stable order."""

    tables: dict[str, list[dict]] = field(default_factory=lambda: {t: [] for t in LOAD_ORDER})
    #: Rows of articles handed on rather than kept (Checker.articles with ``each``).
    passed: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {t: len(r) + self.passed.get(t, 0) for t, r in self.tables.items()}


class _Article:
    """Checks one article's annotations against its text, collecting problems."""

    def __init__(self, checker: "Checker", art_id: str, model: Article, locator: Locator, text: str,
                 out: "ArticleResult"):
        self.c = checker
        self.id = art_id
        self.m = model
        self.loc = locator
        self.text = text
        self.out = out
        self.furniture: list[tuple[int, int, str]] = []
        self.published: dates.Span | None = None
        self.anchored: list[tuple[int, int, str]] = out.spans

    def problem(self, path: tuple, message: str) -> None:
        line, col = self.loc.where(path)
        self.out.problems.append(Problem(display_path(self.out.ann), line, col, message))

    def label(self, section: str, i: int, item) -> str:
        return f"{section}[{i}] ({item.id})" if getattr(item, "id", None) else f"{section}[{i}]"

    def span(self, path: tuple, label: str, sel: QuoteSelector, near=None, body=True):
        """Anchor a quote; on failure record the problem and return None."""
        try:
            start, end = anchor.locate(self.text, sel, near=near, forbidden=self.furniture if body else None)
        except anchor.AnchorError as e:
            self.problem(path, f"{label}: {e}")
            return None
        self.anchored.append((start, end, label))
        return start, end

    def ref(self, path: tuple, label: str, kind: str, value: str | None, known: dict) -> str | None:
        if value is not None and value not in known:
            if not self.c.registry_loaded:
                return None  # the registry's own problem is reported; every reference would fail
            self.problem(path, _no_such(label, kind, value, known))
            return None
        return value

    def date(self, path: tuple, label: str, sel: DateSelector | None, near) -> dict:
        """Resolve a date given as EDTF and/or the article's words."""
        out = {"edtf": None, "start": None, "end": None, "precision": None,
               "as_written": None, "as_start": None, "as_end": None, "basis": None}
        if sel is None:
            return out
        given = resolved = None
        if sel.date is not None:
            try:
                given = dates.parse(sel.date)
            except dates.DateError as e:
                self.problem(path, f"{label}: {e}")
                return out
        if sel.as_written is not None:
            out["as_written"] = sel.as_written
            pos = self.span(path, f"{label} as written", anchor.Quote(sel.as_written), near=near)
            if pos:
                out["as_start"], out["as_end"] = pos
            if self.published is not None:
                try:
                    resolved = dates.resolve(sel.as_written, self.published, sel.tense)
                except dates.Unresolvable:
                    resolved = None
        if given and resolved and not given.covers(resolved):
            self.problem(path, f"{label}: '{sel.as_written}' against the publication date {self.published.edtf} "
                               f"is {resolved.edtf}, not {given.edtf}; correct one of them")
        span = given or resolved
        if span is not None:
            out.update(edtf=span.edtf, start=span.start, end=span.end, precision=span.precision,
                       basis="annotation" if given else "resolved")
        return out

    def check(self) -> None:
        m, c = self.m, self.c
        if m.published is not None:
            try:
                self.published = dates.parse(m.published)
            except dates.DateError as e:
                self.problem(("published",), f"published: {e}")
        for key in ("outlet", "agency"):
            self.ref((key,), key, "organization", getattr(m, key), c.orgs)

        # Page furniture first: statements and figures may not fall inside it.
        for i, f in enumerate(m.furniture):
            path = ("furniture", i)
            lab = self.label("furniture", i, f)
            if f.quote is not None:
                if f.all:
                    hits = anchor.find_all(self.text, f.quote.exact)
                    if not hits:
                        self.span(path + ("quote",), lab, f.quote, body=False)
                    self.furniture.extend((s, e, f.kind) for s, e in hits)
                else:
                    pos = self.span(path + ("quote",), lab, f.quote, body=False)
                    if pos:
                        self.furniture.append((*pos, f.kind))
            else:
                first = self.span(path + ("from",), lab + ".from", f.from_, body=False)
                if first:
                    try:
                        _, end = anchor.locate(self.text, f.to, within=(first[0], len(self.text)),
                                               near=(first[0], first[0]))
                        self.furniture.append((first[0], end, f.kind))
                    except anchor.AnchorError as e:
                        self.problem(path + ("to",), f"{lab}.to: {e}")
        self.furniture.sort()
        self.anchored.extend(self.furniture)

        for i, ig in enumerate(m.ignore):
            path = ("ignore", i, "quote")
            lab = f"ignore[{i}]"
            if ig.all:
                hits = anchor.find_all(self.text, ig.quote.exact)
                if not hits:
                    self.span(path, lab, ig.quote, body=False)
                self.anchored.extend((s, e, f"{lab}: {ig.reason}") for s, e in hits)
            elif pos := self.span(path, lab, ig.quote, body=False):
                self.anchored[-1] = (*pos, f"{lab}: {ig.reason}")

        meta = {}
        for key in ("title", "byline", "editor"):
            sel = getattr(m, key)
            pos = self.span((key,), key, sel, near=(0, 0), body=False) if sel else None
            meta[key] = (sel.exact, *pos) if pos else (None, None, None)

        role_sel = {}
        for speaker, sel in m.roles.items():
            if self.ref(("roles", speaker), f"roles.{speaker}", "speaker", speaker, c.speakers):
                role_sel[speaker] = sel

        seen_spans: dict[tuple, str] = {}
        for i, s in enumerate(m.statements):
            path = ("statements", i)
            lab = self.label("statements", i, s)
            if c.claim_ids:
                self.out.problems.append(IdClaim(path + ("id",), lab, s.id, _owner(self.out.ann, path + ("id",))))
            self.ref(path + ("speaker",), lab + ".speaker", "speaker", s.speaker, c.speakers)
            event = self.ref(path + ("event",), lab + ".event", "event", s.event, c.events)
            self.ref(path + ("claim",), lab + ".claim", "claim", s.claim, c.claims)
            pos = self.span(path + ("quote",), lab + ".quote", s.quote)
            if pos is None:
                continue
            if (pos, "statement") in seen_spans:
                self.problem(path + ("quote",), f"{lab}: the same words as statement "
                                                f"{seen_spans[(pos, 'statement')]}; remove one of the two")
            seen_spans[(pos, "statement")] = s.id
            cue = self.span(path + ("cue",), lab + ".cue", s.cue, near=pos)
            source = self.span(path + ("source",), lab + ".source", s.source, near=pos) if s.source else None
            role = s.role or role_sel.get(s.speaker)
            role_pos = self.span(path + ("role",), lab + ".role", role, near=pos, body=False) if role else None
            said = self.date(path + ("said",), lab + ".said", s.said, near=pos)
            if said["edtf"] is None and event and c.event_dates.get(event):
                ev = c.event_dates[event]
                said.update(edtf=ev.edtf, start=ev.start, end=ev.end, precision=ev.precision, basis="event")
                if said["as_written"]:
                    self._check_weekday(path + ("said",), lab, said["as_written"], ev)
            elif said["edtf"] and event and c.event_dates.get(event):
                ev = c.event_dates[event]
                if not ev.overlaps(dates.Span(said["edtf"], said["start"], said["end"], said["precision"])):
                    self.problem(path + ("said",), f"{lab}.said: {said['edtf']} is outside the dates of event "
                                                   f"'{event}' ({ev.edtf}); correct the date or the event")
            self.out.tables["statements"].append({
                "id": s.id, "article_id": self.id, "speaker_id": s.speaker, "type": s.type,
                "text": self.text[pos[0]:pos[1]], "start": pos[0], "end": pos[1],
                "cue": self.text[cue[0]:cue[1]] if cue else None,
                "cue_start": cue and cue[0], "cue_end": cue and cue[1],
                "source": self.text[source[0]:source[1]] if source else None,
                "source_start": source and source[0], "source_end": source and source[1],
                "role": self.text[role_pos[0]:role_pos[1]] if role_pos else None,
                "role_start": role_pos and role_pos[0], "role_end": role_pos and role_pos[1],
                "said": said["edtf"], "said_start": said["start"], "said_end": said["end"],
                "said_precision": said["precision"], "said_basis": said["basis"],
                "said_as": said["as_written"], "said_as_start": said["as_start"], "said_as_end": said["as_end"],
                "event_id": event, "claim_id": s.claim,
                "note": s.note,
            })

        for i, f in enumerate(m.figures):
            path = ("figures", i)
            lab = self.label("figures", i, f)
            if c.claim_ids:
                self.out.problems.append(IdClaim(path + ("id",), lab, f.id, _owner(self.out.ann, path + ("id",))))
            event = self.ref(path + ("event",), lab + ".event", "event", f.event, c.events)
            self.ref(path + ("reporter",), lab + ".reporter", "speaker", f.reporter, c.speakers)
            pos = self.span(path + ("quote",), lab + ".quote", f.quote)
            if pos is None:
                continue
            phrase = self.text[pos[0]:pos[1]]
            try:
                if f.quantity is not None:
                    q_at = anchor.locate(phrase, anchor.Quote(f.quantity))
                    qty = figures.read(phrase[q_at[0]:q_at[1]])
                    offset = pos[0] + q_at[0]
                else:
                    qty = figures.read(phrase)
                    offset = pos[0]
            except (anchor.AnchorError, figures.FigureError) as e:
                self.problem(path + ("quantity" if f.quantity else "quote",), f"{lab}: {e}")
                continue
            if f.value is not None and qty.value is not None and float(f.value) != float(qty.value):
                self.problem(path + ("value",), f"{lab}.value: {f.value:g} but the text says '{qty.text}' "
                                                f"= {qty.value}; correct the value")
            if f.value is not None and qty.value is None:
                self.problem(path + ("value",), f"{lab}.value: '{qty.text}' is vague and has no single value; "
                                                "remove 'value' (the lower bound is recorded)")
            if f.qualifier is not None and f.qualifier != qty.qualifier:
                self.problem(path + ("qualifier",), f"{lab}.qualifier: '{f.qualifier}' but the text says "
                                                    f"'{qty.text}', which reads as '{qty.qualifier}'; write "
                                                    f"qualifier: {qty.qualifier}, or leave it out")
            if qty.unit and f.unit != qty.unit:
                self.problem(path + ("unit",), f"{lab}.unit: '{f.unit}' but the text gives the unit as "
                                               f"'{qty.unit}' ('{qty.text}'); write unit: {qty.unit}")
            key = (pos, offset + qty.start, "figure")
            if key in seen_spans:
                self.problem(path + ("quote",), f"{lab}: the same quantity as figure {seen_spans[key]}; remove one")
            seen_spans[key] = f.id
            period = self.date(path + ("period",), lab + ".period", f.period, near=pos)
            as_of = self.date(path + ("as_of",), lab + ".as_of", f.as_of, near=pos)
            ev = c.event_dates.get(event) if event else None
            if period["edtf"] is not None:
                when = (period["edtf"], period["start"], period["end"], period["precision"], "period")
            elif as_of["edtf"] is not None:
                when = (as_of["edtf"], as_of["start"], as_of["end"], as_of["precision"], "as of")
            elif ev is not None:
                when = (ev.edtf, ev.start, ev.end, ev.precision, "event")
            else:
                when = (None, None, None, None, None)
            self.out.tables["figures"].append({
                "id": f.id, "article_id": self.id, "text": phrase, "start": pos[0], "end": pos[1],
                "quantity": qty.text, "quantity_start": offset + qty.start, "quantity_end": offset + qty.end,
                "value_text": qty.value_text, "value": qty.value, "low": qty.low, "high": qty.high,
                "qualifier": qty.qualifier, "mod": qty.mod, "unit": f.unit, "counts": f.counts,
                "action": f.action, "topic": figures.topic_key(f.counts, f.action, f.unit),
                "period": period["edtf"], "period_start": period["start"], "period_end": period["end"],
                "period_precision": period["precision"], "period_as": period["as_written"],
                "as_of": as_of["edtf"], "as_of_start": as_of["start"], "as_of_end": as_of["end"],
                "as_of_precision": as_of["precision"], "as_of_as": as_of["as_written"],
                "date": when[0], "date_start": when[1], "date_end": when[2], "date_precision": when[3],
                "date_basis": when[4],
                "event_id": event, "reporter_id": f.reporter,
                "note": f.note,
            })

        body = self.text
        for s, e, _ in self.furniture:
            body = body[:s] + _NOT_LINE_BREAK.sub(" ", body[s:e]) + body[e:]
        for s, e, kind in self.furniture:
            self.out.tables["furniture"].append(
                {"article_id": self.id, "kind": kind, "start": s, "end": e, "text": self.text[s:e]})
        pub = self.published
        self.out.tables["articles"].append({
            "id": self.id, "path": self.c.relative(self.out.text_path), "annotation_path": self.c.relative(self.out.ann),
            "title": meta["title"][0], "title_start": meta["title"][1], "title_end": meta["title"][2],
            "outlet_id": m.outlet, "outlet_basis": m.outlet_basis, "agency_id": m.agency, "url": m.url,
            "published": pub.edtf if pub else None, "published_start": pub.start if pub else None,
            "published_end": pub.end if pub else None, "published_precision": pub.precision if pub else None,
            "published_basis": m.published_basis,
            "byline": meta["byline"][0], "editor": meta["editor"][0], "language": m.language,
            "chars": len(self.text), "sha256": hashlib.sha256(self.text.encode("utf-8")).hexdigest(),
            "text": self.text, "body": body, "note": m.note,
            "annotation_sha256": self.out.annotation_sha256,
        })

    def _check_weekday(self, path, lab, words: str, ev: dates.Span) -> None:
        day = dates.day_of(ev)
        if day is None:
            return
        for name, number in dates.WEEKDAYS.items():
            if name in words.lower().split() and day.weekday() != number:
                self.problem(path, f"{lab}.said: '{words}' but the event's date {ev.edtf} is a "
                                   f"{day.strftime('%A')}; correct the date or the event")


class Checker:
    """Validates a corpus and collects its rows; raise ``InputError`` with every problem."""

    def __init__(self, files: CorpusFiles):
        self.files = files
        self.problems: list[Problem] = []
        self.rows = Rows()
        self.ids = Ids()
        self.registry_loaded = False
        self.orgs: dict = {}
        self.places: dict = {}
        self.speakers: dict = {}
        self.events: dict = {}
        self.event_dates: dict[str, dates.Span | None] = {}
        self.claims: dict = {}
        #: Whether each article's ids are sent back with its problems, to be compared
        #: across articles in merge; without them, ids are left to the database's
        #: unique indexes (see ingest).
        self.claim_ids = True

    def relative(self, path: Path | str) -> str:
        """A corpus file's path relative to the corpus folder, with '/' between parts."""
        text, root = os.fspath(path), os.fspath(self.files.root).rstrip(os.sep) + os.sep
        if text.startswith(root) and ".." not in text:
            return text[len(root):].replace(os.sep, "/")
        return Path(path).relative_to(self.files.root).as_posix()

    def registry(self) -> None:
        file = display_path(self.files.registry)
        reg, locator, problems = load(self.files.registry, "registry", file)
        self.problems += problems
        if reg is None:
            return
        self.registry_loaded = True
        # Where each id is declared; its line is only looked up for a repeated id (that
        # composes the whole file into nodes, which a large registry should not pay for).
        seen: dict[str, tuple[str, int]] = {}

        def at(path, message):
            line, col = locator.where(path)
            self.problems.append(Problem(file, line, col, message))

        for section in ("people", "bodies", "organizations", "places", "events", "claims"):
            for i, item in enumerate(getattr(reg, section)):
                if item.id in seen:
                    first, j = seen[item.id]
                    at((section, i, "id"), f"{section}[{i}]: id '{item.id}' is already used in {first} "
                                           f"(line {locator.where((first, j, 'id'))[0]}); "
                                           "ids must be unique across the registry")
                else:
                    seen[item.id] = (section, i)
        self.orgs = {o.id: o for o in reg.organizations}
        self.places = {p.id: p for p in reg.places}
        self.speakers = {p.id: p for p in reg.people} | {b.id: b for b in reg.bodies}
        self.events = {e.id: e for e in reg.events}
        self.claims = {c.id: c for c in reg.claims}

        def ref(path, value, known, kind):
            if value is not None and value not in known:
                section, i, key = path
                ident = getattr(getattr(reg, section)[i], "id", "")
                at(path, _no_such(f"{section}[{i}] ({ident}).{key}", kind, value, known))

        for i, o in enumerate(reg.organizations):
            ref(("organizations", i, "parent"), o.parent, self.orgs, "organization")
            self.rows.tables["organizations"].append(
                {"id": o.id, "name": o.name, "kind": o.kind, "parent_id": o.parent,
                 "aliases": json.dumps(o.aliases, ensure_ascii=False), "note": o.note})
        for i, p in enumerate(reg.places):
            ref(("places", i, "within"), p.within, self.places, "place")
            self.rows.tables["places"].append({"id": p.id, "name": p.name, "kind": p.kind, "within_id": p.within})
        for kind, items in (("person", reg.people), ("body", reg.bodies)):
            for sp in items:
                self.rows.tables["speakers"].append({
                    "id": sp.id, "kind": kind, "subkind": getattr(sp, "kind", None), "name": sp.name,
                    "native_name": getattr(sp, "native_name", None), "note": sp.note})
                names = dict.fromkeys([sp.name, *sp.aliases] + ([sp.native_name] if getattr(sp, "native_name", None) else []))
                for alias in names:
                    self.rows.tables["aliases"].append({"speaker_id": sp.id, "alias": alias, "norm": fold(alias)})
        for i, e in enumerate(reg.events):
            ref(("events", i, "place"), e.place, self.places, "place")
            span = None
            if e.date is not None:
                try:
                    span = dates.parse(e.date)
                except dates.DateError as err:
                    at(("events", i, "date"), f"events[{i}] ({e.id}).date: {err}")
            self.event_dates[e.id] = span
            self.rows.tables["events"].append({
                "id": e.id, "name": e.name, "kind": e.kind, "ordinal": e.ordinal, "place_id": e.place,
                "date": span and span.edtf, "date_start": span and span.start, "date_end": span and span.end,
                "date_precision": span and span.precision,
                "aliases": json.dumps(e.aliases, ensure_ascii=False),
                "match": fold(" ".join([e.id.replace("-", " "), e.name, *e.aliases, e.kind])), "note": e.note})
        for c in reg.claims:
            self.rows.tables["claims"].append({"id": c.id, "summary": c.summary})

    def annotation_files(self) -> list[str]:
        """The annotation file of each article (its id is ``article_id`` of it); a second
        file claiming an id is a problem. Only the paths are kept: at a hundred thousand
        articles, pairs with their ids would cost megabytes more."""
        ann_by_stem: dict[str, str] = {}
        for ann in self.files.annotations.strings():
            stem = article_id(ann)
            if stem in ann_by_stem:
                self.problems.append(Problem(display_path(Path(ann)), 1, 0,
                                             f"article id '{stem}' is also used by {display_path(Path(ann_by_stem[stem]))}; "
                                             "rename one of the two (the file name is the article's id)"))
                continue
            ann_by_stem[stem] = ann
        return list(ann_by_stem.values())

    def article(self, ann: Path | str) -> "ArticleResult":
        """Check one article on its own: its rows and problems, ids not yet compared.
        (Run for every article: paths stay text, and a file's name as a problem shows
        it is worked out only for a problem.)"""
        ann = os.fspath(ann)
        stem = article_id(ann)
        try:
            raw = read_bytes(ann)  # once: what is hashed is what is parsed
        except OSError:
            raw = None  # load says why
        model, locator, problems = load(ann, "article", raw=raw)
        named = model.text if model is not None else None
        text_path = os.path.join(os.path.dirname(ann), named or stem + ".txt")
        out = ArticleResult(stem, ann, text_path, problems)
        if model is None:
            return out
        text, problems = read_article(text_path)
        if problems:
            if not named and not os.path.exists(text_path):
                out.problems.append(Problem(display_path(ann), 1, 0, "no article text beside it: put the article in "
                                            f"{os.path.basename(text_path)}, or remove {os.path.basename(ann)}"))
                return out
            if named:
                line, col = locator.where(("text",))
                problems = [Problem(display_path(ann), line, col, f"text: {p.file}: {p.message}") for p in problems]
            out.problems += problems
        if text is not None:
            out.annotation_sha256 = hashlib.sha256(raw).hexdigest()
            out.tables = {"articles": [], "furniture": [], "statements": [], "figures": []}
            _Article(self, stem, model, locator, text, out).check()
        return out

    def merge(self, result: "ArticleResult") -> bool:
        """Take one checked article's problems in order, comparing its ids with all
        before it; True if it brought none."""
        claims = [p for p in result.problems if p.__class__ is IdClaim]
        owners = self.ids.claim([c.ident for c in claims], [c.owner for c in claims]) \
            if claims else []
        if len(claims) == len(result.problems) and not any(owners):
            return True  # the usual case: no problem, no id used before
        before = len(self.problems)
        locator = None
        owner_of = iter(owners)
        for p in result.problems:
            if not isinstance(p, IdClaim):
                self.problems.append(p)
                continue
            owner = next(owner_of)
            if owner is not None:
                if locator is None:
                    locator = Locator(Path(result.ann).read_bytes().decode("utf-8"))
                line, col = locator.where(p.path)
                self.problems.append(Problem(display_path(result.ann), line, col,
                                             f"{p.label}: id '{p.ident}' is already used at "
                                             f"{_owner_place(owner)}; ids must be unique"))
        return len(self.problems) == before

    def unclaimed(self, claimed: "Claimed") -> None:
        """Every article text that no annotation file names is a problem: a text with no
        annotation file beside it, or the one beside an annotation file that names
        another text or was not used (its id was taken)."""
        resolved = None
        texts = dict.fromkeys(self.files.texts.strings())
        for ann, checked in claimed.checked(self.files.annotations.strings()):
            if not checked or ann in claimed.not_default:
                beside = Claimed.beside(ann)
                if os.path.isfile(beside):
                    texts[beside] = None
        for txt in texts:
            if txt in claimed:
                continue
            txt = Path(txt)
            if resolved is None:
                resolved = {Path(c).resolve() for c in claimed.paths()}
            if txt.resolve() not in resolved:
                self.problems.append(Problem(
                    display_path(txt), 0, 0,
                    f"article without annotations: create {txt.with_suffix('.yaml').name} beside it "
                    "(at least outlet and published), or move the text out of the corpus"))

    def for_workers(self) -> "Checker":
        """A copy to check articles with in worker processes: the registry and settings,
        none of the rows or problems, which stay with this checker."""
        import copy

        clone = copy.copy(self)
        clone.rows, clone.problems = Rows(), []
        return clone

    def articles(self, progress=None, each=None, workers: int | None = None) -> None:
        """Check every article, in corpus order, and the corpus as a whole. The rows are
        kept in ``self.rows``; with ``each``, every article's result is handed to it
        instead and only counted, so that a corpus of any size is checked in little memory.
        Articles are checked in ``workers`` processes (by default one per core for a
        corpus large enough), and merged here in order."""
        from scoq import workers as worker_processes

        annotation_files = self.annotation_files()
        claimed = Claimed(annotation_files)
        if workers is None:
            workers = worker_processes.default(len(annotation_files))
        checker = self.for_workers() if workers > 1 else self
        for ann, result in zip(annotation_files, worker_processes.results(checker, annotation_files, workers)):
            claimed.add(ann, result.text_path)
            self.merge(result)
            if each is None:
                for table, rows in result.tables.items():
                    self.rows.tables[table] += rows
            else:
                each(result)
                for table, rows in result.tables.items():
                    self.rows.passed[table] = self.rows.passed.get(table, 0) + len(rows)
            if progress:
                progress()
        self.unclaimed(claimed)


def article_id(ann: Path | str) -> str:
    """An article's id: the name of its annotation file, without the extension."""
    return os.path.splitext(os.path.basename(ann))[0]


class Claimed:
    """The article texts that the annotation files name. Most name the text beside
    them (same name, .txt); only the others are kept, so that a large corpus costs little.
    It is made with the files checked, in corpus order (Checker.annotation_files)."""

    def __init__(self, annotations):
        self.planned = annotations
        self._annotations: set[str] | None = None
        self.other: set[str] = set()
        self.not_default: set[str] = set()

    @property
    def annotations(self) -> set[str]:
        """The files checked, as a set: made only when a text must be looked up, as
        at a hundred thousand articles it is 4 MiB."""
        if self._annotations is None:
            self._annotations = set(map(str, self.planned))
        return self._annotations

    def checked(self, every: list[str]):
        """(file, whether it was checked) for each of ``every`` (all annotation files, in
        corpus order): the checked ones are among them in the same order, so that one
        walk tells them apart, with no set of them."""
        planned = map(str, self.planned)
        ahead = next(planned, None)
        for ann in every:
            if ann == ahead:
                ahead = next(planned, None)
                yield ann, True
            else:
                yield ann, False

    @staticmethod
    def beside(ann: str) -> str:
        """The text an annotation file names unless it says otherwise: the .txt beside it."""
        return os.path.splitext(ann)[0] + ".txt"

    def add(self, ann, text_path) -> None:
        ann, text_path = str(ann), str(text_path)
        if text_path != self.beside(ann):
            self.other.add(text_path)
            self.not_default.add(ann)

    def __contains__(self, txt: str) -> bool:
        if txt in self.other:
            return True
        root = txt[:-len(".txt")]
        return any(a in self.annotations and a not in self.not_default for a in (root + ".yaml", root + ".yml"))

    def paths(self):
        """Every claimed text path (for the rare check through symbolic links)."""
        yield from self.other
        for a in self.annotations:
            if a not in self.not_default:
                yield self.beside(a)


class IdClaim(typing.NamedTuple):
    """An article declares a statement or figure id; whether another already has it is
    only known when all articles before it are merged. (A tuple: cheap to send back
    from a worker process.)"""

    path: tuple
    label: str
    ident: str
    owner: str  # where it is declared: see _owner


@dataclass
class ArticleResult:
    """One article checked on its own: its rows, and its problems in order, with an
    IdClaim where each id is declared."""

    stem: str
    ann: Path | str  # a str once sent back from a worker process
    text_path: Path | str
    problems: list = field(default_factory=list)
    tables: dict[str, list[dict]] = field(default_factory=dict)
    annotation_sha256: str | None = None
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # every anchored span, for coverage
    # What an ingest sends back in place of the rows: their text hash, and with the
    # last article of a chunk, the whole chunk's rows (db.pack).
    text_sha256: str | None = None
    packed: bytes | None = None

    def __reduce__(self):
        # Sent back from every worker for every article: as a plain tuple, paths as
        # text, rather than by copyreg's general way, which takes twice as long.
        return ArticleResult, (self.stem, os.fspath(self.ann), os.fspath(self.text_path), self.problems,
                               self.tables, self.annotation_sha256, self.spans, self.text_sha256, self.packed)


class Ids:
    """Statement and figure ids seen so far, each with where it was declared (an
    ``_owner`` token: the annotation file and the place in it)."""

    def __init__(self):
        self.owner: dict[str, str] = {}

    def claim(self, idents: list[str], owners: list[str]) -> list[str | None]:
        """For each id in order, the owner that had it before (None if new); record the new."""
        out = []
        for ident, owner in zip(idents, owners):
            prior = self.owner.get(ident)
            out.append(prior)
            if prior is None:
                self.owner[ident] = owner
        return out


def _owner(ann: Path | str, path: tuple) -> str:
    """Where an id is declared, as a string that a database column can hold: the
    annotation file, a tab, and the keys and list positions that lead to the id (kept
    apart by the unit separator, which neither a key nor a position holds)."""
    return f"{ann}\t" + "\x1f".join(map(str, path))


def _owner_place(owner: str) -> str:
    """``file:line`` of an ``_owner`` token, for the message about a repeated id. The
    file is read again only here, when an id is repeated."""
    file, keys = owner.rsplit("\t", 1)
    path = tuple(int(k) if k.isdigit() else k for k in keys.split("\x1f"))
    try:
        line = Locator(Path(file).read_bytes().decode("utf-8")).where(path)[0]
    except (OSError, UnicodeDecodeError, ValueError):
        return display_path(Path(file))
    return f"{display_path(Path(file))}:{line}"


def check(files: CorpusFiles, progress=None, each=None, workers: int | None = None) -> Rows:
    """Validate the corpus; return its rows, or raise InputError listing every problem.
    With ``each``, each article's result goes to it and its rows are only counted."""
    checker = Checker(files)
    checker.registry()
    checker.articles(progress, each, workers)
    if checker.problems:
        raise InputError(checker.problems)
    return checker.rows


def corpus(root: Path) -> tuple[Rows | None, list[Problem]]:
    """Every check ingest makes on the corpus at ``root``, writing nothing: the
    corpus's rows, counted (only the registry's are kept), or None and every problem."""
    from scoq.corpus import discover

    files, problems = discover(root)
    if problems or files is None:
        return None, sorted(set(problems))
    try:
        return check(files, each=lambda result: None), []
    except InputError as e:
        return None, e.problems
