#!/usr/bin/env python3
"""Draw the images of data/example-conference/ (a venue map, sponsors' logos, a speaker's
portrait), so that the example ships only pictures this repository makes: PNG written with zlib
alone. Run it again to remake them; the output is the same bytes every time."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

FOLDER = Path(__file__).resolve().parent.parent / "data" / "example-conference" / "images"


def png(path: Path, width: int, height: int, pixel) -> None:
    """PIXEL(x, y) -> (r, g, b) for every pixel; written as an 8-bit RGB PNG with a 300 dpi pHYs."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # no filter
        for x in range(width):
            rows.extend(pixel(x, y))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    per_metre = round(300 / 0.0254)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                     + chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
                     + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b""))


ACM_BLUE, WHITE, GREY, DARK = (0, 133, 202), (255, 255, 255), (225, 228, 232), (60, 64, 72)


def venue_map(x: int, y: int):
    rooms = [(80, 80, 700, 520), (760, 80, 1520, 520), (80, 600, 700, 920), (1100, 600, 1520, 920)]
    for left, top, right, bottom in rooms:
        if left <= x < right and top <= y < bottom:
            edge = min(x - left, right - 1 - x, y - top, bottom - 1 - y)
            return DARK if edge < 8 else (232, 242, 250)
    if 700 <= x < 1100 and 600 <= y < 920:  # the foyer
        return (250, 240, 220)
    if 540 <= y < 580 or 715 <= x < 745:  # corridors
        return GREY
    return WHITE


def logo(colour):
    def pixel(x: int, y: int):
        if (x - 150) ** 2 + (y - 150) ** 2 < 110 ** 2:
            return colour
        if 300 <= x < 760 and 110 <= y < 190:
            return DARK
        return WHITE
    return pixel


def portrait(x: int, y: int):
    if (x - 300) ** 2 + (y - 280) ** 2 < 150 ** 2:
        return (196, 164, 132)
    if y > 470 and (x - 300) ** 2 / 260 ** 2 + (y - 750) ** 2 / 300 ** 2 < 1:
        return ACM_BLUE
    return (238, 241, 245)


def triangle_logo(x: int, y: int):
    if 40 <= y < 260 and abs(x - 150) < (y - 40) * 0.55:
        return ACM_BLUE
    if 300 <= x < 760 and 170 <= y < 230:
        return DARK
    return WHITE


if __name__ == "__main__":
    FOLDER.mkdir(parents=True, exist_ok=True)
    png(FOLDER / "venue-map.png", 1600, 1000, venue_map)
    png(FOLDER / "logo-aurora.png", 800, 300, logo(ACM_BLUE))
    png(FOLDER / "logo-meridian.png", 800, 300, logo((214, 96, 0)))
    png(FOLDER / "speaker.png", 600, 750, portrait)
    png(FOLDER / "logo-lattice.png", 800, 300, triangle_logo)
    print(f"images written to {FOLDER}")
