"""Problems found in a program file, and how they are printed.

Every check in booklet reports through `Diagnostic`, so a program chair sees one format everywhere:
``FILE:LINE:COL: error|warning: FIELD: message [CODE]`` — the form editors and CI logs already
link — or, for machines, one JSON record each (`as_json`). CODE is the stable rule code (rules.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum

from .rules import rule_name


def shortened(text: str, limit: int = 80) -> str:
    """A title as a message quotes it: whole when short, else its start and an ellipsis."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "\u2026"


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    file: str
    line: int  # 1-based; 0 when the problem belongs to the whole file
    col: int  # 1-based
    severity: Severity
    field: str  # dotted path such as days[0].slots[3].talks[1].start; "" for the whole file
    message: str
    code: str = ""  # the rule's stable code, e.g. B101 (booklet/rules.py)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}" if self.line else self.file
        what = f"{self.field}: {self.message}" if self.field else self.message
        code = f" [{self.code}]" if self.code else ""
        return f"{where}: {self.severity.value}: {what}{code}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_error(self) -> Diagnostic:
        """The same problem reported as an error (`--strict`)."""
        return replace(self, severity=Severity.ERROR)

    def as_json(self) -> dict:
        return {"file": self.file, "line": self.line, "col": self.col, "severity": self.severity.value,
                "code": self.code, "rule": rule_name(self.code), "field": self.field, "message": self.message}


@dataclass
class Report:
    """The diagnostics of one program, in the order a reader wants them: by position in the file."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        self.items.append(diagnostic)

    def extend(self, diagnostics) -> None:
        self.items.extend(diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if not d.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items), key=lambda d: (d.file, d.line, d.col, d.field, d.message))


class ProgramError(Exception):
    """A user-facing failure: the CLI prints the diagnostics and exits 1, never a traceback."""

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic | str):
        if isinstance(diagnostics, (Diagnostic, str)):
            diagnostics = [diagnostics]
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))
