"""How close `scoq suggest` comes to the curated annotations of a corpus.

For each article, suggest drafts annotations from the text, the publication date and
the registry alone; the drafts are compared with the curated statements and figures:

- a suggested statement matches a curated one when their content spans overlap
  substantially: the shared characters are at least half of the characters either
  covers (intersection over union >= 0.5); each is matched at most once, best first;
- a matched statement's speaker is correct when the suggested registry id is the
  curated speaker (an unknown speaker, left TODO, is not correct);
- a suggested figure matches a curated one when their quantities ("more than 12,000")
  share a character; each at most once;
- a suggested role matches when the curated statements give that speaker the same
  words as role in that article.

Recall is matched / curated, precision matched / suggested; for speakers, recall is
correct / matched statements and precision correct / matched statements whose speaker
was suggested. Deterministic: the same corpus gives the same figures.

    python bench/suggest_eval.py [CORPUS] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from scoq import corpus, suggest, validate
from scoq.annotations import load

THRESHOLD = 0.5


def _iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def _match(suggested: list[tuple[int, int]], curated: list[tuple[int, int]], score, threshold):
    """One-to-one pairs (i, j) of suggested and curated spans, best score first."""
    pairs = sorted(((score(s, c), i, j) for i, s in enumerate(suggested) for j, c in enumerate(curated)),
                   key=lambda p: (-p[0], p[1], p[2]))
    used_s, used_c, out = set(), set(), []
    for sc, i, j in pairs:
        if sc >= threshold and sc > 0 and i not in used_s and j not in used_c:
            used_s.add(i)
            used_c.add(j)
            out.append((i, j))
    return out


def _ratio(a: int, b: int) -> float:
    return round(a / b, 3) if b else 0.0


def evaluate(root: Path) -> dict:
    """Counts and ratios for the corpus at ``root``, per article and in total."""
    files, problems = corpus.discover(root)
    if problems or files is None:
        raise SystemExit("\n".join(map(str, problems)))
    rows = validate.check(files)
    registry, _, _ = load(files.registry, "registry", str(files.registry))
    per_article = []
    for art in rows.tables["articles"]:
        d = suggest.draft(art["id"], art["text"], art["published"], registry)
        cur_st = [r for r in rows.tables["statements"] if r["article_id"] == art["id"]]
        cur_fig = [r for r in rows.tables["figures"] if r["article_id"] == art["id"]]
        st_pairs = _match([(s.content.start, s.content.end) for s in d.statements],
                          [(r["start"], r["end"]) for r in cur_st], _iou, THRESHOLD)
        given = [(i, j) for i, j in st_pairs if d.statements[i].speaker.id]
        correct = [(i, j) for i, j in given if d.statements[i].speaker.id == cur_st[j]["speaker_id"]]
        sug_q = [(f.phrase.start + f.quantity.start, f.phrase.start + f.quantity.end) for f in d.figures]
        fig_pairs = _match(sug_q, [(r["quantity_start"], r["quantity_end"]) for r in cur_fig],
                           lambda a, b: float(min(a[1], b[1]) > max(a[0], b[0])), 1.0)
        cur_roles = {(r["speaker_id"], " ".join(r["role"].split())) for r in cur_st if r["role"]}
        sug_roles = {(sid, " ".join(span.words(art["text"]).split())) for sid, span in d.roles.items()}
        per_article.append({
            "article_id": art["id"],
            "statements_curated": len(cur_st), "statements_suggested": len(d.statements),
            "statements_matched": len(st_pairs),
            "speakers_given": len(given), "speakers_correct": len(correct),
            "figures_curated": len(cur_fig), "figures_suggested": len(d.figures),
            "figures_matched": len(fig_pairs),
            "roles_curated": len(cur_roles), "roles_suggested": len(sug_roles),
            "roles_matched": len(cur_roles & sug_roles),
        })
    total = {k: sum(a[k] for a in per_article) for k in per_article[0] if k != "article_id"}
    measures = {
        "statement_recall": _ratio(total["statements_matched"], total["statements_curated"]),
        "statement_precision": _ratio(total["statements_matched"], total["statements_suggested"]),
        "speaker_recall": _ratio(total["speakers_correct"], total["statements_matched"]),
        "speaker_precision": _ratio(total["speakers_correct"], total["speakers_given"]),
        "figure_recall": _ratio(total["figures_matched"], total["figures_curated"]),
        "figure_precision": _ratio(total["figures_matched"], total["figures_suggested"]),
        "role_recall": _ratio(total["roles_matched"], total["roles_curated"]),
        "role_precision": _ratio(total["roles_matched"], total["roles_suggested"]),
    }
    return {"articles": per_article, "total": total, "measures": measures}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Measure scoq suggest against curated annotations.")
    parser.add_argument("corpus", nargs="?", type=Path, default=corpus.shipped())
    parser.add_argument("--json", action="store_true", help="Print the result as JSON.")
    args = parser.parse_args(argv)
    result = evaluate(args.corpus)
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        print()
        return 0
    t = result["total"]
    m = result["measures"]
    print(f"{'':12} {'curated':>8} {'suggested':>10} {'matched':>8} {'recall':>7} {'precision':>10}")
    print(f"{'statements':12} {t['statements_curated']:>8} {t['statements_suggested']:>10} "
          f"{t['statements_matched']:>8} {m['statement_recall']:>7.3f} {m['statement_precision']:>10.3f}")
    print(f"{'speakers':12} {'':>8} {t['speakers_given']:>10} {t['speakers_correct']:>8} "
          f"{m['speaker_recall']:>7.3f} {m['speaker_precision']:>10.3f}")
    print(f"{'figures':12} {t['figures_curated']:>8} {t['figures_suggested']:>10} "
          f"{t['figures_matched']:>8} {m['figure_recall']:>7.3f} {m['figure_precision']:>10.3f}")
    print(f"{'roles':12} {t['roles_curated']:>8} {t['roles_suggested']:>10} "
          f"{t['roles_matched']:>8} {m['role_recall']:>7.3f} {m['role_precision']:>10.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
