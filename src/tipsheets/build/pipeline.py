"""The build, as a pipeline: load → check → gate → plan → triage → render → tidy → gallery → record.

:func:`build` never raises for bad content. A handout whose inputs have an
error is not written (its old files stay as they were) and its error is
reported; every other handout still builds.

Builds are incremental. Every target carries a digest of everything it reads
(:mod:`tipsheets.build.digests`); the manifest in the output folder records,
per target, the digest it was built from and the files written with their
sha256. A target is rendered again only when its digest changed or one of its
files is missing or altered. Outputs of targets that no longer exist are
removed: only files the manifest lists, nothing else in the folder.

Each file is written atomically by the process that rendered it; the manifest
is written after the files it lists, so an interrupted build never claims a
file it does not hold, and the next build repairs whatever is missing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from tipsheets.build.digests import environment_digest, with_digests
from tipsheets.build.attribution import gallery_refused
from tipsheets.build.gate import blocked_by_templates, broken_files, wording_gate
from tipsheets.build.options import BuildResult, Checked, Options, Outcome, cores
from tipsheets.build.pool import Pool, Work, render_here
from tipsheets.build.select import selected
from tipsheets.core.catalog import CONFIG_NAME, Catalog, ParsedFiles
from tipsheets.core.target import Target
from tipsheets.handouts import KINDS, plan
from tipsheets.project import check_project, load_project
from tipsheets.publish import gallery, record
from tipsheets.publish.output import (OutputError, intact, read_manifest, remove_output, sweep_temporary,
                                      write_manifest)
from tipsheets.render.environment import make_environment, render_page
from tipsheets.render.fence import PageRefused, fence

#: seconds between manifest checkpoints during a long build, so an interrupted build keeps its progress
CHECKPOINT_SECONDS = 5.0

OnEvent = Callable[[Outcome], None]
OnStart = Callable[[list[Target], int], None]
OnChecked = Callable[[Checked], None]


def build(options: Options, *, on_event: OnEvent | None = None, on_start: OnStart | None = None,
          on_checked: OnChecked | None = None, pool: Pool | None = None,
          parsed: ParsedFiles | None = None) -> BuildResult:
    """Build the handouts of the project that changed; report, never raise, for bad content.

    ``on_checked`` is called once the content is loaded and checked (not when
    nothing changed since the last clean build), ``on_start(to_render, skipped)``
    once the work is known, ``on_event`` once per target (built, skipped or
    failed) as it finishes. A caller that builds again and again keeps its
    workers warm by giving the same ``pool`` each time (else the build makes
    one and closes it), and its parsed content files in ``parsed``.
    """
    started = time.perf_counter()
    shared = environment_digest(options.project)  # once: the fingerprint, digests and layouts use it
    fingerprint = record.fingerprint(options, shared)
    if not options.force:
        last = record.unchanged(options.out_dir, fingerprint, gallery=options.gallery)
        if last is not None:
            return nothing_to_do(options, last, started, on_event=on_event, on_start=on_start)
    catalog = load_project(options.project, parsed)
    if not catalog.has_content:  # the wrong folder, most likely: leave the output folder exactly as it is
        return BuildResult(catalog=catalog, problems=[], outcomes=[], seconds=time.perf_counter() - started)
    record.forget(options.out_dir)

    problems = check_project(catalog, options.as_of)
    findings, lint_broken = wording_gate(catalog, options.project) if options.lint else (None, {})
    # every target there is (the project's locales), so outputs of targets that no longer exist can go
    everything = with_digests(plan(catalog, options.as_of), catalog.root, options.as_of, digest_formats(options),
                              shared=shared)
    targets = selected(everything, options)
    if on_checked:
        on_checked(Checked(catalog, problems, findings, everything))

    out_dir = options.out_dir
    sweep_temporary(out_dir)
    old = read_manifest(out_dir)
    triage = Triage(catalog, broken_files(catalog, problems), lint_broken, old, options)
    outcomes, todo = triage.split(targets)
    if on_start:
        on_start(todo, sum(o.status == "skipped" for o in outcomes))
    for outcome in outcomes:
        if on_event:
            on_event(outcome)

    manifest = dict(old)
    jobs = pool.size if pool is not None else min(options.jobs or cores(), len(todo)) or 1
    rendered = render(todo, catalog, options, jobs, manifest, shared, on_event, pool)
    outcomes += rendered
    removed = remove_stale(out_dir, manifest, everything, catalog)
    if removed or manifest != old:
        write_manifest(out_dir, manifest)

    order = {t.stem: i for i, t in enumerate(targets)}
    outcomes.sort(key=lambda o: order.get(o.target.stem, len(order)))
    lint_errors = [line for lines in lint_broken.values() for line in lines]
    result = BuildResult(catalog=catalog, problems=problems, outcomes=outcomes, removed=removed,
                         seconds=time.perf_counter() - started, jobs=jobs, lint_errors=lint_errors)
    if options.gallery and out_dir.is_dir():  # nothing built yet: leave no output folder behind
        try:
            result.gallery = publish_gallery(options, catalog, everything, findings, manifest)
        except OutputError as exc:
            result.gallery_error = str(exc)
        except PageRefused as exc:  # a project's gallery template that would load or run something
            result.gallery_refused = gallery_refused(exc, options.project)
    if result.ok and not result.warnings and not result.gallery_error and out_dir.is_dir():
        record.remember(out_dir, fingerprint, [record.Recorded(o.target.stem, o.target.kind, o.target.id,
                                                               o.target.locale) for o in result.outcomes])
    return result


def digest_formats(options: Options) -> tuple[str, ...]:
    """What a target's outputs are, as part of its digest: the formats, and the print-shop PDF if asked for."""
    return options.formats + (("print",) if options.print_shop else ())


