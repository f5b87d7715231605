"""Preloaded preambles (booklet/tex/formats.py) and draft first passes (issue 20): each document's
packages are loaded from a TeX format kept per machine, and a cold booklet's first pass, whose page
numbers are guesses, writes no PDF. Neither may change a byte of what booklet prints, and a format
that is stale, damaged or refused by pdfTeX is made again, never trusted."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from booklet.cli import cli
from booklet.tex import formats
from booklet.tex.contents import predicted_state
from booklet.tex.engine import TexFailure, compile_tex
from booklet.tex.fonts import declarations

ROOT = Path(__file__).resolve().parent.parent
NAIC = ROOT / "data" / "naic2025.yaml"


def _build(out: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(NAIC), "--out", str(out), "--keep-tex", "-q"])
    assert result.exit_code == 0, result.output


def _pdf_files(out: Path) -> dict[str, bytes]:
    return {path.relative_to(out).as_posix(): path.read_bytes() for path in sorted(out.rglob("*.pdf"))
            if ".booklet" not in path.parts and "build" not in path.parts}


def _format_named(out: Path, job: str) -> str:
    """The format pdfTeX says it started from, on the first line of the job's log."""
    first = (out / "build" / f"{job}.log").read_text(errors="replace").splitlines()[0]
    return first.split("format=", 1)[1].split()[0]


def test_documents_start_from_their_format_and_print_the_same_bytes(tmp_path, monkeypatch):
    cache = tmp_path / "formats"
    monkeypatch.setenv("BOOKLET_FORMAT_CACHE", str(cache))

    monkeypatch.setenv("BOOKLET_PRELOAD", "0")
    _build(tmp_path / "plain")
    assert _format_named(tmp_path / "plain", "program") == "pdflatex"
    assert not cache.exists()

    monkeypatch.delenv("BOOKLET_PRELOAD")
    _build(tmp_path / "making")  # the first build on this machine dumps the formats, then starts from them
    made = {path.name: path.stat().st_mtime_ns for path in cache.glob("*.fmt")}
    assert len(made) == 3  # the booklet's, the chair sheets' and the door signs' preambles differ
    for job in ("program", "chair-sheets", "door-signs"):
        assert _format_named(tmp_path / "making", job) == f"{job}-preloaded"
    plain = _pdf_files(tmp_path / "plain")
    assert len(plain) > 5
    assert _pdf_files(tmp_path / "making") == plain

    # The next build takes the booklet's format from the cache as it is, not made again.
    work = tmp_path / "next"
    work.mkdir()
    shutil.copy(tmp_path / "making" / "build" / "program.tex", work)
    shutil.copy(ROOT / "booklet" / "templates" / "booklet.sty", work)
    (work / "booklet-fonts.tex").write_text(declarations(), encoding="utf-8")
    preload = formats.prepare(work, "program")
    assert preload is not None and (work / f"{preload.name}.fmt").stat().st_size > 1_000_000
    assert {path.name: path.stat().st_mtime_ns for path in cache.glob("*.fmt")} == made


def _small_document(work: Path, style: str = r"\newcommand\greeting{Hello}") -> None:
    work.mkdir(exist_ok=True)
    (work / "mine.sty").write_text(style + "\n", encoding="utf-8")
    (work / "doc.tex").write_text("\n".join([
        "% a comment line",
        formats.GUARD,
        r"\documentclass{article}",
        r"\usepackage{xcolor}",
        r"\usepackage{mine}",
        r"\fi",
        r"\begin{document}",
        r"\greeting\ {\color{red} world}",
        r"\end{document}",
        ""]), encoding="utf-8")


