"""Images of a program (free pages' Markdown images, sponsors' logos, speakers' photos): found,
checked and copied into the build folder.

An image is a file beside the program: its path is relative to the program file's folder and may
not leave it (no absolute path, no `..` out of it, no symbolic link that leads out). It must be a
PNG, JPEG or PDF by its first bytes (not its name), at most MAX_BYTES and, for raster images,
MAX_PIXELS. Each is copied into the build folder under a name made of its content's hash, so TeX
reads nothing outside that folder and a changed image changes the generated LaTeX (and the
build's key). Raster images printed below PRINT_DPI at their printed size get a warning.
"""

from __future__ import annotations

import hashlib
import os
import struct
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 80_000_000  # a 10,000 x 8,000 scan; beyond it pdfTeX's memory and the file's size suffer
PRINT_DPI = 200
FORMATS = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg", b"%PDF-": "pdf"}


class ImageProblem(ValueError):
    """Why an image cannot be used, in words for the program's author."""


@dataclass(frozen=True)
class Image:
    written: str  # as the program gives it
    source: Path  # the file beside the program
    kind: str  # png, jpg or pdf
    digest: str
    pixels: tuple[int, int] | None  # raster images: width and height
    density: float | None = None  # pixels per inch the file declares (PNG pHYs, JPEG JFIF), as pdfTeX reads it

    @property
    def natural_width_mm(self) -> float | None:
        """The width pdfTeX gives a raster image unscaled: by its declared density, else 72 dpi."""
        return self.pixels[0] * 25.4 / (self.density or 72) if self.pixels else None

    @property
    def name(self) -> str:
        """Its name in the build folder: the content's hash, so equal files are one file."""
        return f"images/{self.digest[:20]}.{self.kind}"

    def dpi(self, printed_width_mm: float) -> float | None:
        return self.pixels[0] / (printed_width_mm / 25.4) if self.pixels else None


def find_image(written: str, folder: Path) -> Image:
    """The image WRITTEN in a program in FOLDER, checked; ImageProblem says what is wrong."""
    relative = PurePosixPath(written.replace("\\", "/"))
    if not written.strip():
        raise ImageProblem("an image path is empty")
    if relative.is_absolute() or written.startswith("~") or (len(written) > 1 and written[1] == ":"):
        raise ImageProblem(f"'{written}' is an absolute path; give the path from the program's folder, "
                           "e.g. images/logo.png")
    if written.startswith(("http://", "https://")):
        raise ImageProblem(f"'{written}' is a web address; download the image beside the program and give its path")
    root = folder.resolve()
    path = root.joinpath(*relative.parts)
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        raise ImageProblem(f"no image file '{written}' beside the program ({root})") from None
    except (OSError, RuntimeError) as exc:
        raise ImageProblem(f"'{written}' cannot be read: {getattr(exc, 'strerror', None) or exc}") from None
    if real != root and root not in real.parents:
        raise ImageProblem(f"'{written}' leads out of the program's folder; images must be inside it")
    if not real.is_file():
        raise ImageProblem(f"'{written}' is not a regular file")
    size = real.stat().st_size
    if size > MAX_BYTES:
        raise ImageProblem(f"'{written}' is {size / 1048576:.1f} MB; an image may be at most "
                           f"{MAX_BYTES // 1048576} MB")
    data = real.read_bytes()
    kind = next((k for magic, k in FORMATS.items() if data.startswith(magic)), None)
    if kind is None:
        raise ImageProblem(f"'{written}' is not a PNG, JPEG or PDF file (by its contents); convert it to one")
    pixels = _pixels(data, kind)
    if kind != "pdf" and pixels is None:
        raise ImageProblem(f"'{written}' is a damaged {kind.upper()} file: its size cannot be read")
    if pixels and pixels[0] * pixels[1] > MAX_PIXELS:
        raise ImageProblem(f"'{written}' has {pixels[0]} x {pixels[1]} pixels; at most "
                           f"{MAX_PIXELS // 1_000_000} million are printed, scale it down")
    return Image(written, real, kind, hashlib.sha256(data).hexdigest(), pixels, _density(data, kind))


def _density(data: bytes, kind: str) -> float | None:
    if kind == "png":
        at = data.find(b"pHYs", 8, 4096)
        if at > 0 and len(data) >= at + 13:
            per_unit, _, unit = struct.unpack(">IIB", data[at + 4:at + 13])
            return per_unit * 0.0254 if unit == 1 and per_unit else None
        return None
    if kind == "jpg" and data[6:11] == b"JFIF\x00" and len(data) >= 18:
        unit, x_density = data[13], struct.unpack(">H", data[14:16])[0]
        return float(x_density) if unit == 1 and x_density else x_density * 2.54 if unit == 2 and x_density else None
    return None


