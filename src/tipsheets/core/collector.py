"""Holding off Python's cyclic garbage collector while a build makes data that lives on."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def collector_paused(*, keep: bool = True) -> Iterator[None]:
    """Hold off Python's cyclic garbage collector while building data that lives on: a catalog, the manifest,
    a build's targets.

    Loading a catalog makes about a million objects and keeps nearly all of
    them; each full pass of the collector walks every one made so far, and the
    growing heap set off a pass again and again (half the time of loading a
    national project). Afterwards what exists is moved out of the collector's
    full passes (``gc.freeze``): the first pass after loading would otherwise
    walk the whole catalog once more (a second at national size), and a pass
    while the manifest is written would walk the manifest and the targets
    (0.3 s at national size). Objects are still freed as they fall out of use;
    none of these hold reference cycles for a pass to find (a catalog dropped
    and collected frees a handful).

    ``keep=False``: what is made is thrown away soon (the plain form of the
    manifest, written and dropped), so it is not moved out of later passes.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        if keep:
            gc.freeze()


def thaw() -> None:
    """Give back to the collector what :func:`collector_paused` moved out of its passes.

    A process that builds again and again (``serve``, ``watch``) calls this
    after each build: whatever garbage was frozen with the data (a dropped
    catalog's few cycles, a page rendered in this process) is then collected
    as usual, instead of staying for the life of the process.
    """
    gc.unfreeze()