def _small_document_and_cache(tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    """A format cache of the test's own, and a work folder holding a small guarded document."""
    cache = tmp_path / "formats"
    monkeypatch.setenv("BOOKLET_FORMAT_CACHE", str(cache))
    work = tmp_path / "work"
    _small_document(work)
    return cache, work


def _entry(cache: Path) -> Path:
    [entry] = cache.glob("*.json")
    return entry


def test_a_stale_or_damaged_format_is_made_again(tmp_path, monkeypatch):
    cache, work = _small_document_and_cache(tmp_path, monkeypatch)
    cache.mkdir()
    for name, age in ((".making-stopped", 7200), (".making-writing", 60)):  # seconds ago
        (cache / name).write_bytes(b"half a format")
        os.utime(cache / name, (time.time() - age, time.time() - age))
    first = formats.prepare(work, "doc")
    assert sorted(path.name for path in cache.glob(".making-*")) == [".making-writing"]
    # LaTeX's empty write to the log, and xcolor's \color{black}: both on the first page.
    assert first is not None and first.replay == r"\write-1{}\pdfcolorstack0 push{0 g 0 G}"
    manifest = json.loads(_entry(cache).read_text())
    fmt = _entry(cache).with_suffix(".fmt")
    assert hashlib.sha256(fmt.read_bytes()).hexdigest() == manifest["fmt"]
    assert ["local", "mine.sty", hashlib.sha256((work / "mine.sty").read_bytes()).hexdigest()] in manifest["inputs"]
    assert any(record[0] == "tree" and record[1].endswith("xcolor.sty") for record in manifest["inputs"])
    # The LaTeX format the dump started from: rebuilt by TeX Live's updates, which make ours stale.
    assert any(record[0] == "tree" and record[1].endswith("pdflatex.fmt") for record in manifest["inputs"])

    fmt.write_bytes(fmt.read_bytes()[:1000])  # cut short: never loaded, made again
    assert formats.prepare(work, "doc") is not None
    assert hashlib.sha256(fmt.read_bytes()).hexdigest() == json.loads(_entry(cache).read_text())["fmt"]
    assert len(fmt.read_bytes()) > 100_000

    # One of TeX's files changed since (a package updated): made again, its record brought up to date.
    broken = json.loads(_entry(cache).read_text())
    tree = next(record for record in broken["inputs"] if record[0] == "tree")
    tree[3] += 1
    _entry(cache).write_text(json.dumps(broken))
    formats.prepare(work, "doc")
    assert json.loads(_entry(cache).read_text())["inputs"] == manifest["inputs"]

    # The user's own style file changed: the new one is what the document prints.
    _small_document(work, r"\newcommand\greeting{Bonjour}")
    preload = formats.prepare(work, "doc")
    run = compile_tex(work, "doc", preload=preload)
    assert "Bonjour world" in PdfReader(run.pdf).pages[0].extract_text()
    assert len(list(cache.glob("*.json"))) == 1  # the same preamble: one entry, replaced


def test_a_format_pdftex_refuses_is_dropped_and_the_pass_runs_without_it(tmp_path, monkeypatch):
    cache, work = _small_document_and_cache(tmp_path, monkeypatch)
    formats.prepare(work, "doc")
    # Garbage with a matching hash: what a format of another pdfTeX build would look like to us.
    garbage = b"not a format" * 1000
    manifest = json.loads(_entry(cache).read_text())
    manifest["fmt"] = hashlib.sha256(garbage).hexdigest()
    _entry(cache).write_text(json.dumps(manifest))
    _entry(cache).with_suffix(".fmt").write_bytes(garbage)
    preload = formats.prepare(work, "doc")
    assert (work / f"{preload.name}.fmt").read_bytes() == garbage
    run = compile_tex(work, "doc", preload=preload)
    assert "Hello world" in PdfReader(run.pdf).pages[0].extract_text()
    assert "format=pdflatex" in run.log.splitlines()[0]
    assert not list(cache.glob("*.json"))  # forgotten: the next build makes it again


def test_what_the_preamble_leaves_for_the_first_page_is_replayed_or_nothing_is_preloaded():
    shown = ("### vertical mode entered at line 0\n### current page:\n\\write-{}\n"
             "\\pdfcolorstack 0 push {0 g 0 G}\n\nprevdepth 0.0\n")
    assert formats._replay(shown) == r"\write-1{}\pdfcolorstack0 push{0 g 0 G}"
    assert formats._replay("### vertical mode entered at line 0\n\nprevdepth ignored\n") == ""
    with_box = "### vertical mode entered at line 0\n### current page:\n\\hbox(0.0+0.0)x0.0\nprevdepth 0.0\n"
    assert formats._replay(with_box) is None
    with_text = "### vertical mode entered at line 0\n\\write-{\\relax }\nprevdepth 0.0\n"
    assert formats._replay(with_text) is None
    assert formats._replay("no list shown") is None


def test_a_template_without_the_guard_is_not_preloaded(tmp_path, monkeypatch):
    monkeypatch.setenv("BOOKLET_FORMAT_CACHE", str(tmp_path / "formats"))
    (tmp_path / "doc.tex").write_text("\\documentclass{article}\n\\begin{document}x\\end{document}\n")
    assert formats.prepare(tmp_path, "doc") is None
    assert formats.prepare(tmp_path, "doc", engine="lualatex") is None
    assert not (tmp_path / "formats").exists()


def test_a_guessed_first_pass_writes_no_pdf_and_the_result_is_the_same(naic, tmp_path):
    """The booklet's cold first pass starts from guessed page numbers (its predicted contents) and is
    never the last: pdfTeX's draft mode lays it out without writing a PDF."""
    runs = {}
    for draft in (False, True):
        work = tmp_path / f"draft-{draft}"
        work.mkdir()
        shutil.copy(naic["out"] / "build" / "program.tex", work)
        shutil.copy(ROOT / "booklet" / "templates" / "booklet.sty", work)
        (work / "booklet-fonts.tex").write_text(declarations(), encoding="utf-8")
        tex = (work / "program.tex").read_text(encoding="utf-8")
        pdf_after_first = []
        runs[draft] = compile_tex(work, "program", max_passes=4, seed=predicted_state(tex), draft_first=draft,
                                  source_date_epoch=1767225600, trailer_id="abc",
                                  on_pass=lambda n, work=work, seen=pdf_after_first:
                                  seen.append((work / "program.pdf").exists()) if n == 2 else None)
        assert pdf_after_first == [not draft]
    assert runs[True].passes == runs[False].passes == 2
    assert runs[True].pdf.read_bytes() == runs[False].pdf.read_bytes()


def test_a_manifest_whose_replay_is_not_ours_is_never_put_on_texs_first_line(tmp_path, monkeypatch):
    cache, work = _small_document_and_cache(tmp_path, monkeypatch)
    formats.prepare(work, "doc")
    manifest = json.loads(_entry(cache).read_text())
    manifest["replay"] = r"\input{secret}"
    _entry(cache).write_text(json.dumps(manifest))
    preload = formats.prepare(work, "doc")  # the entry is not read: the format is made again
    assert preload.replay == r"\write-1{}\pdfcolorstack0 push{0 g 0 G}"
    assert "secret" not in preload.first_line() and "secret" not in _entry(cache).read_text()


def test_an_error_in_the_document_is_reported_once_and_keeps_the_format(tmp_path, monkeypatch):
    cache, work = _small_document_and_cache(tmp_path, monkeypatch)
    (work / "doc.tex").write_text((work / "doc.tex").read_text().replace(r"\greeting", r"\undefinedthing", 1))
    preload = formats.prepare(work, "doc")
    passes = []
    with pytest.raises(TexFailure, match="Undefined control sequence"):
        compile_tex(work, "doc", preload=preload, on_pass=passes.append)
    assert passes == [1]  # not run again without the format: the error is the document's
    assert _entry(cache).exists()
