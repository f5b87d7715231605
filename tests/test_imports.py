"""Imports against real exports kept in tests/fixtures/exports (see the README there for each source):
each is imported, validated and built, and what it must get right is checked against values read
off the export by hand, not computed by the importer."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from ruamel.yaml import YAML

from booklet.cli import cli
from booklet.load import parse_program_text
from booklet.model import Person

EXPORTS = Path(__file__).resolve().parent / "fixtures" / "exports"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def imported(tmp_path: Path, *args, expect: int = 0) -> tuple[dict, str, Path]:
    program = tmp_path / "program.yaml"
    result = run("import", *args, "-o", program)
    assert result.exit_code == expect, result.output
    return yaml.safe_load(program.read_text(encoding="utf-8")), result.output, program


def slots(data: dict):
    return [(day["date"], slot) for day in data["days"] for slot in day["slots"]]


def talk_of(data: dict, title: str) -> tuple[str, dict, dict]:
    """(day, slot, talk entry) of the talk whose paper or inline title is TITLE."""
    papers = {p["id"]: p for p in data.get("papers", [])}
    for day, slot in slots(data):
        for talk in slot.get("talks", []):
            if papers.get(talk.get("paper"), talk).get("title") == title:
                return day, slot, talk
    raise AssertionError(f"no talk '{title}'")


def built(tmp_path: Path, program: Path) -> None:
    result = run("build", program, "--out", tmp_path / "out", "--no-impose")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "program.pdf").stat().st_size > 10_000


# --- pretalx / frab / c3voc ---------------------------------------------------------------------


def test_pretalx_json_without_a_zone_keeps_the_events_own_local_times(tmp_path):
    data, output, program = imported(tmp_path, "schedule", EXPORTS / "rc3-2020-pretalx.json")
    assert data["timezone"] == "Etc/GMT-1"  # +01:00, the offset every event carries
    assert "names no time zone" in output and "--timezone" in output
    day, slot, talk = talk_of(data, "Der faule Admin automatisiert: Gluon auf echter Hardware testen")
    assert (day, talk["start"], talk["end"]) == ("2020-12-27", "11:30", "12:10")  # as in the export, not UTC
    room = {r["id"]: r["name"] for r in data["rooms"]}[slot["room"]]
    assert room == "r3s - Monheim/Rhein"
    paper = next(p for p in data["papers"] if p["id"] == talk["paper"])
    assert [a["name"] for a in paper["authors"]] == ["Chris Fiege", "Kasa"]
    assert paper["language"] == "de"
    # Markdown made plain: the link keeps its word, the URL and brackets go, paragraphs stay.
    assert "basiert bei vielen Communities auf Gluon. Ein wichtiger" in paper["abstract"]
    assert "](" not in paper["abstract"] and "https://gluon" not in paper["abstract"]
    # Free-text types by word: "Workshop 60 Min" is a talk of its own with its speakers.
    _, workshop, _ = next((d, s, None) for d, s in slots(data) if s.get("title") == "Dosentelefon zur Interspace-Kommunikation")
    assert workshop["kind"] == "talk" and [s["name"] for s in workshop["speakers"]] == ["legion", "Sake"]
    # Its 20-minute changeovers are longer than the default gap: the import says what to give.
    assert "--session-gap 20" in output
    built(tmp_path, program)


def test_session_gap_groups_a_tracks_talks_across_changeovers(tmp_path):
    narrow, _, _ = imported(tmp_path, "schedule", EXPORTS / "rc3-2020-pretalx.json")
    wide, _, _ = imported(tmp_path, "schedule", EXPORTS / "rc3-2020-pretalx.json", "--session-gap", "20")
    count = lambda data: sum(1 for _, s in slots(data) if s["kind"] == "session")  # noqa: E731
    assert count(wide) < count(narrow)
    # 11:00-11:40, then 12:00-12:40 and 13:00-14:20 in the same room and track: 20-minute changeovers.
    day, session, _ = talk_of(wide, "The weirdness of investigating autonomous weapons")
    assert (day, session["start"], session["end"], len(session["talks"])) == ("2020-12-28", "11:00", "14:20", 3)
    assert session["title"] == "MON r3s Rhein VHS"
    assert len(talk_of(narrow, "The weirdness of investigating autonomous weapons")[1]["talks"]) == 1


def test_timezone_option_overrides_and_names_the_venue(tmp_path):
    data, output, _ = imported(tmp_path, "schedule", EXPORTS / "rc3-2020-pretalx.json", "--timezone", "Europe/Berlin")
    assert data["timezone"] == "Europe/Berlin" and "names no time zone" not in output
    assert talk_of(data, "Der faule Admin automatisiert: Gluon auf echter Hardware testen")[2]["start"] == "11:30"


def test_frab_xml_congress_nights_stay_on_their_evening(tmp_path):
    """31C3 (2014): no time_zone_name, +01:00 offsets, days that end at 04:00 the next morning."""
    data, output, program = imported(tmp_path, "schedule", EXPORTS / "31c3-2014-frab.xml", expect=1)
    # 'Citizenfour' starts 2014-12-28T00:00+01:00 and is listed under 27 December: 24:00 that evening.
    day, slot, talk = talk_of(data, "Citizenfour")
    assert (day, talk["start"], talk["end"]) == ("2014-12-27", "24:00", "26:15")
    day, _, talk = talk_of(data, "Googlequiz – 2015er Edition")
    assert (day, talk["start"], talk["end"]) == ("2014-12-29", "24:15", "26:15")
    # What stops the build is named, with the decision it needs: a Tibetan mark no font of the
    # booklet has. "Alexa O´Brien" (an acute accent for the apostrophe) prints as typed, with LuaLaTeX.
    errors = [line for line in output.splitlines() if ": error:" in line]
    assert len(errors) == 1 and "'\u0fd3' (U+0FD3 TIBETAN MARK INITIAL BRDA RNYING YIG MGO MDUN MA)" in errors[0]
    assert "[B105]" in errors[0]
    assert "needs the decisions above" in output
    program.write_text(program.read_text(encoding="utf-8").replace("Claudio \u0fd3 vecna", "Claudio vecna"),
                       encoding="utf-8")
    validated = run("validate", program)
    assert validated.exit_code == 0 and "lualatex: pdfLaTeX cannot print '\u00b4'" in validated.output
    built(tmp_path, program)


def test_c3voc_xml_reads_event_fields_not_those_of_its_links(tmp_path):
    """39C3 (2025), as EventFahrplan keeps it: a <link> inside an event has its own <title> and <type>."""
    data, output, program = imported(tmp_path, "schedule", EXPORTS / "39c3-2025-schedule.xml")
    assert data["timezone"] == "Europe/Berlin" and "names no time zone" not in output
    day, slot, talk = talk_of(data, "All my Deutschlandtickets gone: Fraud at an industrial scale")
    assert (day, talk["start"], talk["end"]) == ("2025-12-27", "16:00", "17:00")
    titles = {p["title"] for p in data["papers"]}
    assert "Zügli" not in titles  # the link's title
    colours = {t["name"]: t.get("colour") for t in data["tracks"]}
    assert colours["Security"] == "#0347b4"  # the export's own track colour
    built(tmp_path, program)


def test_frab_json_and_pentabarf_without_dates(tmp_path):
    data, _, program = imported(tmp_path, "schedule", EXPORTS / "camp2019-frab.json")
    assert data["timezone"] == "Europe/Berlin"
    day, _, talk = talk_of(data, "Opening Ceremony")
    assert (day, talk["start"], talk["end"]) == ("2019-08-21", "11:00", "11:30")
    built(tmp_path, program)
    data, output, program = imported(tmp_path, "schedule", EXPORTS / "fosdem2018-pentabarf-excerpt.xml")
    keynote = next(s for _, s in slots(data) if s["kind"] == "keynote")
    assert (keynote["title"], keynote["start"], keynote["end"]) == ("Consensus as a Service", "10:00", "10:50")
    assert [s["name"] for s in keynote["speakers"]] == ["Simon Phipps", "Italo Vignoli"]
    paper = data["papers"][0]
    assert (paper["title"], paper["subtitle"]) == ("Unix Architecture Evolution from the 1970 PDP-7 to the "
                                                   "2017 FreeBSD", "Important Milestones and Lessons Learned")
    assert "carry no offset" in output
    built(tmp_path, program)
    assert "Important Milestones and Lessons Learned" in _pdf_text(tmp_path / "out" / "program.pdf")


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(path).pages)


def _schedule_json(*events: dict, zone: str | None = "Europe/Berlin") -> str:
    conference = {"title": "Test Camp", "acronym": "tc26", "days": [
        {"index": 1, "date": "2026-08-14", "day_start": "2026-08-14T04:00:00+02:00",
         "rooms": {"Tent": list(events)}},
        {"index": 2, "date": "2026-08-15", "day_start": "2026-08-15T04:00:00+02:00", "rooms": {"Tent": []}}]}
    if zone:
        conference["time_zone_name"] = zone
    return json.dumps({"schedule": {"version": "1", "conference": conference}})


def _event(ident: int, title: str, date: str, duration: str, persons=(), kind="Talk", track="Main") -> dict:
    return {"id": ident, "guid": f"g{ident}", "date": date, "start": date[11:16], "duration": duration,
            "room": "Tent", "title": title, "subtitle": "", "track": track, "type": kind, "language": "en",
            "abstract": "", "persons": [{"public_name": p} for p in persons]}


def test_containers_placeholders_nicknames_long_events_and_type_words(tmp_path):
    export = tmp_path / "schedule.json"
    export.write_text(_schedule_json(
        _event(1, "Lightning Talks", "2026-08-14T20:00:00+02:00", "01:00", ["Host Person"], "Lightning Talks"),
        _event(2, "Tiny Thing", "2026-08-14T20:00:00+02:00", "00:10", ["Chiao-Lin Yu (Steven Meow)"], "Lightning talk"),
        _event(3, "Another Tiny Thing", "2026-08-14T20:10:00+02:00", "00:10", ["To be announced"], "Lightning talk"),
        _event(4, "Keynote: The Future", "2026-08-14T10:00:00+02:00", "01:00", ["Ada Lovelace"], "Keynote Talk"),
        _event(5, "Art Installation", "2026-08-14T12:00:00+02:00", "1:02:00", ["Some Artist"], "Exhibition"),
        _event(6, "Night Owl Talk", "2026-08-15T01:30:00+02:00", "00:30", ["Owl"], "Talk"),
        _event(7, "Mystery Talk", "2026-08-14T15:00:00+02:00", "00:30", ["TBA"], "Talk")), encoding="utf-8")
    data, output, program = imported(tmp_path, "schedule", export)
    block = next(s for _, s in slots(data) if s.get("title") == "Lightning Talks")
    assert block["kind"] == "session" and len(block["talks"]) == 2 and block["chairs"] == [{"name": "Host Person"}]
    assert not any(s.get("title") in ("Tiny Thing", "Another Tiny Thing") for _, s in slots(data))
    assert next(s for _, s in slots(data) if s.get("title") == "Keynote: The Future")["kind"] == "keynote"
    # A placeholder is nobody: the talk is listed by title, with no one in the index.
    names = [a["name"] for p in data["papers"] for a in p["authors"]]
    assert "To be announced" not in names and "TBA" not in names
    assert talk_of(data, "Mystery Talk")[2] == {"title": "Mystery Talk", "start": "15:00", "end": "15:30"}
    assert "placeholder name(s)" in output
    # D:HH:MM: a day and two hours, printed as an ongoing item of its first day.
    art = next(s for _, s in slots(data) if s.get("title") == "Art Installation")
    assert art["ongoing"] is True and art["end"] == "30:00" and art["note"] == "Until Sat 15 Aug, 14:00"
    # 01:30 on the 15th, before pretalx's 04:00 day start, belongs to the evening of the 14th.
    assert talk_of(data, "Night Owl Talk")[:1] == ("2026-08-14",)
    assert talk_of(data, "Night Owl Talk")[2]["start"] == "25:30"
    assert Person(name="Chiao-Lin Yu (Steven Meow)").family_name == "Yu"
    built(tmp_path, program)
    index = _pdf_text(tmp_path / "out" / "program.pdf")
    assert "Yu, Chiao-Lin (Steven Meow)" in index and "announced, To be" not in index


def test_type_map_and_skip(tmp_path):
    export = tmp_path / "schedule.json"
    export.write_text(_schedule_json(
        _event(1, "Morning Coffee", "2026-08-14T09:00:00+02:00", "00:30", (), "Kaffee"),
        _event(2, "A Talk", "2026-08-14T09:30:00+02:00", "00:30", ["Grace Hopper"]),
        _event(3, "Sponsor Pitch", "2026-08-14T10:00:00+02:00", "00:30", ["Seller"], "Advertisement")),
        encoding="utf-8")
    data, _, _ = imported(tmp_path, "schedule", export, "--type-map", "kaffee=break", "--type-map", "ADVERTISEMENT=skip")
    kinds = {s.get("title"): s["kind"] for _, s in slots(data)}
    assert kinds == {"Morning Coffee": "break", "Main": "session"}
    bad = run("import", "schedule", export, "--type-map", "Kaffee=coffee")
    assert bad.exit_code == 2 and "TYPE=KIND" in bad.output


def test_offsets_that_change_need_a_zone_and_empty_exports_write_nothing(tmp_path):
    export = tmp_path / "schedule.json"
    export.write_text(_schedule_json(
        _event(1, "Before", "2026-10-24T10:00:00+02:00", "00:30", ["A B"]),
        _event(2, "After", "2026-10-25T10:00:00+01:00", "00:30", ["C D"]), zone=None), encoding="utf-8")
    _, output, program = imported(tmp_path, "schedule", export, expect=1)
    assert "+01:00 and +02:00" in output and "--timezone" in output and "[B502]" in output
    assert program.exists()  # written, so that it can be fixed, but not silently
    empty = tmp_path / "empty.json"
    empty.write_text(_schedule_json(zone="UTC"), encoding="utf-8")
    result = run("import", "schedule", empty, "-o", tmp_path / "empty.yaml")
    assert result.exit_code == 1 and "holds no events" in result.output and "[B501]" in result.output
    assert not (tmp_path / "empty.yaml").exists()


# --- HotCRP ----------------------------------------------------------------------------------------


def test_hotcrp_current_format_by_status_never_withdrawn(tmp_path):
    """tests/fixtures/exports/hotcrp-current.json follows HotCRP's PaperExport::paper_json (2026)."""
    data, output, program = imported(tmp_path, "hotcrp", EXPORTS / "hotcrp-current.json", "--date", "2026-06-01",
                                     expect=1)
    assert [p["id"] for p in data["papers"]] == ["hotcrp-3", "hotcrp-5", "hotcrp-8"]  # accept, Poster, Accept (short)
    assert "@" not in program.read_text(encoding="utf-8")
    assert data["papers"][0]["authors"] == [{"name": "Zoë Ångström", "affiliation": "ETH Zürich"},
                                            {"name": "Kwame Mensah", "affiliation": "University of Ghana"}]
    assert data["papers"][0]["topics"] == ["Congestion control"]
    assert [a["name"] for a in data["papers"][2]["authors"]] == ["Siddharth Rao", "María José García-López"]
    assert "paper 8: author 2 has no name" in output
    assert "paper 17 'Accepted Without Named Authors' has no author with a name" in output and "[B502]" in output
    for line in ("Accepted: 1 paper(s) imported", "Accepted: 1 paper(s) left out", "Poster: 1 paper(s) imported",
                 "withdrawn: 1 paper(s) left out", "Reject: 1 paper(s) left out", "Desk reject: 1 paper(s) left out",
                 "submitted: 1 paper(s) left out"):
        assert line in output


