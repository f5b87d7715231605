"""`booklet import openreview`: the accepted submissions of an OpenReview venue as a program file.

Input is the venue's notes as openreview-py saves them (API v2): a JSON list of
`Note.to_json()` objects, or an API answer `{"notes": [...]}`. A note's fields are wrapped:
`content.title.value`, `content.authors.value` (names as the authors gave them),
`content.authorids.value` (profile ids and e-mails: never written), `content.venue.value` and
`content.venueid.value`. OpenReview records the decision in the venue fields when decisions are
released: an accepted paper's `venueid` is the venue's own id (ICLR.cc/2025/Workshop/X), others
end in `/Rejected_Submission`, `/Withdrawn_Submission`, `/Desk_Rejected_Submission` or
`/Submission`; the `venue` string names the presentation ("ICLR 2025 Workshop X Oral"). A
decision note among the note's `details.directReplies` (saved with details='directReplies') is
read too. Each paper's id is `openreview-FORUM`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .exports import export_error, parse_json, read_export_bytes
from .importing import ImportLog, as_dict, as_list, is_placeholder, one_line, skeleton_program

_NOT_ACCEPTED = re.compile(r"/(Rejected|Withdrawn|Desk_Rejected)_Submission$|/Submission$|/-/")


@dataclass
class Submission:
    forum: str
    number: int | None
    title: str
    authors: list[str]
    venue: str
    venueid: str
    decision: str

    @property
    def id(self) -> str:
        return "openreview-" + re.sub(r"[^A-Za-z0-9_.-]", "-", self.forum)


def _value(content: dict, key: str):
    """A content field: API v2 wraps it as {"value": ...}; API v1 notes hold the value itself."""
    field = content.get(key)
    return field.get("value") if isinstance(field, dict) else field


def _decision(note: dict) -> str:
    for reply in as_list(as_dict(note.get("details")).get("directReplies")):
        if not isinstance(reply, dict):
            continue
        invitations = as_list(reply.get("invitations")) or [reply.get("invitation") or ""]
        if any(str(i).endswith("/Decision") for i in invitations):
            return one_line(_value(as_dict(reply.get("content")), "decision"))
    return ""


def _notes(data, path: Path) -> list:
    if isinstance(data, dict) and isinstance(data.get("notes"), list):
        return data["notes"]
    if isinstance(data, list):
        return data
    raise export_error(path, "an OpenReview export is a JSON list of notes (json.dump([n.to_json() for n in "
                             "notes], f)) or an API answer {\"notes\": [...]}")


def read_notes(path: Path, log: ImportLog) -> list[Submission]:
    data = parse_json(path, read_export_bytes(path, "the venue's notes saved as JSON with openreview-py"))
    submissions, tally = [], Counter()
    for index, note in enumerate(_notes(data, path)):
        content = note.get("content") if isinstance(note, dict) else None
        if not isinstance(content, dict):
            raise export_error(path, "a note without content; is this a list of OpenReview notes?", field=f"[{index}]")
        venue, venueid = one_line(_value(content, "venue")), one_line(_value(content, "venueid"))
        decision = _decision(note)
        if decision:
            accepted = "accept" in decision.casefold()
        else:
            accepted = bool(venueid) and not _NOT_ACCEPTED.search(venueid) and not venue.startswith("Submitted to")
        label = decision or _presentation(venue) or ("accepted" if accepted else venueid.rsplit("/", 1)[-1] or "no decision")
        tally[(label, accepted)] += 1
        if not accepted:
            continue
        title = one_line(_value(content, "title"))
        authors = [one_line(a) for a in as_list(_value(content, "authors")) if isinstance(a, str) and one_line(a)]
        forum = one_line(note.get("forum") or note.get("id"))
        if not title or not forum:
            raise export_error(path, "an accepted note without title or forum id", field=f"[{index}]")
        named = [a for a in authors if not is_placeholder(a) and a.casefold() != "anonymous"]
        if not named:
            log.decide(f"'{title}' ({forum}) lists no author names (authors hidden until the camera-ready?); "
                       "left out: save the notes again once the names are public", f"[{index}]")
            continue
        number = note.get("number") if isinstance(note.get("number"), int) else None
        submissions.append(Submission(forum, number, title, named, venue, venueid, label))
    for (label, taken), count in sorted(tally.items(), key=lambda item: (not item[0][1], item[0][0])):
        log.summary.append(f"{label}: {count} submission(s) {'imported' if taken else 'left out'}")
    if not submissions:
        raise log.refuse("no accepted submission in these notes; save them after the decisions are released "
                         "(their venueid is then the venue's id)")
    return sorted(submissions, key=lambda s: (s.number is None, s.number or 0, s.title))


def _presentation(venue: str) -> str:
    """'ICLR 2025 Workshop X Oral' -> 'Oral': the last word when it names a presentation."""
    last = venue.rsplit(" ", 1)[-1] if venue else ""
    return last if last.casefold() in {"oral", "poster", "spotlight", "talk", "contributed"} else ""


def new_program(submissions: list[Submission], **event) -> dict:
    """A valid program holding the accepted submissions: posters in a poster session, the rest as
    papers for the chair to put into sessions."""
    posters = [s.id for s in submissions if "poster" in s.decision.casefold()]
    papers = [{"id": s.id, "title": s.title, "authors": [{"name": name} for name in s.authors]} for s in submissions]
    return skeleton_program(papers, posters, [], **event)


HEADER = ("# Imported from OpenReview by `booklet import openreview`: the accepted submissions.\n"
          "# Next: set the name, time zone and rooms, put the papers into sessions under days:,\n"
          "# and run `booklet validate`, which lists the papers not yet scheduled.\n")
