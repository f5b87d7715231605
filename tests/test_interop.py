"""Interoperation: HotCRP import (and merge), iCalendar export, the JSON Schema, `booklet new`."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from icalendar import Calendar
from jsonschema import Draft202012Validator

from booklet.cli import cli
from booklet.schema import SCHEMA_FILE, schema_text

ROOT = Path(__file__).resolve().parent.parent
NAIC = ROOT / "data" / "naic2025.yaml"

HOTCRP = [
    {"pid": 12, "title": "Fast Things in Networks", "decision": "Accepted", "authors": [
        {"given_name": "Ana", "family_name": "Müller", "affiliation": "TU Wien", "email": "ana@example.org"},
        {"first": "Bo", "last": "Li", "affiliation": "Peking University", "email": "bo@example.cn"}]},
    {"pid": 13, "title": "A Rejected Idea", "decision": "Rejected", "authors": [{"name": "No Body", "email": "n@b.org"}]},
    {"pid": 7, "title": "Slow Things", "status": "accepted", "authors": [
        {"name": "Carla Díaz", "affiliation": "UPM", "email": "carla@upm.es"}]},
]


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result


@pytest.fixture
def export(tmp_path) -> Path:
    path = tmp_path / "hotcrp.json"
    path.write_text(json.dumps(HOTCRP), encoding="utf-8")
    return path


def test_hotcrp_import_takes_accepted_papers_and_never_emails(tmp_path, export):
    program = tmp_path / "program.yaml"
    result = run("import", "hotcrp", export, "-o", program, "--name", "Test Workshop", "--date", "2026-05-04")
    assert result.exit_code == 0, result.output
    text = program.read_text(encoding="utf-8")
    assert "@" not in text, "no e-mail address reaches the program"
    data = yaml.safe_load(text)
    assert [(p["id"], p["title"]) for p in data["papers"]] == [("hotcrp-7", "Slow Things"),
                                                              ("hotcrp-12", "Fast Things in Networks")]
    assert data["papers"][1]["authors"] == [{"name": "Ana Müller", "affiliation": "TU Wien"},
                                            {"name": "Bo Li", "affiliation": "Peking University"}]
    checked = run("validate", program)
    assert checked.exit_code == 0, checked.output
    assert checked.output.count("scheduled nowhere") == 2


def _schedule(program: Path) -> None:
    text = program.read_text(encoding="utf-8").replace(
        "        title: Registration\n",
        "        title: Registration\n"
        "      # The one session, scheduled by hand after the import.\n"
        "      - kind: session\n        title: Things\n        chairs: [Some Chair]\n"
        "        start: \"09:00\"\n        end: \"09:30\"\n        talks:\n"
        "          - {paper: hotcrp-12, start: \"09:00\", end: \"09:15\"}\n"
        "          - {paper: hotcrp-7, start: \"09:15\", end: \"09:30\"}\n")
    program.write_text(text, encoding="utf-8")


def test_hotcrp_round_trip_import_schedule_build(tmp_path, export):
    program = tmp_path / "program.yaml"
    assert run("import", "hotcrp", export, "-o", program, "--date", "2026-05-04").exit_code == 0
    _schedule(program)
    result = run("build", program, "--out", tmp_path / "out", "--no-impose")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "sessions" / "01-session-things.pdf").exists()


def test_hotcrp_merge_updates_papers_and_keeps_the_schedule_and_comments(tmp_path, export):
    program = tmp_path / "program.yaml"
    assert run("import", "hotcrp", export, "-o", program, "--date", "2026-05-04").exit_code == 0
    _schedule(program)
    final = json.loads(json.dumps(HOTCRP))
    final[0]["title"] = "Fast Things in Networks, Final Version"
    final[0]["authors"].append({"name": "Dee New", "affiliation": "ETH Zürich", "email": "dee@ethz.ch"})
    final.append({"pid": 21, "title": "Late Accept", "decision": "Accepted", "authors": [{"name": "Zed Zee"}]})
    (tmp_path / "final.json").write_text(json.dumps(final), encoding="utf-8")
    result = run("import", "hotcrp", tmp_path / "final.json", "--merge", program)
    assert result.exit_code == 0, result.output
    assert "hotcrp-12: title 'Fast Things in Networks' -> 'Fast Things in Networks, Final Version'" in result.output
    assert "hotcrp-21: added 'Late Accept'" in result.output
    text = program.read_text(encoding="utf-8")
    assert "# The one session, scheduled by hand after the import." in text
    assert "@" not in text
    data = yaml.safe_load(text)
    session = data["days"][0]["slots"][1]
    assert [t["paper"] for t in session["talks"]] == ["hotcrp-12", "hotcrp-7"]
    papers = {p["id"]: p for p in data["papers"]}
    assert papers["hotcrp-12"]["authors"][-1] == {"name": "Dee New", "affiliation": "ETH Zürich"}
    assert run("validate", program).exit_code == 0


def test_hotcrp_errors_are_clear(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("[{\"pid\": 1,", encoding="utf-8")
    result = run("import", "hotcrp", bad)
    assert result.exit_code == 1 and "not JSON" in result.output and "Traceback" not in result.output


def _events(data: bytes):
    return Calendar.from_ical(data).walk("VEVENT")


def test_calendar_has_one_event_per_slot_at_the_right_times(tmp_path):
    result = run("export", "ics", NAIC, "-o", tmp_path / "naic.ics")
    assert result.exit_code == 0, result.output
    events = _events((tmp_path / "naic.ics").read_bytes())
    assert len(events) == 13
    by_summary = {str(e["summary"]): e for e in events}
    session = by_summary["Session 1: Taming AI Networking"]
    start = session.decoded("dtstart")
    assert str(start.tzinfo) == "Europe/Lisbon"
    assert start.astimezone(timezone.utc) == datetime(2025, 9, 8, 8, 55, tzinfo=timezone.utc)  # WEST = UTC+1
    assert session.decoded("dtend").astimezone(timezone.utc).strftime("%H:%M") == "09:30"
    assert "Room Ines de Castro" in str(session["location"])
    assert "Chair: Chen Tian" in str(session["description"])
    keynote = by_summary["Keynote 1: Improving the Performance and Resiliency for Large-Scale Distributed Training"]
    assert "Minlan Yu (Harvard University)" in str(keynote["description"])
    calendar = Calendar.from_ical((tmp_path / "naic.ics").read_bytes())
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Lisbon"]


def test_calendar_uids_are_stable_and_talks_optional(tmp_path):
    run("export", "ics", NAIC, "-o", tmp_path / "a.ics")
    run("export", "ics", NAIC, "-o", tmp_path / "b.ics", "--talks")
    first = [str(e["uid"]) for e in _events((tmp_path / "a.ics").read_bytes())]
    with_talks = [str(e["uid"]) for e in _events((tmp_path / "b.ics").read_bytes())]
    assert len(set(first)) == 13 and set(first) <= set(with_talks)
    assert len(with_talks) == 13 + 18


def test_build_writes_the_calendar_and_records_it(naic):
    events = _events((naic["out"] / "program.ics").read_bytes())
    assert len(events) == 13
    manifest = json.loads((naic["out"] / "manifest.json").read_text())
    calendar = next(f for f in manifest["files"] if f["name"] == "program.ics")
    assert {c["check"]: c["status"] for c in calendar["checks"]} == {"parse": "pass", "events": "pass",
                                                                     "timezone": "pass"}


def test_committed_schema_is_current():
    committed = (SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == schema_text(), "run: booklet schema -o booklet/program.schema.json"


def _as_json(node):
    if isinstance(node, dict):
        return {str(k): _as_json(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_as_json(v) for v in node]
    return node.isoformat() if hasattr(node, "isoformat") else node


def test_shipped_program_satisfies_the_schema_and_a_typo_does_not():
    schema = json.loads((SCHEMA_FILE).read_text(encoding="utf-8"))
    text = NAIC.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../booklet/program.schema.json\n")
    validator = Draft202012Validator(schema)
    data = _as_json(yaml.safe_load(text))
    assert list(validator.iter_errors(data)) == []
    data["papers"][0]["titel"] = data["papers"][0].pop("title")
    assert list(validator.iter_errors(data))


def test_new_folder_builds_with_a_bare_booklet_build(tmp_path, monkeypatch):
    """`booklet new x && cd x && booklet build`: the program is found, its schema is beside it."""
    folder = tmp_path / "event"
    result = run("new", folder)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == ["Makefile", "README.md", "program.schema.json",
                                                         "program.yaml"]
    assert "$(BOOKLET) build program.yaml --out output" in (folder / "Makefile").read_text()
    program = (folder / "program.yaml").read_text(encoding="utf-8")
    assert program.startswith("# yaml-language-server: $schema=program.schema.json\n")
    assert (folder / "program.schema.json").read_text(encoding="utf-8") == SCHEMA_FILE.read_text(encoding="utf-8")
    monkeypatch.chdir(folder)
    checked = run("validate")
    assert checked.exit_code == 0 and ": warning:" not in checked.output, checked.output
    assert "using program.yaml" in checked.stderr
    built = run("build", "--no-impose")
    assert built.exit_code == 0, built.output
    assert (folder / "output" / "program.pdf").is_file() and (folder / "output" / "manifest.json").is_file()
    assert run("new", folder).exit_code == 1, "a folder with files is not overwritten"


FRAB_XML = """<?xml version="1.0" encoding="utf-8"?>
<schedule>
  <version>1.0</version>
  <conference>
    <acronym>38c3</acronym><title>Example Congress</title><start>2025-12-27</start><end>2025-12-28</end>
    <days>2</days><timeslot_duration>00:15</timeslot_duration><time_zone_name>Europe/Berlin</time_zone_name>
  </conference>
  <day index="1" date="2025-12-27">
    <room name="Saal 1">
      <event guid="a1" id="1"><date>2025-12-27T11:00:00+01:00</date><start>11:00</start><duration>00:30</duration>
        <room>Saal 1</room><title>Opening Talk &amp; Welcome</title><track>Networks</track><type>Talk</type>
        <abstract>What we will do.</abstract><persons><person id="1">Ada Lovelace</person></persons></event>
      <event guid="a2" id="2"><date>2025-12-27T10:30:00+00:00</date><start>11:30</start><duration>00:45</duration>
        <room>Saal 1</room><title>Second Talk</title><track>Networks</track><type>Talk</type>
        <persons><person id="2">Grace Hopper</person><person id="3">Alan Turing</person></persons></event>
      <event guid="a3" id="3"><date>2025-12-27T12:15:00+01:00</date><start>12:15</start><duration>01:00</duration>
        <room>Saal 1</room><title>Lunch</title><track></track><type>break</type><persons/></event>
    </room>
    <room name="Saal 2">
      <event guid="b1" id="4"><date>2025-12-27T11:00:00+01:00</date><start>11:00</start><duration>00:30</duration>
        <room>Saal 2</room><title>Parallel Workshop</title><track>Hardware</track><type>Workshop</type>
        <persons><person id="4">Hedy Lamarr</person></persons></event>
    </room>
  </day>
  <day index="2" date="2025-12-28">
    <room name="Saal 1">
      <event guid="c1" id="5"><date>2025-12-28T10:00:00+01:00</date><start>10:00</start><duration>01:00</duration>
        <room>Saal 1</room><title>The Keynote</title><track>Main</track><type>Keynote</type>
        <persons><person id="5">Margaret Hamilton</person></persons></event>
    </room>
  </day>
