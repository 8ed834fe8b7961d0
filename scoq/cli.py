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
@cli.command(epilog=EXIT_CODES.replace("nothing matched", "with --strict: something is not annotated"))
@click.argument("articles", nargs=-1, metavar="[ARTICLE]...")
@click.option("--corpus", "corpus_path", metavar="PATH", type=click.Path(file_okay=False),
              help="Corpus folder (with registry.yaml). Default: the corpus that ships with scoq.")
@click.option("--totals", is_flag=True, help="One row per article: candidates, covered, gaps, percent.")
@click.option("--strict", is_flag=True, help="Exit 1 unless every candidate is covered (100%).")
@click.option("--limit", type=click.IntRange(min=0), metavar="N", help="At most N gaps (the summary counts all).")
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
        gaps, per_article = cov.check(root, articles)
    except InputError as e:
        for p in e.problems:
            click.echo(f"{p}", err=True)
        n = len(e.problems)
        raise Failure(f"{n} problem{'s' * (n != 1)} in {display_path(root)}; fix them, then run coverage again.", 2)
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
        output.write(gaps[:limit] if limit is not None else gaps, cov.GAP_FIELDS, "gaps", fmt, title=summary)
    if fmt != "table":
        click.echo(summary, err=True)
    if strict and n_cov < n_cand:
        sys.exit(1)


@cli.command(epilog=EXIT_CODES.replace("  1  nothing matched\n", ""))
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
    from scoq.model import Registry
    from scoq.problems import display_path

    try:
        dates.parse(published)
    except dates.DateError as e:
        raise click.BadParameter(str(e), param_hint="'--published'") from None
    path = Path(file)
    if registry_path is None:
        near = [d / corpus.REGISTRY for d in (path.parent, path.parent.parent)]
        found = next((p for p in near if p.is_file()), corpus.shipped() / corpus.REGISTRY)
    else:
        found = Path(registry_path)
    registry, _, problems = load(found, Registry, display_path(found))
    text, text_problems = corpus.read_article(path)
    problems += text_problems
    if problems:
        for p in problems:
            click.echo(str(p), err=True)
        raise Failure(f"cannot draft annotations for {display_path(path)}", 2)
    draft = suggesting.draft(path.stem, text, published, registry)
    out = suggesting.to_yaml(draft)
    if out_path:
        target = Path(out_path)
        if target.exists():
            raise Failure(f"{display_path(target)} exists; choose another name or remove it first", 2)
        target.write_text(out, encoding="utf-8")
    else:
        click.echo(out, nl=False)
    click.echo(f"{_n(len(draft.statements), 'statement')} and {_n(len(draft.figures), 'figure')} suggested "
               f"for {path.stem}; check each and fill in every TODO", err=True)


#     (end of curation aids)


# --- Raw access: sql.
#     (end of raw access)


# --- Shell completion.
#     (end of shell completion)


def main():
    cli(prog_name="scoq")
