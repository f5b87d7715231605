"""Saddle-stitch imposition: two booklet pages side by side on each sheet side, in folding order.

For n pages (n a multiple of 4) the sheet sides are [n | 1], [2 | n-1], [n-2 | 3], [4 | n-3], ...
Printed duplex, flipped on the short edge, folded and stapled in the middle, they read 1, 2, ..., n.
A booklet whose page count is not a multiple of 4 gets blank pages before its last page (the back
cover stays the back cover).

Pages are drawn onto new blank pages of the writer (pypdf refuses to merge onto a reader's page),
the merged content streams are compressed again, and links are removed: their rectangles would
point at the wrong half of a sheet and a print file needs none.
"""

from __future__ import annotations

from pypdf import PageObject, PdfReader, PdfWriter, Transformation


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
    for left, right in sheet_sides(len(reader.pages)):
        side: PageObject = writer.add_blank_page(width=sheet_width, height=sheet_height)
        for index, offset in ((left, x0), (right, x0 + width)):
            if index is not None:
                side.merge_transformed_page(reader.pages[index], Transformation().translate(tx=offset, ty=y0))
        side.compress_content_streams()
    writer.remove_links()
    return writer
