"""Cut the combined chair-sheets PDF into one file per session.

Each sheet's first page carries a named destination (`\\pdfdest name{bk-sheet-N}`); a session's
pages run from its destination to the page before the next one. Splitting by destinations rather
than by counting pages means timing cards need no special case, and a sheet that grew a second
page is detected rather than silently shifting every later session.
"""

from __future__ import annotations

from pypdf import PdfReader, PdfWriter


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


def pages_writer(reader: PdfReader, pages: range) -> PdfWriter:
    writer = PdfWriter()
    for index in pages:
        writer.add_page(reader.pages[index])
    return writer
