"""The command line: each command parses options, asks a query, hands rows to output.

Only click is imported at start-up; each command imports what it needs when it runs,
so that a query piped into another program never loads YAML, sqlite-utils or rich.
"""

from __future__ import annotations

import functools
import sys
from itertools import islice

import click

from scoq import __version__

EXIT_CODES = """\b
Exit codes:
  0  results
  1  nothing matched
  2  usage error, bad input, or no usable database"""


class Failure(click.ClickException):
    """An error message for stderr with its exit code."""

    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.exit_code = exit_code


# One type for every --db: click names a path type through gettext, which looks for
# translation files on disk each time it is asked.
_DB_PATH = click.Path(dir_okay=False)


def db_option(f):
    return click.option(
        "--db", "db_path", metavar="PATH", type=_DB_PATH,
        help="Database file. Default: $SCOQ_DB, else the per-user data directory "
             "(~/.local/share/scoq/scoq.db on Linux).",
    )(f)


def format_options(f):
    f = click.option(
        "--format", "-f", "fmt", type=click.Choice(["table", "json", "jsonl", "csv", "tsv"]),
        help="Output format. Default: table on a terminal, tsv in a pipe.",
    )(f)
    return f


def completer(kind: str):
    """A click ``shell_complete`` callback offering ``kind`` (speakers, events, articles)
    from the database; scoq.completion is imported only when a shell asks."""

    def complete(ctx, param, incomplete):
        from scoq import completion

        return completion.candidates(kind, ctx, incomplete)

    return complete


def limit_option(f=None, *, what: str = "rows (the first N in the order shown)", default: int | None = None):
    """``--limit/-n N``, the same on every listing; ``what`` says what is counted."""
    decorator = click.option("--limit", "-n", type=click.IntRange(min=1), metavar="N", default=default,
                             show_default=default is not None, help=f"At most N {what}.")
    return decorator(f) if f is not None else decorator


def filter_options(f):
    for decorator in reversed((
        click.option("--since", metavar="DATE", help="On or after DATE (2018, 2018-06 or 2018-06-08)."),
        click.option("--until", metavar="DATE", help="On or before DATE."),
        click.option("--meeting", "--event", "events", multiple=True, metavar="EVENT",
                     shell_complete=completer("events"),
                     help="Event by slug, name or words of it (frontier, 'qingdao summit'). Repeatable."),
        click.option("--article", "articles", multiple=True, metavar="ID", shell_complete=completer("articles"),
                     help="Article id, or the start of one (000). Repeatable."),
    )):
        f = decorator(f)
    return f


def handle_errors(f):
    """Turn the errors of queries and the database into messages and exit codes."""

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        from scoq import db, queries

        try:
            return f(*args, **kwargs)
        except db.DatabaseError as e:
            raise Failure(str(e), 2) from None
        except queries.BadFilter as e:
            raise Failure(str(e), 2) from None
        except queries.NotFound as e:
            hint = f"; did you mean: {', '.join(e.suggestions)}?" if e.suggestions else ""
            raise Failure(f"{e}{hint}", 1) from None
        except queries.Ambiguous as e:
            lines = [str(e) + ":"] + [f"  {c['id']}\t{c['name']} ({c['kind']})" for c in e.candidates]
            raise Failure("\n".join(lines), 2) from None

    return wrapper


#: The most rows drawn as a table when no --limit is given: a corpus of 100,000 articles
#: has a million-row timeline, which no one reads on a screen and rich takes minutes to lay out.
TABLE_ROWS = 1000


def emit(rows, fields, view, fmt, title=None, empty="nothing matched", limit=None):
    """Write rows; exit 1 (after writing the empty result) when there are none.
    ``rows`` may be an iterator, written as it comes in a machine format; ``title``,
    which only a table shows, may be a function of the rows. A table's title says when
    --limit, or TABLE_ROWS without one, cut the rows short, so its counts are not read
    as totals."""
    from scoq import output

    fmt = output.choose_format(fmt)
    if fmt == "table":
        rows = list(islice(rows, TABLE_ROWS + 1) if limit is None else rows)
        cut = limit is None and len(rows) > TABLE_ROWS
        rows = rows[:TABLE_ROWS] if cut else rows
        title = title(rows) if callable(title) else title
        if cut:
            title = (f"{title} " if title else "") + (
                f"(the first {TABLE_ROWS:,} rows: --limit N shows N, a pipe or --format tsv gives them all)")
        elif title and limit is not None and len(rows) >= limit:
            title = f"{title} (--limit {limit} reached)"
    if not output.write(rows, fields, view, fmt, title=title):
        click.echo(empty, err=True)
        sys.exit(1)


def problems_failure(problems, where: str) -> Failure:
    """Each problem on stderr as file:line:col, then the Failure that sums them up."""
    for p in problems:
        click.echo(str(p), err=True)
    return Failure(f"{_n(len(problems), 'problem')} {where}", 2)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def connect(db_path):
    from scoq import db

    return db.connect_readonly(db.location(db_path))


