"""Cases from the red-team pass (issue 15) that once could never build or crashed, each checked
against the real PDF or the real command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from booklet.build import BuildOptions, build
from booklet.cli import cli
from booklet.pdf.text import page_texts

PROGRAM = """\
name: Red Team Workshop
acronym: RTW
year: 2026
timezone: Europe/Lisbon
rooms: [{id: r, name: Room One}]
committees:
  - title: Program Committee
    members:
      - {name: Ada Lovelace, affiliation: Engines}
      - {name: "[TBD] Someone", affiliation: "[to be confirmed]"}
papers:
  - {id: p1, title: "Is RDMA Dead?? A Reality Check", authors: [{name: Grace Hopper, affiliation: Navy}]}
  - {id: p2, title: Congestion Control, authors: [{name: Alan Turing, affiliation: Bletchley}]}
  - {id: p3, title: Congestion Control for AI Clusters, authors: [{name: Edsger Dijkstra}]}
days:
  - date: 2026-05-04
    slots:
      - {kind: session, title: First, start: "09:00", end: "09:30", chairs: [Chair One],
         talks: [{paper: p1, start: "09:00", end: "09:15"}, {paper: p2, start: "09:15", end: "09:30"}]}
      - {kind: session, title: Second, start: "09:30", end: "09:45", chairs: [Chair Two],
         talks: [{paper: p3, start: "09:30", end: "09:45"}]}
"""


def test_question_marks_nested_titles_and_brackets_build_and_print_literally(tmp_path):
    """'??' in a title is no unresolved reference; a title inside another session's title is no
    stray talk; '[' opening a table cell is a bracket, not LaTeX's optional argument."""
    path = tmp_path / "p.yaml"
    path.write_text(PROGRAM, encoding="utf-8")
    result = build(BuildOptions(program=path, out=tmp_path / "out", impose=False))
    assert all(report.ok for report in result.reports)
    text = "\n".join(page_texts(PdfReader(tmp_path / "out" / "program.pdf")))
    assert "Is RDMA Dead?? A Reality Check" in text
    assert "[TBD] Someone" in text and "[to be confirmed]" in text
    second = next((tmp_path / "out" / "sessions").glob("02-*.pdf"))
    assert "Congestion Control for AI Clusters" in "\n".join(page_texts(PdfReader(second)))


