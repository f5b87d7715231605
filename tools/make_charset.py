"""Regenerate booklet/tex/charset.py: the characters pdfLaTeX sets with booklet.sty, found by trying.

Each candidate character is escaped as a program's text is (so Greek and Cyrillic go into their
LGR and T2A fonts) and typeset on its own page with the booklet's own style file, once in every
face the templates use (Libertine and Biolinum, upright, bold, italic and bold italic: a name may be
a bold heading on one page and an italic author line on the next). A character is kept when its
page compiles without error, no glyph is missing from any of the fonts, every font on the page is an
embedded Type 1 font, and both text extractors (MuPDF's and poppler's, as copy and search in
readers) read exactly that character back in every face. A letter that reads back as another
(T2A's Ukrainian "і" is the Latin "i" glyph, T1's "Đ" the Icelandic "Ð") is not kept: such a
program goes to LuaLaTeX. Run: .venv/bin/python tools/make_charset.py (needs pdflatex).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from booklet.pdf.preflight import _page_fonts  # noqa: E402
from booklet.tex.escape import escape  # noqa: E402

RANGES = [(0x00A0, 0x0250), (0x0370, 0x0530), (0x1E00, 0x2000), (0x2000, 0x2070), (0x20A0, 0x20C0), (0x2100, 0x2150),
          (0x2190, 0x2200), (0x2200, 0x2300), (0x2300, 0x2400), (0x25A0, 0x2600), (0x2600, 0x2700)]
ASCII_SPECIALS = set("\\{}$&#^_%~")
FACES = [f"\\{family}\\{series}\\{shape}" for family in ("rmfamily", "sffamily")
         for series in ("mdseries", "bfseries") for shape in ("upshape", "itshape")]


def candidates() -> list[str]:
    chars = []
    for start, end in RANGES:
        for code in range(start, end):
            ch = chr(code)
            if unicodedata.category(ch) in ("Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp", "Mn", "Me", "Mc"):
                continue
            chars.append(ch)
    return chars


EXTRACTORS = (["mutool", "draw", "-q", "-F", "txt", "-o", "-"], ["pdftotext", "-enc", "UTF-8", "-q"])


def _extract(command: list[str], pdf: Path) -> list[str]:
    output = subprocess.run([*command, str(pdf)] + (["-"] if command[0] == "pdftotext" else []),
                            capture_output=True, timeout=600).stdout
    return output.decode("utf-8", errors="replace").split("\f")


def _by_code(pages: list[str]) -> dict[str, list[str]]:
    """Each page's words after its code, by the character the code names."""
    found = {}
    for page in pages:
        words = unicodedata.normalize("NFC", page).split()
        if words and re.fullmatch(r"K[0-9A-F]{4}", words[0]):
            found[chr(int(words[0][1:], 16))] = words[1:]
    return found


def try_chars(chars: list[str]) -> set[str]:
    work = Path(tempfile.mkdtemp(prefix="charset-"))
    try:
        shutil.copy(ROOT / "booklet" / "templates" / "booklet.sty", work)
        # Each page starts with its character's code, so a page that an error lost or added cannot
        # shift the pages after it onto the wrong characters.
        body = "\n".join(f"\\typeout{{CHAR {ord(ch):04X}}}K{ord(ch):04X}\\par"
                         + "".join(f"{{{face} {escape(f'X{ch}X')}}}\\par" for face in FACES) + "\\clearpage"
                         for ch in chars)
        (work / "c.tex").write_text(
            "\\documentclass{article}\\usepackage{booklet}\\newcommand\\bkshortname{}\\newcommand\\bkheaddate{}"
            "\\pagestyle{empty}\\begin{document}\n" + body + "\n\\end{document}\n", encoding="utf-8")
        subprocess.run(["pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "c.tex"], cwd=work,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
        log = (work / "c.log").read_text(errors="replace")
        bad = set()
        current = None
        for line in log.splitlines():
            match = re.match(r"CHAR ([0-9A-F]{4})", line)
            if match:
                current = chr(int(match.group(1), 16))
            elif current and (line.startswith("!") or line.startswith("Missing character")):
                bad.add(current)
        reader = PdfReader(work / "c.pdf")
        extracted = [_extract(command, work / "c.pdf") for command in EXTRACTORS]
        by_char = [_by_code(pages) for pages in extracted]
        good = set()
        for number, page in enumerate(reader.pages):
            words = extracted[0][number].split() if number < len(extracted[0]) else []
            ch = chr(int(words[0][1:], 16)) if words and re.fullmatch(r"K[0-9A-F]{4}", words[0]) else None
            if ch is None or ch in bad:
                continue
            fonts_ok = all(subtype == "/Type1" and embedded for _, subtype, embedded in _page_fonts(page))
            wanted = unicodedata.normalize("NFC", f"X{ch}X")
            if fonts_ok and all(found.get(ch) == [wanted] * len(FACES) for found in by_char):
                good.add(ch)
        return good
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    chars = candidates()
    good = sorted(try_chars(chars))
    ranges = []
    for ch in good:
        code = ord(ch)
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    lines = ",\n".join(f"    (0x{a:04X}, 0x{b:04X})" for a, b in ranges)
    (ROOT / "booklet" / "tex" / "charset.py").write_text(
        '"""Characters beyond ASCII that booklet.sty sets as real, extractable Type 1 glyphs.\n\n'
        "Generated by tools/make_charset.py, which typesets every candidate and keeps what works;\n"
        'regenerate it after changing the fonts or encodings in booklet.sty.\n"""\n\n'
        f"# {len(good)} characters, as inclusive ranges of code points.\n"
        f"TYPESET_RANGES = (\n{lines},\n)\n")
    print(f"{len(good)} of {len(chars)} candidates typeset", file=sys.stderr)


if __name__ == "__main__":
    main()
