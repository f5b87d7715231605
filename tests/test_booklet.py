"""The NAIC 2025 booklet, built once with real pdflatex and inspected with pypdf.

Expected content comes from tests/seed_page.py (lines copied from the workshop's page), never from
the code under test.
"""

from __future__ import annotations

import re

from pypdf import PdfReader
from pypdf.generic import IndirectObject

from booklet.pdf.text import SearchableText
from seed_page import (COMMITTEES, IMPORTANT_DATES, KEYNOTE_ABSTRACT_ENDS, KEYNOTE_ABSTRACT_STARTS,
                       KEYNOTE_BIOGRAPHY_STARTS, PANEL_TOPIC, PANELISTS, ROOM, SLOTS, TALKS, page_people,
                       page_title)

A5 = (419.53, 595.28)


def test_builds_with_a_clean_log(naic):
    log = naic["log"]
    assert "Overfull" not in log
    assert "undefined" not in log.lower().replace("undefined references", "??"), \
        [line for line in log.splitlines() if "undefined" in line.lower()]
    assert "There were undefined references" not in log
    assert "multiply defined" not in log
    assert "Missing character" not in log
    assert naic["out"] / "program.pdf" in naic["result"].outputs
    assert not list(naic["out"].glob(".booklet-work-*")), "the work folder is removed"


def test_page_count_is_a_multiple_of_four_and_a5(naic):
    reader = naic["reader"]
    assert len(reader.pages) % 4 == 0
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width, 1), round(height, 1)) == (round(A5[0], 1), round(A5[1], 1))


def test_every_talk_title_author_and_affiliation_is_printed(naic):
    text = naic["all"]
    for _, award, title_line, author_line in TALKS:
        title, _, _ = page_title(title_line)
        assert title in text, title
        for name, affiliation in page_people(author_line):
            assert name in text, name
            assert affiliation in text, affiliation
    # Authors are grouped in the page's notation "A, B (X), C (Y)": consecutive authors at the same
    # place share one parenthesis. The page itself writes 17 of its 18 lines that way; on the KV-cache
    # paper it repeats "(China Mobile)" for two neighbours, which the booklet prints as one group.
    verbatim = 0
    for _, _, _, author_line in TALKS:
        expected = _grouped(page_people(author_line))
        assert expected in text, expected
        verbatim += expected == author_line
    assert verbatim == 17


def _grouped(people: list[tuple[str, str]]) -> str:
    groups: list[tuple[list[str], str]] = []
    for name, affiliation in people:
        if groups and groups[-1][1] == affiliation:
            groups[-1][0].append(name)
        else:
            groups.append(([name], affiliation))
    return ", ".join(f"{', '.join(names)} ({affiliation})" for names, affiliation in groups)


def test_marks_for_short_papers_awards_and_videos(naic):
    program_pages = SearchableText("\n".join(naic["texts"][4:10]))
    shorts = sum(1 for _, _, line, _ in TALKS if page_title(line)[1])
    assert "\n".join(naic["texts"]).count("Short paper") == shorts
    assert "Best Paper Award" in program_pages
    chronos_page = next(t for t in naic["texts"] if "Chronos" in t and "Best Paper Award" in t)
    assert chronos_page


def test_slots_keynotes_panel_and_committees(naic):
    text = naic["all"]
    for line in SLOTS:
        times, rest = line.split(" | ", 1)
        start, end = times.split(" — ")
        assert f"{start}–{end}" in text, times
    for start, end, bio in zip(KEYNOTE_ABSTRACT_STARTS, KEYNOTE_ABSTRACT_ENDS, KEYNOTE_BIOGRAPHY_STARTS):
        assert start in text and end in text and bio in text
    for panelist in PANELISTS:
        assert panelist in text
    assert PANEL_TOPIC in text
    for title, members in COMMITTEES.items():
        assert title in text
        for name, institution in members:
            assert name in text and institution in text, name
    for line in IMPORTANT_DATES:
        label_and_date = line.replace(" (Updated)", "")
        assert label_and_date.split(" ", 2)[-1] in text
    assert ROOM in text
    assert "Monday, 8 September 2025" in text


def test_cover_comes_first_and_contents_second(naic):
    cover, contents = SearchableText(naic["texts"][0]), naic["texts"][1]
    assert "NAIC 2025" in cover and "2nd Workshop on Networks for AI Computing (NAIC)" in cover
    assert ROOM in cover and "ACM SIGCOMM 2025, Coimbra, Portugal" in cover
    assert "CONTENTS" in contents.upper() and "Session 3: Optimizing the AI Journey" in contents


def test_at_a_glance_fits_one_page_and_links_every_row(naic):
    reader, texts = naic["reader"], naic["texts"]
    (glance,) = [i for i, t in enumerate(texts) if "PROGRAM AT A GLANCE" in t.upper()
                 and "CONTENTS" not in t.upper()]
    page_text = SearchableText(texts[glance])
    for line in SLOTS:
        times = line.split(" | ")[0].replace(" — ", "–")
        assert times in page_text
    links = _internal_links(reader, glance)
    # A title that wraps gives one link area per line, all to the same destination.
    assert len({name for name, _ in links}) == len(SLOTS)
    assert all(page > glance for _, page in links), "rows link forward into the detailed program"


