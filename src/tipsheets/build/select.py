"""Which targets a build is asked for: locales, named files, offices and programs, a shard."""

from __future__ import annotations

from pathlib import Path

from tipsheets.build.options import Options
from tipsheets.core.target import Target, slice_of
from tipsheets.handouts import in_locales, kind_of


def named(targets: list[Target], only: tuple[str, ...]) -> list[Target]:
    """The targets that read one of ``only`` (content files as shown), or are named by stem or id."""
    if not only:
        return targets
    wanted = {Path(p).as_posix().removeprefix("./") for p in only}
    return [t for t in targets if wanted & set(t.inputs) or t.stem in wanted or t.id in wanted]


def for_offices_and_programs(targets: list[Target], offices: tuple[str, ...],
                             programs: tuple[str, ...]) -> list[Target]:
    """What is made for ``offices`` and ``programs`` (every target when both are empty)."""
    if not offices and not programs:
        return targets
    chosen = {"office": set(offices), "program": set(programs)}
    # a desk aid's or flyer's id is its office's or program's; a brochure names its program
    return [t for t in targets if any(t.id in chosen[by] or getattr(t, by) in chosen[by]
                                      for by in kind_of(t).selected_by)]


def shard(targets: list[Target], index: int, count: int) -> list[Target]:
    """The ``index``-th (1-based) of ``count`` stable slices: a target's slice depends on its name only."""
    return [t for t in targets if slice_of(t.stem, count) == index - 1]


def selected(targets: list[Target], options: Options) -> list[Target]:
    """The targets this build is asked for: locales, named files, offices and programs, shard."""
    if options.locales:
        targets = [t for t in targets if in_locales(t, options.locales)]
    targets = named(targets, options.only)
    targets = for_offices_and_programs(targets, options.offices, options.programs)
    if options.shard:
        targets = shard(targets, *options.shard)
    return targets
