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

# \section{...} or \section[short]{...} (not \section*, which has no entry, nor \sectionmark), and the
# lines a document adds itself: one pattern, so that the LaTeX is read once.
_ENTRY = re.compile(r"\\(?P<level>part|chapter|section|subsection|subsubsection|paragraph|subparagraph)(?![A-Za-z@*])"
                    r"|\\(?P<added>addtocontents|addcontentsline)\s*\{toc\}")


def predicted_state(tex: str) -> dict[str, bytes]:
    """The state files (as compile_tex's seed) to start a first build of TEX from: its contents."""
    toc = predicted_toc(tex)
    return {".toc": toc} if toc else {}


def predicted_toc(tex: str) -> bytes:
    """A .toc with the entries TEX will write, page numbers 0; empty when it has none."""
    text = _without_comments(tex)
    lines = []
    # The preamble defines, the body typesets: a \section in a macro's definition is no entry.
    position = max(text.find("\\begin{document}"), 0)
    while (found := _ENTRY.search(text, position)) is not None:
        position = found.end()
        if found["level"]:
            short, position = _argument(text, position, "[")
            title, position = _argument(text, position, "{")
            if title is not None:
                lines.append(f"\\contentsline {{{found['level']}}}{{{short if short is not None else title}}}{{0}}{{}}%")
        elif found["added"] == "addtocontents":
            body, position = _argument(text, position, "{")
            if body is not None:
                lines.append(_zero_pages(body.replace("\\protect", "")))
        else:  # \addcontentsline{toc}{level}{text}
            level, position = _argument(text, position, "{")
            title, position = _argument(text, position, "{")
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


def _argument(text: str, position: int, opening: str) -> tuple[str | None, int]:
    """The argument at POSITION that OPENING starts: a {group}, braces balanced, or an optional
    [argument], which a ] inside braces does not end. Escaped braces (\\{ \\}) are text."""
    start = _skip_space(text, position)
    if start >= len(text) or text[start] != opening:
        return None, position
    depth = 0
    index = start if opening == "{" else start + 1
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2  # an escaped character or the first letter of a command
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and char == ("}" if opening == "{" else "]"):
            return text[start + 1:index], index + 1
        index += 1
    return None, position