class SectionedGroup(click.Group):
    """A group whose --help lists its commands by purpose, as gh does."""

    SECTIONS = (
        ("Ask", ("who", "figures", "search", "claims", "titles", "conflicts", "timeline")),
        ("List", ("articles", "events", "meetings", "people")),
        ("Load and curate", ("ingest", "validate", "coverage", "suggest", "show", "verify", "schema")),
        ("Raw access", ("sql", "export", "completion")),
    )

    def format_commands(self, ctx, formatter):
        listed = set()
        for title, names in self.SECTIONS:
            rows = [(n, self.commands[n].get_short_help_str(90))
                    for n in names if n in self.commands and not self.commands[n].hidden]
            listed.update(names)
            if rows:
                with formatter.section(f"{title} commands"):
                    formatter.write_dl(rows)
        rest = [(n, c.get_short_help_str(90)) for n, c in sorted(self.commands.items())
                if n not in listed and not c.hidden]
        if rest:
            with formatter.section("Other commands"):
                formatter.write_dl(rest)


@click.group(
    cls=SectionedGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EXIT_CODES,
)
@click.version_option(__version__, "--version", prog_name="scoq")
def cli():
    """Ask a curated news corpus who said what, when, at which meeting, and with which figures.

    \b
    Start with:
      scoq ingest                      # load the shipped corpus (or: scoq ingest PATH)
      scoq who "Liao Jinrong"          # everything a person or body said
      scoq figures --meeting frontier  # every figure reported about an event
      scoq search '"border control"'   # statements and articles that say it
      scoq COMMAND --help              # each command's options and examples
    """


@cli.command(short_help="Check a corpus and load it into the database.", epilog=EXIT_CODES)
@click.argument("path", required=False, type=click.Path())
@db_option
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
def ingest(path, db_path, quiet):
    """Check a corpus and load it into the database, replacing what was there.

    PATH is a folder with registry.yaml and articles (NAME.txt) each with its
    annotations (NAME.yaml), or a file made by `scoq export` (.json or .jsonl);
    without PATH, the corpus that ships with scoq.
    Everything is checked first: on any problem, every problem is listed as
    file:line:col and the database is left exactly as it was.

    \b
    Examples:
      scoq ingest
      scoq ingest ~/my-corpus --db my.db
      scoq ingest corpus.json --db copy.db
    """
    from pathlib import Path

    from scoq import corpus, db, ingest as ingesting, output, workers
    from scoq.problems import InputError, display_path

    root = Path(path) if path else corpus.shipped()
    target = db.resolve_path(db_path)
    progress = None
    if not quiet and output.is_terminal(stream=sys.stderr):
        progress = _progress_bar()
    try:
        if root.is_file():
            counts = ingesting.run_export(root, target)
        else:
            counts = ingesting.run(root, target, progress)
    except db.DatabaseError as e:
        raise Failure(str(e), 2) from None
    except InputError as e:
        raise problems_failure(e.problems, f"in {display_path(root)}; the database was not changed.") from None
    except workers.WorkerDied as e:
        raise Failure(f"{e}; the database was not changed", 2) from None
    finally:
        if progress:
            progress.stop()
    if not quiet:
        summary = ", ".join(_n(counts[t], t[:-1]) for t in ("speakers", "events", "statements", "figures", "claims"))
        click.echo(f"Ingested {_n(counts['articles'], 'article')}: {summary} -> {target}", err=True)


def _progress_bar():
    """A rich progress bar on stderr, as a callable ``(total) -> tick``."""
    from rich.progress import Progress

    from scoq import output

    bar = Progress(console=output.console(stderr=True), transient=True)

    class Handle:
        task = None

        def __call__(self, total):
            # Called again when a corpus with a problem is checked a second time, for the full report.
            bar.start()
            if self.task is not None:
                bar.remove_task(self.task)
            task = self.task = bar.add_task("Checking articles", total=total)
            return lambda: bar.advance(task)

        def stop(self):
            bar.stop()

    return Handle()


@cli.command(short_help="Everything a person or body said, when and where.", epilog=EXIT_CODES)
@click.argument("name", required=False, shell_complete=completer("speakers"))
@filter_options
@click.option("--direct", is_flag=True, help="Direct quotations only.")
@click.option("--indirect", is_flag=True, help="Reported speech only.")
@click.option("--mixed", is_flag=True, help="Partly quoted only (combine the three flags as needed).")
@limit_option
@format_options
@db_option
@handle_errors
def who(name, since, until, events, articles, direct, indirect, mixed, limit, fmt, db_path):
    """Everything a person or body said: when, where, as which role, in which reports.

    NAME is matched against names and aliases, ignoring case and accents; part of a
    name will do ("liao"). Without NAME, every speaker with counts.

    \b
    Examples:
      scoq who "Liao Jinrong"
      scoq who liao --direct --format json
      scoq who zhao --meeting secretaries
      scoq who --since 2024
      scoq who liao --limit 3
    """
    from scoq import queries

    conn = connect(db_path)
    types = tuple(t for t, on in (("direct", direct), ("indirect", indirect), ("mixed", mixed)) if on)
    f = queries.Filters(since=since, until=until, events=events, articles=articles, types=types)
    if name is None and not (since or until or events or articles or types):
        from scoq import listings

        rows = listings.people(conn, "statements", limit)
        emit(rows, listings.PEOPLE_FIELDS, "people", fmt, title=_n(len(rows), "speaker"), limit=limit)
        return
    speaker = queries.resolve_speaker(conn, name) if name else None
    rows = queries.statements(conn, [speaker["id"]] if speaker else [], f, limit, lazy=True)

    def title(rows):
        n_articles = len({r["article_id"] for r in rows})
        return f"{speaker['name']}: {_n(len(rows), 'statement')} in {_n(n_articles, 'article')}" if speaker else None

    emit(rows, queries.STATEMENT_FIELDS, "statements", fmt, title=title, empty="no statements match", limit=limit)


