"""Read a program file into plain Python data, remembering where every value was written.

PyYAML's constructor applies YAML 1.1 rules: an unquoted ``14:05`` becomes the integer 845,
``no`` becomes False and ``2025-09-08`` a date. A program must mean what its author typed, so we
stop at the node graph (``yaml.compose``) and build the data ourselves: every scalar stays the text
that was written, and only the model decides what a field's text means. Empty values and ``~`` /
``null`` become None so that optional fields can be left blank.

Reading also guards against hostile files: size, nesting depth, alias expansion ("billion laughs"),
invalid UTF-8 and duplicate keys are reported as diagnostics instead of hanging or crashing.
"""

from __future__ import annotations

import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import unicodedata

import yaml

from . import rules
from .diagnostics import Diagnostic, ProgramError, Severity
from .tex.unicode import CONTROL_CHARACTER, INVISIBLE_CHARACTER, describe, is_invisible

MAX_FILE_BYTES = 5 * 1024 * 1024  # a 1,500-paper conference program is well under 2 MB
MAX_NODES = 500_000  # values after alias expansion; stops alias bombs long before memory does
MAX_DEPTH = 64  # a program is about 8 levels deep; deeper input is garbage or an attack

_NULL_TAG = "tag:yaml.org,2002:null"
# libyaml's composer is some 25 times faster and refuses nesting deeper than 1000 levels itself.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path_ = tuple  # a location in the data: ("days", 0, "slots", 3, "title")


@dataclass
class SourceMap:
    """Where each value (and each mapping key) stands in the file, as 1-based line and column."""

    file: str
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """The position of `path`, or of its nearest written ancestor when it is absent."""
        table = self.keys if key else self.values
        path = tuple(path)
        while path:
            if path in table:
                return table[path]
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))

    def diagnostic(self, path: Path_, message: str, code: str, *, severity=Severity.ERROR,
                   key=False) -> Diagnostic:
        line, col = self.position(path, key=key)
        return Diagnostic(self.file, line, col, severity, format_path(path), message, code)


