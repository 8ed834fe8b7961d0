"""Corpora made at test time from the made-up corpus ``harbor``: many articles, or a variant."""

from __future__ import annotations

import shutil
from pathlib import Path

HARBOR = Path(__file__).resolve().parent / "corpora" / "harbor"


def large_corpus(dest: Path, copies: int, filler: int = 0) -> Path:
    """``harbor`` with each of its two articles copied ``copies`` times under new ids
    (a1 -> a7, its statements a7-s1...), each copy's text a little different and
    followed by ``filler`` lines of other text (more to write, little more to check)."""
    (dest / "articles").mkdir(parents=True)
    shutil.copyfile(HARBOR / "registry.yaml", dest / "registry.yaml")
    for stem in ("a1", "b2"):
        text = (HARBOR / "articles" / f"{stem}.txt").read_text(encoding="utf-8")
        ann = (HARBOR / "articles" / f"{stem}.yaml").read_text(encoding="utf-8")
        for i in range(copies):
            new = f"{stem[0]}{i}"
            archive = "".join(f"Archive line {i}-{k}: harbour notes, tides and moorings.\n" for k in range(filler))
            (dest / "articles" / f"{new}.txt").write_text(text + f"\nCopy {i} of this report.\n\n" + archive,
                                                         encoding="utf-8")
            (dest / "articles" / f"{new}.yaml").write_text(ann.replace(f"{stem}-", f"{new}-"), encoding="utf-8")
    return dest
