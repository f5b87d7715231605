"""Door signs (door-signs.pdf): one landscape page per room and day, for the door of the room.

A page is made for every room that a slot of the day names (a one-room program's room-less slots
name its one room). It shows the room's name large, the date, and what happens there that day:
times, titles and who chairs or speaks, in type read from three metres. Room-less slots of a
multi-room program (a plenary keynote, lunch) are listed on every sign of their day, the breaks in
grey. Each page's body is typeset at the largest of six sizes that fits (the last two in two
columns); one that fits at none is scaled down to the page rather than lose an entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..papers import Paper
from ..pdf.finish import DocumentInfo
from ..pdf.preflight import FileExpectation
from . import Inputs, TexDocument, document_info

# Landscape pages: the geometry's width and height are swapped by `landscape`.
SIGN_PAPERS = {
    "a4": Paper("a4", 16, 16, "landscape, top=14mm, bottom=14mm", "12pt"),
    "letter": Paper("letter", 16, 16, "landscape, top=14mm, bottom=14mm", "12pt"),
}


@dataclass
class SignEntry:
    time: str
    label: str  # "Session 2", "Keynote"; "" for breaks and one-talk sessions named by their talk
    title: str
    people: str  # "Chair: ...", the speakers, or a talk's authors
    plain: bool  # a break, meal or other plain slot: printed quietly


@dataclass
class Sign:
    number: int
    room: str
    date: str
    entries: list[SignEntry] = field(default_factory=list)
    item: str = ""  # the first slot's place in the program, for messages

    @property
    def widest_time(self) -> str:
        """The longest time of the sign, which sets the width of its time column ('10:00 am-11:45 am')."""
        return max((entry.time for entry in self.entries), key=len, default="")

    @property
    def first_half(self) -> list[SignEntry]:
        """For two columns: the entries up to the middle of the day (the morning, usually)."""
        return self.entries[:(len(self.entries) + 1) // 2]

    @property
    def second_half(self) -> list[SignEntry]:
        return self.entries[(len(self.entries) + 1) // 2:]


@dataclass
class SignsView:
    short_name: str
    title: str
    version: str
    signs: list[Sign]


def _names(people) -> str:
    return ", ".join(person.name for person in people)


def _entry(slot) -> SignEntry:
    if slot.plain:
        return SignEntry(slot.time, "", slot.title, "", True)
    if slot.grid_people:  # a one-talk session named after its track: the talk is what the door says
        return SignEntry(slot.time, "", slot.short_title, _names(slot.grid_people), False)
    if slot.speakers or slot.panelists:  # who speaks says more than who chairs
        people = _names(slot.speakers or slot.panelists)
    else:
        people = f"Chair: {_names(slot.chairs)}" if slot.chairs else ""
    return SignEntry(slot.time, slot.label, slot.title, people, False)


def build_signs(inputs: Inputs) -> SignsView:
    program, view = inputs.program, inputs.view
    one_room = len(program.rooms) == 1
    signs: list[Sign] = []
    for day in view.days:
        for room in program.rooms:
            named = [v for v, s in zip(day.slots, day.sources) if room.id in s.room_ids
                     or (one_room and not s.room_ids)]
            if not named:
                continue
            # Room-less slots of a multi-room day (a plenary, lunch) stand on every sign of the day.
            chosen = [v for v, s in zip(day.slots, day.sources) if not s.ongoing
                      and (room.id in s.room_ids or not s.room_ids)]
            sign = Sign(len(signs) + 1, room.name, day.heading if day.heading == day.date_text else
                        f"{day.heading}, {day.date_text}", [_entry(v) for v in chosen], named[0].item)
            signs.append(sign)
    return SignsView(program.short_name, program.title, inputs.version, signs)


class DoorSigns(TexDocument):
    name = "door signs"
    job = "door-signs"
    template = "door-signs.tex.j2"
    kind = "signs"

    def view(self, inputs: Inputs) -> SignsView | None:
        signs = build_signs(inputs)
        return signs if signs.signs else None

    def template_context(self, inputs: Inputs, view: SignsView) -> dict:
        return {"v": view, "layout": SIGN_PAPERS[inputs.options.sign_paper]}

    def info(self, inputs: Inputs, view: SignsView) -> DocumentInfo:
        program = inputs.program
        rooms = list(dict.fromkeys(sign.room for sign in view.signs))
        return document_info(inputs, title=f"{program.short_name}: door signs",
                             subject=f"What happens in each room of the {program.title}, day by day",
                             keywords=", ".join([program.short_name, "door signs", *rooms][:14]))

    def expectations(self, inputs: Inputs, view: SignsView, pages: int | None) -> list[FileExpectation]:
        # A break stands on most signs of a day: no line is set aside as a running head here.
        texts = [inputs.version] + [text for sign in view.signs for text in
                                    (sign.room, sign.date, *(e.title for e in sign.entries), *(e.people for e in sign.entries))
                                    if text]
        return [FileExpectation(self.file, self.kind, inputs.options.sign_paper, landscape=True,
                                pages=len(view.signs), texts=list(dict.fromkeys(texts)), running_heads=False,
                                margins=SIGN_PAPERS[inputs.options.sign_paper].margins_pt)]

DOOR_SIGNS = DoorSigns()
