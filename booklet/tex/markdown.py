"""Markdown (CommonMark, parsed by markdown-it-py) as LaTeX for the booklet's free pages.

Every piece of text goes through `escape`, the one escaping of all program text, so nothing
written in a page can act as TeX: raw HTML and anything that looks like LaTeX print literally.
Headings become the page's sub-headings, links `\\bkurl` links (web and mail addresses only; any
other target prints its text alone), images `\\bkimage` of the copy in the build folder (IMAGES
maps each path as written to it; booklet/images.py checked them all before).
"""

from __future__ import annotations

from .escape import TeX, escape
from .qr import uri_hex


def image_sources(markdown: str) -> list[str]:
    """The paths of the images a Markdown text shows, as written."""
    from markdown_it import MarkdownIt

    found = []
    for token in MarkdownIt("commonmark").parse(markdown):
        for child in token.children or []:
            if child.type == "image":
                found.append(str(child.attrs.get("src", "")))
    return found


def markdown_tex(markdown: str, images: dict[str, str]) -> TeX:
    from markdown_it import MarkdownIt

    out: list[str] = []
    lists: list[str] = []
    for token in MarkdownIt("commonmark").parse(markdown.replace("\r\n", "\n")):
        kind = token.type
        if kind == "heading_open":
            out.append(r"\bkpagesubheading{")
        elif kind == "heading_close":
            out.append("}\n")
        elif kind == "paragraph_open":
            out.append("" if token.hidden else "\n")
        elif kind == "paragraph_close":
            out.append("\\par\n" if not token.hidden else "")
        elif kind in ("bullet_list_open", "ordered_list_open"):
            lists.append("itemize" if kind == "bullet_list_open" else "enumerate")
            out.append(f"\\begin{{{lists[-1]}}}\n")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            out.append(f"\\end{{{lists.pop()}}}\n")
        elif kind == "list_item_open":
            out.append(r"\item ")
        elif kind == "blockquote_open":
            out.append("\\begin{quote}\n")
        elif kind == "blockquote_close":
            out.append("\\end{quote}\n")
        elif kind == "hr":
            out.append("\\bkpagerule\n")
        elif kind in ("fence", "code_block", "html_block"):
            lines = [escape(line) for line in token.content.rstrip("\n").split("\n")]
            out.append("\\begin{bkpagecode}" + "\\\\\n".join(lines) + "\\end{bkpagecode}\n")
        elif kind == "inline":
            out.append(_inline(token.children or [], images))
    return TeX("".join(out))


def _inline(children, images: dict[str, str]) -> str:
    out: list[str] = []
    link_ends: list[str] = []
    for child in children:
        kind = child.type
        if kind == "text":
            out.append(escape(child.content))
        elif kind in ("softbreak",):
            out.append(" ")
        elif kind == "hardbreak":
            out.append("\\\\\n")
        elif kind == "code_inline":
            out.append(r"\texttt{" + escape(child.content) + "}")
        elif kind == "html_inline":
            out.append(escape(child.content))  # printed as written, never interpreted
        elif kind == "strong_open":
            out.append(r"\textbf{")
        elif kind == "em_open":
            out.append(r"\emph{")
        elif kind in ("strong_close", "em_close"):
            out.append("}")
        elif kind == "link_open":
            target = str(child.attrs.get("href", ""))
            if target.startswith(("https://", "http://", "mailto:")):
                out.append(r"\bkurl{" + uri_hex(target) + "}{")
                link_ends.append("}")
            else:
                link_ends.append("")
        elif kind == "link_close":
            out.append(link_ends.pop() if link_ends else "")
        elif kind == "image":
            source = str(child.attrs.get("src", ""))
            caption = escape("".join(c.content for c in child.children or []))
            out.append(r"\bkimage{" + images[source] + "}{" + caption + "}")
    return "".join(out)
