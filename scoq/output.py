"""One output layer for every command: rich tables for people, plain formats for pipes.

On a terminal the default is a table; otherwise TSV with a header row. Machine formats
(json, jsonl, csv, tsv) carry every field under its stable name, ids and offsets
included, with no colour and no decoration. rich is imported only to draw a table.
"""

from __future__ import annotations

import os
import sys
from typing import IO, Iterable

FORMATS = ("table", "json", "jsonl", "csv", "tsv")


class Column:
    """A table column: the fields it shows, its header and its style.

    A plain class, not a dataclass, so that a piped query need not import dataclasses;
    like a frozen one, it is not changed once made."""

    __slots__ = ("header", "fields", "style", "secondary", "no_wrap", "max_width", "flex", "marks", "drop")

    def __init__(
        self,
        header: str,
        fields: tuple[str, ...],
        style: str = "",
        secondary: str = "dim",  # style of the second and later fields in the cell
        no_wrap: bool = False,
        max_width: int | None = None,  # cap, so that the flexible column keeps its room
        flex: bool = False,  # takes the width the others leave (the long text)
        marks: str | None = None,  # a row key holding (start, end) spans of the first field to emphasize
        drop: int = 0,  # on a narrow terminal, columns with the highest drop go first; 0 stays
    ):
        set_ = object.__setattr__
        for name, value in zip(self.__slots__, (header, fields, style, secondary, no_wrap, max_width, flex,
                                                  marks, drop)):
            set_(self, name, value)

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r}")

    def _values(self) -> tuple:
        return tuple(getattr(self, k) for k in self.__slots__)

    def __eq__(self, other):
        return self._values() == other._values() if type(other) is Column else NotImplemented

    def __hash__(self):
        return hash(self._values())

    def __repr__(self) -> str:
        return "Column(" + ", ".join(f"{k}={getattr(self, k)!r}" for k in self.__slots__) + ")"


