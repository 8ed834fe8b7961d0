"""Finding a corpus on disk and reading its articles exactly as they are.

A corpus is a folder with ``registry.yaml`` at its top and, anywhere below it, article
texts (``NAME.txt``) each with its annotation file (``NAME.yaml``) beside it. Article
text is never altered: annotations point into it as it is, so it is decoded as strict
UTF-8 and kept verbatim, line ends and all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from scoq.problems import Problem, display_path

REGISTRY = "registry.yaml"
MAX_ARTICLE_BYTES = 16 * 1024 * 1024


def shipped() -> Path:
    """The corpus that ships with scoq: inside the installed package, or ``data/`` in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "corpus", here.parent / "data"):
        if (candidate / REGISTRY).is_file():
            return candidate
    return here / "corpus"


def root_of(path: Path) -> Path | None:
    """The corpus folder that holds ``path``: the nearest folder, itself or above it,
    with registry.yaml at its top; None when there is none."""
    here = path.resolve()
    for folder in ([here] if here.is_dir() else []) + list(here.parents):
        if (folder / REGISTRY).is_file():
            return folder
    return None


class PathList:
    """A list of paths kept as strings: a Path object costs several times the memory
    of its string, which counts at a hundred thousand articles. Items come out as Paths."""

    def __init__(self, items=()):
        self._items: list[str] = [str(p) for p in items]

    def append(self, path) -> None:
        self._items.append(str(path))

    def strings(self) -> list[str]:
        return self._items

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self):
        return map(Path, self._items)

    def __getitem__(self, i):
        return [Path(p) for p in self._items[i]] if isinstance(i, slice) else Path(self._items[i])

    def __eq__(self, other) -> bool:
        return list(self) == list(other)

    def __repr__(self) -> str:
        return f"PathList({self._items!r})"


@dataclass
class CorpusFiles:
    root: Path
    registry: Path
    annotations: PathList = field(default_factory=PathList)
    #: Only the texts with no annotation file of the same name beside them: the others
    #: are known from their annotation files (a large corpus need not list them twice).
    texts: PathList = field(default_factory=PathList)

    def __post_init__(self):
        # Plain lists of paths are welcome too.
        for name in ("annotations", "texts"):
            if not isinstance(getattr(self, name), PathList):
                setattr(self, name, PathList(getattr(self, name)))


def discover(root: Path) -> tuple[CorpusFiles | None, list[Problem]]:
    """The registry, annotation files and article texts under ``root``, in a stable order."""
    shown = display_path(root)
    if not root.exists():
        return None, [Problem(shown, 0, 0, "no such folder; give the path of a corpus folder (one with registry.yaml)")]
    if not root.is_dir():
        return None, [Problem(shown, 0, 0, "not a folder; give the corpus folder, the one holding registry.yaml")]
    registry = root / REGISTRY
    problems: list[Problem] = []
    if not registry.is_file():
        problems.append(
            Problem(display_path(registry), 0, 0,
                    "missing: a corpus needs registry.yaml at its top, declaring its people, events and claims")
        )
    files = CorpusFiles(root, registry)
    top = os.fspath(root)
    seen: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in seen:
            problems.append(Problem(display_path(dirpath), 0, 0,
                                    f"symbolic link loop: it leads to {display_path(real)}, which is already "
                                    "read; remove the link"))
            dirnames[:] = []
            continue
        seen.add(real)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        annotations = {name for name in filenames if name.endswith((".yaml", ".yml")) and not name.startswith(".")
                       and not (dirpath == top and name == REGISTRY)}
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            if name in annotations:
                files.annotations.append(os.path.join(dirpath, name))
            elif name.endswith(".txt") and not (name[:-4] + ".yaml" in annotations or name[:-4] + ".yml" in annotations):
                files.texts.append(os.path.join(dirpath, name))
    return files, problems


class TooLarge(OSError):
    """A file larger than the caller takes; ``size`` is its size in bytes."""

    def __init__(self, size: int):
        super().__init__(f"{size:,} bytes")
        self.size = size


def read_bytes(path: Path | str, limit: int | None = None) -> bytes:
    """A file's bytes, in four system calls (open, fstat, read, close): Python's
    buffered ``open`` adds five more (isatty, seeks, a second fstat and read), and an
    ingest reads two files of every article. Raises OSError as ``open`` does, and
    TooLarge for a file of more than ``limit`` bytes."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(fd).st_size
        if limit is not None and size > limit:
            raise TooLarge(size)
        data = os.read(fd, size + 1)
        if len(data) != size:  # grown, shrunk or not a plain file: read on to the end
            parts, total = [data], len(data)
            while chunk := os.read(fd, 1 << 20):
                parts.append(chunk)
                total += len(chunk)
                if limit is not None and total > limit:
                    raise TooLarge(total)
            data = b"".join(parts)
        return data
    finally:
        os.close(fd)


def file_sha256(path: Path | str) -> str | None:
    """The SHA-256 of a file's bytes, in hex; None when it cannot be read (which a
    re-ingest or verify then counts as changed)."""
    import hashlib

    try:
        return hashlib.sha256(read_bytes(path)).hexdigest()
    except OSError:
        return None


def read_article(path: Path) -> tuple[str | None, list[Problem]]:
    """The article's text, verbatim, or the reason it cannot be used."""
    from scoq.annotations import decode

    try:
        raw = read_bytes(path, MAX_ARTICLE_BYTES)
    except TooLarge as e:
        return None, [Problem(display_path(path), 0, 0, f"{e.size:,} bytes is too large for one article "
                              f"(limit {MAX_ARTICLE_BYTES:,}); split it or remove what is not the report")]
    except FileNotFoundError:
        return None, [Problem(display_path(path), 0, 0,
                              "missing: the annotation file names this article, but there is no such file")]
    except OSError as e:
        return None, [Problem(display_path(path), 0, 0, f"cannot read: {e.strerror}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return decode(raw, display_path(path))  # the place of the first bad byte
    if not text.strip():
        return None, [Problem(display_path(path), 0, 0, "the article is empty; put the report's text in it, or remove it")]
    return text, []
