"""A first build lays its pages out in its first TeX pass (issue 20): the contents are predicted
from the generated LaTeX (booklet/tex/contents.py), so two passes make a cold booklet, and a
prediction that misses costs a pass, never a wrong page number."""

from __future__ import annotations

import subprocess
from pathlib import Path

from booklet.tex.contents import predicted_state, predicted_toc
from booklet.tex.engine import compile_tex


def test_the_prediction_is_every_entry_the_latex_asks_for_in_order():
    tex = "\n".join([
        r"\documentclass{article}",
        r"\begin{document}",
        r"\tableofcontents",
        r"\section{About NAIC 2025}\label{about}",
        r"\section*{Not in the contents}",
        r"% \section{A comment is no heading}",
        r"\subsection[Short]{A long {\itshape nested} title}",
        r"\subsection {Fees: 50\% off \{really\}} % a comment after it",
        r"\addtocontents{toc}{\protect\contentsline{subsection}{Session 1: Taming AI}{\thepage}{bk-slot4}}",
        r"\addcontentsline{toc}{section}{Index of People}",
        r"\sectionmark{no entry}",
        r"\end{document}",
    ])
    assert predicted_toc(tex).decode().splitlines() == [
        r"\contentsline {section}{About NAIC 2025}{0}{}%",
        r"\contentsline {subsection}{Short}{0}{}%",
        r"\contentsline {subsection}{Fees: 50\% off \{really\}}{0}{}%",
        r"\contentsline{subsection}{Session 1: Taming AI}{0}{bk-slot4}",
        r"\contentsline {section}{Index of People}{0}{}%",
    ]
    assert predicted_state(r"\documentclass{article}\begin{document}x\end{document}") == {}


# Three pages of contents push everything after them; the last page says where a label is.
_DOCUMENT = r"""\documentclass{article}
\usepackage[hidelinks]{hyperref}
\newcommand\myheading[1]{\section{#1}}
\begin{document}
\tableofcontents
\clearpage
%(sections)s
\clearpage
Last: page \pageref{last}\label{last}
\end{document}
"""


def _build(folder: Path, heading: str) -> tuple[int, str]:
    folder.mkdir()
    sections = "\n".join(f"{heading}{{Section {n}}}\nText of section {n}.\n\\clearpage" for n in range(1, 100))
    tex = _DOCUMENT % {"sections": sections}
    (folder / "doc.tex").write_text(tex, encoding="utf-8")
    run = compile_tex(folder, "doc", seed=predicted_state(tex))
    text = subprocess.run(["pdftotext", "-layout", str(run.pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return run.passes, text


def test_a_cold_build_takes_two_passes_and_a_missed_prediction_three(tmp_path):
    passes, text = _build(tmp_path / "predicted", r"\section")
    assert passes == 2
    pages = text.split("\f")[:-1]
    printed = {}  # section -> the page its contents line gives
    for line in text.splitlines():
        words = line.split()
        if len(words) == 4 and words[1] == "Section" and words[0] == words[2]:
            printed[int(words[0])] = int(words[3])
    where = {n: next(i for i, page in enumerate(pages, 1) if f"Text of section {n}." in page) for n in range(1, 100)}
    assert printed == where and where[1] > 4  # contents of several pages, every line right at once
    assert pages[-1].split() == ["Last:", "page", str(len(pages)), str(len(pages))]
    # A heading the prediction cannot see (made by a macro): one more pass, and the same document.
    missed, missed_text = _build(tmp_path / "missed", r"\myheading")
    assert missed == 3
    assert missed_text == text
