"""booklet's benchmark: full builds of synthetic programs against the TeX floor, in one run.

For 20, 200 and 1,500 papers it generates a deterministic program (benchmarks/generate.py), builds
it cold in a fresh folder (booklet, all chair sheets, imposition, preflight) in a child process, and
records each phase's wall time and the peak memory of booklet and of TeX. It then measures the
floor with the same engine and flags: one pdflatex pass over the generated booklet .tex plus one
over the combined chair-sheets .tex, run one after the other by hand. At 1,500 papers it also
rebuilds with unchanged inputs. Each size is built and floored three times, alternately, and the
medians are reported (a virtual machine's timings wander by 20 % from one minute to the next).
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

from booklet.tex.engine import compile_tex  # noqa: E402
from booklet.tex.fonts import declarations  # noqa: E402

PHASES = ["load and validate", "render", "TeX", "split", "impose", "preflight"]

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
print(json.dumps({"timings": result.timings, "total": total, "up_to_date": result.up_to_date,
                  "checks": phases.union("impose", "preflight"),
                  "rss_booklet_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "pages": result.pages}))
"""


def run_build(program: Path, out: Path, engine: str = "pdflatex") -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(program), str(out), engine], capture_output=True,
                          text=True, cwd=ROOT, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def floor_seconds(out: Path, work: Path, engine: str = "pdflatex") -> float:
    """One pass of ENGINE over each generated document, one after the other, with the flags,
    environment and (LuaLaTeX) sandbox booklet runs it with."""
    work.mkdir()
    for name in ("booklet.sty", "chairsheets.sty"):
        shutil.copy(ROOT / "booklet" / "templates" / name, work)
    (work / "booklet-fonts.tex").write_text(declarations(), encoding="utf-8")
    total = 0.0
    for job in ("program", "chair-sheets"):
        shutil.copy(out / "build" / f"{job}.tex", work)
        started = time.monotonic()
        compile_tex(work, job, max_passes=1, engine=engine)
        total += time.monotonic() - started
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20,200,1500", help="paper counts, comma-separated")
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
                       "totals": sorted(c["total"] for c in colds), "floors": sorted(floors)}
                if engine == "pdflatex" and papers == max(sizes):
                    row["rebuild"] = run_build(program, out, engine)
                found.append(row)
    report(rows, lua_rows)


def _median_run(runs: list[dict]) -> dict:
    """Each figure's median over the runs (a phase's median, not the phases of the median run)."""
    result = dict(runs[0])
    result["timings"] = {phase: statistics.median(r["timings"].get(phase, 0.0) for r in runs) for phase in PHASES}
    for figure in ("total", "checks", "rss_booklet_kb"):
        result[figure] = statistics.median(r[figure] for r in runs)
    return result


def report(rows: list[dict], lua_rows: list[dict]) -> None:
    header = (f"{'papers':>6} | " + " | ".join(f"{p[:9]:>9}" for p in PHASES)
              + f" | {'total':>7} | {'floor':>6} | {'ratio':>5} | {'peak MB':>7} | pages")
    print(header)
    print("-" * len(header))
    for row in rows:
        cold = row["cold"]
        cells = " | ".join(f"{cold['timings'].get(p, 0.0):9.2f}" for p in PHASES)
        pages = sum(cold["pages"].values())
        print(f"{row['papers']:>6} | {cells} | {cold['total']:7.2f} | {row['floor']:6.2f} | "
              f"{cold['total'] / row['floor']:5.2f} | {cold['rss_booklet_kb'] / 1024:7.0f} | {pages}")
    print()
    big = rows[-1]
    cold = big["cold"]
    if "rebuild" in big:
        print(f"rebuild with unchanged inputs at {big['papers']} papers: {big['rebuild']['total']:.2f} s "
              f"= {big['rebuild']['total'] / cold['total']:.2f} x the cold build "
              f"(up to date: {big['rebuild']['up_to_date']})")
    print(f"preflight + imposition at {big['papers']} papers: {cold['checks']:.2f} s = "
          f"{cold['checks'] / big['floor']:.2f} x the floor (wall time while either ran)")
    if len(rows) >= 2:
        small, large = rows[-2], rows[-1]
        scale = large["papers"] / small["papers"]
        print(f"growth {small['papers']} -> {large['papers']} papers: {large['cold']['total'] / small['cold']['total']:.2f} x "
              f"(linear would be {scale:.2f} x)")
    for row in lua_rows:
        print(f"LuaLaTeX at {row['papers']} papers: total {row['cold']['total']:.2f} s, its own floor "
              f"{row['floor']:.2f} s, ratio {row['cold']['total'] / row['floor']:.2f}; "
              f"{row['cold']['total'] / next((r['cold']['total'] for r in rows if r['papers'] == row['papers']), float('nan')):.2f} x "
              f"the pdfLaTeX build of the same program")
    # A child's maximum RSS would count the fork of this 200 MB process, so pdflatex's own peak is
    # not reported here; it stays near 60 MB at these sizes (measured with /usr/bin/time -v).
    print(f"peak memory at {big['papers']} papers: booklet {cold['rss_booklet_kb'] / 1024:.0f} MB")
    print(f"spread at {big['papers']} papers over {len(big['totals'])} runs: total "
          f"{big['totals'][0]:.1f}-{big['totals'][-1]:.1f} s, floor {big['floors'][0]:.1f}-{big['floors'][-1]:.1f} s")
    print(f"ratio total/floor at {big['papers']} papers: {cold['total'] / big['floor']:.2f}")


if __name__ == "__main__":
    main()
