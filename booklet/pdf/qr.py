"""Reading the QR codes of a finished PDF back, as a phone would: each page rendered (pdftoppm) and
scanned (zbarimg, Debian's zbar-tools). The preflight then knows that every code decodes to its
talk's exact URL, not merely that something square was drawn."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .results import FAIL, PASS, WARN, Check

RESOLUTION = 300  # dots per inch: a 14 mm code's modules are then some 4 pixels wide


def decode_codes(pdf: Path, timeout: float = 300, scratch: Path | None = None) -> list[str] | None:
    """Every QR code's text on every page, in page order; None when the tools are not installed.
    The page images go to a folder inside SCRATCH (the build's work folder) when there is one."""
    if shutil.which("pdftoppm") is None or shutil.which("zbarimg") is None:
        return None
    with tempfile.TemporaryDirectory(prefix="booklet-qr-", dir=scratch) as folder:
        subprocess.run(["pdftoppm", "-r", str(RESOLUTION), "-gray", "-png", str(pdf), f"{folder}/page"],
                       check=True, timeout=timeout, stdin=subprocess.DEVNULL, capture_output=True)
        pages = sorted(Path(folder).glob("page*.png"))
        if not pages:
            return []
        # --raw: the data alone, one line per code; -q: no statistics. Exit 4 means "no code found".
        result = subprocess.run(["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", *map(str, pages)],
                                timeout=timeout, stdin=subprocess.DEVNULL, capture_output=True)
        if result.returncode not in (0, 4):
            raise subprocess.CalledProcessError(result.returncode, "zbarimg", result.stdout, result.stderr)
        return [line for line in result.stdout.decode("utf-8", "replace").splitlines() if line]


def check_codes(pdf: Path, urls: list[str], scratch: Path | None = None) -> list[Check]:
    """Each of URLS is printed as a QR code that decodes to exactly it, and no code says anything else."""
    try:
        found = decode_codes(pdf, scratch=scratch)
    except (OSError, subprocess.SubprocessError) as exc:
        return [Check("qr", FAIL, f"the QR codes could not be read back: {exc}")]
    if found is None:
        return [Check("qr", WARN, "zbarimg (zbar-tools) is not installed; QR codes not read back")]
    missing = sorted(set(urls) - set(found))
    strange = sorted(set(found) - set(urls))
    problems = [Check("qr", FAIL, f"no QR code decodes to {url}") for url in missing[:10]]
    problems += [Check("qr", FAIL, f"a QR code decodes to {text!r}, which no talk links to") for text in strange[:10]]
    return problems or [Check("qr", PASS, f"{len(found)} QR codes read back, each to its talk's URL")]
