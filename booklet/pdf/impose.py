"""Saddle-stitch imposition: two booklet pages side by side on each sheet side, in folding order.

For n pages (n a multiple of 4) the sheet sides are [n | 1], [2 | n-1], [n-2 | 3], [4 | n-3], ...
Printed duplex, flipped on the short edge, folded and stapled in the middle, they read 1, 2, ..., n.
A booklet whose page count is not a multiple of 4 gets blank pages before its last page (the back
cover stays the back cover).

Each booklet page becomes a Form XObject holding its content stream as it is (still compressed)
and its resources; a sheet side draws two of them. Nothing is parsed or merged, which keeps this
fast at conference size, and fonts stay shared. Sheet sides are new pages and carry no links: their
rectangles would point at the wrong half of a sheet, and a print file needs none.

Python decides the plan (which page goes where, the sheet, the document information); MuPDF
writes the file (mupdf.py) in a twentieth of a second at 350 pages. pypdf, which must first parse
every object of the booklet (0.4 s of the build's busiest moment), writes the same sheets when
mutool is not installed or fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (ArrayObject, DictionaryObject, FloatObject, IndirectObject, NameObject,
                           StreamObject)

from .finish import DocumentInfo, file_id, stamp, write
from .mupdf import derive


def reading_order(pages: int) -> list[int | None]:
    """Booklet page indices (0-based) in reading order, padded with None before the last page."""
    padded = (pages + 3) // 4 * 4
    blanks = padded - pages
    if pages == 0:
        return []
    return list(range(pages - 1)) + [None] * blanks + [pages - 1]


def sheet_sides(pages: int) -> list[tuple[int | None, int | None]]:
    """(left, right) booklet page indices for each sheet side, None for a blank."""
    order = reading_order(pages)
    n = len(order)
    sides = []
    for i in range(n // 2):
        if i % 2 == 0:
            left, right = order[n - 1 - i], order[i]
        else:
            left, right = order[i], order[n - 1 - i]
        sides.append((left, right))
    return sides


def _page_as_form(reader: PdfReader, writer: PdfWriter, index: int) -> IndirectObject:
    page = reader.pages[index]
    form = StreamObject()
    contents = page.get("/Contents")
    streams = contents.get_object() if contents is not None else []
    streams = streams if isinstance(streams, list) else [streams]
    if len(streams) == 1 and "/DecodeParms" not in streams[0].get_object():
        source = streams[0].get_object()
        form._data = source._data  # the encoded bytes, untouched
        if "/Filter" in source:
            form[NameObject("/Filter")] = source["/Filter"].clone(writer)
    else:
        form.set_data(b"\n".join(s.get_object().get_data() for s in streams))
        form = form.flate_encode()
    box = page.mediabox
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject([FloatObject(v) for v in (box.left, box.bottom, box.right, box.top)])
    if "/Resources" in page:
        form[NameObject("/Resources")] = page["/Resources"].clone(writer)
    return writer._add_object(form)


def impose(reader: PdfReader, sheet: tuple[float, float] | None = None) -> PdfWriter:
    """The imposed document. SHEET is the (landscape) sheet size in points; by default exactly two
    pages wide. Two A5 pages are 2.8 pt narrower than A4, so the pair is centred on the sheet."""
    writer = PdfWriter()
    if not reader.pages:
        return writer
    first = reader.pages[0]
    width, height = float(first.mediabox.width), float(first.mediabox.height)
    sheet_width, sheet_height = sheet or (2 * width, height)
    x0, y0 = (sheet_width - 2 * width) / 2, (sheet_height - height) / 2
    forms: dict[int, IndirectObject] = {}
    for left, right in sheet_sides(len(reader.pages)):
        side = writer.add_blank_page(width=sheet_width, height=sheet_height)
        xobjects = DictionaryObject()
        drawing = []
        for slot, (index, offset) in enumerate(((left, x0), (right, x0 + width))):
            if index is None:
                continue
            if index not in forms:
                forms[index] = _page_as_form(reader, writer, index)
            name = NameObject(f"/Page{slot}")
            xobjects[name] = forms[index]
            drawing.append(f"q 1 0 0 1 {offset:.4f} {y0:.4f} cm {name} Do Q")
        content = StreamObject()
        content.set_data("\n".join(drawing).encode())
        side[NameObject("/Contents")] = writer._add_object(content.flate_encode())
        side[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): xobjects})
    return writer


def impose_file(booklet: Path, pages: int, target: Path, sheet: tuple[float, float], info: DocumentInfo,
                seed: bytes, parsed: Callable[[], PdfReader]) -> None:
    """Write the imposed BOOKLET (PAGES pages) to TARGET: SHEET (landscape, points) per sheet side,
    INFO as its document information, its /ID from SEED. PARSED gives the booklet read by pypdf,
    asked for only when MuPDF cannot do the work."""
    if _impose_with_mutool(booklet, pages, target, sheet, info, seed):
        return
    writer = impose(parsed(), sheet)
    stamp(writer, info, seed)
    write(writer, target)


def _impose_with_mutool(booklet: Path, pages: int, target: Path, sheet: tuple[float, float], info: DocumentInfo,
                        seed: bytes) -> bool:
    if pages < 1:
        return False
    identifier = file_id(info, seed)
    plan = {"source": str(booklet), "pages": pages, "target": str(target), "sheet": list(sheet),
            "info": info.as_hex(), "id": identifier.hex(),
            "sides": [[-1 if index is None else index for index in side] for side in sheet_sides(pages)]}
    return derive("impose", plan, target.with_name(f".{target.name}.plan.json"), [(target, identifier)])
