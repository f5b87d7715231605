"""A rebuild after a small change starts from the last good build's TeX state (issue 20): one pass
when the references did not move, only the changed session's chair sheet typeset, byte for byte
the files a cold build makes, and never worse than a cold build when the kept state is stale,
foreign or broken."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from booklet.cli import cli
from booklet.sheet_store import split_sheets

ROOT = Path(__file__).resolve().parent.parent


def _build(program: Path, out: Path, *extra) -> dict:
    result = CliRunner().invoke(cli, ["build", str(program), "--out", str(out), "--format", "json", *map(str, extra)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _naic_with_title(folder: Path, title: str) -> Path:
    program = yaml.safe_load((ROOT / "data" / "naic2025.yaml").read_text(encoding="utf-8"))
    program["papers"][0]["title"] = title
    path = folder / "naic.yaml"
    path.write_text(yaml.safe_dump(program, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _revisions(out: Path) -> list[str]:
    """The revision printed atop each session's chair sheet."""
    found = []
    for path in sorted((out / "sessions").glob("*.pdf")):
        match = re.search(r"Revision ([0-9a-f]{7})\b", PdfReader(path).pages[0].extract_text())
        assert match, path.name
        found.append(match.group(1))
    return found


def _pdf_files(out: Path) -> dict[str, bytes]:
    return {path.relative_to(out).as_posix(): path.read_bytes() for path in sorted(out.rglob("*.pdf"))
            if ".booklet" not in path.parts and "build" not in path.parts}


def test_a_title_fix_is_one_pass_and_the_files_are_a_cold_builds(tmp_path):
    first = _build(_naic_with_title(tmp_path, "Towards Scalable Networks"), tmp_path / "out")
    assert first["passes"] == 2  # cold: pages laid out in the first pass (contents predicted), numbers in the second
    assert first["session_sheets"] == first["session_sheets_typeset"] == 6
    assert (tmp_path / "out" / ".booklet" / "program.aux").is_file()
    before = _revisions(tmp_path / "out")
    program = _naic_with_title(tmp_path, "Towards Scalable Network")  # a typo fixed: no page moves
    again = _build(program, tmp_path / "out", "--keep-tex")
    assert again["passes"] == 1
    # The first paper is in the first session: its sheet alone is typeset again.
    assert again["session_sheets_typeset"] == 1
    assert (tmp_path / "out" / "build" / "chair-sheets.tex").read_text().count("\\bksheet{") == 1
    after = _revisions(tmp_path / "out")
    assert after[0] != before[0] and after[1:] == before[1:]
    cold = _build(program, tmp_path / "cold")
    assert cold["passes"] == 2 and cold["session_sheets_typeset"] == 6
    rebuilt, made_cold = _pdf_files(tmp_path / "out"), _pdf_files(tmp_path / "cold")
    assert sorted(rebuilt) == sorted(made_cold) and len(rebuilt) == 4 + 6  # the four documents, six sessions
    for name in made_cold:
        assert rebuilt[name] == made_cold[name], name


def test_a_kept_sheet_that_changed_is_typeset_again(tmp_path):
    """A kept sheet that is not as it was kept (edited in place, say) is not used."""
    out = tmp_path / "out"
    _build(_naic_with_title(tmp_path, "Towards Scalable Networks"), out)
    kept = sorted((out / ".booklet" / "sheets").glob("*.pdf"))
    assert len(kept) == 6
    published = sorted((out / "sessions").glob("*.pdf"))
    kept[0].write_bytes(b"%PDF-1.5\nnot the sheet it was\n")
    program = _naic_with_title(tmp_path, "Towards Scalable Network")
    again = _build(program, out)
    assert again["session_sheets_typeset"] == 2  # the changed session, and the spoilt one
    assert len(list((out / ".booklet" / "sheets").glob("*.pdf"))) == 6  # none lingers, none is missing
    _build(program, tmp_path / "cold")
    assert _pdf_files(out) == _pdf_files(tmp_path / "cold")
    assert published[0].name == sorted((out / "sessions").glob("*.pdf"))[0].name


def test_sheets_are_cut_at_their_marks_or_not_at_all():
    tex = ("\\documentclass{article}\n\\begin{document}\n% sheet: bk-sheet-1\nOne\n% sheet: bk-sheet-2\n"
           "Two\n\\end{document}\n")
    latex = split_sheets(tex, ["bk-sheet-1", "bk-sheet-2"])
    assert latex.fragments == ["% sheet: bk-sheet-1\nOne\n", "% sheet: bk-sheet-2\nTwo\n"]
    assert latex.document([1]) == \
        "\\documentclass{article}\n\\begin{document}\n% sheet: bk-sheet-2\nTwo\n\\end{document}\n"
    one, two = latex.keys("pdflatex", [b"style"])
    assert one != two
    # A comment changes nothing TeX sets; the preamble, a style file and the engine change every key.
    commented = split_sheets(tex.replace("One\n", "% note\nOne\n"), ["bk-sheet-1", "bk-sheet-2"])
    assert commented.keys("pdflatex", [b"style"]) == latex.keys("pdflatex", [b"style"])
    assert one not in split_sheets(tex.replace("article", "report"), ["bk-sheet-1", "bk-sheet-2"]).keys(
        "pdflatex", [b"style"])
    assert one not in latex.keys("pdflatex", [b"other style"]) and one not in latex.keys("lualatex", [b"style"])
    # Marks missing, out of order or before \\begin{document}: every sheet is typeset, in one run.
    assert split_sheets(tex, ["bk-sheet-2", "bk-sheet-1"]) is None
    assert split_sheets(tex.replace("% sheet: bk-sheet-2\n", ""), ["bk-sheet-1", "bk-sheet-2"]) is None
    assert split_sheets(tex.replace("\\begin{document}\n", ""), ["bk-sheet-1", "bk-sheet-2"]) is None