#: The table view of each kind of row; machine formats show every field instead.
VIEWS: dict[str, tuple[Column, ...]] = {
    "statements": (
        Column("Said", ("said", "said_as_written", "type"), "bold", max_width=16),
        Column("Speaker", ("speaker", "role"), "cyan", max_width=24),
        Column("Event", ("event_id",), "magenta", max_width=24, drop=1),
        Column("Statement", ("text", "claim_id"), "", flex=True),
        Column("Article", ("article_id", "outlet", "published"), "green", no_wrap=True, max_width=20),
    ),
    "figures": (
        Column("Figure", ("quantity", "unit"), "bold yellow", max_width=16),
        Column("Value", ("value",), "bold", no_wrap=True),
        Column("Qualifier", ("qualifier",)),
        Column("Counts", ("counts", "action"), "", flex=True),
        Column("Period / as of", ("period", "period_as_written", "as_of", "as_of_as_written"), max_width=21),
        Column("Event", ("event_id",), "magenta", no_wrap=True, drop=2),
        Column("Reported by", ("reporter", "outlet"), "cyan", max_width=24),
    ),
    # Listings and search views.
    "search": (
        Column("Hit", ("id", "kind"), "bold", no_wrap=True),
        Column("Speaker", ("speaker", "said"), "cyan", max_width=22),
        Column("Event", ("event_id",), "magenta", no_wrap=True, drop=2),
        Column("Text", ("snippet",), "", flex=True, marks="marks"),
        Column("Article", ("article_id",), "green", no_wrap=True),
    ),
    "articles": (
        Column("Article", ("article_id",), "green", no_wrap=True),
        Column("Published", ("published", "published_precision"), "bold", no_wrap=True),
        Column("Title / outlet", ("title", "outlet", "url"), "", flex=True),
        Column("Statements", ("statements",), no_wrap=True),
        Column("Figures", ("figures",), no_wrap=True),
    ),
    "events": (
        Column("Event", ("event_id", "name"), "magenta", flex=True),
        Column("Date", ("date", "date_precision"), "bold", no_wrap=True),
        Column("Kind", ("kind",), max_width=16),
        Column("Place", ("place",), "cyan", max_width=20),
        Column("Statements", ("statements",), no_wrap=True),
        Column("Figures", ("figures",), no_wrap=True),
        Column("Articles", ("articles",), no_wrap=True),
    ),
    "people": (
        Column("Speaker", ("name", "speaker_id"), "cyan", flex=True),
        Column("Kind", ("kind",), no_wrap=True),
        Column("Roles", ("roles",), "", flex=True),
        Column("Statements", ("statements",), "bold", no_wrap=True),
        Column("Articles", ("articles",), no_wrap=True),
        Column("First", ("first_said",), no_wrap=True),
        Column("Last", ("last_said",), no_wrap=True),
    ),
    "timeline": (
        Column("Date", ("date", "precision"), "bold", no_wrap=True),
        Column("Kind", ("kind", "id"), no_wrap=True),
        Column("What", ("what",), "", flex=True),
        Column("Who", ("who",), "cyan", max_width=24),
        Column("Event", ("event_id",), "magenta", no_wrap=True, drop=2),
        Column("Article", ("article_id",), "green", no_wrap=True, drop=1),
    ),
    # (end of listings views)

    # Claims, conflicts and export views.
    "claims": (
        Column("Claim", ("claim_id",), "bold", no_wrap=True),
        Column("Summary", ("summary",), "", flex=True),
        Column("Statements", ("statements",), "bold"),
        Column("Articles", ("articles",)),
        Column("Outlets", ("outlet_names",), "green", max_width=24),
    ),
    "claim": (
        Column("Outlet", ("outlet", "article_id", "published"), "green", no_wrap=True, max_width=22),
        Column("Speaker", ("speaker", "role"), "cyan", max_width=26),
        Column("Type", ("type", "cue"), max_width=10),
        Column("Statement", ("text", "statement_id"), "", flex=True),
    ),
    "titles": (
        Column("Speaker", ("speaker",), "cyan", max_width=22),
        Column("Title as worded", ("role",), "bold", flex=True),
        Column("Outlet", ("outlet",), "green", max_width=26),
        Column("Article", ("article_id", "published"), no_wrap=True),
        Column("Statements", ("statements",)),
        Column("Start", ("start",), "dim", no_wrap=True, drop=1),
        Column("End", ("end",), "dim", no_wrap=True, drop=1),
    ),
    "conflicts": (
        Column("Topic", ("topic", "kind"), "bold", max_width=30),
        Column("Figure", ("quantity", "qualifier"), "bold yellow", max_width=16),
        Column("Value", ("value",), "bold", no_wrap=True),
        Column("Date", ("date", "date_basis"), no_wrap=True),
        Column("Reported by", ("reporter", "outlet", "article_id"), "cyan", no_wrap=True, max_width=24),
        Column("Text", ("text", "figure_id"), "", flex=True),
    ),
    # (end of claims, conflicts and export views)

    # Curation views.
    "problems": (
        Column("File", ("file",), "cyan", max_width=40),
        Column("Line", ("line",), no_wrap=True),
        Column("Col", ("col",), no_wrap=True),
        Column("Problem", ("message",), "", flex=True),
    ),
    "verify": (
        Column("Article", ("article_id",), "green", max_width=22),
        Column("Status", ("status", "kind"), "bold red", max_width=12),
        Column("Annotation", ("id", "text"), "cyan", max_width=30),
        Column("Offsets", ("start", "end"), no_wrap=True),
        Column("Now", ("new_start", "new_end"), no_wrap=True),
        Column("Why", ("reason",), "", flex=True),
    ),
    # (end of curation views)

    # Curation aid views.
    "gaps": (
        Column("Article", ("article_id",), "green", max_width=20),
        Column("Line", ("line",), "bold", no_wrap=True),
        Column("Col", ("col",), "dim", no_wrap=True),
        Column("Kind", ("kind",), "magenta", no_wrap=True),
        Column("Gap", ("text",), "bold reverse yellow", max_width=24),
        Column("In context", ("context",), "", flex=True),
    ),
    "coverage": (
        Column("Article", ("article_id",), "green", flex=True),
        Column("Candidates", ("candidates",), no_wrap=True),
        Column("Covered", ("covered",), no_wrap=True),
        Column("Gaps", ("gaps",), "bold", no_wrap=True),
        Column("%", ("percent",), "bold", no_wrap=True),
    ),
    # (end of curation aid views)

    # Raw access views.
    # (end of raw access views)
}