@pytest.mark.parametrize("change, message", [
    ("year: 2026", "year: 99999999999999999999999999999999"),
    ("year: 2026", "year: -44"),
])
def test_impossible_years_are_a_clear_error(tmp_path, change, message):
    path = tmp_path / "p.yaml"
    path.write_text(PROGRAM.replace(change, message), encoding="utf-8")
    for command in (["validate", str(path)], ["export", "ics", str(path)]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 1, result.output
        assert "internal error" not in result.output and "Traceback" not in result.output
        expected = "must be at most 2999" if "999" in message else "must be at least 1900"
        assert f"{path}:3:7: error: year: {expected}" in result.output and "[B103]" in result.output


def test_a_line_break_in_a_name_is_a_space(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(PROGRAM.replace("acronym: RTW", 'acronym: "RT\nW"'), encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", "ics", str(path)])
    assert result.exit_code == 0, result.output
    assert "X-WR-CALNAME:RT W 2026 program" in result.output


def test_a_pdftex_error_is_reported_as_itself(tmp_path):
    """pdfTeX's own errors (a missing object here; a full disk the same way) stop it with
    '!pdfTeX error:': that line, not "no PDF", is what the user needs to read."""
    path = tmp_path / "p.yaml"
    path.write_text(PROGRAM, encoding="utf-8")
    mine = tmp_path / "mine" / "partials"
    mine.mkdir(parents=True)
    (mine / "cover.tex.j2").write_text("\\thispagestyle{bkcover}\\pdfbookmark[1]{Cover}{bk-cover}\n"
                                       "\\pdfrefximage 999\\clearpage\n")
    result = CliRunner().invoke(cli, ["build", str(path), "--out", str(tmp_path / "out"), "--no-impose",
                                      "--templates", str(tmp_path / "mine")])
    assert result.exit_code == 1
    assert (f"{mine / 'cover.tex.j2'}:2:1: error: template partials/cover.tex.j2: LaTeX failed: pdfTeX error "
            "(ext1): cannot find referenced object.") in result.output, result.output
    assert "produced no PDF" not in result.output


def test_a_template_that_reads_files_is_refused_before_tex_runs(tmp_path):
    """\\pdfobj ... file and \\pdfximage embed any file pdfTeX can read (/etc/passwd), which TeX's
    own restrictions do not cover; catcodes and ^^ could spell them in disguise."""
    path = tmp_path / "p.yaml"
    path.write_text(PROGRAM, encoding="utf-8")
    mine = tmp_path / "mine" / "partials"
    mine.mkdir(parents=True)
    (mine / "cover.tex.j2").write_text("\\thispagestyle{bkcover}\n"
                                       "\\immediate\\pdfobj stream file {/etc/passwd}\n"
                                       "\\pdfximage{/etc/hostname.png}\n"
                                       "\\catcode`\\Q=0 Qinput{x} ^^5cinput{x}\n"
                                       "% \\pdfximage in a comment runs nothing\n")
    result = CliRunner().invoke(cli, ["build", str(path), "--out", str(tmp_path / "out"), "--templates",
                                      str(tmp_path / "mine")])
    assert result.exit_code == 1
    cover = mine / "cover.tex.j2"
    for line, what in [(2, "\\pdfobj stream file: \\pdfobj ... file embeds any readable file"),
                       (3, "\\pdfximage: \\pdfximage embeds any readable file"),
                       (4, "\\catcode: can spell a forbidden command in disguise"),
                       (4, "^^: ^^ notation can spell a forbidden command in disguise")]:
        assert f"{cover}:{line}:1: error: {what}" in result.output, result.output
    assert f"{cover}:5:" not in result.output
    assert "[B407]" in result.output and not (tmp_path / "out" / "program.pdf").exists()


@pytest.mark.parametrize("epoch", ["253402300800", "-5", "soon", "١٢٣"])
def test_an_impossible_source_date_epoch_is_a_clear_error(tmp_path, monkeypatch, epoch):
    path = tmp_path / "p.yaml"
    path.write_text(PROGRAM, encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    for command in (["build", str(path), "--out", str(tmp_path / "out")], ["export", "ics", str(path)]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 1, (command, result.output)
        assert "SOURCE_DATE_EPOCH: error: " in result.output and "give seconds since 1970" in result.output
        assert "Traceback" not in result.output and "internal error" not in result.output


def test_a_manifest_nested_beyond_reason_does_not_stop_the_next_build(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(PROGRAM, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text("[" * 100_000 + "]" * 100_000)
    result = CliRunner().invoke(cli, ["build", str(path), "--out", str(out), "--no-impose"])
    assert result.exit_code == 0, result.output
    checked = CliRunner().invoke(cli, ["check", "--out", str(out)])
    assert checked.exit_code == 0, checked.output


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"])
def test_positions_count_lines_whatever_ends_them(tmp_path, newline):
    path = tmp_path / "p.yaml"
    lines = ["name: X", "year: 2026", "rooms: [{id: r, name: R}]", "days:", "  - date: 2026-01-01",
             "    slots:", '      - {kind: break, start: "9h", end: "10:00"}']
    path.write_bytes(newline.join(lines).encode() + newline.encode())
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert f"{path}:7:30: error: days[0].slots[0].start: malformed time '9h'" in result.output
    lines[2] = "rooms: [{id: r, name: \xff}]"
    path.write_bytes(newline.join(lines).encode("latin-1") + newline.encode())
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert f"{path}:3:23: error: not UTF-8 text (byte 0xff)" in result.output, result.output


def test_a_rebuild_removes_only_the_files_booklet_wrote(tmp_path):
    """A session that goes away takes its sheet with it; a chair's slides beside the sheets stay,
    and a sessions folder that links elsewhere is never emptied."""
    path = tmp_path / "p.yaml"
    path.write_text(PROGRAM, encoding="utf-8")
    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["build", str(path), "--out", str(out), "--no-impose"]).exit_code == 0
    sheets = sorted(p.name for p in (out / "sessions").iterdir())
    assert len(sheets) == 2
    (out / "sessions" / "slides.pdf").write_bytes(b"%PDF-1.4 the chair's own file")
    fewer = PROGRAM.replace("chairs: [Chair Two],", "")
    path.write_text(fewer, encoding="utf-8")
    assert CliRunner().invoke(cli, ["build", str(path), "--out", str(out), "--no-impose"]).exit_code == 0
    assert sorted(p.name for p in (out / "sessions").iterdir()) == sorted([sheets[0], "slides.pdf"])

    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "thesis.pdf").write_bytes(b"%PDF-1.4 years of work")
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / "sessions").symlink_to(documents)
    path.write_text(PROGRAM, encoding="utf-8")
    assert CliRunner().invoke(cli, ["build", str(path), "--out", str(linked), "--no-impose"]).exit_code == 0
    path.write_text(fewer, encoding="utf-8")
    assert CliRunner().invoke(cli, ["build", str(path), "--out", str(linked), "--no-impose"]).exit_code == 0
    assert (documents / "thesis.pdf").read_bytes() == b"%PDF-1.4 years of work"


@pytest.mark.parametrize("export, message", [
    ('[{"pid": "abc", "title": "T", "decision": "Accept", "authors": [{"name": "A"}]}]',
     "[0].pid: pid 'abc' is not a paper number"),
    ('[{"pid": 1e400, "title": "T", "decision": "Accept", "authors": [{"name": "A"}]}]',
     "[0].pid: pid 'inf' is not a paper number"),
    ('[{"pid": true, "title": "T", "decision": "Accept", "authors": [{"name": "A"}]}]',
     "[0].pid: pid 'True' is not a paper number"),
    ('[{"pid": 1, "title": "T", "decision": "Accept", "authors": [{"name": "A"}]},'
     ' {"pid": "1", "title": "U", "decision": "Accept", "authors": [{"name": "B"}]}]',
     "pid: two papers have pid 1"),
    ("[" * 100_000 + "]" * 100_000, "JSON nested too deeply to be an export"),
])
def test_hotcrp_exports_of_any_shape_give_a_clear_error(tmp_path, export, message):
    _import_fails(tmp_path, "hotcrp", export, message)


def _import_fails(tmp_path, importer: str, content: str, message: str) -> None:
    path = tmp_path / "export.json"
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", importer, str(path)])
    assert result.exit_code == 1, result.output
    assert message in result.output and "internal error" not in result.output


def test_an_export_larger_than_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    from booklet import exports

    monkeypatch.setattr(exports, "MAX_EXPORT_BYTES", 1000)
    path = tmp_path / "schedule.json"
    path.write_text("{" + " " * 2000 + "}", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", "schedule", str(path)])
    assert result.exit_code == 1 and "is larger than 1000 bytes, the most an export may be" in result.output


def _schedule(days) -> str:
    return json.dumps({"schedule": {"conference": {"title": "C", "time_zone_name": "Europe/Berlin", "days": days}}})


@pytest.mark.parametrize("schedule, message", [
    (_schedule([5]), "schedule.conference.days[0]: expected a day, found int '5'"),
    (json.dumps({"schedule": {"conference": {"title": "C", "rooms": 7}}}),
     "schedule.conference.rooms: expected a list, found int '7'"),
    (_schedule([{"rooms": {"Saal": ["an event as text"]}}]),
     "schedule.conference.days[0].rooms['Saal'][0]: expected an event, found str 'an event as text'"),
    (_schedule([{"rooms": {"Saal": [{"title": "Long", "date": "2025-12-27T11:00:00+01:00",
                                     "duration": "99999999:30"}]}}]),
     "event 'Long': duration '99999999:30' is not HH:MM or D:HH:MM"),
])
def test_schedule_exports_of_any_shape_give_a_clear_error(tmp_path, schedule, message):
    _import_fails(tmp_path, "schedule", schedule, message)


def test_a_second_build_into_one_folder_waits_or_stops_at_once(tmp_path):
    """While another build holds OUT (here the test, through the same lock), --no-wait stops at
    once; a plain build waits, says so, and finishes once the folder is free."""
    import fcntl
    import os
    import subprocess
    import sys
    import time

    path = tmp_path / "p.yaml"
    path.write_text(PROGRAM, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    holder = os.open(out / ".booklet.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(holder, fcntl.LOCK_EX)
    command = [sys.executable, "-m", "booklet", "build", str(path), "--out", str(out), "--no-impose"]
    busy = subprocess.run(command + ["--no-wait"], capture_output=True, text=True, timeout=60)
    assert busy.returncode == 1
    assert f"{out}: error: another booklet build is writing to this folder; wait for it or leave out " \
           "--no-wait [B406]" in busy.stderr
    waiting = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    time.sleep(3)
    assert waiting.poll() is None, "the second build waits while the folder is taken"
    assert not (out / "program.pdf").exists()
    os.close(holder)  # the first build is done
    _, stderr = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, stderr
    assert "booklet: waiting for another build" in stderr and (out / "program.pdf").is_file()


def test_a_killed_builds_work_folder_goes_at_the_next_build(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(PROGRAM, encoding="utf-8")
    out = tmp_path / "out"
    left = out / ".booklet-work-killed"
    left.mkdir(parents=True)
    (left / "program.pdf").write_bytes(b"%PDF half a booklet")
    assert CliRunner().invoke(cli, ["build", str(path), "--out", str(out), "--no-impose"]).exit_code == 0
    assert not left.exists()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("built")
    (folder / "p.yaml").write_text(PROGRAM, encoding="utf-8")
    build(BuildOptions(program=folder / "p.yaml", out=folder / "out", impose=False))
    return folder


def _tampered(built, tmp_path, change) -> str:
    """`booklet check` on a copy of the built folder whose booklet CHANGE(writer) has rewritten."""
    import shutil

    from pypdf import PdfWriter

    shutil.copytree(built, tmp_path / "copy")
    booklet = tmp_path / "copy" / "out" / "program.pdf"
    writer = PdfWriter(clone_from=str(booklet))
    change(writer)
    writer.write(str(booklet))
    result = CliRunner().invoke(cli, ["check", "--out", str(tmp_path / "copy" / "out")])
    assert result.exit_code == 1
    assert "differs from the manifest: the file changed after booklet built it" in result.output
    return result.output


def test_check_finds_a_changed_file_and_what_no_printer_should_meet(built, tmp_path):
    from pypdf.actions import JavaScript

    output = _tampered(built, tmp_path, lambda writer: writer.add_open_action(JavaScript("app.alert('hi');")))
    assert "the file carries JavaScript or actions that run on opening [safety]" in output


def test_check_finds_an_attachment(built, tmp_path):
    output = _tampered(built, tmp_path, lambda writer: writer.add_attachment("notes.txt", b"hidden"))
    assert "the file carries attached files [safety]" in output


def test_check_finds_encryption_that_forbids_printing(built, tmp_path):
    output = _tampered(built, tmp_path, lambda writer: writer.encrypt("", "owner", algorithm="RC4-128",
                                                                      permissions_flag=0))
    assert "the file is encrypted; a printer may refuse it or be forbidden to print it [safety]" in output
    assert "internal error" not in output


def test_a_folder_of_other_files_is_not_built_into_without_force(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(PROGRAM, encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    for name in ("thesis.pdf", "photos", "notes.txt", "taxes.ods"):
        (home / name).write_text("mine")
    (home / ".gitkeep").write_text("")
    refused = CliRunner().invoke(cli, ["build", str(path), "--out", str(home), "--no-impose"])
    assert refused.exit_code == 1
    assert (f"{home}: error: this folder holds files booklet did not write (notes.txt, photos, taxes.ods and 1 "
            "more); give a new or empty folder with --out, or --force to build beside them [B408]") in refused.output
    assert not (home / "program.pdf").exists()
    forced = CliRunner().invoke(cli, ["build", str(path), "--out", str(home), "--no-impose", "--force"])
    assert forced.exit_code == 0 and (home / "thesis.pdf").read_text() == "mine"
    again = CliRunner().invoke(cli, ["build", str(path), "--out", str(home), "--no-impose"])
    assert again.exit_code == 0, "a folder booklet has built into (its manifest) is booklet's to rebuild"


def test_check_finds_pages_put_out_of_order(naic, tmp_path):
    """Two pages of the detailed program swapped with qpdf after the build: the outline's pages go
    back, the running heads stand on the wrong side and the index's numbers open other pages."""
    import shutil
    import subprocess

    out = tmp_path / "out"
    shutil.copytree(naic["out"], out)
    booklet = out / "program.pdf"
    subprocess.run(["qpdf", str(booklet), "--pages", str(booklet), "1-4,6,5,7-z", "--", str(tmp_path / "s.pdf")],
                   check=True)
    shutil.move(tmp_path / "s.pdf", booklet)
    program = Path(__file__).resolve().parent.parent / "data" / "naic2025.yaml"
    result = CliRunner().invoke(cli, ["check", "--out", str(out), "--program", str(program)])
    assert result.exit_code == 1
    assert ("program.pdf page 5: 'Session 2: SimCity for AI Systems' comes before 'Session 1: Taming AI "
            "Networking' in the file, not after it as in the program: pages out of order [outline]") in result.output
    assert "text past the left edge of the text block" in result.output


def test_check_finds_sheets_built_for_another_day_or_room(built, tmp_path):
    moved = tmp_path / "moved.yaml"
    moved.write_text(PROGRAM.replace("2026-05-04", "2026-05-05").replace("name: Room One", "name: Room Two"),
                     encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--out", str(built / "out"), "--program", str(moved)])
    assert result.exit_code == 1
    for sheet in ("01-", "02-"):
        line = next(line for line in result.output.splitlines() if f"sessions/{sheet}" in line and "Tuesday" in line)
        assert "'Tuesday, 5 May 2026' is in the program but not in the PDF [content]" in line
    assert "'Room Two' is in the program but not in the PDF [content]" in result.output


def test_a_full_disk_names_the_file_it_could_not_write(tmp_path):
    """/dev/full answers every write with 'No space left on device', as a full disk does."""
    from booklet.publish import write_file

    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with pytest.raises(OSError) as raised:
        write_file(Path("/dev/full"), b"x" * 100_000)
    assert raised.value.filename == "/dev/full" and "No space left" in raised.value.strerror
    # Through the command line: the one line main() prints names the file.
    import subprocess
    import sys

    program = tmp_path / "p.yaml"
    program.write_text("name: X\nyear: 2026\nrooms: [{id: r, name: R}]\ndays: [{date: 2026-01-01, slots: "
                       "[{kind: break, start: '10:00', end: '10:30'}]}]\n", encoding="utf-8")
    (tmp_path / ".out.ics.partial").symlink_to("/dev/full")  # where the calendar is written first
    result = subprocess.run([sys.executable, "-m", "booklet", "export", "ics", str(program), "-o",
                             str(tmp_path / "out.ics")], capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    assert f"booklet: {tmp_path / '.out.ics.partial'}: No space left on device" in result.stderr, result.stderr
    assert "internal error" not in result.stderr


def test_check_finds_files_built_for_another_day_or_room(naic, tmp_path):
    """A folder built from the program as it was, checked against the program as it now is: the
    cover, the chair sheets and the door signs all carry the day, and the sheets and signs the room."""
    import shutil

    out = tmp_path / "out"
    shutil.copytree(naic["out"], out)
    source = (Path(__file__).resolve().parent.parent / "data" / "naic2025.yaml").read_text(encoding="utf-8")
    moved = tmp_path / "moved.yaml"
    moved.write_text(source.replace("date: 2025-09-08", "date: 2025-09-09").replace(
        "name: Room Ines de Castro", "name: Room Pedro"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--out", str(out), "--program", str(moved)])
    assert result.exit_code == 1, result.output
    assert "program.pdf page 1: 'Tuesday, 9 September 2025' is not on the cover [content]" in result.output
    assert "door-signs.pdf: 'Room Pedro' is in the program but not in the PDF [content]" in result.output
    assert "sessions/01-session-1-taming-ai-networking.pdf: 'Tuesday, 9 September 2025' is in the program" \
        in result.output


def test_decomposed_accents_are_read_as_the_composed_letters(tmp_path):
    """"José" pasted from a PDF or typed on macOS is e + U+0301; it is the same José (NFC on load)."""
    program = tmp_path / "p.yaml"
    program.write_text(
        "name: NFC Test\nyear: 2026\nrooms: [{id: r, name: R}]\n"
        "papers: [{id: p, title: \"Cafe\u0301 Networks\", authors: [{name: \"Jose\u0301 Mari\u0301a Pe\u0301rez\", "
        "affiliation: \"Universidad de Ma\u0301laga\"}]}]\n"
        "days: [{date: 2026-02-02, slots: [{kind: session, title: S, chairs: [C], start: \"09:00\", "
        "end: \"09:30\", talks: [{paper: p, start: \"09:00\", end: \"09:30\"}]}]}]\n", encoding="utf-8")
    assert "\u0301" in program.read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(program), "--out", str(tmp_path / "out"), "--no-impose"])
    assert result.exit_code == 0, result.output
    text = "\n".join(page_texts(PdfReader(tmp_path / "out" / "program.pdf")))
    assert "Café Networks" in text and "José María Pérez (Universidad de Málaga)" in text
    assert "Pérez, José María" in text  # the index entry


def test_sort_as_orders_the_index_and_the_entry_keeps_its_name(tmp_path):
    program = tmp_path / "p.yaml"
    program.write_text("""name: Sort Test
year: 2026
rooms: [{id: r, name: R}]
papers:
  - {id: p, title: Paper One, authors: [{name: Vincent van Gogh, sort_as: "Gogh, Vincent"}, {name: Ada Lovelace},
                                          {name: Zeno Zed, sort_as: "Aaron"}]}
days: [{date: 2026-02-02, slots: [{kind: session, title: S, chairs: [Cee], start: "09:00", end: "09:30",
        talks: [{paper: p, start: "09:00", end: "09:30"}]}]}]
""", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(program), "--out", str(tmp_path / "out"), "--no-impose"])
    assert result.exit_code == 0, result.output
    text = "\n".join(page_texts(PdfReader(tmp_path / "out" / "program.pdf")))
    index = text[text.index("INDEX OF PEOPLE"):]
    order = [index.index(name) for name in ("Zed, Zeno", "Cee", "Gogh, Vincent van", "Lovelace, Ada")]
    assert order == sorted(order), index
