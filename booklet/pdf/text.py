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
import unicodedata
from pathlib import Path

from pypdf import PdfReader

from ..tex.unicode import EXTRACTS_AS, GREEK_AS_LATIN, is_composed

_LINE_END_HYPHEN = re.compile(r"(?<=\w)-[ \t]*\n[ \t]*(?=\w)")
_LINE_END_SLASH = re.compile(r"/[ \t]*\n[ \t]*")  # a URL broken after a slash
_SPACE = re.compile(r"\s+")
_SPACED_ELLIPSIS = re.compile(r"\.\s\.\s\.")  # LaTeX sets … as three spaced periods


def page_texts(reader: PdfReader, path: Path | None = None) -> list[str]:
    """Each page's extracted text, once: checks reuse this list rather than extracting again.

    poppler's pdftotext (installed with booklet's TeX set-up) reads a 300-page booklet about a
    hundred times faster than pypdf, and recombines accents TeX stacked; pypdf is the fallback when
    it is missing or fails.
    """
    if path is not None and shutil.which("pdftotext"):
        done = subprocess.run(["pdftotext", "-enc", "UTF-8", "-q", str(path), "-"], capture_output=True,
                              timeout=300, check=False)
        if done.returncode == 0:
            pages = done.stdout.decode("utf-8", errors="replace").split("\f")
            if len(pages) >= len(reader.pages):
                return pages[: len(reader.pages)]
    return [page.extract_text() or "" for page in reader.pages]


# Greek capitals are printed with their Latin twins; a few letters read back as look-alikes.
_GREEK_LATIN = str.maketrans({**GREEK_AS_LATIN, **EXTRACTS_AS})
# A stacked accent comes out as its own glyph, sometimes with a space ("Nguy ˜ên"); dot and comma
# below come out as "." and "," inside a word ("Nguye.t").
_ACCENT_GLYPH = re.compile(r" ?[\u02c6-\u02dd\u00a8\u00af\u00b4\u00b8`^~] ?|(?<=\w)[.,](?=\w)")


def normalize(text: str) -> str:
    """NFKC, curly single quotes straight, ellipses as three periods, whitespace folded, case folded."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "").translate(_GREEK_LATIN)
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = _SPACED_ELLIPSIS.sub("...", text)
    return _SPACE.sub(" ", text).strip().casefold()


class SearchableText:
    """Text in which program strings are looked up, whatever the line breaks did to them.

    A hyphen at a line end is either the text's own ("Cloud-Edge" broken after "Cloud-") or one
    TeX added to split a word ("Commu-nication"); it is impossible to tell which from the PDF, so
    the text is kept in both readings and a string is found if it is in either.
    """

    def __init__(self, text: str):
        text = _LINE_END_SLASH.sub("/", text)
        self.text = text
        self.kept = normalize(_LINE_END_HYPHEN.sub("-", text))
        self.joined = normalize(_LINE_END_HYPHEN.sub("", text))
        self._folded: str | None = None
        self._compact: str | None = None
        self._compact_folded: str | None = None

    def __contains__(self, needle: str) -> bool:
        if any(is_composed(ch) for ch in needle if not ch.isascii()):
            folded = fold_accents(_ACCENT_GLYPH.sub("", needle))  # the same folding as the text's
            return folded in self.folded or _compact(folded) in self.compact_folded
        wanted = normalize(needle)
        if wanted in self.kept or wanted in self.joined:
            return True
        # Last resort, for what extraction blurs: a string broken both at a hyphen of its own and
        # where TeX added one, or spaces between math letters that a PDF reader does not see.
        return _compact(wanted) in self.compact

    @property
    def compact(self) -> str:
        """The text with no whitespace and no hyphens at all."""
        if self._compact is None:
            self._compact = _compact(self.joined)
        return self._compact

    @property
    def folded(self) -> str:
        """Letters without accents, for text whose accents TeX stacks as separate glyphs ("Nguy˜ên")."""
        if self._folded is None:
            self._folded = fold_accents(_ACCENT_GLYPH.sub("", _LINE_END_HYPHEN.sub("-", self.text)))
        return self._folded


    @property
    def compact_folded(self) -> str:
        if self._compact_folded is None:  # once, not once per needle
            self._compact_folded = _compact(self.folded)
        return self._compact_folded


def _compact(text: str) -> str:
    return re.sub(r"[\s\-]+", "", text)


def fold_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", normalize(text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