def format_path(path: Path_) -> str:
    """("days", 0, "slots", 3, "start") -> "days[0].slots[3].start"."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


@dataclass
class Loaded:
    data: Any
    source: SourceMap
    text: str
    warnings: list[Diagnostic] = field(default_factory=list)


STDIN = Path("-")  # the program argument that means "read standard input"
_stdin: bytes | None = None  # standard input can be read once; a build needs the bytes several times


def display_name(path: Path) -> str:
    """How messages name a program: its path as given, or <stdin>."""
    return "<stdin>" if path == STDIN else str(path)


def read_program_bytes(path: Path, display: str | None = None) -> bytes:
    """The program's bytes, from its file or (for '-') standard input, or a ProgramError saying
    plainly why they cannot be read. The size limit holds before anything is read whole, and only
    regular files are read: a FIFO or /dev/zero would block or never end."""
    global _stdin
    display = display or display_name(path)

    def fail(message: str) -> ProgramError:
        return ProgramError(Diagnostic(display, 0, 0, Severity.ERROR, "", message, rules.UNREADABLE_FILE))

    def too_large(size: int) -> ProgramError:
        return fail(f"{size / 1048576:.1f} MB or more; a program file may be at most "
                    f"{MAX_FILE_BYTES // 1048576} MB")

    if path == STDIN:
        if _stdin is None:
            _stdin = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        if len(_stdin) > MAX_FILE_BYTES:
            raise too_large(len(_stdin))
        return _stdin
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        raise fail("no such file; give the path of a program YAML file") from None
    except OSError as exc:  # a name too long, a loop of links, no permission
        raise fail(f"cannot be read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise fail("is a directory, not a program file; give the path of a .yaml file inside it")
    if not stat.S_ISREG(mode):
        raise fail("is not a regular file (a pipe or a device?); give the path of a .yaml file, "
                   "or '-' to read standard input")
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise fail(f"cannot be read: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise too_large(len(raw))
    return raw


def read_program_text(path: Path, display: str) -> str:
    """The program's text, or a ProgramError saying plainly why it cannot be read."""
    raw = read_program_bytes(path, display)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[:exc.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n")  # any line end counts
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        raise ProgramError(Diagnostic(display, line, col, Severity.ERROR, "",
                                      f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
                                      "save the file as UTF-8", rules.UNREADABLE_FILE)) from None


def load_program_data(path: Path, display: str | None = None) -> Loaded:
    display = display or display_name(path)
    text = read_program_text(path, display)
    return parse_program_text(text, display)


def _remove_control_characters(text: str, display: str) -> tuple[str, list[Diagnostic]]:
    """Control characters (NUL and friends) print nothing and YAML refuses them: they go, with a warning."""
    if not CONTROL_CHARACTER.search(text):
        return text, []
    warnings, kept = [], []
    line, col = 1, 1
    for ch in text:
        if ch not in "\t\n\r" and unicodedata.category(ch) == "Cc":
            warnings.append(Diagnostic(display, line, col, Severity.WARNING, "",
                                       f"removed control character {describe(ch)}",
                                       rules.INVISIBLE_CHARACTER))
        else:
            kept.append(ch)
        line, col = (line + 1, 1) if ch == "\n" else (line, col + 1)
    return "".join(kept), warnings[:20]


def parse_program_text(text: str, display: str) -> Loaded:
    source = SourceMap(display)
    # One kind of line end, so that every position is counted the same way: old Mac files end
    # lines with CR alone, Windows ones with CR LF.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, warnings = _remove_control_characters(text, display)
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = exc.problem or exc.context or "invalid YAML"
        context = f" ({exc.context})" if exc.context and exc.problem else ""
        message = f"YAML syntax: {problem}{context}"
        if "nesting depth" in problem:
            message = "nesting is too deep for a program file (libyaml stops at 1000 levels)"
        code = rules.INPUT_LIMIT if "nesting depth" in problem else rules.YAML_SYNTAX
        raise ProgramError(Diagnostic(display, line, col, Severity.ERROR, "", message, code)) from None
    except yaml.YAMLError as exc:  # reader errors: characters YAML does not allow
        position = getattr(exc, "position", None)
        line = text.count("\n", 0, position) + 1 if position is not None else 0
        col = position - (text.rfind("\n", 0, position) + 1) + 1 if position is not None else 0
        raise ProgramError(Diagnostic(display, line, col, Severity.ERROR, "",
                                      f"YAML cannot read this file: {getattr(exc, 'reason', exc)}",
                                      rules.YAML_SYNTAX)) from None
    except RecursionError:
        raise ProgramError(Diagnostic(display, 0, 0, Severity.ERROR, "",
                                      f"nesting is too deep (more than {MAX_DEPTH} levels)",
                                      rules.INPUT_LIMIT)) from None
    if node is None:
        raise ProgramError(Diagnostic(display, 1, 1, Severity.ERROR, "",
                                      "the file is empty; start from `booklet new` or data/naic2025.yaml",
                                      rules.YAML_SYNTAX))
    builder = _Builder(source)
    data = builder.build(node, ())
    return Loaded(data, source, text, warnings + builder.warnings)


_SEPARATORS = {0x2028: "\n", 0x2029: "\n"}


class _Builder:
    """Turns a composed node graph into dicts, lists and strings, filling the SourceMap."""

    def __init__(self, source: SourceMap):
        self.source = source
        self.count = 0
        self.warnings: list[Diagnostic] = []

    def _fail(self, node, message: str, path: Path_, code: str) -> ProgramError:
        return ProgramError(Diagnostic(self.source.file, node.start_mark.line + 1,
                                       node.start_mark.column + 1, Severity.ERROR,
                                       format_path(path), message, code))

    def _visible(self, value: str, path: Path_) -> str:
        """Text in Unicode's composed form (NFC): "José" typed or pasted as e and a combining
        accent (PDFs, macOS) is the same José as the composed one. Zero-width, direction and other
        invisible characters are removed, with a warning. Unicode's line and paragraph separators
        are line breaks, as YAML's own are."""
        if value.isascii() and value.isprintable():
            return value
        value = unicodedata.normalize("NFC", value.translate(_SEPARATORS))
        if not INVISIBLE_CHARACTER.search(value):
            return value
        removed = [ch for ch in value if is_invisible(ch)]
        names = ", ".join(dict.fromkeys(describe(ch) for ch in removed))
        self.warnings.append(self.source.diagnostic(path, f"removed {len(removed)} invisible "
                                                          f"character(s): {names}", rules.INVISIBLE_CHARACTER,
                                                    severity=Severity.WARNING))
        return "".join(ch for ch in value if not is_invisible(ch))

    def build(self, node, path: Path_):
        self.count += 1
        if self.count > MAX_NODES:
            raise self._fail(node, f"more than {MAX_NODES:,} values after expanding aliases; "
                                   "is this an alias bomb?", path, rules.INPUT_LIMIT)
        if len(path) > MAX_DEPTH:
            raise self._fail(node, f"nesting is too deep (more than {MAX_DEPTH} levels)", path, rules.INPUT_LIMIT)
        self.source.values.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _NULL_TAG and node.style is None:
                return None
            return self._visible(node.value, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self._fail(key_node, "a key must be a plain name, not a list or mapping", path,
                                     rules.YAML_SYNTAX)
                key = key_node.value
                if key in result:
                    first = self.source.keys[path + (key,)]
                    raise self._fail(key_node, f"field '{key}' is given twice (first on line {first[0]}); "
                                               "keep one", path + (key,), rules.DUPLICATE_KEY)
                self.source.keys[path + (key,)] = (key_node.start_mark.line + 1,
                                                   key_node.start_mark.column + 1)
                result[key] = self.build(value_node, path + (key,))
            return result
        raise self._fail(node, "unsupported YAML node", path, rules.YAML_SYNTAX)  # pragma: no cover - composer makes only 3 kinds
