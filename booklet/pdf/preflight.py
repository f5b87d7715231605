"""Preflight: check every PDF against what the program says it must be, before anyone prints it.

The checks read the PDFs and the program, never the templates: a check passes because the file is
right, not because the code that made it ran. Each page's text is extracted once and shared by
every check that reads text. Results are plain records, so the CLI can print a table a program
chair understands and write the same results as JSON.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import threading
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import IndirectObject

from .layout import HeadingExpectation, check_layout
from .page_memo import PageMemo
from .pipes import DrainedProcess
from .readings import PageReadings
from .results import FAIL, PASS, WARN, Check
from .text import SearchableText, normalize, text_extraction

TOLERANCE = 1.0  # points

# Page sizes in PostScript points (width, height), portrait.
PAGE_SIZES = {
    "a5": (419.53, 595.28),
    "a4": (595.28, 841.89),
    "a3": (841.89, 1190.55),
    "letter": (612.0, 792.0),
    "tabloid": (792.0, 1224.0),
}


@dataclass
class FileExpectation:
    """What one output file must be. Built from the program and the build options."""

    name: str  # path relative to OUT
    kind: str  # what it is, for reports: booklet, sheets, sheet, imposed, signs, changes
    paper: str  # key of PAGE_SIZES
    landscape: bool = False
    pages: int | None = None  # exact count, when known
    page_hint: int | None = None  # the count TeX reported, not checked: lets the word boxes be read in parts
    multiple_of: int | None = None
    bookmarks: list[tuple[str, str]] = field(default_factory=list)  # (outline title, text on its page), once each
    texts: list[str] = field(default_factory=list)  # strings that must be in the text
    forbidden: list[str] = field(default_factory=list)  # strings that must not be in the text
    sources_pages: int | None = None  # imposed: the booklet's page count
    margins: tuple[float, float] | None = None  # booklet: (inner, outer) in points, for the layout check
    headings: list[HeadingExpectation] = field(default_factory=list)  # booklet: slots' headings
    sequences: list[list[str]] = field(default_factory=list)  # booklet: bookmarks printed in this order
    outline: bool = False  # check the bookmarks (the booklet)
    text_layer: bool = True  # False: pages placed from another file (imposition) carry no text of their own
    cut: bool = False  # cut from a file checked whole just before (a session's sheet): read it lightly
    version: str = ""  # the program's version, in the document information
    running_heads: bool = True  # lines on most pages are running heads; False where content repeats (door signs)
    cover: list[str] = field(default_factory=list)  # strings page 1 must print (the booklet's dates and venue)
    uris: list[str] = field(default_factory=list)  # web addresses that must be clickable links
    qr_codes: list[str] = field(default_factory=list)  # what the file's QR codes must decode to, each once or more
    images: int = 0  # distinct images (logos, photos, pages' pictures) the file must embed
    shaped: bool = False  # set by LuaLaTeX (HarfBuzz): read by both text extractors (text.ShapedTextExtraction)


@dataclass
class FileReport:
    name: str
    kind: str
    pages: int = 0
    bytes: int = 0
    paper: str = ""
    page_size_pt: list[float] = field(default_factory=list)
    sha256: str = ""
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    def as_json(self) -> dict:
        data = asdict(self)
        data["checks"] = [{k: v for k, v in asdict(c).items() if v is not None} for c in self.checks]
        return data


class ReadCache:
    """What has been read of some output files, shared by the steps that read them (a build lane,
    or `booklet check`).

    Documents by content: the build parses TeX's booklet once to impose it and checks that very
    parse (the same bytes give the same objects), rather than parsing 12,000 objects twice. Page
    texts by content stream: a session's sheet has the very pages of the combined sheets file, so
    its text is looked up instead of extracted again.
    """

    def __init__(self):
        self._documents: dict[str, PdfReader] = {}
        self._texts: dict[bytes, str] = {}
        self._lock = threading.Lock()

    def document(self, path: Path, raw: bytes | None = None, digest: str = "") -> PdfReader:
        """PATH parsed strictly (PdfReadError and friends for a broken file), once per content;
        RAW and its sha256 DIGEST when the caller has read and hashed the file already."""
        raw = path.read_bytes() if raw is None else raw
        digest = digest or hashlib.sha256(raw).hexdigest()
        with self._lock:
            if digest not in self._documents:
                self._documents[digest] = PdfReader(io.BytesIO(raw), strict=True)
            return self._documents[digest]

    @staticmethod
    def page_key(page) -> bytes | None:
        contents = page.get("/Contents")
        if contents is None:
            return None
        parts = contents.get_object()
        streams = parts if isinstance(parts, list) else [parts]
        digest = hashlib.sha256()
        for stream in streams:
            digest.update(stream.get_object()._data)
        return digest.digest()

    def texts(self, reader: PdfReader, path: Path, shaped: bool = False) -> list[str]:
        """A file's page texts, looked up when every page was read before (in another file)."""
        keys = [self.page_key(page) for page in reader.pages]
        if keys and all(key is not None and key in self._texts for key in keys):
            return [self._texts[key] for key in keys]
        texts = text_extraction(path, shaped).pages(reader)
        self._remember(keys, texts)
        return texts

    def remember_texts(self, reader: PdfReader, texts: list[str]) -> None:
        """TEXTS of READER's pages, for the files cut from it."""
        self._remember([self.page_key(page) for page in reader.pages], texts)

    def _remember(self, keys: list[bytes | None], texts: list[str]) -> None:
        for key, text in zip(keys, texts):
            if key is not None:
                self._texts[key] = text


