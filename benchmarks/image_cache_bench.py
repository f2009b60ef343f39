"""Measure WeasyPrint's image cache kept across handouts (``tipsheets.pdf.ImageCache``) on the shipped content.

    python benchmarks/image_cache_bench.py              # 5 rounds of each, about 2 minutes on 2 cores
    python benchmarks/image_cache_bench.py --rounds 2

Two figures:

1. Builds. Each round builds the shipped content twice, in fresh processes, as
   ``tipsheets build --as-of 2026-11-25 --force -j 1 -f pdf --no-gallery --no-lint``
   does: once as shipped, and once with ``IMAGE_CACHE_BYTES = 0`` (a new cache
   for every handout, which is what WeasyPrint does by itself). The order
   alternates between rounds. Printed: per kind of handout, the per-handout
   seconds (each handout's fastest round, as other work on the machine only
   ever adds time), the gain, and whether every PDF came out byte for byte the
   same.
2. Image loading. In one process, every handout is rendered again and again,
   and the time WeasyPrint spends loading images (decoding, converting and
   writing them again: ``weasyprint.images.get_image_from_uri``) is measured,
   with a fresh cache for every handout and with the Printer's cache. This is
   the part the cache saves, measured without the noise of a whole build.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(REPO / "src"), "SOURCE_DATE_EPOCH": "1795564800"}
COMMAND = ["build", "--as-of", "2026-11-25", "--force", "-j", "1", "-f", "pdf", "--no-gallery", "--no-lint",
           "--json"]


def run(out: Path, cached: bool) -> tuple[dict[str, float], dict[str, str], dict[str, str]]:
    """One build: seconds per handout, its kind, and the SHA-256 of each PDF."""
    setup = "" if cached else "import tipsheets.pdf as p; p.IMAGE_CACHE_BYTES = 0; "
    code = setup + "from tipsheets.cli import main; main()"
    done = subprocess.run([sys.executable, "-c", code, *COMMAND, "-o", str(out)], cwd=REPO, env=ENV,
                          capture_output=True, text=True, check=False)
    report = json.loads(done.stdout)
    if not report["ok"]:
        raise SystemExit(f"the build failed: {report['errors'][:3]}")
    seconds = {b["target"]: b["seconds"] for b in report["built"]}
    kinds = {b["target"]: b["kind"] for b in report["built"]}
    hashes = {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
              for p in sorted(out.rglob("*.pdf"))}
    return seconds, kinds, hashes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    print(f"1. builds: shipped content, -j 1, fastest of {rounds} rounds (seconds per handout)\n")
    builds(rounds)
    print("\n2. image loading inside WeasyPrint, per handout (fastest of 5 renders, one process)\n")
    loading()


def builds(rounds: int) -> None:
    times: dict[bool, dict[str, list[float]]] = {True: defaultdict(list), False: defaultdict(list)}
    kinds: dict[str, str] = {}
    hashes: dict[bool, dict[str, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for number in range(rounds):
            for cached in (number % 2 == 0, number % 2 == 1):
                seconds, kinds, hashes[cached] = run(Path(tmp) / f"{number}-{cached}", cached)
                for target, value in seconds.items():
                    times[cached][target].append(value)
    print(f"{'kind':<10} {'handouts':>8} {'no cache':>9} {'cache':>9} {'gain':>7}")
    for kind in sorted(set(kinds.values())):
        targets = [t for t, k in kinds.items() if k == kind]
        without = statistics.mean(min(times[False][t]) for t in targets)
        with_cache = statistics.mean(min(times[True][t]) for t in targets)
        print(f"{kind:<10} {len(targets):>8} {without:>9.3f} {with_cache:>9.3f} {1 - with_cache / without:>7.1%}")
    total_without = sum(min(v) for v in times[False].values())
    total_with = sum(min(v) for v in times[True].values())
    print(f"{'all':<10} {len(kinds):>8} {total_without:>9.2f} {total_with:>9.2f} {1 - total_with / total_without:>7.1%}"
          "   (sum over handouts)")
    same = hashes[True] == hashes[False]
    print(f"\nPDFs byte for byte the same with and without the cache: {'yes' if same else 'NO'}"
          f" ({len(hashes[True])} files)")


def loading() -> None:
    """Seconds inside WeasyPrint's image loading per handout, and its share of the render, by kind."""
    import datetime as dt
    import time

    sys.path.insert(0, str(REPO / "src"))
    import weasyprint.document

    from tipsheets.build.handout import font_base
    from tipsheets.core.theme import builtin_theme
    from tipsheets.handouts import page_html, plan
    from tipsheets.print.printer import ImageCache, Printer
    from tipsheets.project import load_project
    from tipsheets.render.environment import make_environment

    spent = [0.0]
    load = weasyprint.document.original_get_image_from_uri

    def timed(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        started = time.perf_counter()
        try:
            return load(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started

    weasyprint.document.original_get_image_from_uri = timed
    catalog = load_project(REPO)
    as_of = dt.date(2026, 11, 25)
    envs = {}
    fonts = font_base()
    printer = Printer([REPO, builtin_theme()])
    pages = []
    for target in plan(catalog, as_of):
        env = envs.setdefault(target.locale, make_environment(REPO, locale=target.locale))
        pages.append((target.kind, page_html(target, catalog, env, as_of=as_of, for_print=True, font_base=fonts)))
    figures: dict[tuple[str, bool], list[tuple[float, float]]] = defaultdict(list)
    for _, html in pages:
        printer.print(html, base_url=REPO.as_uri() + "/", identifier="x")  # fonts and stylesheets warm
    for kind, html in pages:
        for cached in (False, True):
            best = (float("inf"), 0.0)
            for _ in range(5):
                if not cached:
                    printer.images = ImageCache()
                spent[0] = 0.0
                started = time.perf_counter()
                printer.print(html, base_url=REPO.as_uri() + "/", identifier="x")
                best = min(best, (time.perf_counter() - started, spent[0]))
            figures[kind, cached].append(best)
    print(f"{'kind':<10} {'render':>8} {'images, no cache':>17} {'images, cache':>14}")
    for kind in sorted({k for k, _ in figures}):
        render = statistics.mean(total for total, _ in figures[kind, False])
        without = statistics.mean(images for _, images in figures[kind, False])
        with_cache = statistics.mean(images for _, images in figures[kind, True])
        print(f"{kind:<10} {render:>7.3f}s {without:>8.4f}s {without / render:>6.1%} "
              f"{with_cache:>7.4f}s {with_cache / render:>5.1%}")


if __name__ == "__main__":
    main()
