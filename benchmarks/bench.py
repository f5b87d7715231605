"""booklet's benchmark: full builds of synthetic programs against the TeX floor, in one run.

For 20, 200, 1,500 and 5,000 papers it generates a deterministic program (benchmarks/generate.py), builds
it cold in a fresh folder (booklet, all chair sheets, imposition, preflight) in a child process, and
records each phase's wall time and the peak memory of booklet's processes. It then measures the
floor with the same engine and flags: one pdflatex pass over the generated booklet .tex plus one
over the combined chair-sheets .tex, run one after the other by hand; and the limit, the TeX a
correct cold build needs (the booklet's passes, with the other documents' single passes beside them)
run the way the build runs it. At 1,500 papers it also rebuilds with unchanged inputs, and rebuilds
after changing one paper's title, and measures what bounds that rebuild: its one booklet pass from
the kept references, and pypdf's reading of the booklet, which the preflight's checks cannot do
without. Each size is built and floored three times, alternately, and the medians are reported
(a virtual machine's timings wander by 20 % from one minute to the next).
The LuaLaTeX path is measured the same way at 200 papers (--lualatex-sizes), the same program built
with --engine lualatex against its own floor: one LuaLaTeX pass per document, run as booklet runs
it (sandbox, font cache).
Figures are ratios against the floor of the same run, so they compare across machines.
Run: make bench (or .venv/bin/python benchmarks/bench.py [--sizes 20,200] [--repeat 1]).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402

from booklet.carry import kept_files, state_folder  # noqa: E402
from booklet.tex.contents import predicted_state  # noqa: E402
from booklet.tex import formats  # noqa: E402
from booklet.tex.engine import compile_tex  # noqa: E402
from booklet.tex.fonts import declarations  # noqa: E402

PHASES = ["load and validate", "render", "TeX", "split", "impose", "preflight"]
REBUILT = 1500  # the size at which unchanged and one-title rebuilds are measured

# The child process: one build, then its timings and peak memory as JSON on the last line.
CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from booklet.build import BuildOptions, build
from booklet.progress import Phases
started = time.monotonic()
phases = Phases()
result = build(BuildOptions(program=Path(sys.argv[1]), out=Path(sys.argv[2]), keep_tex=True, engine=sys.argv[3]),
               phases=phases)
total = time.monotonic() - started
print(json.dumps({"timings": result.timings, "total": total, "up_to_date": result.up_to_date, "passes": result.passes,
                  "checks": phases.union("impose", "preflight"),
                  "rss_booklet_kb": max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, result.preflight_peak_kb),
                  "rss_main_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "rss_preflight_kb": result.preflight_peak_kb,
                  "pages": result.pages}))
"""


def run_build(program: Path, out: Path, engine: str = "pdflatex") -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(program), str(out), engine], capture_output=True,
                          text=True, cwd=ROOT, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def command_seconds(program: Path, out: Path) -> float:
    """Wall time of `booklet build` run as a command, start-up and imports included: what `make` or
    an editor's build-on-save waits for when nothing changed."""
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "booklet", "build", str(program), "--out", str(out), "-q"],
                   capture_output=True, cwd=ROOT, check=True)
    return time.monotonic() - started


def _tex_folder(work: Path) -> None:
    """WORK made ready for the generated documents: the style files and the fonts' declarations."""
    work.mkdir()
    for name in ("booklet.sty", "chairsheets.sty"):
        shutil.copy(ROOT / "booklet" / "templates" / name, work)
    (work / "booklet-fonts.tex").write_text(declarations(), encoding="utf-8")


def floor_seconds(out: Path, work: Path, engine: str = "pdflatex") -> float:
    """One pass of ENGINE over each generated document, one after the other, with the flags,
    environment and (LuaLaTeX) sandbox booklet runs it with."""
    _tex_folder(work)
    total = 0.0
    for job in ("program", "chair-sheets"):
        shutil.copy(out / "build" / f"{job}.tex", work)
        started = time.monotonic()
        compile_tex(work, job, max_passes=1, engine=engine)
        total += time.monotonic() - started
    return total


def limit_seconds(out: Path, work: Path, engine: str = "pdflatex") -> float:
    """The TeX a correct cold build of OUT needs, run as the build runs it: every document side by
    side, the booklet until its references settle (two passes, from its predicted contents), the
    others in their one pass."""
    from concurrent.futures import ThreadPoolExecutor

    _tex_folder(work)
    jobs = sorted(path.stem for path in (out / "build").glob("*.tex"))
    for job in jobs:
        shutil.copy(out / "build" / f"{job}.tex", work)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        # The booklet's first pass starts from its predicted contents, as in the build (two passes, the
        # first a draft); every document starts from its preloaded preamble, as in the build.
        for future in [pool.submit(compile_tex, work, job, engine=engine, max_passes=4 if job == "program" else 1,
                                   seed=predicted_state((work / f"{job}.tex").read_text(encoding="utf-8"))
                                   if job == "program" else None, draft_first=job == "program",
                                   preload=formats.prepare(work, job, engine))
                       for job in jobs]:
            future.result()
    return time.monotonic() - started


