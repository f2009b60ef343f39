"""The field types every content model is built from: ids, text, Markdown, locales.

Kept apart from the models so that the block vocabulary (:mod:`tipsheets.core.blocks`)
and the documents that hold blocks (:mod:`tipsheets.core.models`) share them
without importing each other in a circle.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

from tipsheets.core.markdown import check_markdown

#: Ids name files in ``output/``: lower-case words joined by hyphens, nothing else.
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
#: text in the safe Markdown subset, at most as long and as formatted as printing it cheaply allows
Markdown = Annotated[str, StringConstraints(min_length=1), AfterValidator(check_markdown)]
Locale = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")]
Audience = Literal["agency-staff", "practitioners", "parents"]
Colour = Annotated[str, StringConstraints(min_length=1)]
WebAddress = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
EmailAddress = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]

HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


class AtField(ValueError):
    """A model's own rule, broken at one of its fields: errors point at ``field`` (or, for a field that is
    missing, at the mapping it belongs in)."""

    def __init__(self, field: str, message: str, *, missing: bool = False) -> None:
        super().__init__(message)
        self.field = field
        self.missing = missing


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
