"""What the readers found on each page of the last good build's files, for the next build's preflight.

The preflight's command-line readers (mutool's text, poppler's word boxes) take 1.1 s of CPU for a
1,500-paper booklet, and as much again for the chair sheets. After a small change, a title fixed,
nearly every page prints what it printed before: only those that do not are read again.

A page is known by its key: its content stream with every resource name replaced by a digest of
what the name stands for (the font's dictionary, widths, encoding, ToUnicode map and program; a form
XObject's stream; ...), plus its boxes, its rotation and its annotations that can print. The names
themselves cannot be part of it: pdfTeX names a font after the order TeX loaded it in, so a longer
title early in the booklet renames every later font (its /F257 is the next build's /F259) while the
pages print the same. Two pages with one key draw the same glyphs of the same fonts at the same
places, so a reader reads them alike.

The memo is kept in OUT/.booklet/pages/, one JSON-lines file per output file: a first line with its
fingerprint (booklet's reading code and the readers' executables), then a line per page: its key,
its text, its size and words (each word's box and text, as poppler read them, `_encode_words`).
The build writes a new one in its work folder as it checks a file, and keeps it once the outputs
are published (`keep`). It is a cache: a file that is missing, odd, or of
another fingerprint means reading every page again. Files set by LuaLaTeX are read by both readers
(text.ShapedTextExtraction) and are not memoized.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import shutil
from array import array
from functools import lru_cache
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from .. import __version__
from ..carry import own_folder
from ..publish import publish
from .layout import PageWords, Word

FOLDER = "pages"  # in OUT/.booklet/ (carry.STATE_DIR) and in the build's work folder
READERS = ("mutool", "pdftotext")
_NAME = re.compile(rb"/[^\s/\[\]()<>{}%]+")  # a name token in a content stream
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_KEYED_LINE = re.compile(r'\["[0-9a-f]{64}",')  # a page's line starts with its key
_SKIPPED_KEYS = {"/Parent", "/P"}  # back-links to the page tree: they would make every page's key one


class _Unkeyable(Exception):
    """A page whose key cannot be made (a loop among its resources): it is always read."""


def readers_present() -> bool:
    return all(shutil.which(name) for name in READERS)


# The modules that run the readers and turn their output into texts and words: a change to any of
# them (another reader option, another parse) makes the kept readings another's.
_READING_CODE = ("text.py", "layout.py", "page_memo.py", "readings.py", "poppler.py", "plain.js")


@lru_cache(maxsize=1)  # a process checks many files with the same code and the same readers
def fingerprint() -> str:
    """What the kept readings depend on besides the pages: booklet's reading code, and the very
    reader executables."""
    code = hashlib.sha256()
    for name in _READING_CODE:
        code.update((Path(__file__).parent / name).read_bytes())
    parts = [f"booklet {__version__} {code.hexdigest()}"]
    for name in READERS:
        found = shutil.which(name)
        stat = os.stat(found) if found else None
        parts.append(f"{name} {found} {stat.st_size if stat else 0} {stat.st_mtime_ns if stat else 0}")
    return "\n".join(parts)


def memo_for(expect, scratch: Path | None, kept: Path | None) -> PageMemo | None:
    """The memo of the file EXPECT describes: read from KEPT (OUT/.booklet/), written to SCRATCH (the
    build's work folder). None for a file cut from another (its texts are the other's), one set by
    LuaLaTeX, one nothing reads (the imposed booklet), a check with no work folder (`booklet
    check`), or a machine without both readers."""
    if expect.cut or expect.shaped or scratch is None or not (expect.text_layer or expect.margins is not None) \
            or not readers_present():
        return None
    name = expect.name.replace("/", "__") + ".jsonl"
    folder = kept / FOLDER if kept is not None else None
    return PageMemo(folder / name if folder is not None and own_folder(folder) else None, scratch / FOLDER / name)


class PageKeys:
    """Page keys of one parsed document; each object is digested once, however many pages use it."""

    def __init__(self, reader: PdfReader):
        self._reader = reader
        self._digests: dict[tuple[int, int], bytes | None] = {}

    def all(self) -> list[str | None]:
        return [self.key(page) for page in self._reader.pages]

    def key(self, page) -> str | None:
        try:
            resources = page.get("/Resources")
            resources = resources.get_object() if resources is not None else DictionaryObject()
            names: dict[bytes, bytes] = {}
            digest = hashlib.sha256()
            for category, entries in sorted(resources.items()):
                entries = entries.get_object()
                if isinstance(entries, DictionaryObject):
                    for name, value in entries.items():
                        names[name.encode("latin-1")] = b"@" + self._digest(value).hex().encode()
                else:  # /ProcSet and the like: no names to replace, but part of the page
                    digest.update(category.encode("latin-1") + self._digest(entries))
            for label, box in (("media", page.mediabox), ("crop", page.cropbox)):
                digest.update(f"{label} {[float(v) for v in box]}".encode())
            digest.update(f"rotate {page.rotation}".encode())
            for annotation in page.get("/Annots") or []:
                annotation = annotation.get_object()
                # A link without an appearance draws nothing; any other annotation may print text.
                if annotation.get("/Subtype") != "/Link" or "/AP" in annotation:
                    digest.update(b"annot" + self._digest(annotation))
            digest.update(b"content")
            contents = page.get("/Contents")
            parts = contents.get_object() if contents is not None else []
            for part in parts if isinstance(parts, ArrayObject) else [parts]:
                data = part.get_object().get_data()
                digest.update(_NAME.sub(lambda m: names.get(_unescape(m.group(0)), m.group(0)), data) + b"\n")
            return digest.hexdigest()
        except (_Unkeyable, RecursionError, AttributeError, KeyError, TypeError, ValueError):
            return None

    def _digest(self, value) -> bytes:
        if isinstance(value, IndirectObject):
            reference = (value.idnum, value.generation)
            if reference in self._digests:
                found = self._digests[reference]
                if found is None:
                    raise _Unkeyable()  # an object that contains itself
                return found
            self._digests[reference] = None
            found = self._digest(value.get_object())
            self._digests[reference] = found
            return found
        digest = hashlib.sha256(type(value).__name__.encode())
        if isinstance(value, DictionaryObject):
            for key in sorted(value):
                if key not in _SKIPPED_KEYS:
                    digest.update(key.encode("latin-1") + self._digest(value.raw_get(key)))
            if isinstance(value, StreamObject):
                digest.update(b"stream" + value._data)  # as stored, with its /Filter hashed above
        elif isinstance(value, ArrayObject):
            for item in value:
                digest.update(self._digest(item))
        else:
            written = io.BytesIO()
            value.write_to_stream(written)
            digest.update(written.getvalue())
        return digest.digest()


def _unescape(name: bytes) -> bytes:
    return _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name) if b"#" in name else name


class PageMemo:
    """The kept readings of one output file (read from KEPT, a file that may not exist) and the new
    ones, written to FRESH. A kept line is parsed only when its page is looked up, and written back
    as it was when its page was not read again: a one-title rebuild handles two lines, not 352."""

    def __init__(self, kept: Path | None, fresh: Path):
        self.fresh = fresh
        self.print = fingerprint()
        self._lines: dict[str, str] = {}  # key -> its kept line, unparsed
        self._entries: dict[str, tuple[str | None, list | None] | None] = {}  # parsed, None if bad
        self._recorded: tuple | None = None
        if kept is not None:
            self._load(kept)

    def _load(self, kept: Path) -> None:
        if kept.is_symlink() or not kept.is_file():
            return
        try:
            with open(kept, encoding="utf-8") as lines:
                head = json.loads(next(lines, "null"))
                if not isinstance(head, dict) or head.get("fingerprint") != self.print:
                    return
                for line in lines:
                    if _KEYED_LINE.match(line) and line.endswith("\n"):  # a line cut short is no page's
                        self._lines[line[2:66]] = line
        except (OSError, ValueError):
            self._lines = {}

    @property
    def warm(self) -> bool:
        """The last build left readings: worth waiting for the keys before starting any reader."""
        return bool(self._lines)

    def _entry(self, key: str | None) -> tuple[str | None, list | None] | None:
        if key not in self._lines:
            return None
        if key not in self._entries:
            try:
                _, text, boxes = json.loads(self._lines[key])
                good = isinstance(text, (str, type(None))) and (boxes is None or isinstance(boxes, list) and len(boxes) == 4)
                self._entries[key] = (text, boxes) if good else None
            except (ValueError, TypeError):
                self._entries[key] = None
        return self._entries[key]

    def text(self, key: str | None) -> str | None:
        entry = self._entry(key)
        return entry[0] if entry else None

    def boxes(self, key: str | None) -> PageWords | None:
        entry = self._entry(key)
        return _decode_words(entry[1]) if entry is not None and entry[1] is not None else None

    def record(self, keys: list[str | None], texts: list[str] | None, boxes: list[PageWords] | None,
               reused: set[int] = frozenset()) -> None:
        """The readings of every page with a key, for the next build, written by `save`; those of
        the pages in REUSED came from this memo and are written as they were read."""
        self._recorded = (keys, texts, boxes, reused)

    def save(self) -> None:
        """Write what was recorded, if anything. Best effort: a memo that cannot be written costs
        the next build its head start, nothing more."""
        if self._recorded is None:
            return
        keys, texts, boxes, reused = self._recorded
        self._recorded = None
        try:
            self.fresh.parent.mkdir(parents=True, exist_ok=True)
            with open(self.fresh, "w", encoding="utf-8") as out:
                out.write(json.dumps({"fingerprint": self.print}) + "\n")
                for index, key in enumerate(keys):
                    if key is None:
                        continue
                    if index in reused and key in self._lines:
                        out.write(self._lines[key])
                        continue
                    page = boxes[index] if boxes else None
                    out.write(json.dumps([key, texts[index] if texts else None,
                                          _encode_words(page) if page else None], ensure_ascii=False) + "\n")
        except OSError:
            self.fresh.unlink(missing_ok=True)


# A page's words as [width, height, boxes, texts]: every word's four coordinates as doubles in one
# base64 string, and the words' texts joined by NUL (which no word of poppler's holds). Three times
# faster to write than an array per word (Python formats each float), twice as fast to read.
def _encode_words(page: PageWords) -> list | None:
    if any("\0" in word.text for word in page.words):
        return None  # not kept: the page is read again next time
    corners = array("d", [value for word in page.words for value in word[:4]])
    return [page.width, page.height, base64.b64encode(corners.tobytes()).decode("ascii"),
            "\0".join(word.text for word in page.words)]


def _decode_words(kept: list) -> PageWords | None:
    try:
        width, height, boxes, texts = kept
        corners = array("d")
        corners.frombytes(base64.b64decode(boxes, validate=True))
        words = texts.split("\0") if texts else []
        if len(corners) != 4 * len(words):
            return None
        return PageWords(float(width), float(height),
                         [Word(corners[4 * i], corners[4 * i + 1], corners[4 * i + 2], corners[4 * i + 3], text)
                          for i, text in enumerate(words)])
    except (TypeError, ValueError, AttributeError):  # binascii.Error is a ValueError
        return None


def keep(state: Path | None, work: Path) -> None:
    """After a good build: its page readings replace the last ones in STATE (OUT/.booklet/)."""
    if state is None:
        return
    made = work / FOLDER
    folder = state / FOLDER
    try:
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            return  # not ours
        folder.mkdir(exist_ok=True)
        new = {path.name for path in made.glob("*.jsonl")} if made.is_dir() else set()
        for old in folder.glob("*.jsonl"):
            if old.name not in new and old.is_file() and not old.is_symlink():
                old.unlink()
        for name in sorted(new):
            publish(made / name, folder / name)
    except OSError:
        pass
