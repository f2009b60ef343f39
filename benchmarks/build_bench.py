"""Measure the build engine on a synthetic project and print a table.

    PYTHONPATH=src python benchmarks/build_bench.py            # default sizes, a few minutes on 2 cores
    PYTHONPATH=src python benchmarks/build_bench.py --quick    # small sizes, to try it out

The project is generated in a temporary folder from the sample content in
content/ (brands, logos, areas, guidance, and the real tip sheets, programs and
offices cloned under new names), plus many short one-page tip sheets for the
no-op figure. Every handout kind the engine plans is measured.

Figures:
  per-document full build, engine at -j 1 (PDF only), against the floor (the
      same HTML rendered by WeasyPrint in a plain loop in one process) and
      against the `weasyprint` command run once per document;
  -j N against -j 1 (PDF and HTML);
  a no-op rebuild of many targets, and the rebuild after one shared file changes;
  render milliseconds per page for each kind of handout (and, for comparison,
      a tip sheet laid out in two CSS columns, which the theme does not use);
  `tipsheets --help` start-up time;
  peak memory per worker.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
PY = sys.executable
ENV = {**os.environ, "PYTHONPATH": str(SRC), "SOURCE_DATE_EPOCH": "1795564800"}
AS_OF = "2026-11-25"

SMALL_SHEET = """\
title: Quick tips {n}
audience: parents
date: 2025-01-15
brands: [{brand}]
intro:
  - id: why
    heading: Why this matters
    body: Parents who talk things over help their children. This is short sheet number {n}.
tips_heading: Three tips
tips:
  - id: listen
    heading: Listen first
    body: Hear the other parent out before you answer.
  - id: plan
    heading: Plan ahead
    body: Agree on pick-up times a week ahead, and write them down.
  - id: kids
    heading: Keep the children out of it
    body: Talk about money and schedules when the children are not there.
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- the synthetic project


def clone(src_dir: Path, dst_dir: Path, count: int, prefix: str) -> int:
    """Copy the files of ``src_dir`` (English ones) under new names until there are ``count``."""
    sources = sorted(p for p in src_dir.glob("*.yaml") if p.name.count(".") == 1)
    if not sources or count <= 0:
        return 0
    dst_dir.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        src = sources[i % len(sources)]
        shutil.copyfile(src, dst_dir / f"{prefix}-{i:04d}-{src.stem}.yaml")
        for other in src_dir.glob(f"{src.stem}.*.yaml"):  # its translations
            if other != src:
                locale = other.name.split(".")[1]
                shutil.copyfile(other, dst_dir / f"{prefix}-{i:04d}-{src.stem}.{locale}.yaml")
    return count


def _spread_programs(folder: Path, originals: int) -> None:
    """Clones past the originals serve their own ZIP code, so desk aids still fit on a page.

    An online program serves every office of its state whatever its area says, so
    an online clone would add itself to every desk aid of that state and push it
    past one page. Online clones therefore meet in person too (hybrid), at the
    place of an in-person program of the same state.
    """
    import yaml

    paths = sorted(p for p in folder.glob("*.yaml") if p.name.count(".") == 1)
    loaded = {path: yaml.safe_load(path.read_text()) for path in paths}
    places = {}
    for data in loaded.values():
        if data.get("location"):
            places.setdefault(data["location"]["state"], data["location"])
    for index, path in enumerate(paths):
        if index < originals:
            continue
        data = loaded[path]
        state = data["serves"][0]["state"]
        data["serves"] = [{"state": state, "zips": [f"{10000 + index:05d}"]}]
        if data.get("format") == "online":
            data["format"] = "hybrid"
            data["location"] = dict(places[state])
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def make_project(root: Path, content: Path, *, sheets: int, small: int, programs: int, offices: int,
                 rare_brand_every: int = 100) -> Path:
    (root / "content").mkdir(parents=True)
    # the sample content's 555-01xx numbers are set aside for fiction: say so, as the repository's settings do
    (root / "tipsheets.yaml").write_text("fictional_phone_numbers: allow\n", encoding="utf-8")
    for folder in ("brands", "areas", "guidance"):
        if (content / folder).is_dir():
            shutil.copytree(content / folder, root / "content" / folder)
    clone(content / "tipsheets", root / "content" / "tipsheets", sheets, "sheet")
    clone(content / "programs", root / "content" / "programs", programs, "program")
    _spread_programs(root / "content" / "programs", originals=len(list((content / "programs").glob("*.yaml"))))
    clone(content / "offices", root / "content" / "offices", offices, "office")
    brands = sorted(p.stem for p in (content / "brands").glob("*.yaml"))
    common = "default" if "default" in brands else brands[0]
    rare = next(b for b in brands if b != common)
    folder = root / "content" / "tipsheets"
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(small):
        brand = rare if n % rare_brand_every == 0 else common
        (folder / f"short-{n:04d}.yaml").write_text(SMALL_SHEET.format(n=n, brand=brand))
    return root


