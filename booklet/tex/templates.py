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

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .escape import TeX, escape

BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"  # package data: wheels carry it


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

    def is_user_template(self, name: str) -> bool:
        return self.user_dir is not None and (self.user_dir / name).is_file()

    def environment(self) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=_MarkedLoader([str(p) for p in self.search_path]),
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
            raise TemplateProblem(_display(exc.filename or name), _source_line(exc.lineno),
                                  exc.message or str(exc)) from None
        except jinja2.TemplateNotFound as exc:
            raise TemplateProblem(str(exc.name), None, "template not found") from None
        except (jinja2.UndefinedError, TypeError, AttributeError, ValueError) as exc:
            file, line = _template_frame(sys.exc_info()[2], name)
            raise TemplateProblem(file, _source_line(line), str(exc)) from None

    def locate(self, tex: str, line: int) -> tuple[str, Path, int | None] | None:
        """(template name, its file, its line) that wrote line LINE of the generated TEX, if known.

        Each template's output is framed by marker comments (see _MarkedLoader); the innermost open
        frame names the template, and its line is the one whose literal text matches the generated
        line (values inserted by \\VAR may be anything).
        """
        lines = tex.splitlines()
        if not 0 < line <= len(lines):
            return None
        closed: list[str] = []
        name = None
        for number in range(line - 1, -1, -1):
            text = lines[number]
            if text.startswith(_END_MARK):
                closed.append(text[len(_END_MARK):])
            elif text.startswith(_START_MARK):
                candidate = text[len(_START_MARK):]
                if closed and closed[-1] == candidate:
                    closed.pop()
                else:
                    name = candidate
                    break
        if name is None:
            return None
        path = self.find(name)
        generated = lines[line - 1].strip()
        for number, source in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            pattern = _line_pattern(source.strip())
            if pattern and pattern.fullmatch(generated):
                return name, path, number
        return name, path, None


_START_MARK = "% template: "
_END_MARK = "% end of template: "
_JINJA_PART = re.compile(r"\\VAR\{.*?\}|\\BLOCK\{.*?\}|\\#\{.*?\}")


class _MarkedLoader(jinja2.FileSystemLoader):
    """Frames each template's output with marker comments, so a LaTeX error can be traced to the
    template that wrote the failing line. The first marker shifts Jinja's line numbers by one;
    `_source_line` takes that back."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        return f"{_START_MARK}{template}\n{source}\n{_END_MARK}{template}\n", filename, uptodate


def _source_line(line: int | None) -> int | None:
    return line - 1 if line and line > 1 else line


def _line_pattern(source: str) -> re.Pattern | None:
    """A template line as a regex over its output: literal text exact, Jinja parts anything."""
    literals = _JINJA_PART.split(source)
    if not "".join(literals).strip():
        return None  # a line of pure Jinja matches anything: useless as evidence
    return re.compile(".*".join(re.escape(part) for part in literals))


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
