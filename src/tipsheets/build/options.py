"""What a build is asked to do, and what it reports back."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from tipsheets.core.target import Target
from tipsheets.publish.manifest import FileRecord, Part

if TYPE_CHECKING:  # for the annotations only: a build with nothing to do imports no models (start-up time)
    from tipsheets.check import Problem
    from tipsheets.core.catalog import Catalog
    from tipsheets.lint.engine import Finding

FORMATS = ("pdf", "html")


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Options:
    project: Path
    out_dir: Path
    formats: tuple[str, ...] = FORMATS
    as_of: dt.date = field(default_factory=dt.date.today)
    locales: tuple[str, ...] = ()
    only: tuple[str, ...] = ()  # content files (as shown) to restrict the build to
    offices: tuple[str, ...] = ()  # office ids: build only what is made for these offices (with ``programs``)
    programs: tuple[str, ...] = ()  # program ids: build only what is made for these programs (with ``offices``)
    #: run the wording gate first and refuse handouts whose content has lint errors
    lint: bool = True
    gallery: bool = True  # write output/index.html with a thumbnail of every handout
    print_shop: bool = False  # also write output/print/<stem>.pdf: bleed, crop marks, PDF/A-2a
    #: worker processes; 1 renders in this process, 0 means one per core
    jobs: int = 1
    #: render every selected target, changed or not
    force: bool = False
    #: (index, count): build only the index-th (1-based) of count stable slices
    shard: tuple[int, int] | None = None
    #: names this build's temporary files (set by the build while it holds the output folder)
    tag: str = ""


@dataclass
class Outcome:
    target: Target
    status: str  # "built" | "skipped" | "failed"
    files: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    pages: int = 0
    #: False when the content was fine but the output could not be written
    bad_input: bool = True
    #: each file written (relative path → its record: sha256, size, time, the digest it was written from)
    written: dict[str, FileRecord] = field(default_factory=dict)
    #: things the user should know about a built handout, such as a fallback layout
    notes: list[str] = field(default_factory=list)
    #: True when the tool itself failed (a bug, not the content's fault)
    internal: bool = False
    #: keys of the layouts this build rejected: run past one page, or ending on a nearly empty page
    #: that the tighter setting saves (see :mod:`tipsheets.print.layout`)
    rejected: list[str] = field(default_factory=list)


@dataclass
class Checked:
    """What a build knows once the content is loaded and checked, before any handout renders."""

    catalog: Catalog
    problems: list[Problem]
    #: every wording finding (None when the build skips the wording gate)
    findings: list[Finding] | None
    #: every target of the project, with its digest (not only those selected)
    targets: list[Target]


@dataclass
class BuildResult:
    #: None when nothing had changed since the last clean build, so the content was not parsed
    catalog: Catalog | None
    problems: list[Problem]
    outcomes: list[Outcome]
    #: output files removed because their target no longer exists (relative paths)
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    jobs: int = 1
    #: error-level wording findings, one line each
    lint_errors: list[str] = field(default_factory=list)
    #: output/index.html, when the gallery was written
    gallery: Path | None = None
    gallery_error: str | None = None
    #: why the gallery page was refused and not written (one line), when it was
    gallery_refused: str | None = None
    #: why the output folder could not be written or tidied (one line), when it could not
    output_error: str | None = None
    #: things the user should know about the build as a whole (a damaged record, a file left in place)
    notices: list[str] = field(default_factory=list)

    def having(self, status: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def built(self) -> list[Outcome]:
        return self.having("built")

    @property
    def skipped(self) -> list[Outcome]:
        return self.having("skipped")

    @property
    def failed(self) -> list[Outcome]:
        return self.having("failed")

    @property
    def errors(self) -> list[str]:
        """Every error line: files that did not load, cross-file errors."""
        lines = [e.format() for e in self.catalog.errors] if self.catalog is not None else []
        lines += [p.format() for p in self.problems if p.level == "error"]
        return lines + self.lint_errors + ([self.gallery_refused] if self.gallery_refused else [])

    @property
    def warnings(self) -> list[str]:
        return [p.format() for p in self.problems if p.level == "warning"]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.errors


OnEvent = Callable[[Outcome], None]
OnStart = Callable[[list[Target], int], None]
OnChecked = Callable[[Checked], None]


def part_of(options: Options) -> Part | None:
    """The part of the manifest a build writes: its slice's, or None for the main file."""
    return Part(*options.shard) if options.shard else None