def test_a_broken_or_foreign_state_costs_only_the_head_start(tmp_path):
    program = _naic_with_title(tmp_path, "Towards Scalable Networks")
    _build(program, tmp_path / "out")
    state = tmp_path / "out" / ".booklet"
    # An .aux that stops TeX (say, from an older template's macros): the first pass runs again cold.
    (state / "program.aux").write_text("\\relax\n\\undefinedmacrofromanoldtemplate\n", encoding="utf-8")
    program = _naic_with_title(tmp_path, "Towards Scalable Network")
    assert _build(program, tmp_path / "out")["passes"] >= 2
    # State kept under another key (other style files) is not used at all.
    key = json.loads((state / "key.json").read_text())
    (state / "key.json").write_text(json.dumps({"key": "0" * len(key["key"])}))
    # Page readings cut short, or made by other readers: every page is read again.
    memo = state / "pages" / "program.pdf.jsonl"
    lines = memo.read_text(encoding="utf-8").splitlines()
    memo.write_text(lines[0] + "\n" + lines[1][: len(lines[1]) // 2], encoding="utf-8")
    (state / "pages" / "chair-sheets.pdf.jsonl").write_text('{"fingerprint": "other readers"}\n' + "\n".join(
        (state / "pages" / "chair-sheets.pdf.jsonl").read_text(encoding="utf-8").splitlines()[1:]), encoding="utf-8")
    program = _naic_with_title(tmp_path, "Towards Scalable Networks")
    assert _build(program, tmp_path / "out")["passes"] >= 2
    assert memo.read_text(encoding="utf-8").splitlines()[0] == lines[0]  # written whole again
    assert len(memo.read_text(encoding="utf-8").splitlines()) == len(lines)
    _build(program, tmp_path / "cold")
    assert (tmp_path / "out" / "program.pdf").read_bytes() == (tmp_path / "cold" / "program.pdf").read_bytes()


def _logged_readers(folder: Path, monkeypatch) -> Path:
    """pdftotext and mutool, run through scripts that write each command line to the returned log."""
    log = folder / "readers.log"
    folder.mkdir()
    for name in ("pdftotext", "mutool"):
        real = shutil.which(name)
        script = folder / name
        script.write_text(f'#!/bin/sh\necho "{name} $*" >> "{log}"\nexec "{real}" "$@"\n')
        script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return log


def test_a_conference_rebuilt_after_a_title_fix_is_a_cold_build_sheet_for_sheet(tmp_path, monkeypatch):
    """Past 32 sessions the combined file is merged a group of sessions at a time (derive.js): it is
    still a cold build's, with most sheets taken from the last build, accents and all. The preflight
    reads again only the pages that print something new: the others' text and word boxes are the
    last build's (page_memo.py)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    log = _logged_readers(tmp_path / "bin", monkeypatch)
    program = generate(300)
    path = tmp_path / "conference.yaml"
    path.write_text(yaml.safe_dump(program, allow_unicode=True, sort_keys=False), encoding="utf-8")
    first = _build(path, tmp_path / "out")
    assert first["session_sheets"] == first["session_sheets_typeset"] > 32
    memo = tmp_path / "out" / ".booklet" / "pages" / "program.pdf.jsonl"
    pages = len(PdfReader(tmp_path / "out" / "program.pdf").pages)
    assert len(memo.read_text(encoding="utf-8").splitlines()) == 1 + pages > 60
    log.unlink()
    title = program["papers"][0]["title"]  # a typo fixed: a letter for a letter, no line moves
    program["papers"][0]["title"] = title[:-1] + ("e" if title[-1] != "e" else "a")
    path.write_text(yaml.safe_dump(program, allow_unicode=True, sort_keys=False), encoding="utf-8")
    again = _build(path, tmp_path / "out")
    assert again["session_sheets_typeset"] == 1
    commands = log.read_text().splitlines()
    boxes = [line for line in commands if line.startswith("pdftotext -bbox") and "/program.pdf" in line]
    texts = [line for line in commands if line.startswith("mutool draw") and "/program.pdf" in line]
    assert boxes and texts
    ranges = [re.search(r"-f (\d+) -l (\d+)", line) for line in boxes]  # each a page range: none runs to the end
    assert all(ranges) and sum(int(m[2]) - int(m[1]) + 1 for m in ranges) <= 6, boxes
    assert all(re.search(r" [\d,]+$", line) for line in texts), texts  # a page list, not the whole file
    _build(path, tmp_path / "cold")
    rebuilt, made_cold = _pdf_files(tmp_path / "out"), _pdf_files(tmp_path / "cold")
    assert sorted(rebuilt) == sorted(made_cold)
    for name in made_cold:
        assert rebuilt[name] == made_cold[name], name
    # What the rebuild kept for the next one (read pages and reused ones) is what a cold build reads.
    memos = {folder: {path.name: path.read_bytes() for path in (folder / ".booklet" / "pages").iterdir()}
             for folder in (tmp_path / "out", tmp_path / "cold")}
    assert sorted(memos[tmp_path / "out"]) == ["chair-sheets.pdf.jsonl", "door-signs.pdf.jsonl", "program.pdf.jsonl"]
    assert memos[tmp_path / "out"] == memos[tmp_path / "cold"]