def preflight(path: Path, expect: FileExpectation, cache: ReadCache | None = None,
              scratch: Path | None = None, memo: PageMemo | None = None) -> FileReport:
    """Every check of one file. Never raises for a bad PDF: a bad PDF is a failed check. SCRATCH: a
    folder of the build's own where the readers may keep a temporary copy (never OUT). MEMO: what
    the last build's readers found on its pages, and where this one's go (page_memo.py)."""
    cache = cache or ReadCache()
    raw = path.read_bytes() if path.exists() else b""
    report = FileReport(expect.name, expect.kind, bytes=len(raw), paper=expect.paper,
                        sha256=hashlib.sha256(raw).hexdigest())
    if not raw:
        report.checks.append(Check("parse", FAIL, "the file is missing or empty"))
        return report
    # A session's sheet is cut from the combined file, which qpdf checks and whose text is cached;
    # for the others qpdf and the readers start now and run beside pypdf's parse (or, with a memo
    # of the last build's pages, once the parse says which pages are new).
    whole = not expect.cut
    qpdf = _start_qpdf(path) if whole else None
    # A file cut from another has its text from the other's (ReadCache); its words, if its layout is
    # checked, are its own.
    read_text = whole and expect.text_layer
    readings = PageReadings(path, read_text, expect.margins is not None, expect.pages or expect.page_hint,
                            scratch, expect.shaped, memo) \
        if read_text or expect.margins is not None else None
    try:
        # A session's sheet is read once: parsed, checked and let go (203 of them would add up).
        reader = cache.document(path, raw, report.sha256) if whole else PdfReader(io.BytesIO(raw), strict=True)
        if reader.is_encrypted:  # nothing more can be read, and a printer may be forbidden to print it
            raise _Encrypted()
        report.pages = len(reader.pages)
        texts: list[str] = []
        if readings is not None:
            readings.parsed(reader)
        if read_text:
            texts = readings.texts(reader)
            cache.remember_texts(reader, texts)
        elif expect.text_layer:
            texts = cache.texts(reader, path, expect.shaped)
    except (_Encrypted, PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        report.checks.append(Check("safety", FAIL, "the file is encrypted; a printer may refuse it or be "
                                                   "forbidden to print it") if isinstance(exc, _Encrypted)
                             else Check("parse", FAIL, f"pypdf cannot read it: {exc}"))
        if readings is not None:
            readings.cancel()
        _qpdf_result(qpdf)
        return report
    report.checks.append(Check("parse", PASS, f"{report.pages} pages"))
    report.checks += check_print_safety(reader)
    if whole:
        report.checks.append(_qpdf_result(qpdf))
    size = reader.pages[0].mediabox if report.pages else None
    report.page_size_pt = [round(float(size.width), 2), round(float(size.height), 2)] if size else []
    report.checks += check_page_count(report.pages, expect)
    report.checks += check_paper(reader, expect)
    report.checks += check_fonts(reader)
    report.checks += check_metadata(reader, expect.version)
    report.checks += check_links(reader)
    if expect.outline:
        report.checks += check_outline(reader, texts, expect.bookmarks, expect.sequences)
    if expect.uris:
        report.checks += check_uris(reader, expect.uris)
    if expect.images:
        report.checks += check_images(reader, expect.images)
    if expect.qr_codes:
        from .qr import check_codes

        report.checks += check_codes(reader, path, expect.qr_codes, scratch)
    if expect.text_layer:
        report.checks += check_text(texts, expect)
    if readings is not None:
        if expect.margins is not None:
            report.checks += check_layout(reader, readings.boxes(), texts, expect.margins, expect.headings)
        else:
            readings.remember()
    return report


# --- the checks ---------------------------------------------------------------------------------


def _start_qpdf(path: Path) -> DrainedProcess | None:
    """qpdf's structural check, when qpdf is installed: a bonus, so a finding is a warning. Its
    report (a line per problem, many for a broken file) is read as it comes (pipes.py)."""
    if shutil.which("qpdf") is None:
        return None
    return DrainedProcess(["qpdf", "--check", str(path)], merge_errors=True)


def _qpdf_result(process: DrainedProcess | None) -> Check:
    if process is None:
        return Check("qpdf", WARN, "qpdf is not installed; structural check skipped")
    output, status = process.output(timeout=120)
    if status is None:
        return Check("qpdf", WARN, "qpdf --check took longer than 120 s and was stopped")
    if status == 0:
        return Check("qpdf", PASS)
    last = output.decode("utf-8", errors="replace").strip().splitlines()[-1:] or ["qpdf --check failed"]
    return Check("qpdf", WARN, last[0])


def check_page_count(pages: int, expect: FileExpectation) -> list[Check]:
    if expect.pages is not None and pages != expect.pages:
        what = "a chair sheet is one page" + (" plus three timing cards" if expect.pages == 4 else "")
        return [Check("pages", FAIL, f"{pages} pages; expected {expect.pages} ({what})")]
    if expect.multiple_of and pages % expect.multiple_of:
        return [Check("pages", FAIL, f"{pages} pages; a printed booklet needs a multiple of "
                                     f"{expect.multiple_of}")]
    if expect.sources_pages is not None:
        sides = (expect.sources_pages + 3) // 4 * 2  # padded to a multiple of 4, two pages a side
        if pages != sides:
            return [Check("pages", FAIL, f"{pages} sheet sides; {expect.sources_pages} booklet pages need "
                                         f"{sides}")]
    return [Check("pages", PASS, f"{pages} pages")]


def check_paper(reader: PdfReader, expect: FileExpectation) -> list[Check]:
    width, height = PAGE_SIZES[expect.paper]
    if expect.landscape:
        width, height = height, width
    for number, page in enumerate(reader.pages, 1):
        box = page.mediabox
        w, h = float(box.width), float(box.height)
        rotate = int(page.get("/Rotate", 0) or 0) % 360
        if rotate:
            return [Check("paper", FAIL, f"page is rotated by {rotate} degrees", number)]
        if abs(w - width) > TOLERANCE or abs(h - height) > TOLERANCE:
            return [Check("paper", FAIL, f"page is {w:.1f} x {h:.1f} pt; expected {expect.paper}"
                                         f"{' landscape' if expect.landscape else ''} "
                                         f"({width:.1f} x {height:.1f} pt)", number)]
    return [Check("paper", PASS, f"{expect.paper}{' landscape' if expect.landscape else ''}")]


def check_fonts(reader: PdfReader) -> list[Check]:
    """All fonts embedded, none Type 3: the page's own resources and every Form XObject's."""
    problems: list[Check] = []
    reported: set[str] = set()
    for number, page in enumerate(reader.pages, 1):
        for name, subtype, embedded in _page_fonts(page):
            if name in reported:
                continue
            if subtype == "/Type3":
                problems.append(Check("fonts", FAIL, f"font {name} is Type 3 (a bitmap font)", number))
                reported.add(name)
            elif not embedded:
                problems.append(Check("fonts", FAIL, f"font {name} is not embedded", number))
                reported.add(name)
    return problems or [Check("fonts", PASS, "all embedded, none Type 3")]


def _page_fonts(page):
    seen: set[int] = set()
    stack = [page.get("/Resources")]
    while stack:
        resources = stack.pop()
        if resources is None:
            continue
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            subtype = font.get("/Subtype")
            descriptor = font.get("/FontDescriptor")
            if subtype == "/Type0":
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            yield str(font.get("/BaseFont", "(unnamed)")).lstrip("/"), subtype, embedded
        for reference in (resources.get("/XObject") or {}).values():
            key = reference.idnum if isinstance(reference, IndirectObject) else id(reference)
            if key in seen:
                continue
            seen.add(key)
            xobject = reference.get_object()
            if xobject.get("/Subtype") == "/Form":
                stack.append(xobject.get("/Resources"))


def check_images(reader: PdfReader, expected: int) -> list[Check]:
    """The program's images are in the file: as many distinct image objects (a PDF image is a form)."""
    found: set[int] = set()

    def visit(resources) -> None:
        resources = resources.get_object() if resources is not None else None
        objects = resources.get("/XObject") if isinstance(resources, dict) else None
        for ref in (objects.get_object() if objects is not None else {}).values():
            if not isinstance(ref, IndirectObject) or ref.idnum in found:
                continue
            target = ref.get_object()
            if target.get("/Subtype") in ("/Image", "/Form"):
                found.add(ref.idnum)
                if target.get("/Subtype") == "/Form":
                    visit(target.get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    if len(found) < expected:
        return [Check("images", FAIL, f"{len(found)} images embedded; the program shows {expected}")]
    return [Check("images", PASS, f"{len(found)} images embedded")]


def web_links(reader: PdfReader):
    """Each annotation that opens a web address: (page index, page, annotation, address)."""
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A")
            action = action.get_object() if action is not None else None
            if isinstance(action, dict) and action.get("/S") == "/URI":
                yield number, page, annotation, str(action.get("/URI"))


def check_uris(reader: PdfReader, uris: list[str]) -> list[Check]:
    """Every web address of the program is a link somewhere in the file, to exactly that address."""
    found = {uri for _, _, _, uri in web_links(reader)}
    missing = [uri for uri in dict.fromkeys(uris) if uri not in found]
    if missing:
        return [Check("links", FAIL, f"no link to {uri}") for uri in missing[:10]]
    return [Check("links", PASS, f"{len(set(uris))} web addresses linked")]


def check_metadata(reader: PdfReader, version: str = "") -> list[Check]:
    """Title, author and subject are there; so is the program's version, when one is expected."""
    info = reader.metadata or {}
    missing = [key[1:] for key in ("/Title", "/Author", "/Subject") if not str(info.get(key) or "").strip()]
    if missing:
        return [Check("metadata", FAIL, f"{', '.join(missing)} missing from the document information")]
    if version and str(info.get("/Version") or "") != version:
        return [Check("metadata", FAIL, f"the document information gives version '{info.get('/Version') or ''}', "
                                         f"not the program's '{version}'")]
    return [Check("metadata", PASS, str(info.get("/Title")))]


class _Encrypted(Exception):
    """An encrypted file: reported as such, not as unreadable."""


def check_print_safety(reader: PdfReader) -> list[Check]:
    """What a print shop's RIP or a reader's viewer must not meet: encryption (and the printing
    restrictions it carries), JavaScript, automatic actions, attached files. booklet writes none."""
    problems = []
    root = reader.trailer["/Root"].get_object()
    names = root.get("/Names")
    names = names.get_object() if names is not None else {}
    opening = root.get("/OpenAction")
    opening = opening.get_object() if opening is not None else None
    runs = isinstance(opening, dict) and opening.get("/S") != "/GoTo"  # a page to open at is no action
    if "/JavaScript" in names or "/AA" in root or runs:
        problems.append(Check("safety", FAIL, "the file carries JavaScript or actions that run on opening"))
    if "/EmbeddedFiles" in names or any(
            annotation.get_object().get("/Subtype") == "/FileAttachment"
            for page in reader.pages for annotation in page.get("/Annots") or []):
        problems.append(Check("safety", FAIL, "the file carries attached files"))
    return problems or [Check("safety", PASS, "no encryption, JavaScript, actions or attachments")]


def check_links(reader: PdfReader) -> list[Check]:
    """Every internal link and every named destination leads to a page of this document.

    Reads the name tree and the link annotations directly (a conference booklet has thousands of
    index links): a destination is good when its first element is one of this document's pages.
    """
    pages = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages)
             if page.indirect_reference is not None}
    problems: list[Check] = []
    try:
        named = _name_tree(reader)
    except (PyPdfError, KeyError, ValueError, AttributeError, TypeError) as exc:
        return [Check("links", FAIL, f"named destinations cannot be read: {exc}")]
    for name, target in named.items():
        if _target_page(target, pages) is None:
            problems.append(Check("links", FAIL, f"named destination '{name}' leads to no page"))
    for number, page in enumerate(reader.pages, 1):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            target = annotation.get("/Dest")
            action = annotation.get("/A")
            if target is None and action is not None:
                action = action.get_object()
                if action.get("/S") != "/GoTo":
                    continue  # a web link: not ours to resolve
                target = action.get("/D")
            if target is None:
                problems.append(Check("links", FAIL, "a link without a destination", number))
                continue
            target = target.get_object() if isinstance(target, IndirectObject) else target
            if isinstance(target, (str, bytes)):
                key = target.decode("latin-1") if isinstance(target, bytes) else str(target)
                if key not in named:
                    problems.append(Check("links", FAIL, f"link to '{key}', which is not defined", number))
            elif _target_page(target, pages) is None:
                problems.append(Check("links", FAIL, "link to a page that is not in the document", number))
    return problems[:20] or [Check("links", PASS, f"{len(named)} destinations")]


