"""What booklet tells its user while it works: a person at a terminal, a CI log, or a program.

- Standard output carries only what a command produces (a calendar, a schema, a program, a JSON
  report), so it can be piped; status lines, diagnostics and progress go to standard error.
- On a terminal a long build shows one live line (phase, TeX passes, sheets done). Piped, it
  prints one line as each phase starts, as sphinx-build and mkdocs do, so a CI log shows where a
  build is and where the time went.
- `--format json` collects the diagnostics into the one JSON document printed at the end.
- `-q` prints errors only; `-v` adds TeX passes, TeX's warnings and the time of each phase.
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import nullcontext
from dataclasses import dataclass, field

import click

from .diagnostics import Diagnostic
from .progress import LiveStatus, Phases


@dataclass
class Console:
    quiet: bool = False
    verbose: bool = False
    as_json: bool = False
    collected: list[Diagnostic] = field(default_factory=list)  # for the JSON document
    _phases_seen: set[str] = field(default_factory=set)

    def status(self, text: str) -> None:
        """A line for the person running booklet (not with -q)."""
        if not self.quiet:
            click.echo(text, err=True)

    def detail(self, text: str) -> None:
        """A line only -v asks for."""
        if self.verbose:
            click.echo(f"booklet: {text}", err=True)

    def diagnostics(self, items: list[Diagnostic]) -> None:
        """Problems found: collected for JSON, else printed (warnings not with -q)."""
        if self.as_json:
            self.collected.extend(items)
            return
        for diagnostic in items:
            if diagnostic.is_error or not self.quiet:
                click.echo(str(diagnostic), err=True)

    def emit_json(self, document: dict) -> None:
        document["diagnostics"] = [d.as_json() for d in self.collected]
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))

    # --- build progress --------------------------------------------------------------------------

    @property
    def interactive(self) -> bool:
        """A live line only for a person watching a terminal; logs and -v get whole lines."""
        return not (self.quiet or self.verbose) and sys.stderr.isatty() and not os.environ.get("CI")

    def phases(self) -> Phases:
        phases = Phases(self._phase_started)
        phases.on_note = self._note
        return phases

    def live(self, phases: Phases):
        return LiveStatus(phases) if self.interactive else nullcontext()

    def _phase_started(self, name: str) -> None:
        # One line per phase, the first time it starts (lanes enter "preflight" more than once).
        if self.quiet or self.interactive or name in self._phases_seen:
            return
        self._phases_seen.add(name)
        click.echo(f"booklet: {name}", err=True)

    def _note(self, what: str, note: str, milestone: bool) -> None:
        if milestone:
            self.detail(f"{what} {note}")
