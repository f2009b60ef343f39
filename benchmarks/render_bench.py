"""A first PDF build against a plain WeasyPrint loop, the speed-up of shards, and the parent's memory.

    PYTHONPATH=src python benchmarks/render_bench.py                       # 10% floor, 2% shards
    PYTHONPATH=src python benchmarks/render_bench.py --floor-scale 0.05 --shard-scale 0.01 --shards 2 4

Projects come from benchmarks/national.py (same seed: the same files).

  first build       `build -j 1 --format pdf --no-gallery` run in one process, start to end; each
                    handout's settled layout (and its HTML) is noted as the search returns it
  floor             the same HTML, each in the layout the engine settled on, rendered and written by
                    WeasyPrint in a plain loop in a fresh process (fonts configured once, nothing else
                    shared): what the build cannot do better than
  renders           how many times WeasyPrint laid out a page during the first build, against targets
  parent memory     ru_maxrss of the build's process; with --tracemalloc, the peak of its Python objects
                    (from a second build, since tracing slows Python several times over)
  shards            `build --shard I/N -j 1 --format pdf --no-gallery`, each slice in its own process
                    and folder; the speed-up is the whole build's time over the slowest slice's own time,
                    as it would be with one machine per slice
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-25"

ENGINE = """
import datetime as dt, json, resource, sys, time, tracemalloc
from pathlib import Path
import tipsheets.build.handout as handout
from tipsheets.print.printer import Printer
from tipsheets.build.options import Options
from tipsheets.build.pipeline import build
project, out, dump = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
chosen, renders = {}, [0]
real_settle, real_print = handout.settle, Printer.print

def settle(rules, html_for, printer, **kw):
    made = {}
    def remembered(layout):
        made[layout] = made.get(layout) or html_for(layout)
        return made[layout]
    settled = real_settle(rules, remembered, printer, **kw)
    if hasattr(settled, "layout"):
        chosen[kw["stem"]] = (made[settled.layout], kw["base_url"])
    return settled

def counted(self, *a, **kw):
    renders[0] += 1
    return real_print(self, *a, **kw)

handout.settle, Printer.print = settle, counted
if sys.argv[5] == "1":
    tracemalloc.start()  # slows Python several times over: the time of such a run is not the build's
started = time.perf_counter()
result = build(Options(project=project, out_dir=out, as_of=dt.date.fromisoformat(sys.argv[4]), jobs=1,
                       formats=("pdf",), gallery=False))
seconds = time.perf_counter() - started
peak = tracemalloc.get_traced_memory()[1] if tracemalloc.is_tracing() else None
dump.mkdir(parents=True, exist_ok=True)
names = []
for number, (stem, (html, base)) in enumerate(sorted(chosen.items())):
    (dump / f"{number:05d}.html").write_text(html, encoding="utf-8")
    names.append([f"{number:05d}.html", base])
print(json.dumps({"seconds": seconds, "built": len(result.built), "failed": len(result.failed),
                  "renders": renders[0], "targets": len(chosen), "names": names,
                  "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "traced_peak": peak}))
"""

FLOOR = """
import json, sys, time
from pathlib import Path
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
folder, names = Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text())
fonts = FontConfiguration()
started = time.perf_counter()
for name, base in names:
    document = HTML(string=(folder / name).read_text(encoding="utf-8"), base_url=base).render(
        font_config=fonts, pdf_variant="pdf/ua-1", pdf_tags=True)
    (folder / (name + ".pdf")).write_bytes(document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True))
print(json.dumps({"seconds": time.perf_counter() - started}))
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def python(env: dict[str, str], code: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True)
    if done.returncode:
        log(done.stderr[-3000:])
        raise SystemExit(f"exited {done.returncode}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def cli(env: dict[str, str], *args: str) -> tuple[float, dict]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "tipsheets", *args], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        log(done.stderr[-3000:])
        raise SystemExit(f"tipsheets {' '.join(args)} exited {done.returncode}")
    return seconds, json.loads(done.stdout)


def first_build(env: dict[str, str], work: Path, scale: float, seed: int, traced: bool) -> dict:
    from national import generate

    project = work / f"floor-{scale}"
    generate(project, scale, seed)
    engine = python(env, ENGINE, str(project), str(work / "floor-out"), str(work / "floor-html"), AS_OF, "0")
    if traced:  # a second build, from nothing, for the peak of Python objects alone
        again = python(env, ENGINE, str(project), str(work / "traced-out"), str(work / "traced-html"), AS_OF, "1")
        engine["traced_peak"] = again["traced_peak"]
    names = work / "floor-names.json"
    names.write_text(json.dumps(engine.pop("names")))
    floor = python(env, FLOOR, str(work / "floor-html"), str(names))
    return {"scale": scale, **engine, "floor": floor["seconds"]}


def shards(env: dict[str, str], work: Path, scale: float, seed: int, counts: list[int]) -> dict:
    from national import generate

    project = work / f"shards-{scale}"
    generate(project, scale, seed)
    common = ["build", "--project", str(project), "--as-of", AS_OF, "--format", "pdf", "--no-gallery", "-j", "1",
              "--json"]
    whole, summary = cli(env, *common, "-o", str(work / "whole"))
    out = {"scale": scale, "targets": summary["counts"]["targets"], "whole": whole, "by": {}}
    log(f"  whole: {whole:.1f} s for {summary['counts']['built']} handouts")
    for count in counts:
        times = []
        for index in range(1, count + 1):
            seconds, _ = cli(env, *common, "--shard", f"{index}/{count}", "-o", str(work / f"n{count}-{index}"))
            times.append(seconds)
        out["by"][count] = times
        log(f"  N={count}: slowest slice {max(times):.1f} s, speed-up {whole / max(times):.2f}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--floor-scale", type=float, default=0.1)
    parser.add_argument("--shard-scale", type=float, default=0.02)
    parser.add_argument("--shards", type=int, nargs="+", default=[2, 4, 8])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-floor", action="store_true")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="build once more under tracemalloc for the peak of the parent's Python objects")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "benchmarks"))
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    rows: dict = {}
    with tempfile.TemporaryDirectory(prefix="tipsheets-render-bench-") as tmp:
        work = Path(tmp)
        if not args.skip_floor:
            rows["first"] = first = first_build(env, work, args.floor_scale, args.seed, args.tracemalloc)
            log(f"first build {first['seconds']:.1f} s, floor {first['floor']:.1f} s")
        rows["shards"] = shards(env, work, args.shard_scale, args.seed, args.shards)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    lines = ["| figure | value |", "|---|---|"]
    if "first" in rows:
        f = rows["first"]
        lines += [
            f"| first build, {f['scale']:.0%} ({f['built']:,} PDFs, `-j 1`, no gallery) | {f['seconds']:.1f} s |",
            f"| plain WeasyPrint loop, same layouts | {f['floor']:.1f} s "
            f"(build / loop = {f['seconds'] / f['floor']:.2f}) |",
            f"| pages laid out by the build | {f['renders']:,} for {f['targets']:,} handouts |",
            f"| parent process, that build | {f['maxrss_kb'] / 1024:.0f} MB resident at most"
            + (f"; {f['traced_peak'] / 2**20:.0f} MB of Python objects at most (tracemalloc)"
               if f["traced_peak"] is not None else "") + " |",
        ]
    s = rows["shards"]
    for count, times in s["by"].items():
        lines.append(f"| shards N={count}, {s['scale']:.0%} ({s['targets']:,} handouts), slowest slice against "
                     f"the whole ({s['whole']:.1f} s) | {max(times):.1f} s: speed-up {s['whole'] / max(times):.2f} |")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