def choose_format(requested: str | None, terminal: bool | None = None) -> str:
    """The format asked for, else a table on a terminal and TSV in a pipe."""
    if requested:
        return requested
    return "table" if is_terminal(terminal) else "tsv"


def is_terminal(override: bool | None = None, stream: IO | None = None) -> bool:
    """Whether to draw for a person. ``SCOQ_TERMINAL=1`` (or ``0``) overrides the check,
    for tests and for piping a table into ``less -R``."""
    if override is not None:
        return override
    forced = os.environ.get("SCOQ_TERMINAL")
    if forced in ("0", "1"):
        return forced == "1"
    stream = stream or sys.stdout
    return hasattr(stream, "isatty") and stream.isatty()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _tsv_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _tsv_line(row: dict, fields: list[str]) -> str:
    """One TSV line: the row's cells escaped all at once rather than cell by cell
    (a script may ask for thousands of rows)."""
    cells = [v if type(v) is str else _cell(v) for v in map(row.get, fields)]
    line = "\0".join(cells)
    if "\0" in line.replace("\0", "", len(cells) - 1):
        return "\t".join(map(_tsv_escape, cells)) + "\n"
    return _tsv_escape(line).replace("\0", "\t") + "\n"


#: Rows written out at a time in TSV: one write per batch, and never the whole answer
#: as one string.
_BATCH = 1000


def write(
    rows: Iterable[dict],
    fields: Iterable[str],
    view: str,
    fmt: str,
    out: IO | None = None,
    terminal: bool | None = None,
    title: str | None = None,
) -> int:
    """Write ``rows`` in ``fmt`` and return how many there were; ``fields`` fixes the keys
    and their order. ``view`` names a table view in VIEWS, or is the columns themselves
    (for rows whose fields vary). In every format but a table, ``rows`` may be an
    iterator: each row is written as it comes, so that memory stays flat however many
    there are; a table is measured whole before it is drawn."""
    out = out or sys.stdout
    fields = list(fields)
    n = 0
    if fmt == "json":
        import json

        # As json.dump(rows, indent=2) writes a list, a row at a time.
        for r in rows:
            item = json.dumps({k: r.get(k) for k in fields}, ensure_ascii=False, indent=2)
            out.write(("[\n" if not n else ",\n") + "  " + item.replace("\n", "\n  "))
            n += 1
        out.write("\n]\n" if n else "[]\n")
    elif fmt == "jsonl":
        import json

        for r in rows:
            out.write(json.dumps({k: r.get(k) for k in fields}, ensure_ascii=False) + "\n")
            n += 1
    elif fmt == "csv":
        import csv

        w = csv.writer(out, lineterminator="\n")
        w.writerow(fields)
        for r in rows:
            w.writerow([_cell(r.get(k)) for k in fields])
            n += 1
    elif fmt == "tsv":
        from itertools import islice

        out.write("\t".join(fields) + "\n")
        rows = iter(rows)
        while batch := [_tsv_line(r, fields) for r in islice(rows, _BATCH)]:
            out.write("".join(batch))
            n += len(batch)
    elif fmt == "table":
        rows = rows if isinstance(rows, list) else list(rows)
        # A view is named, or given as columns for a layout that depends on the data.
        _table(rows, VIEWS[view] if isinstance(view, str) else tuple(view), out, terminal, title)
        n = len(rows)
    else:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return n


