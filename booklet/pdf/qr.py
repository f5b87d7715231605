"""Reading the QR codes of a finished PDF back, as a phone would. The preflight then knows that every
code decodes to its talk's exact URL, not merely that something square was drawn.

Every code booklet prints is also a link to its own address (`\\bktalkqr`, booklet.sty), so the file
says where its codes are: each web link about as tall as it is wide. Only those areas are rendered
(MuPDF, through qr_areas.js, at 300 dpi) and scanned (zbarimg, Debian's zbar-tools). Rendering and
scanning whole pages took 25 s for a 64-page booklet of 200 codes; the areas take about one. A
code that is not a link is not seen, and then its address is reported missing: the check fails
closed.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from .preflight import web_links
from .results import FAIL, PASS, WARN, Check

RESOLUTION = 300  # dots per inch: a 14 mm code's modules are then some 4 pixels wide
SQUARE = (0.8, 1.25)  # height over width of a link that may be a code
SMALLEST = 20.0  # points: a code's side is 14 mm (40 pt); a linked word is smaller than this high
MARGIN = 2.0  # points around a link's box, so a code's edge is never cut
_RENDER = Path(__file__).with_name("qr_areas.js")
_ZBAR = "{http://zbar.sourceforge.net/2008/barcode}"


@dataclass(frozen=True)
class CodeArea:
    page: int  # counted from 0
    uri: str  # where the link over the area goes
    found: tuple[str, ...]  # what the scanner read there


def code_areas(reader: PdfReader) -> list[tuple[int, str, tuple[float, float, float, float]]]:
    """Each web link that may be a code: its page, its address and its box from the page's top left."""
    areas = []
    for number, page, annotation, uri in web_links(reader):
        if annotation.get("/Subtype") != "/Link":
            continue
        x0, y0, x1, y1 = (float(value) for value in annotation.get("/Rect", [0, 0, 0, 0]))
        width, height = abs(x1 - x0), abs(y1 - y0)
        if min(width, height) < SMALLEST or not SQUARE[0] <= height / width <= SQUARE[1]:
            continue
        box = page.cropbox
        left, right = min(x0, x1) - float(box.left), max(x0, x1) - float(box.left)
        top, bottom = float(box.top) - max(y0, y1), float(box.top) - min(y0, y1)
        areas.append((number, uri, (left - MARGIN, top - MARGIN, right + MARGIN, bottom + MARGIN)))
    return areas


def decode_codes(reader: PdfReader, pdf: Path, timeout: float = 300,
                 scratch: Path | None = None) -> list[CodeArea] | None:
    """What the scanner reads in each area that may be a code; None when the tools are not
    installed. The pictures go to a folder inside SCRATCH (the build's work folder) when there is one."""
    if shutil.which("mutool") is None or shutil.which("zbarimg") is None:
        return None
    areas = code_areas(reader)
    if not areas:
        return []
    with tempfile.TemporaryDirectory(prefix="booklet-qr-", dir=scratch) as folder:
        listing = Path(folder) / "areas.txt"
        listing.write_text("".join(f"{page} {' '.join(f'{v:.2f}' for v in box)}\n" for page, _, box in areas),
                           encoding="ascii")
        subprocess.run(["mutool", "run", str(_RENDER), str(pdf), str(RESOLUTION), str(listing), folder],
                       check=True, timeout=timeout, stdin=subprocess.DEVNULL, capture_output=True)
        pictures = [str(Path(folder) / f"area-{index}.png") for index in range(len(areas))]
        # --xml: what each picture holds, by file name. Exit 4 means "no code found" anywhere.
        result = subprocess.run(["zbarimg", "--xml", "-q", "-Sdisable", "-Sqrcode.enable", *pictures],
                                timeout=timeout, stdin=subprocess.DEVNULL, capture_output=True)
        if result.returncode not in (0, 4):
            raise subprocess.CalledProcessError(result.returncode, "zbarimg", result.stdout, result.stderr)
    found: dict[str, tuple[str, ...]] = {}
    for source in ElementTree.fromstring(result.stdout).iter(f"{_ZBAR}source"):
        found[source.get("href")] = tuple(data.text or "" for data in source.iter(f"{_ZBAR}data"))
    return [CodeArea(page, uri, found.get(picture, ())) for (page, uri, _), picture in zip(areas, pictures)]


def check_codes(reader: PdfReader, pdf: Path, urls: list[str], scratch: Path | None = None) -> list[Check]:
    """Each of URLS is printed as a QR code that decodes to exactly it and links to it, and no code
    says anything else."""
    try:
        areas = decode_codes(reader, pdf, scratch=scratch)
    except (OSError, subprocess.SubprocessError, ElementTree.ParseError) as exc:
        return [Check("qr", FAIL, f"the QR codes could not be read back: {exc}")]
    if areas is None:
        return [Check("qr", WARN, "mutool or zbarimg (zbar-tools) is not installed; QR codes not read back")]
    found = [text for area in areas for text in area.found]
    problems = [Check("qr", FAIL, f"a QR code decodes to {text!r} but is a link to {area.uri}", area.page + 1)
                for area in areas for text in area.found if text != area.uri][:10]
    problems += [Check("qr", FAIL, f"no QR code decodes to {url}") for url in sorted(set(urls) - set(found))[:10]]
    problems += [Check("qr", FAIL, f"a QR code decodes to {text!r}, which no talk links to")
                 for text in sorted(set(found) - set(urls))[:10]]
    return problems or [Check("qr", PASS, f"{len(found)} QR codes read back, each to its talk's URL, "
                                          "and each a link to it")]
