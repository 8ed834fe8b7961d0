"""Claims as each outlet worded them, and how each outlet titled the same person.

A claim (registry ``claims``) links statements in different reports that say the same
thing; these questions put the reports side by side. Rows are plain dicts, like
``scoq.queries``; nothing here prints.
"""

from __future__ import annotations

from scoq.names import fold, stem
from scoq.queries import NotFound, dicts, resolve_speaker
from scoq.sqlite import sqlite3

#: The label of an article whose outlet the annotations do not state.
UNNAMED = "(outlet not stated)"

CLAIM_LIST_FIELDS = ("claim_id", "summary", "statements", "articles", "outlets", "outlet_names", "speakers")


def claims(conn: sqlite3.Connection) -> list[dict]:
    """Every claim with how many statements, articles and named outlets carry it;
    the most widely reported first."""
    rows = {r["id"]: {"claim_id": r["id"], "summary": r["summary"], "statements": 0, "articles": set(),
                      "outlets": set(), "outlet_names": set(), "speakers": set()}
            for r in conn.execute("SELECT id, summary FROM claims")}
    sql = """
        SELECT s.claim_id, s.article_id, a.outlet_id, o.name AS outlet, sp.name AS speaker
        FROM statements s
        JOIN articles a ON a.id = s.article_id
        JOIN speakers sp ON sp.id = s.speaker_id
        LEFT JOIN organizations o ON o.id = a.outlet_id
        WHERE s.claim_id IS NOT NULL
    """
    for s in conn.execute(sql):
        r = rows[s["claim_id"]]
        r["statements"] += 1
        r["articles"].add(s["article_id"])
        r["outlet_names"].add(s["outlet"] or UNNAMED)
        r["speakers"].add(s["speaker"])
        if s["outlet_id"]:
            r["outlets"].add(s["outlet_id"])
    out = []
    for r in rows.values():
        r["articles"], r["outlets"] = len(r["articles"]), len(r["outlets"])
        for key in ("outlet_names", "speakers"):
            r[key] = "; ".join(sorted(r[key])) or None
        out.append(r)
    return sorted(out, key=lambda r: (-r["articles"], -r["statements"], r["claim_id"]))


def _words(text: str) -> list[str]:
    words = []
    for w in fold(text.replace("-", " ")).split():
        w = stem(w.strip(".,;:!?'\"()"))
        if w:
            words.append(w)
    return words


def match_claims(conn: sqlite3.Connection, text: str) -> list[dict]:
    """Claims ``text`` stands for: an exact id, else every claim whose id or summary
    holds all its words (case and accents ignored). NotFound, with close ids, if none."""
    rows = dicts(conn, "SELECT id, summary FROM claims ORDER BY id")
    exact = [r for r in rows if r["id"] == text or fold(r["id"]) == fold(text)]
    if exact:
        return exact
    words = _words(text)
    found = [r for r in rows if words and all(w in fold(r["id"].replace("-", " ") + " " + r["summary"])
                                              for w in words)]
    if not found:
        import difflib

        ids = [r["id"] for r in rows]
        raise NotFound(f"no claim matches '{text}'",
                       difflib.get_close_matches(fold(text).replace(" ", "-"), ids, n=3, cutoff=0.5))
    return found


CLAIM_FIELDS = (
    "claim_id", "summary", "statement_id", "outlet", "article_id", "published", "speaker_id", "speaker",
    "role", "said", "type", "cue", "text", "start", "end",
)


def claim_statements(conn: sqlite3.Connection, claim_ids: list[str]) -> list[dict]:
    """Every statement of the given claims, report by report (oldest report first)."""
    if not claim_ids:
        return []
    sql = f"""
        SELECT s.claim_id, c.summary, s.id AS statement_id, o.name AS outlet,
               s.article_id, a.published, s.speaker_id, sp.name AS speaker, s.role, s.said,
               s.type, s.cue, s.text, s.start, s."end"
        FROM statements s
        JOIN claims c ON c.id = s.claim_id
        JOIN articles a ON a.id = s.article_id
        JOIN speakers sp ON sp.id = s.speaker_id
        LEFT JOIN organizations o ON o.id = a.outlet_id
        WHERE s.claim_id IN ({", ".join("?" * len(claim_ids))})
        ORDER BY s.claim_id, a.published_start IS NULL, a.published_start, s.article_id, s.start
    """
    return dicts(conn, sql, claim_ids)


def side_by_side(rows: list[dict]) -> tuple[list[str], list[dict]]:
    """One claim's statements laid out with one column per outlet, for a table.

    Returns the column labels (outlets in order of first report; an article whose outlet
    is not stated is a column of its own, never merged with another) and rows in which
    ``N:text``, ``N:who`` (speaker, title as worded, type and cue) and ``N:ref``
    (statement, article, date) hold column N's next statement."""
    columns: dict[str, list[dict]] = {}
    for r in rows:
        label = r["outlet"] or f"{UNNAMED} {r['article_id']}"
        columns.setdefault(label, []).append(r)
    out = []
    for i in range(max((len(v) for v in columns.values()), default=0)):
        line = {}
        for n, items in enumerate(columns.values()):
            if i < len(items):
                r = items[i]
                who = r["speaker"] + (f", {r['role']}" if r["role"] else "")
                line[f"{n}:text"] = r["text"]
                line[f"{n}:who"] = f"— {who} ({r['type']}, {r['cue']})"
                line[f"{n}:ref"] = f"{r['statement_id']} · {r['article_id']} · {r['published'] or 'date unknown'}"
        out.append(line)
    return list(columns), out


TITLE_FIELDS = ("speaker_id", "speaker", "outlet", "role", "statements", "article_id", "published", "start", "end")


def titles(conn: sqlite3.Connection, name: str | None = None) -> list[dict]:
    """How each outlet titled each speaker: every distinct wording of a speaker's role
    in each article, with its offsets (``start``/``end`` are the role's) and how many
    statements it introduces. ``name`` narrows to one speaker."""
    params: list = []
    where = "WHERE s.role IS NOT NULL"
    if name is not None:
        where += " AND s.speaker_id = ?"
        params.append(resolve_speaker(conn, name)["id"])
    sql = f"""
        SELECT s.speaker_id, sp.name AS speaker, o.name AS outlet, s.role,
               count(*) AS statements, s.article_id, a.published,
               s.role_start AS start, s.role_end AS "end"
        FROM statements s
        JOIN speakers sp ON sp.id = s.speaker_id
        JOIN articles a ON a.id = s.article_id
        LEFT JOIN organizations o ON o.id = a.outlet_id
        {where}
        GROUP BY s.speaker_id, s.article_id, s.role_start, s.role_end
        ORDER BY sp.name, a.published_start IS NULL, a.published_start, s.article_id, s.role_start
    """
    return dicts(conn, sql, params)
