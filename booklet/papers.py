"""The page sizes booklet prints on, and how a page of each is laid out."""

from __future__ import annotations

from dataclasses import dataclass

MM = 72 / 25.4  # points per millimetre
PAGE_WIDTH_MM = {"a5": 148, "a4": 210, "letter": 215.9}


@dataclass(frozen=True)
class Paper:
    """A page size: geometry options and the type size that reads well on it."""

    name: str
    inner_mm: float  # the margins, spelled once: the geometry and the preflight's text block
    outer_mm: float
    rest: str  # the other geometry options
    font_size: str
    glance_columns: int = 5  # rooms side by side on a page of the timetable grid, each about 22 mm wide

    @property
    def geometry(self) -> str:
        return f"{self.name}paper, inner={self.inner_mm:g}mm, outer={self.outer_mm:g}mm, {self.rest}"

    @property
    def text_width_mm(self) -> float:
        return PAGE_WIDTH_MM[self.name] - self.inner_mm - self.outer_mm

    @property
    def margins_pt(self) -> tuple[float, float]:
        return self.inner_mm * MM, self.outer_mm * MM


PAPERS = {
    "a5": Paper("a5", 15, 13, "top=17mm, bottom=18mm, headsep=4mm, footskip=9mm", "10pt", glance_columns=5),
    "a4": Paper("a4", 28, 24, "top=28mm, bottom=30mm, headsep=6mm, footskip=12mm", "11pt", glance_columns=6),
    "letter": Paper("letter", 26, 22, "top=26mm, bottom=28mm, headsep=6mm, footskip=12mm", "11pt",
                    glance_columns=7),
}

SHEET_PAPERS = {
    "a4": Paper("a4", 15, 15, "top=14mm, bottom=14mm", "10pt"),
    "letter": Paper("letter", 15, 15, "top=14mm, bottom=14mm", "10pt"),
}
