"""Text of a PDF as a reader would search it.

Extracted text differs from the program's text in ways that do not matter to a reader: lines break
anywhere (sometimes after a hyphen TeX added), ligatures come out as single code points, headings
are upper-cased, spacing varies. `normalize` removes exactly those differences and nothing else,
so "the title is in the booklet" can be checked with a plain substring test.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from pypdf import PdfReader

from ..tex.unicode import EXTRACTS_AS, GREEK_AS_LATIN, is_composed

_LINE_END_SLASH = re.compile(r"/[ \t]*\n[ \t]*")  # a URL broken after a slash
_SPACE = re.compile(r"\s+")
_SPACE_OR_HYPHEN = re.compile(r"[\s\-]+")
_SPACED_ELLIPSIS = re.compile(r"\.\s\.\s\.")  # LaTeX sets … as three spaced periods


# Command-line extractors, fastest first, each writing UTF-8 text with a form feed after each page.
# MuPDF's mutool reads a 340-page booklet in half a second, poppler's pdftotext in three (it parses
# every embedded font again on every page); both recombine the accents TeX stacks. pypdf, much
# slower still, is the last resort when neither is installed or both fail.
EXTRACTORS = {
    "mutool": lambda path: ["mutool", "draw", "-q", "-F", "txt", "-o", "-", str(path)],
    "pdftotext": lambda path: ["pdftotext", "-enc", "UTF-8", "-q", str(path), "-"],
}


class TextExtraction:
    """A command-line extractor started in the background, so that it reads the file on the other
    core while pypdf parses it; `pages` collects its result (or falls back, see EXTRACTORS)."""

    def __init__(self, path: Path, extractors: tuple[str, ...] = tuple(EXTRACTORS)):
        self.path = path
        self._waiting = [name for name in extractors if shutil.which(name)]
        self._process = self._start_next()

    def _start_next(self) -> subprocess.Popen | None:
        while self._waiting:
            command = EXTRACTORS[self._waiting.pop(0)](self.path)
            try:
                return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
            except OSError:
                continue
        return None

    def pages(self, reader: PdfReader) -> list[str]:
        while self._process is not None:
            try:
                output, _ = self._process.communicate(timeout=300)
            except subprocess.TimeoutExpired:
                self.cancel()
                output = b""
            pages = output.decode("utf-8", errors="replace").split("\f")
            if self._process.returncode == 0 and len(pages) >= len(reader.pages):
                return pages[: len(reader.pages)]
            self._process = self._start_next()
        return [page.extract_text() or "" for page in reader.pages]

    def cancel(self) -> None:
        """Stop the extractor (its text is not needed after all)."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.communicate()


def page_texts(reader: PdfReader, path: Path | None = None, extractors: tuple[str, ...] = tuple(EXTRACTORS)
               ) -> list[str]:
    """Each page's extracted text, once: checks reuse this list rather than extracting again."""
    if path is None:
        return [page.extract_text() or "" for page in reader.pages]
    return TextExtraction(path, extractors).pages(reader)


# Greek capitals are printed with their Latin twins; a few letters read back as look-alikes.
_GREEK_LATIN = str.maketrans({**GREEK_AS_LATIN, **EXTRACTS_AS})
# A stacked accent comes out as its own glyph, sometimes with a space ("Nguy ˜ên"); dot and comma
# below come out as "." and "," after their letter ("Nguye.t", "Thi."), which cannot be told from
# punctuation. Strings with stacked accents are therefore compared without accents, periods or
# commas, on both sides.
_ACCENT_GLYPH = re.compile(r" ?[\u02c6-\u02dd\u00a8\u00af\u00b4\u00b8`^~] ?|[.,]")


def normalize(text: str) -> str:
    """NFKC, curly single quotes straight, ellipses as three periods, whitespace folded, case folded."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "").translate(_GREEK_LATIN)
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
        self._compact_folded: str | None = None

    def __contains__(self, needle: str) -> bool:
        forms = _needle_forms(needle)
        return forms.compact in (self.compact_folded if forms.accented else self.compact)

    def present(self, needles: list[str]) -> list[str]:
        """Those of NEEDLES that are in the text, for many strings and a short text (every other
        session's titles against one chair sheet). A string can only be in the text if its first
        WINDOW characters are one of the text's WINDOW-character slices; the slices are matched
        against every string's first characters at once (a set intersection), so only the few
        strings that share a slice with the text are searched for."""
        wanted = set(needles)
        _PREFIXES.add(wanted)
        candidates = wanted & _PREFIXES.short
        for accented, table in _PREFIXES.tables.items():
            text = self.compact_folded if accented else self.compact
            slices = {text[i:i + WINDOW] for i in range(len(text) - WINDOW + 1)}
            for key in slices & table.keys():
                candidates |= table[key] & wanted
        found = {needle for needle in candidates if needle in self}
        return [needle for needle in needles if needle in found]

    @property
    def compact_folded(self) -> str:
        """Letters without accents, for strings whose accents TeX stacks as separate glyphs ("Nguy˜ên")."""
        if self._compact_folded is None:  # once, not once per string looked up
            self._compact_folded = _folded(self.text)
        return self._compact_folded


WINDOW = 12  # characters: shorter than nearly every title, long enough to be rare in a page


class _PrefixTable:
    """Every string `present` has been asked about, by the first WINDOW characters of the form it
    is searched in (accented strings apart); strings shorter than that are searched for directly."""

    def __init__(self):
        self.seen: set[str] = set()
        self.short: set[str] = set()
        self.tables: dict[bool, dict[str, set[str]]] = {}
        self._lock = threading.Lock()

    def add(self, needles: set[str]) -> None:
        with self._lock:
            for needle in needles - self.seen:
                forms = _needle_forms(needle)
                if len(forms.compact) < WINDOW:
                    self.short.add(needle)
                else:
                    self.tables.setdefault(forms.accented, {}).setdefault(forms.compact[:WINDOW], set()).add(needle)
                self.seen.add(needle)


_PREFIXES = _PrefixTable()


class _NeedleForms(NamedTuple):
    accented: bool  # printed with stacked accents: searched for without them
    compact: str


@lru_cache(maxsize=65536)
def _needle_forms(needle: str) -> _NeedleForms:
    """How a program string is searched for. Cached: the preflight looks every title of a
    conference up in every session's sheet (to prove it is not there), hundreds of times each."""
    if any(is_composed(ch) for ch in needle if not ch.isascii()):
        return _NeedleForms(True, _folded(needle))
    return _NeedleForms(False, _compact(normalize(needle)))


def _folded(text: str) -> str:
    """TEXT without accents, accent glyphs, periods, commas, spaces and hyphens: the same steps on
    both sides, in an order that leaves nothing to chance (NFKC first, so that '…' has become three
    periods before periods go)."""
    return _compact(_ACCENT_GLYPH.sub("", fold_accents(text)))


def _compact(text: str) -> str:
    return _SPACE_OR_HYPHEN.sub("", text)


def fold_accents(text: str) -> str:
    return unicodedata.normalize("NFKD", normalize(text)).translate(_combining_marks())


@lru_cache(maxsize=1)
def _combining_marks() -> dict[int, None]:
    """Every combining mark of the Basic Multilingual Plane, mapped to nothing (str.translate)."""
    return {code: None for code in range(0x10000) if unicodedata.combining(chr(code))}