def console(out: IO | None = None, terminal: bool | None = None, stderr: bool = False):
    """A rich Console for ``out`` that honours NO_COLOR and the terminal override."""
    from rich.console import Console

    stream = out or (sys.stderr if stderr else sys.stdout)
    tty = is_terminal(terminal, stream)
    return Console(
        file=stream,
        force_terminal=tty,
        no_color=bool(os.environ.get("NO_COLOR")) or not tty,
        highlight=False,
        soft_wrap=False,
        # A real terminal reports its width; otherwise $COLUMNS, else 120.
        width=None if getattr(stream, "isatty", lambda: False)() else int(os.environ.get("COLUMNS") or 120),
    )


def _table(rows, columns, out, terminal, title) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    cells = [[_text(r, col, Text) for col in columns] for r in rows]
    con = console(out, terminal)
    keep, widths = _fit(columns, cells, con.width)
    table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left")
    for i, width in zip(keep, widths):
        col = columns[i]
        table.add_column(col.header, width=width, no_wrap=col.no_wrap,
                         overflow="ellipsis" if col.no_wrap else "fold")
    cells = [[row[i] for i in keep] for row in cells]
    for row in cells:
        table.add_row(*row)
    con.print(table)


def _text(row: dict, col: Column, Text):
    text = Text()
    for i, part in enumerate(p for p in (_cell(row.get(k)) for k in col.fields) if p):
        if i:
            text.append("\n")
        # Data is wrapped in Text so that "[...]" in it is never read as markup.
        text.append(" ".join(part.split()), style=col.style if i == 0 else col.secondary)
        if i == 0 and col.marks:
            for start, end in row.get(col.marks) or ():
                text.stylize("bold yellow", start, end)
    return text


MIN_WIDTH = 10  # a wrapped column is not squeezed narrower than this


def _fit(columns, cells, total: int) -> tuple[list[int], list[int]]:
    """The columns to show and their widths: on a terminal too narrow for all of them,
    the least needed columns are left out rather than folded into slivers."""
    keep = list(range(len(columns)))
    while True:
        widths = _widths([columns[i] for i in keep], [[row[i] for i in keep] for row in cells], total)
        if widths is not None:
            return keep, widths[0]
        droppable = [i for i in keep if columns[i].drop]
        if not droppable:
            return keep, _widths([columns[i] for i in keep], [[row[i] for i in keep] for row in cells],
                                 total, force=True)[0]
        keep.remove(max(droppable, key=lambda i: (columns[i].drop, i)))


