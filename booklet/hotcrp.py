"""`booklet import hotcrp`: the accepted papers of a HotCRP JSON export as a program file.

HotCRP (Search > Download > JSON, or `batch/paperjson.php`) writes a list of papers, or one paper
object when one was selected. Each has `pid`, `title`, `authors` and a decision two ways:
`decision`, the decision's free-text name ("Accepted", "Poster", "Accept (short)"), and `status`.
Since 2023 `status` is the decision's category: `accept`, `reject`, `desk_reject`, or `submitted`
/ `draft` / `withdrawn`; older exports wrote `accepted` / `rejected`. Authors carry `given_name` /
`family_name` (older: `first` / `last`), `affiliation` and `email`.

Accepted means: status accept (or accepted), never withdrawn; without a status, a decision that
starts with "Accept". `--decision PATTERN[=WHERE]` picks decisions by name instead and says where
they go: `papers` (default), `posters` (a poster session), or `track:ID`. E-mail addresses are
read past and never written. Each paper's id is `hotcrp-PID`, so a later export can be merged:
`--merge` updates titles and authors in place and keeps the schedule and comments.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

from .exports import export_error, parse_json, read_export_bytes
from .importing import ImportLog, as_list, one_line, skeleton_program

ACCEPTED_STATUSES = {"accept", "accepted"}  # HotCRP since 2023, and before


@dataclass(frozen=True)
class DecisionRule:
    """`--decision PATTERN[=WHERE]`: decisions whose name matches PATTERN (a shell-style pattern,
    any case) are imported, as papers, as posters, or as papers of a track."""

    pattern: str
    where: str = "papers"  # "papers", "posters" or "track:ID"

    def matches(self, decision: str) -> bool:
        return fnmatchcase(decision.casefold(), self.pattern.casefold())

    @property
    def track(self) -> str | None:
        return self.where.split(":", 1)[1] if self.where.startswith("track:") else None


@dataclass
class ImportedPaper:
    pid: int
    title: str
    authors: list[dict[str, str]]
    decision: str = ""
    where: str = "papers"
    topics: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"hotcrp-{self.pid}"

    def as_yaml(self) -> dict:
        paper = {"id": self.id, "title": self.title, "authors": self.authors}
        if self.topics:
            paper["topics"] = self.topics
        if self.where.startswith("track:"):
            paper["track"] = self.where.split(":", 1)[1]
        return paper


def _author(raw: dict) -> dict[str, str]:
    given = one_line(raw.get("given_name") or raw.get("first") or raw.get("firstName"))
    family = one_line(raw.get("family_name") or raw.get("last") or raw.get("lastName"))
    name = one_line(raw.get("name")) or " ".join(part for part in (given, family) if part)
    author = {"name": name}
    if one_line(raw.get("affiliation")):
        author["affiliation"] = one_line(raw["affiliation"])
    return author  # e-mail deliberately dropped


def _decision(raw: dict) -> str:
    decision = raw.get("decision")
    return one_line(decision) if isinstance(decision, str) else ""


def _withdrawn(raw: dict) -> bool:
    return one_line(raw.get("status")).casefold() == "withdrawn" or raw.get("withdrawn") is True


def _accepted(raw: dict) -> bool:
    status = one_line(raw.get("status")).casefold()
    if status:
        return status in ACCEPTED_STATUSES
    return _decision(raw).casefold().startswith("accept")


def _topics(raw: dict) -> list[str]:
    topics = raw.get("topics")
    if isinstance(topics, dict):  # some versions wrote {"Topic name": true}
        topics = [name for name, chosen in topics.items() if chosen]
    return [one_line(t) for t in as_list(topics) if isinstance(t, str) and one_line(t)]


def _papers_of(data, path: Path) -> list:
    if isinstance(data, dict) and isinstance(data.get("papers"), list):
        return data["papers"]
    if isinstance(data, dict) and "pid" in data:  # HotCRP writes one selected paper as one object
        return [data]
    if isinstance(data, list):
        return data
    raise export_error(path, "a HotCRP export is a list of papers (Search > Download > JSON)")


def read_export(path: Path, log: ImportLog, rules: list[DecisionRule] | None = None) -> list[ImportedPaper]:
    """The papers to import, each with its decision and destination; what was left out goes to LOG."""
    data = parse_json(path, read_export_bytes(path, "a HotCRP JSON export (Search > Download > JSON)"))
    papers: list[ImportedPaper] = []
    tally: Counter = Counter()
    for index, raw in enumerate(_papers_of(data, path)):
        if not isinstance(raw, dict) or "error" in raw and "title" not in raw:
            continue
        decision = _decision(raw) or one_line(raw.get("status")) or "no decision"
        rule = next((r for r in rules if r.matches(decision)), None) if rules else None
        take = not _withdrawn(raw) and (rule is not None if rules else _accepted(raw))
        if not take:
            tally[(decision if not _withdrawn(raw) else "withdrawn", False)] += 1
            continue
        if "pid" not in raw or not one_line(raw.get("title")):
            raise export_error(path, "a paper to import has no pid or title", field=f"[{index}]")
        pid = _pid(raw["pid"], path, index)
        authors = []
        for number, raw_author in enumerate(a for a in as_list(raw.get("authors")) if isinstance(a, dict)):
            author = _author(raw_author)
            if author["name"]:
                authors.append(author)
            elif any(one_line(a.get(k)) for a in as_list(raw.get("authors")) if isinstance(a, dict)
                     for k in ("name", "given_name", "family_name", "first", "last")):
                log.note(f"paper {pid}: author {number + 1} has no name in the export (only an e-mail address?) "
                         "and is left out; add the name in HotCRP and import again", f"[{index}].authors")
        tally[(decision, bool(authors))] += 1
        if not authors:
            log.decide(f"paper {pid} '{one_line(raw['title'])}' has no author with a name and is left out; "
                       "add the names in HotCRP and import again", f"[{index}]")
            continue
        papers.append(ImportedPaper(pid, one_line(raw["title"]), authors, decision,
                                    rule.where if rule else "papers", _topics(raw)))
    seen: set[int] = set()
    for paper in papers:
        if paper.pid in seen:
            raise export_error(path, f"two papers have pid {paper.pid}; each paper's pid is unique in "
                                     "a HotCRP export", field="pid")
        seen.add(paper.pid)
    for (decision, taken), count in sorted(tally.items(), key=lambda item: (not item[0][1], item[0][0])):
        log.summary.append(f"{decision}: {count} paper(s) {'imported' if taken else 'left out'}")
    if not papers:
        wanted = "with a decision matching " + ", ".join(r.pattern for r in rules) if rules else "accepted"
        raise log.refuse(f"no paper {wanted} in this export; export all papers (search 'all' or 'dec:yes') "
                         "after the decisions are made" + ("" if rules else ", or choose decisions with --decision"))
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


def new_program(papers: list[ImportedPaper], **event) -> dict:
    """A complete, valid program holding the papers, ready for the chair to schedule them: the
    papers of each track under that track, and the poster decisions in a poster session."""
    posters = [paper.id for paper in papers if paper.where == "posters"]
    tracks = sorted({paper.where.split(":", 1)[1] for paper in papers if paper.where.startswith("track:")})
    return skeleton_program([paper.as_yaml() for paper in papers], posters, tracks, **event)


HEADER = ("# Imported from HotCRP by `booklet import hotcrp`: the accepted papers, ready to schedule.\n"
          "# Next: set the name, time zone and rooms, add sessions under days: with talks that\n"
          "# refer to the papers' ids; `booklet validate` lists the papers not yet scheduled.\n")


def merge_into(program_path: Path, papers: list[ImportedPaper]) -> tuple[str, list[str]]:
    """The program file's text with titles and authors of its HotCRP papers brought up to date, new
    accepted papers appended, and a line per change. The schedule and comments are kept."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from .yaml_out import for_round_trip

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
            existing.append(for_round_trip(paper.as_yaml()))
            changes.append(f"{paper.id}: added '{paper.title}'")
            continue
        if str(current.get("title")) != paper.title:
            changes.append(f"{paper.id}: title '{current.get('title')}' -> '{paper.title}'")
            current["title"] = for_round_trip(paper.title)
        old = [(str(a.get("name")), a.get("affiliation")) for a in current.get("authors") or []
               if isinstance(a, dict)]
        new = [(a["name"], a.get("affiliation")) for a in paper.authors]
        if old != new:
            changes.append(f"{paper.id}: authors {_names(old)} -> {_names(new)}")
            current["authors"] = for_round_trip(paper.authors)
    accepted = {paper.id for paper in papers}
    for ident in by_id:
        if ident.startswith("hotcrp-") and ident not in accepted:
            changes.append(f"{ident}: no longer accepted in this export (kept; remove it if withdrawn)")
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue(), changes


def _names(authors) -> str:
    return ", ".join(f"{n} ({a})" if a else n for n, a in authors)
