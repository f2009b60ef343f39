"""How long the wording gate takes on 1,000 content files.

    python benchmarks/lint_bench.py [--files 1000]

Generates synthetic tip sheets, programs and offices in a temporary folder,
then times loading the catalog and linting it, and prints a small table.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from tipsheets.project import load_project  # noqa: E402
from tipsheets.lint import lint_catalog  # noqa: E402
from tipsheets.lint.engine import default_template_dirs  # noqa: E402

PARAGRAPH = (
    "Co-parenting works best when both parents keep the child at the centre of every decision. "
    "Talk about schedules, school and health in a calm voice, and write down what you agree. "
    "If a parent misses a payment, he should call the office right away so the caseworker can help. "
    "Our relationship education classes are free, and childcare is provided at every session. "
    "Visit [our website](https://example.org/classes) to find a class near you, or call 555-0100."
)


def tipsheet(n: int) -> str:
    audience = ("parents", "agency-staff", "practitioners")[n % 3]
    tips = "".join(
        f"  - id: tip-{t}\n    heading: Tip number {t} about talking\n    body: |\n      {PARAGRAPH}\n"
        f"    bullets:\n      - Keep it short.\n      - Ask what they need.\n"
        for t in range(6)
    )
    extra = "      Some marriage education words here.\n" if n % 50 == 0 else ""
    return (
        f"title: Working together, sheet {n}\naudience: {audience}\ndate: 2024-05-01\n"
        f"intro:\n  - id: why\n    heading: Why it matters\n    body: |\n      {PARAGRAPH}\n{extra}"
        f"tips_heading: Tips\ntips:\n{tips}"
        "case_example:\n  title: A story\n  story: >\n"
        "    Marcus is a father of two. When Marcus lost his job, he called us.\n"
    )


def program(n: int) -> str:
    return (
        f"name: Family class {n}\nprovider: family-center\ndescription: |\n  {PARAGRAPH}\n"
        "audiences: [co-parents]\nformat: online\nregistration: {url: \"https://example.org\"}\n"
        "serves: [{state: GA, statewide: true}]\nverified: 2024-05-01\n"
        "translations:\n  es:\n    description: Una clase gratuita de educación sobre relaciones para padres.\n"
    )


def office(n: int) -> str:
    return (
        f"name: Child Support Office {n}\nbrand: default\nserves: [{{state: GA, counties: [Clarke]}}]\n"
        "address: 1 Main St, Athens, GA 30601\nphone: 555-0100\n"
        "family_violence_contact: {name: Safe Line, phone: 555-0199}\n"
        "extra_guidance:\n  - Ask every parent what they need before you refer.\n"
        "  - If a parent mentions violence, stop and give the hotline number.\n"
    )


def generate(root: Path, files: int) -> None:
    for kind in ("tipsheets", "programs", "offices"):
        (root / "content" / kind).mkdir(parents=True)
    for n in range(files):
        if n % 10 < 6:
            (root / "content/tipsheets" / f"sheet-{n}.yaml").write_text(tipsheet(n), encoding="utf-8")
        elif n % 10 < 8:
            (root / "content/programs" / f"class-{n}.yaml").write_text(program(n), encoding="utf-8")
        else:
            (root / "content/offices" / f"office-{n}.yaml").write_text(office(n), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        generate(root, args.files)
        started = time.perf_counter()
        catalog = load_project(root)
        loaded = time.perf_counter()
        findings = lint_catalog(catalog, default_template_dirs(root))
        done = time.perf_counter()
        assert not catalog.errors, catalog.errors[:3]
        strings = sum(1 for source in catalog.sources() for _ in source.strings())
        load_s, lint_s, total = loaded - started, done - loaded, done - started
        rows = [
            ("files", f"{args.files:,}"),
            ("strings", f"{strings:,}"),
            ("findings", f"{len(findings):,}"),
            ("load seconds", f"{load_s:.2f}"),
            ("lint seconds", f"{lint_s:.2f}"),
            ("total seconds", f"{total:.2f}"),
            ("files/s (lint)", f"{args.files / lint_s:,.0f}"),
            ("files/s (load+lint)", f"{args.files / total:,.0f}"),
        ]
        width = max(len(name) for name, _ in rows)
        for name, value in rows:
            print(f"{name:<{width}}  {value:>10}")


if __name__ == "__main__":
    main()