# --------------------------------------------------------------------------- running things


#: CPU seconds (user + system) of the last command run, with all its worker processes
LAST_CPU = [0.0]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(args: list[str], allow_fail: bool = False, **kw) -> tuple[float, subprocess.CompletedProcess]:  # noqa: ANN003
    cpu = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(args, env=ENV, capture_output=True, text=True, **kw)
    seconds = time.perf_counter() - started
    LAST_CPU[0] = _children_cpu() - cpu
    if done.returncode != 0 and not allow_fail:
        log(done.stderr[-3000:])
        raise SystemExit(f"failed: {' '.join(args)}")
    return seconds, done


def tipsheets(project: Path, *args: str) -> tuple[float, dict]:
    seconds, done = run([PY, "-m", "tipsheets", "build", "--project", str(project), "--as-of", AS_OF, "--json", *args],
                        allow_fail=True)
    try:
        return seconds, json.loads(done.stdout)
    except ValueError:
        log(done.stderr[-3000:])
        raise SystemExit("the build did not print its summary") from None


def per_page_by_kind(summary: dict) -> dict[str, tuple[float, int, int]]:
    """kind → (ms per page, documents, pages) from a --json summary of a -j 1 build."""
    rows: dict[str, list[tuple[float, int]]] = {}
    for row in summary["built"]:
        rows.setdefault(row["kind"], []).append((row["seconds"], row["pages"]))
    return {kind: (1000 * sum(s for s, _ in v) / max(1, sum(p for _, p in v)), len(v), sum(p for _, p in v))
            for kind, v in rows.items()}


HTML_DUMP = textwrap.dedent("""
    import json, sys
    from dataclasses import replace
    from pathlib import Path
    from tipsheets.build.handout import font_base
    from tipsheets.core.target import REGULAR, Layout
    from tipsheets.handouts import BY_NAME, page_html, plan
    from tipsheets.print.layout import TIGHTER_NOTE
    from tipsheets.project import load_project
    from tipsheets.render.environment import make_environment
    import datetime as dt
    project, out, only_kind, columns = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4] == "1"
    notes = json.loads(sys.argv[5])  # stem -> the note of the fallback layout the engine used, if any
    catalog = load_project(project)
    fonts = font_base()
    envs = {}
    names = []
    for t in plan(catalog, dt.date.fromisoformat("%s")):
        if only_kind and t.kind != only_kind:
            continue
        env = envs.get(t.locale) or envs.setdefault(t.locale, make_environment(catalog.root, locale=t.locale))
        layout = Layout(tight=True) if notes.get(t.stem, "") == TIGHTER_NOTE.format(stem=t.stem) else REGULAR
        for fallback in BY_NAME[t.kind].page.fallbacks:  # the layout the engine printed: the floor prints it once
            if fallback.note.format(stem=t.stem) == notes.get(t.stem, ""):
                layout = fallback.layout
                break
        html = page_html(t, catalog, env, as_of=dt.date.fromisoformat("%s"), layout=layout, for_print=True,
                         font_base=fonts)
        if columns:
            html = html.replace("</style>", "main { columns: 2; column-gap: 6mm; }</style>", 1)
        name = t.stem.replace("/", "__") + ".html"
        (out / name).write_text(html)
        names.append(name)
    print(json.dumps({"base": catalog.root.as_uri() + "/", "files": names}))
""" % (AS_OF, AS_OF))

