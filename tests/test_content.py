"""Content beyond the schedule (free pages in Markdown, images, sponsors, keynote photos, links):
the example program in data/example-conference/ uses every field; its pages are checked here
against what the program file says, and bad images are refused at their field and line."""

from __future__ import annotations

import os
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from booklet.build import BuildOptions, build
from booklet.cli import cli
from booklet.pdf.text import page_texts

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "example-conference"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def png(width: int, height: int, shade: int = 90) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + bytes([shade]) * (3 * width) for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    out = tmp_path_factory.mktemp("example")
    result = build(BuildOptions(program=EXAMPLE / "example-conference.yaml", out=out))
    reader = PdfReader(out / "program.pdf")
    return {"out": out, "result": result, "reader": reader, "texts": page_texts(reader)}


def test_free_pages_print_markdown_and_never_run_it(example):
    texts = example["texts"]
    welcome = next(t for t in texts if "WELCOME FROM THE CHAIRS" in t)
    flat = " ".join(welcome.split())
    assert "welcome to the first Example Conference on Printed Programs." in flat
    assert "Practical information" in flat and "Wi-Fi: network ecpp-2026, password on your badge" in flat
    # Raw HTML and LaTeX in Markdown print as written.
    assert r"Raw markup prints as written: <b>not bold</b>, \textbf{not bold either}, 100% & #1." in flat
    outline = [item.title for item in example["reader"].outline if not isinstance(item, list)]
    assert "Welcome from the Chairs" in outline and "Venue" in outline and "Sponsors" in outline
    # Front pages come after the contents; the venue page (place: back) before the index.
    order = [i for i, t in enumerate(texts) for key in ("CONTENTS", "WELCOME FROM", "VENUE", "INDEX") if key in t]
    assert order == sorted(order)


def test_images_logos_photo_and_links_are_in_the_booklet(example):
    reports = {r.name: r for r in example["result"].reports}
    checks = {c.check: c for c in reports["program.pdf"].checks if c.status == "pass"}
    assert checks["images"].detail == "5 images embedded"  # the map, three logos, the photo
    assert checks["qr"].detail == "2 QR codes read back, each to its talk's URL, and each a link to it" or \
        shutil.which("zbarimg") is None
    links = set()
    for page in example["reader"].pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and action.get("/S") == "/URI":
                links.add(str(action["/URI"]))
    assert links == {"https://example.org/code-of-conduct", "https://aurora.example.com",
                     "https://lattice.example.com", "https://doi.org/10.0000/ecpp.2026.1",
                     "https://video.example.org/ecpp-2026/p2"}
    sponsors = next(t for t in example["texts"] if "SPONSORS" in t)
    for name in ("Gold", "Silver", "Aurora Networks", "Lattice Systems", "Meridian Labs", "Friends of Print"):
        assert name in sponsors
    assert "With thanks to our sponsors" in example["texts"][-1]
    keynote = next(i for i, t in enumerate(example["texts"]) if "KEYNOTES" in t)
    resources = example["reader"].pages[keynote]["/Resources"]
    assert any(x.get_object()["/Subtype"] == "/Image" for x in resources["/XObject"].values())  # the photo


@pytest.mark.parametrize("path, message", [
    ("/etc/hosts", "is an absolute path"),
    ("../outside.png", "leads out of the program's folder"),
    ("link.png", "leads out of the program's folder"),
    ("missing.png", "no image file 'missing.png'"),
    ("text.png", "is not a PNG, JPEG or PDF file (by its contents)"),
    ("huge.png", "an image may be at most 20 MB"),
    ("https://example.org/x.png", "is a web address"),
])
def test_a_bad_image_is_refused_at_its_field(tmp_path, path, message):
    folder = tmp_path / "conf"
    folder.mkdir()
    (tmp_path / "outside.png").write_bytes(png(10, 10))
    (folder / "link.png").symlink_to(tmp_path / "outside.png")
    (folder / "text.png").write_text("not an image", encoding="utf-8")
    with open(folder / "huge.png", "wb") as handle:
        handle.write(png(10, 10))
        handle.truncate(21 * 1024 * 1024)
    program = folder / "program.yaml"
    program.write_text(f"""name: Images
year: 2026
rooms: [{{id: r, name: R}}]
sponsors:
  - tier: Gold
    members:
      - {{name: Someone, logo: "{path}"}}
days: [{{date: 2026-01-01, slots: [{{kind: break, start: "10:00", end: "10:30"}}]}}]
""", encoding="utf-8")
    result = run("validate", program)
    assert result.exit_code == 1, result.output
    assert f"{program}:7:31: error: sponsors[0].members[0].logo: " in result.output
    assert message in result.output and "[B106]" in result.output


def vector_pdf() -> bytes:
    """A one-page PDF of a filled triangle, written by hand: a vector logo."""
    content = b"0 0.52 0.79 rg 20 20 m 140 20 l 80 120 l f"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 160 140] /Contents 4 0 R /Resources << >> >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return bytes(out + b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)


def test_low_resolution_warning_and_a_changed_image_rebuilds(tmp_path):
    folder = tmp_path / "conf"
    shutil.copytree(EXAMPLE, folder)
    (folder / "images" / "logo-aurora.png").write_bytes(png(120, 45))  # 45 px for a 16 mm logo: 71 dpi
    (folder / "images" / "logo-lattice.pdf").write_bytes(vector_pdf())  # a vector logo: no dpi to check
    program = folder / "example-conference.yaml"
    program.write_text(program.read_text(encoding="utf-8").replace("logo-lattice.png", "logo-lattice.pdf"),
                       encoding="utf-8")
    out = tmp_path / "out"
    first = run("build", folder / "example-conference.yaml", "--out", out, "--no-impose")
    assert first.exit_code == 0, first.output
    assert "sponsors[0].members[0].logo: 'images/logo-aurora.png' prints at 71 dpi" in first.output
    assert "[B305]" in first.output
    again = run("build", folder / "example-conference.yaml", "--out", out, "--no-impose")
    assert "up to date" in again.output
    (folder / "images" / "logo-aurora.png").write_bytes(png(1200, 450, shade=30))
    changed = run("build", folder / "example-conference.yaml", "--out", out, "--no-impose")
    assert changed.exit_code == 0 and "up to date" not in changed.output, changed.output
    assert "prints at" not in changed.output
    forms = set()
    for page in PdfReader(out / "program.pdf").pages:
        for ref in (page["/Resources"].get("/XObject") or {}).values():
            if ref.get_object()["/Subtype"] == "/Form":
                forms.add(ref.idnum)
    assert forms, "the PDF logo is embedded as a form"
