"""Each preflight check fails when it should, with the exact message a program chair reads.

The broken PDFs are made here from a good build (pypdf edits one thing), or by a template that
produces the fault the way a real mistake would.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, RectangleObject, TextStringObject

from booklet.cli import cli
from booklet.pdf.preflight import FileExpectation, preflight


@pytest.fixture
def folder(naic, tmp_path) -> Path:
    """A copy of the NAIC output folder to break."""
    target = tmp_path / "out"
    shutil.copytree(naic["out"], target)
    return target


PROGRAM = str(Path(__file__).resolve().parent.parent / "data" / "naic2025.yaml")


def check(folder: Path):
    # The copy moved the folder, so the manifest's relative program path no longer leads anywhere.
    result = CliRunner().invoke(cli, ["check", "--out", str(folder), "--program", PROGRAM])
    # Every call: a failed check exits 1, a clean one 0, and neither is an internal error.
    assert result.exit_code == (1 if "FAILED" in result.output else 0), result.output
    assert "internal error" not in result.output and not isinstance(result.exception, Exception) or \
        isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


def rewrite(path: Path, change) -> None:
    writer = PdfWriter(clone_from=PdfReader(path))
    change(writer)
    with open(path, "wb") as handle:
        writer.write(handle)


def test_a_good_folder_passes(folder):
    code, output = check(folder)
    assert code == 0, output
    assert "FAILED" not in output


def test_json_has_a_record_per_file_and_check(folder):
    result = CliRunner().invoke(cli, ["check", "--out", str(folder), "--json", "--program", PROGRAM])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert {"file": "program.pdf", "check": "fonts", "status": "pass",
            "detail": "all embedded, none Type 3"} in records
    assert {r["file"] for r in records} >= {"program.pdf", "chair-sheets.pdf", "program-imposed.pdf"}


def test_missing_title(folder):
    rewrite(folder / "program.pdf", lambda w: w.add_metadata({"/Title": ""}))
    code, output = check(folder)
    assert code == 1
    assert "program.pdf: Title missing from the document information [metadata]" in output


def _font_dicts(writer):
    for page_number, page in enumerate(writer.pages, 1):
        for name, font in page["/Resources"]["/Font"].items():
            yield page_number, font.get_object()


def test_unembedded_font(folder):
    def strip(writer):
        page_number, font = next(_font_dicts(writer))
        descriptor = font["/FontDescriptor"].get_object()
        for key in ("/FontFile", "/FontFile2", "/FontFile3"):
            if key in descriptor:
                del descriptor[key]
        strip.name = str(font["/BaseFont"]).lstrip("/")

    rewrite(folder / "program.pdf", strip)
    code, output = check(folder)
    assert code == 1
    assert f"program.pdf page 1: font {strip.name} is not embedded [fonts]" in output


def test_type3_font(folder):
    def to_type3(writer):
        _, font = next(_font_dicts(writer))
        font[NameObject("/Subtype")] = NameObject("/Type3")
        to_type3.name = str(font["/BaseFont"]).lstrip("/")

    rewrite(folder / "program.pdf", to_type3)
    code, output = check(folder)
    assert code == 1
    assert f"program.pdf page 1: font {to_type3.name} is Type 3 (a bitmap font) [fonts]" in output


def test_wrong_page_size(folder):
    def letter_page(writer):
        writer.pages[2].mediabox = RectangleObject([0, 0, 612, 792])

    rewrite(folder / "program.pdf", letter_page)
    code, output = check(folder)
    assert code == 1
    assert ("program.pdf page 3: page is 612.0 x 792.0 pt; expected a5 (419.5 x 595.3 pt) [paper]"
            in output)


def test_rotated_page(folder):
    rewrite(folder / "program.pdf", lambda w: w.pages[4].rotate(90))
    code, output = check(folder)
    assert "program.pdf page 5: page is rotated by 90 degrees [paper]" in output


def test_two_page_sheet(folder, tmp_path):
    # The folder was built with timing cards; a plain sheet must be exactly one page.
    sheet = PdfReader(folder / "sessions/02-session-2-simcity-for-ai-systems.pdf")
    writer = PdfWriter()
    writer.add_page(sheet.pages[0])
    writer.add_page(sheet.pages[0])
    writer.add_metadata({"/Title": "t", "/Author": "a", "/Subject": "s"})
    two = tmp_path / "two.pdf"
    with open(two, "wb") as handle:
        writer.write(handle)
    report = preflight(two, FileExpectation("sessions/02.pdf", "sheet", "a4", pages=1))
    assert [c.detail for c in report.checks if c.status == "fail"] == \
        ["2 pages; expected 1 (a chair sheet is one page)"]
    # With timing cards, a sheet is one page plus three cards.
    rewrite(folder / "sessions/02-session-2-simcity-for-ai-systems.pdf", lambda w: w.add_blank_page())
    code, output = check(folder)
    assert code == 1
    assert ("sessions/02-session-2-simcity-for-ai-systems.pdf: 5 pages; expected 4 (a chair sheet is one "
            "page plus three timing cards) [pages]") in output


def test_booklet_not_a_multiple_of_four(folder):
    rewrite(folder / "program.pdf", lambda w: w.add_blank_page())
    code, output = check(folder)
    assert "program.pdf: 21 pages; a printed booklet needs a multiple of 4 [pages]" in output


def test_dangling_link(folder):
    def add_link(writer):
        link = DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(10), FloatObject(10), FloatObject(50), FloatObject(20)]),
            NameObject("/Dest"): TextStringObject("nowhere"),
        })
        writer.pages[3].annotations.append(writer._add_object(link))

    rewrite(folder / "program.pdf", add_link)
    code, output = check(folder)
    assert code == 1
    assert "program.pdf page 4: link to 'nowhere', which is not defined [links]" in output


def test_other_sessions_talk_on_a_sheet(folder):
    # Session 1's sheet replaced by session 2's: its own talks are missing, another's are present.
    shutil.copy(folder / "sessions/02-session-2-simcity-for-ai-systems.pdf",
                folder / "sessions/01-session-1-taming-ai-networking.pdf")
    code, output = check(folder)
    assert code == 1
    assert ("sessions/01-session-1-taming-ai-networking.pdf: 'Taming AI Networking' is in the program but "
            "not in the PDF [content]") in output
    assert ("sessions/01-session-1-taming-ai-networking.pdf: 'MLSynth: Towards Synthetic ML Traces' "
            "belongs to another session [content]") in output


def test_missing_file(folder):
    (folder / "chair-sheets.pdf").unlink()
    code, output = check(folder)
    assert "chair-sheets.pdf: the file is missing or empty [parse]" in output


def test_unresolved_reference_fails_the_build(tmp_path):
    root = Path(__file__).resolve().parent.parent
    mine = tmp_path / "mine" / "partials"
    mine.mkdir(parents=True)
    (mine / "back-cover.tex.j2").write_text(
        "\\thispagestyle{bkcover}\nSee page~\\pageref{no-such-label}.\n\\clearpage\n")
    result = CliRunner().invoke(cli, ["build", str(root / "data" / "naic2025.yaml"), "--out",
                                      str(tmp_path / "out"), "--templates", str(tmp_path / "mine")])
    assert result.exit_code == 1
    assert "program.pdf: error: preflight: page 20: '??' printed: an unresolved reference (content) [B404]" \
        in result.output
    assert not (tmp_path / "out" / "program.pdf").exists(), "a failed preflight publishes nothing"


@pytest.mark.parametrize("extractor", ["mutool", "pdftotext", "pypdf"])
def test_every_text_extractor_finds_every_program_string(naic, extractor):
    """The preflight reads text with the first extractor installed; each must read the NAIC files
    so that every program string is found (accents, ligatures, line breaks and all)."""
    from booklet.checks import OutputOptions, expectations
    from booklet.documents import Inputs
    from booklet.pdf.preflight import check_text
    from booklet.pdf.text import page_texts
    from booklet.validate import check_program
    from booklet.views import build_view

    if extractor != "pypdf" and not shutil.which(extractor):
        pytest.skip(f"{extractor} is not installed (make setup installs it)")
    program = check_program(Path(PROGRAM), PROGRAM).program
    booklet = PdfReader(naic["out"] / "program.pdf")
    inputs = Inputs(program, OutputOptions(time_cards=True), 0, "", build_view(program))
    wanted = {e.name: e for e in expectations(inputs, {"program.pdf": len(booklet.pages)})}
    for name in ("program.pdf", "chair-sheets.pdf", "door-signs.pdf"):
        path = naic["out"] / name
        reader = PdfReader(path)
        texts = page_texts(reader, path, extractors=() if extractor == "pypdf" else (extractor,))
        assert len(texts) == len(reader.pages)
        results = check_text(texts, wanted[name])
        assert [r.status for r in results] == ["pass"], (name, [r.detail for r in results])
        assert int(results[0].detail.split()[0]) >= 18  # "N program strings found": the check had work


def test_strings_are_found_in_any_order_and_missing_ones_named():
    from booklet.pdf.text import SearchableText

    page = SearchableText("Keynote: Networks for AI\nAda Lovelace (Engines)\nSession 2\nGrace Hopper, Alan Turing")
    # In printed order, out of order (found again from the start), repeated, and absent.
    wanted = ["Networks for AI", "Grace Hopper", "Ada Lovelace", "Alan Turing", "Ada Lovelace", "Nguyễn Văn An",
              "Session 3"]
    assert page.missing(wanted) == ["Nguyễn Văn An", "Session 3"]
    assert page.missing([]) == []


def test_a_sessions_title_inside_one_of_its_own_strings_is_not_another_sessions(tmp_path):
    from booklet.pdf.preflight import FileExpectation, check_text

    text = ["Congestion Control for AI Clusters\nChair: Ada Lovelace\nLoad Balancing"]
    expect = FileExpectation("sheet.pdf", "sheet", "a4", texts=["Congestion Control for AI Clusters", "Ada Lovelace"],
                             forbidden=["Congestion Control", "Load Balancing", "Security"])
    problems = [check.detail for check in check_text(text, expect) if check.status == "fail"]
    assert problems == ["'Load Balancing' belongs to another session"]