@cli.command(short_help="Every number reported, with unit, qualifier and period.", epilog=EXIT_CODES)
@filter_options
@click.option("--speaker", "speakers", multiple=True, metavar="NAME", shell_complete=completer("speakers"),
              help="Reported by this speaker.")
@click.option("--unit", "units", multiple=True, metavar="UNIT", help="Unit: t, people, rounds, countries...")
@click.option("--about", metavar="TEXT", help="Words in what is counted, the action or the quoted text.")
@limit_option
@format_options
@db_option
@handle_errors
def figures(since, until, events, articles, speakers, units, about, limit, fmt, db_path):
    """Every number reported: value as written and normalized, qualifier, unit,
    what it counts, period or as-of date, event, who reported it, in which article.

    \b
    Examples:
      scoq figures --meeting frontier
      scoq figures --unit t
      scoq figures --about members --format csv
      scoq figures --speaker liao
      scoq figures --unit t --limit 1
    """
    from scoq import queries

    conn = connect(db_path)
    f = queries.Filters(since=since, until=until, events=events, articles=articles,
                        speakers=speakers, units=units, about=about)
    rows = queries.figures(conn, f, limit, lazy=True)
    emit(rows, queries.FIGURE_FIELDS, "figures", fmt, title=lambda rows: _n(len(rows), "figure"),
         empty="no figures match", limit=limit)


# --- Listings and search: search, articles, events/meetings, people, timeline.


@cli.command(short_help="Full-text search over statements and articles.", epilog=EXIT_CODES)
@click.argument("query")
@filter_options
@click.option("--speaker", "speakers", multiple=True, metavar="NAME", shell_complete=completer("speakers"),
              help="Statements by this speaker, and articles in which they speak.")
@limit_option(what="hits, the best first", default=100)
@format_options
@db_option
@handle_errors
def search(query, since, until, events, articles, speakers, limit, fmt, db_path):
    """Full-text search over statements and article bodies, best match first.

    \b
    Examples:
      scoq search terrorism
      scoq search '"security cooperation"' --speaker liao
      scoq search 'terror* NOT drug*' --since 2018-06 --limit 5
      scoq search "SCO's members" --format json
      scoq search 王磊 --db harbor.db

    QUERY takes SQLite FTS5 syntax: words (all must occur), "a phrase", OR, NOT,
    AND, prefix* and parentheses; case and accents do not count. A query that
    syntax cannot read (U.S., SCO's) is searched word by word instead. Chinese,
    Japanese and Korean text is found as a substring (王磊, or one character: 王);
    in such a query every word must occur and operators are not read.

    Each hit is a statement (start/end: the statement in the article) or an article
    (start/end: the passage shown as the snippet). Filters: a statement by its own
    date, event, speaker and article; an article by its publication date, and by
    the events and speakers its statements and figures are about.
    """
    from scoq import queries, search as searching

    conn = connect(db_path)
    f = queries.Filters(since=since, until=until, events=events, articles=articles, speakers=speakers)
    rows = searching.search(conn, query, f, limit)
    emit(rows, searching.SEARCH_FIELDS, "search", fmt, title=f"{_n(len(rows), 'hit')} for {query}",
         empty="no hits", limit=limit)


def sort_option(choices, default):
    return click.option("--sort", type=click.Choice(list(choices)), default=default, show_default=True,
                        help="Order of the rows.")


@cli.command(short_help="Every article with date, outlet and counts.", epilog=EXIT_CODES)
@sort_option(("date", "id", "outlet", "statements", "figures", "chars"), "date")
@limit_option
@format_options
@db_option
@handle_errors
def articles(sort, limit, fmt, db_path):
    """Every article: publication date and its precision, outlet, title, address, and
    how many statements and figures it holds.

    \b
    Examples:
      scoq articles
      scoq articles --sort statements --limit 3
      scoq articles --format json
    """
    from scoq import listings

    rows = listings.articles(connect(db_path), sort, limit, lazy=True)
    emit(rows, listings.ARTICLE_FIELDS, "articles", fmt, title=lambda rows: _n(len(rows), "article"), limit=limit)


@cli.command(short_help="Every event (meeting, summit...) with date, place and counts.", epilog=EXIT_CODES)
@sort_option(("date", "id", "name", "statements", "figures"), "date")
@limit_option
@format_options
@db_option
@handle_errors
def events(sort, limit, fmt, db_path):
    """Every event (meeting, summit, operation...): date and its precision, place, and
    the statements, figures and articles about it. Also: scoq meetings.

    \b
    Examples:
      scoq events
      scoq meetings --sort statements --limit 3
      scoq events --format csv
    """
    from scoq import listings

    rows = listings.events(connect(db_path), sort, limit)
    emit(rows, listings.EVENT_FIELDS, "events", fmt, title=_n(len(rows), "event"), limit=limit)


