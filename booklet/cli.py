"""The `booklet` command line. Thin on purpose: parse options, call the pipeline, print, exit.

Exit codes: 0 success, 1 a problem with the user's input or build, 2 wrong usage (click's own).
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import click

from . import __version__
from .diagnostics import ProgramError

DEFAULT_PROGRAM = "data/naic2025.yaml"
PAPER_NAMES = ("a5", "a4", "letter")  # booklet.build.PAPERS; listed here to keep start-up light


def _print_diagnostics(diagnostics) -> None:
    for diagnostic in diagnostics:
        click.echo(str(diagnostic), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="booklet")
def cli() -> None:
    """Turn a workshop or conference program (YAML) into a printable booklet and chair sheets."""


@cli.command()
@click.argument("program", default=DEFAULT_PROGRAM, type=click.Path(dir_okay=True, path_type=Path))
def validate(program: Path) -> None:
    """Check PROGRAM (default data/naic2025.yaml) and print every problem with its line and column."""
    from .validate import load_and_validate

    try:
        _, report = load_and_validate(program, str(program))
    except ProgramError as exc:
        _print_diagnostics(exc.diagnostics)
        errors = sum(1 for d in exc.diagnostics if d.is_error)
        warnings = len(exc.diagnostics) - errors
        click.echo(f"{program}: {errors} error(s), {warnings} warning(s)", err=True)
        sys.exit(1)
    _print_diagnostics(report.sorted())
    click.echo(f"{program}: ok, {len(report.warnings)} warning(s)")


@cli.command()
@click.argument("program", default=DEFAULT_PROGRAM, type=click.Path(path_type=Path))
@click.option("--out", "out", default="output", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the PDFs; files there are replaced only by complete new ones.")
@click.option("--paper", type=click.Choice(sorted(PAPER_NAMES)), default="a5", show_default=True,
              help="Page size of the booklet.")
@click.option("--sheet-paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True,
              help="Page size of the chair sheets.")
@click.option("--time-cards", is_flag=True,
              help="After each chair sheet, add '5 MIN', '1 MIN' and 'TIME' cards to hold up.")
@click.option("--no-impose", is_flag=True, help="Do not write OUT/program-imposed.pdf (saddle-stitch imposition).")
@click.option("--templates", "templates", type=click.Path(path_type=Path), default=None,
              help="Folder of templates; a file named like a built-in template replaces it.")
@click.option("--keep-tex", is_flag=True, help="Keep the generated .tex and .log in OUT/build/.")
@click.option("--timeout", type=click.FloatRange(min=1), default=120, show_default=True,
              help="Seconds one pdflatex pass may take before it is stopped.")
@click.option("--force", is_flag=True, help="Rebuild even when OUT already holds what these inputs make.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", is_flag=True, help="Print each step and TeX's warnings.")
def build(program: Path, out: Path, paper: str, sheet_paper: str, time_cards: bool, no_impose: bool,
          templates: Path | None,
          keep_tex: bool, timeout: float, force: bool, quiet: bool, verbose: bool) -> None:
    """Typeset PROGRAM (default data/naic2025.yaml): OUT/program.pdf, OUT/chair-sheets.pdf and
    one OUT/sessions/NN-slug.pdf per chaired session."""
    import time

    from .build import BuildOptions
    from .build import build as run_build

    from contextlib import nullcontext

    from .progress import LiveStatus, Phases

    started = time.monotonic()
    progress = (lambda step: click.echo(f"booklet: {step}", err=True)) if verbose else (lambda _: None)
    phases = Phases(progress)
    options = BuildOptions(program=program, out=out, paper=paper, sheet_paper=sheet_paper,
                           time_cards=time_cards, impose=not no_impose, templates=templates, keep_tex=keep_tex,
                           timeout=timeout, force=force)
    live = LiveStatus(phases) if LiveStatus.wanted() and not (quiet or verbose) else nullcontext()
    try:
        with live:
            result = run_build(options, progress, phases)
    except ProgramError as exc:
        _print_diagnostics(exc.diagnostics)
        sys.exit(1)
    if result.up_to_date:
        if not quiet:
            _print_diagnostics(result.warnings)
            click.echo(f"{out}: up to date ({len(result.outputs)} files); --force rebuilds; "
                       f"{time.monotonic() - started:.1f} s")
        return
    if not quiet:
        _print_diagnostics(result.warnings)
    if verbose:
        for warning in result.tex_warnings:
            click.echo(f"booklet: TeX: {warning}", err=True)
        click.echo("booklet: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result.timings.items()),
                   err=True)
    if not quiet:
        sheets = sum(1 for p in result.outputs if p.parent.name == "sessions")
        pages = ", ".join(f"{name} {count} pages" for name, count in result.pages.items())
        click.echo(f"{out}: {pages}, {sheets} session sheets; {result.passes} TeX passes, "
                   f"{time.monotonic() - started:.1f} s")


@cli.command()
@click.option("--out", "out", default="output", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="The output folder of an earlier `booklet build`.")
@click.option("--program", "program", default=None, type=click.Path(path_type=Path),
              help="The program the folder was built from (default: the one its manifest names).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON record per file and check.")
def check(out: Path, program: Path | None, as_json: bool) -> None:
    """Preflight the PDFs in OUT against the program before anyone prints them."""
    import json

    from .checks import check_existing

    try:
        reports = check_existing(out, program)
    except ProgramError as exc:
        _print_diagnostics(exc.diagnostics)
        sys.exit(1)
    if as_json:
        records = [{"file": r.name, "check": c.check, "status": c.status, "detail": c.detail,
                    **({"page": c.page} if c.page else {})} for r in reports for c in r.checks]
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
    else:
        from .checks import report_table

        click.echo(report_table(reports))
    sys.exit(0 if all(r.ok for r in reports) else 1)


def _terminate(signum, frame):  # SIGTERM behaves like Ctrl-C: clean-up handlers run, then exit
    raise KeyboardInterrupt


def main() -> None:
    signal.signal(signal.SIGTERM, _terminate)
    try:
        cli.main(prog_name="booklet", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("booklet: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("booklet: interrupted; previous outputs are untouched", err=True)
        sys.exit(130)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"booklet: {where}{exc.strerror or exc}", err=True)
        sys.exit(1)
    except Exception as exc:  # a bug in booklet: one line for the user, the traceback on request
        if os.environ.get("BOOKLET_DEBUG"):
            raise
        click.echo(f"booklet: internal error ({type(exc).__name__}: {exc}); please report it with your "
                   "program file (set BOOKLET_DEBUG=1 for details)", err=True)
        sys.exit(1)
