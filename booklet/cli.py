"""The `booklet` command line. Thin on purpose: parse options, call the pipeline, print, exit.

Exit codes: 0 success, 1 a problem with the user's input or build, 2 wrong usage (click's own).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .diagnostics import ProgramError

DEFAULT_PROGRAM = "data/naic2025.yaml"


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


def main() -> None:
    try:
        cli.main(prog_name="booklet", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("booklet: interrupted", err=True)
        sys.exit(130)
