"""Layout checks on the finished booklet, from where each word really landed on its page.

Only the PDF shows what TeX did, so these read the words' boxes (poppler's `pdftotext -bbox`) and
the link annotations, and fail the file, naming the page and the text, when:
- text is printed over other text (two words' boxes overlap);
- text runs past the text block into the outer or inner margin (or off the page);
- a slot's heading stands on a page without its first talk or speaker (a heading alone at a foot);
- a link lands on a page that does not hold what the link says: an index or contents page number
  that is not the page's number, or a title whose words are not on the page it opens.
"""

from __future__ import annotations

import bisect
import html
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from pypdf import PdfReader

from .pipes import DrainedProcess
from .poppler import plain_copy
from .results import FAIL, PASS, Check
from .text import SearchableText

OVERLAP_SHARE = 0.3  # of the smaller word's box: less is a kerned neighbour, more is text over text
# Points a word may stand out of the text block: microtype hangs punctuation and brackets into the
# margin (by up to a fifth of their size: four points of a cover's 38 pt "[").
MARGIN_TOLERANCE = 2.5
MARGIN_TOLERANCE_SHARE = 0.2
LINK_WORD_SHARE = 0.6  # of a link's words must be on the page it opens

_PAGE = re.compile(rb'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(rb'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
_NUMBER = re.compile(r"\d+")


class Word(NamedTuple):  # a booklet of 5,000 papers has a million: a tuple is made fastest
    x0: float
    top: float
    x1: float
    bottom: float
    text: str

    @property
    def area(self) -> float:
        return max(self.x1 - self.x0, 0.0) * max(self.bottom - self.top, 0.0)


@dataclass(frozen=True)
class PageWords:
    width: float
    height: float
    words: list[Word]


@dataclass(frozen=True)
class HeadingExpectation:
    """A slot's heading: its destination name, its title and the first thing under it."""

    destination: str
    title: str
    first_item: str


class WordBoxes:
    """`pdftotext -bbox` started at once, read when the checks need it. Poppler reads text slowly
    (two seconds for a 350-page booklet), so it reads an uncompressed copy made in SCRATCH (four
    times faster, poppler.py), and a file whose page count is known (PAGES) is read in page ranges
    by several pdftotext at once, one per core, while pypdf parses it. ONLY (page indexes, from 0,
    ascending): just those pages, the others being known from the last build (page_memo.py)."""

    PAGES_PER_PART = 50  # fewer pages than this are not worth another process
    PAGES_FOR_A_COPY = 25  # fewer pages than this are read sooner from the file itself
    MAX_PARTS = 4

    def __init__(self, path: Path, pages: int | None = None, scratch: Path | None = None,
                 only: list[int] | None = None):
        self._parts: list[tuple[DrainedProcess, int]] = []  # (reader, first page index it reads)
        self._only = only
        self._copy: Path | None = None
        self._cancelled = False
        self._lock = threading.Lock()
        # The copy takes a moment (0.07 s at 350 pages): made on a thread, so pypdf starts meanwhile.
        self._starting = threading.Thread(target=self._start, args=(path, pages, scratch), daemon=True)
        self._starting.start()

    def _ranges(self, pages: int | None) -> list[tuple[int, int | None]]:
        """(first, last) page numbers from 1, for the readers; the last of a whole file is open-ended
        (a file longer than announced is still read to its end)."""
        if self._only is None:
            parts = max(1, min(os.cpu_count() or 1, self.MAX_PARTS, (pages or 0) // self.PAGES_PER_PART))
            size = -(-(pages or 1) // parts)
            return [(1 + size * part, size * (part + 1) if part < parts - 1 else None) for part in range(parts)]
        runs: list[list[int]] = []
        for index in self._only:
            if runs and runs[-1][1] == index:
                runs[-1][1] = index + 1
            else:
                runs.append([index + 1, index + 1])
        while len(runs) > self.MAX_PARTS:  # join the two runs closest together; pages between are read for nothing
            gap = min(range(len(runs) - 1), key=lambda i: runs[i + 1][0] - runs[i][1])
            runs[gap:gap + 2] = [[runs[gap][0], runs[gap + 1][1]]]
        # A longer title moves every later page: one run of 300 pages would be read by one pdftotext
        # while the other cores wait. A run holding more than a core's share is halved.
        cores = max(1, min(os.cpu_count() or 1, self.MAX_PARTS))
        while len(runs) < self.MAX_PARTS:
            longest = max(range(len(runs)), key=lambda i: runs[i][1] - runs[i][0])
            first, last = runs[longest]
            if last - first + 1 < 2 * self.PAGES_PER_PART or (last - first + 1) * cores <= len(self._only):
                break
            middle = (first + last) // 2
            runs[longest:longest + 1] = [[first, middle], [middle + 1, last]]
        return [(first, last) for first, last in runs]

    def _start(self, path: Path, pages: int | None, scratch: Path | None) -> None:
        wanted = len(self._only) if self._only is not None else pages or self.PAGES_FOR_A_COPY
        copy = plain_copy(path, scratch) if wanted >= self.PAGES_FOR_A_COPY else None
        with self._lock:
            self._copy = copy
            if not self._cancelled:
                self._parts = [(DrainedProcess(["pdftotext", "-bbox", "-enc", "UTF-8", "-q", "-f", str(first),
                                                *(["-l", str(last)] if last is not None else []),
                                                str(copy or path), "-"]), first - 1)
                               for first, last in self._ranges(pages)]

    def pages(self) -> list[PageWords]:
        """The pages read (all, or ONLY's), in order."""
        return list(self.pages_by_index().values())

    def pages_by_index(self) -> dict[int, PageWords]:
        """The pages read, by index from 0: a range poppler could not read is missing."""
        # Read page by page from the bytes: no decoded copy of the whole output (tens of MB).
        self._starting.join()
        wanted = set(self._only) if self._only is not None else None
        found: dict[int, PageWords] = {}
        for part, first in self._parts:
            out, _ = part.output()
            for index, page in enumerate(_PAGE.finditer(out), first):
                if wanted is None or index in wanted:
                    found[index] = _page_words(page, out)
        self._remove_copy()
        return found

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
        self._starting.join()
        for part, _ in self._parts:
            part.kill()
        self._remove_copy()

    def _remove_copy(self) -> None:
        if self._copy is not None:
            self._copy.unlink(missing_ok=True)


def _page_words(page: re.Match, out: bytes) -> PageWords:
    return PageWords(float(page[1]), float(page[2]),
                     [Word(float(a), float(b), float(c), float(d),
                           html.unescape(t.decode("utf-8", errors="replace")) if b"&" in t else t.decode("utf-8", errors="replace"))
                      for a, b, c, d, t in _WORD.findall(out, page.start(3), page.end(3))])


def check_layout(reader: PdfReader, pages: list[PageWords], texts: list[str], margins: tuple[float, float],
                 headings: list[HeadingExpectation]) -> list[Check]:
    """MARGINS: (inner, outer) in points; odd pages have the inner margin on the left."""
    problems = overlapping_text(pages) + text_outside(pages, margins)
    destinations = _destination_pages(reader)
    problems += headings_alone(destinations, texts, headings)
    problems += links_landing(reader, pages, texts, destinations)
    return problems[:30] or [Check("layout", PASS, f"{len(pages)} pages: no text over text or past the "
                                                   f"margins; {len(headings)} headings with their first "
                                                   "item; links land on their pages")]


def overlapping_text(pages: list[PageWords]) -> list[Check]:
    problems = []
    for number, page in enumerate(pages, 1):
        # Words sorted by their left edge; a word is compared only with those that start before it
        # ends and stand on an overlapping line, found through a dictionary of 4-point bands.
        bands: dict[int, list[Word]] = {}
        for word in sorted(page.words, key=lambda w: w.x0):
            for band in range(int(word.top) // 4, int(word.bottom) // 4 + 1):
                bands.setdefault(band, []).append(word)
        reported = False
        for members in bands.values():
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    if b.x0 >= a.x1:
                        break  # sorted by left edge: nothing later starts inside `a`
                    if _overlap(a, b):
                        problems.append(Check("layout", FAIL, f"text printed over text: '{a.text}' and "
                                                              f"'{b.text}'", number))
                        reported = True
                        break
                if reported:
                    break
            if reported:
                break
        if len(problems) > 20:
            break
    return problems


def _overlap(a: Word, b: Word) -> bool:
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.bottom, b.bottom) - max(a.top, b.top)
    smaller = min(a.area, b.area)
    return width > 0 and height > 0 and smaller > 0 and width * height > OVERLAP_SHARE * smaller


def text_outside(pages: list[PageWords], margins: tuple[float, float]) -> list[Check]:
    inner, outer = margins
    problems = []
    for number, page in enumerate(pages, 1):
        left, right = (inner, outer) if number % 2 else (outer, inner)
        for word in page.words:
            tolerance = max(MARGIN_TOLERANCE, MARGIN_TOLERANCE_SHARE * (word.bottom - word.top))
            if word.x0 < left - tolerance or word.x1 > page.width - right + tolerance \
                    or word.top < 0 or word.bottom > page.height:
                side = "left" if word.x0 < left - tolerance else "right"
                problems.append(Check("layout", FAIL, f"text past the {side} edge of the text block: "
                                                      f"'{word.text}'", number))
                break
    return problems


def headings_alone(destinations: dict[str, int], texts: list[str],
                   headings: list[HeadingExpectation]) -> list[Check]:
    problems = []
    searchable: dict[int, SearchableText] = {}
    for heading in headings:
        page = destinations.get(heading.destination)
        if page is None:
            problems.append(Check("layout", FAIL, f"'{heading.title}' has no destination in the file"))
            continue
        if page not in searchable:
            searchable[page] = SearchableText(texts[page])
        text = searchable[page]
        if heading.first_item and heading.title in text and heading.first_item not in text:
            problems.append(Check("layout", FAIL, f"the heading '{heading.title}' ends its page; its first "
                                                  f"item '{heading.first_item}' is on the next", page + 1))
    return problems


def links_landing(reader: PdfReader, pages: list[PageWords], texts: list[str],
                  destinations: dict[str, int]) -> list[Check]:
    """Every internal link opens the page holding what it shows: a page number (index, contents,
    "page 12") is that page's number; a title's words are on that page."""
    numbers = {id(page.indirect_reference.get_object()) if page.indirect_reference else None: i
               for i, page in enumerate(reader.pages)}
    folded = [text.casefold() for text in texts]
    labels = list(reader.page_labels)
    problems = []
    for index, page in enumerate(reader.pages):
        by_middle = None
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            target = _link_target(annotation, numbers, destinations)
            if target is None or index >= len(pages):
                continue
            if by_middle is None:
                ordered = sorted(pages[index].words, key=lambda w: (w.top + w.bottom) / 2)
                by_middle = ([(w.top + w.bottom) / 2 for w in ordered], ordered)
            shown = _words_in(pages[index], annotation.get("/Rect"), by_middle)
            if not shown:
                continue
            number = next((w for w in reversed(shown) if _NUMBER.fullmatch(w)), None)
            if number is not None and (len(shown) == 1 or shown[-2].casefold() == "page"):
                if labels[target] != number:
                    problems.append(Check("layout", FAIL, f"the link '{' '.join(shown)}' opens page "
                                                          f"{labels[target]}", index + 1))
                continue
            meaningful = {w.casefold().strip(".,:;()") for w in shown if len(w) >= 4 and w.isalpha()}
            if meaningful:
                found = sum(1 for word in meaningful if word in folded[target]) / len(meaningful)
                if found < LINK_WORD_SHARE:
                    problems.append(Check("layout", FAIL, f"the link '{' '.join(shown)[:60]}' opens page "
                                                          f"{labels[target]}, which does not show it", index + 1))
    return problems


def _words_in(page: PageWords, rect, by_middle: tuple[list[float], list[Word]]) -> list[str]:
    """The words whose middle lies inside RECT (PDF coordinates); BY_MIDDLE: the page's words by
    the height of their middle (and those heights), so a link looks only at its own lines."""
    if rect is None:
        return []
    x0, y0, x1, y1 = (float(v) for v in rect)
    top, bottom = page.height - max(y0, y1), page.height - min(y0, y1)
    middles, ordered = by_middle
    words = []
    for index in range(bisect.bisect_left(middles, top), len(middles)):
        if middles[index] > bottom:
            break
        word = ordered[index]
        if min(x0, x1) <= (word.x0 + word.x1) / 2 <= max(x0, x1):
            words.append(word)
    return [w.text for w in sorted(words, key=lambda w: (w.top, w.x0))]


def _link_target(annotation, numbers: dict, destinations: dict[str, int]) -> int | None:
    """The page index a link opens: from its page object, or its named destination's page."""
    target = annotation.get("/Dest")
    action = annotation.get("/A")
    if target is None and action is not None:
        action = action.get_object()
        if action.get("/S") != "/GoTo":
            return None
        target = action.get("/D")
    if target is None:
        return None
    target = target.get_object() if hasattr(target, "get_object") else target
    if isinstance(target, (str, bytes)) or hasattr(target, "original_bytes"):
        return destinations.get(str(target))
    try:
        return numbers.get(id(target[0].get_object()))
    except (IndexError, TypeError, AttributeError):
        return None


def _destination_pages(reader: PdfReader) -> dict[str, int]:
    pages = {}
    for name, destination in reader.named_destinations.items():
        try:
            pages[str(name)] = reader.get_destination_page_number(destination)
        except Exception:  # noqa: BLE001 - a broken destination is the links check's to report
            continue
    return pages
