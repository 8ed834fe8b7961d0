"""Problems found in a corpus, each pinned to a file and line, with the fix."""

from __future__ import annotations

import os
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, printed as ``file:line:col: message``."""

    file: str
    line: int = 0
    col: int = 0
    message: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        # One problem, one line: a value quoted in the message may hold a line break.
        return f"{where}: {self.message}".replace("\r", "\\r").replace("\n", "\\n")


class InputError(Exception):
    """Raised with every problem found, so that all of them are reported in one run."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(word: str, choices) -> str:
    """`` (did you mean 'x'?)`` when a choice is close to ``word``, else ''."""
    import difflib

    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def display_path(path: Path | str) -> str:
    """A path as the user would type it: relative to the working directory when inside
    it (or when it is there once symbolic links are followed).

    Ingest names two files of every article, so the answer for their folder is kept."""
    text = os.fspath(path)
    folder, name = os.path.split(text)
    cwd = os.getcwd()
    if not folder or name in ("", ".", ".."):
        return _display(text, cwd)
    shown, textual = _display_folder(folder, cwd)
    # Outside the working directory as written, the path may still lead into it (or be
    # it): through a link, or by naming the working directory itself.
    if not textual and (name in _names_of(cwd) or os.path.islink(text)):
        return _display(text, cwd)
    return name if shown == "." else os.path.join(shown, name)


def _display(text: str, cwd: str) -> str:
    inside = _relative(os.path.abspath(text), cwd)
    if inside is None:
        inside = _relative(os.path.realpath(text), os.path.realpath(cwd))
    return inside if inside is not None else str(Path(text))


@lru_cache(maxsize=8)
def _names_of(cwd: str) -> tuple[str, str]:
    return os.path.basename(cwd), os.path.basename(os.path.realpath(cwd))


@lru_cache(maxsize=256)
def _display_folder(folder: str, cwd: str) -> tuple[str, bool]:
    """display_path of a folder, and whether it was found without following links."""
    inside = _relative(os.path.abspath(folder), cwd)
    return (inside, True) if inside is not None else (_display(folder, cwd), False)


def _relative(path: str, folder: str) -> str | None:
    """``path`` relative to ``folder`` (both absolute and normalized), or None if outside it."""
    if path == folder:
        return "."
    folder = folder.rstrip(os.sep) + os.sep
    return path[len(folder):] if path.startswith(folder) else None
