"""The table of contents a document will have, read from its generated LaTeX before TeX runs.

A cold booklet would need three passes: the first typesets an empty contents, so every later page
sits a page or two early, the second has the contents but prints the first pass's (wrong) page
numbers, and only the third is right. Given the contents' entries before the first pass, that pass
already lays every page out where it will stay, and the second only fills in the page numbers.

The entries are what the LaTeX asks for, whoever wrote it (booklet's templates or the user's): each
sectioning command and each line added to the contents, in the order of the file. Only their size
matters for the layout: the page numbers are unknown and printed as 0 (in the contents they sit in
a box of fixed width at the right), and the entries link nowhere until the real ones replace them.
A prediction that misses (a heading made inside a macro of the user's own) costs the build one
more pass, never a wrong page: TeX writes the real contents in the first pass, and compile_tex
runs until the state files stop changing.
"""

from __future__ import annotations

import re

# \section{...} or \section[short]{...}, but not \section* (no entry) or \sectionmark.
_HEADING = re.compile(r"\\(part|chapter|section|subsection|subsubsection|paragraph|subparagraph)(?![A-Za-z@*])")
_ADDED = re.compile(r"\\addtocontents\s*\{toc\}|\\addcontentsline\s*\{toc\}")


def predicted_state(tex: str) -> dict[str, bytes]:
    """The state files (as compile_tex's seed) to start a first build of TEX from: its contents."""
    toc = predicted_toc(tex)
    return {".toc": toc} if toc else {}


def predicted_toc(tex: str) -> bytes:
    """A .toc with the entries TEX will write, page numbers 0; empty when it has none."""
    text = _without_comments(tex)
    lines = []
    # The preamble defines, the body typesets: a \section in a macro's definition is no entry.
    body = text.find("\\begin{document}")
    position = max(body, 0)
    while True:
        heading, added = _HEADING.search(text, position), _ADDED.search(text, position)
        found = min((m for m in (heading, added) if m is not None), key=lambda m: m.start(), default=None)
        if found is None:
            break
        position = found.end()
        if found is heading:
            short, position = _optional(text, position)
            title, position = _group(text, position)
            if title is not None:
                lines.append(f"\\contentsline {{{heading.group(1)}}}{{{short if short is not None else title}}}{{0}}{{}}%")
        elif found.group(0).startswith("\\addtocontents"):
            body, position = _group(text, position)
            if body is not None:
                lines.append(_zero_pages(body.replace("\\protect", "")))
        else:  # \addcontentsline{toc}{level}{text}
            level, position = _group(text, position)
            title, position = _group(text, position)
            if level is not None and title is not None:
                lines.append(f"\\contentsline {{{level}}}{{{title}}}{{0}}{{}}%")
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def _zero_pages(line: str) -> str:
    """A line the LaTeX adds itself: its \\thepage would be the page it is written on."""
    return line.replace("\\thepage", "0")


def _without_comments(tex: str) -> str:
    """TEX without its % comments (an escaped \\% is text, not a comment)."""
    return "\n".join(re.sub(r"(?<!\\)%.*", "", line) for line in tex.splitlines())


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\n":
        position += 1
    return position


def _optional(text: str, position: int) -> tuple[str | None, int]:
    """An optional [argument] at POSITION (a ] inside braces does not end it)."""
    start = _skip_space(text, position)
    if start >= len(text) or text[start] != "[":
        return None, position
    depth = 0
    index = start + 1
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2  # an escaped character or the first letter of a command
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        if char == "]" and depth == 0:
            return text[start + 1:index], index + 1
        index += 1
    return None, position


def _group(text: str, position: int) -> tuple[str | None, int]:
    """The {argument} at POSITION, braces balanced (escaped \\{ and \\} are text)."""
    start = _skip_space(text, position)
    if start >= len(text) or text[start] != "{":
        return None, position
    depth = 0
    index = start
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2  # an escaped character or the first letter of a command
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return text[start + 1:index], index + 1
        index += 1
    return None, position
