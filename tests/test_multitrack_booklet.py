"""Multi-track programs in print: the shipped SIGCOMM 2017 program and a small three-room day, built
with real pdflatex and read back (text, word positions, links), plus the layout preflight failing
on a template that prints text over text, past the margin, or links to nowhere."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from booklet.build import BuildOptions, build
from booklet.cli import cli
from booklet.pdf.text import SearchableText, page_texts

ROOT = Path(__file__).resolve().parent.parent

THREE_ROOMS = """\
name: Three Room Conference
acronym: TRC
year: 2026
timezone: Europe/Lisbon
time_format: 12h
rooms:
  - {id: a, name: Hall A}
  - {id: b, name: Hall B}
  - {id: c, name: Hall C}
tracks:
  - {id: sys, name: Systems Track, short_title: Systems}
  - {id: ws, name: Workshop on Things, short_title: WoT, kind: workshop,
     organizers: [{name: Hedy Lamarr, affiliation: Frequency Labs}]}
papers:
  - {id: p1, title: Sharding the Unshardable, authors: [{name: Ada Lovelace, affiliation: Engines}]}
  - {id: p2, title: Caches All the Way Down, authors: [{name: Alan Turing, affiliation: Bletchley}]}
  - {id: p3, title: Things That Talk, authors: [{name: Grace Hopper, affiliation: Navy}]}
  - {id: p4, title: A Poster on Posters, authors: [{name: Edsger Dijkstra, affiliation: Eindhoven}]}
days:
  - date: 2026-05-04
    title: Main Day
    slots:
      - {kind: registration, title: Registration desk, start: "08:00", end: "18:00", place: Foyer, ongoing: true}
      - {kind: keynote, title: The Opening Keynote, start: "09:00", end: "10:30", award: Turing Award,
         speakers: [{name: Barbara Liskov, affiliation: MIT}], chairs: [{name: Ada Lovelace, affiliation: Engines}]}
      - {kind: session, number: 1, title: Storage Systems, track: sys, room: a, start: "10:30", end: "11:30",
         chairs: [{name: Alan Turing, affiliation: Bletchley}],
         talks: [{paper: p1}, {paper: p2}, {title: An Invited Talk on Disks, speakers: [{name: Guest Speaker}]}]}
      - {kind: session, title: Morning of Things, track: ws, room: b, start: "10:30", end: "12:00",
         chairs: [{name: Hedy Lamarr, affiliation: Frequency Labs}],
         talks: [{paper: p3, start: "10:30", end: "11:00"}]}
      - {kind: talk, title: A Tutorial on Tapes, room: c, start: "10:30", end: "11:00",
         speakers: [{name: Katherine Johnson, affiliation: NASA}]}
      - {kind: posters, title: Poster Session, rooms: [a, c], start: "11:30", end: "13:00", note: With coffee,
         posters: [{paper: p4}]}
      - {kind: meal, title: Lunch, start: "12:00", end: "13:30", place: Terrace}
      - {kind: social, title: Night Boat Party, start: "22:00", end: "24:30", place: Harbour}
      - {kind: posters, title: Demo Boards, start: "09:00", end: "17:00", place: Foyer, ongoing: true,
         posters: [{paper: p4}]}
"""


@pytest.fixture(scope="module")
def three_rooms(tmp_path_factory):
    folder = tmp_path_factory.mktemp("three")
    (folder / "three.yaml").write_text(THREE_ROOMS, encoding="utf-8")
    build(BuildOptions(program=folder / "three.yaml", out=folder / "out", impose=False))
    reader = PdfReader(folder / "out" / "program.pdf")
    texts = page_texts(reader)
    return {"out": folder / "out", "texts": texts, "all": SearchableText("\n".join(texts)),
            "flat": " ".join(" ".join(t.split()) for t in texts)}


@pytest.fixture(scope="module")
def sigcomm(tmp_path_factory):
    out = tmp_path_factory.mktemp("sigcomm")
    result = build(BuildOptions(program=ROOT / "data" / "sigcomm2017.yaml", out=out, impose=False))
    reader = PdfReader(out / "program.pdf")
    return {"out": out, "result": result, "reader": reader, "texts": page_texts(reader)}


def word_boxes(pdf: Path, page: int) -> list[tuple[float, float, str]]:
    """(xMin, yMin, word) of every word on PAGE (1-based), from poppler."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [(float(x), float(y), w) for x, y, w in
            re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">(.*?)</word>', out)]


