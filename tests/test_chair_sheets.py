"""Chair sheets: one page per chaired session, cut from TeX's run, with optional timing cards."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from booklet.cli import cli
from booklet.pdf.finish import DocumentInfo
from booklet.pdf.split import Part, cut_files, cut_with_pypdf
from booklet.pdf.text import SearchableText, page_texts
from seed_page import PANELISTS, SLOTS, TALKS, page_title

A4 = (595.28, 841.89)

# The page's sessions, in order: (file name, heading, chair, titles of its talks).
SESSIONS = []
_talks = iter(TALKS)
for _line in SLOTS:
    _times, _rest = _line.split(" | ", 1)
    if _rest.startswith("Session "):
        _number, _title = _rest.split(" | ")[0].removeprefix("Session ").split(": ", 1)
        _chair = _rest.split("Chair: ")[1]
        _start, _end = _times.split(" — ")
        _mine = []
        for times, _, title_line, _ in TALKS:
            if _start <= times[:5] < _end:
                _mine.append(page_title(title_line)[0])
        SESSIONS.append((_number, _title, _chair, _mine))


def sheet_files(out: Path) -> list[Path]:
    return sorted((out / "sessions").glob("*.pdf"))


def test_one_file_per_chaired_session_named_by_order_and_title(naic):
    names = [p.name for p in sheet_files(naic["out"])]
    assert names == [
        "01-session-1-taming-ai-networking.pdf",
        "02-session-2-simcity-for-ai-systems.pdf",
        "03-session-3-optimizing-the-ai-journey.pdf",
        "04-session-4-llms-without-borders.pdf",
        "05-session-5-smart-moves-in-ai-networking.pdf",
        "06-panel-will-ai-eat-the-network-or-just-snack-on.pdf",
    ]


def test_each_sheet_is_one_page_plus_three_timing_cards(naic):
    for path in sheet_files(naic["out"]):
        texts = page_texts(PdfReader(path))
        assert len(texts) == 4, path.name
        assert [" ".join(t.split()) for t in texts[1:]] == ["5 MIN", "1 MIN", "TIME"]
    combined = PdfReader(naic["out"] / "chair-sheets.pdf")
    assert len(combined.pages) == 4 * 6
    for page in combined.pages:
        assert abs(float(page.mediabox.width) - A4[0]) < 1 and abs(float(page.mediabox.height) - A4[1]) < 1


def assert_sound(path: Path) -> None:
    """qpdf finds nothing wrong, and poppler (what most Linux viewers read with) opens the file
    without a word on its error output: it says "Syntax Error" before rebuilding a broken table."""
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, (path.name, check.stdout + check.stderr)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True)
    assert info.returncode == 0 and info.stderr == "", (path.name, info.stderr)


def assert_cut_from(sheets: list[Path], combined: Path) -> None:
    """Each file is sound, draws exactly what its pages of the combined file draw (four a session:
    the sheet and its timing cards) and names its own session."""
    drawn = [page.get_contents().get_data() for page in PdfReader(combined).pages]
    assert len(sheets) == len(SESSIONS) + 1  # and the panel's
    for number, path in enumerate(sheets):
        assert_sound(path)
        sheet = PdfReader(path, strict=True)
        assert [page.get_contents().get_data() for page in sheet.pages] == drawn[4 * number: 4 * number + 4]
        assert sheet.metadata.title.startswith("NAIC 2025: chair sheet, ")
        assert number == 5 or SESSIONS[number][1] in sheet.metadata.title  # the sixth is the panel
        identifier = sheet.trailer["/ID"]  # pypdf reads some byte strings as text: compare the bytes
        halves = [getattr(half, "original_bytes", half) for half in identifier]
        assert len(halves[0]) == 16 and halves[0] == halves[1]


def test_each_sheet_is_a_sound_pdf_with_the_combined_files_very_pages(naic):
    assert_cut_from(sheet_files(naic["out"]), naic["out"] / "chair-sheets.pdf")


@pytest.mark.parametrize("writer", ["mutool", "pypdf"])
def test_both_splitters_cut_the_same_sound_files(naic, tmp_path, writer):
    """The build cuts with MuPDF; pypdf's splitter, used without mutool, cuts files as sound."""
    combined = naic["out"] / "chair-sheets.pdf"
    reader = PdfReader(combined)
    names = sorted(reader.named_destinations, key=lambda name: int(name.rsplit("-", 1)[1]))
    assert names == [f"bk-sheet-{n}" for n in range(1, len(SESSIONS) + 2)]  # and the panel's
    parsed = []
    parts = [Part(name, tmp_path / f"{n:02d}.pdf", DocumentInfo(
        title=f"NAIC 2025: chair sheet, {'Panel' if n == 6 else SESSIONS[n - 1][1]}", author="a", subject="s",
        keywords="k", creator="booklet", moment=0), bytes([n]) * 16) for n, name in enumerate(names, 1)]
    if writer == "pypdf":
        cut_with_pypdf(combined, parts, lambda: parsed.append(1) or reader)
    else:
        assert cut_files(combined, parts)
    assert parsed == ([1] if writer == "pypdf" else [])
    assert_cut_from([part.target for part in parts], combined)
    assert [PdfReader(part.target).trailer["/ID"][0].original_bytes for part in parts] == \
        [part.identifier for part in parts]
    assert not list(tmp_path.glob(".*"))  # the plan is gone


