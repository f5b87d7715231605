"""Cut TeX's chair-sheets PDF into one file per session, and make the combined file from those.

Each sheet's first page carries a named destination (`\\pdfdest name{bk-sheet-N}`); a session's
pages run from its destination to the page before the next one. Splitting by destinations rather
than by counting pages means timing cards need no special case, and a sheet that grew a second
page is detected rather than silently shifting every later session.

MuPDF does it in one run (`cut_files`: `derive.js`, mupdf.py): each file holds its pages, with
their own content streams and resources, under a page tree of its own, its objects numbered
afresh; 207 files take 0.15 s where pypdf needs half a second of the build's busiest core. A part
may also come whole from a file of its own: a sheet the last build made (sheet_store.py). The
combined file is made from the same pages, each part copied on its own as into its own file, so it
is the same whether its sheets were typeset together or taken from earlier builds, with the fonts
they share kept once.

`cut_with_pypdf` cuts the files with `PageSplitter` when mutool is missing or declines (a page with
a link into the document, which may lead into another session's pages, is left to it). It writes
the files itself instead of through pypdf's writer: every sheet carries the same fonts (their
encodings alone are thousands of objects), and pypdf would copy and serialise them again for each
of 200 files. A part keeps the run's own object numbers, so an object shared by all sheets is
serialised once and its bytes are reused in every file; only the pages (which get a new parent),
the page tree, the catalogue and the document information are written per file. The preflight
then reads each file back with pypdf, like any other output.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from pypdf import PdfReader
from pypdf.generic import (ArrayObject, ByteStringObject, DictionaryObject, IndirectObject, NameObject,
                           NullObject, NumberObject, PdfObject, StreamObject, create_string_object)

from ..publish import write_file
from .finish import DocumentInfo
from .mupdf import derive


@dataclass
class Part:
    """One file of the cut: the pages from DESTINATION to the next part's, or all of SOURCE's."""

    destination: str  # the named destination on its first page (and on it in the combined file)
    target: Path
    info: DocumentInfo
    identifier: bytes  # its /ID
    source: Path | None = None  # a file of this part's pages alone; None: the file being cut


def cut_files(run: Path | None, parts: list[Part], combined: Part | None = None) -> bool:
    """Write each of PARTS, from RUN (the typeset PDF, at each part's destination) or from its own
    SOURCE, then, when asked, COMBINED: every part's pages in order, each part's destination on its
    first page. MuPDF only: False when it cannot (then nothing written is to be used)."""
    if not parts:
        return True
    plan = {"parts": [{"source": str(part.source or run), "destination": None if part.source else part.destination,
                       "name": part.destination, "target": str(part.target), "info": part.info.as_hex(),
                       "id": part.identifier.hex()} for part in parts],
            "combined": None if combined is None else {
                "target": str(combined.target), "info": combined.info.as_hex(), "id": combined.identifier.hex()}}
    written = [(part.target, part.identifier) for part in parts]
    if combined is not None:
        written.append((combined.target, combined.identifier))
    try:
        return derive("cut", plan, parts[0].target.with_name(".cut.plan.json"), written)
    finally:
        if combined is not None:  # the script's scratch files: TARGET.1, TARGET.group0, TARGET.group0.1...
            for scratch in combined.target.parent.glob(f"{combined.target.name}.*"):
                scratch.unlink(missing_ok=True)


def cut_with_pypdf(run: Path, parts: list[Part], parsed: Callable[[], PdfReader], combined: Part | None = None,
                   stopping: Callable[[], bool] = lambda: False) -> None:
    """What `cut_files` writes, when MuPDF cannot: each of PARTS, in the order their destinations
    come in RUN, and COMBINED (all their pages) when given. PARSED gives RUN read by pypdf.
    KeyError names a destination the file does not have."""
    if not parts:
        return
    reader = parsed()
    splitter = PageSplitter(reader)
    ranges = page_ranges(reader, [part.destination for part in parts])
    for part, part_pages in zip(parts, ranges):
        if stopping():
            return
        splitter.write(part_pages, part.target, part.info.as_pdf_dict(), part.identifier)
    if combined is not None:
        splitter.write(range(ranges[0].start, ranges[-1].stop), combined.target, combined.info.as_pdf_dict(),
                       combined.identifier)


def page_ranges(reader: PdfReader, names: list[str]) -> list[range]:
    """The pages of each named destination's part, in the order given; KeyError names a missing one."""
    destinations = reader.named_destinations
    starts = []
    for name in names:
        if name not in destinations:
            raise KeyError(name)
        starts.append(reader.get_destination_page_number(destinations[name]))
    ends = starts[1:] + [len(reader.pages)]
    return [range(start, end) for start, end in zip(starts, ends)]


class PageSplitter:
    """Writes parts of one parsed PDF as standalone files, sharing serialised objects between them."""

    def __init__(self, reader: PdfReader):
        self.reader = reader
        self._bytes: dict[int, bytes] = {}  # object number -> "N 0 obj ... endobj"
        self._children: dict[int, list[int]] = {}  # object number -> the objects it refers to
        self._pages = {page.indirect_reference.idnum: page for page in reader.pages}
        self._next = max(int(self.reader.trailer.get("/Size", 0)), max(self._pages) + 1)

    def write(self, pages: range, target: Path, info: dict[str, str], file_id: bytes) -> None:
        """Write PAGES (indices) to TARGET with INFO as its document information and FILE_ID as /ID."""
        page_numbers = [self.reader.pages[index].indirect_reference.idnum for index in pages]
        tree, catalog, info_number = self._next, self._next + 1, self._next + 2
        wanted = set(page_numbers)
        objects: dict[int, bytes] = {}
        stack = list(page_numbers)
        while stack:
            number = stack.pop()
            if number in objects:
                continue
            if number in self._pages:
                objects[number] = self._page(number, tree, wanted)
            else:
                objects[number] = self._object(number)
            stack += [child for child in self._children[number] if child not in objects]
        kids = ArrayObject(IndirectObject(number, 0, None) for number in page_numbers)
        objects[tree] = _serialise(tree, DictionaryObject({
            NameObject("/Type"): NameObject("/Pages"), NameObject("/Kids"): kids,
            NameObject("/Count"): NumberObject(len(page_numbers))}))
        objects[catalog] = _serialise(catalog, DictionaryObject({
            NameObject("/Type"): NameObject("/Catalog"), NameObject("/Pages"): IndirectObject(tree, 0, None)}))
        objects[info_number] = _serialise(info_number, DictionaryObject(
            {NameObject(key): create_string_object(value) for key, value in info.items()}))
        _write_file(target, self.reader.pdf_header, objects, catalog, info_number, file_id)

    def _object(self, number: int) -> bytes:
        if number not in self._bytes:
            value = IndirectObject(number, 0, self.reader).get_object()
            self._children[number] = _references(value, self._pages, set())
            self._bytes[number] = _serialise(number, value)
        return self._bytes[number]

    def _page(self, number: int, tree: int, wanted: set[int]) -> bytes:
        """A page under the new page tree. A reference to a page outside the part (a link to
        another session) becomes null: the preflight then reports the broken link."""
        page = DictionaryObject(self._pages[number])
        page[NameObject("/Parent")] = IndirectObject(tree, 0, None)
        outside = {n for n in self._pages if n not in wanted}
        page = _without(page, outside)
        self._children[number] = _references(page, {}, {number})
        return _serialise(number, page)


def _references(value: PdfObject, pages: dict, skip: set[int]) -> list[int]:
    """The objects VALUE refers to, directly or inside its arrays and dictionaries, except pages
    (a part's pages are chosen by the caller) and /Parent links (the page tree is rebuilt)."""
    found = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if item.idnum not in pages and item.idnum not in skip:
                found.append(item.idnum)
        elif isinstance(item, DictionaryObject):
            stack += [v for k, v in item.items() if k != "/Parent"]
        elif isinstance(item, ArrayObject):
            stack += list(item)
    return found


def _without(value: PdfObject, pages: set[int]) -> PdfObject:
    """VALUE with every reference to one of PAGES replaced by null (copies only what changes)."""
    if isinstance(value, IndirectObject):
        if value.idnum in pages:
            return NullObject()
        return value
    if isinstance(value, DictionaryObject) and not isinstance(value, StreamObject):
        return DictionaryObject({k: (v if k == "/Parent" else _without(v, pages)) for k, v in value.items()})
    if isinstance(value, ArrayObject):
        return ArrayObject(_without(v, pages) for v in value)
    return value


def _serialise(number: int, value: PdfObject) -> bytes:
    out = io.BytesIO()
    out.write(f"{number} 0 obj\n".encode())
    if isinstance(value, StreamObject):  # the encoded data as it is, with its true length
        head = DictionaryObject(value)
        head[NameObject("/Length")] = NumberObject(len(value._data))
        head.write_to_stream(out)
        out.write(b"\nstream\n" + value._data + b"\nendstream")
    else:
        value.write_to_stream(out)
    out.write(b"\nendobj\n")
    return out.getvalue()


def _write_file(target: Path, header: str, objects: dict[int, bytes], root: int, info: int,
                file_id: bytes) -> None:
    """A classic PDF file: header, objects, cross-reference table, trailer. The table is one section
    from object 0 to the last, the numbers a part does not use linked as free entries: poppler
    (and so most Linux viewers) calls a table of one-entry sections broken and rebuilds it."""
    out = io.BytesIO()
    out.write(header.encode() + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(objects[number])
    xref = out.tell()
    size = max(objects) + 1
    free = [number for number in range(1, size) if number not in offsets]
    next_free = dict(zip([0, *free], [*free, 0]))  # each free entry names the next; the last, 0
    out.write(f"xref\n0 {size}\n".encode())
    for number in range(size):
        if number in offsets:
            out.write(f"{offsets[number]:010d} 00000 n \n".encode())
        else:
            out.write(f"{next_free[number]:010d} {65535 if number == 0 else 1:05d} f \n".encode())
    trailer = DictionaryObject({
        NameObject("/Size"): NumberObject(size),
        NameObject("/Root"): IndirectObject(root, 0, None),
        NameObject("/Info"): IndirectObject(info, 0, None),
        NameObject("/ID"): ArrayObject([ByteStringObject(file_id), ByteStringObject(file_id)]),
    })
    out.write(b"trailer\n")
    trailer.write_to_stream(out)
    out.write(f"\nstartxref\n{xref}\n%%EOF\n".encode())
    write_file(target, out.getvalue())
