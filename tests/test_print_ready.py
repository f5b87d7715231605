"""Print-ready outputs: saddle-stitch imposition order, padding, and byte-identical rebuilds."""

from __future__ import annotations

import json
import socket
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from booklet.build import BuildOptions, build
from booklet.pdf.finish import DocumentInfo, file_id
from booklet.pdf.impose import impose_file
from booklet.tex.engine import compile_tex

ROOT = Path(__file__).resolve().parent.parent


def half_texts(pdf: Path, page_number: int) -> tuple[str, str]:
    """The text of the left and of the right half of one sheet side, as poppler reads it when the
    page is cropped to that half (independent of how booklet drew the pages)."""
    page = PdfReader(pdf).pages[page_number - 1]
    width, height = int(float(page.mediabox.width)), int(float(page.mediabox.height))
    halves = []
    for x in (0, width // 2):
        done = subprocess.run(["pdftotext", "-f", str(page_number), "-l", str(page_number), "-r", "72",
                               "-x", str(x), "-y", "0", "-W", str(width // 2), "-H", str(height), str(pdf), "-"],
                              capture_output=True, text=True, check=True)
        halves.append(done.stdout)
    return halves[0], halves[1]


def footer_number(text: str) -> str | None:
    """The page number a booklet page prints: the last line that is only digits."""
    numbers = [line.strip() for line in text.splitlines() if line.strip().isdigit()]
    return numbers[-1] if numbers else None


def expected_sides(n: int) -> list[tuple[int, int]]:
    """[n | 1], [2 | n-1], [n-2 | 3], [4 | n-3], ... written out from the printer's rule."""
    sides = []
    for i in range(n // 2):
        sides.append((n - i, i + 1) if i % 2 == 0 else (i + 1, n - i))
    return sides


def test_imposed_sides_follow_saddle_stitch_order(naic):
    booklet = PdfReader(naic["out"] / "program.pdf")
    imposed = PdfReader(naic["out"] / "program-imposed.pdf")
    n = len(booklet.pages)
    assert len(imposed.pages) == n // 2
    checked = 0
    for number, (left, right) in enumerate(expected_sides(n), 1):
        printed = tuple(footer_number(half) for half in half_texts(naic["out"] / "program-imposed.pdf", number))
        # Covers print no number; every other page prints its own.
        for got, want in zip(printed, (left, right)):
            if want in (1, n):
                assert got is None
            else:
                assert got == str(want)
                checked += 1
    assert checked == n - 2
    for page in imposed.pages:  # A5 pages on A4 landscape
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)
        assert not page.get("/Annots"), "no links in the print file"


def test_imposed_file_keeps_the_text_and_fonts(naic):
    imposed = PdfReader(naic["out"] / "program-imposed.pdf")
    text = "\n".join(page.extract_text() for page in imposed.pages)
    assert "Taming AI Networking" in text and "Chronos: Prescheduled Circuit Switching" in text


@pytest.mark.parametrize("writer", ["mutool", "pypdf"])
def test_thirteen_pages_pad_to_sixteen_before_the_back_cover(tmp_path, monkeypatch, writer):
    (tmp_path / "thirteen.tex").write_text(
        "\\documentclass{article}\\usepackage[a5paper]{geometry}\\pagestyle{empty}\\begin{document}"
        + "".join(f"\\vspace*{{\\fill}}\\noindent PAGE{n:02d}\\clearpage" for n in range(1, 14))
        + "\\end{document}")
    run = compile_tex(tmp_path, "thirteen", max_passes=1)
    parsed = []
    if writer == "pypdf":  # no mutool on the PATH: pypdf writes the sheets
        monkeypatch.setattr("booklet.pdf.mupdf.shutil.which", lambda name: None)
    info = DocumentInfo(title="Thirteen (imposed)", author="Zoë Bröring", subject="s", keywords="k",
                        creator="booklet", moment=1757318400, version="v7")
    target = tmp_path / "imposed.pdf"
    impose_file(run.pdf, 13, target, (841.89, 595.28), info, b"seed",
                lambda: parsed.append(1) or PdfReader(run.pdf))
    assert parsed == ([1] if writer == "pypdf" else [])  # MuPDF never needs pypdf's parse
    imposed = PdfReader(target)
    assert len(imposed.pages) == 8
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in imposed.pages} == {(842, 595)}
    assert imposed.metadata["/Author"] == "Zoë Bröring" and imposed.metadata["/Version"] == "v7"
    assert [part.original_bytes for part in imposed.trailer["/ID"]] == [file_id(info, b"seed")] * 2
    sides = []
    for number in range(1, 9):
        halves = half_texts(target, number)
        sides.append(tuple(half.strip()[4:6] if half.strip().startswith("PAGE") else "-" for half in halves))
    # Reading order 1..12, three blanks, then 13 (the back cover stays last).
    assert sides == [("13", "01"), ("02", "-"), ("-", "03"), ("04", "-"),
                     ("12", "05"), ("06", "11"), ("10", "07"), ("08", "09")]


def test_imposition_falls_back_to_pypdf_when_mutool_fails(tmp_path):
    (tmp_path / "four.tex").write_text(
        "\\documentclass{article}\\usepackage[a5paper]{geometry}\\pagestyle{empty}\\begin{document}"
        + "".join(f"PAGE{n:02d}\\clearpage " for n in range(1, 5)) + "\\end{document}")
    run = compile_tex(tmp_path, "four", max_passes=1)
    info = DocumentInfo(title="t", author="a", subject="s", keywords="k", creator="booklet", moment=0)
    parsed = []
    # A wrong page count makes derive.js refuse the booklet, as any surprise would.
    impose_file(run.pdf, 8, tmp_path / "imposed.pdf", (841.89, 595.28), info, b"seed",
                lambda: parsed.append(1) or PdfReader(run.pdf))
    assert parsed == [1]
    assert len(PdfReader(tmp_path / "imposed.pdf").pages) == 2
    assert not list(tmp_path.glob(".*.plan.json"))


def _files(folder: Path) -> dict[str, bytes]:
    """The outputs: not --keep-tex's folder, nor what a build keeps for the next (.booklet/, which
    records its files' times)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not {"build", ".booklet"} & set(p.relative_to(folder).parts)}


def test_two_builds_are_byte_identical_and_carry_no_local_paths(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1757318400")  # 2025-09-08 08:00 UTC
    first, second = tmp_path / "first", tmp_path / "second"
    for out in (first, second):
        build(BuildOptions(program=ROOT / "data" / "naic2025.yaml", out=out, time_cards=True))
    one, two = _files(first), _files(second)
    assert set(one) == set(two)
    assert len([name for name in one if name.endswith(".pdf")]) == 4 + 6  # booklet, imposed, sheets, signs, 6 sessions
    for name in one:
        assert one[name] == two[name], f"{name} differs between two builds"
    # Nothing of this machine or this build's folders inside any output.
    needles = [str(tmp_path).encode(), b".booklet-work", str(ROOT).encode()]
    if len(socket.gethostname()) >= 5:  # a two-letter host name would match by chance
        needles.append(socket.gethostname().encode())
    for name, data in one.items():
        if name == "manifest.json":  # names the program relative to itself, so check can find it
            manifest = json.loads(data)
            assert not manifest["program"].startswith("/")
            assert (first / manifest["program"]).resolve() == (ROOT / "data" / "naic2025.yaml").resolve()
            assert str(tmp_path) not in data.decode() and ".booklet-work" not in data.decode()
            continue
        for needle in needles:
            assert needle not in data, (name, needle)
    info = PdfReader(first / "program.pdf").metadata
    assert info["/CreationDate"] == "D:20250908080000+00'00'"


@pytest.mark.parametrize("written", [
    b"/ID[<00112233445566778899AABBCCDDEEFF><9F9D2336119F12A30B3181806CA9B3FB>]",
    b"/ID[(\\032B\\251`=%\\267?11t#|\\256Ck)(a\\)b(c)d\\\\)]",  # literals: escapes, nested parentheses
    b"/ID[ <0011> (x) ]",
])
def test_mupdf_files_get_our_id_in_both_halves(tmp_path, written):
    """MuPDF writes the /ID's halves as hex or literal strings and makes the second afresh; both
    become ours, whatever their form, and nothing before the trailer moves."""
    from booklet.pdf.mupdf import _settle_id

    body = b"%PDF-1.7\n1 0 obj\n<</Type/Catalog>>\nendobj\nxref\n0 2\n"
    path = tmp_path / "f.pdf"
    path.write_bytes(body + b"trailer\n<</Size 2/Root 1 0 R" + written + b">>\nstartxref\n42\n%%EOF\n")
    assert _settle_id(path, bytes(range(16)))
    assert path.read_bytes() == body + (b"trailer\n<</Size 2/Root 1 0 R/ID[<000102030405060708090A0B0C0D0E0F>"
                                        b"<000102030405060708090A0B0C0D0E0F>]>>\nstartxref\n42\n%%EOF\n")
    path.write_bytes(body + b"trailer\n<</Size 2/Root 1 0 R>>\nstartxref\n42\n%%EOF\n")
    assert not _settle_id(path, bytes(range(16)))  # no /ID: not as MuPDF writes it