def rebuild_limit_seconds(out: Path, work: Path, engine: str = "pdflatex") -> float:
    """The TeX a rebuild after a small change needs: one pass of the booklet from the references
    the last good build of OUT kept (as the build seeds it; that build made them under this
    booklet's key), from its preloaded preamble. A one-title change leaves the references as they
    were, so that pass is the only one. The one chair sheet typeset again is left out: a page's run
    on the other core."""
    _tex_folder(work)
    shutil.copy(out / "build" / "program.tex", work)
    folder = state_folder(out)
    if folder is None:
        raise SystemExit(f"bench: {out} kept no references; the rebuild's limit cannot be measured")
    seed = kept_files(folder, "program")
    started = time.monotonic()
    compile_tex(work, "program", max_passes=1, engine=engine, seed=seed,
                preload=formats.prepare(work, "program", engine))
    return time.monotonic() - started


# The child process that times pypdf's reading of a PDF: parsed, and every page's annotations
# resolved (the links the preflight's checks follow), pypdf's import not counted.
PYPDF_CHILD = r"""
import io, sys, time
from pypdf import PdfReader
raw = open(sys.argv[1], "rb").read()
started = time.monotonic()
reader = PdfReader(io.BytesIO(raw), strict=True)
for page in reader.pages:
    for annotation in page.get("/Annots") or []:
        annotation.get_object()
print(time.monotonic() - started)
"""


def pypdf_read_seconds(pdf: Path) -> float:
    """The least the preflight does, since its checks read with pypdf: pypdf reading PDF."""
    done = subprocess.run([sys.executable, "-c", PYPDF_CHILD, str(pdf)], capture_output=True, text=True,
                          check=True)
    return float(done.stdout.split()[-1])


REVISED = " (revised)"