def _name_tree(reader: PdfReader) -> dict[str, object]:
    """The document's named destinations (the /Dests name tree, and the older /Dests dictionary)."""
    found: dict[str, object] = {}
    root = reader.trailer["/Root"].get_object()
    old = root.get("/Dests")
    if old is not None:
        for key, value in old.get_object().items():
            found[str(key).lstrip("/")] = value
    names = root.get("/Names")
    tree = names.get_object().get("/Dests") if names is not None else None
    stack = [tree] if tree is not None else []
    while stack:
        node = stack.pop().get_object()
        for kid in node.get("/Kids") or []:
            stack.append(kid)
        pairs = node.get("/Names") or []
        for i in range(0, len(pairs) - 1, 2):
            found[str(pairs[i].get_object())] = pairs[i + 1]
    return found


def _target_page(target, pages: dict[int, int]) -> int | None:
    target = target.get_object() if isinstance(target, IndirectObject) else target
    if isinstance(target, dict):  # {/D [page /XYZ ...]}
        target = target.get("/D")
        target = target.get_object() if isinstance(target, IndirectObject) else target
    try:
        first = target[0]
    except (TypeError, IndexError, KeyError):
        return None
    if isinstance(first, IndirectObject):
        return pages.get(first.idnum)
    return None


def check_outline(reader: PdfReader, texts: list[str], bookmarks: list[tuple[str, str]],
                  sequences: list[list[str]] | None = None) -> list[Check]:
    """Each session, keynote and panel is bookmarked once, at the page where its heading is printed;
    within each of SEQUENCES (bookmarks printed one after another: a day's sessions, a workshop's,
    the keynotes) the pages never go back, so pages shuffled after the build are caught."""
    problems = []
    pages_of: dict[str, list[int]] = {}  # a title's pages, in program order (two sessions may share a title)
    found: dict[str, list] = {}
    searchable: dict[int, SearchableText] = {}  # a page holds many headings: normalise it once
    for item in _flatten(reader.outline):
        found.setdefault(normalize(item.title), []).append(item)
    expected = Counter(normalize(title) for title, _ in bookmarks)
    taken: Counter = Counter()
    for title, heading in bookmarks:
        key = normalize(title)
        items = found.get(key, [])
        taken[key] += 1
        if len(items) != expected[key]:
            if taken[key] == 1:
                times = "once" if expected[key] == 1 else f"{expected[key]} times"
                problems.append(Check("outline", FAIL, f"bookmark '{title}' appears {len(items)} times; "
                                                       f"expected {times}"))
            continue
        page = reader.get_destination_page_number(items[taken[key] - 1])
        pages_of.setdefault(key, []).append(page)
        if page not in searchable:
            searchable[page] = SearchableText(texts[page])
        if heading not in searchable[page]:
            problems.append(Check("outline", FAIL, f"bookmark '{title}' points at a page without its "
                                                   "heading", page + 1))
    for sequence in sequences or []:
        used: Counter = Counter()
        pages = []
        for title in sequence:
            key = normalize(title)
            if used[key] < len(pages_of.get(key, [])):
                pages.append((pages_of[key][used[key]], title))
            used[key] += 1
        for (before, first), (after, second) in zip(pages, pages[1:]):
            if after < before:
                problems.append(Check("outline", FAIL, f"'{second}' comes before '{first}' in the file, not after "
                                                       "it as in the program: pages out of order", after + 1))
                break
    return problems or [Check("outline", PASS, f"{len(bookmarks)} bookmarks checked, in program order")]