cli.add_command(events, "meetings")


@cli.command(short_help="Every speaker with roles, counts and dates.", epilog=EXIT_CODES)
@sort_option(("statements", "name", "date", "articles"), "statements")
@limit_option
@format_options
@db_option
@handle_errors
def people(sort, limit, fmt, db_path):
    """Every speaker, person or body: the roles the articles give them, how many
    statements in how many articles, first and last said.

    \b
    Examples:
      scoq people
      scoq people --sort name
      scoq people --sort date --limit 2 --format json
    """
    from scoq import listings

    rows = listings.people(connect(db_path), sort, limit)
    emit(rows, listings.PEOPLE_FIELDS, "people", fmt, title=_n(len(rows), "speaker"), limit=limit)


@cli.command(short_help="Events, statements and figures in date order.", epilog=EXIT_CODES)
@click.option("--since", metavar="DATE", help="On or after DATE (2018, 2018-06 or 2018-06-08).")
@click.option("--until", metavar="DATE", help="On or before DATE.")
@click.option("--meeting", "--event", "events", multiple=True, metavar="EVENT", shell_complete=completer("events"),
              help="Event by slug, name or words of it (frontier, 'qingdao summit'). Repeatable.")
@click.option("--speaker", "speakers", multiple=True, metavar="NAME", shell_complete=completer("speakers"),
              help="Statements by, and figures reported by, this speaker, and the events they spoke at.")
@limit_option
@format_options
@db_option
@handle_errors
def timeline(since, until, events, speakers, limit, fmt, db_path):
    """Events, statements and figures in date order, each at the precision it is known:
    a month shows as 2024-07 and sorts before the days in it; unknown dates come last.
    A figure is dated by its period, else its as-of date, else its event.

    \b
    Examples:
      scoq timeline
      scoq timeline --since 2023 --until 2024
      scoq timeline --meeting frontier
      scoq timeline --speaker zhao --limit 5
    """
    from scoq import listings, queries

    f = queries.Filters(since=since, until=until, events=events, speakers=speakers)
    rows = listings.timeline(connect(db_path), f, limit, lazy=True)
    emit(rows, listings.TIMELINE_FIELDS, "timeline", fmt,
         title=lambda rows: f"{len(rows)} {'entry' if len(rows) == 1 else 'entries'}", limit=limit)


#     (end of listings)


# --- Claims, conflicts and export.

#: The tables of an export, as scoq.db.LOAD_ORDER names them (not imported: start-up).
EXPORT_TABLES = ("organizations", "places", "speakers", "aliases", "events", "claims",
                 "articles", "furniture", "statements", "figures")


@cli.command("claims", short_help="One claim as each outlet worded it, side by side.", epilog=EXIT_CODES)
@click.argument("text", required=False)
@format_options
@db_option
@handle_errors
def claims_command(text, fmt, db_path):
    """One claim as each outlet worded it, side by side.

    A claim links statements in different reports that say the same thing. TEXT is
    a claim id or words of its summary (case and accents ignored); every claim that
    matches is shown, each statement with its outlet, article, speaker, the speaker's
    title as that report words it, type, text and offsets. On a terminal the outlets
    stand in columns side by side. Without TEXT, every claim with counts.

    \b
    Examples:
      scoq claims
      scoq claims attacks-prevented
      scoq claims "india pakistan" --format json
      scoq claims terrorism | cut -f4,8,13
    """
    from scoq import claims, output

    conn = connect(db_path)
    if text is None:
        rows = claims.claims(conn)
        emit(rows, claims.CLAIM_LIST_FIELDS, "claims", fmt, title=_n(len(rows), "claim"), empty="no claims")
        return
    found = claims.match_claims(conn, text)
    rows = claims.claim_statements(conn, [c["id"] for c in found])
    fmt = output.choose_format(fmt)
    if fmt != "table":
        emit(rows, claims.CLAIM_FIELDS, "claim", fmt, empty="no statements carry this claim")
        return
    width = output.console().width
    for c in found:
        mine = [r for r in rows if r["claim_id"] == c["id"]]
        labels, lines = claims.side_by_side(mine)
        title = f"{c['id']}: {c['summary']}"
        if labels and width // len(labels) >= 30:
            columns = [output.Column(label, (f"{n}:text", f"{n}:who", f"{n}:ref"), "", flex=True)
                       for n, label in enumerate(labels)]
            output.write(lines, [], columns, "table", title=title)
        else:  # too many outlets for the width: one row per statement, grouped by outlet
            mine.sort(key=lambda r: labels.index(r["outlet"] or f"{claims.UNNAMED} {r['article_id']}"))
            output.write(mine, claims.CLAIM_FIELDS, "claim", "table", title=title)
    if not rows:
        click.echo("no statements carry this claim", err=True)
        sys.exit(1)


