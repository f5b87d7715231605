"""Print runs and last-minute changes: `booklet diff`, the changes sheet, door signs, the version on
every output, calendar updates, and the registry of outputs. Changes are made by hand on the NAIC
program; what each must print is written here, not taken from the code under test."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from icalendar import Calendar
from pypdf import PdfReader

from booklet.build import BuildOptions, build
from booklet.cli import cli
from booklet.documents import documents, own_names
from booklet.pdf.text import SearchableText, page_texts

ROOT = Path(__file__).resolve().parent.parent
NAIC = (ROOT / "data" / "naic2025.yaml").read_text(encoding="utf-8").replace(
    "$schema=../booklet/program.schema.json", "$schema=program.schema.json")

# Every kind of change, each made once on the NAIC program, and the line `booklet diff` must print.
EDITS = [
    ("name: Room Ines de Castro", "name: Auditorium Ines de Castro"),  # room renamed
    ("chairs: [Qingkai Meng]", "chairs: [Ana Ortiz]"),  # session re-chaired
    ("title: Optimizing the AI Journey", "title: Optimizing the AI Journey, Revisited"),  # session renamed
    ('          - { start: "11:30", end: "11:40", paper: llm-training-simulation }\n', ""),  # talk cancelled
    ('end: "11:40"\n        title: SimCity', 'end: "11:30"\n        title: SimCity'),  # session moved (shorter)
    ('paper: sparkle }', 'paper: sparkle, presenter: Jane Doe }'),  # presenter named
    ('start: "12:45"\n        end: "14:00"\n        title: Lunch Break',
     'start: "12:50"\n        end: "14:00"\n        title: Lunch Break'),  # a break moved
    ("  - name: Ying Zhang\n", "  - name: Yi Zhang\n"),  # keynote speaker replaced
    ("title: \"Sparse Collectives: Exploiting Data Sparsity to Improve Communication Efficiency\"",
     "title: \"Sparse Collectives: Data Sparsity for Communication Efficiency\""),  # paper retitled
    ("      - { name: Reza Rejaie, affiliation: University of Oregon }\n", ""),  # an author removed
]
EXPECTED = [
    "room renamed: Auditorium Ines de Castro: Room Ines de Castro \u2192 Auditorium Ines de Castro",
    "11:00  slot moved: Session 2: SimCity for AI Systems: Mon 8 Sep 11:00\u201311:40, Room Ines de Castro "
    "\u2192 Mon 8 Sep 11:00\u201311:30, Auditorium Ines de Castro",
    "11:00  chairs changed: Session 2: SimCity for AI Systems: Qingkai Meng \u2192 Ana Ortiz",
    "11:30  talk removed: Simulating LLM training workloads for heterogeneous compute and network infrastructure: "
    "Mon 8 Sep 11:30\u201311:40, Room Ines de Castro (Session 2: SimCity for AI Systems)",
    "11:40  slot renamed: Session 3: Optimizing the AI Journey, Revisited: Session 3: Optimizing the AI Journey "
    "\u2192 Session 3: Optimizing the AI Journey, Revisited",
    "12:30  presenter changed: Sparkle: Optimizing the Serverless AIGC Deployment over Crowdsourced Edge "
    "Environments: none \u2192 Jane Doe",
    "12:50  slot moved: Lunch Break: Mon 8 Sep 12:45\u201314:00, Room Ines de Castro \u2192 Mon 8 Sep "
    "12:50\u201314:00, Auditorium Ines de Castro",
    "14:05  speakers changed: Keynote 2: Cross-Layer Innovations in Network Design for AI at Meta: Ying Zhang "
    "\u2192 Yi Zhang",
    "talk retitled: Sparse Collectives: Data Sparsity for Communication Efficiency: Sparse Collectives: "
    "Exploiting Data Sparsity to Improve Communication Efficiency \u2192 Sparse Collectives: Data Sparsity for "
    "Communication Efficiency",
    "authors changed: Why choose when you can have both: Programmable data planes meet programmable optics: "
    "Chris Misa, Matthew Nance-Hall, Reza Rejaie, Walter Willinger, Ramakrishnan Durairajan \u2192 Chris Misa, "
    "Matthew Nance-Hall, Walter Willinger, Ramakrishnan Durairajan",
]


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    folder = tmp_path_factory.mktemp("versions")
    old = folder / "old.yaml"
    old.write_text(NAIC.replace("edition: 2nd\n", "edition: 2nd\nversion: \"2025-09-01\"\n"), encoding="utf-8")
    text = old.read_text(encoding="utf-8").replace('version: "2025-09-01"', 'version: "2025-09-05b"')
    for before, after in EDITS:
        assert text.count(before) == 1, before
        text = text.replace(before, after)
    new = folder / "new.yaml"
    new.write_text(text, encoding="utf-8")
    return {"old": old, "new": new, "folder": folder}


def test_diff_names_every_change_in_program_order(versions):
    result = run("diff", versions["old"], versions["new"])
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.output.splitlines()]
    assert lines[0] == "10 change(s) from version 2025-09-01 to 2025-09-05b:"
    found = [next(i for i, line in enumerate(lines) if line.endswith(expected)) for expected in EXPECTED[:8]]
    assert found == sorted(found), "in program order"
    for expected in EXPECTED[8:]:
        assert any(line.endswith(expected) for line in lines), expected
    # A retitled paper is the same paper: no talk removed or added for it.
    assert not any("talk added" in line for line in lines)
    assert sum("talk removed" in line for line in lines) == 1


def test_diff_json_and_the_printable_sheet(versions, tmp_path):
    result = run("diff", versions["old"], versions["new"], "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["old_version"], data["new_version"]) == ("2025-09-01", "2025-09-05b")
    assert sorted(c["what"] for c in data["changes"]) == sorted([
        "room renamed", "slot moved", "chairs changed", "talk removed", "slot renamed", "presenter changed",
        "slot moved", "speakers changed", "talk retitled", "authors changed"])
    removed = next(c for c in data["changes"] if c["what"] == "talk removed")
    assert (removed["day"], removed["time"]) == ("2025-09-08", "11:30")
    sheet = tmp_path / "changes.pdf"
    result = run("diff", versions["old"], versions["new"], "-o", sheet)
    assert result.exit_code == 0, result.output
    reader = PdfReader(sheet)
    text = SearchableText("\n".join(page_texts(reader)))
    assert "Changes since version 2025-09-01" in text and "Monday, 8 September 2025" in text
    for subject in ("Session 2: SimCity for AI Systems", "Ana Ortiz", "Jane Doe", "Yi Zhang",
                    "Simulating LLM training workloads for heterogeneous compute and network infrastructure"):
        assert subject in text
    assert reader.metadata["/Version"] == "2025-09-05b"
    assert not list(tmp_path.glob(".booklet-work*")), "the work folder is gone"


def test_build_since_writes_the_changes_sheet_and_a_version_on_every_output(versions):
    out = versions["folder"] / "out"
    result = build(BuildOptions(program=versions["new"], out=out, since=versions["old"], time_cards=True))
    names = {path.relative_to(out).as_posix() for path in result.outputs}
    assert {"program.pdf", "program-imposed.pdf", "chair-sheets.pdf", "door-signs.pdf", "changes.pdf",
            "program.ics", "manifest.json"} <= names
    for pdf in [out / name for name in names if name.endswith(".pdf")]:
        assert PdfReader(pdf).metadata["/Version"] == "2025-09-05b", pdf.name
    for name in ("program.pdf", "door-signs.pdf", "changes.pdf"):
        assert "2025-09-05b" in SearchableText("\n".join(page_texts(PdfReader(out / name)))), name
    # A chair sheet prints its own revision: the version changes with every edit, the sheet only
    # when its session does.
    sheet = PdfReader(out / "sessions/01-session-1-taming-ai-networking.pdf").pages[0].extract_text()
    assert "2025-09-05b" not in sheet
    revision = re.search(r"Chair sheet 1 of 6 · Revision ([0-9a-f]{7})\b", sheet).group(1)
    assert f"Chair sheet 1 of 6 · Revision {revision}" in PdfReader(out / "chair-sheets.pdf").pages[0].extract_text()
    changes = SearchableText("\n".join(page_texts(PdfReader(out / "changes.pdf"))))
    assert "Changes since version 2025-09-01" in changes and "Yi Zhang" in changes
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["version"], manifest["since"], manifest["since_version"]) == ("2025-09-05b", "../old.yaml",
                                                                                  "2025-09-01")
    check = run("check", "--out", out)
    assert check.exit_code == 0 and "changes.pdf" in check.output, check.output


def test_one_room_door_sign_is_one_page_per_day_with_every_slot(naic):
    reader = PdfReader(naic["out"] / "door-signs.pdf")
    assert len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert width > height, "landscape"
    text = SearchableText(page_texts(reader)[0])
    for expected in ("Room Ines de Castro", "Monday, 8 September 2025", "Taming AI Networking", "Chair: Chen Tian",
                     "Lunch Break", "Minlan Yu", "Will AI Eat the Network"):
        assert expected in text, expected


def test_multi_room_door_signs_one_page_per_room_and_day(tmp_path):
    program = tmp_path / "p.yaml"
    program.write_text("""\
