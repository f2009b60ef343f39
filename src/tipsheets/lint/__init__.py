"""The wording and plain-language gate: ``tipsheets lint``.

The public entry points are :func:`lint_catalog` (every finding), :func:`gate`
(error-level findings by file, for the build), :func:`audience_of`, and
:class:`Finding`. See docs/lint.md.
"""

from .engine import Finding, at_or_above, audience_of, default_template_dirs, gate, lint_catalog, lint_text

__all__ = ["Finding", "at_or_above", "audience_of", "default_template_dirs", "gate", "lint_catalog", "lint_text"]
