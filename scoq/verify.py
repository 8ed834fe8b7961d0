"""Verify: does each annotation in the database still match the corpus on disk?

Ingest records the hash of every article's text and annotation file. Verify compares
them with the files as they are now. Where an article's text has changed, each
annotation is looked for again in the new text, by its words and the words around
it, and named when it is no longer where it was: moved (ingest again to record the
new offsets), not found (correct the quote, or the text), or ambiguous now (its
words occur more than once where they occurred once: add a prefix or suffix).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from scoq import anchor, corpus, queries
from scoq.problems import display_path
from scoq.sqlite import sqlite3

FIELDS = ("article_id", "status", "kind", "id", "start", "end", "new_start", "new_end", "text",
          "reason", "file", "line")

#: Spans whose words must occur once (unless told apart by prefix or suffix); the others
#: (source, cue, role, date words) take the occurrence nearest their statement.
_UNIQUE = ("title", "furniture", "statement", "figure")


def _context_score(old: str, new: str, old_span: tuple[int, int], new_span: tuple[int, int]) -> int:
    """How many characters around two occurrences agree: the words before and after."""
    before_old, before_new = old[max(0, old_span[0] - 200):old_span[0]], new[max(0, new_span[0] - 200):new_span[0]]
    after_old, after_new = old[old_span[1]:old_span[1] + 200], new[new_span[1]:new_span[1] + 200]
    score = len(os.path.commonprefix([before_old[::-1], before_new[::-1]]))
    return score + len(os.path.commonprefix([after_old, after_new]))


def reanchor(old: str, new: str, span: dict) -> tuple[str, tuple[int, int] | None, str] | None:
    """Find a span of the old text in the new one: None when it is where it was,
    else (status, new offsets or None, why)."""
    words, here = span["text"], (span["start"], span["end"])
    old_hits = anchor.find_all(old, words) or [here]
    new_hits = anchor.find_all(new, words)
    if not new_hits:
        try:
            anchor.locate(new, anchor.Quote(words))
        except anchor.AnchorError as e:
            return "not found", None, str(e)
    if len(new_hits) == len(old_hits) and here in old_hits:
        found = new_hits[old_hits.index(here)]
        best = [found]
    else:
        scores = {h: _context_score(old, new, here, h) for h in new_hits}
        top = max(scores.values())
        best = [h for h, s in scores.items() if s == top]
        found = best[0]
    lines = ", ".join(str(anchor.line_of(new, h[0])) for h in new_hits)
    if span["kind"] in _UNIQUE and len(old_hits) == 1 and len(new_hits) > 1:
        return "ambiguous", found, (f"'{anchor.shortened(words)}' now occurs {len(new_hits)} times (article lines "
                                    f"{lines}) where it occurred once; add a prefix or suffix to say which")
    if len(best) > 1:
        return "ambiguous", None, (f"'{anchor.shortened(words)}' occurs {len(new_hits)} times (article lines {lines}) "
                                   "and the words around it no longer tell which; add a prefix or suffix")
    if found == here:
        return None
    return "moved", found, (f"moved from {here[0]}-{here[1]} to {found[0]}-{found[1]} (article line "
                            f"{anchor.line_of(new, found[0])}); scoq ingest records the new offsets")


def _annotation_lines(path: Path) -> dict[str, int]:
    """The line of each statement's and figure's quote in its annotation file."""
    from scoq.annotations import Locator, parse_yaml

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    data, problems = parse_yaml(text, str(path))
    if problems or not isinstance(data, dict):
        return {}
    locator, lines = Locator(text), {}
    for section in ("statements", "figures"):
        for i, item in enumerate(data.get(section) or []):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                lines[item["id"]] = locator.where((section, i, "quote"))[0]
    return lines


def run(conn: sqlite3.Connection, root: Path) -> tuple[list[dict], dict[str, int]]:
    """Rows naming every annotation that no longer matches the corpus under ``root``,
    and counts: articles, annotations checked, and stale ones by status."""

    rows: list[dict] = []
    counts = {"articles": 0, "annotations": 0, "texts changed": 0, "annotation files changed": 0}

    def row(article_id, status, kind, reason, file, **more):
        rows.append({"article_id": article_id, "status": status, "kind": kind, "reason": reason,
                     "file": display_path(file), **more})

    meta = queries.meta(conn)
    registry = root / corpus.REGISTRY
    if not registry.is_file():
        row(None, "missing", "registry", "registry.yaml is not in the corpus folder", registry)
    elif meta.get("registry_sha256") and corpus.file_sha256(registry) != meta["registry_sha256"]:
        row(None, "changed", "registry", "changed since ingest; check with scoq validate, then scoq ingest",
            registry)

    known = set()
    for art in queries.articles_recorded(conn):
        counts["articles"] += 1
        art_id = art["article_id"]
        known.add(art_id)
        text_path, ann_path = root / art["path"], root / art["annotation_path"]
        if not ann_path.is_file():
            row(art_id, "missing", "annotations", "the annotation file is gone; restore it, or ingest again "
                                                  "to drop the article", ann_path)
        elif corpus.file_sha256(ann_path) != art["annotation_sha256"]:
            counts["annotation files changed"] += 1
            row(art_id, "changed", "annotations", "changed since ingest; check with scoq validate, "
                                                  "then scoq ingest", ann_path)
        if not text_path.is_file():
            row(art_id, "missing", "article", "the article's text is gone; restore it, or ingest again to "
                                              "drop the article", text_path)
            continue
        new, problems = corpus.read_article(text_path)
        if new is None:
            row(art_id, "unreadable", "article", "; ".join(p.message for p in problems), text_path)
            continue
        if hashlib.sha256(new.encode("utf-8")).hexdigest() == art["sha256"]:
            counts["annotations"] += sum(1 for s in queries.spans(conn, art_id) if s["kind"] != "quantity")
            continue
        counts["texts changed"] += 1
        old = queries.article(conn, art_id)["text"]
        lines = _annotation_lines(ann_path)
        stale, span_rows = 0, []
        for span in queries.spans(conn, art_id):
            if span["kind"] == "quantity":  # found with its figure
                continue
            counts["annotations"] += 1
            found = reanchor(old, new, span)
            if found is None:
                continue
            status, at, why = found
            stale += 1
            counts[status] = counts.get(status, 0) + 1
            span_rows.append(dict(
                article_id=art_id, status=status, kind=span["kind"], reason=why, file=display_path(ann_path),
                id=span["id"] or span["type"], start=span["start"], end=span["end"],
                new_start=at and at[0], new_end=at and at[1], text=span["text"], line=lines.get(span["id"])))
        row(art_id, "changed", "article",
            f"the text changed since ingest ({art['chars']} -> {len(new)} characters); "
            + (f"{stale} of its annotations no longer match" if stale else
               "every annotation is still where it was; scoq ingest records the new text"),
            text_path)
        # What needs a fix in the annotation file first, then what ingest will update.
        rows.extend(sorted(span_rows, key=lambda r: r["status"] == "moved"))

    files, _ = corpus.discover(root)
    for ann in files.annotations if files else []:
        if ann.stem not in known:
            row(ann.stem, "new", "article", "not in the database; scoq validate, then scoq ingest adds it", ann)
    return rows, counts
