"""The error of the reports app: a refused publication or prose, explained in Chinese."""

from __future__ import annotations

from gongkai.core.errors import GongkaiError


class ReportError(GongkaiError):
    """A refused publication, or a section's prose refused, explained in Chinese."""
