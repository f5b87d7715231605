"""The command line as a user meets it: program discovery, standard streams, verbosity anywhere,
JSON diagnostics with rule codes, --strict, and `booklet watch`. Run as real processes
(`python -m booklet`), so stdout, stderr, stdin and signals are the real ones."""

from __future__ import annotations

import hashlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from booklet.rules import RULES, rules_table

ROOT = Path(__file__).resolve().parent.parent

# One session; a five-minute gap before the closing gives exactly one warning (B301).
PROGRAM = """\
name: Stream Workshop
acronym: STW
year: 2026
timezone: Europe/Lisbon
rooms: [{id: r, name: Room One}]
committees:
  - {title: General Chairs, role: general, members: [{name: Grace Hopper, affiliation: Navy}]}
papers:
  - {id: p1, title: "BEGIN:VEVENT Is Not an Event", authors: [{name: Ada Lovelace, affiliation: Engines}]}
days:
  - date: 2026-05-04
    slots:
      - {kind: session, title: Only Session, number: 1, start: "09:00", end: "09:15",
         chairs: [Alan Turing], talks: [{paper: p1, start: "09:00", end: "09:15"}]}
      - {kind: closing, title: Closing, start: "09:20", end: "09:30"}
"""


def booklet(*args, cwd: Path, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600", **(env or {})}
    environment.pop("CI", None)
    return subprocess.run([sys.executable, "-m", "booklet", *map(str, args)], cwd=cwd, input=stdin,
                          capture_output=True, text=True, env=environment, timeout=300)


def test_program_is_found_in_the_current_folder_and_the_search_is_explained(tmp_path):
    missing = booklet("validate", cwd=tmp_path)
    assert missing.returncode == 2
    assert "./program.yaml and ./booklet.yaml" in missing.stderr and "booklet new" in missing.stderr
    assert "Traceback" not in missing.stderr
    (tmp_path / "booklet.yaml").write_text(PROGRAM.replace("Stream Workshop", "Second Choice"))
    found = booklet("validate", cwd=tmp_path)
    assert found.returncode == 0 and "booklet: using booklet.yaml" in found.stderr
    (tmp_path / "program.yaml").write_text("name: [unclosed\n")
    first = booklet("validate", cwd=tmp_path)
    assert "booklet: using program.yaml" in first.stderr and first.returncode == 1
    assert "program.yaml:2:1: error: YAML syntax" in first.stderr and "[B002]" in first.stderr


def test_output_dash_is_standard_output_and_status_goes_to_standard_error(tmp_path):
    (tmp_path / "program.yaml").write_text(PROGRAM)
    ics = booklet("export", "ics", "-o", "-", cwd=tmp_path)
    assert ics.returncode == 0 and ics.stdout.startswith("BEGIN:VCALENDAR")
    schema = booklet("schema", "-o", "-", cwd=tmp_path)
    assert json.loads(schema.stdout)["title"] == "booklet program"
    assert not (tmp_path / "-").exists(), "'-' is standard output, never a file"
    written = booklet("export", "ics", "-o", tmp_path / "p.ics", cwd=tmp_path)
    # Two slots, so two events; the title's text "BEGIN:VEVENT" is escaped data, not an event.
    assert written.stdout == "" and written.stderr.splitlines()[-1] == f"{tmp_path / 'p.ics'}: 2 events"
    from_stdin = booklet("export", "ics", "-", cwd=tmp_path, stdin=PROGRAM.replace("Closing", "Farewell"))
    assert from_stdin.returncode == 0 and "SUMMARY:Farewell" in from_stdin.stdout


def test_quiet_and_verbose_before_or_after_the_subcommand(tmp_path):
    (tmp_path / "program.yaml").write_text(PROGRAM)
    loud = booklet("validate", cwd=tmp_path)
    assert "warning:" in loud.stderr and "[B301]" in loud.stderr
    for args in (("-q", "validate"), ("validate", "-q"), ("--quiet", "validate", "program.yaml")):
        quiet = booklet(*args, cwd=tmp_path)
        assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout == "", args
    assert booklet("-v", "validate", cwd=tmp_path).returncode == 0
    both = booklet("-q", "validate", "-v", cwd=tmp_path)
    assert both.returncode == 2 and "contradict" in both.stderr


def test_validate_json_names_each_problem_by_rule_code(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(PROGRAM.replace("acronym: STW", "acronim: STW").replace('end: "09:30"', 'end: "9h30"')
                   .replace("paper: p1,", "paper: p2,"))
    result = booklet("validate", bad, "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert document["ok"] is False and document["program"] == str(bad)
    found = {(d["code"], d["rule"], d["line"], d["field"]) for d in document["diagnostics"]}
    # Stage one (the model) stops before the schedule is read: the typo and the malformed time.
    assert found == {("B101", "unknown-field", 2, "acronim"),
                     ("B103", "invalid-value", 15, "days[0].slots[1].end")}
    assert all(d["severity"] == "error" and d["file"] == str(bad) for d in document["diagnostics"])
    schedule = tmp_path / "schedule.yaml"
    schedule.write_text(PROGRAM.replace("paper: p1,", "paper: p2,"))
    document = json.loads(booklet("validate", schedule, "--format", "json", cwd=tmp_path).stdout)
    assert [(d["code"], d["rule"]) for d in document["diagnostics"]] == [
        ("B303", "unscheduled-paper"), ("B203", "unknown-reference"), ("B301", "schedule-gap")]


def test_strict_turns_warnings_into_errors(tmp_path):
    (tmp_path / "program.yaml").write_text(PROGRAM)
    relaxed = json.loads(booklet("validate", "--format", "json", cwd=tmp_path).stdout)
    assert relaxed["ok"] is True and [d["severity"] for d in relaxed["diagnostics"]] == ["warning"]
    strict = booklet("validate", "--strict", cwd=tmp_path)
    assert strict.returncode == 1 and ": error: days[0].slots[1].start: gap of 5 min" in strict.stderr
    build = booklet("build", "--strict", "--out", tmp_path / "out", cwd=tmp_path)
    assert build.returncode == 1 and "[B301]" in build.stderr
    assert "booklet: TeX" not in build.stderr and not (tmp_path / "out" / "program.pdf").exists()


def test_build_prints_warnings_before_tex_and_reads_standard_input(tmp_path):
    (tmp_path / "program.yaml").write_text(PROGRAM)
    built = booklet("build", "--out", tmp_path / "out", "--no-impose", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert built.stdout == ""
    lines = built.stderr.splitlines()
    warning = next(i for i, line in enumerate(lines) if "[B301]" in line)
    tex = lines.index("booklet: TeX")
    assert warning < tex, "warnings come before TeX starts"
    phases = [line for line in lines if line.startswith("booklet: ") and ":" not in line[9:]
              and not line.startswith("booklet: using")]
    assert phases[:3] == ["booklet: load and validate", "booklet: render", "booklet: TeX"]
    assert len(phases) == len(set(phases)), "one line per phase"
    assert lines[-1].startswith(f"{tmp_path / 'out'}: program.pdf ")

    again = booklet("build", "--out", tmp_path / "out", "--no-impose", "--format", "json", cwd=tmp_path)
    document = json.loads(again.stdout)
    assert again.returncode == 0 and document["ok"] and document["up_to_date"]
    assert [(d["code"], d["line"]) for d in document["diagnostics"]] == [("B301", 15)]

    piped = booklet("build", "-", "--out", tmp_path / "stdin", "--no-impose", cwd=tmp_path,
                    stdin=PROGRAM.replace("Only Session", "Session From a Pipe"))
    assert piped.returncode == 0, piped.stderr
    assert "<stdin>:15:" in piped.stderr
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "stdin" / "program.pdf").pages)
    assert "Session From a Pipe" in text
    failed = booklet("build", "-", "--out", tmp_path / "stdin", "--format", "json", cwd=tmp_path,
                     stdin=PROGRAM.replace('end: "09:30"', 'ends: "09:30"'))
    document = json.loads(failed.stdout)
    assert failed.returncode == 1 and document["ok"] is False
    assert sorted(d["code"] for d in document["diagnostics"]) == ["B101", "B102"]  # "ends" for "end"


def test_every_rule_code_is_listed_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert rules_table() in readme, "paste booklet.rules.rules_table() into the README"
    assert len(RULES) == len({rule.name for rule in RULES.values()})


class Watcher:
    """`booklet watch` in the background; its standard error read line by line."""

    def __init__(self, *args, cwd: Path):
        self.process = subprocess.Popen([sys.executable, "-m", "booklet", "watch", *map(str, args)], cwd=cwd,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"})
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stderr:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, fragment: str, seconds: float = 90) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                continue
            self.seen.append(line)
            if fragment in line:
                return line
        raise AssertionError(f"no line with {fragment!r} in:\n" + "\n".join(self.seen))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_watch_rebuilds_on_save_and_keeps_the_last_good_pdf(tmp_path):
    program = tmp_path / "program.yaml"
    program.write_text(PROGRAM)
    out = tmp_path / "out"
    watcher = Watcher("--out", out, "--no-impose", cwd=tmp_path)
    try:
        where = watcher.wait_for("booklet: watching")
        assert str(out / "program.pdf") in where
        first = _sha(out / "program.pdf")
        # An editor's atomic save: a new file renamed over the old one.
        (tmp_path / ".program.yaml.swp").write_text(PROGRAM.replace("Only Session", "Renamed Session"))
        os.replace(tmp_path / ".program.yaml.swp", program)
        watcher.wait_for("program.yaml changed; building")
        watcher.wait_for(f"{out}: program.pdf ")
        text = "".join(page.extract_text() for page in PdfReader(out / "program.pdf").pages)
        assert "Renamed Session" in text and _sha(out / "program.pdf") != first
        good = _sha(out / "program.pdf")
        program.write_text(PROGRAM.replace('end: "09:30"', 'ends: "09:30"'))
        error = watcher.wait_for("[B101]")
        assert "unknown field 'ends'" in error
        watcher.wait_for("build failed; the files already there are untouched")
        assert _sha(out / "program.pdf") == good
        watcher.process.send_signal(signal.SIGINT)
        assert watcher.process.wait(timeout=30) in (0, 130)
    finally:
        if watcher.process.poll() is None:
            watcher.process.kill()


@pytest.mark.parametrize("args", [("watch", "-"), ("build", "--timeout", "nan"), ("validate", "--format", "xml")])
def test_usage_errors_exit_2(tmp_path, args):
    (tmp_path / "program.yaml").write_text(PROGRAM)
    result = booklet(*args, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
