"""Every core rule run on a built report: the findings shown beside the draft and the reason a
report with an error is not published."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from gongkai.core.calendar import is_provisional
from gongkai.core.findings import Category, Finding, Severity, sort_findings
from gongkai.core.model import AnnualReport
from gongkai.core.narrative import check_narrative
from gongkai.core.narrative.templates import NOTE_CLOSE, NOTE_OPEN
from gongkai.core.rules import check_report


def check_built(
    report: AnnualReport, *, previous: AnnualReport | None = None, today: dt.date | None = None
) -> list[Finding]:
    """The findings of every rule on ``report`` (with last year's for the cross-year rules) and
    of the narrative check (the prose against the tables, as the auditor runs it on a
    published report), errors first (:func:`gongkai.core.findings.sort_findings`)."""
    findings = check_report(report, previous=previous, today=today)
    return sort_findings(
        [
            *findings,
            *check_narrative(report),
            *template_note_findings(report),
            *calendar_findings(report.meta.year),
        ]
    )


TEMPLATE_NOTE_RULE = "reports.template_note"
# A sentence (or line) holding a template's note to the officer.
_NOTE_SENTENCE = re.compile(
    rf"[^。\n]*{re.escape(NOTE_OPEN)}请填写[^{NOTE_CLOSE}]*{re.escape(NOTE_CLOSE)}[^。\n]*。?"
)


def template_note_findings(report: AnnualReport) -> list[Finding]:
    """A warning for each sentence still holding a default template's note (〔请填写…〕): the
    officer has not yet written that part of the account."""
    return [
        Finding(
            rule=TEMPLATE_NOTE_RULE,
            severity=Severity.WARNING,
            category=Category.NARRATIVE,
            message=(
                f"“{section.number}、{section.heading}”仍有默认模板的提示"
                f"{NOTE_OPEN}…{NOTE_CLOSE}，请写上本单位的实际情况"
            ),
            excerpt=sentence.strip(),
        )
        for section in report.format.sections
        for sentence in _NOTE_SENTENCE.findall(report.narrative.get(section.code, ""))
    ]


CALENDAR_RULE = "reports.calendar_provisional"


def calendar_findings(year: int) -> list[Finding]:
    """A warning when ``year``'s working-day calendar is only provisional (nobody entered the
    State Council's holiday schedule): the report may be built and published, but the case
    deadlines behind it were counted on a provisional calendar."""
    if not is_provisional(dt.date(year, 12, 31)):
        return []
    return [
        Finding(
            rule=CALENDAR_RULE,
            severity=Severity.WARNING,
            category=Category.FORMAT,
            message=(
                f"{year} 年的工作日历是暂定的（尚未录入国务院办公厅的放假安排），"
                "该年案件的办理期限按暂定日历计算；报告可以生成和发布，"
                "录入正式安排后请复核逾期情况"
            ),
        )
    ]


def errors(findings: Sequence[Finding]) -> list[Finding]:
    """The errors that block publishing: every error but a late publication date.

    A report published after the Art 49 deadline is still an error finding (shown, and kept
    with the published version), but refusing to publish cannot cure lateness, only prolong it.
    """
    return [f for f in findings if f.is_error and f.category is not Category.PUBLICATION]


def describe_errors(findings: Sequence[Finding]) -> str:
    """The errors, one a line, for a refusal message (empty when there are none)."""
    return "\n".join(f"{i}. {f.message}" for i, f in enumerate(errors(findings), start=1))
