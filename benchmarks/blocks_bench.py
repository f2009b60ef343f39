"""Measure how long WeasyPrint takes per page for the layouts blocks bring, and print a table.

    PYTHONPATH=src python benchmarks/blocks_bench.py            # 7 rounds of each, a minute or two
    PYTHONPATH=src python benchmarks/blocks_bench.py --rounds 3

Each layout is rendered from the shipped content through the same Printer a build
uses (parsed stylesheets kept, fonts loaded once), in one process, after one
warm-up render, each layout once a round for several rounds; the table gives the
median CPU milliseconds per page (CPU time, so other work on a shared machine
does not count) and the ratio to the floor measured in the same run, the
single-column tip sheet. Beside each
layout the theme ships, the alternatives it was measured against:

  two columns: the fact sheet's body with ``column-fill: auto`` (shipped: each
      column fills to the foot of the page), with ``column-fill: balance``
      (CSS's default: the columns of every page are balanced), and the same
      body in one column;
  the brochure: panels as floats of their exact widths (shipped), as
      absolutely positioned boxes, and as a flexbox row.

Nothing here asserts on time; the figures are printed for docs/blocks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from tipsheets.build.handout import font_base  # noqa: E402
from tipsheets.core.theme import builtin_theme  # noqa: E402
from tipsheets.handouts import page_html, plan  # noqa: E402
from tipsheets.print.printer import Printer  # noqa: E402
from tipsheets.project import load_project  # noqa: E402
from tipsheets.render.environment import make_environment  # noqa: E402

AS_OF = dt.date(2026, 11, 25)

#: CSS laid over a page to try an alternative layout of the same content
BALANCED = "main.two-columns { column-fill: balance; }"
ONE_COLUMN = "main.two-columns { columns: auto; }"
ABSOLUTE = """
.side { height: 8.5in; } .side::after { content: none; }
.panel { float: none; position: absolute; top: 0; height: 8.5in; min-height: 0; }
.outside .panel-flap { left: 0; } .outside .panel-back { left: 3.625in; } .outside .panel-cover { left: 7.3125in; }
.inside .panel-inside-left { left: 0; } .inside .panel-inside-middle { left: 3.6875in; }
.inside .panel-inside-right { left: 7.375in; }
"""
FLEX = """
.side { display: flex; } .side::after { content: none; }
.panel { float: none; flex: none; } .panel-cover { order: 3; }
"""

#: (label, target stem, extra CSS or None, shipped?)
CASES = [
    ("tip sheet, one column (the floor)", "tipsheets/win-win-agencies", None, True),
    ("fact sheet, two columns, column-fill: auto", "tipsheets/child-support-at-a-glance", None, True),
    ("fact sheet, two columns, column-fill: balance", "tipsheets/child-support-at-a-glance", BALANCED, False),
    ("fact sheet, one column", "tipsheets/child-support-at-a-glance", ONE_COLUMN, False),
    ("brochure of blocks, float panels", "brochures/working-together-for-children", None, True),
    ("brochure of blocks, absolute panels", "brochures/working-together-for-children", ABSOLUTE, False),
    ("brochure of blocks, flexbox panels", "brochures/working-together-for-children", FLEX, False),
    ("program brochure, float panels", "brochures/together-for-our-kids", None, True),
    ("program brochure, absolute panels", "brochures/together-for-our-kids", ABSOLUTE, False),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="renders of each layout (the median is shown)")
    args = parser.parse_args()

    catalog = load_project(REPO)
    targets = {t.stem: t for t in plan(catalog, AS_OF)}
    envs: dict[str, object] = {}
    printer = Printer([catalog.root, builtin_theme()])
    base_url = catalog.root.as_uri() + "/"
    pages: dict[str, tuple[str, int]] = {}
    for label, stem, css, _ in CASES:
        target = targets[stem]
        env = envs.setdefault(target.locale, make_environment(catalog.root, locale=target.locale))
        html = page_html(target, catalog, env, as_of=AS_OF, for_print=True, font_base=font_base())  # type: ignore[arg-type]
        if css is not None:
            html = html.replace("</head>", f"<style>{css}</style></head>", 1)
        result = printer.print(html, base_url=base_url, identifier=stem, write=False)  # warm-up
        pages[label] = (html, result.pages)
    # round after round, each layout once a round, timed in CPU seconds: the machine may be busy with
    # other work, which wall time would count and CPU time does not
    times: dict[str, list[float]] = {label: [] for label, *_ in CASES}
    for round_number in range(args.rounds):
        for label, stem, _, _ in CASES:
            started = time.process_time()
            printer.print(pages[label][0], base_url=base_url, identifier=stem, write=False)
            times[label].append(time.process_time() - started)
        print(f"  round {round_number + 1} of {args.rounds}", file=sys.stderr, flush=True)
    rows = [(label, pages[label][1], 1000 * statistics.median(times[label]) / pages[label][1], shipped)
            for label, _, _, shipped in CASES]

    floor = rows[0][2]
    print(f"\nWeasyPrint layout, median of {args.rounds} renders, CPU ms per page "
          "(ratio to the one-column tip sheet)\n")
    print(f"{'layout':52} {'pages':>5} {'ms/page':>8} {'ratio':>6}  shipped")
    for label, pages, ms, shipped in rows:
        print(f"{label:52} {pages:>5} {ms:>8.0f} {ms / floor:>6.2f}  {'yes' if shipped else ''}")


if __name__ == "__main__":
    main()
