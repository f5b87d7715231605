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


def _write_atomically(path: Path, data: bytes) -> None:
    """Write a complete file or nothing: written aside, then renamed over the old one."""
    staged = path.with_name(f".{path.name}.partial")
    staged.write_bytes(data)
    os.replace(staged, path)


def _emit(text: str, output: Path | None) -> None:
    """TEXT to standard output, or to OUTPUT as a whole file."""
    if output is None:
        click.echo(text, nl=False)
    else:
        _write_atomically(output, text.encode("utf-8"))


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


@cli.group()
def export() -> None:
    """Write the program in other formats."""


@export.command("ics")
@click.argument("program", default=DEFAULT_PROGRAM, type=click.Path(path_type=Path))
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The .ics file to write (default: standard output).")
@click.option("--talks", is_flag=True, help="One event per talk too, not only per slot.")
def export_ics(program: Path, output: Path | None, talks: bool) -> None:
    """An iCalendar file (RFC 5545) of PROGRAM: one event per slot, in the program's time zone."""
    from .build import source_date_epoch
    from .calendar import calendar_bytes
    from .validate import check_program

    try:
        checked = check_program(program, str(program))
    except ProgramError as exc:
        _print_diagnostics(exc.diagnostics)
        sys.exit(1)
    data = calendar_bytes(checked.program, talks=talks, stamp=source_date_epoch(program))
    _emit(data.decode("utf-8"), output)
    if output is not None:
        click.echo(f"{output}: {data.count(b'BEGIN:VEVENT')} events", err=True)


@cli.command()
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write it (default: standard output).")
def schema(output: Path | None) -> None:
    """The JSON Schema of the program format, for editors (yaml-language-server and others)."""
    from .schema import schema_text

    _emit(schema_text(), output)


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def new(folder: Path) -> None:
    """Start a program in FOLDER: a commented program.yaml, a README and a Makefile."""
    import shutil
    from importlib.resources import files

    starter = files("booklet") / "starter"
    if folder.exists() and any(folder.iterdir()):
        click.echo(f"{folder}: error: the folder is not empty; give a new or empty folder", err=True)
        sys.exit(1)
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("program.yaml", "README.md", "Makefile"):
        with (starter / name).open("rb") as source, open(folder / name, "wb") as target:
            shutil.copyfileobj(source, target)
    schema_line = f"# yaml-language-server: $schema={_schema_reference(folder)}\n"
    text = (folder / "program.yaml").read_text(encoding="utf-8").split("\n", 1)[1]
    (folder / "program.yaml").write_text(schema_line + text, encoding="utf-8")
    click.echo(f"{folder}: program.yaml, README.md, Makefile; next: cd {folder} && make build")


def _schema_reference(folder: Path) -> str:
    """The schema beside booklet's sources when it is there (an editable install), else its id."""
    from .schema import SCHEMA_ID

    schema = Path(__file__).resolve().parent.parent / "schema" / "program.schema.json"
    return schema.as_uri() if schema.is_file() else SCHEMA_ID


@cli.group("import")
def import_() -> None:
    """Bring papers or schedules from other tools into a program file."""


@import_.command("hotcrp")
@click.argument("export", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The program file to write (default: standard output; with --merge, the merged program).")
@click.option("--merge", "merge", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="An existing program: update its papers' titles and authors, keep its schedule.")
@click.option("--name", default="Untitled Workshop", show_default=True, help="The event's name, for a new program.")
@click.option("--acronym", default=None, help="The event's acronym, for a new program.")
@click.option("--year", type=int, default=None, help="The event's year (default: this year).")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The first day, YYYY-MM-DD (default: today).")
def import_hotcrp(export: Path, output: Path | None, merge: Path | None, name: str, acronym: str | None,
                  year: int | None, day) -> None:
    """Accepted papers from a HotCRP JSON EXPORT as a program (or merged into one with --merge)."""
    from datetime import date as date_type

    from .hotcrp import merge_into, new_program, read_export

    try:
        papers = read_export(export)
        if merge is not None:
            text, changes = merge_into(merge, papers)
            for change in changes:
                click.echo(change, err=True)
            click.echo(f"{merge}: {len(changes)} change(s) from {len(papers)} accepted papers", err=True)
            output = output or merge
        else:
            when = day.date() if day else date_type.today()
            text = new_program(papers, name=name, acronym=acronym, year=year or when.year, day=when)
    except ProgramError as exc:
        _print_diagnostics(exc.diagnostics)
        sys.exit(1)
    _emit(text, output)
    if output is not None and merge is None:
        click.echo(f"{output}: {len(papers)} accepted papers; next: booklet validate {output}", err=True)


@import_.command("schedule")
@click.argument("export", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The program file to write (default: standard output).")
def import_schedule(export: Path, output: Path | None) -> None:
    """A frab / pretalx / c3voc schedule export (schedule.xml or schedule.json) as a program."""
    from .frab import program_text, read_schedule, to_program

    try:
        program = to_program(read_schedule(export), export)
    except ProgramError as exc:
        _print_diagnostics(exc.diagnostics)
        sys.exit(1)
    _emit(program_text(program), output)
    if output is None:
        return
    slots = sum(len(day["slots"]) for day in program["days"])
    click.echo(f"{output}: {len(program['days'])} day(s), {len(program['rooms'])} room(s), {slots} slots, "
               f"{len(program['papers'])} talks; next: booklet validate {output}", err=True)


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
