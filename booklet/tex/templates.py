"""The Jinja2 environment that writes LaTeX.

- LaTeX-safe delimiters: ``\\VAR{x}`` prints, ``\\BLOCK{if ...}`` controls, ``\\#{...}`` comments, so
  TeX's own braces and ``%`` never collide with Jinja's.
- Every printed value passes through `escape` (the `finalize` hook): templates cannot forget it.
  One explicit marker lets trusted LaTeX through: a `TeX` value composed by booklet's Python code,
  or, inside a template, the `latex` filter on the output of the template's own macro (whose data
  was already escaped while the macro ran). tests/test_templates.py checks that built-in templates
  use `latex` on nothing else.
- Undefined variables are errors, with the template's file and line.
- A user's template folder comes first: a file there named like a built-in one replaces it, file by
  file, and the rest still come from the built-ins.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .escape import TeX, escape

BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"


class TemplateProblem(Exception):
    """A template could not be read or rendered; carries the template file and line."""

    def __init__(self, file: str, line: int | None, message: str):
        self.file, self.line, self.message = file, line, message
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: template error: {message}")


@dataclass(frozen=True)
class TemplateSet:
    """Where templates come from: the user's folder (optional) before the built-in one."""

    user_dir: Path | None = None

    @property
    def search_path(self) -> list[Path]:
        return ([self.user_dir] if self.user_dir else []) + [BUILTIN_TEMPLATES]

    def find(self, name: str) -> Path:
        for folder in self.search_path:
            if (folder / name).is_file():
                return folder / name
        raise TemplateProblem(name, None, "no such template in " + ", ".join(map(str, self.search_path)))

    def environment(self) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(p) for p in self.search_path]),
            block_start_string=r"\BLOCK{",
            block_end_string="}",
            variable_start_string=r"\VAR{",
            variable_end_string="}",
            comment_start_string=r"\#{",
            comment_end_string="}",
            line_statement_prefix=None,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            autoescape=False,  # escaping is LaTeX's, done by finalize below
            undefined=jinja2.StrictUndefined,
            finalize=_finalize,
        )
        env.filters["latex"] = TeX
        return env

    def render(self, name: str, **context) -> str:
        try:
            template = self.environment().get_template(name)
            return template.render(**context)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateProblem(_display(exc.filename or name), exc.lineno, exc.message or str(exc)) from None
        except jinja2.TemplateNotFound as exc:
            raise TemplateProblem(str(exc.name), None, "template not found") from None
        except (jinja2.UndefinedError, TypeError, AttributeError, ValueError) as exc:
            file, line = _template_frame(sys.exc_info()[2], name)
            raise TemplateProblem(file, line, str(exc)) from None


def _finalize(value: object) -> str:
    if value is None:
        return ""
    return escape(value)


def _display(filename: str) -> str:
    try:
        return str(Path(filename).resolve().relative_to(Path.cwd()))
    except ValueError:
        return filename


def _template_frame(tb, default: str) -> tuple[str, int | None]:
    """The innermost traceback frame that is template code (Jinja maps it to template lines)."""
    found = (default, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or filename.endswith(".tex") or filename.endswith(".sty"):
            found = (_display(filename), tb.tb_lineno)
        tb = tb.tb_next
    return found
