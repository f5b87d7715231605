"""The multi-track program model and its validation, without TeX: tracks, several rooms, talks
without times, inline talks, times past midnight, long-running items, rooms' gaps and overlaps,
and people in two places at once. Expected messages are written out here, by hand."""

from __future__ import annotations

import textwrap
from datetime import datetime

from icalendar import Calendar

from booklet.calendar import calendar_bytes
from booklet.diagnostics import ProgramError
from booklet.load import parse_program_text
from booklet.sheet_views import build_sheet_views
from booklet.validate import validate_loaded
from booklet.views import build_view

HEADER = """\
name: Three Room Conference
year: 2026
timezone: Europe/Lisbon
time_format: 24h
rooms:
  - {id: a, name: Hall A}
  - {id: b, name: Hall B}
  - {id: c, name: Hall C}
tracks:
  - {id: sys, name: Systems}
  - {id: ws, name: Workshop on Things, short_title: WoT, kind: workshop, organizers: [Ada Lovelace]}
papers:
  - {id: p1, title: First Paper, authors: [{name: Ada Lovelace, affiliation: Engines}]}
  - {id: p2, title: Second Paper, authors: [{name: Alan Turing, affiliation: Bletchley}]}
  - {id: p3, title: Third Paper, authors: [{name: Grace Hopper}, {name: Edsger Dijkstra}]}
days:
  - date: 2026-05-04
    slots:
"""  # 18 lines: the first slot line of each case is line 19


def check(slots: str):
    text = HEADER + textwrap.indent(textwrap.dedent(slots), "      ")
    try:
        program, report = validate_loaded(parse_program_text(text, "t.yaml"))
        return program, [(d.line, d.severity.value, d.code, d.message) for d in report.sorted()]
    except ProgramError as exc:
        return None, [(d.line, d.severity.value, d.code, d.message) for d in exc.diagnostics]


def test_a_full_multitrack_day_validates_with_only_the_warnings_a_chair_needs():
    program, found = check("""\
        - {kind: registration, title: Registration desk, start: "08:00", end: "18:00", place: Foyer, ongoing: true}
        - {kind: keynote, title: Opening Keynote, start: "09:00", end: "10:30", award: Turing Award,
           speakers: [{name: Barbara Liskov, affiliation: MIT}], chairs: [{name: Ada Lovelace, affiliation: Engines}]}
        - {kind: session, title: Storage, track: sys, room: a, start: "10:30", end: "11:30",
           chairs: [Alan Turing], talks: [{paper: p1}, {paper: p2}, {title: An Invited Talk, speakers: [Guest One]}]}
        - {kind: session, title: Morning of Things, track: ws, room: b, start: "10:30", end: "11:30",
           talks: [{paper: p3, start: "10:30", end: "11:30"}]}
        - {kind: posters, title: Posters, rooms: [a, b], start: "11:30", end: "13:00", posters: [{paper: p3}]}
        - {kind: meal, title: Lunch, start: "11:30", end: "13:30", place: Terrace}
        - {kind: social, title: Late Party, start: "22:00", end: "24:30", place: Rooftop}
    """)
    assert program is not None, found
    # The lunch gives way to the posters held in two rooms meanwhile: no overlap. The evening is free.
    assert found == [(28, "warning", "B301", "gap of 510 min before this slot (13:30-22:00, after 'Lunch')")], found
    session = program.days[0].slots[2]
    items = session.talk_items(program.paper_by_id())
    # No times given: the hour is shared evenly, in the order listed.
    assert [(str(t.start), str(t.end), t.title) for t in items] == [
        ("10:30", "10:50", "First Paper"), ("10:50", "11:10", "Second Paper"), ("11:10", "11:30", "An Invited Talk")]
    assert not any(t.timed for t in items)


def test_times_past_midnight_stay_on_their_day_and_reach_the_calendar_on_the_next():
    program, found = check("""\
        - {kind: social, title: Late Party, start: "22:00", end: "24:30", place: Rooftop}
        - {kind: social, title: After Party, start: "24:30", end: "26:00", place: Cellar}
    """)
    assert [f for f in found if f[2] != "B303"] == [], found
    events = {str(e.get("summary")): e for e in Calendar.from_ical(calendar_bytes(program)).walk("VEVENT")}
    assert events["Late Party"].decoded("dtend").replace(tzinfo=None) == datetime(2026, 5, 5, 0, 30)
    assert events["After Party"].decoded("dtstart").replace(tzinfo=None) == datetime(2026, 5, 5, 0, 30)
    view = build_view(program)
    assert [s.time for s in view.days[0].slots] == ["22:00\u201300:30", "00:30\u201302:00"]
    _, too_late = check('- {kind: social, title: Dawn, start: "29:00", end: "30:30"}\n')
    assert too_late[0][2:] == ("B103", "malformed time '30:30'; write HH:MM on a 24-hour clock, e.g. 14:05 "
                                       "(after midnight: 24:30 for 00:30, up to 30:00)")


