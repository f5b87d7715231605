"""Text of a PDF as a reader would search it.

Extracted text differs from the program's text in ways that do not matter to a reader: lines break
anywhere (sometimes after a hyphen TeX added), ligatures come out as single code points, headings
are upper-cased, spacing varies. `normalize` removes exactly those differences and nothing else,
so "the title is in the booklet" can be checked with a plain substring test.
"""

from __future__ import annotations

import re
import shutil
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

from pypdf import PdfReader

from .pipes import DrainedProcess

from ..tex.unicode import INVISIBLE

_LINE_END_SLASH = re.compile(r"/[ \t]*\n[ \t]*")  # a URL broken after a slash
_SPACE = re.compile(r"\s+")
_SPACE_OR_HYPHEN = re.compile(r"[\s\-]+")
_SPACED_ELLIPSIS = re.compile(r"\.\s\.\s\.")  # LaTeX sets … as three spaced periods


# Command-line extractors, fastest first, each writing UTF-8 text with a form feed after each page.
# MuPDF's mutool reads a 340-page booklet in half a second, poppler's pdftotext in three (it parses
# every embedded font again on every page). pypdf, much slower still, is the last resort when
# neither is installed or both fail. Only mutool reads a list of pages (page_memo.py's).
EXTRACTORS = {
    "mutool": lambda path: ["mutool", "draw", "-q", "-F", "txt", "-o", "-", str(path)],
    "pdftotext": lambda path: ["pdftotext", "-enc", "UTF-8", "-q", str(path), "-"],
}
READS_PAGE_LISTS = {"mutool"}


class TextExtraction:
    """A command-line extractor started in the background (pipes.py), so that it reads the file on
    the other core while pypdf parses it; `pages` collects its result (or falls back, see EXTRACTORS).
    ONLY (page indexes from 0, ascending): just those pages' texts."""

    def __init__(self, path: Path, extractors: tuple[str, ...] = tuple(EXTRACTORS), only: list[int] | None = None):
        self.path = path
        self._only = only
        self._waiting = [name for name in extractors if shutil.which(name)
                         and (only is None or name in READS_PAGE_LISTS)]
        self.used: str | None = None  # the extractor whose text `pages` returned ("pypdf" at the last)
        self._process = self._start_next()

    def _start_next(self) -> DrainedProcess | None:
        while self._waiting:
            self.used = self._waiting.pop(0)
            command = EXTRACTORS[self.used](self.path)
            if self._only is not None:
                command.append(",".join(str(index + 1) for index in self._only))
            try:
                return DrainedProcess(command)
            except OSError:
                continue
        return None

    def pages(self, reader: PdfReader) -> list[str]:
        indexes = self._only if self._only is not None else range(len(reader.pages))
        while self._process is not None:
            output, status = self._process.output(timeout=300)
            pages = output.decode("utf-8", errors="replace").split("\f")
            if status == 0 and len(pages) >= len(indexes):
                if self._only and self._only[0] > 0:
                    # mutool ends a page with a form feed and a newline, so in the whole file every
                    # page but the first starts with "\n": a page read alone reads the same.
                    pages[0] = "\n" + pages[0]
                return pages[: len(indexes)]
            self._process = self._start_next()
        self.used = "pypdf"
        return [reader.pages[index].extract_text() or "" for index in indexes]

    def cancel(self) -> None:
        """Stop the extractor (its text is not needed after all)."""
        if self._process is not None:
            self._process.kill()


class ShapedTextExtraction:
    """Both extractors' text of each page, one after the other, for a file LuaLaTeX set.

    HarfBuzz output is read differently by the two reader engines, each right where the other is
    wrong: poppler honours the /ActualText that luaotfload gives a shaped cluster (a Devanagari
    conjunct reads "त्रि"; MuPDF reads no letters there), MuPDF puts right-to-left text in its
    logical order (poppler reorders a whole line around an Arabic name, brackets mirrored). A
    string is in the page when either engine reads it exactly as typed."""

    def __init__(self, path: Path):
        self._extractions = [TextExtraction(path, (name,)) for name in EXTRACTORS]

    def pages(self, reader: PdfReader) -> list[str]:
        texts = [extraction.pages(reader) for extraction in self._extractions]
        return ["\n".join(versions) for versions in zip(*texts)]

    def cancel(self) -> None:
        for extraction in self._extractions:
            extraction.cancel()


def text_extraction(path: Path, shaped: bool = False) -> TextExtraction | ShapedTextExtraction:
    return ShapedTextExtraction(path) if shaped else TextExtraction(path)