def test_hotcrp_decisions_choose_papers_posters_and_tracks(tmp_path):
    data, output, program = imported(tmp_path, "hotcrp", EXPORTS / "hotcrp-current.json", "--date", "2026-06-01",
                                     "--decision", "Accepted", "--decision", "poster=posters",
                                     "--decision", "accept (short)=track:short", expect=1)
    papers = {p["id"]: p for p in data["papers"]}
    assert sorted(papers) == ["hotcrp-3", "hotcrp-5", "hotcrp-8"]
    posters = next(s for _, s in slots(data) if s["kind"] == "posters")
    assert posters["posters"] == [{"paper": "hotcrp-5"}]
    assert papers["hotcrp-8"]["track"] == "short" and data["tracks"] == [{"id": "short", "name": "short"}]
    only_posters, _, _ = imported(tmp_path, "hotcrp", EXPORTS / "hotcrp-current.json", "--decision", "Post*=posters")
    assert [p["id"] for p in only_posters["papers"]] == ["hotcrp-5"]
    # The program written is valid (paper 17 waits for its names in HotCRP) and builds.
    text = program.read_text(encoding="utf-8")
    assert run("validate", program).exit_code == 0, text
    built(tmp_path, program)
    assert "A Poster on RDMA Telemetry" in _pdf_text(tmp_path / "out" / "program.pdf")