@dataclass
class Triage:
    """Sorts the selected targets: those that cannot be built, those unchanged, those to render."""

    catalog: Catalog
    #: file (as shown) → its error lines
    broken: dict[str, list[str]]
    #: file (as shown) → its error-level wording findings
    lint_broken: dict[str, list[str]]
    manifest: dict[str, dict[str, Any]]
    options: Options

    def split(self, targets: list[Target]) -> tuple[list[Outcome], list[Target]]:
        page_templates = {kind.template for kind in KINDS}
        outcomes: list[Outcome] = []
        todo: list[Target] = []
        for target in targets:
            reasons = self.reasons(target, page_templates)
            entry = self.manifest.get(target.stem)
            if reasons:
                outcomes.append(Outcome(target, "failed", errors=reasons))
            elif (not self.options.force and entry and entry["digest"] == target.digest
                  and intact(self.options.out_dir, entry["files"])):
                outcomes.append(Outcome(target, "skipped", files=sorted(entry["files"]), hashes=entry["files"]))
            else:
                todo.append(target)
        return outcomes, todo

    def reasons(self, target: Target, page_templates: set[str]) -> list[str]:
        """Why ``target`` cannot be built now, one line each; none when it can."""
        reasons = [f"not built: {file} has an error" for file in target.inputs if file in self.broken]
        reasons += [f"not built: {file} has wording errors" for file in target.inputs
                    if file in self.lint_broken and file not in self.broken]
        reasons += [f"not built: {file} has wording errors"
                    for file in blocked_by_templates(target, self.lint_broken, page_templates)]
        if CONFIG_NAME in self.lint_broken:
            reasons.append(f"not built: the lint settings in {CONFIG_NAME} have an error")
        reasons += [f"not built: {file} does not exist" for file in target.inputs
                    if file.endswith((".yaml", ".yml")) and file not in self.broken
                    and not (self.catalog.root / file).is_file()]
        return reasons