def _pixels(data: bytes, kind: str) -> tuple[int, int] | None:
    if kind == "png":
        if len(data) >= 24 and data[12:16] == b"IHDR":
            return struct.unpack(">II", data[16:24])
        return None
    if kind == "jpg":
        at = 2
        while at + 9 < len(data):
            if data[at] != 0xFF:
                return None
            marker = data[at + 1]
            length = struct.unpack(">H", data[at + 2:at + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a start of frame
                height, width = struct.unpack(">HH", data[at + 5:at + 9])
                return width, height
            at += 2 + length
        return None
    return None


def copy_images(images: list[Image], work: Path) -> None:
    """Each image into WORK/images/ under its hash name, where the templates refer to it."""
    from .publish import write_file

    (work / "images").mkdir(exist_ok=True)
    for image in {image.name: image for image in images}.values():
        write_file(work / image.name, image.source.read_bytes())


def program_folder(program_file: Path) -> Path:
    """Where a program's images are: beside its file (standard input: the current folder)."""
    return Path(os.getcwd()) if str(program_file) == "-" else program_file.resolve().parent


def program_images(data, folder: Path, source) -> tuple[dict[str, Image], list, dict[str, tuple]]:
    """Every image the program names (logos, photos, the images of its pages' Markdown), found and
    checked, by the path as written; and a diagnostic, at its field, for each that cannot be used."""
    from . import rules
    from .tex.markdown import image_sources

    found: dict[str, Image] = {}
    problems = []
    places: dict[str, tuple] = {}  # where each image is first named, for warnings

    def visit(value, path: tuple) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in ("logo", "photo") and isinstance(item, str):
                    check(item, path + (key,))
                elif key == "body" and path[:1] == ("pages",) and isinstance(item, str):
                    for written in image_sources(item):
                        check(written, path + (key,))
                else:
                    visit(item, path + (key,))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                visit(item, path + (index,))

    def check(written: str, path: tuple) -> None:
        places.setdefault(written, path)
        if written in found:
            return
        try:
            found[written] = find_image(written, folder)
        except ImageProblem as problem:
            problems.append(source.diagnostic(path, str(problem), rules.BAD_IMAGE))

    visit(data, ())
    return found, problems, places


def resolution_warnings(program, images: dict[str, Image], places: dict[str, tuple], text_width_mm: float,
                        source) -> list:
    """A warning for each raster image that prints below PRINT_DPI at the size the booklet gives it:
    a page's image at its natural size (by its declared density) or the text width, a logo at its tier's
    height, a keynote photo 24 mm wide."""
    from . import rules
    from .model import SpokenSlot
    from .tex.markdown import image_sources
    from .views import LOGO_HEIGHTS_MM

    printed: dict[str, float] = {}  # written -> dots per inch as printed
    for page in program.pages:
        for written in image_sources(page.body):
            image = images.get(written)
            if image and image.pixels:
                width_mm = min(image.natural_width_mm, text_width_mm)
                printed[written] = min(printed.get(written, 1e9), image.pixels[0] / (width_mm / 25.4))
    for t, tier in enumerate(program.sponsors):
        height = LOGO_HEIGHTS_MM[min(t, len(LOGO_HEIGHTS_MM) - 1)]
        for member in tier.members:
            image = images.get(member.logo or "")
            if image and image.pixels:
                printed[member.logo] = min(printed.get(member.logo, 1e9), image.pixels[1] / (height / 25.4))
    for day in program.days:
        for slot in day.slots:
            for speaker in slot.speakers if isinstance(slot, SpokenSlot) else []:
                image = images.get(speaker.photo or "")
                if image and image.pixels:
                    printed[speaker.photo] = min(printed.get(speaker.photo, 1e9), image.dpi(24))
    return [source.diagnostic(places[written], f"'{written}' prints at {dpi:.0f} dpi; give an image of at least "
                                                f"{PRINT_DPI} dpi at its printed size for a sharp print",
                              rules.LOW_RESOLUTION, severity=_warning())
            for written, dpi in printed.items() if dpi < PRINT_DPI and written in places]


def _warning():
    from .diagnostics import Severity

    return Severity.WARNING
