"""One output layer for every command: rich tables for people, plain formats for pipes.

On a terminal the default is a table; otherwise TSV with a header row. Machine formats
(json, jsonl, csv, tsv) carry every field under its stable name, ids and offsets
included, with no colour and no decoration. rich is imported only to draw a table.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import IO, Iterable

FORMATS = ("table", "json", "jsonl", "csv", "tsv")


@dataclass(frozen=True)
class Column:
    """A table column: the fields it shows, its header and its style."""

    header: str
    fields: tuple[str, ...]
    style: str = ""
    secondary: str = "dim"  # style of the second and later fields in the cell
    no_wrap: bool = False
    max_width: int | None = None  # cap, so that the flexible column keeps its room
    flex: bool = False  # takes the width the others leave (the long text)


#: The table view of each kind of row; machine formats show every field instead.
VIEWS: dict[str, tuple[Column, ...]] = {
    "statements": (
        Column("Said", ("said",), "bold", no_wrap=True),
        Column("Speaker", ("speaker", "role"), "cyan", max_width=24),
        Column("Event", ("event_id",), "magenta", max_width=24),
        Column("Type", ("type", "cue"), max_width=12),
        Column("Statement", ("text", "claim_id"), "", flex=True),
        Column("Article", ("article_id", "outlet", "published"), "green", max_width=20),
    ),
    "speakers": (
        Column("Id", ("speaker_id",), "dim", max_width=26),
        Column("Name", ("name",), "cyan", flex=True),
        Column("Kind", ("kind",)),
        Column("Statements", ("statements",), "bold"),
        Column("Articles", ("articles",)),
        Column("First", ("first_said",), no_wrap=True),
        Column("Last", ("last_said",), no_wrap=True),
    ),
    "figures": (
        Column("Figure", ("quantity", "unit"), "bold yellow", max_width=16),
        Column("Value", ("value",), "bold", no_wrap=True),
        Column("Qualifier", ("qualifier",)),
        Column("Counts", ("counts", "action"), "", flex=True),
        Column("Period / as of", ("period", "as_of"), max_width=15),
        Column("Event", ("event_id",), "magenta", max_width=24),
        Column("Reported by", ("reporter", "outlet"), "cyan", max_width=24),
    ),
    # Listings and search views.
    # (end of listings views)

    # Claims, conflicts and export views.
    # (end of claims, conflicts and export views)

    # Curation views.
    # (end of curation views)

    # Curation aid views.
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


def write(
    rows: list[dict],
    fields: Iterable[str],
    view: str,
    fmt: str,
    out: IO | None = None,
    terminal: bool | None = None,
    title: str | None = None,
) -> None:
    """Write ``rows`` in ``fmt``; ``fields`` fixes the keys and their order."""
    out = out or sys.stdout
    fields = list(fields)
    if fmt == "json":
        import json

        json.dump([{k: r.get(k) for k in fields} for r in rows], out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "jsonl":
        import json

        for r in rows:
            out.write(json.dumps({k: r.get(k) for k in fields}, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        import csv

        w = csv.writer(out, lineterminator="\n")
        w.writerow(fields)
        for r in rows:
            w.writerow([_cell(r.get(k)) for k in fields])
    elif fmt == "tsv":
        out.write("\t".join(fields) + "\n")
        out.write("".join(_tsv_line(r, fields) for r in rows))
    elif fmt == "table":
        _table(rows, VIEWS[view], out, terminal, title)
    else:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


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
    widths = _widths(columns, cells, con.width)
    table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left")
    for col, width in zip(columns, widths):
        table.add_column(col.header, width=width, no_wrap=col.no_wrap,
                         overflow="ellipsis" if col.no_wrap else "fold")
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
    return text


def _widths(columns, cells, total: int) -> list[int]:
    """Each column as wide as its longest line up to its cap; the flexible column gets
    what is left, so the long text is not squeezed to a sliver."""
    from rich.cells import cell_len

    natural = []
    for i, col in enumerate(columns):
        lines = [line for row in cells for line in row[i].plain.split("\n")]
        longest = max([cell_len(col.header)] + [cell_len(line) for line in lines])
        natural.append(min(longest, col.max_width or longest))
    # Each column has one space of padding on either side and one separator.
    budget = total - 3 * len(columns) - 1
    flex = [i for i, c in enumerate(columns) if c.flex]
    # The long text is given up to two fifths of the width before the others wrap.
    flex_min = min(max(24, budget * 2 // 5), sum(natural[i] for i in flex)) if flex else 0
    shrinkable = [i for i, c in enumerate(columns) if not c.flex and not c.no_wrap]
    while sum(w for i, w in enumerate(natural) if i not in flex) + flex_min > budget:
        widest = max(shrinkable, key=lambda i: natural[i], default=None)
        if widest is None or natural[widest] <= 8:
            break
        natural[widest] -= 1
    spare = budget - sum(w for i, w in enumerate(natural) if i not in flex)
    for i in flex:
        natural[i] = max(min(natural[i], spare // len(flex)), 8)
    return natural
