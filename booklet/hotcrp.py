"""`booklet import hotcrp`: accepted papers from a HotCRP JSON export into a program file.

HotCRP exports a list of paper objects: `pid`, `title`, `authors` (each with `given_name` and
`family_name`, or `first`/`last`, or `name`; `affiliation`; `email`), and a decision in `decision`
("Accepted") or `status` ("accepted"). Only accepted papers are taken. E-mail addresses are read
past and never written anywhere. Each paper's id is `hotcrp-PID`, so a later export can be merged:
final versions change titles and author lists, and `--merge` updates them in place while keeping
the schedule, the rest of the file and its comments (ruamel.yaml round-trips the YAML).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .exports import export_error, parse_json, read_export_bytes
from .yaml_out import dump_program


@dataclass
class ImportedPaper:
    pid: int
    title: str
    authors: list[dict[str, str]]

    @property
    def id(self) -> str:
        return f"hotcrp-{self.pid}"

    def as_yaml(self) -> dict:
        return {"id": self.id, "title": self.title, "authors": self.authors}


def _text(value) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _author(raw: dict) -> dict[str, str]:
    given = _text(raw.get("given_name") or raw.get("first") or raw.get("firstName"))
    family = _text(raw.get("family_name") or raw.get("last") or raw.get("lastName"))
    name = _text(raw.get("name")) or " ".join(part for part in (given, family) if part)
    author = {"name": name}
    if _text(raw.get("affiliation")):
        author["affiliation"] = _text(raw["affiliation"])
    return author  # e-mail deliberately dropped


def _accepted(raw: dict) -> bool:
    decision = _text(raw.get("decision")).casefold()
    status = _text(raw.get("status")).casefold()
    return decision.startswith("accept") or status == "accepted"


def read_export(path: Path) -> list[ImportedPaper]:
    data = parse_json(path, read_export_bytes(path, "a HotCRP JSON export (Search > Download > JSON)"))
    if isinstance(data, dict) and isinstance(data.get("papers"), list):
        data = data["papers"]
    if not isinstance(data, list):
        raise export_error(path, "a HotCRP export is a list of papers")
    papers = []
    for index, raw in enumerate(data):
        if not isinstance(raw, dict) or not _accepted(raw):
            continue
        if "pid" not in raw or not _text(raw.get("title")):
            raise export_error(path, "an accepted paper without pid or title", field=f"[{index}]")
        authors = [_author(a) for a in raw.get("authors") or [] if isinstance(a, dict)]
        authors = [a for a in authors if a["name"]]
        if not authors:
            raise export_error(path, f"accepted paper {raw['pid']} has no authors with names", field=f"[{index}]")
        papers.append(ImportedPaper(_pid(raw["pid"], path, index), _text(raw["title"]), authors))
    seen: set[int] = set()
    for paper in papers:
        if paper.pid in seen:
            raise export_error(path, f"two accepted papers have pid {paper.pid}; each paper's pid is unique in "
                                     "a HotCRP export", field="pid")
        seen.add(paper.pid)
    return sorted(papers, key=lambda p: p.pid)


def _pid(value, path: Path, index: int) -> int:
    """A paper's number: a whole number, as HotCRP writes it (or its digits as text)."""
    if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and value.isascii()
                                                                   and value.strip().isdigit())):
        raise export_error(path, f"pid {str(value)[:20]!r} is not a paper number; a HotCRP pid is a whole "
                                 "number such as 17", field=f"[{index}].pid")
    number = int(value)
    if not 0 < number < 10**9:
        raise export_error(path, f"pid {number} is out of range", field=f"[{index}].pid")
    return number


def new_program(papers: list[ImportedPaper], *, name: str, acronym: str | None, year: int, day: date) -> str:
    """A complete, valid program holding the papers, ready for the chair to schedule them."""
    program = {"name": name, **({"acronym": acronym} if acronym else {}), "year": year,
               "timezone": "UTC", "rooms": [{"id": "main", "name": "Main room"}],
               "days": [{"date": day.isoformat(), "slots": [
                   {"kind": "registration", "start": "08:30", "end": "09:00", "title": "Registration"}]}],
               "papers": [paper.as_yaml() for paper in papers]}
    header = ("# Imported from HotCRP by `booklet import hotcrp`: the accepted papers, ready to schedule.\n"
              "# Next: set the name, time zone and rooms, add sessions under days: with talks that\n"
              "# refer to the papers' ids; `booklet validate` lists the papers not yet scheduled.\n")
    return dump_program(program, header)


def merge_into(program_path: Path, papers: list[ImportedPaper]) -> tuple[str, list[str]]:
    """The program file's text with titles and authors of its HotCRP papers brought up to date, new
    accepted papers appended, and a line per change. The schedule and comments are kept."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    yaml = YAML()  # round-trip: comments, order and quoting survive
    yaml.preserve_quotes = True
    yaml.width = 100
    try:
        document = yaml.load(program_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise export_error(program_path, "no such program file to merge into") from None
    except YAMLError as exc:
        raise export_error(program_path, f"YAML syntax: {exc}") from None
    if not isinstance(document, dict):
        raise export_error(program_path, "not a program file (a mapping at the top level)")
    existing = document.setdefault("papers", [])
    by_id = {str(paper.get("id")): paper for paper in existing if isinstance(paper, dict)}
    changes = []
    for paper in papers:
        current = by_id.get(paper.id)
        if current is None:
            existing.append(paper.as_yaml())
            changes.append(f"{paper.id}: added '{paper.title}'")
            continue
        if str(current.get("title")) != paper.title:
            changes.append(f"{paper.id}: title '{current.get('title')}' -> '{paper.title}'")
            current["title"] = paper.title
        old = [(str(a.get("name")), a.get("affiliation")) for a in current.get("authors") or []
               if isinstance(a, dict)]
        new = [(a["name"], a.get("affiliation")) for a in paper.authors]
        if old != new:
            changes.append(f"{paper.id}: authors {_names(old)} -> {_names(new)}")
            current["authors"] = paper.authors
    accepted = {paper.id for paper in papers}
    for ident in by_id:
        if ident.startswith("hotcrp-") and ident not in accepted:
            changes.append(f"{ident}: no longer accepted in this export (kept; remove it if withdrawn)")
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue(), changes


def _names(authors) -> str:
    return ", ".join(f"{n} ({a})" if a else n for n, a in authors)
