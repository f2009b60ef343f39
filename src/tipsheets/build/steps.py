"""The steps of a build that has work to do: load → check → gate → plan → triage → render → tidy → gallery →
record (see :mod:`tipsheets.build.pipeline`, which first finds out whether there is any)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from tipsheets.build.attribution import gallery_refused
from tipsheets.build.digests import with_digests
from tipsheets.build.gate import blocked_by_templates, broken_files, wording_gate
from tipsheets.build.options import BuildResult, Checked, OnChecked, OnEvent, OnStart, Options, Outcome, cores, part_of
from tipsheets.build.outputs import requested, up_to_date
from tipsheets.build.pool import Pool, Work, render_here
from tipsheets.build.select import selected
from tipsheets.core.areas import program_files_that_may_serve
from tipsheets.core.catalog import CONFIG_NAME, Catalog, KeptEntries
from tipsheets.core.collector import collector_paused
from tipsheets.core.counties import state_name
from tipsheets.core.target import Target
from tipsheets.handouts import KINDS, BY_NAME, plan
from tipsheets.project import check_project, load_project
from tipsheets.publish import gallery, record
from tipsheets.publish.caches import Caches
from tipsheets.publish.lock import LOCK_NAME, OutputLock
from tipsheets.publish.manifest import (DamagedState, FileRecord, Journal, Manifest, OnDisk, Written,
                                       manifest_name, read_manifest, write_manifest)
from tipsheets.publish.output import OutputError, remove_output, sweep_temporary
from tipsheets.render.environment import make_environment, render_page
from tipsheets.render.fence import PageRefused, fence

if TYPE_CHECKING:
    from tipsheets.check import Problem
    from tipsheets.lint.engine import Finding


def build_what_changed(options: Options, *, started: float, notices: list[str], settings: str, shared: str,
                       fingerprint: record.Fingerprint, on_event: OnEvent | None = None,
                       on_start: OnStart | None = None, on_wait: Callable[[str], None] | None = None,
                       on_checked: OnChecked | None = None, pool: Pool | None = None,
                       parsed: KeptEntries | None = None) -> BuildResult:
    """The build, once it is known that there may be something to do (see :func:`~tipsheets.build.pipeline.build`,
    which gives ``settings``, ``shared`` and ``fingerprint`` as it worked them out)."""
    part = part_of(options)
    caches = Caches.read(options.out_dir, settings)
    notices += caches.notices
    catalog = load_project(options.project, parsed, remembered=caches.parsed)
    if not catalog.has_content:  # the wrong folder, most likely: leave the output folder exactly as it is
        return BuildResult(catalog=catalog, problems=[], outcomes=[], seconds=time.perf_counter() - started)

    problems = check_project(catalog, options.as_of)
    findings, lint_broken = wording_gate(catalog, options.project, caches.findings) if options.lint else (None, {})
    # every target there is (the project's locales), so outputs of targets that no longer exist can go
    with collector_paused():  # a target for every handout: data that lives on
        everything = with_digests(plan(catalog, options.as_of), catalog.root, options.as_of, shared=shared,
                                  known=catalog.file_hashes())
    targets = selected(everything, options)
    if on_checked:
        on_checked(Checked(catalog, problems, findings, everything))

    out_dir = options.out_dir
    existed = out_dir.is_dir()
    try:
        with OutputLock(out_dir, on_wait=on_wait) as lock:
            options = replace(options, tag=lock.tag)
            result = _build_locked(options, catalog, problems, findings, lint_broken, everything, targets,
                                   shared, fingerprint, lock.stale, notices, on_event, on_start, existed, pool)
            refused = result.output_error or any(not o.bad_input and not o.internal for o in result.failed)
            if (existed or (out_dir / manifest_name(part)).exists()) and not refused:  # a full disk: touch no more
                caches.write(out_dir, tag=lock.tag)
    except OutputError as exc:
        return BuildResult(catalog=catalog, problems=problems, outcomes=[], seconds=time.perf_counter() - started,
                           output_error=str(exc), notices=notices)
    if not existed:
        _leave_no_empty_folder(out_dir)
    result.seconds = time.perf_counter() - started
    return result



def _build_locked(options: Options, catalog: Catalog, problems: list[Problem], findings: list[Finding] | None,
                  lint_broken: dict[str, list[str]], everything: list[Target], targets: list[Target], shared: str,
                  fingerprint: record.Fingerprint, stale_tags: set[str], notices: list[str],
                  on_event: OnEvent | None, on_start: OnStart | None, existed: bool,
                  pool: Pool | None = None) -> BuildResult:
    out_dir = options.out_dir
    part = part_of(options)
    record.forget(out_dir, part)
    sweep_temporary(out_dir, stale_tags)  # what a killed build left; nothing else
    try:
        old = read_manifest(out_dir)
    except DamagedState as exc:
        notices.append(f"{exc}: checking every handout again")
        old = Manifest()
    notices += old.notices
    if old.scattered:  # a killed build's journal, or parts: fold them in now, so journals never pile up
        try:
            write_manifest(out_dir, old, tag=options.tag, part=part)
        except OutputError as exc:
            notices.append(str(exc))
    triage = Triage(catalog, broken_files(catalog, problems), lint_broken, old, options)
    outcomes, todo = triage.split(targets)
    outcomes += ghosts(old, everything, catalog, options)
    if on_start:
        on_start(todo, sum(o.status == "skipped" for o in outcomes))
    for outcome in outcomes:
        if on_event:
            on_event(outcome)

    manifest = old.copy()
    jobs = pool.size if pool is not None else min(options.jobs or cores(), len(todo)) or 1
    tidy = Tidy(out_dir)
    rendered = render(todo, catalog, options, jobs, manifest, shared, tidy, on_event, pool)
    outcomes += rendered
    dropped = tidy.gone_targets(manifest, everything, catalog)
    changed = dropped or any(o.status == "built" for o in rendered)
    output_error = tidy.error

    order = {t.stem: i for i, t in enumerate(targets)}
    outcomes.sort(key=lambda o: order.get(o.target.stem, len(order)))
    lint_errors = [line for lines in lint_broken.values() for line in lines]
    result = BuildResult(catalog=catalog, problems=problems, outcomes=outcomes, removed=tidy.removed,
                         jobs=jobs, lint_errors=lint_errors, notices=notices + tidy.kept,
                         output_error=output_error)
    # nothing built yet: no gallery, no folder; a slice leaves the pages to the build that merges the slices
    if options.gallery and part is None and (existed or manifest.targets):
        pages = dict(manifest.gallery)
        try:
            result.gallery = publish_gallery(options, catalog, everything, findings, manifest, shared, problems)
        except OutputError as exc:
            result.gallery_error = str(exc)
        except PageRefused as exc:  # a project's gallery template that would load or run something
            result.gallery_refused = gallery_refused(exc, options.project)
        changed = changed or manifest.gallery != pages
    # a build that wrote nothing into a new folder leaves no manifest (nor folder) behind
    if changed or old.scattered or (not (out_dir / manifest_name(part)).exists() and (existed or manifest.targets)):
        try:
            write_manifest(out_dir, manifest, tag=options.tag, part=part)
        except OutputError as exc:
            result.output_error = result.output_error or str(exc)
    if result.ok and not result.warnings and not result.gallery_error and not result.output_error \
            and not notices:
        record.remember(out_dir, fingerprint, [o.target.stem for o in result.outcomes], tag=options.tag, part=part)
    return result


def _leave_no_empty_folder(out_dir: Path) -> None:
    """A build that wrote nothing into a new output folder leaves no folder behind."""
    try:
        if [p.name for p in out_dir.iterdir()] == [LOCK_NAME]:
            (out_dir / LOCK_NAME).unlink()
            out_dir.rmdir()
    except OSError:
        pass


@dataclass
class Triage:
    """Sorts the selected targets: those that cannot be built, those unchanged, those to render."""

    catalog: Catalog
    #: file (as shown) → its error lines
    broken: dict[str, list[str]]
    #: file (as shown) → its error-level wording findings
    lint_broken: dict[str, list[str]]
    manifest: Manifest
    options: Options
    disk: OnDisk = field(init=False)
    #: file (as shown) → whether it is a file, asked once per build
    _exists: dict[str, bool] = field(init=False)

    def __post_init__(self) -> None:
        self.disk = OnDisk(self.options.out_dir)
        self._exists = dict.fromkeys(self.catalog.file_hashes(), True)  # read by this build a moment ago

    def split(self, targets: list[Target]) -> tuple[list[Outcome], list[Target]]:
        page_templates = {kind.template for kind in KINDS}
        outcomes: list[Outcome] = []
        todo: list[Target] = []
        for target in targets:
            reasons = self.reasons(target, page_templates)
            written = self.manifest.targets.get(target.stem)
            if reasons:
                outcomes.append(Outcome(target, "failed", errors=reasons))
            elif not self.options.force and written is not None and \
                    up_to_date(written, target, self.options, self.disk):
                files = {name: written.files[name] for name in requested(written, target, self.options)}
                outcomes.append(Outcome(target, "skipped", files=sorted(files), written=files))
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
        reasons += [f"not built: {file} is not read (see its error), and every handout may use it"
                    for file in self.broken if file.startswith(("templates/", "locale/"))]
        reasons += [f"not built: {file} does not exist" for file in target.inputs
                    if file.endswith((".yaml", ".yml")) and file not in self.broken and not self.exists(file)]
        return reasons + self.held_back(target)

    def exists(self, file: str) -> bool:
        """Whether ``file`` (as shown) is a file, asked once per build: thousands of handouts read one office."""
        if file not in self._exists:
            self._exists[file] = (self.catalog.root / file).is_file()
        return self._exists[file]

    def held_back(self, target: Target) -> list[str]:
        """A handout that lists the classes of an area waits for every program file with an error that may
        serve it: rewritten now, it might silently lack a class. Its previous files are kept."""
        if not target.listing_states:
            return []
        broken = [file for file in self.broken if file.startswith("content/programs/") and file not in target.inputs]
        lines = []
        for file, states in program_files_that_may_serve(self.catalog, broken, target.listing_states).items():
            why = (f"it serves {', '.join(sorted(states))}" if states else "which places it serves cannot be read")
            lines.append(f"not built: {file} has an error, and may list a class for this handout ({why}); "
                         "the previous file is kept until it is fixed")
        return lines


def ghosts(manifest: Manifest, everything: list[Target], catalog: Catalog, options: Options) -> list[Outcome]:
    """The handouts built before whose own file now fails to load: counted as failed, their files kept."""
    planned = {t.stem for t in everything}
    out = []
    for stem, written in sorted(manifest.targets.items()):
        if stem in planned or written.source not in catalog.failed or written.kind not in BY_NAME:
            continue
        kind = BY_NAME[written.kind]
        target = Target(kind=written.kind, id=written.id, locale=written.locale, template=kind.template, stem=stem,
                        inputs=(written.source,), office=written.id if "office" in kind.selected_by else None,
                        program=written.id if "program" in kind.selected_by else None)
        if selected([target], options):
            out.append(Outcome(target, "failed", errors=[
                f"not built: {written.source} has an error (its files from the last build are kept)"]))
    return out


@dataclass
class Tidy:
    """Removes files tipsheets wrote that no handout makes any more, and says what it removed and kept."""

    out_dir: Path
    removed: list[str] = field(default_factory=list)
    #: one line for each file left in place because it changed since tipsheets wrote it
    kept: list[str] = field(default_factory=list)
    error: str | None = None

    def remove(self, name: str, written_as: FileRecord) -> None:
        if not OnDisk(self.out_dir).intact(name, written_as):
            if (self.out_dir / name).exists():
                self.kept.append(f"kept {name}: it changed since tipsheets wrote it, so it is not removed")
            return
        try:
            if remove_output(self.out_dir, name):
                self.removed.append(name)
        except OutputError as exc:
            self.error = self.error or str(exc)

    def gone_targets(self, manifest: Manifest, everything: list[Target], catalog: Catalog) -> bool:
        """Remove the files of targets that no longer exist; True when there were any.

        A target whose source file is still there but failed to load is not gone:
        a typo must not delete a handout. Its entry and files stay until it loads.
        """
        planned = {t.stem for t in everything}
        dropped = False
        for stem in sorted(set(manifest.targets) - planned):
            written = manifest.targets[stem]
            if written.source and written.source in catalog.failed and (catalog.root / written.source).exists():
                continue
            for name in sorted(written.files):
                self.remove(name, written.files[name])
            del manifest.targets[stem]
            dropped = True
        return dropped


def render(todo: list[Target], catalog: Catalog, options: Options, jobs: int, manifest: Manifest, shared: str,
           tidy: Tidy, on_event: OnEvent | None, pool: Pool | None = None) -> list[Outcome]:
    """Render ``todo``, recording each built handout in ``manifest`` and its journal as it finishes; with the
    caller's ``pool`` when given, else in this process (one job) or a pool of ``jobs`` workers."""
    out_dir = options.out_dir
    known = {stem: tuple(written.rejected) for stem, written in manifest.targets.items()}
    timeout = float(catalog.config.render_timeout)
    outcomes: list[Outcome] = []
    journal = Journal(out_dir, part_of(options))

    def finished(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if outcome.status == "built":
            record_built(manifest, outcome, options, tidy)
            try:  # the checkpoint: one line, after the handout's files are in place
                journal.append(outcome.target.stem, manifest.targets[outcome.target.stem])
            except OutputError as exc:
                tidy.error = tidy.error or str(exc)
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
        # an interrupted build keeps what it finished (the journal); a worker killed mid-write leaves its
        # temporary file
        journal.close()
        sweep_temporary(out_dir, {options.tag})
    return outcomes


def record_built(manifest: Manifest, outcome: Outcome, options: Options, tidy: Tidy) -> None:
    """Note a built target in the manifest.

    The files it was asked for replace their earlier records; a file of those
    kinds that it no longer makes (an attachment it dropped) is removed; files
    of the kinds it was not asked for (the web page, in a PDF-only build) stay.
    """
    target = outcome.target
    previous = manifest.targets.get(target.stem)
    files = dict(previous.files) if previous else {}
    if previous:
        for name in requested(previous, target, options):
            if name not in outcome.written:
                tidy.remove(name, files.pop(name))
    files.update(outcome.written)
    manifest.targets[target.stem] = Written(target.kind, target.id, target.locale,
                                            target.inputs[0] if target.inputs else "", dict(sorted(files.items())),
                                            sorted(set(outcome.rejected)))


def publish_gallery(options: Options, catalog: Catalog, targets: list[Target], findings: list[Finding] | None,
                    manifest: Manifest, shared: str, problems: list[Any] | None = None) -> Path:
    """Write the gallery's pages that changed (``output/index.html`` and, when large, a page per kind and place),
    and record them in the manifest; ``problems`` (the content checks) give each handout its content warnings."""
    status = gallery.lint_status(findings, targets)
    office_names = {entry.id: entry.item.name for entry in catalog.of("offices")}
    headings = {kind.name: kind.heading for kind in KINDS}
    kinds = gallery.sections(targets, manifest, status, headings, office_names, places(targets, catalog),
                             gallery.content_status(problems or [], targets))
    env = make_environment(catalog.root)

    def page(context: dict[str, Any]) -> bytes:
        # refused (PageRefused) when it would load or run anything: not written
        return fence(render_page(env, "gallery/page.html.j2", context)).encode("utf-8")

    return gallery.publish(options.out_dir, page, catalog.config.title, options.as_of, kinds, manifest, shared,
                           tag=options.tag)


def places(targets: list[Target], catalog: Catalog) -> dict[str, str]:
    """stem → the state its office or program serves (the first it names), for the gallery's pages."""
    out = {}
    for target in targets:
        entry = (catalog.get("offices", target.office) if target.office else
                 catalog.get("programs", target.program) if target.program else None)
        areas = getattr(entry.item, "serves", None) if entry is not None else None
        if areas:
            out[target.stem] = state_name(areas[0].state)
    return out


