"""The preflight runs in a process of its own per lane (booklet/pdf/checker.py): its reports are the
ones the preflight makes in the build's own process, in the order the files were submitted, and a
checker stopped mid-way is gone at once. Its command-line readers run to their end beside it
(pipes.py), pdftotext's word boxes in page ranges when the page count is known."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from pypdf import PdfWriter

from booklet.pdf.checker import Checker, CheckerFailed
from booklet.pdf.layout import WordBoxes
from booklet.pdf.pipes import DrainedProcess
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