@cli.command(short_help="How each outlet titled the same person.", epilog=EXIT_CODES)
@click.argument("name", required=False, shell_complete=completer("speakers"))
@format_options
@db_option
@handle_errors
def titles(name, fmt, db_path):
    """How each outlet titled the same person: every wording of a speaker's title
    (role), in which outlet and article, at which offsets, for how many statements.

    NAME is matched like `scoq who NAME`; without NAME, every speaker with a title.

    \b
    Examples:
      scoq titles liao
      scoq titles "Jose Alvarez" --format json
      scoq titles | cut -f2,3,4
    """
    from scoq import claims, queries

    conn = connect(db_path)
    rows = claims.titles(conn, name)
    title = None
    if name:
        speaker = queries.resolve_speaker(conn, name)
        n = len({r["role"] for r in rows})
        title = f"{speaker['name']}: {_n(n, 'title')} in {_n(len({r['article_id'] for r in rows}), 'article')}"
    emit(rows, claims.TITLE_FIELDS, "titles", fmt, title=title, empty="no titles recorded")


@cli.command(short_help="Figures about the same thing that differ.", epilog=EXIT_CODES)
@click.option("--about", metavar="TEXT", help="Only conflicts whose topic or quoted text holds these words.")
@limit_option(what="conflicts (groups of figures)")
@format_options
@db_option
@handle_errors
def conflicts(about, limit, fmt, db_path):
    """Figures about the same thing that differ between reports or over time.

    Figures count the same thing when their unit and the words of what they count
    and the action agree (ignoring case, plurals, small words and order). Every group
    with more than one distinct value (value and qualifier) is listed with all its
    figures, none preferred. KIND says how: `changed` (the values are for dates that
    do not overlap), `disagree` (same or overlapping dates), `undated` (a date is
    unknown). Exit 1 when there is no conflict.

    \b
    Examples:
      scoq conflicts
      scoq conflicts --about "full members"
      scoq conflicts --format json | jq '.[] | select(.kind == "disagree")'
    """
    from scoq import conflicts as finding

    conn = connect(db_path)
    rows = finding.conflicts(conn, about=about, limit=limit, lazy=True)
    emit(rows, finding.CONFLICT_FIELDS, "conflicts", fmt,
         title=lambda rows: f"{_n(len({r['topic_key'] for r in rows}), 'conflict')}, {_n(len(rows), 'figure')}",
         empty="no conflicting figures")



@cli.command("export", short_help="The whole annotated corpus as JSON, JSON lines or CSV.", epilog=EXIT_CODES)
@click.option("--format", "-f", "fmt", type=click.Choice(["json", "jsonl", "csv", "tsv"]), default="json",
              show_default=True, help="json: one document; jsonl: one record per row; csv/tsv: one table.")
@click.option("--table", type=click.Choice(EXPORT_TABLES),
              help="csv/tsv: the table written to stdout. Default: statements.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), metavar="DIR",
              help="csv/tsv: write every table to DIR/TABLE.csv (or .tsv) instead.")
@db_option
@handle_errors
def export_command(fmt, table, out_dir, db_path):
    """The whole annotated corpus from the database: registry, articles with their
    text, metadata, page furniture, statements and figures, ids and offsets.

    `scoq ingest FILE.json` (or FILE.jsonl) builds the same database from it again.
    json is one document (articles hold their parts); jsonl is one record per table
    row, {"kind": TABLE, "row": {...}}, after an {"kind": "export"} header; csv and
    tsv write one table's rows as stored (statements unless --table), or with --out
    every table as a file.

    \b
    Examples:
      scoq export > corpus.json
      scoq ingest corpus.json --db copy.db
      scoq export -f jsonl | grep '"kind": "figures"'
      scoq export -f csv --table figures > figures.csv
      scoq export -f csv --out tables/
    """
    import json
    from pathlib import Path

    from scoq import export, output

    if fmt in ("json", "jsonl") and (table or out_dir):
        raise click.UsageError(f"--table and --out are for csv and tsv; {fmt} holds every table")
    if table and out_dir:
        raise click.UsageError("--out writes every table; leave out --table")
    conn = connect(db_path)
    out = sys.stdout
    if fmt == "json":
        export.write_document(conn, out)
    elif fmt == "jsonl":
        for record in export.records(conn):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    elif out_dir:
        folder = Path(out_dir)
        folder.mkdir(parents=True, exist_ok=True)
        columns = export.columns()
        for name in EXPORT_TABLES:
            with open(folder / f"{name}.{fmt}", "w", encoding="utf-8", newline="") as fh:
                output.write(export.table_rows(conn, name), columns[name], "", fmt, out=fh)
        click.echo(f"Wrote {_n(len(EXPORT_TABLES), 'table')} to {folder}", err=True)
    else:
        table = table or "statements"
        rows = export.table_rows(conn, table)
        emit(rows, export.columns()[table], "", fmt, empty=f"no rows in {table}")
#     (end of claims, conflicts and export)


# --- Curation: validate, schema, show, verify.

VALIDATE_EXIT_CODES = """\b
Exit codes:
  0  no problems
  2  problems found (each listed), or a usage error"""