def test_hotcrp_older_format_and_single_paper_exports(tmp_path):
    data, _, _ = imported(tmp_path, "hotcrp", EXPORTS / "hotcrp-2020.json", "--date", "2020-08-10")
    assert [(p["id"], [a["name"] for a in p["authors"]]) for p in data["papers"]] == [
        ("hotcrp-1", ["Jürgen Müller", "Aiko Tanaka"]), ("hotcrp-4", ["Olusegun Adeyemi"])]
    assert data["year"] == 2020
    single = tmp_path / "paper3-data.json"
    single.write_text(json.dumps(json.loads((EXPORTS / "hotcrp-current.json").read_text("utf-8"))[0]), "utf-8")
    data, _, _ = imported(tmp_path, "hotcrp", single)
    assert [p["id"] for p in data["papers"]] == ["hotcrp-3"]
    nothing = tmp_path / "rejected.json"
    nothing.write_text(json.dumps([{"pid": 2, "title": "No", "status": "reject", "decision": "Reject",
                                    "authors": [{"given_name": "A", "family_name": "B"}]}]), "utf-8")
    result = run("import", "hotcrp", nothing, "-o", tmp_path / "none.yaml")
    assert result.exit_code == 1 and "no paper accepted" in result.output and not (tmp_path / "none.yaml").exists()