def test_bookmarks_for_sections_sessions_keynotes_and_panel(naic):
    reader = naic["reader"]
    titles = _outline_titles(reader.outline)
    for number, name in [(1, "Taming AI Networking"), (2, "SimCity for AI Systems"),
                         (3, "Optimizing the AI Journey"), (4, "LLMs Without Borders"),
                         (5, "Smart Moves in AI Networking")]:
        assert f"Session {number}: {name}" in titles
    assert any(t.startswith("Keynote 1: Improving the Performance") for t in titles)
    assert any(t.startswith("Keynote 2: Cross-Layer Innovations") for t in titles)
    assert "Panel: Will AI Eat the Network… or Just Snack on It?" in titles
    for section in ["Contents", "Program at a Glance", "Detailed Program", "Keynotes", "Organizers",
                    "Index of People"]:
        assert section in titles, section


def test_bookmarks_point_at_the_page_of_their_heading(naic):
    reader, texts = naic["reader"], naic["texts"]
    for item in _flatten(reader.outline):
        title = item.title
        if title.startswith("Session "):
            page = reader.get_destination_page_number(item)
            assert title.split(": ", 1)[1] in SearchableText(texts[page]), title


def test_document_information(naic):
    info = naic["reader"].metadata
    assert info.title == "2nd Workshop on Networks for AI Computing (NAIC): Program"
    assert info.author == "Marco Canini, Chen Tian, Mario Baldi, Stefano Salsano"
    assert "Monday, 8 September 2025" in info.subject
    assert "Taming AI Networking" in info["/Keywords"]


def test_all_fonts_embedded_and_none_type3(naic):
    fonts = _fonts(naic["reader"])
    assert fonts, "fonts were found"
    for name, (subtype, embedded) in fonts.items():
        assert subtype != "/Type3", name
        assert embedded, name
    names = " ".join(fonts)
    assert "LinLibertine" in names and "LinBiolinum" in names


def test_people_index_sorted_by_family_name_with_accents_folded(naic):
    texts = naic["texts"]
    start = next(i for i, t in enumerate(texts) if "INDEX OF PEOPLE" in t.upper() and i > 2)
    index = "\n".join(texts[start:])
    entries = re.findall(r"^([^\d\n,]+), ([^\d\n]+?) [\d, ]+$", index, re.M)
    families = [family for family, _ in entries]
    assert "Bröring" in families and "Van Poucke" in families
    import unicodedata

    def folded(s):
        return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).casefold()

    assert families == sorted(families, key=folded)
    all_people = {name for _, _, _, line in TALKS for name, _ in page_people(line)}
    assert len(entries) >= len(all_people)
    # Index page numbers are links.
    assert _internal_links(naic["reader"], start)


def test_index_page_numbers_are_the_pages_where_people_appear(naic):
    texts = naic["texts"]
    start = next(i for i, t in enumerate(texts) if "INDEX OF PEOPLE" in t.upper() and i > 2)
    index = "\n".join(texts[start:])
    match = re.search(r"^Bröring, Arne ([\d, ]+)$", index, re.M)
    pages = [int(p) for p in match.group(1).split(",")]
    for page in pages:
        assert "Arne Bröring" in texts[page - 1]


def test_index_page_numbers_link_to_their_pages(naic):
    """Each number in the index of people is a link to the page it names, and nothing else is."""
    reader, texts = naic["reader"], naic["texts"]
    start = next(i for i, t in enumerate(texts) if "INDEX OF PEOPLE" in t.upper() and i > 2)
    end = next(i for i in range(start, len(texts)) if "Notes" in texts[i] or i == len(texts) - 1)
    entries = re.findall(r"^[^\d\n,]+, [^\d\n]+? ([\d, ]+)$", "\n".join(texts[start:end]), re.M)
    printed = {int(n) for numbers in entries for n in numbers.split(",")}
    linked = {(name, target) for page in range(start, end) for name, target in _internal_links(reader, page)}
    assert printed and {target + 1 for _, target in linked} == printed
    assert all(name == f"page.{target + 1}" for name, target in linked)


def _outline_titles(outline) -> list[str]:
    return [item.title for item in _flatten(outline)]


def _flatten(outline):
    for item in outline:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


def _internal_links(reader: PdfReader, page_index: int) -> list[tuple[str, int]]:
    """(destination name, target page index) of the internal links on one page."""
    targets = []
    named = reader.named_destinations
    for annot in reader.pages[page_index].get("/Annots", []) or []:
        annot = annot.get_object()
        if annot.get("/Subtype") != "/Link":
            continue
        dest = annot.get("/Dest")
        action = annot.get("/A")
        if dest is None and action is not None and action.get_object().get("/S") == "/GoTo":
            dest = action.get_object().get("/D")
        if dest is None:
            continue
        if not isinstance(dest, list):
            targets.append((str(dest), reader.get_destination_page_number(named[str(dest)])))
        else:
            page = dest[0].get_object() if isinstance(dest[0], IndirectObject) else dest[0]
            targets.append((repr(list(dest)), reader.get_page_number(page)))
    return targets


def _fonts(reader: PdfReader) -> dict[str, tuple[str, bool]]:
    """Every font used on every page, following Form XObjects."""
    found: dict[str, tuple[str, bool]] = {}

    def visit(resources, seen):
        if resources is None:
            return
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            subtype = font.get("/Subtype")
            descriptor = font.get("/FontDescriptor")
            if subtype == "/Type0":
                descendant = font["/DescendantFonts"][0].get_object()
                descriptor = descendant.get("/FontDescriptor")
            embedded = subtype == "/Type3" or (descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")))
            found[str(font.get("/BaseFont", "?"))] = (subtype, embedded)
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.idnum in seen:
                continue
            seen.add(xobject.idnum)
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"), seen)

    for page in reader.pages:
        visit(page.get("/Resources"), set())
    return found