@cli.command(short_help="Check a corpus as ingest does, without a database.", epilog=VALIDATE_EXIT_CODES)
@click.argument("paths", nargs=-1, metavar="[PATH]...", type=click.Path())
@click.option("--quiet", "-q", is_flag=True, help="Print nothing when there are no problems.")
@format_options
def validate(paths, quiet, fmt):
    """Check a corpus as ingest does, without touching any database.

    PATH is a corpus folder, or any file in one (an article, its annotations, the
    registry): the corpus folder holding it is checked whole, since a change to one
    file can break another. Without PATH, the corpus that ships with scoq. Every
    problem is listed as file:line:col: message, the form editors and pre-commit read;
    --format gives them as rows (file, line, col, message) instead.

    \b
    Examples:
      scoq validate ~/my-corpus
      scoq validate ~/my-corpus/articles/a1.yaml
      scoq validate -q && scoq ingest -q
      scoq validate ~/my-corpus --format json
    """
    from pathlib import Path

    from scoq import corpus, output, validate as checking, workers
    from scoq.problems import Problem, display_path

    roots: dict = {}
    problems: list = []
    for given in paths or [str(corpus.shipped())]:
        root = corpus.root_of(Path(given))
        if root is None:
            if Path(given).exists():
                problems.append(Problem(display_path(given), 0, 0, "not in a corpus: no registry.yaml in its "
                                        "folder or any folder above it; give the path of a corpus folder"))
            else:
                problems.append(Problem(display_path(given), 0, 0, "no such file or folder"))
        else:
            roots.setdefault(root, given)
    counts = {}
    for root in roots:
        try:
            rows, found = checking.corpus(root)
        except workers.WorkerDied as e:
            raise Failure(str(e), 2) from None
        problems += found
        if rows:
            for table, n in rows.counts().items():
                counts[table] = counts.get(table, 0) + n
    problems = sorted(set(problems))
    if fmt:
        rows = [{"file": p.file, "line": p.line or None, "col": p.col or None, "message": p.message}
                for p in problems]
        output.write(rows, ("file", "line", "col", "message"), "problems", fmt,
                     title=_n(len(problems), "problem"))
    else:
        for p in problems:
            click.echo(str(p))
    where = ", ".join(display_path(r) for r in roots)
    if problems:
        raise Failure(f"{_n(len(problems), 'problem')}" + (f" in {where}" if where else ""), 2)
    if not quiet:
        summary = ", ".join(_n(counts.get(t, 0), t[:-1]) for t in ("statements", "figures", "claims"))
        click.echo(f"{where}: {_n(counts.get('articles', 0), 'article')}, {summary}; no problems", err=True)


@cli.command(short_help="The JSON Schema of the annotation files.",
             epilog="\b\nExit codes:\n  0  the schema\n  2  usage error")
@click.argument("kind", required=False, default="article", type=click.Choice(["article", "registry"]))
def schema(kind):
    """Print the JSON Schema of an annotation file: an article's (default) or the registry's.

    Generated from the annotation model, so it says what ingest accepts: editors with
    the YAML language server use it to complete keys, show each key's help and flag
    mistakes as you type. The shipped corpus carries a copy in data/schema/; name it
    on the first line of a YAML file:

    \b
      # yaml-language-server: $schema=../schema/article.schema.json

    \b
    Examples:
      scoq schema > article.schema.json
      scoq schema registry > registry.schema.json
    """
    import json

    from scoq.model import json_schema

    click.echo(json.dumps(json_schema(kind), ensure_ascii=False, indent=2))


@cli.command(short_help="One article with every annotation marked.", epilog=EXIT_CODES)
@click.argument("article", shell_complete=completer("articles"))
@format_options
@db_option
@handle_errors
def show(article, fmt, db_path):
    """One article as ingested, with every annotation marked in its text.

    ARTICLE is an article id or the start of one (000). On a terminal: the text with
    each statement in its speaker's colour and its id after it ([003-s01]), figures
    bold with their id, source and cue underlined, page furniture dim, and a legend of
    speakers with their counts. In a pipe: the annotated spans as rows (kind, id,
    start, end, speaker or reporter, type, text). --format json: the article's
    metadata, its full text and its spans in one object.

    \b
    Examples:
      scoq show 003
      scoq show 003 | grep -w statement
      scoq show 002 --format json | jq '.spans[] | select(.kind == "figure")'
    """
    from scoq import output, queries

    conn = connect(db_path)
    article_id = queries.resolve_article(conn, article)
    output.write_article(queries.article(conn, article_id), queries.spans(conn, article_id),
                         queries.SPAN_FIELDS, output.choose_format(fmt))


VERIFY_EXIT_CODES = """\b
Exit codes:
  0  every annotation matches its article as ingested
  1  something changed: each stale annotation is listed
  2  usage error, no usable database, or no corpus folder"""


