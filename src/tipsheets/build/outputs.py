"""Which files a build asks of a target, and whether the ones on disk will do.

A target's files are its PDF, its web page, its print-shop PDF (``--print``),
its gallery thumbnail, and whatever its kind attaches (a program's calendar).
A build asks for some of them (``-f pdf`` asks for no web page); a target is
up to date when every file asked for is on disk as tipsheets wrote it, from
the inputs the target reads now.
"""

from __future__ import annotations

from tipsheets.build.options import Options
from tipsheets.core.target import Target
from tipsheets.publish.gallery import thumbnail_name
from tipsheets.publish.manifest import OnDisk, Written


def asked_for(target: Target, options: Options) -> dict[str, str]:
    """What this build asks of ``target``: each kind of file it makes ("pdf", "html", "print", "thumb"), by name."""
    stem = target.stem
    names = {}
    if "pdf" in options.formats:
        names["pdf"] = f"{stem}.pdf"
        if options.print_shop:
            names["print"] = f"print/{stem}.pdf"
        if options.gallery:
            names["thumb"] = thumbnail_name(stem)
    if "html" in options.formats:
        names["html"] = f"{stem}.html"
    return names


def is_attachment(name: str, target: Target) -> bool:
    """A file its kind attaches, which every build of the target writes (not one of the kinds above)."""
    stem = target.stem
    return name not in (f"{stem}.pdf", f"{stem}.html", f"print/{stem}.pdf", thumbnail_name(stem))


def requested(written: Written, target: Target, options: Options) -> list[str]:
    """The files ``written`` records of the kinds this build asks for (attachments always)."""
    wanted = set(asked_for(target, options).values())
    return [name for name in written.files if name in wanted or is_attachment(name, target)]


def up_to_date(written: Written, target: Target, options: Options, disk: OnDisk | None = None) -> bool:
    """Every file asked for is on disk as written, from the inputs ``target`` reads now (``disk``: the
    output folder's :class:`OnDisk`, kept across the targets of a build)."""
    disk = disk or OnDisk(options.out_dir)
    names = set(asked_for(target, options).values()) | {n for n in written.files if is_attachment(n, target)}
    for name in names:
        record = written.files.get(name)
        if record is None or record.digest != target.digest or not disk.intact(name, record):
            return False
    return True