# --- OpenReview ------------------------------------------------------------------------------------


def test_openreview_notes_accepted_by_venueid_or_decision_note(tmp_path):
    """tests/fixtures/exports/openreview-notes.json: Note.to_json() of openreview-py (API v2) notes."""
    data, output, program = imported(tmp_path, "openreview", EXPORTS / "openreview-notes.json", "--date",
                                     "2026-04-27", "--name", "Workshop on Machine Learning for Networks")
    assert [p["title"] for p in data["papers"]] == ["Graph Neural Networks for Traffic Matrices",
                                                   "Learning Congestion Control with Transformers",
                                                   "Decided by Note"]
    assert data["papers"][0]["authors"] == [{"name": "Wei Zhang"}, {"name": "Émilie Laurent"}]
    text = program.read_text(encoding="utf-8")
    assert "~" not in text and "@" not in text  # no profile ids, no e-mails
    posters = next(s for _, s in slots(data) if s["kind"] == "posters")
    assert posters["posters"] == [{"paper": "openreview-Zx9Yw8Vu7t"}, {"paper": "openreview-Dd7Ee8Ff9G"}]
    assert "Rejected_Submission: 1 submission(s) left out" in output
    built(tmp_path, program)


# --- the one YAML writer -----------------------------------------------------------------------------


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from booklet.yaml_out import dump_program, needs_quotes  # noqa: E402