def one_title_changed(program: Path) -> Path:
    """PROGRAM with one paper's title changed (the first paper's), as a chair's typo fix: " (revised)"
    appended, or taken off again when the last change appended it."""
    data = yaml.safe_load(program.read_text(encoding="utf-8"))
    title = data["papers"][0]["title"]
    data["papers"][0]["title"] = title[: -len(REVISED)] if title.endswith(REVISED) else title + REVISED
    changed = program.with_name(program.stem + "-retitled.yaml")
    changed.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20,200,1500,5000", help="paper counts, comma-separated")
    parser.add_argument("--lualatex-sizes", default="200",
                        help="paper counts built with --engine lualatex (empty: none)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="cold builds and floors per size; the median of each is reported")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    lua_sizes = [int(s) for s in args.lualatex_sizes.split(",") if s.strip()]
    rows, lua_rows = [], []
    with tempfile.TemporaryDirectory(prefix="booklet-bench-") as folder:
        base = Path(folder)
        for engine, engine_sizes, found in (("pdflatex", sizes, rows), ("lualatex", lua_sizes, lua_rows)):
            for papers in engine_sizes:
                program = base / f"program-{papers}.yaml"
                program.write_text(yaml.safe_dump(generate(papers), allow_unicode=True, sort_keys=False),
                                   encoding="utf-8")
                colds, floors = [], []
                for attempt in range(args.repeat):  # build and floor alternate: both see the same machine
                    out = base / f"out-{engine}-{papers}-{attempt}"
                    colds.append(run_build(program, out, engine))
                    floors.append(floor_seconds(out, base / f"floor-{engine}-{papers}-{attempt}", engine))
                row = {"papers": papers, "cold": _median_run(colds), "floor": statistics.median(floors),
                       "totals": sorted(c["total"] for c in colds), "floors": sorted(floors),
                       "limit": limit_seconds(out, base / f"limit-{engine}-{papers}", engine)}
                if engine == "pdflatex" and papers == REBUILT:
                    row["rebuild"] = run_build(program, out, engine)
                    row["rebuild_command"] = statistics.median(command_seconds(program, out) for _ in range(3))
                    # The same file name, so that only the title differs from the last build's input;
                    # as often as the cold builds, the title changed back and forth, and the median kept.
                    retitled = []
                    for _ in range(args.repeat):
                        shutil.copyfile(one_title_changed(program), program)
                        retitled.append(run_build(program, out, engine))
                    row["retitled"] = _median_run(retitled)
                    row["retitled_totals"] = sorted(run["total"] for run in retitled)
                    row["rebuild_limit"] = statistics.median(
                        rebuild_limit_seconds(out, base / f"rebuild-limit-{attempt}", engine)
                        for attempt in range(args.repeat))
                    row["pypdf_read"] = statistics.median(pypdf_read_seconds(out / "program.pdf")
                                                          for _ in range(args.repeat))
                found.append(row)
    report(rows, lua_rows)


def _median_run(runs: list[dict]) -> dict:
    """Each figure's median over the runs (a phase's median, not the phases of the median run)."""
    result = dict(runs[0])
    result["timings"] = {phase: statistics.median(r["timings"].get(phase, 0.0) for r in runs) for phase in PHASES}
    for figure in ("total", "checks", "rss_booklet_kb", "rss_main_kb", "rss_preflight_kb"):
        result[figure] = statistics.median(r[figure] for r in runs)
    return result


def report(rows: list[dict], lua_rows: list[dict]) -> None:
    header = (f"{'papers':>6} | " + " | ".join(f"{p[:9]:>9}" for p in PHASES)
              + f" | {'total':>7} | {'floor':>6} | {'ratio':>5} | {'limit':>6} | {'passes':>6} | {'peak MB':>7} | pages")
    print(header)
    print("-" * len(header))
    for row in rows:
        cold = row["cold"]
        cells = " | ".join(f"{cold['timings'].get(p, 0.0):9.2f}" for p in PHASES)
        pages = sum(cold["pages"].values())
        print(f"{row['papers']:>6} | {cells} | {cold['total']:7.2f} | {row['floor']:6.2f} | "
              f"{cold['total'] / row['floor']:5.2f} | {row['limit']:6.2f} | {cold['passes']:>6} | "
              f"{cold['rss_booklet_kb'] / 1024:7.0f} | {pages}")
    print()
    by_size = {row["papers"]: row for row in rows}
    for row in rows:
        print(f"limit at {row['papers']} papers: {row['limit']:.2f} s = {row['limit'] / row['floor']:.2f} x the floor; "
              f"the build is {row['cold']['total'] / row['limit']:.2f} x its limit")
    rebuilt = by_size.get(REBUILT)
    if rebuilt and "rebuild" in rebuilt:
        print(f"rebuild with unchanged inputs at {REBUILT} papers: {rebuilt['rebuild']['total']:.2f} s in the build, "
              f"{rebuilt['rebuild_command']:.2f} s as a command (up to date: {rebuilt['rebuild']['up_to_date']})")
        print(f"rebuild after one title changed at {REBUILT} papers: {rebuilt['retitled']['total']:.2f} s "
              f"(median of {', '.join(f'{t:.2f}' for t in rebuilt['retitled_totals'])}), "
              f"{rebuilt['retitled']['passes']} booklet pass(es)")
        floor = rebuilt["floor"]
        print(f"limit of that rebuild at {REBUILT} papers: {rebuilt['rebuild_limit']:.2f} s = "
              f"{rebuilt['rebuild_limit'] / floor:.2f} x the floor (one booklet pass from the kept references); "
              f"the rebuild is {rebuilt['retitled']['total'] / rebuilt['rebuild_limit']:.2f} x its limit")
        print(f"pypdf reading the booklet at {REBUILT} papers (the least the preflight does): "
              f"{rebuilt['pypdf_read']:.2f} s = {rebuilt['pypdf_read'] / floor:.2f} x the floor")
    for row in lua_rows:
        same = by_size.get(row["papers"])
        versus = f"; {row['cold']['total'] / same['cold']['total']:.2f} x the pdfLaTeX build" if same else ""
        print(f"LuaLaTeX at {row['papers']} papers: total {row['cold']['total']:.2f} s, its own floor "
              f"{row['floor']:.2f} s, ratio {row['cold']['total'] / row['floor']:.2f}{versus}")
    for row in rows:
        print(f"preflight + imposition at {row['papers']} papers: {row['cold']['checks']:.2f} s "
              "(wall time while either ran)")
    for row in rows:
        print(f"peak memory at {row['papers']} papers: build process {row['cold']['rss_main_kb'] / 1024:.0f} MB, "
              f"largest preflight process {row['cold']['rss_preflight_kb'] / 1024:.0f} MB")
    big = rows[-1]
    print(f"spread at {big['papers']} papers over {len(big['totals'])} runs: total "
          f"{big['totals'][0]:.1f}-{big['totals'][-1]:.1f} s, floor {big['floors'][0]:.1f}-{big['floors'][-1]:.1f} s")
    # The headline figures, always the last lines. Peak memory is the largest of booklet's own
    # processes: the build's and its preflight processes' (TeX's and the extractors' are apart).
    if rebuilt:
        print(f"ratio total/floor at {REBUILT} papers: {rebuilt['cold']['total'] / rebuilt['floor']:.2f}")
        if "retitled" in rebuilt:
            print(f"ratio one-title rebuild/floor at {REBUILT} papers: {rebuilt['retitled']['total'] / rebuilt['floor']:.2f}")
    if rebuilt and 5000 in by_size:
        print(f"ratio 5000/{REBUILT} papers: {by_size[5000]['cold']['total'] / rebuilt['cold']['total']:.2f}")
        print(f"peak MB at 5000 papers: {by_size[5000]['cold']['rss_booklet_kb'] / 1024:.0f}")


if __name__ == "__main__":
    main()
