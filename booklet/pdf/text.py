"""Text of a PDF as a reader would search it.

Extracted text differs from the program's text in ways that do not matter to a reader: lines break
anywhere (sometimes after a hyphen TeX added), ligatures come out as single code points, headings
are upper-cased, spacing varies. `normalize` removes exactly those differences and nothing else,
so "the title is in the booklet" can be checked with a plain substring test.
"""

from __future__ import annotations

import re
import unicodedata

from pypdf import PdfReader

_LINE_END_HYPHEN = re.compile(r"(?<=\w)-[ \t]*\n[ \t]*(?=\w)")
_SPACE = re.compile(r"\s+")
_SPACED_ELLIPSIS = re.compile(r"\.\s\.\s\.")  # LaTeX sets … as three spaced periods


def page_texts(reader: PdfReader) -> list[str]:
    """Each page's extracted text, once: checks reuse this list rather than extracting again."""
    return [page.extract_text() or "" for page in reader.pages]


def normalize(text: str) -> str:
    """NFKC, curly single quotes straight, ellipses as three periods, whitespace folded, case folded."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
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
        self.kept = normalize(_LINE_END_HYPHEN.sub("-", text))
        self.joined = normalize(_LINE_END_HYPHEN.sub("", text))

    def __contains__(self, needle: str) -> bool:
        wanted = normalize(needle)
        return wanted in self.kept or wanted in self.joined