def test_a_missing_destination_is_named(naic, tmp_path):
    combined = naic["out"] / "chair-sheets.pdf"
    reader = PdfReader(combined)
    info = DocumentInfo(title="t", author="a", subject="s", keywords="k", creator="booklet", moment=0)
    with pytest.raises(KeyError, match="bk-sheet-99"):
        cut_with_pypdf(combined, [Part("bk-sheet-1", tmp_path / "1.pdf", info, b"1" * 16),
                                  Part("bk-sheet-99", tmp_path / "99.pdf", info, b"9" * 16)], lambda: reader)


def test_each_sheet_holds_its_own_talks_and_chair_and_no_other_sessions(naic):
    files = sheet_files(naic["out"])
    all_titles = [title for _, _, _, titles in SESSIONS for title in titles]
    for (number, title, chair, titles), path in zip(SESSIONS, files):
        text = SearchableText(PdfReader(path).pages[0].extract_text())
        assert f"Session {number}" in text and title in text
        assert f"Chair: {chair}" in text
        for own in titles:
            assert own in text, own
        for other in set(all_titles) - set(titles):
            assert other not in text, (path.name, other)


def test_sheet_shows_times_split_and_what_follows(naic):
    text = SearchableText(PdfReader(sheet_files(naic["out"])[0]).pages[0].extract_text())
    assert "09:55–10:30 (35 min)" in text
    assert "09:55–10:10 15 min: 12 + 3" in text
    assert "10:10–10:20 10 min: 8 + 2" in text
    assert "Next: 10:30 Morning coffee break" in text
    assert "Monday, 8 September 2025 · Room Ines de Castro" in text


def test_panel_sheet_lists_the_panelists(naic):
    text = SearchableText(PdfReader(sheet_files(naic["out"])[-1]).pages[0].extract_text())
    assert "Chair: Haoyu Song" in text
    for panelist in PANELISTS:
        assert panelist in text
    assert "Last item of the day in this room." in text


def test_sheets_are_typeset_once_and_log_no_overflow(naic):
    log = naic["sheets_log"]
    assert "BOOKLET-SHEET-OVERFLOW" not in log
    assert "Overfull \\vbox" not in log


def _session_program(talks: int, title_words: int = 16, authors: int = 8) -> dict:
    papers, rows = [], []
    for i in range(talks):
        papers.append({
            "id": f"p{i}",
            "title": " ".join(f"Word{i}x{j}" for j in range(title_words)),
            "authors": [{"name": f"Author{i}x{k} Family{k}", "affiliation": f"Institute {k % 3} of Things"}
                        for k in range(authors)],
        })
        start = 9 * 60 + i * 10
        rows.append({"paper": f"p{i}", "start": f"{start // 60:02d}:{start % 60:02d}",
                     "end": f"{(start + 10) // 60:02d}:{(start + 10) % 60:02d}"})
    end = 9 * 60 + talks * 10
    return {
        "name": "Sheet Test", "year": "2026", "rooms": [{"id": "r", "name": "Room"}], "papers": papers,
        "days": [{"date": "2026-01-05", "slots": [{
            "kind": "session", "number": "1", "title": "A Very Long Session", "chairs": ["Chair Person"],
            "start": "09:00", "end": f"{end // 60:02d}:{end % 60:02d}", "talks": rows}]}],
    }