@cli.command(short_help="Check that the annotations still match their articles.", epilog=VERIFY_EXIT_CODES)
@click.argument("path", required=False, type=click.Path(file_okay=False))
@click.option("--quiet", "-q", is_flag=True, help="Print nothing when everything matches.")
@format_options
@db_option
@handle_errors
def verify(path, quiet, fmt, db_path):
    """Check that every annotation in the database still matches its article on disk.

    Compares each article's text and annotation file with what was ingested. Where a
    text changed, every annotation is looked for again and named when it moved (scoq
    ingest records the new offsets), is not found (correct the quote or the text), or
    is ambiguous now (its words occur more than once: add a prefix or suffix). PATH is
    the corpus folder; without it, the folder recorded at ingest.

    \b
    Examples:
      scoq verify
      scoq verify ~/my-corpus --db my.db
      scoq verify --format json | jq '.[] | select(.status == "not found")'
    """
    from pathlib import Path

    from scoq import corpus, output, queries, verify as verifying
    from scoq.problems import display_path

    conn = connect(db_path)
    recorded = queries.meta(conn).get("corpus_root")
    root = Path(path) if path else Path(recorded) if recorded else corpus.shipped()
    if not root.is_dir():
        where = "given" if path else "recorded at ingest"
        raise Failure(f"the corpus folder {where}, {root}, is not there; give its path: scoq verify PATH", 2)
    rows, counts = verifying.run(conn, root)
    output.write(rows, verifying.FIELDS, "verify", output.choose_format(fmt),
                 title=f"{_n(len(rows), 'change')} since ingest")
    checked = f"{_n(counts['articles'], 'article')}, {_n(counts['annotations'], 'annotation')}"
    if rows:
        changed = [f"{_n(counts[k], noun)} changed" for k, noun in
                   (("texts changed", "text"), ("annotation files changed", "annotation file")) if counts[k]]
        stale = [f"{counts[s]} {s}" for s in ("not found", "ambiguous", "moved") if counts.get(s)]
        raise Failure(f"{display_path(root)}: {checked}; " + "; ".join(
            [", ".join(changed) or "no text changed"] + ([f"annotations {', '.join(stale)}"] if stale else [])
            + [f"{_n(len(rows), 'change')} listed"]), 1)
    if not quiet:
        click.echo(f"{display_path(root)}: {checked}; all match the database", err=True)

#     (end of curation)


# --- Curation aids: coverage, suggest.
@cli.command(short_help="What looks like a statement or figure but is not annotated.",
             epilog=EXIT_CODES.replace("nothing matched", "with --strict: something is not annotated"))
@click.argument("articles", nargs=-1, metavar="[ARTICLE]...")
@click.option("--corpus", "corpus_path", metavar="PATH", type=click.Path(file_okay=False),
              help="Corpus folder (with registry.yaml). Default: the corpus that ships with scoq.")
@click.option("--totals", is_flag=True, help="One row per article: candidates, covered, gaps, percent.")
@click.option("--strict", is_flag=True, help="Exit 1 unless every candidate is covered (100%).")
@limit_option(what="gaps (the summary counts all)")
@format_options
def coverage(articles, corpus_path, totals, strict, limit, fmt):
    """What in the articles looks like a statement or a figure but is not annotated:
    numbers, quotation marks and reporting verbs outside every annotated span.

    Reads the corpus files, not the database, so it works before `scoq ingest`.
    Each gap is listed with its article, line, column and offsets; a summary of
    covered candidates per article goes to stderr. A deliberate exclusion is an
    `ignore:` entry (quote and reason) in the article's YAML.

    \b
    Examples:
      scoq coverage                          # the shipped corpus, every article
      scoq coverage 003 --totals
      scoq coverage --corpus ~/my-corpus --strict
      scoq coverage --corpus ~/my-corpus a1 --format json
    """
    from pathlib import Path

    from scoq import corpus, coverage as cov, output
    from scoq.problems import InputError, display_path

    root = Path(corpus_path) if corpus_path else corpus.shipped()
    try:
        gaps, per_article = cov.check(root, articles, max_gaps=0 if totals else limit)
    except InputError as e:
        raise problems_failure(e.problems, f"in {display_path(root)}; fix them, then run coverage again.") from None
    except LookupError as e:
        raise Failure(str(e.args[0]), 2) from None
    fmt = output.choose_format(fmt)
    n_cand = sum(t["candidates"] for t in per_article)
    n_cov = sum(t["covered"] for t in per_article)
    pct = round(100 * n_cov / n_cand, 1) if n_cand else 100.0
    summary = f"{n_cov} of {n_cand} candidates covered ({pct}%), {_n(n_cand - n_cov, 'gap')} in {_n(len(per_article), 'article')}"
    if totals:
        output.write(per_article, cov.TOTAL_FIELDS, "coverage", fmt, title=summary)
    else:
        output.write(gaps, cov.GAP_FIELDS, "gaps", fmt, title=summary)
    if fmt != "table":
        click.echo(summary, err=True)
    if strict and n_cov < n_cand:
        sys.exit(1)


@cli.command(short_help="Draft the annotations of a new article.", epilog=EXIT_CODES.replace("  1  nothing matched\n", ""))
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@click.option("--published", required=True, metavar="DATE",
              help="Publication date (EDTF: 2025-03-21, 2025-03, 2018-06-08/..); date words resolve against it.")
@click.option("--registry", "registry_path", metavar="PATH", type=click.Path(dir_okay=False, exists=True),
              help="registry.yaml naming the speakers. Default: the one in the article's corpus "
                   "(its folder or the folder above), else the shipped one.")
@click.option("--output", "-o", "out_path", metavar="FILE", type=click.Path(dir_okay=False),
              help="Write the draft here instead of stdout (an existing file is not overwritten).")
