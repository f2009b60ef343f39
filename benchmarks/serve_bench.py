"""Measure ``tipsheets serve`` from a save to the reloaded preview page, on the shipped content.

    python benchmarks/serve_bench.py                # 8 saves, about a minute on 2 cores
    python benchmarks/serve_bench.py --rounds 20 --sheet win-win-agencies

A copy of the shipped project is served (``tipsheets serve --port 0``) and the
preview page of one tip sheet is opened in Debian's Chromium (Playwright for
Python). Each round saves the tip sheet with a changed heading and measures,
from the moment the file is written:

- *words*: until the web version on the preview page, which reloaded itself,
  first paints the new heading (the reader sees the change);
- *pictures*: until every PDF page picture on that page has loaded too (the
  page's load event).

Both are read from the browser's own clock (Playwright only looks now and
then), which on one machine is this process's clock.
- *build*: the seconds the server's rebuild took, as it prints them.

The floor, measured in the same run: the same save rebuilt the way ``tipsheets
watch`` rebuilds, by :func:`tipsheets.build.pipeline.build` in this process
with a fresh pool of workers (``-j 2``), until that build returns. Each figure
is printed with its ratio to the floor's median. Nothing here asserts: figures
depend on the machine and on what else runs on it (the load average is printed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-25"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
#: in the preview page: when its web version first painted the new words, and when the page had loaded
#: every picture (its load event), as epoch milliseconds
PAINTED = """() => {
  const inner = document.querySelector("iframe").contentWindow.performance;
  const paint = inner.getEntriesByName("first-contentful-paint")[0];
  const shown = paint ? inner.timeOrigin + paint.startTime : inner.timing.domContentLoadedEventEnd;
  return [shown, performance.timing.loadEventEnd];
}"""
HEADING = re.compile(r"^(  - id: [^\n]+\n    heading: )([^\n]+)$", re.MULTILINE)


def copy_project(root: Path) -> Path:
    project = root / "project"
    project.mkdir()
    shutil.copytree(REPO / "content", project / "content")
    shutil.copy(REPO / "tipsheets.yaml", project / "tipsheets.yaml")
    return project


def with_heading(text: str, words: str) -> str:
    """The tip sheet with its first section heading replaced by ``words``."""
    return HEADING.sub(lambda m: m.group(1) + words, text, count=1)


class Server:
    def __init__(self, project: Path) -> None:
        code = f"import sys; sys.path.insert(0, {str(REPO / 'src')!r}); from tipsheets.cli import main; main()"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, "serve", "--project", str(project), "--as-of", AS_OF, "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self.wait(r"serving (http://\S+/)", 0, 600).group(1)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait(self, pattern: str, after: int, timeout: float = 120) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines[after:]:
                match = re.search(pattern, line)
                if match:
                    return match
            if self.process.poll() is not None:
                raise SystemExit("tipsheets serve ended:\n" + "\n".join(self.lines))
            time.sleep(0.01)
        raise SystemExit(f"no line matching {pattern!r}:\n" + "\n".join(self.lines))

    def stop(self) -> None:
        self.process.send_signal(2)
        self.process.wait(timeout=60)


def measure_serve(project: Path, sheet: str, rounds: int) -> tuple[list[float], list[float], list[float]]:
    from playwright.sync_api import sync_playwright

    path = project / "content" / "tipsheets" / f"{sheet}.yaml"
    original = path.read_text()
    server = Server(project)
    words, pictures, builds = [], [], []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(f"{server.url}_tipsheets/preview/tipsheets/{sheet}", wait_until="load")
            web = page.frame_locator("iframe")
            for index in range(rounds + 1):  # the first save warms the browser's side; it is not counted
                heading = f"Saved heading number {index}"
                mark = len(server.lines)
                started = time.time() * 1000  # the browser's clock is this clock: epoch milliseconds
                path.write_text(with_heading(original, heading))
                web.get_by_text(heading, exact=True).wait_for(timeout=120_000)
                page.wait_for_function("() => [...document.querySelectorAll('.pdf img')]"
                                       ".every(img => img.complete && img.naturalWidth > 0)", timeout=120_000)
                page.wait_for_load_state("load")
                # when it happened, by the page's own clock (Playwright only looks now and then)
                shown, drawn = page.evaluate(PAINTED)
                built = float(server.wait(r"✓ .* in ([0-9.]+) s", mark).group(1))
                if index:
                    words.append((shown - started) / 1000)
                    pictures.append((drawn - started) / 1000)
                    builds.append(built)
                time.sleep(0.3)  # let the rest of the build (the gallery) finish before the next save
            browser.close()
    finally:
        server.stop()
        path.write_text(original)
    return words, pictures, builds


def measure_floor(project: Path, sheet: str, rounds: int) -> list[float]:
    """The same saves rebuilt as ``tipsheets watch`` does: build() with a fresh pool, in this process."""
    sys.path.insert(0, str(REPO / "src"))
    from tipsheets.build.options import Options
    from tipsheets.build.pipeline import build

    options = Options(project=project, out_dir=project / "floor-output", as_of=dt.date.fromisoformat(AS_OF), jobs=2)
    path = project / "content" / "tipsheets" / f"{sheet}.yaml"
    original = path.read_text()
    build(options)
    seconds = []
    try:
        for index in range(rounds):
            path.write_text(with_heading(original, f"Floor heading number {index}"))
            started = time.perf_counter()
            result = build(options)
            seconds.append(time.perf_counter() - started)
            if not result.ok:
                raise SystemExit(f"the floor build failed: {result.errors[:3]}")
    finally:
        path.write_text(original)
    return seconds


def row(name: str, values: list[float], floor: float) -> str:
    median = statistics.median(values)
    return (f"{name:<34} {median:7.3f} {min(values):7.3f} {max(values):7.3f} {median / floor:7.2f}"
            f"  {sum(v < 1 for v in values)}/{len(values)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--sheet", default="win-win-practitioners", help="the tip sheet to save (its id)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tipsheets-serve-bench-") as folder:
        project = copy_project(Path(folder))
        words, pictures, builds = measure_serve(project, args.sheet, args.rounds)
        floor = measure_floor(project, args.sheet, args.rounds)
    base = statistics.median(floor)
    load = os.getloadavg()
    print(f"tipsheets serve: save → reloaded preview of tipsheets/{args.sheet}, {args.rounds} saves "
          f"({os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})")
    print(f"{'seconds':<34} {'median':>7} {'min':>7} {'max':>7} {'÷floor':>7}  under 1 s")
    print(row("floor: rebuild as `watch` does", floor, base))
    print(row("serve: its rebuild (as printed)", builds, base))
    print(row("serve: save → new words on page", words, base))
    print(row("serve: save → page pictures too", pictures, base))


if __name__ == "__main__":
    main()