def render(todo: list[Target], catalog: Catalog, options: Options, jobs: int, manifest: dict[str, dict[str, Any]],
           shared: str, on_event: OnEvent | None, pool: Pool | None = None) -> list[Outcome]:
    """Render ``todo``, recording each built handout in ``manifest`` as it finishes (checkpointed to disk);
    with the caller's ``pool`` when given, else in this process (one job) or a pool of ``jobs`` workers."""
    out_dir = options.out_dir
    known = {stem: tuple(entry.get("rejected", ())) for stem, entry in manifest.items()}
    timeout = float(catalog.config.render_timeout)
    outcomes: list[Outcome] = []
    first = dict(manifest)
    last_checkpoint = time.monotonic()

    def finished(outcome: Outcome) -> None:
        nonlocal last_checkpoint
        outcomes.append(outcome)
        if outcome.status == "built":
            record_built(manifest, out_dir, outcome)
            if time.monotonic() - last_checkpoint > CHECKPOINT_SECONDS:
                write_manifest(out_dir, manifest)
                last_checkpoint = time.monotonic()
        if on_event:
            on_event(outcome)

    try:
        if pool is not None:
            if todo:
                pool.run(todo, Work(catalog, options, shared), finished, known, timeout)
        elif jobs <= 1:
            render_here(todo, catalog, options, finished, known, shared, timeout)
        else:
            with Pool(jobs) as own:
                own.run(todo, Work(catalog, options, shared), finished, known, timeout)
    finally:
        # an interrupted build keeps what it finished; a worker killed mid-write leaves its temporary file
        sweep_temporary(out_dir)
        if manifest != first:
            write_manifest(out_dir, manifest)
    return outcomes


def record_built(manifest: dict[str, dict[str, Any]], out_dir: Path, outcome: Outcome) -> None:
    """Note a built target in the manifest; drop files its previous build wrote and this one did not."""
    target = outcome.target
    previous = manifest.get(target.stem)
    if previous:
        for name in set(previous["files"]) - set(outcome.hashes):
            remove_output(out_dir, name)
    manifest[target.stem] = {"digest": target.digest, "source": target.inputs[0] if target.inputs else "",
                             "files": dict(sorted(outcome.hashes.items()))}
    if outcome.rejected:
        manifest[target.stem]["rejected"] = sorted(set(outcome.rejected))


def remove_stale(out_dir: Path, manifest: dict[str, dict[str, Any]], everything: list[Target],
                 catalog: Catalog) -> list[str]:
    """Remove the files of targets that no longer exist.

    A target whose source file is still there but failed to load is not gone:
    a typo must not delete a handout. Its entry and files stay until it loads.
    """
    planned = {t.stem for t in everything}
    removed = []
    for stem in sorted(set(manifest) - planned):
        source = manifest[stem].get("source", "")
        if source and source in catalog.failed and (catalog.root / source).exists():
            continue
        for name in sorted(manifest[stem]["files"]):
            if remove_output(out_dir, name):
                removed.append(name)
        del manifest[stem]
    return removed


def publish_gallery(options: Options, catalog: Catalog, targets: list[Target], findings: list[Any] | None,
                    manifest: dict[str, dict[str, Any]]) -> Path:
    """Write ``output/index.html`` and its thumbnails for every handout in the output folder."""
    known = {name: digest for entry in manifest.values() for name, digest in entry["files"].items()}
    sizes = gallery.update_thumbnails(options.out_dir, [t.stem for t in targets], known)
    status = gallery.lint_status(findings, targets)
    office_names = {entry.id: entry.item.name for entry in catalog.of("offices")}
    headings = {kind.name: kind.heading for kind in KINDS}
    sections = gallery.sections(targets, options.out_dir, sizes, status, headings, office_names)
    env = make_environment(catalog.root)
    html = render_page(env, "gallery/page.html.j2", gallery.page_context(catalog.config.title, sections, options.as_of))
    # refused (PageRefused) when it would load or run anything: then it is not written
    return gallery.write_index(options.out_dir, fence(html))


def nothing_to_do(options: Options, last: list[record.Recorded], started: float, *,
                  on_event: OnEvent | None, on_start: OnStart | None) -> BuildResult:
    """The result of a build whose inputs are those of the last clean build: every target unchanged."""
    manifest = read_manifest(options.out_dir)
    outcomes = [Outcome(Target(kind=t.kind, id=t.id, locale=t.locale, template="", stem=t.stem, inputs=()),
                        "skipped", files=sorted(manifest[t.stem]["files"]), hashes=manifest[t.stem]["files"])
                for t in last]
    if on_start:
        on_start([], len(outcomes))
    for outcome in outcomes:
        if on_event:
            on_event(outcome)
    index = options.out_dir / gallery.INDEX if options.gallery else None
    return BuildResult(catalog=None, problems=[], outcomes=outcomes, seconds=time.perf_counter() - started,
                       jobs=1, gallery=index)