def suggest(file, published, registry_path, out_path):
    """Draft the annotation YAML for a new article: candidate statements (quoted
    speech and reporting verbs, with the likely speaker from the registry) and
    candidate figures (value, qualifier, unit, what it counts), every span anchored.

    The draft is a start, not an answer: check each entry against the article,
    delete what is not a statement or a figure, and fill in every TODO; then
    `scoq coverage --strict` shows what is still missing.

    \b
    Examples:
      scoq suggest articles/c3.txt --published 2025-03-21
      scoq suggest c3.txt --published 2025-03-21 --registry registry.yaml -o c3.yaml
    """
    from pathlib import Path

    from scoq import corpus, dates, suggest as suggesting
    from scoq.annotations import load
    from scoq.problems import display_path

    try:
        dates.parse(published)
    except dates.DateError as e:
        raise click.BadParameter(str(e), param_hint="'--published'") from None
    path = Path(file)
    if registry_path is None:
        root = corpus.root_of(path.parent)
        found = (root or corpus.shipped()) / corpus.REGISTRY
    else:
        found = Path(registry_path)
    registry, _, problems = load(found, "registry", display_path(found))
    text, text_problems = corpus.read_article(path)
    problems += text_problems
    if problems:
        raise problems_failure(problems, f"in the input; cannot draft annotations for {display_path(path)}")
    draft = suggesting.draft(path.stem, text, published, registry)
    out = suggesting.to_yaml(draft)
    if out_path:
        target = Path(out_path)
        try:
            with open(target, "x", encoding="utf-8") as fh:  # never over an existing file
                fh.write(out)
        except FileExistsError:
            raise Failure(f"{display_path(target)} exists; choose another name or remove it first", 2) from None
    else:
        click.echo(out, nl=False)
    click.echo(f"{_n(len(draft.statements), 'statement')} and {_n(len(draft.figures), 'figure')} suggested "
               f"for {path.stem}; check each and fill in every TODO", err=True)


#     (end of curation aids)


# --- Raw access: sql.

@cli.command(short_help="One read-only SQL query against the database.", epilog=EXIT_CODES)
@click.argument("query")
@click.option("--param", "-p", "params", nargs=2, multiple=True, metavar="NAME VALUE",
              help="A value for the placeholder :NAME in the query, bound, never pasted in. Repeatable.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=10.0, show_default=True,
              metavar="SECONDS", help="Stop the query after this long.")
@limit_option
@format_options
@db_option
@handle_errors
def sql(query, params, timeout, limit, fmt, db_path):
    """Run one read-only SQL query against the database (QUERY, or - to read it from stdin).

    Tables and views: statements_view, figures_view, articles, speakers, aliases,
    events, claims, statements, figures, furniture, and the full-text tables
    statements_fts and articles_fts. Writes, ATTACH, transactions, pragma writes,
    extensions and more than one statement are refused; the database is changed
    only by scoq ingest.

    \b
    Examples:
      scoq sql "SELECT speaker, count(*) AS n FROM statements_view GROUP BY speaker"
      scoq sql "SELECT figure_id, value FROM figures_view WHERE unit = :u" --param u t
      scoq sql "SELECT id FROM statements_fts JOIN statements s ON s.rowid = statements_fts.rowid
                WHERE statements_fts MATCH 'border'" -f json
      scoq sql - < question.sql
    """
    from scoq import sql as rawsql

    if query == "-":
        query = sys.stdin.read()
    conn = connect(db_path)
    try:
        fields, rows = rawsql.run(conn, query, dict(params), timeout=timeout, limit=limit)
    except rawsql.SQLError as e:
        raise Failure(str(e), 2) from None
    emit(rows, fields, rawsql.columns(fields, rows), fmt, title=_n(len(rows), "row"), empty="no rows")

#     (end of raw access)


# --- Shell completion.


@cli.command(short_help="The shell completion script for bash, zsh or fish.", epilog=EXIT_CODES)
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell):
    """Print the completion script for SHELL. Once installed, Tab completes commands and
    options, and speaker names, event slugs and article ids from the database.

    \b
    Examples:
      scoq completion bash > ~/.local/share/bash-completion/completions/scoq
      scoq completion zsh > ~/.zfunc/_scoq      # with fpath+=~/.zfunc before compinit
      scoq completion fish > ~/.config/fish/completions/scoq.fish
      eval "$(scoq completion bash)"            # just for this shell
    """
    from scoq import completion as completing

    click.echo(completing.script(shell), nl=False)


#     (end of shell completion)


def main():
    import gc
    import os

    # The shell asks for its completion script or for candidates (completion.COMPLETE_VAR,
    # named here so that no other command imports the completion module).
    if os.environ.get("_SCOQ_COMPLETE"):
        from scoq import completion as completing

        completing.register()
    # One command runs, then the process ends. What exists by now (click's and scoq's
    # modules) is set aside from the garbage collector, and so is everything at the
    # end: no collection walks those objects again, at exit least of all, which saves
    # a piped query about 7 ms. Objects are still freed as their references go.
    gc.freeze()
    try:
        cli(prog_name="scoq")
    finally:
        gc.freeze()
