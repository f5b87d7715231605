"""Links and QR codes: every URL a link to exactly that address; with `qr_codes: true`, a QR code
beside each talk that a scanner (zbarimg, on the rendered pages) reads back to that exact URL."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

from booklet.cli import cli
from booklet.pdf.qr import check_codes
from booklet.pdf.text import page_texts

DOI = "https://doi.org/10.1145/3748273.3749198"
VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s#frag"
ODD = "https://example.org/a_b%20c?x=1&y=~2&z=\\no"  # every character TeX would otherwise act on

PROGRAM = f"""\
name: Links Workshop
year: 2026
qr_codes: true
rooms: [{{id: r, name: Room One}}]
papers:
  - {{id: p1, title: A Paper With a DOI, authors: [Ann Author], url: "{DOI}"}}
  - {{id: p2, title: A Recorded Talk, authors: [Bob Author], video_url: "{VIDEO}"}}
  - {{id: p3, title: No Links Here, authors: [Cee Author]}}
days:
  - date: 2026-02-02
    slots:
      - kind: session
        title: Links
        chairs: [Dee Chair]
        start: "09:00"
        end: "09:45"
        talks:
          - {{paper: p1, start: "09:00", end: "09:15"}}
          - {{paper: p2, start: "09:15", end: "09:30"}}
          - {{paper: p3, start: "09:30", end: "09:40"}}
          - {{title: "An Inline Talk ~ 100% #1", speakers: [Eve], url: '{ODD}', start: "09:40", end: "09:45"}}
"""


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def uris(pdf: Path) -> list[str]:
    found = []
    for page in PdfReader(pdf).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and action.get("/S") == "/URI":
                found.append(str(action["/URI"]))
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg is not installed (make setup installs zbar-tools)")
    folder = tmp_path_factory.mktemp("links")
    (folder / "p.yaml").write_text(PROGRAM, encoding="utf-8")
    result = run("build", folder / "p.yaml", "--out", folder / "out", "--no-impose")
    assert result.exit_code == 0, result.output
    return folder


def codes_on_whole_pages(pdf: Path, folder: Path) -> list[str]:
    """Every code on every page, scanned from whole pages: independent of the preflight, which
    renders only the areas of the links that may be codes."""
    subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", str(pdf), str(folder / "page")], check=True)
    result = subprocess.run(["zbarimg", "--raw", "-q", *map(str, sorted(folder.glob("page*.png")))],
                            capture_output=True, text=True)
    return [line for line in result.stdout.splitlines() if line]


def test_every_url_is_a_link_and_every_code_reads_back_exactly(built, tmp_path):
    booklet = built / "out" / "program.pdf"
    # Each address twice: the title (or the Video mark) and the QR code beside it, which is a link too.
    assert sorted(uris(booklet)) == sorted([DOI, VIDEO, ODD] * 2)
    assert sorted(codes_on_whole_pages(booklet, tmp_path)) == sorted([DOI, VIDEO, ODD])  # three codes, no more
    assert check_codes(PdfReader(booklet), booklet, [DOI, VIDEO, ODD], tmp_path)[0].detail \
        == "3 QR codes read back, each to its talk's URL, and each a link to it"
    text = "\n".join(page_texts(PdfReader(booklet)))
    assert "An Inline Talk ~ 100% #1" in text  # the title printed exactly, linked
    sheet = "\n".join(page_texts(PdfReader(built / "out" / "chair-sheets.pdf"))).splitlines()
    marked = [line for line in sheet if "Video" in line]  # the sheet marks the recorded talk, only it
    assert len(marked) == 1 and "A Recorded Talk" in marked[0], sheet


def test_check_finds_a_code_or_link_that_no_longer_matches(built, tmp_path):
    changed = tmp_path / "p.yaml"
    changed.write_text(PROGRAM.replace(DOI, "https://doi.org/10.1145/0000000.0000000"), encoding="utf-8")
    result = run("check", "--out", built / "out", "--program", changed)
    assert result.exit_code == 1, result.output
    assert "program.pdf: no link to https://doi.org/10.1145/0000000.0000000 [links]" in result.output
    assert "program.pdf: no QR code decodes to https://doi.org/10.1145/0000000.0000000 [qr]" in result.output
    assert f"program.pdf: a QR code decodes to '{DOI}', which no talk links to [qr]" in result.output


def test_a_code_whose_link_goes_elsewhere_fails(built, tmp_path):
    """The code still decodes to the DOI, but a click on it would open another address."""
    writer = PdfWriter(clone_from=built / "out" / "program.pdf")
    for page in writer.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object()["/A"]
            rect = [float(v) for v in annotation.get_object()["/Rect"]]
            if action.get("/URI") == DOI and rect[3] - rect[1] > 20:  # the code, not the title
                action[NameObject("/URI")] = TextStringObject("https://example.org/elsewhere")
    changed = tmp_path / "changed.pdf"
    writer.write(changed)
    checks = check_codes(PdfReader(changed), changed, [DOI, VIDEO, ODD], tmp_path)
    assert [(c.status, c.detail) for c in checks] == [
        ("fail", f"a QR code decodes to '{DOI}' but is a link to https://example.org/elsewhere")], checks


@pytest.mark.parametrize("url", ["javascript:alert(1)", "https://has space.org", "ftp://example.org", "https://"])
def test_a_url_must_be_a_web_address(tmp_path, url):
    program = tmp_path / "p.yaml"
    program.write_text(PROGRAM.replace(DOI, url.replace('"', "")), encoding="utf-8")
    result = run("validate", program)
    assert result.exit_code == 1, result.output
    assert "papers[0].url" in result.output and "[B103]" in result.output


def test_the_submission_site_is_printed_and_linked(naic):
    about = next(t for t in naic["texts"] if "ABOUT NAIC 2025" in t)
    assert "Submissions: https://naic25.hotcrp.com/" in about
    assert "https://naic25.hotcrp.com/" in uris(naic["out"] / "program.pdf")
