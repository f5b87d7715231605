"""The chair sheets of the last good build, kept to be used again: each session's sheet under a key
of everything TeX reads to typeset it.

A one-title fix changes one session's sheet, and typesetting the other 206 again would keep a core
busy for two seconds. The chair-sheets LaTeX is a preamble, then one fragment per sheet (from its
`% sheet:` line to the next), then `\\end{document}`. A sheet's key hashes the engine, the style
files, the preamble, its own fragment and the end, comment lines left out (they name the program
file and the item; TeX skips them). chairsheets.sty makes a sheet's page the same whichever other
sheets share its run (the same fonts with the same glyphs, loaded in one order; a blank lead page),
so a sheet typeset alone is byte for byte the sheet typeset among all the others, and a kept sheet
is what a cold build would make. That holds for pdfLaTeX; LuaLaTeX's subsets follow its shaping,
so under LuaLaTeX every sheet is typeset every time.

The store is OUT/.booklet/sheets/KEY.pdf, each the session file the build published (a hard link to
it where the file system allows, else a copy), and sheets.json with each file's size and time of
change: a file that does not match them (edited in place, replaced) is not used. Like the TeX
state in carry.py it is a cache: anything missing or odd means typesetting that sheet again, never
a failure.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .carry import STATE_DIR, own_folder
from .publish import publish, write_file

STORE_DIR = "sheets"
_INDEX = "sheets.json"
_MARKER = re.compile(r"^% sheet: (.*)\n", re.M)
_END = "\\end{document}"


@dataclass
class SheetsLatex:
    """The chair-sheets LaTeX cut at its sheets."""

    head: str  # up to and including \begin{document}
    fragments: list[str]  # each sheet's LaTeX, its "% sheet:" line first
    tail: str  # \end{document} and after

    def keys(self, engine: str, styles: list[bytes]) -> list[str]:
        """Each sheet's key: a hash of what TeX reads to typeset it alone."""
        shared = hashlib.sha256(f"booklet {__version__}\n{engine}\n{_engine_build(engine)}\n".encode())
        for data in styles:
            shared.update(f"{len(data)}\n".encode() + data)
        for text in (self.head, self.tail):
            shared.update(_typeset_lines(text).encode() + b"\0")
        keys = []
        for fragment in self.fragments:
            digest = shared.copy()
            digest.update(_typeset_lines(fragment).encode())
            keys.append(digest.hexdigest())
        return keys

    def document(self, indices: list[int]) -> str:
        """The LaTeX of a run that typesets only the sheets at INDICES."""
        return self.head + "".join(self.fragments[index] for index in indices) + self.tail


def split_sheets(tex: str, destinations: list[str]) -> SheetsLatex | None:
    """TEX cut at its `% sheet: NAME` lines, which must name DESTINATIONS in order and follow
    \\begin{document}; None when they do not (a template of the user's that drops the lines): then
    every sheet is typeset, as one run."""
    markers = list(_MARKER.finditer(tex))
    if [m.group(1) for m in markers] != destinations or not markers:
        return None
    head = tex[:markers[0].start()]
    end = tex.rfind(_END)
    if "\\begin{document}" not in head or end < markers[-1].end():
        return None
    starts = [m.start() for m in markers] + [end]
    return SheetsLatex(head, [tex[a:b] for a, b in zip(starts, starts[1:])], tex[end:])


def _typeset_lines(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith("%"))


def _engine_build(engine: str) -> str:
    """The engine's binary, by size and time of change: another TeX Live may set a page otherwise."""
    found = shutil.which(engine)
    try:
        status = os.stat(found) if found else None
    except OSError:
        status = None
    return f"{status.st_size} {status.st_mtime_ns}" if status else "none"


class SheetStore:
    """The sheets OUT's last good build left, by key."""

    def __init__(self, out: Path):
        self.folder = out / STATE_DIR / STORE_DIR
        self._index_file = out / STATE_DIR / _INDEX
        self._entries: dict[str, list[int]] = {}
        try:
            if own_folder(self.folder.parent) and own_folder(self.folder):
                entries = json.loads(self._index_file.read_text(encoding="utf-8")).get("sheets", {})
                if isinstance(entries, dict):
                    self._entries = entries
        except (OSError, ValueError, AttributeError):
            self._entries = {}

    def find(self, key: str) -> Path | None:
        """The kept sheet for KEY, when it is there as it was kept."""
        path = self.folder / f"{key}.pdf"
        try:
            status = path.lstat()  # a link to elsewhere is not a regular file
        except OSError:
            return None
        if not stat.S_ISREG(status.st_mode) or self._entries.get(key) != [status.st_size, status.st_mtime_ns]:
            return None
        return path

    def keep(self, sheets: dict[str, Path]) -> None:
        """After a good build: SHEETS (key -> the session file it published) are the store; kept
        sheets of other keys go. Best effort: a store that cannot be written only costs the next
        build the sheets it would have kept."""
        try:
            if self.folder.parent.is_symlink() or self.folder.is_symlink():
                return  # not ours
            self.folder.mkdir(parents=True, exist_ok=True)
            entries = {}
            for key, published in sheets.items():
                path = self.folder / f"{key}.pdf"
                if self.find(key) is None:
                    staged = self.folder / f".{key}.new"
                    staged.unlink(missing_ok=True)
                    try:
                        os.link(published, staged)
                    except OSError:
                        shutil.copyfile(published, staged)
                    os.replace(staged, path)
                status = path.stat()
                entries[key] = [status.st_size, status.st_mtime_ns]
            for path in self.folder.iterdir():
                if path.name.removesuffix(".pdf") not in entries and path.is_file():
                    path.unlink()
            staged = self._index_file.with_name(f".{_INDEX}.new")
            write_file(staged, json.dumps({"sheets": entries}, sort_keys=True) + "\n")
            publish(staged, self._index_file)
        except OSError:
            pass