_PIECE = st.one_of(
    # Any character but the invisible ones, which booklet's reader removes on purpose (with a B005 warning).
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cf", "Zl", "Zp")), max_size=120),
    st.sampled_from([":", ": ", " #", "#", "'", '"', "- ", "-", "?", "[", "]", "{", "}", ",", "&", "*", "!", "|",
                     ">", "%", "@", "`", "\n", "\n\n", " ", "\\", "09:30", "2025-09-08", "no", "~", "1e3",
                     "0x1f", "start: 10-30", "\n  start: 10-30", "- {paper: x}"]))
_TEXT = st.lists(_PIECE, min_size=1, max_size=8).map("".join).filter(lambda t: t.strip())


@settings(max_examples=150, deadline=None)
@given(title=_TEXT, name=_TEXT)
def test_any_title_or_name_reads_back_the_same_in_every_reader(title, name):
    title, name = title.strip(), name.strip()
    program = {"name": name, "year": 2026, "rooms": [{"id": "main", "name": "Main"}],
               "days": [{"date": "2026-05-04", "slots": [{"kind": "break", "start": "10:30", "end": "11:00",
                                                         "title": title}]}],
               "papers": [{"id": "p1", "title": title, "authors": [{"name": name}]},
                          {"id": "p2", "title": "Next", "authors": ["Someone"]}]}
    text = dump_program(program, "# header\n")
    ours = parse_program_text(text, "x.yaml").data
    yaml11 = yaml.safe_load(text)
    yaml12 = YAML(typ="safe", pure=True).load(text)
    nfc = lambda text: unicodedata.normalize("NFC", text)  # noqa: E731 - booklet reads composed text, by design
    for data, want_title, want_name in ((ours, nfc(title), nfc(name)), (yaml11, title, name), (yaml12, title, name)):
        assert data["name"] == want_name and data["papers"][0]["title"] == want_title
        assert data["papers"][0]["authors"] == [{"name": want_name}] and data["papers"][1]["title"] == "Next"
        assert data["days"][0]["slots"][0]["title"] == want_title
        assert str(data["days"][0]["slots"][0]["start"]) == "10:30" and str(data["days"][0]["date"]) == "2026-05-04"


def test_quoting_rule_on_the_scalars_that_fool_yaml_readers():
    for text in ("09:30", "1:20:30", "2025-09-08", "no", "Yes", "off", "~", "null", "1e3", "0x1f", "-5", ".inf",
                 "- item", "a: b", "#x", "x #y", "' quoted", "", " lead"):
        assert needs_quotes(text), text
    for text in ("Registration", "Networks for AI Computing", "Zoë Ångström", "Session 1"):
        assert not needs_quotes(text), text