FLOOR = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    started = time.perf_counter()
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration
    folder, base = Path(sys.argv[1]), sys.argv[2]
    names = json.loads(sys.argv[3])
    fonts = FontConfiguration()
    pages, times = [], []
    loop_started = time.perf_counter()
    for name in names:
        one = time.perf_counter()
        doc = HTML(string=(folder / name).read_text(), base_url=base).render(
            font_config=fonts, pdf_variant="pdf/ua-1", pdf_tags=True)
        (folder / (name + ".pdf")).write_bytes(doc.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True))
        pages.append(len(doc.pages))
        times.append(time.perf_counter() - one)
    ended = time.perf_counter()
    print(json.dumps({"seconds": ended - started, "loop": ended - loop_started, "pages": pages, "times": times}))
""")

MEMORY = textwrap.dedent("""
    import json, resource, sys, datetime as dt
    from pathlib import Path
    from tipsheets.build.pipeline import Options, build
    project, out, jobs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    result = build(Options(project=project, out_dir=out, jobs=jobs, force=True, as_of=dt.date.fromisoformat("%s")))
    assert result.ok or not result.failed, [o.errors for o in result.failed]
    print(json.dumps({"parent_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                      "worker_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                      "built": len(result.built)}))
""" % AS_OF)


def dump_html(project: Path, folder: Path, notes: dict[str, str], kind: str = "",
              columns: bool = False) -> tuple[str, list[str]]:
    """Write each handout's print HTML, in the layout the engine used (``notes``: stem → its fallback note)."""
    folder.mkdir(parents=True, exist_ok=True)
    _, done = run([PY, "-c", HTML_DUMP, str(project), str(folder), kind, "1" if columns else "0", json.dumps(notes)])
    data = json.loads(done.stdout)
    return data["base"], data["files"]


def floor(folder: Path, base: str, names: list[str]) -> tuple[float, list[int]]:
    """Wall seconds of the whole floor command (start-up included, as for the engine) and the pages."""
    seconds, done = run([PY, "-c", FLOOR, str(folder), base, json.dumps(names)])
    data = json.loads(done.stdout)
    LAST_LOOP[0] = data["loop"]
    LAST_TIMES.clear()
    LAST_TIMES.update(zip(names, data["times"], strict=True))
    return seconds, data["pages"]


#: seconds of the last floor run's render loop alone (no interpreter start, no import of WeasyPrint)
LAST_LOOP = [0.0]
#: seconds of each document of the last floor run
LAST_TIMES: dict[str, float] = {}


def words_of(html: str) -> int:
    """Words of running text in a page (head, styles and tags removed)."""
    body = re.sub(r"<head>.*?</head>", " ", html, flags=re.S)
    return len(re.sub(r"<[^>]+>", " ", body).split())


