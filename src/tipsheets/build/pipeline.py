"""The build, as a pipeline: load → check → gate → plan → triage → render → tidy → gallery → record.

:func:`build` never raises for bad content. A handout whose inputs have an
error is not written (its old files stay as they were) and its error is
reported; every other handout still builds. Every handout the build is asked
for is counted once: built, unchanged or failed.

Builds are incremental. Every target carries a digest of everything it reads
(:mod:`tipsheets.build.digests`); the manifest in the output folder records
each file a build wrote with the digest it was written from. A target is
rendered again only when a file it is asked for (its PDF, web page, print-shop
PDF, thumbnail) is missing, changed, or was written from other inputs. A
narrower build (one format, a shard, a locale, an office) never removes the
files of what it was not asked for. Files of targets that no longer exist are
removed, and every removal is reported; only files the manifest lists, and
only while they are as tipsheets wrote them.

One build at a time writes to an output folder (:mod:`tipsheets.publish.lock`).
Each file is written atomically; each finished handout is appended to the
manifest's journal after its files are in place, and the manifest is written
at the end, so an interrupted build keeps what it finished, never claims a
file it does not hold, and the next build repairs whatever is missing. A build
of one slice (``--shard``) writes its own part of the manifest and leaves the
gallery's pages to the build that reads the merged slices as one.

This module finds out whether there is anything to do, and imports the steps
(:mod:`tipsheets.build.steps`) only when there is.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Callable

from tipsheets.build.digests import environment_digest, settings_digest
from tipsheets.build.options import BuildResult, OnChecked, OnEvent, OnStart, Options, Outcome, part_of
from tipsheets.core.target import Target
from tipsheets.publish import record
from tipsheets.publish.manifest import GALLERY_INDEX, DamagedState

if TYPE_CHECKING:
    from tipsheets.build.pool import Pool
    from tipsheets.core.catalog import KeptEntries


def build(options: Options, *, on_event: OnEvent | None = None, on_start: OnStart | None = None,
          on_wait: Callable[[str], None] | None = None, on_checked: OnChecked | None = None,
          pool: Pool | None = None, parsed: KeptEntries | None = None) -> BuildResult:
    """Build the handouts of the project that changed; report, never raise, for bad content.

    ``on_checked`` is called once the content is loaded and checked (not when
    nothing changed since the last clean build), ``on_start(to_render, skipped)``
    once the work is known, ``on_event`` once per target (built, skipped or
    failed) as it finishes, ``on_wait`` when another build holds the output
    folder. A caller that builds again and again keeps its workers warm by
    giving the same ``pool`` each time (else the build makes one and closes
    it), and the entries it loaded in ``parsed``.
    """
    started = time.perf_counter()
    notices: list[str] = []
    part = part_of(options)
    settings = settings_digest(options.project)
    shared = environment_digest(options.project, settings)  # once: the fingerprint, digests and layouts use it
    fingerprint = record.fingerprint(options, shared, record.known_inputs(options.out_dir, part))
    if not options.force:
        try:
            last = record.unchanged(options.out_dir, fingerprint, gallery=options.gallery and part is None, part=part)
        except DamagedState as exc:
            notices.append(f"{exc}: checking every handout again")
            last = None
        if last is not None:
            return nothing_to_do(options, last, started, on_event=on_event, on_start=on_start)
    # here, not at the top: a build with nothing to do imports none of the stages (start-up time)
    from tipsheets.build.steps import build_what_changed

    return build_what_changed(options, started=started, notices=notices, settings=settings, shared=shared,
                              fingerprint=fingerprint, on_event=on_event, on_start=on_start, on_wait=on_wait,
                              on_checked=on_checked, pool=pool, parsed=parsed)


def nothing_to_do(options: Options, last: list[record.Recorded], started: float, *,
                  on_event: OnEvent | None, on_start: OnStart | None) -> BuildResult:
    """The result of a build whose inputs are those of the last clean build: every target unchanged."""
    outcomes = []
    for t in last:
        files = t.files
        outcomes.append(Outcome(Target(kind=t.kind, id=t.id, locale=t.locale, template="", stem=t.stem, inputs=()),
                                "skipped", files=sorted(files), written=dict(files)))
    if on_start:
        on_start([], len(outcomes))
    for outcome in outcomes:
        if on_event:
            on_event(outcome)
    index = options.out_dir / GALLERY_INDEX if options.gallery else None
    return BuildResult(catalog=None, problems=[], outcomes=outcomes, seconds=time.perf_counter() - started,
                       jobs=1, gallery=index)
