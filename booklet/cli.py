"""The `booklet` command line. Thin on purpose: parse options, call the pipeline, print, exit.

Exit codes: 0 success, 1 a problem with the user's input or build, 2 wrong usage (click's own).
Standard output carries what a command produces; everything said to the user goes to standard
error (booklet/console.py). PROGRAM may be omitted (./program.yaml, then ./booklet.yaml) or '-'
(standard input); every `-o FILE` may be '-' (standard output).
"""

from __future__ import annotations

import os
import re
import signal
import sys
import time
from pathlib import Path

import click

from . import __version__
from .console import Console
from .diagnostics import ProgramError
from .tex.engines import CHOICES as ENGINES

PROGRAM_NAMES = ("program.yaml", "booklet.yaml")  # looked for, in this order, when PROGRAM is omitted
PAPER_NAMES = ("a5", "a4", "letter")  # booklet.build.PAPERS; listed here to keep start-up light
STDOUT = Path("-")


# --- options shared by several commands ----------------------------------------------------------


def _remember_verbosity(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    """-q and -v may stand before or after the subcommand: both land in the root context."""
    if value:
        ctx.find_root().ensure_object(dict)[param.name] = True
    return value


def verbosity(command):
    command = click.option("-v", "--verbose", is_flag=True, expose_value=False, callback=_remember_verbosity,
                           help="Also print TeX passes, TeX's warnings and the time of each phase.")(command)
    return click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=_remember_verbosity,
                        help="Print errors only.")(command)


def program_argument(command):
    return click.argument("program", required=False,
                          type=click.Path(dir_okay=True, allow_dash=True, path_type=Path))(command)


def output_option(what: str):
    return click.option("-o", "--output", "output", default=None,
                        type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
                        help=f"{what} ('-': standard output).")


def format_option(command):
    return click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
                        show_default=True, help="json: one JSON document on standard output, with every "
                                                "diagnostic and its rule code.")(command)


def strict_option(command):
    return click.option("--strict", is_flag=True,
                        help="Treat warnings as errors (exit 1), e.g. in CI.")(command)