# --------------------------------------------------------------------------- the benchmark


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2, help="repeat timed builds, keep the best")
    parser.add_argument("--sheets", type=int, default=12, help="full-length tip sheets (clones of the samples)")
    parser.add_argument("--programs", type=int, default=300)
    parser.add_argument("--offices", type=int, default=200)
    parser.add_argument("--noop-targets", type=int, default=1000, help="short one-page sheets for the no-op rebuild")
    parser.add_argument("--cli-sample", type=int, default=8, help="documents for the command-per-document run")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--content", type=Path, default=REPO / "content")
    parser.add_argument("--quick", action="store_true",
                        help="small sizes: 4 sheets, 60 programs, 40 offices, 100 no-op targets, one round")
    parser.add_argument("--keep", action="store_true", help="keep the generated projects")
    args = parser.parse_args()
    if args.quick:
        args.sheets, args.programs, args.offices, args.noop_targets, args.cli_sample, args.rounds = 4, 60, 40, 100, 4, 1
    tmp = Path(tempfile.mkdtemp(prefix="tipsheets-bench-"))
    log(f"load average at the start: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    rows: list[tuple[str, str, str]] = []

    def row(name: str, value: str, goal: str = "") -> None:
        rows.append((name, value, goal))
        log(f"  {name}: {value}  {goal}")

    try:
        # ---- A: full-length documents
        log(f"generating {args.sheets} tip sheets, {args.programs} programs, {args.offices} offices in {tmp}")
        big = make_project(tmp / "full", args.content, sheets=args.sheets, small=0, programs=args.programs,
                           offices=args.offices)
        _, probe = tipsheets(big, "-f", "pdf")
        failed = drop_failed(big, probe)
        html_dir = tmp / "html"
        used = {r["target"]: r["notes"][0] for r in probe["built"] if r.get("notes")}
        base, names = dump_html(big, html_dir, used)
        engine_runs, fresh_runs, floor_runs = [], [], []
        floor_doc: dict[str, float] = {}  # each document's best time in the floor loop
        for round_ in range(args.rounds):  # interleaved, best of each: the machine may be shared
            log(f"round {round_ + 1}: engine -j 1 (PDF only) forced and into an empty folder, then the floor "
                "(same HTML, WeasyPrint in a plain loop)")
            seconds, summary = tipsheets(big, "-j", "1", "-f", "pdf", "--force")
            engine_runs.append((seconds, LAST_CPU[0]))
            fresh = tmp / f"fresh-{round_}"
            seconds, _ = tipsheets(big, "-j", "1", "-f", "pdf", "--no-gallery", "-o", str(fresh))
            fresh_runs.append((seconds, LAST_CPU[0]))
            seconds, floor_pages = floor(html_dir, base, names)
            floor_runs.append((seconds, LAST_CPU[0]))
            for name, took in LAST_TIMES.items():
                floor_doc[name] = min(floor_doc.get(name, took), took)
        docs = summary["counts"]["built"]
        if failed:
            row("handouts that failed in the generated project (content, not engine)", f"{failed}")
        pages = sum(r["pages"] for r in summary["built"])
        kinds = per_page_by_kind(summary)
        assert len(names) == docs, (len(names), docs)
        engine_s, engine_cpu = min(engine_runs)
        fresh_s, fresh_cpu = min(fresh_runs)
        floor_s, floor_cpu = min(floor_runs)
        log(f"weasyprint command per document ({args.cli_sample} documents)")
        sample = names[: args.cli_sample]
        cli_s = cli_cpu = 0.0
        for name in sample:
            seconds, _ = run([str(Path(PY).parent / "weasyprint"), "--pdf-variant", "pdf/ua-1", "--pdf-tags",
                              "-u", base, str(html_dir / name), str(html_dir / (name + ".cli.pdf"))])
            cli_s += seconds
            cli_cpu += LAST_CPU[0]
        per_engine, per_floor, per_cli = engine_s / docs, floor_s / docs, cli_s / len(sample)
        row(f"full build, engine -j 1 ({docs} docs, {pages} pages, PDF)",
            f"{1000 * per_engine:.0f} ms/doc wall, {1000 * engine_cpu / docs:.0f} ms/doc CPU")
        row("same HTML, WeasyPrint plain loop, one process (floor)",
            f"{1000 * per_floor:.0f} ms/doc wall, {1000 * floor_cpu / docs:.0f} ms/doc CPU")
        row("engine against floor", f"{per_engine / per_floor:.2f}× wall, {engine_cpu / floor_cpu:.2f}× CPU",
            "goal ≤ 1.15×")
        row("first build into an empty folder (no layouts known yet, no gallery), against floor",
            f"{fresh_s / floor_s:.2f}× wall, {fresh_cpu / floor_cpu:.2f}× CPU")
        row(f"`weasyprint` command per document ({len(sample)} docs)",
            f"{1000 * per_cli:.0f} ms/doc wall, {1000 * cli_cpu / len(sample):.0f} ms/doc CPU")
        row("engine speed-up over command per document",
            f"{per_cli / per_engine:.1f}× wall, {(cli_cpu / len(sample)) / (engine_cpu / docs):.1f}× CPU", "goal ≥ 2×")

        log(f"engine -j 1 and -j {args.jobs}, PDF and HTML")
        j1 = []
        jn = []
        for _ in range(args.rounds):
            seconds, _ = tipsheets(big, "-j", "1", "--force")
            j1.append((seconds, LAST_CPU[0]))
            seconds, _ = tipsheets(big, "-j", str(args.jobs), "--force")
            jn.append((seconds, LAST_CPU[0]))
        (j1_s, j1_cpu), (jn_s, jn_cpu) = min(j1), min(jn)
        row(f"full build -j 1, PDF + HTML ({docs} docs)", f"{j1_s:.1f} s wall, {j1_cpu:.1f} s CPU")
        row(f"full build -j {args.jobs}, PDF + HTML", f"{jn_s:.1f} s wall, {jn_cpu:.1f} s CPU")
        row(f"-j {args.jobs} speed-up over -j 1", f"{j1_s / jn_s:.2f}× wall "
            f"(CPU-bound bound: {args.jobs * j1_cpu / jn_cpu:.2f}×)", f"goal ≥ 1.7× on {args.jobs} cores")
        bare_dir = tmp / "unstyled"  # the same words with no CSS at all: WeasyPrint's cost for the text itself
        bare_dir.mkdir()
        words: dict[str, int] = {}
        for name in names:
            text = re.sub(r"<style>.*?</style>", "", (html_dir / name).read_text(), flags=re.S)
            (bare_dir / name).write_text(text)
            words[name] = words_of(text)
        floor(bare_dir, base, names)
        bare_doc = dict(LAST_TIMES)
        for kind, (ms, n, p) in sorted(kinds.items()):
            mine = [r["target"].replace("/", "__") + ".html" for r in summary["built"] if r["kind"] == kind]
            floor_ms = 1000 * sum(floor_doc[m] for m in mine) / p
            bare_ms = 1000 * sum(bare_doc[m] for m in mine) / p
            row(f"render, {kind} ({n} docs, {p} pages)",
                f"{ms:.0f} ms/page; floor {floor_ms:.0f}; words alone {bare_ms:.0f} "
                f"({sum(words[m] for m in mine) / p:.0f} words a page)", "goal < 60 ms/page")
        cols_dir = tmp / "columns"
        cbase, cnames = dump_html(big, cols_dir, used, "tipsheet", columns=True)
        sbase, snames = base, [n for n in names if n.startswith("tipsheets__")]
        _, cols_pages = floor(cols_dir, cbase, cnames)
        cols_s = LAST_LOOP[0]
        _, flat_pages = floor(html_dir, sbase, snames)
        flat_s = LAST_LOOP[0]
        row("tip sheet, single column as shipped (floor loop, render time only)",
            f"{1000 * flat_s / sum(flat_pages):.0f} ms/page")
        row("tip sheet in two CSS columns (not shipped)", f"{1000 * cols_s / sum(cols_pages):.0f} ms/page")

        log("peak memory")
        _, done = run([PY, "-c", MEMORY, str(big), str(tmp / "mem-out"), str(args.jobs)])
        mem = json.loads(done.stdout)
        row(f"peak memory per worker (-j {args.jobs})", f"{mem['worker_kb'] / 1024:.0f} MB "
            f"(parent {mem['parent_kb'] / 1024:.0f} MB)")

        # ---- B: many short documents
        log(f"generating {args.noop_targets} short tip sheets")
        many = make_project(tmp / "many", args.content, sheets=0, small=args.noop_targets,
                            programs=args.programs, offices=args.offices)
        first_s, first = tipsheets(many, "-j", str(args.jobs))
        many_failed = drop_failed(many, first)
        if many_failed:  # a failed handout is rendered again on every build: keep it out of the no-op figure
            row("handouts that failed in the no-op project, removed before the no-op runs", f"{many_failed}")
            tipsheets(many)  # the build that forgets them
        targets = first["counts"]["built"]
        small_kinds = per_page_by_kind(first)
        row(f"first build of {targets} short sheets, -j {args.jobs}", f"{first_s:.1f} s "
            f"({1000 * first_s / targets:.0f} ms/doc)")
        noop = []
        for _ in range(3):
            seconds, again = tipsheets(many)
            assert again["counts"]["built"] == 0 and again["counts"]["failed"] == 0, again["counts"]
            assert again["counts"]["skipped"] == targets, again["counts"]
            noop.append((seconds, again["seconds"]))
        noop_s, noop_engine = min(noop)
        row(f"no-op rebuild of {targets} targets (whole command)", f"{noop_s:.2f} s "
            f"(engine {noop_engine:.2f} s)", "goal < 1 s")
        changed, expected = shared_file(many, first_targets=first)
        seconds, after = tipsheets(many)
        rebuilt = sorted(r["target"] for r in after["built"])
        row(f"rebuild after {changed} changes", f"{seconds:.2f} s, {len(rebuilt)} rebuilt of {targets}",
            "exactly its readers" + (" ✓" if rebuilt == expected else f" ✗ expected {len(expected)}"))
        for kind, (ms, n, _) in sorted(small_kinds.items()):
            row(f"render, short {kind} at -j {args.jobs} ({n} docs)", f"{ms:.0f} ms/page (worker time)")

        # ---- start-up
        times = []
        for _ in range(5):
            seconds, _ = run([PY, "-m", "tipsheets", "--help"])
            times.append(seconds)
        _, done = run([PY, "-c", "import sys, tipsheets.cli; print('weasyprint' in sys.modules)"])
        row("`tipsheets --help` start-up", f"{min(times):.2f} s (median {statistics.median(times):.2f} s)",
            "goal < 0.3 s" + ("" if done.stdout.strip() == "False" else " (imports WeasyPrint!)"))
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    load = os.getloadavg()
    print(f"\n{os.cpu_count()} cores; load average at the end {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f}")
    width = max(len(r[0]) for r in rows)
    vwidth = max(len(r[1]) for r in rows)
    print(f"\n{'figure':<{width}}  {'measured':<{vwidth}}  goal")
    print(f"{'-' * width}  {'-' * vwidth}  ----")
    for name, value, goal in rows:
        print(f"{name:<{width}}  {value:<{vwidth}}  {goal}")


def drop_failed(project: Path, summary: dict) -> int:
    """Remove the content of handouts that failed (content that cannot build); return how many failed."""
    for row in summary["failed"]:
        folder = {"desk-aid": "offices", "flyer": "programs", "tipsheet": "tipsheets"}[row["kind"]]
        for path in (project / "content" / folder).glob(f"{row['target'].split('/')[-1].split('.')[0]}*.yaml"):
            path.unlink()
    return len(summary["failed"])


def shared_file(project: Path, first_targets: dict) -> tuple[str, list[str]]:
    """Change one file that some documents read (a program if a kind lists programs, else a brand)."""
    sys.path.insert(0, str(SRC))
    import datetime as dt

    from tipsheets.handouts import plan
    from tipsheets.project import load_project

    targets = plan(load_project(project), dt.date.fromisoformat(AS_OF))
    readers: dict[str, list[str]] = {}
    for t in targets:
        for f in t.inputs:
            readers.setdefault(f, []).append(t.stem)
    programs = [f for f in readers if f.startswith("content/programs/")]
    brands = [f for f in readers if f.startswith("content/brands/") and f.endswith(".yaml")]
    candidates = programs or brands
    changed = min(candidates, key=lambda f: (len(readers[f]), f))
    path = project / changed
    path.write_text(path.read_text() + "\n# edited\n")
    return changed, sorted(readers[changed])


if __name__ == "__main__":
    main()
