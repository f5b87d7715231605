"""How `booklet build` behaves around the typesetting: options, overrides, failures, hardening."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from booklet.cli import cli
from booklet.tex.templates import BUILTIN_TEMPLATES
from booklet.pdf.text import SearchableText, page_texts

SMALL = """\
name: Small Workshop
acronym: SW
year: 2026
timezone: Europe/Lisbon
rooms: [{id: r, name: Room One}]
committees:
  - {title: General Chairs, role: general, members: [{name: Grace Hopper, affiliation: Navy}]}
papers:
  - {id: p1, title: A Paper About Things, authors: [{name: Ada Lovelace, affiliation: Engines Ltd}]}
days:
  - date: 2026-05-04
    slots:
      - {kind: session, title: Only Session, number: 1, start: "09:00", end: "09:15",
         chairs: [Alan Turing], talks: [{paper: p1, start: "09:00", end: "09:15"}]}
"""


@pytest.fixture
def small(tmp_path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL)
    return path


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_paper_sizes(tmp_path, small):
    sizes = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}
    for paper, (width, height) in sizes.items():
        out = tmp_path / paper
        result = run("build", small, "--out", out, "--paper", paper)
        assert result.exit_code == 0, result.output
        reader = PdfReader(out / "program.pdf")
        assert len(reader.pages) % 4 == 0
        for page in reader.pages:
            assert abs(float(page.mediabox.width) - width) < 1 and abs(float(page.mediabox.height) - height) < 1


def test_user_template_replaces_one_file_and_keeps_the_rest(tmp_path, small):
    templates = tmp_path / "mine" / "partials"
    templates.mkdir(parents=True)
    (templates / "back-cover.tex.j2").write_text(
        "\\thispagestyle{bkcover}\nPrinted for \\VAR{b.short_name} by the local team.\n\\clearpage\n")
    out = tmp_path / "out"
    result = run("build", small, "--out", out, "--templates", tmp_path / "mine")
    assert result.exit_code == 0, result.output
    texts = page_texts(PdfReader(out / "program.pdf"))
    assert "Printed for SW 2026 by the local team." in texts[-1]
    assert "A Paper About Things" in SearchableText("\n".join(texts)), "built-in partials still used"


@pytest.mark.parametrize("template, expected", [
    ("\\BLOCK{if b.name}\nunclosed\n", "mine/partials/back-cover.tex.j2:"),
    ("line one\nline two \\VAR{b.no_such_field}\n", "mine/partials/back-cover.tex.j2:2:"),
])
def test_template_errors_name_the_template_file_and_line(tmp_path, small, monkeypatch, template, expected):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine" / "partials").mkdir(parents=True)
    (tmp_path / "mine" / "partials" / "back-cover.tex.j2").write_text(template)
    result = run("build", small, "--out", tmp_path / "out", "--templates", "mine")
    assert result.exit_code == 1
    assert expected in result.output
    assert "Traceback" not in result.output


def test_latex_error_keeps_the_previous_pdf_and_leaves_no_work_folder(tmp_path, small):
    out = tmp_path / "out"
    assert run("build", small, "--out", out).exit_code == 0
    before = {path: path.read_bytes() for path in out.rglob("*.pdf")}  # the kept sheet (.booklet/sheets) too
    # booklet, imposed booklet, all sheets, the one session's sheet, door signs
    assert len([path for path in before if ".booklet" not in path.parts]) == 5
    mine = tmp_path / "mine" / "partials"
    mine.mkdir(parents=True)
    (mine / "back-cover.tex.j2").write_text("\\undefinedcommandforthetest\n")
    result = run("build", small, "--out", out, "--templates", tmp_path / "mine")
    assert result.exit_code == 1
    assert "LaTeX failed: Undefined control sequence." in result.output
    assert {path: path.read_bytes() for path in out.rglob("*.pdf")} == before
    assert sorted(p.name for p in out.iterdir() if p.name != ".booklet.lock") == [".booklet", "chair-sheets.pdf", "door-signs.pdf", "manifest.json", "program-imposed.pdf", "program.ics",
                                                     "program.pdf", "sessions"]


def test_latex_error_in_a_user_template_names_its_file_and_line(tmp_path, small):
    mine = tmp_path / "mine" / "partials"
    mine.mkdir(parents=True)
    source = (BUILTIN_TEMPLATES / "partials" / "program.tex.j2").read_text()
    broken = source.replace("\\section{Detailed Program}", "\\sectionbroken{Detailed Program}")
    (mine / "program.tex.j2").write_text(broken)
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if "\\sectionbroken{" in text)
    result = run("build", small, "--out", tmp_path / "out", "--templates", tmp_path / "mine")
    assert result.exit_code == 1
    assert (f"{mine / 'program.tex.j2'}:{line}:1: error: template partials/program.tex.j2: "
            "LaTeX failed: Undefined control sequence.") in result.output


def test_a_glyph_missing_from_the_font_is_an_error_not_a_gap(tmp_path, small):
    """Validation rejects characters the fonts lack; should one reach TeX anyway (here through a
    user's template), the build fails and says which font, instead of printing a name with a hole."""
    mine = tmp_path / "mine" / "partials"
    mine.mkdir(parents=True)
    (mine / "back-cover.tex.j2").write_text("\\thispagestyle{bkcover}\n{\\sffamily\\bfseries \\textflorin}\n\\clearpage\n")
    result = run("build", small, "--out", tmp_path / "out", "--templates", tmp_path / "mine")
    assert result.exit_code == 1
    assert f"{mine / 'back-cover.tex.j2'}:2:1: error: template partials/back-cover.tex.j2: " in result.output
    assert "the font LinBiolinumTB-tlf-ts1 has no glyph for a character of this text" in result.output
    assert not (tmp_path / "out" / "program.pdf").exists()


def test_latex_error_while_typesetting_names_the_program_item(tmp_path, small):
    # A style that breaks the talk macro: the failing line comes from a built-in template, so the
    # message points at the talk in the program being typeset.
    mine = tmp_path / "mine"
    mine.mkdir()
    style = (BUILTIN_TEMPLATES / "booklet.sty").read_text()
    (mine / "booklet.sty").write_text(style.replace("\\endinput", "\\renewcommand\\bktalk[4]{\\nosuchmacro}\n\\endinput"))
    result = run("build", small, "--out", tmp_path / "out", "--templates", mine)
    assert result.exit_code == 1
    assert f"{small}:14:41: error: days[0].slots[0].talks[0]: while typesetting this item" in result.output


def test_endless_tex_is_stopped_by_the_timeout(tmp_path, small):
    mine = tmp_path / "mine" / "partials"
    mine.mkdir(parents=True)
    (mine / "back-cover.tex.j2").write_text("\\loop\\iftrue\\repeat\n")
    started = time.monotonic()
    result = run("build", small, "--out", tmp_path / "out", "--templates", tmp_path / "mine", "--timeout", "3")
    assert result.exit_code == 1
    assert "did not finish within 3 s" in result.output
    assert time.monotonic() - started < 20


def test_tex_cannot_read_files_outside_the_build(tmp_path, small):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRETCONTENT")
    mine = tmp_path / "mine" / "partials"
    mine.mkdir(parents=True)
    # Even trusted template code cannot reach outside: openin_any=p refuses absolute paths.
    (mine / "back-cover.tex.j2").write_text(f"\\input{{{secret}}}\n\\clearpage\n")
    result = run("build", small, "--out", tmp_path / "out", "--templates", tmp_path / "mine")
    assert result.exit_code == 1
    assert "TOPSECRETCONTENT" not in result.output
    assert not (tmp_path / "out" / "program.pdf").exists()


def test_keep_tex_keeps_source_and_log(tmp_path, small):
    out = tmp_path / "out"
    assert run("build", small, "--out", out, "--keep-tex").exit_code == 0
    tex = (out / "build" / "program.tex").read_text()
    assert "\\begin{document}" in tex
    assert (out / "build" / "program.log").exists()


def test_invalid_program_fails_before_tex_with_exit_1(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.replace('end: "09:15",\n         chairs', 'end: "08:15",\n         chairs'))
    result = run("build", bad, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "ends at 08:15, not after its start 09:00" in result.output
    assert not (tmp_path / "out" / "program.pdf").exists()


def test_usage_errors_exit_2(small):
    assert run("build", small, "--paper", "a3").exit_code == 2


def test_overlapping_phases_count_each_second_once():
    from booklet.progress import covered_seconds

    assert covered_seconds([]) == 0
    assert covered_seconds([(0, 2), (1, 3)]) == 3  # two lanes overlapping
    assert covered_seconds([(5, 6), (0, 1), (0.5, 0.75)]) == 2  # unordered, one inside another
    assert covered_seconds([(0, 1), (1, 2), (4, 4.5)]) == 2.5  # touching, then a gap


def test_an_unchanged_rebuild_stops_early_and_any_change_rebuilds(tmp_path, small, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1777881600")  # else the file's own date is the PDFs' date
    program = small.read_text() + '      - {kind: break, title: Coffee, start: "09:30", end: "09:45"}\n'
    small.write_text(program)  # a 15-minute gap: the program has a warning
    out = tmp_path / "out"
    first = run("build", small, "--out", out)
    assert first.exit_code == 0 and "up to date" not in first.output
    warning = next(line for line in first.output.splitlines() if "gap of 15 min" in line)
    files = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}

    again = run("build", small, "--out", out)
    assert again.exit_code == 0 and "up to date" in again.output
    assert warning in again.output  # the warning is still shown, though the program was not read
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == files

    # A comment changes the file, not the LaTeX: still up to date, with the warning where it now is.
    small.write_text("# checked by the chairs\n" + program)
    commented = run("build", small, "--out", out)
    assert commented.exit_code == 0 and "up to date" in commented.output
    line = int(warning.split(":")[1])
    assert warning.replace(f":{line}:", f":{line + 1}:") in commented.output

    # That build found the LaTeX unchanged and recorded the new bytes: the next stops at step 0.
    assert json.loads((out / "manifest.json").read_text())["program_sha256"] == \
        hashlib.sha256(small.read_bytes()).hexdigest()

    # A file dated afresh is hashed (same bytes: up to date); one rewritten in place and dated back
    # to its recorded size and date is still seen (its change time moved), and rebuilt.
    calendar = out / "program.ics"
    os.utime(calendar)
    assert "up to date" in run("build", small, "--out", out).output
    status, data = calendar.stat(), calendar.read_bytes()
    calendar.write_bytes(data.replace(b"BEGIN:VEVENT", b"BEGIN:VEVENX", 1))
    os.utime(calendar, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert calendar.stat().st_size == status.st_size and calendar.stat().st_ino == status.st_ino
    rebuilt = run("build", small, "--out", out)
    assert rebuilt.exit_code == 0 and "up to date" not in rebuilt.output
    assert calendar.read_bytes() == data

    # A template of the user's changes the LaTeX: rebuilt; and --force always rebuilds.
    mine = tmp_path / "mine" / "partials"
    mine.mkdir(parents=True)
    (mine / "back-cover.tex.j2").write_text("\\thispagestyle{bkcover}\nSee you next year.\n\\clearpage\n")
    changed = run("build", small, "--out", out, "--templates", tmp_path / "mine")
    assert changed.exit_code == 0 and "up to date" not in changed.output
    assert "See you next year." in SearchableText("\n".join(page_texts(PdfReader(out / "program.pdf"))))
    forced = run("build", small, "--out", out, "--templates", tmp_path / "mine", "--force")
    assert forced.exit_code == 0 and "up to date" not in forced.output


def test_an_up_to_date_rebuild_loads_none_of_the_build(tmp_path, small):
    """Step 0 (fresh.py) answers before the program's model, the templates, the PDF reader or the
    calendar library are imported: that is what makes an unchanged `make` return at once."""
    out = tmp_path / "out"
    assert run("build", small, "--out", out).exit_code == 0
    probe = ("import sys\nfrom booklet.cli import cli\n"
             "try:\n    cli.main(sys.argv[1:], prog_name='booklet')\nexcept SystemExit as stop:\n    code = stop.code\n"
             "heavy = ('booklet.build', 'booklet.model', 'pypdf', 'jinja2', 'pydantic', 'icalendar')\n"
             "print(code, [name for name in heavy if name in sys.modules])\n")
    done = subprocess.run([sys.executable, "-c", probe, "build", str(small), "--out", str(out), "-q"],
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.strip().splitlines()[-1] == "0 []", done.stdout + done.stderr


def test_the_lanes_that_do_not_pace_the_build_yield_the_cpu_to_the_booklet(tmp_path, small, monkeypatch):
    """On two cores the booklet's passes and checks, which the build waits for, come first: the chair
    sheets' and door signs' TeX, and their checker processes, run at a lower priority, in their
    sessions' scheduling groups too (cpu.py)."""
    import re
    import threading

    from booklet import cpu, outputs
    from booklet.pdf.checker import Checker
    from booklet.tex import engine

    base = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    lowered = min(19, base + cpu.YIELDING)
    seen, groups = {}, {}
    compile_tex, submit, share = outputs.compile_tex, Checker.submit, engine.share_priority

    def group_nice(pid: int) -> int | None:
        found = re.search(r"nice (-?\d+)", Path(f"/proc/{pid}/autogroup").read_text()) \
            if Path(f"/proc/{pid}/autogroup").exists() else None
        return int(found[1]) if found else None

    current = threading.local()  # the job whose lane thread is starting TeX

    def compiling(work, job, **options):
        seen[job] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())  # TeX inherits it
        current.job = job
        return compile_tex(work, job, **options)

    def sharing(pid):
        share(pid)
        groups.setdefault(current.job, group_nice(pid))  # its first pass's

    def submitting(checker, files):
        for _, expect in files:
            seen[expect.name.split("/")[0]] = os.getpriority(os.PRIO_PROCESS, checker.pid)
            groups[expect.name.split("/")[0]] = group_nice(checker.pid)
        return submit(checker, files)

    monkeypatch.setattr(outputs, "compile_tex", compiling)
    monkeypatch.setattr(engine, "share_priority", sharing)
    monkeypatch.setattr(Checker, "submit", submitting)
    assert run("build", small, "--out", tmp_path / "out").exit_code == 0
    assert seen == {"program": base, "program.pdf": base, "program-imposed.pdf": base,
                    "chair-sheets": lowered, "chair-sheets.pdf": lowered, "sessions": lowered,
                    "door-signs": lowered, "door-signs.pdf": lowered}
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == base  # the caller's own is untouched
    # A kernel that shares the CPU between sessions first shows this process's group; the file is
    # there but empty when autogroup is off or the process is in the kernel's first group (CI's).
    own_group = group_nice(os.getpid())
    if own_group is not None:
        assert own_group == 0  # the build's own group is untouched
        assert groups == {"program": 0, "program.pdf": 0, "program-imposed.pdf": 0,
                          "chair-sheets": lowered, "chair-sheets.pdf": lowered, "sessions": lowered,
                          "door-signs": lowered, "door-signs.pdf": lowered}
