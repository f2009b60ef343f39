"""Content types as registered data: what each folder under ``content/`` holds.

One :class:`ContentType` says everything the program needs to know about a kind
of content file: its folder, its model, its title and description for editors,
whether it comes in several languages, whose wording rules its text answers to,
the skeleton ``tipsheets new`` starts from, and the checks it gets. The table
of them is :data:`tipsheets.project.CONTENT_TYPES`; nothing else lists them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterable

from pydantic import BaseModel

#: a check: (entry, catalog, build date) → the problems it finds (see :mod:`tipsheets.check`)
Check = Callable[[Any, Any, Any], Iterable[Any]]


@dataclass(frozen=True)
class ContentType:
    """One kind of content file: ``content/<folder>/<id>.yaml``."""

    #: what one file is called: its schema is ``schemas/<name>.schema.json``; ``tipsheets new <name>``
    name: str
    folder: str
    model: type[BaseModel]
    #: shown by editors beside the file
    title: str
    description: str
    #: ``<id>.<locale>.yaml`` is the same document in another language
    localised: bool = False
    #: whose wording rules its text answers to, unless the document says (a tip sheet's ``audience``)
    audience: str = "agency-staff"
    #: the commented file ``tipsheets new`` writes, under ``starter/skeletons/``; None: not offered
    skeleton: str | None = None
    checks: tuple[Check, ...] = ()
    #: the id of a file at this path inside the folder; None: the file name up to its first dot
    file_id: Callable[[PurePosixPath], str] | None = None
    #: reads a parsed file (source, id, file) into its item; None: the model validates the data
    read: Callable[[Any, str, Path], Any] | None = None


class Registry:
    """The content types of a project, by name and by folder."""

    def __init__(self, types: Iterable[ContentType]) -> None:
        self.types = tuple(types)
        self.by_folder = {t.folder: t for t in self.types}
        self.by_name = {t.name: t for t in self.types}

    def __iter__(self) -> Any:
        return iter(self.types)

    def folder(self, folder: str) -> ContentType | None:
        return self.by_folder.get(folder)
