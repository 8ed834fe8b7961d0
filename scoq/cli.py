"""The command line: each command parses options, asks a query, hands rows to output.

Only click is imported at start-up; each command imports what it needs when it runs,
so that a query piped into another program never loads YAML, sqlite-utils or rich.
"""

from __future__ import annotations

import functools
import sys

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


def db_option(f):
    return click.option(
        "--db", "db_path", metavar="PATH", type=click.Path(dir_okay=False),
        help="Database file. Default: $SCOQ_DB, else the per-user data directory "
             "(~/.local/share/scoq/scoq.db on Linux).",
    )(f)


def format_options(f):
    f = click.option(
        "--format", "-f", "fmt", type=click.Choice(["table", "json", "jsonl", "csv", "tsv"]),
        help="Output format. Default: table on a terminal, tsv in a pipe.",
    )(f)
    return f


def filter_options(f):
    for decorator in reversed((
        click.option("--since", metavar="DATE", help="On or after DATE (2018, 2018-06 or 2018-06-08)."),
        click.option("--until", metavar="DATE", help="On or before DATE."),
        click.option("--meeting", "--event", "events", multiple=True, metavar="EVENT",
                     help="Event by slug, name or words of it (frontier, 'qingdao summit'). Repeatable."),
        click.option("--article", "articles", multiple=True, metavar="ID",
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


def emit(rows, fields, view, fmt, title=None, empty="nothing matched"):
    """Write rows; exit 1 (after writing the empty result) when there are none."""
    from scoq import output

    fmt = output.choose_format(fmt)
    output.write(rows, fields, view, fmt, title=title)
    if not rows:
        click.echo(empty, err=True)
        sys.exit(1)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def connect(db_path):
    from scoq import db

    return db.connect_readonly(db.resolve_path(db_path))


@click.group(
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
    """


@cli.command(epilog=EXIT_CODES)
@click.argument("path", required=False, type=click.Path(file_okay=False))
@db_option
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
def ingest(path, db_path, quiet):
    """Check a corpus and load it into the database, replacing what was there.

    PATH is a folder with registry.yaml and articles (NAME.txt) each with its
    annotations (NAME.yaml); without PATH, the corpus that ships with scoq.
    Everything is checked first: on any problem, every problem is listed as
    file:line:col and the database is left exactly as it was.

    \b
    Examples:
      scoq ingest
      scoq ingest ~/my-corpus --db my.db
    """
    from pathlib import Path

    from scoq import corpus, db, ingest as ingesting, output
    from scoq.problems import InputError, display_path

    root = Path(path) if path else corpus.shipped()
    target = db.resolve_path(db_path)
    progress = None
    if not quiet and output.is_terminal(stream=sys.stderr):
        progress = _progress_bar()
    try:
        counts = ingesting.run(root, target, progress)
    except db.DatabaseError as e:
        raise Failure(str(e), 2) from None
    except InputError as e:
        for p in e.problems:
            click.echo(f"{p}", err=True)
        n = len(e.problems)
        raise Failure(f"{n} problem{'s' * (n != 1)} in {display_path(root)}; the database was not changed.", 2)
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
        def __call__(self, total):
            bar.start()
            task = bar.add_task("Checking articles", total=total)
            return lambda: bar.advance(task)

        def stop(self):
            bar.stop()

    return Handle()


@cli.command(epilog=EXIT_CODES)
@click.argument("name", required=False)
@filter_options
@click.option("--direct", is_flag=True, help="Direct quotations only.")
@click.option("--indirect", is_flag=True, help="Reported speech only.")
@click.option("--mixed", is_flag=True, help="Partly quoted only (combine the three flags as needed).")
@format_options
@db_option
@handle_errors
def who(name, since, until, events, articles, direct, indirect, mixed, fmt, db_path):
    """Everything a person or body said: when, where, as which role, in which reports.

    NAME is matched against names and aliases, ignoring case and accents; part of a
    name will do ("liao"). Without NAME, every speaker with counts.

    \b
    Examples:
      scoq who "Liao Jinrong"
      scoq who liao --direct --format json
      scoq who zhao --meeting secretaries
      scoq who --since 2024
    """
    from scoq import queries

    conn = connect(db_path)
    types = tuple(t for t, on in (("direct", direct), ("indirect", indirect), ("mixed", mixed)) if on)
    f = queries.Filters(since=since, until=until, events=events, articles=articles, types=types)
    if name is None and not (since or until or events or articles or types):
        rows = queries.speakers(conn)
        emit(rows, queries.SPEAKER_FIELDS, "speakers", fmt, title="Speakers")
        return
    speaker = queries.resolve_speaker(conn, name) if name else None
    rows = queries.statements(conn, [speaker["id"]] if speaker else [], f)
    title = None
    if speaker:
        n_articles = len({r["article_id"] for r in rows})
        title = f"{speaker['name']}: {_n(len(rows), 'statement')} in {_n(n_articles, 'article')}"
    emit(rows, queries.STATEMENT_FIELDS, "statements", fmt, title=title, empty="no statements match")


@cli.command(epilog=EXIT_CODES)
@filter_options
@click.option("--speaker", "speakers", multiple=True, metavar="NAME", help="Reported by this speaker.")
@click.option("--unit", "units", multiple=True, metavar="UNIT", help="Unit: t, people, rounds, countries...")
@click.option("--about", metavar="TEXT", help="Words in what is counted, the action or the quoted text.")
@format_options
@db_option
@handle_errors
def figures(since, until, events, articles, speakers, units, about, fmt, db_path):
    """Every number reported: value as written and normalized, qualifier, unit,
    what it counts, period or as-of date, event, who reported it, in which article.

    \b
    Examples:
      scoq figures --meeting frontier
      scoq figures --unit t
      scoq figures --about members --format csv
      scoq figures --speaker liao
    """
    from scoq import queries

    conn = connect(db_path)
    f = queries.Filters(since=since, until=until, events=events, articles=articles,
                        speakers=speakers, units=units, about=about)
    rows = queries.figures(conn, f)
    emit(rows, queries.FIGURE_FIELDS, "figures", fmt, title=_n(len(rows), "figure"), empty="no figures match")


# --- Listings and search: search, articles, events/meetings, people, timeline.
#     (end of listings)


# --- Claims, conflicts and export.
#     (end of claims, conflicts and export)


# --- Curation: validate, schema, show, verify.
#     (end of curation)


# --- Curation aids: coverage, suggest.
#     (end of curation aids)


# --- Raw access: sql.

@cli.command(epilog=EXIT_CODES)
@click.argument("query")
@click.option("--param", "-p", "params", nargs=2, multiple=True, metavar="NAME VALUE",
              help="A value for the placeholder :NAME in the query, bound, never pasted in. Repeatable.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=10.0, show_default=True,
              metavar="SECONDS", help="Stop the query after this long.")
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="At most N rows.")
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
#     (end of shell completion)


def main():
    cli(prog_name="scoq")
