"""Every core rule run on a built report: the findings shown beside the draft and the reason a
report with an error is not published."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from gongkai.core.findings import Category, Finding, sort_findings
from gongkai.core.model import AnnualReport
from gongkai.core.rules import check_report


def check_built(
    report: AnnualReport, *, previous: AnnualReport | None = None, today: dt.date | None = None
) -> list[Finding]:
    """The findings of every rule on ``report`` (with last year's for the cross-year rules),
    errors first (:func:`gongkai.core.findings.sort_findings`)."""
    return sort_findings(check_report(report, previous=previous, today=today))


def errors(findings: Sequence[Finding]) -> list[Finding]:
    """The errors that block publishing: every error but a late publication date.

    A report published after the Art 49 deadline is still an error finding (shown, and kept
    with the published version), but refusing to publish cannot cure lateness, only prolong it.
    """
    return [f for f in findings if f.is_error and f.category is not Category.PUBLICATION]


def describe_errors(findings: Sequence[Finding]) -> str:
    """The errors, one a line, for a refusal message (empty when there are none)."""
    return "\n".join(f"{i}. {f.message}" for i, f in enumerate(errors(findings), start=1))