def _type_map(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    from .schedule_import import KINDS

    mapping = {}
    for value in values:
        event_type, _, kind = value.rpartition("=")
        if not event_type.strip() or kind.strip().casefold() not in KINDS:
            raise click.BadParameter(f"'{value}' is not TYPE=KIND with KIND one of {', '.join(KINDS)}", ctx, param)
        mapping[" ".join(event_type.split()).casefold()] = kind.strip().casefold()
    return mapping


def _decision_rules(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> list:
    from .hotcrp import DecisionRule
    from .model import ID_PATTERN

    found = []
    for value in values:
        pattern, _, where = value.partition("=") if "=" in value else (value, "", "papers")
        where = where.strip() or "papers"
        track = where[6:] if where.startswith("track:") else None
        if not pattern.strip() or not (where in ("papers", "posters") or (track and re.fullmatch(ID_PATTERN, track))):
            raise click.BadParameter(f"'{value}' is not PATTERN[=WHERE] with WHERE papers, posters or track:ID "
                                     "(e.g. --decision 'Poster=posters')", ctx, param)
        found.append(DecisionRule(pattern.strip(), where))
    return found


def _finite(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if value != value:  # NaN compares false with both ends of a range, so FloatRange lets it through
        raise click.BadParameter("must be a number of seconds from 1 to 86400", ctx, param)
    return value


def _event(ctx: click.Context, param: click.Parameter, value) -> None:
    """--name, --acronym, --year and --date gathered into one `event` argument for a new program."""
    event = ctx.params.setdefault("event", {})
    if param.name == "day":
        from datetime import date

        event["day"] = value.date() if value else date.today()
        event.setdefault("year", None)
    else:
        event[param.name] = value
    if "day" in event and "year" in event and event["year"] is None:
        event["year"] = event["day"].year


def new_program_options(command):
    """The event a new program from an import describes (its name and first day)."""
    for option in reversed([
        click.option("--name", default="Untitled Workshop", show_default=True, expose_value=False,
                     callback=_event, help="The event's name, for a new program."),
        click.option("--acronym", default=None, expose_value=False, callback=_event,
                     help="The event's acronym, for a new program."),
        click.option("--year", type=click.IntRange(1900, 2999), default=None, expose_value=False, callback=_event,
                     help="The event's year (default: the year of --date)."),
        click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, expose_value=False,
                     callback=_event, help="The first day, YYYY-MM-DD (default: today)."),
    ]):
        command = option(command)
    return command


engine_option = click.option(
    "--engine", type=click.Choice(ENGINES), default="auto", show_default=True,
    help="TeX engine. auto: pdflatex when its Type 1 fonts print every character exactly (about 3x "
         "faster), else lualatex (OpenType fonts for every script, right-to-left text).")


def build_options(command):
    """The options of `build` and `watch`: what to make and where."""
    for option in reversed([
        click.option("--out", "out", default="output", show_default=True,
                     type=click.Path(file_okay=False, path_type=Path),
                     help="Folder for the PDFs; files there are replaced only by complete new ones."),
        click.option("--paper", type=click.Choice(sorted(PAPER_NAMES)), default="a5", show_default=True,
                     help="Page size of the booklet."),
        click.option("--sheet-paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True,
                     help="Page size of the chair sheets."),
        click.option("--sign-paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True,
                     help="Page size of the door signs (landscape)."),
        click.option("--since", "since", default=None, type=click.Path(dir_okay=False, exists=False, path_type=Path),
                     help="An earlier version of the program: also write OUT/changes.pdf, what changed since."),
        click.option("--time-cards", is_flag=True,
                     help="After each chair sheet, add '5 MIN', '1 MIN' and 'TIME' cards to hold up."),
        click.option("--no-impose", is_flag=True,
                     help="Do not write OUT/program-imposed.pdf (saddle-stitch imposition)."),
        click.option("--templates", "templates", type=click.Path(path_type=Path), default=None,
                     help="Folder of templates; a file named like a built-in template replaces it."),
        engine_option,
        click.option("--keep-tex", is_flag=True, help="Keep the generated .tex and .log in OUT/build/."),
        click.option("--timeout", type=click.FloatRange(min=1, max=86400), default=120, show_default=True,
                     callback=_finite, help="Seconds one TeX pass may take before it is stopped."),
        click.option("--force", is_flag=True, help="Rebuild even when OUT already holds what these inputs make."),
        click.option("--no-wait", is_flag=True,
                     help="When another build is writing to OUT, stop at once instead of waiting for it."),
        strict_option,
        verbosity,
    ]):
        command = option(command)
    return command


def console(output_format: str = "text") -> Console:
    flags = click.get_current_context().find_root().ensure_object(dict)
    if flags.get("quiet") and flags.get("verbose"):
        raise click.UsageError("-q and -v contradict each other; give one")
    return Console(quiet=flags.get("quiet", False), verbose=flags.get("verbose", False),
                   as_json=output_format == "json")


def find_program(program: Path | None, say: Console) -> Path:
    """PROGRAM as given, or the first of PROGRAM_NAMES in the current folder (said on stderr)."""
    if program is not None:
        return program
    for name in PROGRAM_NAMES:
        if Path(name).is_file():
            say.status(f"booklet: using {name}")
            return Path(name)
    looked = " and ".join(f"./{name}" for name in PROGRAM_NAMES)
    raise click.UsageError(f"no PROGRAM given, and none found here (looked for {looked}). Give a program "
                           "file, '-' to read standard input, or start one with `booklet new FOLDER`.")


def _write_atomically(path: Path, data: bytes) -> None:
    """Write a complete file or nothing: written aside, then renamed over the old one."""
    from .publish import write_file

    staged = path.with_name(f".{path.name}.partial")
    write_file(staged, data)
    os.replace(staged, path)


def _emit(text: str, output: Path | None) -> None:
    """TEXT to standard output (OUTPUT None or '-'), or to OUTPUT as a whole file."""
    if output is None or output == STDOUT:
        click.echo(text, nl=False)
    else:
        _write_atomically(output, text.encode("utf-8"))


def _to_file(output: Path | None) -> bool:
    return output is not None and output != STDOUT


def _report_failure(say: Console, error: ProgramError, document: dict | None = None) -> None:
    say.diagnostics(error.diagnostics)
    if say.as_json:
        say.emit_json({**(document or {}), "ok": False})


def _fail(say: Console, error: ProgramError, document: dict | None = None) -> None:
    _report_failure(say, error, document)
    sys.exit(1)


# --- the commands ---------------------------------------------------------------------------------


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="booklet")
@verbosity
def cli() -> None:
    """Turn a workshop or conference program (YAML) into a printable booklet and chair sheets.

    PROGRAM defaults to ./program.yaml (then ./booklet.yaml); '-' reads standard input."""


@cli.command()
@program_argument
@format_option
@strict_option
@engine_option
@verbosity
def validate(program: Path | None, output_format: str, strict: bool, engine: str) -> None:
    """Check PROGRAM and print every problem with its line, column and rule code."""
    from .load import display_name
    from .validate import check_program

    say = console(output_format)
    program = find_program(program, say)
    display = display_name(program)
    document = {"program": display, "strict": strict}
    try:
        checked = check_program(program, display, engine)
        warnings = checked.report.sorted()
        if strict and warnings:
            raise ProgramError([w.as_error() for w in warnings])
    except ProgramError as exc:
        _report_failure(say, exc, document)
        errors = sum(1 for d in exc.diagnostics if d.is_error)
        say.status(f"{display}: {errors} error(s), {len(exc.diagnostics) - errors} warning(s)")
        sys.exit(1)
    say.diagnostics(warnings)
    if say.as_json:
        say.emit_json({**document, "ok": True, "engine": checked.engine.engine, "engine_reason": checked.engine.reason})
    say.status(f"{display}: ok, {len(warnings)} warning(s); {checked.engine.engine}: {checked.engine.reason}")


@cli.command()
@program_argument
@build_options
@format_option
def build(program: Path | None, output_format: str, **options) -> None:
    """Typeset PROGRAM: OUT/program.pdf, OUT/chair-sheets.pdf, one OUT/sessions/NN-slug.pdf per
    chaired session, the imposed booklet, OUT/door-signs.pdf, a calendar and a manifest (and, with
    --since OLD, OUT/changes.pdf)."""
    say = console(output_format)
    ok = run_build(find_program(program, say), say, options)
    sys.exit(0 if ok else 1)


def run_build(program: Path, say: Console, options: dict) -> bool:
    """One build with its messages: warnings before TeX starts, progress, then a summary line.
    True when OUT holds a complete, checked set built from PROGRAM."""
    started = time.monotonic()
    from .fresh import already_built
    from .load import display_name
    from .options import BuildOptions

    settings = BuildOptions(program=program, out=options["out"], paper=options["paper"],
                            sheet_paper=options["sheet_paper"], time_cards=options["time_cards"],
                            impose=not options["no_impose"], templates=options["templates"],
                            keep_tex=options["keep_tex"], timeout=options["timeout"], force=options["force"],
                            strict=options["strict"], wait=not options["no_wait"],
                            sign_paper=options["sign_paper"], since=options["since"], engine=options["engine"])
    out = settings.out
    document = {"program": display_name(program), "out": str(out)}
    phases = say.phases()
    try:
        with say.live(phases):
            # An unchanged rebuild is answered before the build's machinery is even imported.
            result = already_built(settings, say.diagnostics)
            if result is None:
                from .build import build as build_program

                result = build_program(settings, phases=phases, on_warnings=say.diagnostics)
    except ProgramError as exc:
        _report_failure(say, exc, document)
        say.status(f"{out}: build failed; the files already there are untouched")
        return False
    seconds = time.monotonic() - started
    sheets = sum(1 for p in result.outputs if p.parent.name == "sessions")
    if say.as_json:
        engine = {"engine": result.engine.engine, "engine_reason": result.engine.reason} if result.engine else {}
        say.emit_json({**document, "ok": True, "up_to_date": result.up_to_date, "passes": result.passes, **engine,
                       "pages": result.pages, "session_sheets": sheets, "session_sheets_typeset": result.sheets_typeset,
                       "seconds": round(seconds, 2),
                       "files": [p.relative_to(out).as_posix() for p in result.outputs]})
    if result.up_to_date:
        say.status(f"{out}: up to date ({len(result.outputs)} files); --force rebuilds; {seconds:.1f} s")
        return True
    for warning in result.tex_warnings:
        say.detail(f"TeX: {warning}")
    say.detail(", ".join(f"{name} {spent:.1f} s" for name, spent in result.timings.items()))
    pages = ", ".join(f"{name} {count} page{'s' if count != 1 else ''}" for name, count in result.pages.items())
    engine = f"; {result.engine.engine}: {result.engine.reason}" if result.engine else ""
    unchanged = f" ({result.sheets_typeset} typeset, {sheets - result.sheets_typeset} unchanged)" \
        if result.sheets_typeset < sheets else ""
    passes = f"{result.passes} TeX pass{'es' if result.passes != 1 else ''}"
    say.status(f"{out}: {pages}, {sheets} session sheets{unchanged}; {passes}, {seconds:.1f} s{engine}")
    return True


@cli.command()
@program_argument
@build_options
def watch(program: Path | None, **options) -> None:
    """Build PROGRAM, then rebuild whenever it or a template changes, until Ctrl-C.

    A failed build says why and leaves the last good PDFs in OUT, so a viewer can stay open on
    OUT/program.pdf."""
    from .watch import watch_and_build

    say = console()
    program = find_program(program, say)
    if program == Path("-"):
        raise click.UsageError("watch needs a program file to watch, not standard input")
    watch_and_build(program, options["templates"], options["out"], say,
                    lambda first: run_build(program, say, {**options, "force": options["force"] and first}))


@cli.command()
@click.option("--out", "out", default="output", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="The output folder of an earlier `booklet build`.")
@click.option("--program", "program", default=None, type=click.Path(allow_dash=True, path_type=Path),
              help="The program the folder was built from (default: the one its manifest names).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON record per file and check.")
@verbosity
def check(out: Path, program: Path | None, as_json: bool) -> None:
    """Preflight the PDFs in OUT against the program before anyone prints them."""
    import json

    from .checks import check_existing, report_table

    say = console()
    try:
        reports = check_existing(out, program)
    except ProgramError as exc:
        _fail(say, exc)
        return
    if as_json:
        records = [{"file": r.name, "check": c.check, "status": c.status, "detail": c.detail,
                    **({"page": c.page} if c.page else {})} for r in reports for c in r.checks]
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
    else:
        click.echo(report_table(reports, verbose=say.verbose))
    sys.exit(0 if all(r.ok for r in reports) else 1)


@cli.group()
def export() -> None:
    """Write the program in other formats."""


@export.command("ics")
@program_argument
@output_option("The .ics file to write (default: standard output)")
@click.option("--talks", is_flag=True, help="One event per talk too, not only per slot.")
@verbosity
def export_ics(program: Path | None, output: Path | None, talks: bool) -> None:
    """An iCalendar file (RFC 5545) of PROGRAM: one event per slot, in the program's time zone."""
    from .fresh import source_date_epoch
    from .calendar import calendar_bytes
    from .load import display_name
    from .validate import check_program

    say = console()
    program = find_program(program, say)
    try:
        checked = check_program(program, display_name(program))
        stamp = source_date_epoch(program)
    except ProgramError as exc:
        _fail(say, exc)
        return
    data = calendar_bytes(checked.program, talks=talks, stamp=stamp)
    _emit(data.decode("utf-8"), output)
    if _to_file(output):
        events = data.count(b"\r\nBEGIN:VEVENT\r\n")  # lines: escaped values cannot hold a line break
        say.status(f"{output}: {events} events")


@cli.command()
@output_option("Where to write it (default: standard output)")
@verbosity
def schema(output: Path | None) -> None:
    """The JSON Schema of the program format, for editors (yaml-language-server and others)."""
    from .schema import schema_text

    _emit(schema_text(), output)


@cli.command()
@click.option("--force", is_flag=True, help="Make the cache again even when it is there.")
@verbosity
def fonts(force: bool) -> None:
    """Prepare LuaLaTeX's font cache (`make setup` runs this). Programs with characters beyond
    pdfLaTeX's fonts (Chinese, Arabic, Vietnamese...) build with LuaLaTeX, whose first run would
    otherwise scan every installed font. The cache is in $BOOKLET_FONT_CACHE, else
    $XDG_CACHE_HOME/booklet/luatex-cache; builds read it and never write it."""
    from .tex.engine import TexFailure, engine_available, font_cache_folder, font_cache_ready, warm_font_cache

    say = console()
    folder = font_cache_folder()
    if not engine_available("lualatex"):
        click.echo("booklet fonts: lualatex is not installed; run `make setup` (Debian: texlive-luatex)", err=True)
        sys.exit(1)
    if font_cache_ready(folder) and not force:
        say.status(f"{folder}: LuaLaTeX's font cache is ready")
        return
    try:
        warm_font_cache(folder)
    except TexFailure as failure:
        click.echo(f"booklet fonts: LuaLaTeX failed while making the font cache: {failure.message}", err=True)
        sys.exit(1)
    say.status(f"{folder}: LuaLaTeX's font cache made")


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@verbosity
def new(folder: Path) -> None:
    """Start a program in FOLDER: a commented program.yaml, its JSON Schema, a README and a Makefile."""
    from .starter import write_starter

    say = console()
    if folder.exists() and any(folder.iterdir()):
        click.echo(f"{folder}: error: the folder is not empty; give a new or empty folder", err=True)
        sys.exit(1)
    written = write_starter(folder)
    say.status(f"{folder}: {', '.join(written)}; next: cd {folder} && booklet build (or booklet watch)")


@cli.command()
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: one JSON document with every change.")
@output_option("FILE.pdf: the printable 'Changes since version X' sheet; another name: the text or JSON")
@click.option("--sheet-paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True,
              help="Page size of the changes sheet.")
@verbosity
def diff(old: Path, new: Path, output_format: str, output: Path | None, sheet_paper: str) -> None:
    """What changed from OLD to NEW (two versions of a program): talks added, cancelled, moved,
    retitled, their authors and presenters; sessions added, moved, renamed, re-chaired; keynote
    and panel changes; rooms renamed. In program order."""
    import json

    from .build import _since, build_changes_sheet
    from .diff import compare, report_text

    say = console()
    try:
        if output is not None and output.suffix.lower() == ".pdf":
            changes = build_changes_sheet(old, new, output, sheet_paper=sheet_paper)
            say.status(f"{output}: {len(changes)} change(s) from {old} to {new}")
            return
        before, old_version = _since(old)
        after, new_version = _since(new)
    except ProgramError as exc:
        _fail(say, exc)
        return
    changes = compare(before, after)
    if output_format == "json":
        text = json.dumps({"old": str(old), "new": str(new), "old_version": old_version, "new_version": new_version,
                           "changes": [c.as_json() for c in changes]}, indent=2, ensure_ascii=False) + "\n"
    else:
        text = report_text(changes, old_version, new_version)
    _emit(text, output)


@cli.group("import")
def import_() -> None:
    """Bring papers or schedules from other tools into a program file."""


@import_.command("hotcrp")
@click.argument("export", type=click.Path(dir_okay=False, path_type=Path))
@output_option("The program file to write (default: standard output; with --merge, the merged program)")
@click.option("--merge", "merge", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="An existing program: update its papers' titles and authors, keep its schedule.")
@click.option("--decision", "decisions", multiple=True, metavar="PATTERN[=WHERE]", callback=_decision_rules,
              help="Import the papers whose decision matches PATTERN (any case; * and ? as in file names), "
                   "as papers (WHERE=papers, the default), as posters (=posters) or in a track (=track:ID). "
                   "Repeatable; without it, the accepted papers are imported.")
@new_program_options
@verbosity
def import_hotcrp(export: Path, output: Path | None, merge: Path | None, decisions: list, event: dict) -> None:
    """Accepted papers from a HotCRP JSON EXPORT as a program (or merged into one with --merge)."""
    from .hotcrp import HEADER, merge_into, new_program, read_export

    def make(log):
        papers = read_export(export, log, decisions)
        if merge is None:
            return new_program(papers, **event)
        text, changes = merge_into(merge, papers)
        log.summary += [*changes, f"{merge}: {len(changes)} change(s) from {len(papers)} papers"]
        return text

    _run_import(export, output or merge, HEADER, make)


@import_.command("schedule")
@click.argument("export", type=click.Path(dir_okay=False, path_type=Path))
@output_option("The program file to write (default: standard output)")
@click.option("--timezone", "timezone_name", default=None, metavar="ZONE",
              help="The venue's IANA time zone, e.g. Europe/Berlin (default: the export's time_zone_name, "
                   "else the events' own UTC offsets).")
@click.option("--type-map", "type_map", multiple=True, metavar="TYPE=KIND", callback=_type_map,
              help="Make events of TYPE (the export's type, any case) slots of KIND: session, keynote, talk, "
                   "panel, lightning, break, meal, social, opening, closing, registration, other, or skip. "
                   "Repeatable.")
@click.option("--session-gap", type=click.IntRange(0, 240), default=15, show_default=True, metavar="MINUTES",
              help="Consecutive talks of one track in one room with at most this gap form one session.")
@verbosity
def import_schedule(export: Path, output: Path | None, timezone_name: str | None, type_map: dict,
                    session_gap: int) -> None:
    """A frab / pretalx / c3voc / pentabarf schedule (schedule.xml or schedule.json) as a program."""
    from .frab import read_schedule
    from .schedule_import import HEADER, to_program

    _run_import(export, output, HEADER, lambda log: to_program(
        read_schedule(export), log, timezone_name=timezone_name, type_map=type_map, session_gap=session_gap))


@import_.command("openreview")
@click.argument("notes", type=click.Path(dir_okay=False, path_type=Path))
@output_option("The program file to write (default: standard output)")
@new_program_options
@verbosity
def import_openreview(notes: Path, output: Path | None, event: dict) -> None:
    """Accepted submissions of an OpenReview venue (NOTES: its notes saved as JSON with openreview-py)."""
    from .openreview import HEADER, new_program, read_notes

    _run_import(notes, output, HEADER, lambda log: new_program(read_notes(notes, log), **event))


def _run_import(export: Path, output: Path | None, header: str, make) -> None:
    """What every import does: MAKE(log) makes the program (or, for --merge, its text) from EXPORT,
    noting what it decides in the log; an export it cannot use is reported (exit 1); then the result
    is written and checked (_finish_import)."""
    from .importing import ImportLog

    say = console()
    log = ImportLog(export)
    try:
        program = make(log)
    except ProgramError as exc:
        _fail(say, exc)
        return
    _finish_import(say, program, header, log, output)


def _finish_import(say: Console, program: dict, header: str, log, output: Path | None) -> None:
    """Write what an importer made, check it as `booklet validate` would, and say what is left to do."""
    from collections import Counter

    from .importing import finish
    from .rules import rule_name

    target = output if _to_file(output) else Path("<standard output>")
    outcome = finish(program, header, log, str(target))
    _emit(outcome.text, output)
    # The importer's notes and every error in full; the written program's warnings (gaps between
    # sessions, mostly) counted by rule: `booklet validate` lists them when the chair wants them.
    say.diagnostics([d for d in outcome.diagnostics if d.is_error or d.code.startswith("B5")])
    counts = Counter(d.code for d in outcome.diagnostics if not d.is_error and not d.code.startswith("B5"))
    if counts:
        shown = ", ".join(f"{n} {rule_name(code)} ({code})" for code, n in sorted(counts.items()))
        say.status(f"{target}: warnings: {shown}; booklet validate {target} lists them")
    for line in log.summary:
        say.status(f"{log.export}: {line}")
    if not outcome.ok:
        say.status(f"{target}: written, but it needs the decisions above before it builds; then run "
                   f"booklet validate {target}")
        sys.exit(1)
    if _to_file(output):
        say.status(f"{output}: written; next: booklet validate {output}")


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
