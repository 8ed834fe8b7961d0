"""The library of broken corpora in ``tests/corpora/broken/``: each case is the made-up
corpus ``harbor`` with the recorded steps of its ``case.yaml`` applied, and
``expected.txt`` holds exactly what ``scoq ingest`` must print on stderr for it.

Steps (applied in order, paths relative to the corpus folder):

- ``edit: FILE`` with ``old``/``new``: replace one exact passage (it must be there);
  ``count: N`` replaces N occurrences (default 1);
- ``write: FILE`` with ``text`` (UTF-8) or ``hex`` (raw bytes): create or overwrite;
- ``encode: FILE`` with ``as``: re-save the file in another encoding;
- ``crlf: FILE``: give the file CRLF line ends;
- ``remove: FILE``;
- ``symlink: PATH`` with ``to``: a symbolic link;
- ``grow: FILE`` with ``size``: extend the file (sparse, so instant) to ``size`` bytes.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
HARBOR = HERE / "corpora" / "harbor"
BROKEN = HERE / "corpora" / "broken"


def cases() -> list[Path]:
    return sorted(p for p in BROKEN.iterdir() if (p / "case.yaml").is_file())


def build(case: Path, dest: Path) -> Path:
    """Copy harbor to ``dest`` and apply the case's steps; return ``dest``."""
    shutil.copytree(HARBOR, dest)
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    for step in spec["steps"]:
        apply(step, dest)
    return dest


def apply(step: dict, root: Path) -> None:
    if "edit" in step:
        path = root / step["edit"]
        text = path.read_text(encoding="utf-8")
        count = step.get("count", 1)
        assert text.count(step["old"]) >= count, f"{step['old']!r} not {count} times in {path}"
        path.write_text(text.replace(step["old"], step["new"], count), encoding="utf-8")
    elif "write" in step:
        path = root / step["write"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(bytes.fromhex(step["hex"]) if "hex" in step else step["text"].encode("utf-8"))
    elif "encode" in step:
        path = root / step["encode"]
        path.write_bytes(path.read_text(encoding="utf-8").encode(step["as"]))
    elif "crlf" in step:
        path = root / step["crlf"]
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    elif "remove" in step:
        (root / step["remove"]).unlink()
    elif "symlink" in step:
        os.symlink(step["to"], root / step["symlink"])
    elif "grow" in step:
        with open(root / step["grow"], "r+b") as fh:
            fh.truncate(step["size"])
    else:
        raise ValueError(f"unknown step {step}")
