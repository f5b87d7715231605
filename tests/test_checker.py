"""The preflight runs in a process of its own per lane (booklet/pdf/checker.py): its reports are the
ones the preflight makes in the build's own process, in the order the files were submitted, and a
checker stopped mid-way is gone at once. Its command-line readers run to their end beside it
(pipes.py), pdftotext's word boxes in page ranges when the page count is known."""

from __future__ import annotations

import io
import os
import re
import sys
import time
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject, NumberObject

from booklet.pdf.checker import Checker, CheckerFailed
from booklet.pdf.layout import WordBoxes
from booklet.pdf.page_memo import PageKeys
from booklet.pdf.pipes import DrainedProcess
from booklet.pdf.poppler import plain_copy
from booklet.pdf.preflight import FileExpectation, preflight


def _blank_pdf(path: Path, pages: int) -> Path:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=419.53, height=595.28)
    writer.add_metadata({"/Title": "T", "/Author": "A", "/Subject": "S"})
    with path.open("wb") as stream:
        writer.write(stream)
    return path


def test_reports_are_the_preflights_own_in_submission_order(tmp_path):
    files = [(_blank_pdf(tmp_path / "four.pdf", 4), FileExpectation("four.pdf", "booklet", "a5", multiple_of=4)),
             (tmp_path / "missing.pdf", FileExpectation("missing.pdf", "sheet", "a4", pages=1)),
             (_blank_pdf(tmp_path / "three.pdf", 3), FileExpectation("three.pdf", "booklet", "a5", multiple_of=4))]
    checker = Checker()
    seen = []
    checker.submit(files[:1])
    checker.submit(files[1:])
    reports = checker.reports(on_report=lambda done, total: seen.append((done, total)) or True)
    assert reports == [preflight(path, expect) for path, expect in files]
    assert [report.ok for report in reports] == [True, False, False]  # missing; 3 pages is no booklet
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert checker.peak_kb > 10_000  # a Python process with pypdf loaded: tens of MB


def test_a_stopped_checker_is_gone_and_says_so(tmp_path):
    checker = Checker()
    checker.submit([(_blank_pdf(tmp_path / "one.pdf", 1), FileExpectation("one.pdf", "sheet", "a5", pages=1))])
    checker.stop()
    assert checker._process.poll() is not None
    try:
        checker.reports()
    except CheckerFailed as failure:
        assert "ended unexpectedly" in str(failure)
    else:
        raise AssertionError("a stopped checker gave reports")


def test_a_reader_runs_to_its_end_before_its_output_is_asked_for():
    # 1 MB of output: far more than a pipe holds, so an undrained command would wait for us.
    process = DrainedProcess([sys.executable, "-c", "import sys; sys.stdout.write('x' * 1_000_000)"])
    deadline = time.monotonic() + 20
    while process._process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process._process.poll() == 0  # finished on its own
    output, status = process.output()
    assert (len(output), status) == (1_000_000, 0)