def _write(tmp_path: Path, program: dict) -> Path:
    path = tmp_path / "program.yaml"
    path.write_text(yaml.safe_dump(program, sort_keys=False))
    return path


def test_a_twelve_talk_session_fits_on_one_letter_page(tmp_path):
    program = _write(tmp_path, _session_program(12))
    result = CliRunner().invoke(cli, ["build", str(program), "--out", str(tmp_path / "out"),
                                      "--sheet-paper", "letter"])
    assert result.exit_code == 0, result.output
    reader = PdfReader(tmp_path / "out" / "sessions" / "01-session-1-a-very-long-session.pdf")
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
    text = SearchableText(page.extract_text())
    for i in range(12):
        assert " ".join(f"Word{i}x{j}" for j in range(16)) in text


def test_a_session_too_long_for_one_page_is_a_build_error(tmp_path):
    program = _write(tmp_path, _session_program(40))
    result = CliRunner().invoke(cli, ["build", str(program), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "the chair sheet for Session 1: A Very Long Session does not fit on one page" in result.output
    assert "days[0].slots[0]" in result.output
    assert not (tmp_path / "out" / "program.pdf").exists()


def test_sheets_of_removed_sessions_do_not_linger(tmp_path):
    out = tmp_path / "out"
    program = _session_program(2)
    assert CliRunner().invoke(cli, ["build", str(_write(tmp_path, program)), "--out", str(out)]).exit_code == 0
    program["days"][0]["slots"][0]["title"] = "Renamed Session"
    assert CliRunner().invoke(cli, ["build", str(_write(tmp_path, program)), "--out", str(out)]).exit_code == 0
    assert [p.name for p in sheet_files(out)] == ["01-session-1-renamed-session.pdf"]


def test_without_mupdf_every_sheet_is_typeset_and_cut_by_pypdf(tmp_path, monkeypatch):
    """Kept sheets are of use only to MuPDF: without it a rebuild typesets every sheet again (the
    changed session's first, alone, before MuPDF is found missing) and pypdf cuts them, into files
    as sound, and the combined file from the same run."""
    naic = yaml.safe_load((Path(__file__).resolve().parent.parent / "data" / "naic2025.yaml").read_text(encoding="utf-8"))
    program = _write(tmp_path, naic)
    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["build", str(program), "--out", str(out), "--time-cards"]).exit_code == 0
    monkeypatch.setattr("booklet.documents.chair_sheets.cut_files", lambda *args, **kwargs: False)
    naic["papers"][0]["title"] += " Revised"
    result = CliRunner().invoke(cli, ["build", str(_write(tmp_path, naic)), "--out", str(out), "--time-cards",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"session_sheets_typeset": 6' in result.stdout
    assert_cut_from(sheet_files(out), out / "chair-sheets.pdf")
    assert len(PdfReader(out / "chair-sheets.pdf").pages) == 4 * 6


def test_a_template_of_the_users_without_sheet_marks_typesets_every_sheet(tmp_path):
    """A chair-sheets template copied before sheets were marked (no `% sheet:` lines; the program's
    version in the header): every sheet is typeset on every build, and it prints what it says."""
    from booklet.tex.templates import BUILTIN_TEMPLATES

    builtin = (BUILTIN_TEMPLATES / "chair-sheets.tex.j2").read_text(encoding="utf-8")
    old = builtin.replace("% sheet: \\VAR{s.destination}\n", "").replace("Revision \\VAR{s.revision}",
                                                                           "Version \\VAR{version}")
    assert "% sheet: \\VAR" not in old and "Version \\VAR{version}" in old
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "chair-sheets.tex.j2").write_text(old, encoding="utf-8")
    naic = yaml.safe_load((Path(__file__).resolve().parent.parent / "data" / "naic2025.yaml").read_text(encoding="utf-8"))
    naic["version"] = "v7"
    out = tmp_path / "out"
    for title in ("Towards Scalable Networks", "Towards Scalable Network"):
        naic["papers"][0]["title"] = title
        result = CliRunner().invoke(cli, ["build", str(_write(tmp_path, naic)), "--out", str(out),
                                          "--templates", str(tmp_path / "mine"), "--format", "json"])
        assert result.exit_code == 0, result.output
        assert '"session_sheets_typeset": 6' in result.stdout
    assert "Chair sheet 2 of 6 · Version v7" in PdfReader(sheet_files(out)[1]).pages[0].extract_text()