def page_texts(reader: PdfReader, path: Path | None = None, extractors: tuple[str, ...] = tuple(EXTRACTORS)
               ) -> list[str]:
    """Each page's extracted text, once: checks reuse this list rather than extracting again."""
    if path is None:
        return [page.extract_text() or "" for page in reader.pages]
    return TextExtraction(path, extractors).pages(reader)


# Direction marks poppler puts around right-to-left runs, and other invisible characters: not text.
_INVISIBLE = str.maketrans({ch: None for ch in INVISIBLE})


def normalize(text: str) -> str:
    """NFKC, invisible marks removed, curly single quotes straight, ellipses as three periods,
    whitespace folded, case folded. Accents stay: "Nguyen" is not "Nguyễn"."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = _SPACED_ELLIPSIS.sub("...", text)
    return _SPACE.sub(" ", text).strip().casefold()


class SearchableText:
    """Text in which program strings are looked up, whatever the line breaks did to them.

    A hyphen at a line end is either the text's own ("Cloud-Edge" broken after "Cloud-") or one
    TeX added to split a word ("Commu-nication"); it is impossible to tell which from the PDF. So
    both text and string are compared with every space and hyphen removed, after `normalize`: a
    string is found whichever reading is right, when it was broken both at a hyphen of its own and
    where TeX added one, and when extraction put spaces between math letters. (Comparing the
    hyphen-kept and hyphen-joined readings first would change no answer: a string found in either
    is found in the compact text, because deleting characters from both sides keeps a substring a
    substring.)
    """

    def __init__(self, text: str):
        self.text = _LINE_END_SLASH.sub("/", text)
        self.compact = _compact(normalize(self.text))

    def __contains__(self, needle: str) -> bool:
        return _needle_form(needle) in self.compact

    def missing(self, needles: list[str]) -> list[str]:
        """Those of NEEDLES that are not in the text, for many strings in a long text (every title
        and name of a conference against its booklet). The strings come in the order the program
        gives them, which is, nearly always, the order they are printed in: each is searched for
        from where the one before it was found, so the text is read about once in all instead of
        once per string; one found only earlier in the text is then searched from the start."""
        text = self.compact
        absent = []
        cursor = 0
        for needle in needles:
            form = _needle_form(needle)
            at = text.find(form, cursor)
            if at < 0:
                at = text.find(form, 0, cursor + len(form))
            if at < 0:
                absent.append(needle)
            else:
                cursor = at
        return absent

    def present(self, needles: list[str]) -> list[str]:
        """Those of NEEDLES that are in the text, for many strings and a short text (every other
        session's titles against one chair sheet). A string can only be in the text if its first
        WINDOW characters are one of the text's WINDOW-character slices; the slices are matched
        against every string's first characters at once (a set intersection), so only the few
        strings that share a slice with the text are searched for."""
        wanted = set(needles)
        _PREFIXES.add(wanted)
        candidates = wanted & _PREFIXES.short
        text = self.compact
        slices = {text[i:i + WINDOW] for i in range(len(text) - WINDOW + 1)}
        for key in slices & _PREFIXES.table.keys():
            candidates |= _PREFIXES.table[key] & wanted
        found = {needle for needle in candidates if needle in self}
        return [needle for needle in needles if needle in found]


WINDOW = 12  # characters: shorter than nearly every title, long enough to be rare in a page


class _PrefixTable:
    """Every string `present` has been asked about, by the first WINDOW characters of the form it
    is searched in; strings shorter than that are searched for directly."""

    def __init__(self):
        self.seen: set[str] = set()
        self.short: set[str] = set()
        self.table: dict[str, set[str]] = {}
        self._lock = threading.Lock()

    def add(self, needles: set[str]) -> None:
        with self._lock:
            for needle in needles - self.seen:
                form = _needle_form(needle)
                if len(form) < WINDOW:
                    self.short.add(needle)
                else:
                    self.table.setdefault(form[:WINDOW], set()).add(needle)
                self.seen.add(needle)


_PREFIXES = _PrefixTable()


@lru_cache(maxsize=65536)
def _needle_form(needle: str) -> str:
    """How a program string is searched for. Cached: the preflight looks every title of a
    conference up in every session's sheet (to prove it is not there), hundreds of times each."""
    return _compact(normalize(needle))


def _compact(text: str) -> str:
    return _SPACE_OR_HYPHEN.sub("", text)