</schedule>
"""


def _frab_json() -> dict:
    def event(guid, date, duration, room, title, track, kind, persons):
        return {"guid": guid, "id": guid, "date": date, "start": date[11:16], "duration": duration, "room": room,
                "title": title, "subtitle": "", "track": track, "type": kind, "language": "en", "abstract": "",
                "description": "", "persons": [{"id": i, "public_name": p} for i, p in enumerate(persons)]}

    return {"schedule": {"version": "1", "conference": {
        "acronym": "pcon", "title": "Pretalx Conference", "start": "2026-03-02", "end": "2026-03-02",
        "daysCount": 1, "timeslot_duration": "00:05", "time_zone_name": "Europe/Lisbon",
        "rooms": [{"name": "Room A"}, {"name": "Room B"}],
        "days": [{"index": 1, "date": "2026-03-02", "rooms": {
            "Room A": [event("e1", "2026-03-02T09:00:00+00:00", "00:20", "Room A", "Talk One", "Systems", "Talk",
                             ["Inês Sousa"]),
                       event("e2", "2026-03-02T09:20:00+00:00", "00:20", "Room A", "Talk Two", "Systems", "Talk",
                             ["Łukasz Nowak"])],
            "Room B": [event("e3", "2026-03-02T09:00:00+00:00", "00:40", "Room B", "Talk Three", "Theory", "Talk",
                             ["Zoë Ng"])]}}]}}}


def test_frab_xml_import_makes_days_rooms_and_sessions_at_absolute_times(tmp_path):
    export = tmp_path / "schedule.xml"
    export.write_text(FRAB_XML, encoding="utf-8")
    program = tmp_path / "program.yaml"
    result = run("import", "schedule", export, "-o", program)
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(program.read_text(encoding="utf-8"))
    assert [r["name"] for r in data["rooms"]] == ["Saal 1", "Saal 2"]
    assert [d["date"] for d in data["days"]] == ["2025-12-27", "2025-12-28"]
    first = data["days"][0]["slots"]
    networks = next(s for s in first if s.get("title") == "Networks")
    # Two consecutive Networks talks in Saal 1 form one session; the second's UTC date is 11:30 in Berlin.
    assert (networks["start"], networks["end"], len(networks["talks"])) == ("11:00", "12:15", 2)
    assert networks["talks"][1]["start"] == "11:30"
    assert any(s["kind"] == "break" and s["title"] == "Lunch" for s in first)
    assert data["days"][1]["slots"][0]["kind"] == "keynote"
    titles = {p["title"] for p in data["papers"]}
    assert {"Opening Talk & Welcome", "Second Talk"} == titles
    # A workshop is one talk of its own, with its speaker: no session around it.
    workshop = next(s for s in first if s.get("title") == "Parallel Workshop")
    assert (workshop["kind"], workshop["speakers"]) == ("talk", [{"name": "Hedy Lamarr"}])
    checked = run("validate", program)
    assert checked.exit_code == 0, checked.output


def test_pretalx_json_import_builds(tmp_path):
    export = tmp_path / "schedule.json"
    export.write_text(json.dumps(_frab_json()), encoding="utf-8")
    program = tmp_path / "program.yaml"
    assert run("import", "schedule", export, "-o", program).exit_code == 0
    data = yaml.safe_load(program.read_text(encoding="utf-8"))
    sessions = [s for s in data["days"][0]["slots"] if s["kind"] == "session"]
    assert [(s["title"], s["room"], s["start"], s["end"]) for s in sessions] == [
        ("Systems", "room-1", "09:00", "09:40"), ("Theory", "room-2", "09:00", "09:40")]
    result = run("build", program, "--out", tmp_path / "out", "--no-impose")
    assert result.exit_code == 0, result.output


def test_schedule_import_errors_are_clear(tmp_path):
    bad = tmp_path / "schedule.xml"
    bad.write_text("<schedule><conference>", encoding="utf-8")
    result = run("import", "schedule", bad)
    assert result.exit_code == 1 and "not XML" in result.output and "Traceback" not in result.output
