"""The shipped data/naic2025.yaml holds the workshop's page exactly: nothing dropped, nothing invented."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from booklet.model import Keynote, Panel, PaperSession, PlainSlot
from booklet.schedule import format_clock
from booklet.validate import load_and_validate
from seed_page import (COMMITTEES, IMPORTANT_DATES, KEYNOTE_ABSTRACT_ENDS, KEYNOTE_ABSTRACT_STARTS,
                       KEYNOTE_BIOGRAPHY_STARTS, PANEL_TOPIC, PANELISTS, ROOM, SLOTS, SUBMISSION_SITE,
                       TALKS, page_people, page_title)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def program():
    program, report = load_and_validate(ROOT / "data" / "naic2025.yaml")
    return program


def scheduled_talks(program):
    papers = program.paper_by_id()
    return [(talk, papers[talk.paper]) for day in program.days for slot in day.slots
            if isinstance(slot, PaperSession) for talk in slot.talks]


def test_every_talk_in_page_order_with_times_marks_and_authors(program):
    talks = scheduled_talks(program)
    assert len(talks) == len(TALKS) == 18
    for (talk, paper), (times, award, title_line, author_line) in zip(talks, TALKS):
        title, short, video = page_title(title_line)
        assert paper.title == title
        assert f"{format_clock(talk.start)} - {format_clock(talk.end)}" == times
        assert paper.short is short, title
        assert paper.video is video, title
        assert (paper.award == "Best Paper Award") is award, title
        assert [(a.name, a.affiliation) for a in paper.authors] == page_people(author_line)


def test_every_slot_of_the_day(program):
    (day,) = program.days
    assert day.date == date(2025, 9, 8) and day.date.strftime("%A") == "Monday"
    assert len(day.slots) == len(SLOTS)
    for slot, line in zip(day.slots, SLOTS):
        times, rest = line.split(" | ", 1)
        assert f"{format_clock(slot.start)} — {format_clock(slot.end)}" == times
        if isinstance(slot, PlainSlot):
            assert slot.title == rest
        elif isinstance(slot, PaperSession):
            assert rest == f"Session {slot.number}: {slot.title} | Chair: {slot.chairs[0].name}"
            assert len(slot.chairs) == 1
        elif isinstance(slot, Keynote):
            (speaker,) = slot.speakers
            assert rest == (f"Keynote {slot.number}: {slot.title} | {speaker.name} "
                            f"({speaker.affiliation}) Video")
            assert slot.video
        elif isinstance(slot, Panel):
            chair = slot.chairs[0]
            assert rest == (f"Panel Discussion: {slot.title} | Chair: {chair.name} ({chair.affiliation}) "
                            "| Panelists: Video")
            assert [f"{p.name} ({p.affiliation})" for p in slot.panelists] == PANELISTS
            assert slot.topic == PANEL_TOPIC
        else:  # pragma: no cover - the page has no other kind
            pytest.fail(f"unexpected slot {slot!r}")


def test_keynote_abstracts_and_biographies_are_whole(program):
    keynotes = [slot for slot in program.days[0].slots if isinstance(slot, Keynote)]
    for keynote, start, end, bio in zip(keynotes, KEYNOTE_ABSTRACT_STARTS, KEYNOTE_ABSTRACT_ENDS,
                                        KEYNOTE_BIOGRAPHY_STARTS):
        assert keynote.abstract.startswith(start) and keynote.abstract.endswith(end)
        assert keynote.speakers[0].biography.startswith(bio)
        assert "  " not in keynote.abstract and "\n" not in keynote.abstract
    assert "approach—integrating network architecture, system software, and hardware capabilities—to" \
        in keynotes[1].abstract


def test_committees_with_institutions(program):
    assert {c.title: [(m.name, m.affiliation) for m in c.members] for c in program.committees} == COMMITTEES


def test_workshop_facts(program):
    assert program.title == "2nd Workshop on Networks for AI Computing (NAIC)"
    assert program.format == "Full-day Workshop"
    assert [room.name for room in program.rooms] == [ROOM]
    assert program.timezone == "Europe/Lisbon"
    assert program.call_for_papers.submission_site == SUBMISSION_SITE
    assert len(program.call_for_papers.description) == 3
    assert program.award_note.startswith("The NAIC workshop will feature a best paper award sponsored by "
                                         "the SUPER research project")
    printed = [f"{d.label} {d.date:%B} {_ordinal(d.date.day)}, {d.date.year}"
               + (" (Updated)" if d.updated else "") for d in program.important_dates]
    assert printed == IMPORTANT_DATES


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"
