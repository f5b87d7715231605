"""The preflight runs in a process of its own per lane (booklet/pdf/checker.py): its reports are the
ones the preflight makes in the build's own process, in the order the files were submitted, and a
checker stopped mid-way is gone at once."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfWriter

from booklet.pdf.checker import Checker, CheckerFailed
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
