"""Templates are code: a user's template folder is checked before TeX runs.

TeX's own restrictions (no shell escape, paranoid openin/openout) stop \\write18 and reading or
writing files outside the build folder by name, but not everything: pdfTeX embeds any file it can
read through \\pdfobj ... file, \\pdfximage or \\pdffiledump. So the user's templates are read
first, and one that uses a file-reading primitive, or a way to spell one in disguise (catcodes, ^^
notation, \\csname, \\pdfprimitive), is refused with its file, line and why. The built-in templates
are booklet's own reviewed code (its grid macros need \\csname); a test holds them to the
file-reading rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# What a program's template never needs, with why: first what reads files, then disguises.
FILE_ACCESS = [
    (re.compile(r"\\pdfobj\b[^\n]*\bfile\b"), "\\pdfobj ... file embeds any readable file"),
    (re.compile(r"\\pdfximage\b"), "\\pdfximage embeds any readable file"),
    (re.compile(r"\\saveimageresource\b"), "\\saveimageresource (LuaTeX's \\pdfximage) embeds any readable file"),
    (re.compile(r"\\pdfextension\s*obj\b[^\n]*\bfile\b"), "\\pdfextension obj ... file embeds any readable file"),
    (re.compile(r"\\pdffiledump\b|\\pdfmdfivesum\b[^\n]*\bfile\b|\\pdffilesize\b|\\pdffilemoddate\b"),
     "reads a file's bytes or facts"),
    (re.compile(r"\\(?:input|include|InputIfFileExists|IfFileExists)\s*\{?\s*\|"), "runs a command"),
    (re.compile(r"\\(?:openin|openout|read|readline|immediate\s*\\write)\b"), "reads or writes files"),
]
DISGUISES = [
    (re.compile(r"\\(?:catcode|pdfprimitive|primitive|scantokens|csname|lccode|uccode)\b"),
     "can spell a forbidden command in disguise"),
    (re.compile(r"\^\^"), "^^ notation can spell a forbidden command in disguise"),
]
FORBIDDEN = FILE_ACCESS + DISGUISES


@dataclass(frozen=True)
class Finding:
    file: Path
    line: int
    construct: str
    why: str


def lint_template(path: Path, rules=FORBIDDEN) -> list[Finding]:
    findings = []
    text = path.read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), 1):
        code = line.split("%", 1)[0] if not line.lstrip().startswith("\\#{") else ""  # TeX comments run nothing
        for pattern, why in rules:
            match = pattern.search(code)
            if match:
                findings.append(Finding(path, number, match.group(0).strip(), why))
    return findings


def lint_folder(folder: Path) -> list[Finding]:
    """Every template and style file in FOLDER (a user's --templates), in name order."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".j2", ".sty", ".tex", ".cls"))
    return [finding for path in files for finding in lint_template(path)]
