"""`booklet watch`: build, then build again whenever the program or one of the user's templates
changes, until Ctrl-C.

Builds are atomic (build.py publishes only a complete, checked set), so a build that fails leaves
the last good PDFs in OUT and a viewer open on OUT/program.pdf keeps showing them. Folders are
watched, not files: editors save by writing a new file and renaming it over the old one, which a
watch on the old file would miss. The folders are watched one level deep (the program's own
folder may be a large one) and only changes to the build's inputs count, never to OUT.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from .console import Console

DEBOUNCE_MS = 300  # an editor's save is several events; one build for all of them


def watched_inputs(program: Path, templates: Path | None) -> tuple[set[Path], Callable[[Path], bool]]:
    """The folders to watch, and which changed paths are inputs of the build."""
    program = program.resolve()
    folders = {program.parent}
    template_root = templates.resolve() if templates is not None and templates.is_dir() else None
    if template_root is not None:
        folders |= {template_root, *(p for p in template_root.rglob("*") if p.is_dir())}

    def is_input(path: Path) -> bool:
        path = path.resolve()
        return path == program or (template_root is not None and path.is_relative_to(template_root))

    return folders, is_input


def watch_and_build(program: Path, templates: Path | None, out: Path, say: Console,
                    build_once: Callable[[bool], bool]) -> None:
    """Build once, then again after each change to an input; BUILD_ONCE(first) prints its results."""
    import watchfiles

    build_once(True)
    folders, is_input = watched_inputs(program, templates)
    watching = str(program) + (f" and the templates in {templates}" if templates else "")
    say.status(f"booklet: watching {watching}; the booklet is {out / 'program.pdf'} (a viewer can stay "
               "open on it); Ctrl-C stops")
    for changes in watchfiles.watch(*sorted(folders), watch_filter=lambda _, path: is_input(Path(path)),
                                    debounce=DEBOUNCE_MS, recursive=False, raise_interrupt=False):
        changed = ", ".join(sorted({Path(path).name for _, path in changes}))
        say.status(f"booklet: {changed} changed; building")
        build_once(False)
