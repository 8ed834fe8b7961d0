"""A first draft of a new article's annotations, for a curator to check and finish.

Plain rules, no language model: quoted speech and sentences with a reporting verb
become candidate statements, numbers become candidate figures (read by
``scoq.figures``), date words are resolved against the publication date
(``scoq.dates``). The likely speaker is a name from the registry found at the
attribution; "he" or "she" stands for the last person named before it. Every span is
anchored as ingest anchors it (a quote found more than once gets a prefix), so once the
curator fills in what is marked TODO the draft passes ingest's checks. Nothing is
guessed: what the text does not say is left as a ``# TODO`` comment.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field

from scoq import anchor, dates, figures
from scoq.coverage import REPORTING_VERBS

_VERB = re.compile(r"(?<!\w)(?:" + figures.alternation(REPORTING_VERBS) + r")(?!\w)")
_VERB_I = re.compile(_VERB.pattern, re.I)
_PRONOUN = re.compile(r"(?<!\w)(?:he|she|He|She)(?!\w)")
_CAPITALIZED = re.compile(r"(?<![\w-])(?:[A-Z][\w'’.-]*[ \t]+){0,3}[A-Z][\w'’-]*")
_NOT_NAMES = {"The", "A", "An", "It", "This", "That", "They", "These", "Those", "We", "I", "There", "In", "On", "At"}
_MONTH = "|".join(m.capitalize() for m in dates.MONTHS)
# "BEIJING, June 8 (Xinhua) -- " or "Riverton, March 15 -- ": a place in capitals, or a
# place followed by a date, then a dash.
_DATELINE = re.compile(
    rf"^(?:[A-Z][A-Z .'-]+,\s+(?:[A-Z][a-z]+\.?\s+\d{{1,2}}\s+)?|[A-Z][\w .'-]*,\s+(?:{_MONTH})\.?\s+\d{{1,2}}\s+)"
    rf"(?:\([A-Z][\w .]*\)\s+)?(?:--|\u2014|\u2013|-)\s*", re.M)
_WEEKDAY = "|".join(d.capitalize() for d in dates.WEEKDAYS)
_DATE = re.compile(
    rf"(?<!\w)(?:(?:on|since|from|in|between)\s+)?(?:"
    rf"(?:{_MONTH})\s+\d{{1,2}}(?:\s+(?:and|to)\s+\d{{1,2}})?(?:,?\s+\d{{4}})?"
    rf"|(?:{_MONTH})(?:\s+(?:to|through)\s+(?:{_MONTH}))?(?:\s+(?:last|this|next)\s+year|\s+\d{{4}})?"
    rf"|(?:{_WEEKDAY})|yesterday|today"
    rf"|(?:last|this|next)\s+(?:week|month|year)"
    rf"|(?:19|20)\d\d"
    rf")(?!\w)"
)
# Words that make a run of words before a name a title ("Police Chief Ana Ruiz").
_TITLE_WORDS = {
    "mayor", "chief", "minister", "secretary", "director", "president", "spokesperson",
    "spokesman", "spokeswoman", "envoy", "councilor", "councillor", "head", "chairman",
    "chairwoman", "chair", "governor", "ambassador", "commissioner", "officer", "deputy",
    "premier", "general", "captain", "commander", "prosecutor", "judge", "senator",
}
_TITLE_RUN = re.compile(r"((?:(?:[A-Z][\w'’-]*|and|of|for|the|" + "|".join(sorted(_TITLE_WORDS))
                        + r")\s+)+)\Z")
_APPOSITION = re.compile(r",\s+([a-z][\w'’-]*(?:\s+[\w'’()-]+){0,15}?)(?=\s*(?:,|\.|\n|$|\s+(?:at|said|told|on|in)\s))")
_SENTENCE = re.compile(r"(?s).*?(?:[.!?]+[\"”’)]*(?=\s|\Z)|\Z)")
_QUOTE_MIN_WORDS = 4


@dataclass
class Span:
    start: int
    end: int

    def words(self, text: str) -> str:
        return text[self.start:self.end]


@dataclass
class Speaker:
    """A speaker at an attribution: registry id when known, else None, with the words."""

    id: str | None
    source: Span | None
    name: str | None = None


@dataclass
class Statement:
    type: str
    content: Span
    cue: Span | None
    speaker: Speaker
    said: Span | None = None


@dataclass
class Figure:
    phrase: Span
    quantity: figures.Quantity
    unit: str | None
    counts: str | None
    reporter: str | None


@dataclass
class Draft:
    article_id: str
    text: str
    published: str
    title: Span | None
    furniture: list[tuple[str, Span]] = field(default_factory=list)
    roles: dict[str, Span] = field(default_factory=dict)
    statements: list[Statement] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


# --- Names -------------------------------------------------------------------------

def _fold(text: str) -> str:
    """Accents off, one character for one, so that offsets stay those of the text."""
    return "".join(unicodedata.normalize("NFKD", ch)[0] for ch in text)


class Names:
    """Registry names and aliases, longest first, as a pattern over the text with its
    accents folded ("Alvarez" finds the alias "Álvarez")."""

    def __init__(self, registry):
        entries: dict[str, tuple[str, bool]] = {}
        if registry is not None:
            for people, is_person in ((registry.people, True), (registry.bodies, False)):
                for p in people:
                    for n in [p.name, *p.aliases]:
                        entries.setdefault(_fold(n), (p.id, is_person))
        self.entries = entries
        alts = sorted(entries, key=len, reverse=True)
        self.pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(a) for a in alts) + r")(?!\w)") if alts else None

    def find(self, text: str, start: int, end: int) -> list[re.Match]:
        return list(self.pattern.finditer(_fold(text), start, end)) if self.pattern else []


# --- Statements ----------------------------------------------------------------------

def _sentences(text: str, start: int, end: int) -> list[Span]:
    out = []
    for m in _SENTENCE.finditer(text, start, end):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        if e > s:
            out.append(Span(s, e))
    return out


def _paragraphs(body: str) -> list[Span]:
    """Paragraphs by line, but a line that does not end a sentence runs on into the next
    (some reports break sentences across lines), as ``scoq.anchor.paragraph`` has it."""
    out, pos = [], 0
    for line in body.split("\n"):
        if line.strip():
            span = Span(pos + len(line) - len(line.lstrip()), pos + len(line.rstrip()))
            prev = body[out[-1].start:out[-1].end] if out else ""
            if prev and prev[-1] not in anchor._SENTENCE_END and body[out[-1].end:span.start].count("\n") == 1:
                out[-1] = Span(out[-1].start, span.end)
            else:
                out.append(span)
        pos += len(line) + 1
    return out


def _quotes(text: str, para: Span) -> list[Span]:
    """Quoted passages in a paragraph, the marks included; an unclosed one runs to its end."""
    return [Span(start, end) for start, end, _ in anchor.quotations(text, para.start, para.end)]


def _trim(text: str, start: int, end: int) -> Span:
    """Strip white space, quotation marks, and the punctuation that ends a sentence or
    leads into an attribution (", he said"), so that the span is the words said."""
    while start < end and (text[start].isspace() or text[start] in '"\u201c\u201d,:;'):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in '"\u201c\u201d,.:;'):
        end -= 1
    return Span(start, end)


def _n_words(text: str, span: Span) -> int:
    return len(span.words(text).split())


class _Reader:
    def __init__(self, text: str, body: str, names: Names):
        self.text = text
        self.body = body
        self.names = names
        self.mentions: list[tuple[int, str | None, str]] = []  # (offset, id, name): people named
        for m in names.find(body, 0, len(body)):
            sid, is_person = names.entries[m[0]]
            if is_person:
                self.mentions.append((m.start(), sid, m[0]))

    def roles(self, statements: list[Statement]) -> dict[str, Span]:
        """Each speaker's title as the article words it: the words before the name when
        they include a title ("Police Chief Ana Ruiz"), else an apposition after it
        ("Liu Haitao, deputy director of ..."). Names at an attribution come first."""
        speakers = {st.speaker.id for st in statements if st.speaker.id}
        sources = {st.speaker.source.start for st in statements if st.speaker.source}
        found: dict[str, Span] = {}
        mentions = self.names.find(self.body, 0, len(self.body))
        for m in sorted(mentions, key=lambda m: (m.start() not in sources, m.start())):
            sid, is_person = self.names.entries[m[0]]
            if not is_person or sid not in speakers or sid in found:
                continue
            line_start = self.body.rfind("\n", 0, m.start()) + 1
            run = _TITLE_RUN.search(self.body, line_start, m.start())
            if run and set(run[1].lower().split()) & _TITLE_WORDS:
                lead = re.match(r"(?:(?:and|of|for|the|The)\s+)*", run[1]).end()
                role = _trim(self.body, run.start(1) + lead, run.end(1))
                if role.end > role.start:
                    found[sid] = role
                    continue
            app = _APPOSITION.match(self.body, m.end())
            if app:
                found[sid] = Span(app.start(1), app.end(1))
        return found

    def last_person_before(self, offset: int) -> tuple[str | None, str | None]:
        before = [(sid, name) for at, sid, name in self.mentions if at < offset]
        return before[-1] if before else (None, None)

    def speaker_in(self, start: int, end: int, anchor_at: int) -> Speaker:
        """The speaker named in ``[start, end)``, nearest to ``anchor_at``: a registry name,
        else he/she (the last person named), else capitalized words (not in the registry)."""
        def dist(m):
            return min(abs(m.start() - anchor_at), abs(m.end() - anchor_at))

        named = self.names.find(self.body, start, end)
        if named:
            m = min(named, key=dist)
            return Speaker(self.names.entries[m[0]][0], Span(*m.span()), self.body[m.start():m.end()])
        pron = list(_PRONOUN.finditer(self.body, start, end))
        if pron:
            m = min(pron, key=dist)
            sid, name = self.last_person_before(m.start())
            return Speaker(sid, Span(*m.span()), name)
        # "a senior official said": the words describe the speaker without naming one.
        if start <= anchor_at <= end:
            desc = re.search(r"(?<!\w)[Aa]n?\s+[^,.;:\"\u201c\u201d\n]{1,80}?(?=\s*\Z)", self.body[start:anchor_at])
            if desc:
                return Speaker(None, Span(start + desc.start(), start + desc.end()), desc[0])
        they = list(re.finditer(r"(?<!\w)(?:they|They)(?!\w)", self.body[start:end]))
        if they:
            m = min(they, key=lambda m: abs(start + m.start() - anchor_at))
            return Speaker(None, Span(start + m.start(), start + m.end()), m[0])
        caps = [m for m in _CAPITALIZED.finditer(self.body, start, end)
                if not _VERB_I.fullmatch(m[0]) and m[0] not in _NOT_NAMES and not _DATE.search(m[0])]
        if caps:
            m = min(caps, key=dist)
            return Speaker(None, Span(*m.span()), m[0])
        return Speaker(None, None)

    def date_in(self, start: int, end: int, published: dates.Span | None, content: Span,
                cue: Span | None = None) -> Span | None:
        """Words giving a date at the attribution (not inside what was said), if they
        resolve against the publication date."""
        for m in _DATE.finditer(self.body, start, end):
            if published is None:
                return None
            if m.start() < content.end and content.start < m.end():
                continue
            if cue is not None and self.body[cue.end:m.start()].strip():
                continue  # only "said on Friday": a date elsewhere may be an event's
            try:
                dates.resolve(m[0], published)
            except (dates.Unresolvable, dates.DateError):
                continue  # words it cannot resolve, or an impossible date ("June 40")
            return Span(*m.span())
        return None

    def statements(self, published) -> list[Statement]:
        body = self.body
        found: list[Statement] = []
        for para in _paragraphs(body):
            sentences = _sentences(body, para.start, para.end)
            used_cues: set[int] = set()
            unattributed: list[Statement] = []
            quotes = [q for q in _quotes(body, para) if _n_words(body, _trim(body, q.start, q.end)) >= _QUOTE_MIN_WORDS]
            for q in quotes:
                # The attribution follows the quote up to the end of its sentence, else it
                # precedes the quote from the start of the sentence the quote opens in.
                after_end = next((s.end for s in sentences if s.start <= q.end <= s.end), para.end)
                before_start = next((s.start for s in sentences if s.start <= q.start < s.end), para.start)
                window = None
                for lo, hi in ((q.end, after_end), (before_start, q.start)):
                    v = _VERB.search(body, lo, hi)
                    if v:
                        window = (lo, hi, v)
                        break
                content = _trim(body, q.start, q.end)
                if window is None:
                    unattributed.append(Statement("direct", content, None, Speaker(None, None)))
                    continue
                lo, hi, v = window
                used_cues.add(v.start())
                sp = self.speaker_in(lo, hi, v.start())
                found.append(Statement("direct", content, Span(*v.span()), sp,
                                       self.date_in(lo, hi, published, content, Span(*v.span()))))
            for s in sentences:
                done = s.start  # a second verb after a statement may start another ("..., adding that")
                for v in _VERB_I.finditer(body, s.start, s.end):
                    if v.start() < done or v.start() in used_cues or any(q.start <= v.start() < q.end for q in quotes):
                        continue
                    st = self._indirect(Span(done, s.end), v, quotes, published)
                    same = next((o for o in reversed(found) if o.cue and s.start <= o.cue.start < s.end), None)
                    if st and st.speaker.source is None and same is not None:
                        st.speaker = same.speaker  # "Liao said, adding that ...": the same speaker
                    if st:
                        found.append(st)
                        done = max(st.content.end, v.end())
            for st in unattributed:
                # A quotation with no attribution of its own goes on from the statement
                # before it in the paragraph ('..., he said. "I believe ..."').
                prev = [o for o in found if para.start <= o.content.start < st.content.start and o.cue]
                if prev:
                    last = max(prev, key=lambda o: o.content.start)
                    st.cue, st.speaker = last.cue, last.speaker
                found.append(st)
        # Two statements on the same words would be an error: keep the first (a quotation's).
        unique = {}
        for st in found:
            unique.setdefault((st.content.start, st.content.end), st)
        return sorted(unique.values(), key=lambda st: st.content.start)

    def _before(self, s: Span, v: re.Match):
        """"CONTENT, SOURCE said." or "CONTENT, said SOURCE, ROLE.": content and where the source is."""
        body = self.body
        comma = body.rfind(",", s.start, v.start())
        if comma <= s.start or len(body[comma + 1:v.start()].split()) > 8:
            return None
        if body[comma + 1:v.start()].strip():
            return _trim(body, s.start, comma), (comma + 1, v.start())
        # "..., said Liao Jinrong, director of ...": the name follows the verb.
        name = re.match(r"\s+[A-Z][^,.;:]*", body[v.end():s.end])
        src = (v.end(), v.end() + name.end()) if name else (v.end(), v.end())
        return _trim(body, s.start, comma), src

    def _after(self, s: Span, v: re.Match):
        """"SOURCE said (on Friday) (that) CONTENT.": content and where the source is."""
        body = self.body
        rest = v.end()
        d = _DATE.match(body, rest + (len(body[rest:]) - len(body[rest:].lstrip())))
        if d:
            rest = d.end()
        m = re.match(r"\s*(?:,\s*)?(?:that\s+)?", body[rest:s.end])
        comma = body.rfind(",", s.start, v.start())
        return _trim(body, rest + m.end(), s.end), (comma + 1 if comma >= 0 else s.start, v.start())

    def _indirect(self, s: Span, v: re.Match, quotes: list[Span], published) -> Statement | None:
        body = self.body
        verb = v[0].lower()
        if verb == "according to":
            comma = body.rfind(",", s.start, v.start())
            if comma > s.start:  # "CONTENT, according to SOURCE."
                content, src = _trim(body, s.start, comma), (v.end(), s.end)
            else:  # "According to SOURCE, CONTENT."
                comma = body.find(",", v.end(), s.end)
                if comma < 0:
                    return None
                content, src = _trim(body, comma + 1, s.end), (v.end(), comma)
        else:
            after = self._after(s, v)
            before = self._before(s, v)
            # "said that ..." reads forward; "..., Liao said." backward; else whichever has words.
            if re.match(r"\s*(?:,\s*)?that\s", body[v.end():s.end]) or before is None:
                order = (after, before)
            else:
                order = (before, after)
            chosen = next((o for o in order if o and _n_words(body, o[0]) >= _QUOTE_MIN_WORDS), None)
            if chosen is None:
                return None
            content, src = chosen
        if _n_words(body, content) < _QUOTE_MIN_WORDS:
            return None
        inner = [q for q in quotes if content.start <= q.start and q.end <= content.end + 1]
        kind = "mixed" if inner and any(_n_words(body, _trim(body, q.start, q.end)) >= _QUOTE_MIN_WORDS for q in inner) else "indirect"
        sp = self.speaker_in(src[0], src[1], v.start())
        return Statement(kind, content, Span(*v.span()), sp,
                         self.date_in(s.start, s.end, published, content, Span(*v.span())))


# --- Figures -------------------------------------------------------------------------

_STOP = {"a", "an", "the", "and", "or", "but", "were", "was", "is", "are", "had", "have", "has", "be", "been",
         "will", "would", "to", "in", "on", "at", "for", "by", "with", "from", "since", "as", "that", "this",
         "who", "which", "while", "after", "before", "last", "per", "than", "its", "their"}


def _read_figures(text: str, body: str, statements: list[Statement]) -> list[Figure]:
    dated = [m.span() for m in _DATE.finditer(body)]
    # A number in a short quoted phrase names something ("three evil forces"); it counts nothing.
    dated += [(q.start, q.end) for para in _paragraphs(body) for q in _quotes(body, para)
              if _n_words(body, _trim(body, q.start, q.end)) < _QUOTE_MIN_WORDS]
    out = []
    for m in figures._QUANTITY.finditer(body):
        if any(s <= m.start() and m.end() <= e for s, e in dated):
            continue
        if re.match(r"(?:st|nd|rd|th)\b", body[m.end():]):
            continue  # an ordinal: "the 10th meeting"
        if m["num"] and re.fullmatch(r"one|a hundred|a thousand|a dozen", m["num"], re.I) and not m["scale"]:
            continue  # "one of the", "a hundred" as a manner of speaking: too often not a count
        q = figures.read(m[0])
        # What it counts: the words after the quantity, up to punctuation or a function word.
        words = []
        pos = m.end()
        for w in re.finditer(r"\s*(?:of\s+)?([\w-]+)", body[pos:]):
            word = w[1]
            if word.lower() in _STOP or not word[0].isalpha() or len(words) >= 3:
                break
            words.append(word)
            pos = m.end() + w.end()
            if body[pos:pos + 1] in ",.;:":
                break
        if not words and not q.unit:
            continue
        phrase = Span(m.start(), pos)
        counts = " ".join(words) or None
        unit = q.unit or (words[0] if words else None)
        reporter = next((st.speaker.id for st in statements
                         if st.content.start <= phrase.start and phrase.end <= st.content.end), None)
        out.append(Figure(phrase, q, unit, counts, reporter))
    return out


# --- The draft -----------------------------------------------------------------------

def draft(article_id: str, text: str, published: str | None, registry=None) -> Draft:
    """Candidate statements and figures for ``text``, each with its offsets."""
    pub = dates.parse(published) if published else None
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    title = None
    body = text
    # A headline is short and has no full stop at its end; a long first line is a caption.
    if first is not None and not lines[first].rstrip().endswith((".", '"', "”", "]")) \
            and len(lines[first].split()) <= 20:
        start = sum(len(line) + 1 for line in lines[:first])
        title = _trim(text, start, start + len(lines[first].rstrip()))
        if any(ch.isalnum() for ch in title.words(text)):
            body = text[:title.start] + " " * (title.end - title.start) + text[title.end:]
        else:
            title = None
    d = Draft(article_id, text, published or "", title)
    if title:
        d.furniture.append(("title", title))
    for m in _DATELINE.finditer(body):
        span = _trim(body, m.start(), m.end())
        d.furniture.append(("dateline", Span(span.start, m.end())))
        body = body[:m.start()] + " " * (m.end() - m.start()) + body[m.end():]
    reader = _Reader(text, body, Names(registry))
    d.statements = reader.statements(pub)
    d.roles = reader.roles(d.statements)
    d.figures = _read_figures(text, body, d.statements)
    return d


def _selector(text: str, span: Span) -> dict:
    """A quote selector that finds exactly ``span``: the exact words, with as many words
    before them as it takes to tell them apart from their other occurrences."""
    exact = " ".join(text[span.start:span.end].split())
    hits = anchor.find_all(text, exact)
    if len(hits) <= 1:
        return {"exact": exact}
    before = text[:span.start].split()
    for n in range(1, min(len(before), 12) + 1):
        prefix = " ".join(before[-n:])
        sel = anchor.Quote(exact, prefix)
        try:
            if anchor.locate(text, sel) == (span.start, span.end):
                return {"exact": exact, "prefix": prefix}
        except anchor.AnchorError:
            continue
    after = text[span.end:].split()
    for n in range(1, min(len(after), 12) + 1):
        suffix = " ".join(after[:n])
        try:
            if anchor.locate(text, anchor.Quote(exact, None, suffix)) == (span.start, span.end):
                return {"exact": exact, "suffix": suffix}
        except anchor.AnchorError:
            continue
    return {"exact": exact}


_PLAIN = re.compile(r"^[A-Za-z\u00c0-\uffff][^:#\n\"'\[\]{},&*!|>%@`]*$")
_RESERVED = {"null", "true", "false", "yes", "no", "on", "off", "y", "n", "~"}


def _scalar(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return f"{value:g}" if isinstance(value, float) else str(value)
    s = str(value)
    if _PLAIN.match(s) and s == s.strip() and s.lower() not in _RESERVED and not dates.is_edtf(s):
        return s
    return json.dumps(s, ensure_ascii=False)


def _quote_lines(key: str, sel: dict, indent: str) -> list[str]:
    if set(sel) == {"exact"}:
        return [f"{indent}{key}: {_scalar(sel['exact'])}"]
    out = [f"{indent}{key}:"]
    for k in ("exact", "prefix", "suffix"):
        if k in sel:
            out.append(f"{indent}  {k}: {_scalar(sel[k])}")
    return out


def to_yaml(d: Draft) -> str:
    """The draft as an annotation file, with ``# TODO`` where the curator must decide."""
    text = d.text
    pub = dates.parse(d.published) if d.published else None
    out = [
        f"# Draft annotations for {d.article_id}, made by scoq suggest from the text alone.",
        "# Check every entry against the article: delete what is not a statement or a figure,",
        "# fill in each TODO, then run: scoq coverage --strict, and scoq ingest.",
    ]
    if d.title:
        out += _quote_lines("title", _selector(text, d.title), "")
    out += ["outlet: null  # TODO: the outlet's id in registry.yaml (organizations), or null if unknown",
            f"published: {d.published}" if d.published else "published: null  # TODO: EDTF date"]
    todo = "  # TODO: add bylines, captions, credits: what is on the page but not the report"
    out.append(("furniture:" if d.furniture else "furniture: []") + todo)
    for kind, span in d.furniture:
        out += [f"  - kind: {kind}"] + _quote_lines("quote", _selector(text, span), "    ")
    if d.roles:
        out.append("roles:  # each speaker's title as this article words it")
        for sid, span in d.roles.items():
            out.append(f"  {sid}: {_scalar(' '.join(span.words(text).split()))}")
    out.append("statements:" if d.statements else "statements: []")
    for i, st in enumerate(d.statements, 1):
        out.append(f"  - id: {d.article_id}-s{i:02d}")
        if st.speaker.id:
            out.append(f"    speaker: {st.speaker.id}")
        else:
            who = f"'{' '.join(st.speaker.name.split())}'" if st.speaker.name else "nobody is named at the attribution"
            out.append(f"    speaker:  # TODO: the speaker's id in registry.yaml ({who})")
        out.append(f"    type: {st.type}")
        out += _quote_lines("quote", _selector(text, st.content), "    ")
        if st.cue:
            out.append(f"    cue: {_scalar(' '.join(st.cue.words(text).split()))}")
        else:
            out.append("    cue:  # TODO: the attribution words (said, told...); none found near the quote")
        if st.speaker.source:
            out.append(f"    source: {_scalar(' '.join(st.speaker.source.words(text).split()))}")
        if st.said:
            words = " ".join(st.said.words(text).split())
            resolved = dates.resolve(words, pub).edtf if pub else None
            out.append(f"    said: {_scalar(words)}" + (f"  # {resolved}" if resolved else ""))
    out.append("figures:" if d.figures else "figures: []")
    for i, f in enumerate(d.figures, 1):
        q = f.quantity
        out.append(f"  - id: {d.article_id}-f{i:02d}")
        out += _quote_lines("quote", _selector(text, f.phrase), "    ")
        if q.value is not None:
            out.append(f"    value: {_scalar(q.value)}")
        out.append(f"    qualifier: {_scalar(q.qualifier)}")
        out.append(f"    unit: {_scalar(f.unit)}" if f.unit else "    unit:  # TODO")
        out.append(f"    counts: {_scalar(f.counts)}" if f.counts else "    counts:  # TODO: what is counted")
        out.append(f"    reporter: {f.reporter}" if f.reporter else
                   "    reporter: null  # the report's own voice, or TODO: the speaker who gave it")
    return "\n".join(out) + "\n"
