"""Shell completion: the names a shell offers for speakers, events and articles.

click's own completion (bash, zsh, fish) asks these functions for candidates while the
user types. They read the database the command would use (``--db`` if already typed,
else ``$SCOQ_DB`` or the default), read-only, and offer nothing, silently, when there
is no database or it cannot be read: a completion must never print an error.
"""

from __future__ import annotations

import os
import re

COMPLETE_VAR = "_SCOQ_COMPLETE"


def script(shell: str) -> str:
    """The completion script click generates for ``shell`` (fish's with our fix)."""
    from click.shell_completion import get_completion_class

    from scoq.cli import cli

    register()
    return get_completion_class(shell)(cli, {}, "scoq", COMPLETE_VAR).source()


def register() -> None:
    """Have click use our fish completion (see _fish_class) from now on."""
    from click.shell_completion import add_completion_class

    add_completion_class(_fish_class(), "fish")


def _fish_class():
    """click's fish completion, its script cutting each line at the first comma only.
    click's cuts at every comma, so that a value or description holding one ends there:
    an article titled "... political trust, safeguard stability" was offered as
    "... political trust". (A line is TYPE,VALUE<tab>HELP; a type has no comma.)"""
    from click.shell_completion import FishComplete

    class Fish(FishComplete):
        source_template = FishComplete.source_template.replace(
            '(string split "," $completion)', '(string split --max 1 "," $completion)')

    return Fish


def candidates(kind: str, ctx, incomplete: str) -> list:
    """CompletionItems for ``kind`` (speakers, events, articles) matching what is typed."""
    from click.shell_completion import CompletionItem

    try:
        pairs = _LOOKUPS[kind](_connect(ctx), incomplete)
    except Exception:
        return []
    bash = os.environ.get(COMPLETE_VAR, "").startswith("bash")
    # bash inserts a candidate as it is, so a name with spaces must come escaped; click's
    # bash script reads each line with `read` (no -r), which takes one level of backslashes.
    return [CompletionItem(re.sub(r"([\s'\"\\$`!&;|<>()])", r"\\\\\1", v) if bash else v, help=h)
            for v, h in pairs]


def _connect(ctx):
    from scoq import db

    path = None
    while ctx is not None and path is None:
        path = ctx.params.get("db_path")
        ctx = ctx.parent
    return db.connect_readonly(db.resolve_path(path))


def _speakers(conn, incomplete: str) -> list[tuple[str, str]]:
    """Speakers with a name or alias of which a word starts with what is typed ("li" ->
    Liao Jinrong, Liu Haitao); offered by name."""
    from scoq.names import fold
    from scoq.queries import like_escape

    q = like_escape(fold(incomplete))
    rows = conn.execute(
        """SELECT DISTINCT s.name, s.id FROM speakers s JOIN aliases a ON a.speaker_id = s.id
           WHERE a.norm LIKE ? ESCAPE '\\' OR a.norm LIKE ? ESCAPE '\\' OR s.id LIKE ? ESCAPE '\\'
           ORDER BY s.name""",
        [q + "%", "% " + q + "%", q + "%"],
    )
    return [(name, sid) for name, sid in rows]


def _events(conn, incomplete: str) -> list[tuple[str, str]]:
    """Event slugs that start with what is typed, or have a word that does."""
    from scoq.queries import like_escape

    q = like_escape(incomplete.lower())
    rows = conn.execute(
        "SELECT id, name FROM events WHERE id LIKE ? ESCAPE '\\' OR id LIKE ? ESCAPE '\\' ORDER BY id",
        [q + "%", "%-" + q + "%"],
    )
    return [(i, name) for i, name in rows]


def _articles(conn, incomplete: str) -> list[tuple[str, str]]:
    """Article ids that start with what is typed, with their title or outlet as help."""
    from scoq.queries import like_escape

    rows = conn.execute(
        """SELECT a.id, coalesce(a.title, o.name, '') FROM articles a
           LEFT JOIN organizations o ON o.id = a.outlet_id WHERE a.id LIKE ? ESCAPE '\\' ORDER BY a.id""",
        [like_escape(incomplete) + "%"],
    )
    return [(i, help_) for i, help_ in rows]


_LOOKUPS = {"speakers": _speakers, "events": _events, "articles": _articles}