def test_word_boxes_read_in_page_ranges_from_a_plain_copy_are_the_whole_files(naic, monkeypatch, tmp_path):
    booklet = naic["out"] / "program.pdf"
    pages = len(naic["reader"].pages)
    whole = WordBoxes(booklet).pages()  # no work folder: poppler reads the file itself
    monkeypatch.setattr(WordBoxes, "PAGES_PER_PART", 3)
    monkeypatch.setattr(WordBoxes, "PAGES_FOR_A_COPY", 3)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    in_parts = WordBoxes(booklet, pages, scratch=tmp_path)  # from a copy with its streams uncompressed
    assert in_parts.pages() == whole and len(whole) == pages
    assert len(in_parts._parts) == 4 and in_parts._copy is not None
    assert not in_parts._copy.exists() and list(tmp_path.iterdir()) == []  # the copy is gone once read
    # A count too low still reads every page: the last range runs to the end of the file.
    assert WordBoxes(booklet, pages // 2, scratch=tmp_path).pages() == whole
    cancelled = WordBoxes(booklet, pages, scratch=tmp_path)
    cancelled.cancel()
    assert list(tmp_path.iterdir()) == []
    # Some pages only (those a page memo does not know): each run of pages is one range, and runs
    # beyond four are joined, the pages between them read and dropped.
    monkeypatch.setattr(WordBoxes, "PAGES_FOR_A_COPY", 25)
    only = [0, 2, 3, 5, 7, pages - 1]
    some = WordBoxes(booklet, pages, scratch=tmp_path, only=only)
    assert some.pages_by_index() == {index: whole[index] for index in only}
    assert len(some._parts) == 4 and some._copy is None  # too few pages to be worth a copy
    small = WordBoxes(booklet, pages, scratch=tmp_path)
    assert small.pages() == whole and small._copy is None
    # Every page new but the second (a longer title early on): the long run is halved, so that two
    # cores read it, and the pages read are still exactly those asked for.
    monkeypatch.setattr(WordBoxes, "PAGES_PER_PART", 3)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    moved = [0, *range(2, pages)]
    halves = WordBoxes(booklet, pages, scratch=tmp_path, only=moved)
    assert halves.pages_by_index() == {index: whole[index] for index in moved}
    middle = (3 + pages) // 2
    assert [first for _, first in halves._parts] == [0, 2, middle]


def _font_programs(path: Path) -> dict[str, bool]:
    """Each font's name, and whether its program is in the file."""
    found = {}
    for page in PdfReader(path).pages:
        for font in (page["/Resources"].get_object().get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font["/FontDescriptor"].get_object()
            found[str(font["/BaseFont"])] = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    return found


def test_the_plain_copy_leaves_out_only_the_font_programs_poppler_does_not_read(naic, tmp_path):
    booklet = naic["out"] / "program.pdf"
    # One font without its /ToUnicode map: poppler would take its text from the program's glyph names.
    writer = PdfWriter(clone_from=booklet)
    kept = None
    for page in writer.pages:
        for font in (page["/Resources"].get_object().get("/Font") or {}).values():
            font = font.get_object()
            if kept is None and "/ToUnicode" in font:
                del font["/ToUnicode"]
                kept = str(font["/BaseFont"])
    unmapped = tmp_path / "unmapped.pdf"
    with unmapped.open("wb") as stream:
        writer.write(stream)
    for source in (booklet, unmapped):
        copy = plain_copy(source, tmp_path)
        before, after = _font_programs(source), _font_programs(copy)
        assert all(before.values()) and len(before) >= 5
        assert after == {name: name == kept and source == unmapped for name in before}
        # The same words, in the same boxes, as poppler reads from the file itself.
        assert WordBoxes(copy).pages() == WordBoxes(source).pages()
        copy.unlink()


def _reread(writer: PdfWriter) -> PdfReader:
    data = io.BytesIO()
    writer.write(data)
    return PdfReader(io.BytesIO(data.getvalue()))


def _set_content(writer: PdfWriter, page, data: bytes) -> None:
    stream = DecodedStreamObject()
    stream.set_data(data)
    page[NameObject("/Contents")] = writer._add_object(stream)


def test_a_page_key_sees_through_font_names_to_the_fonts(naic):
    """pdfTeX names a page's fonts after the order TeX loaded them, so a longer title renames every
    later font (/F257 becomes /F259) while the pages print the same: the key of a page (page_memo.py)
    is the same when only the names changed, and changes with anything that changes what is read."""
    source = naic["out"] / "program.pdf"
    number = next(i for i, page in enumerate(PdfReader(source).pages) if len(page["/Resources"]["/Font"]) >= 2)
    original = PageKeys(PdfReader(source)).key(PdfReader(source).pages[number])
    assert original is not None

    def variant(change) -> str | None:
        writer = PdfWriter(clone_from=PdfReader(source))
        change(writer, writer.pages[number])
        reader = _reread(writer)
        return PageKeys(reader).key(reader.pages[number])

    def rename(writer, page):
        fonts = page["/Resources"]["/Font"]
        old = sorted(fonts)[0]
        fonts[NameObject("/F9999")] = fonts.raw_get(old)
        del fonts[old]
        data = page.get_contents().get_data()
        assert re.search(re.escape(old.encode()) + rb"\s", data)
        _set_content(writer, page, re.sub(re.escape(old.encode()) + rb"(?=\s)", b"/F9999", data))

    def widen(writer, page):
        font = page["/Resources"]["/Font"][sorted(page["/Resources"]["/Font"])[0]]
        widths = font["/Widths"]
        widths[0] = NumberObject(int(widths[0]) + 1)

    def draw_more(writer, page):  # any change to the content stream
        _set_content(writer, page, page.get_contents().get_data() + b"\nBT ET")

    def resize(writer, page):
        page.mediabox.right = float(page.mediabox.right) + 1

    assert variant(rename) == original  # renamed font, same font: same key
    for change in (widen, draw_more, resize):
        assert variant(change) not in (original, None), change.__name__
    assert variant(lambda writer, page: None) == original  # written again by pypdf: still the same key


def test_a_file_cut_from_another_has_its_layout_checked_when_asked(naic, tmp_path):
    """A cut file's text comes from the file it was cut from; its words are its own, so margins on
    its expectation still mean a layout check (a session's sheet asks for none today)."""
    sheet = sorted((naic["out"] / "sessions").glob("*.pdf"))[0]

    def checks(margins):
        expect = FileExpectation(f"sessions/{sheet.name}", "sheet", "a4", pages=1, cut=True, margins=margins)
        return [check.check for check in preflight(sheet, expect, scratch=tmp_path).checks]

    assert "layout" in checks((20.0, 20.0))
    assert "layout" not in checks(None) and "parse" in checks(None)