def test_three_rooms_grid_lines_up_what_starts_together(three_rooms):
    pdf = three_rooms["out"] / "program.pdf"
    glance = next(i for i, text in enumerate(three_rooms["texts"], 1) if "PROGRAM AT A GLANCE" in text)
    words = word_boxes(pdf, glance)
    # Columns are the rooms, in program order, side by side.
    halls = [(x, y) for x, y, w in words if w == "Hall"]
    assert len(halls) == 3 and len({y for x, y in halls}) == 1 and halls == sorted(halls), halls
    # The three 10:30 slots start on one line, in their rooms' columns, beside the time.
    starts = [y for x, y, w in words if w in ("Storage", "Morning", "Tutorial")]
    assert len(starts) == 3 and max(starts) - min(starts) < 0.5, starts
    assert any(w == "10:30" for x, y, w in words)
    # The keynote (no room) spans every column; the lunch gives way to the posters in Halls A and C.
    assert "Registration desk (Foyer)" in three_rooms["all"]


def test_three_rooms_detailed_program(three_rooms):
    text, flat = three_rooms["all"], three_rooms["flat"]
    # A day with its own title still shows its date.
    assert "Main Day Monday, 4 May 2026" in flat
    # Slots running at the same time form one block, each with its room; the workshop is elsewhere.
    assert "10:30 am–11:30 am · parallel sessions" in flat
    assert "Hall A" in text and "Systems · Session 1" in flat
    assert "Chair: Alan Turing (Bletchley)" in flat
    assert "Also today, in their own section: WoT" not in flat  # the short title is for tight places
    assert "Also today, in their own section: Workshop on Things (Hall B)" in flat
    # Untimed talks are listed in order and say so; the invited talk inside the session is printed.
    assert "Talks in this order; the program gives no times of their own." in flat
    assert "An Invited Talk on Disks" in text and "Guest Speaker" in text
    # Past midnight on the 12-hour clock; the place is printed.
    assert "10:00 pm–12:30 am Night Boat Party · Harbour" in flat
    assert "Turing Award" in text
    assert "With coffee" in text
    # A long-running item with papers is in the day's header and printed in full in the program.
    assert "9:00 am–5:00 pm · Foyer Posters Demo Boards A Poster on Posters Edsger Dijkstra (Eindhoven)" in flat


def test_three_rooms_colocated_workshop_has_its_own_section(three_rooms):
    flat = three_rooms["flat"]
    assert "CO-LOCATED WORKSHOPS" in flat
    assert "Workshop on Things Monday, 4 May 2026 · Hall B Organizers: Hedy Lamarr (Frequency Labs)" in flat


def test_three_rooms_invited_talk_has_a_section(three_rooms):
    flat = three_rooms["flat"]
    # One day: its time and room (the day is named in multi-day programs, see SIGCOMM below).
    assert "INVITED TALKS 10:30 am–11:00 am · Hall C Invited Talk A Tutorial on Tapes Katherine Johnson (NASA)" \
        in flat


def test_sigcomm_builds_with_every_layout_check_passing(sigcomm):
    reports = {r.name: r for r in sigcomm["result"].reports}
    layout = [c for c in reports["program.pdf"].checks if c.check == "layout"]
    assert [c.status for c in layout] == ["pass"]
    assert "no text over text or past the margins" in layout[0].detail
    assert len(sigcomm["reader"].pages) % 4 == 0