def _widths(columns, cells, total: int, force: bool = False):
    """Each column as wide as its longest line up to its cap; the flexible column gets
    what is left, so the long text is not squeezed to a sliver. None when the columns
    do not fit (unless ``force``), so that the caller can leave one out."""
    from rich.cells import cell_len

    natural = []
    for i, col in enumerate(columns):
        lines = [line for row in cells for line in row[i].plain.split("\n")]
        longest = max([cell_len(col.header)] + [cell_len(line) for line in lines])
        natural.append(min(longest, col.max_width or longest))
    # Each column has one space of padding on either side and one separator.
    budget = total - 3 * len(columns) - 1
    flex = [i for i, c in enumerate(columns) if c.flex]
    # The long text is given up to a third of the width before the others wrap.
    flex_min = min(max(24, budget // 3), sum(natural[i] for i in flex)) if flex else 0
    shrinkable = [i for i, c in enumerate(columns) if not c.flex and not c.no_wrap]
    while sum(w for i, w in enumerate(natural) if i not in flex) + flex_min > budget:
        widest = max(shrinkable, key=lambda i: natural[i], default=None)
        if widest is None or natural[widest] <= MIN_WIDTH:
            if not force:
                return None
            break
        natural[widest] -= 1
    spare = budget - sum(w for i, w in enumerate(natural) if i not in flex)
    for i in flex:
        natural[i] = max(min(natural[i], spare // len(flex)), 8)
    return (natural,)


#: Speakers' colours in the marked-up text, in order of first appearance.
SPEAKER_COLOURS = ("cyan", "magenta", "green", "yellow", "blue", "red",
                   "bright_cyan", "bright_magenta", "bright_green", "bright_blue")


def write_article(article: dict, spans: list[dict], span_fields, fmt: str,
                  out: IO | None = None, terminal: bool | None = None) -> None:
    """One article and its annotated spans: on a terminal (``table``) the text marked up
    with a legend, in ``json`` one object with metadata, text and spans, otherwise the
    spans as rows."""
    out = out or sys.stdout
    if fmt == "table":
        _marked(article, spans, out, terminal)
    elif fmt == "json":
        import json

        doc = dict(article)
        doc["spans"] = [{k: s.get(k) for k in span_fields} for s in spans]
        json.dump(doc, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        write(spans, span_fields, "", fmt, out, terminal)


def _marked(article: dict, spans: list[dict], out, terminal) -> None:
    """The article's text with each statement in its speaker's colour, figures bold,
    page furniture dim, source and cue underlined, and each statement's and figure's
    id as a tag after it; then a legend of speakers with their counts."""
    from rich.text import Text

    text = article["text"]
    colours: dict[str, str] = {}
    counts: dict[str, list] = {}
    for s in spans:
        if s["kind"] in ("statement", "figure") and s["speaker_id"]:
            colours.setdefault(s["speaker_id"], SPEAKER_COLOURS[len(colours) % len(SPEAKER_COLOURS)])
            entry = counts.setdefault(s["speaker_id"], [s["speaker"], 0, 0])
            entry[1 if s["kind"] == "statement" else 2] += 1

    body = Text(text)
    tags: dict[int, list] = {}
    for s in spans:
        colour = colours.get(s["speaker_id"] or "", "")
        style = {"title": "dim", "furniture": "dim", "statement": colour, "source": f"underline {colour}",
                 "cue": f"underline {colour}", "role": "italic", "date": "italic", "figure": "bold",
                 "quantity": "bold"}[s["kind"]]
        if style.strip():
            body.stylize(style.strip(), s["start"], s["end"])
        if s["kind"] in ("statement", "figure"):
            tag_style = f"dim {colour}".strip() if s["kind"] == "statement" else "dim bold"
            tags.setdefault(s["end"], []).append(Text(f"[{s['id']}]", style=tag_style))

    marked = Text()
    offsets = sorted(o for o in tags if 0 < o < len(text))
    pieces = body.divide(offsets)
    for piece, end in zip(pieces, offsets + [len(text)]):
        marked.append_text(piece)
        for tag in tags.get(end, []):
            marked.append_text(tag)

    con = console(out, terminal)
    head = Text(article.get("title") or article["article_id"], style="bold")
    details = [article["article_id"], article.get("outlet"), article.get("published"), article.get("url")]
    head.append("\n" + " · ".join(d for d in details if d), style="dim")
    con.print(head)
    con.print()
    marked.rstrip()
    con.print(marked)
    con.print()
    legend = Text()
    for speaker_id, (name, n_statements, n_figures) in counts.items():
        legend.append("■ ", style=colours[speaker_id])
        legend.append(name, style=f"bold {colours[speaker_id]}")
        what = [f"{n} {noun}{'' if n == 1 else 's'}" for n, noun in
                ((n_statements, "statement"), (n_figures, "figure")) if n]
        legend.append(f" ({speaker_id}): {', '.join(what)}\n")
    own = sum(1 for s in spans if s["kind"] == "figure" and not s["speaker_id"])
    if own:
        legend.append(f"the report's own voice: {own} figure{'' if own == 1 else 's'}\n")
    n_furniture = sum(1 for s in spans if s["kind"] == "furniture")
    legend.append("bold", style="bold")
    legend.append(": a figure  ")
    legend.append("underlined", style="underline")
    legend.append(": source and cue  ")
    legend.append("dim", style="dim")
    legend.append(f": page furniture ({n_furniture} span{'' if n_furniture == 1 else 's'}), never an answer")
    con.print(legend)
