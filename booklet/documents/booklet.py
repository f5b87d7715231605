"""The program booklet (program.pdf) and, derived from it, the booklet imposed for saddle stitching
(program-imposed.pdf)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from .. import rules
from ..diagnostics import ProgramError
from ..model import PaperSession, PlainSlot, Program
from ..papers import PAPERS
from ..pdf.finish import DocumentInfo
from ..pdf.impose import impose_file
from ..pdf.layout import HeadingExpectation
from ..pdf.preflight import PAGE_SIZES, FileExpectation
from ..views import BookletView
from . import Inputs, TexDocument, document_info

IMPOSED_FILE = "program-imposed.pdf"
IMPOSED_PAPER = {"a5": "a4", "a4": "a3", "letter": "tabloid"}  # two booklet pages side by side


class Booklet(TexDocument):
    name = "booklet"
    job = "program"
    template = "booklet.tex.j2"
    kind = "booklet"
    max_passes = 4
    paces_the_build = True
    derived_names = (IMPOSED_FILE,)

    def view(self, inputs: Inputs) -> BookletView:
        return inputs.view

    def template_context(self, inputs: Inputs, view: BookletView) -> dict:
        return {"b": view, "layout": PAPERS[inputs.options.paper], "version": inputs.version}

    def info(self, inputs: Inputs, view: BookletView) -> DocumentInfo:
        program = inputs.program
        venue = f", {program.venue}" if program.venue else ""
        # The short name and the first sessions' titles: enough for a search index, short for a big event.
        keywords = [program.short_name] + [slot.title for day in view.days for slot in day.slots if slot.label][:12]
        return document_info(inputs, title=f"{program.title}: Program",
                             subject=f"Program booklet of the {program.title}, {view.date_line}{venue}",
                             keywords=", ".join(keywords))

    def expectations(self, inputs: Inputs, view: BookletView, pages: int | None) -> list[FileExpectation]:
        paper = PAPERS[inputs.options.paper]
        result = [FileExpectation(self.file, self.kind, inputs.options.paper, multiple_of=4, page_hint=pages,
                                  bookmarks=_bookmarks(view),
                                  texts=_booklet_texts(inputs.program) + [page.title for page in view.pages]
                                  + [m.name for tier in view.sponsors for m in tier.members],
                                  margins=paper.margins_pt, headings=_headings(view), sequences=_sequences(view),
                                  outline=True, cover=[view.date_line, *([view.venue] if view.venue else [])],
                                  uris=[u for t in _talks(view) for u in (t.url, t.video_url) if u]
                                  + [m.url for tier in inputs.program.sponsors for m in tier.members if m.url]
                                  + ([view.submission_site] if view.submission_hex else []),
                                  qr_codes=[t.qr_url for t in _talks(view) if t.qr_url],
                                  images=_image_count(view))]
        if inputs.options.impose and pages:
            result.append(FileExpectation(IMPOSED_FILE, "imposed", IMPOSED_PAPER[inputs.options.paper],
                                          landscape=True, sources_pages=pages, text_layer=False))
        return result

    def after_tex(self, run, view, inputs: Inputs, source) -> None:
        """A time band of the timetable grid taller than a page cannot be printed: name its tallest slot."""
        from ..outputs import item_diagnostic

        items = list(dict.fromkeys(_GLANCE_OVERFLOW.findall(run.log)))
        if items:
            raise ProgramError([item_diagnostic(source, item, rules.GLANCE_OVERFLOW,
                                                "this slot does not fit on a page of the program at a glance, even "
                                                "in the smallest type; give it a `short_title` (or shorten its title)")
                                for item in items])

    def derive(self, lane, run, view, cache):
        if not lane.inputs.options.impose:
            return []
        with lane.phases.phase("impose"):
            width, height = PAGE_SIZES[IMPOSED_PAPER[lane.inputs.options.paper]]
            info = self.info(lane.inputs, view)
            target = lane.work / IMPOSED_FILE
            impose_file(run.pdf, run.pages, target, (height, width),  # landscape
                        replace(info, title=f"{info.title} (imposed for saddle stitching)"),
                        hashlib.sha256(run.pdf.read_bytes()).digest() + b"imposed", lambda: cache.document(run.pdf))
        return [(target, lane.out / IMPOSED_FILE)]


BOOKLET = Booklet()
_GLANCE_OVERFLOW = re.compile(r"^BOOKLET-GRID-OVERFLOW: (\S*)$", re.M)


def _image_count(view: BookletView) -> int:
    """Distinct images the booklet shows: logos, keynote photos, and the pictures of free pages."""
    names = {str(m.logo) for tier in view.sponsors for m in tier.members if m.logo}
    names |= {str(image) for day in view.days for slot in day.slots for _, image in slot.photos}
    names |= {image for page in view.pages for image in page.images}
    return len(names)


def _talks(view: BookletView):
    return [talk for day in view.days for slot in day.slots for talk in slot.talks]


def _bookmarks(view: BookletView) -> list[tuple[str, str]]:
    """Every session, poster session, keynote and panel is bookmarked under its heading, at the page
    that prints its title: (bookmark, title) pairs."""
    return [(slot.bookmark, slot.title) for day in view.days for slot in day.slots if not slot.plain]


def _sequences(view: BookletView) -> list[list[str]]:
    """Bookmarks in the order the booklet prints them, one list per part: the main program's slots
    day by day (a keynote's or panel's bookmark stands on its own page later), each co-located
    workshop's slots, then the keynotes, the invited talks and the panels."""
    main = [slot.bookmark for day in view.days for block in day.blocks for slot in block.slots
            if not slot.plain and not slot.detail_anchor]
    workshops = [[slot.bookmark for slot in track.slots if not slot.plain and not slot.detail_anchor]
                 for track in view.colocated]
    return [main, *workshops, *([s.bookmark for s in group] for group in (view.keynotes, view.talks, view.panels))]


def _headings(view: BookletView) -> list[HeadingExpectation]:
    """Each slot's heading in the detailed program (and each keynote's, talk's and panel's on its own
    page) with the first thing printed under it, which must share its page."""
    headings = []
    for slot in [s for day in view.days for s in day.slots if not s.plain]:
        first = next((text for text in (
            slot.speakers[0].name if slot.speakers else "",
            slot.chairs[0].name if slot.chairs else "",
            slot.panelists[0].name if slot.panelists else "",
            slot.talks[0].title if slot.talks else "") if text), "")
        headings.append(HeadingExpectation(slot.anchor, slot.title, first))
        if slot.detail_anchor:
            headings.append(HeadingExpectation(slot.detail_anchor, slot.title, slot.speakers[0].name
                                               if slot.speakers else ""))
    return headings


def _booklet_texts(program: Program) -> list[str]:
    """Every talk title, author, affiliation and chair, every speaker, panelist and committee member."""
    texts: list[str] = []
    used = set()
    for day in program.days:
        for slot in day.slots:
            people = slot.people()  # chairs, speakers, panelists and inline talks' speakers
            texts += [p.name for p in people] + [p.affiliation for p in people if p.affiliation]
            if not isinstance(slot, PlainSlot):
                texts.append(slot.title)
            if isinstance(slot, PaperSession):
                texts += [talk.title for talk in slot.talks if talk.title]
            used.update(paper for _, paper in slot.paper_refs())
    for paper in program.papers:
        if paper.id in used:
            texts.append(paper.title)
            texts += [a.name for a in paper.authors] + [a.affiliation for a in paper.authors if a.affiliation]
    for committee in program.committees:
        texts += [m.name for m in committee.members] + [m.affiliation for m in committee.members if m.affiliation]
    return list(dict.fromkeys(texts))