name: Door Sign Test Conference
year: 2026
rooms: [{id: a, name: Hall Alpha}, {id: b, name: Hall Beta}, {id: c, name: Hall Gamma}]
papers:
  - {id: p1, title: Alpha Paper One, authors: [Ann Author]}
  - {id: p2, title: Beta Paper Two, authors: [Bob Author]}
days:
  - date: 2026-05-04
    slots:
      - {kind: keynote, start: "09:00", end: "10:00", title: Opening Keynote, speakers: [Kay Note]}
      - {kind: session, room: a, start: "10:30", end: "11:00", title: Alpha Session, chairs: [Cee Alpha],
         talks: [{paper: p1, start: "10:30", end: "11:00"}]}
      - {kind: session, room: b, start: "10:30", end: "11:00", title: Beta Session, chairs: [Cee Beta],
         talks: [{paper: p2, start: "10:30", end: "11:00"}]}
  - date: 2026-05-05
    slots:
      - {kind: other, room: c, start: "09:00", end: "12:00", title: Gamma Hackathon}
""", encoding="utf-8")
    result = run("build", program, "--out", tmp_path / "out", "--no-impose", "--sign-paper", "letter")
    assert result.exit_code == 0, result.output
    texts = page_texts(PdfReader(tmp_path / "out" / "door-signs.pdf"))
    # Monday: Alpha and Beta have sessions (Gamma none); Tuesday: Gamma only.
    assert [t.splitlines()[1].strip() for t in texts] == ["Hall Alpha", "Hall Beta", "Hall Gamma"]
    alpha, beta, gamma = (SearchableText(t) for t in texts)
    assert "Alpha Session" in alpha and "Beta Session" not in alpha and "Opening Keynote" in alpha
    assert "Beta Session" in beta and "Chair: Cee Beta" in beta and "Kay Note" in beta
    assert "Gamma Hackathon" in gamma and "Tuesday, 5 May 2026" in gamma
    assert PdfReader(tmp_path / "out" / "door-signs.pdf").pages[0].mediabox[2] == 792  # letter, landscape


def test_calendar_events_that_changed_count_up_their_sequence(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1757318400")
    program = tmp_path / "program.yaml"
    program.write_text(NAIC, encoding="utf-8")
    out = tmp_path / "out"
    build(BuildOptions(program=program, out=out, impose=False))
    first = {str(e["UID"]): e for e in Calendar.from_ical((out / "program.ics").read_bytes()).walk("VEVENT")}
    assert {int(e["SEQUENCE"]) for e in first.values()} == {0}
    program.write_text(NAIC.replace("chairs: [Qingkai Meng]", "chairs: [Ana Ortiz]"), encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1757404800")  # a day later
    build(BuildOptions(program=program, out=out, impose=False))
    second = {str(e["UID"]): e for e in Calendar.from_ical((out / "program.ics").read_bytes()).walk("VEVENT")}
    changed = [e for e in second.values() if int(e["SEQUENCE"]) == 1]
    assert [str(e["SUMMARY"]) for e in changed] == ["Session 2: SimCity for AI Systems"]
    assert changed[0]["LAST-MODIFIED"].dt.isoformat() == "2025-09-09T08:00:00+00:00"
    assert all("LAST-MODIFIED" not in e for e in second.values() if int(e["SEQUENCE"]) == 0)
    assert set(second) == set(first), "UIDs are stable"


def test_the_registry_declares_every_output_once():
    names = [document.file for document in documents()]
    assert names == ["program.pdf", "chair-sheets.pdf", "door-signs.pdf", "changes.pdf"]
    assert own_names() >= {"program-imposed.pdf", "program.ics", "manifest.json", "sessions"}
    for document in documents():  # one module and one template each
        assert (ROOT / "booklet" / "templates" / document.template).is_file()
        assert re.fullmatch(r"booklet\.documents\.\w+", type(document).__module__)