def _flatten(outline):
    for item in outline:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


def without_running_heads(texts: list[str]) -> str:
    """The pages' text joined as one, without the lines every page repeats (running head, date) and
    without page numbers, so that a paragraph that runs over a page break reads continuously."""
    if len(texts) < 4:
        return "\n".join(texts)
    counts: dict[str, int] = {}
    for text in texts:
        for line in {line.strip() for line in text.splitlines() if line.strip()}:
            counts[line] = counts.get(line, 0) + 1
    running = {line for line, count in counts.items() if count > len(texts) // 2}
    pages = []
    for text in texts:
        lines = [line for line in text.splitlines() if line.strip() and line.strip() not in running]
        if lines and lines[-1].strip().isdigit():
            lines.pop()
        pages.append("\n".join(lines))
    return "\n".join(pages)


def check_text(texts: list[str], expect: FileExpectation) -> list[Check]:
    problems = []
    # "??" is what LaTeX prints for a reference it cannot resolve, unless a title says it ("Is RDMA
    # Dead?? A Reality Check"): the program's own strings are taken out before looking.
    own = [" ".join(text.split()) for text in dict.fromkeys(expect.texts) if "??" in text]
    for number, text in enumerate(texts, 1):
        flat = " ".join(text.split())
        for string in own:
            flat = flat.replace(string, "")
        if "??" in flat:
            problems.append(Check("content", FAIL, "'??' printed: an unresolved reference", number))
    # The cover's dates read like the running head's, which the text of the whole file sets aside:
    # a booklet built for another day is found on page 1 alone.
    if expect.cover and texts:
        cover = SearchableText(texts[0])
        for text in expect.cover:
            if text not in cover:
                problems.append(Check("content", FAIL, f"'{text}' is not on the cover", 1))
    searchable = SearchableText(without_running_heads(texts) if expect.running_heads else "\n".join(texts))
    missing = searchable.missing(list(dict.fromkeys(expect.texts)))
    for text in missing[:10]:
        problems.append(Check("content", FAIL, f"'{text}' is in the program but not in the PDF"))
    if len(missing) > 10:
        problems.append(Check("content", FAIL, f"... and {len(missing) - 10} more program strings missing"))
    # Another session's title inside one of this file's own ("Congestion Control" in "Congestion
    # Control for AI Clusters") cannot be told apart from it: such a title, found, is no finding.
    # (The few titles found are compared with this file's own strings, joined by a character no
    # program text holds, rather than every other title of a conference with them, for each sheet.)
    found = searchable.present(list(dict.fromkeys(expect.forbidden))) if expect.forbidden else []
    mine = "\x00".join(text.casefold() for text in dict.fromkeys(expect.texts)) if found else ""
    for text in found:
        if text.casefold() not in mine:
            problems.append(Check("content", FAIL, f"'{text}' belongs to another session"))
    return problems or [Check("content", PASS, f"{len(set(expect.texts))} program strings found")]