def test_sigcomm_monday_grid_is_two_facing_pages(sigcomm):
    texts = sigcomm["texts"]
    glance = [i for i, t in enumerate(texts, 1) if "Monday, 21 August 2017" in t and
              ("PROGRAM AT A GLANCE" in t or "Continued from the facing page" in t or "More rooms on" in t)]
    first, second = glance[0], glance[1]
    assert first % 2 == 0 and second == first + 1, glance  # a left-hand page and the one facing it
    rooms = ["Centennial Hall", "Illumination Room", "Laureate Room", "Optimist Room", "Exploration Room",
             "Tesla Room", "Faraday Room", "Shannon Room"]
    for room in rooms:  # each room is a column on exactly one of the two pages
        assert (room in texts[first - 1]) != (room in texts[second - 1]), room
    flat = " ".join(texts[first - 1].split())
    assert "8:00 am" in flat and "12:30 pm" in flat


def test_sigcomm_facts_reach_the_booklet(sigcomm):
    flat = " ".join(" ".join(t.split()) for t in sigcomm["texts"])
    text = SearchableText("\n".join(sigcomm["texts"]))
    assert "Chair: George Papen (University of California San Diego)" in flat
    assert "2016 ACM Athena Lecturer" in text
    assert "Wednesday, 23 August 2017 · 8:30 am–9:30 am · Centennial Hall" in flat
    assert "Kernel-Bypass Networks (KBNets)" in text
    assert "T4: P4→NetFPGA" in text
    sheet = next((sigcomm["out"] / "sessions").glob("*programmable-devices.pdf"))
    sheet_text = " ".join(" ".join(t.split()) for t in page_texts(PdfReader(sheet)))
    assert "The program gives no talk times" in sheet_text


OVERPRINT = r"""\#{ A cover that prints a word over the title, and one past the left margin }
\thispagestyle{bkcover}
\pdfbookmark[1]{Cover}{bk-cover}
\noindent\rlap{OVERPRINTED}\VAR{b.short_name}\par
\noindent\hspace*{-10mm}Outside\par
\clearpage
"""


def test_layout_preflight_fails_text_over_text_and_past_the_margin(tmp_path):
    program = tmp_path / "p.yaml"
    program.write_text(THREE_ROOMS, encoding="utf-8")
    mine = tmp_path / "mine" / "partials"
    mine.mkdir(parents=True)
    (mine / "cover.tex.j2").write_text(OVERPRINT, encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(program), "--out", str(tmp_path / "out"), "--no-impose",
                                      "--templates", str(tmp_path / "mine")])
    assert result.exit_code == 1
    overprinted = [line for line in result.output.splitlines() if "page 1: text printed over text:" in line]
    assert overprinted and all("'OVERPRINTED'" in line for line in overprinted), result.output
    assert "page 1: text past the left edge of the text block: 'Outside'" in result.output
    assert not (tmp_path / "out" / "program.pdf").exists()


def test_a_link_to_nowhere_fails_the_build(tmp_path):
    program = tmp_path / "p.yaml"
    program.write_text(THREE_ROOMS, encoding="utf-8")
    mine = tmp_path / "mine" / "partials"
    mine.mkdir(parents=True)
    (mine / "about.tex.j2").write_text("\\section{About}\\hyperlink{bk-nowhere}{a dangling link}\\clearpage\n")
    about = THREE_ROOMS.replace("days:", "call_for_papers: {description: [A paragraph.]}\ndays:", 1)
    program.write_text(about, encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(program), "--out", str(tmp_path / "out"), "--no-impose",
                                      "--templates", str(tmp_path / "mine")])
    assert result.exit_code == 1
    assert "a link points at 'bk-nowhere', which the document never defines" in result.output


def test_a_slot_too_long_for_any_glance_page_fails_naming_it(tmp_path):
    """Smaller type and dropped names are not enough for a title of 1,500 words: the build says which
    slot, where, and what to do, instead of printing a cell off the page."""
    endless = " ".join(["Interminable"] * 1500)
    program = tmp_path / "p.yaml"
    program.write_text(THREE_ROOMS.replace("title: Night Boat Party,", f"title: {endless},"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(program), "--out", str(tmp_path / "out"), "--no-impose"])
    assert result.exit_code == 1
    line = next(n for n, text in enumerate(program.read_text().splitlines(), 1) if "Interminable" in text)
    assert (f"{program}:{line}:9: error: days[0].slots[7]: this slot does not fit on a page of the program at a "
            "glance, even in the smallest type; give it a `short_title` (or shorten its title) [B405]") \
        in result.output, result.output
