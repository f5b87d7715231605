"""Each page's text and word boxes for the preflight: read by the command-line readers, or known
from the last build's memo (page_memo.py) when the page prints what it printed then.

With no memo to go by (a first build), the readers start at once, beside pypdf's parse, as before.
With one, they wait for the parse: the page keys say which pages are new, and only those are read
(one mutool for their text, pdftotext on their page ranges for their boxes).
"""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from .layout import PageWords, WordBoxes
from .page_memo import PageKeys, PageMemo
from .text import TextExtraction, text_extraction


class PageReadings:
    """What the readers make of the file at PATH: TEXT (each page's text) and/or BOXES (each page's
    words and where they are), for the pages of the reader given to `parsed`."""

    def __init__(self, path: Path, text: bool, boxes: bool, pages: int | None, scratch: Path | None,
                 shaped: bool, memo: PageMemo | None):
        self._path, self._scratch, self._memo, self._shaped = path, scratch, memo, shaped
        self._wants_text, self._wants_boxes = text, boxes
        self._keys: list[str | None] = []
        self._known_texts: dict[int, str] = {}
        self._known_boxes: dict[int, PageWords] = {}
        self._write = True  # False once a page could not be read
        self._extraction = self._boxes = None
        self._texts: list[str] | None = None
        if memo is None or not memo.warm:
            self._extraction = text_extraction(path, shaped) if text else None
            self._boxes = WordBoxes(path, pages, scratch) if boxes else None

    def parsed(self, reader: PdfReader) -> None:
        """The file is parsed: the memo's pages are looked up, and the readers started for the rest."""
        if self._memo is None:
            return
        self._keys = PageKeys(reader).all()
        if not self._memo.warm:
            return
        for index, key in enumerate(self._keys):
            if self._wants_text and (text := self._memo.text(key)) is not None:
                self._known_texts[index] = text
            if self._wants_boxes and (boxes := self._memo.boxes(key)) is not None:
                self._known_boxes[index] = boxes
        count = len(self._keys)
        if self._wants_text and (missing := [i for i in range(count) if i not in self._known_texts]):
            self._extraction = TextExtraction(self._path, only=missing)
        if self._wants_boxes and (missing := [i for i in range(count) if i not in self._known_boxes]):
            self._boxes = WordBoxes(self._path, count, self._scratch, only=missing)

    def texts(self, reader: PdfReader) -> list[str]:
        if self._texts is None:
            if self._memo is not None and self._memo.warm:
                fresh = iter(self._extraction.pages(reader) if self._extraction is not None else [])
                self._texts = [self._known_texts[i] if i in self._known_texts else next(fresh, "")
                               for i in range(len(reader.pages))]
            else:
                self._extraction = self._extraction or text_extraction(self._path, self._shaped)
                self._texts = self._extraction.pages(reader)
            if getattr(self._extraction, "used", "mutool") != "mutool":
                self._write = False  # the memo keeps mutool's text only, as its fingerprint says
        return self._texts

    def boxes(self) -> list[PageWords]:
        """Every page's words; the memo written (the file's readings are complete now)."""
        read = self._boxes.pages_by_index() if self._boxes is not None else {}
        count = len(self._keys) if self._keys else max(read, default=-1) + 1
        pages = [self._known_boxes.get(index) or read.get(index) for index in range(count)]
        if any(page is None for page in pages):  # a range poppler could not read: no words there, nothing kept
            self._write = False
        self.remember(pages)
        return [page or PageWords(0.0, 0.0, []) for page in pages]

    def remember(self, boxes: list[PageWords | None] | None = None) -> None:
        """The readings for the next build (page_memo.py), when every page has all it needs."""
        if self._memo is None or not self._keys or not self._write:
            return
        if self._wants_boxes and (boxes is None or len(boxes) != len(self._keys)):
            return
        if self._wants_text and (self._texts is None or len(self._texts) != len(self._keys)):
            return
        reused = {index for index in range(len(self._keys))
                  if (index in self._known_texts or not self._wants_text)
                  and (index in self._known_boxes or not self._wants_boxes)}
        self._memo.record(self._keys, self._texts if self._wants_text else None,
                          boxes if self._wants_boxes else None, reused)

    def cancel(self) -> None:
        for process in (self._extraction, self._boxes):
            if process is not None:
                process.cancel()