def test_overlaps_name_their_rooms_and_a_roomless_plenary_clashes_with_every_room():
    _, found = check("""\
        - {kind: session, title: One, room: a, start: "09:00", end: "10:00", talks: [{paper: p1}]}
        - {kind: session, title: Two, room: a, start: "09:30", end: "10:30", talks: [{paper: p2}]}
        - {kind: keynote, title: Plenary, start: "09:45", end: "10:45", speakers: [Someone]}
        - {kind: session, title: Three, room: b, start: "09:00", end: "10:00", talks: [{paper: p3}]}
    """)
    errors = [f for f in found if f[1] == "error"]
    assert errors == [
        (20, "error", "B208", "overlaps 'One' (09:00-10:00, line 19) in Hall A"),
        (21, "error", "B208", "overlaps 'One' (09:00-10:00, line 19) in Hall A; a slot without a room spans "
                              "every room in use that day (or mark a long-running item `ongoing: true`)"),
        (21, "error", "B208", "overlaps 'Three' (09:00-10:00, line 22) in Hall B; a slot without a room "
                              "spans every room in use that day (or mark a long-running item `ongoing: true`)"),
        (21, "error", "B208", "overlaps 'Two' (09:30-10:30, line 20) in Hall A; a slot without a room spans "
                              "every room in use that day (or mark a long-running item `ongoing: true`)"),
    ]


def test_a_gap_before_a_plenary_is_reported_once_and_only_when_every_room_has_it():
    _, found = check("""\
        - {kind: session, title: Early, room: a, start: "09:00", end: "10:00", talks: [{paper: p1}]}
        - {kind: session, title: Late, room: b, start: "09:00", end: "10:30", talks: [{paper: p2}]}
        - {kind: break, title: Coffee, start: "10:30", end: "11:00"}
        - {kind: session, title: After, room: a, start: "11:15", end: "12:00", talks: [{paper: p3}]}
    """)
    # Hall B runs up to the coffee break, so Hall A's idle half hour is no gap of the break's;
    # Hall A's quarter of an hour after the break is.
    assert found == [(22, "warning", "B301", "gap of 15 min before this slot (11:00-11:15, after 'Coffee')")]


def test_one_person_in_two_places_at_once_is_a_warning():
    _, found = check("""\
        - {kind: session, title: Left, room: a, start: "09:00", end: "10:00", chairs: [Alan Turing],
           talks: [{paper: p1}]}
        - {kind: session, title: Right, room: b, start: "09:30", end: "10:30", talks: [{paper: p2}, {paper: p3}]}
    """)
    # Alan Turing chairs Left and is the sole author (so the presenter) of the first talk of Right.
    assert found == [(21, "warning", "B304", "Alan Turing is in two places at once: the talk 'Second Paper' "
                                             "(09:30-10:00) and Left (09:00-10:00, line 19)")], found


def test_talks_rooms_and_tracks_are_checked():
    _, found = check("""\
        - {kind: session, title: Mixed, room: a, track: nope, start: "09:00", end: "10:00",
           talks: [{paper: p1, start: "09:00", end: "09:30"}, {paper: p2}]}
        - {kind: session, title: Both, rooms: [a, z], start: "11:00", end: "12:00",
           talks: [{paper: p3, title: Also a Title}]}
        - {kind: break, title: Coffee, room: a, rooms: [b], start: "13:00", end: "13:30"}
    """)
    messages = {(line, code, message) for line, _, code, message in found}
    assert (22, "B103", "a talk is either `paper: ID` or an inline talk with `title:` (and `speakers:`), "
                        "not both and not neither") in messages
    assert (23, "B103", "give `room` or `rooms`, not both") in messages
    _, found = check("""\
        - {kind: session, title: Mixed, room: a, track: nope, start: "09:00", end: "10:00",
           talks: [{paper: p1, start: "09:00", end: "09:30"}, {paper: p2}]}
        - {kind: session, title: Far, rooms: [a, z], start: "11:00", end: "12:00", talks: [{paper: p3}]}
    """)
    assert [(line, code, message) for line, severity, code, message in found if severity == "error"] == [
        (19, "B203", "no track with id 'nope'; tracks: sys, ws"),
        (20, "B206", "this talk has no times but others in the session do; give every talk of the session "
                     "`start` and `end`, or none (they then share the session's span)"),
        (21, "B203", "no room with id 'z'"),
    ]


def test_chair_sheet_of_an_untimed_session_shares_its_window_and_names_the_chairs_affiliation():
    program, _ = check("""\
        - {kind: session, title: Storage, room: a, start: "10:30", end: "11:40",
           chairs: [{name: Alan Turing, affiliation: Bletchley}], talks: [{paper: p1}, {paper: p2}, {paper: p3}]}
    """)
    sheet = build_sheet_views(program).sheets[0]
    assert sheet.shared_window
    assert [(r.start, r.end, r.minutes) for r in sheet.rows] == [("10:30", "10:53", 23), ("10:53", "11:16", 23),
                                                                  ("11:16", "11:40", 24)]
    assert [(c.name, c.affiliation) for c in sheet.chairs] == [("Alan Turing", "Bletchley")]
