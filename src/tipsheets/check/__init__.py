"""Checks that need more than one file: references between files, brands, citations, areas.

Each check takes a content file's entry, the catalog and the build date, and
returns :class:`Problem` values that point into the YAML. Errors stop the
handouts that read the file; warnings are printed and the build goes on. Which
checks a kind of file gets is part of its content type
(:data:`tipsheets.project.CONTENT_TYPES`). Wording and reading level are the
wording gate's job (:mod:`tipsheets.lint`).
"""

from tipsheets.check.problems import Level, Problem

__all__ = ["Level", "Problem"]
