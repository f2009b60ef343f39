"""Plain, inert data for templates.

Templates come from many hands, and Jinja's sandbox lets a template call the
public methods of whatever it is given. Content models (pydantic) have methods
that parse, read files and unpickle, so templates never receive them: every
context is turned into :class:`Record` values (attributes and nothing else),
tuples, strings, numbers, booleans, dates and times, with no object that can
read, parse, import or reach a class.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from enum import Enum
from typing import Any, Iterator, Mapping

from markupsafe import Markup
from pydantic import BaseModel


class Record:
    """Named values a template reads as ``record.name`` or ``record["name"]``; it has no methods."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, Any]) -> None:
        object.__setattr__(self, "_values", dict(values))

    def __getattr__(self, name: str) -> Any:
        values = object.__getattribute__(self, "_values")
        if name in values:
            return values[name]
        raise AttributeError(name)

    def __getitem__(self, name: str) -> Any:
        return object.__getattribute__(self, "_values")[name]

    def __contains__(self, name: object) -> bool:
        return name in object.__getattribute__(self, "_values")

    def __iter__(self) -> Iterator[str]:
        return iter(object.__getattribute__(self, "_values"))

    def __len__(self) -> int:
        return len(object.__getattribute__(self, "_values"))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a record is read-only")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and object.__getattribute__(self, "_values") == \
            object.__getattribute__(other, "_values")

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return f"Record({object.__getattribute__(self, '_values')!r})"


#: values that are already inert: immutable, and no method of theirs reads, parses or imports anything
_ATOMS = (str, int, float, bool, type(None), dt.date, dt.time, dt.datetime, dt.timedelta)


def plain(value: Any) -> Any:
    """``value`` as inert data: models, dataclasses and mappings become records, sequences tuples."""
    if isinstance(value, _ATOMS):  # str subclasses (Markup, translated passages) keep their type
        return value
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, BaseModel):
        return Record({name: plain(getattr(value, name)) for name in type(value).model_fields})
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return Record({f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)})
    if isinstance(value, Record):
        return value
    if isinstance(value, Mapping):
        return Record({str(key): plain(item) for key, item in value.items()})
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(plain(item) for item in value)
    if isinstance(value, Markup):
        return value
    raise TypeError(f"{type(value).__name__} is not plain data a template may receive")
