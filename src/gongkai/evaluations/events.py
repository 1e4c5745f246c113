"""The payload of every workspace event, declared once per :class:`EventKind`.

An :class:`~gongkai.evaluations.models.EvaluationEvent` stores its payload as JSON in ``data``;
this module is the only code that writes or reads that JSON: the services build a frozen
dataclass and call :func:`record`, the batch page prints :func:`summary` of each row.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar

from gongkai.evaluations.models import Batch, EvaluationEvent, EventKind


@dataclass(frozen=True, slots=True)
class Uploaded:
    """The files stored. A batch uploaded before the audit left the request was audited in it:
    its event holds the counts too."""

    kind: ClassVar[EventKind] = EventKind.UPLOADED
    reports: int
    errors: int | None = None
    warnings: int | None = None

    def summary(self) -> str:
        if self.errors is None:
            return f"上传 {self.reports} 份报告，在后台审查"
        return f"上传 {self.reports} 份报告并审查：错误 {self.errors} 项，警告 {self.warnings} 项"


@dataclass(frozen=True, slots=True)
class Rerun:
    """The reports marked pending again (with counts: re-audited in the request, as before)."""

    kind: ClassVar[EventKind] = EventKind.RERUN
    reports: int
    errors: int | None = None
    warnings: int | None = None

    def summary(self) -> str:
        if self.errors is None:
            return f"重新审查 {self.reports} 份报告，在后台审查"
        return f"重新审查 {self.reports} 份报告：错误 {self.errors} 项，警告 {self.warnings} 项"


@dataclass(frozen=True, slots=True)
class Audited:
    """The batch's last pending report audited and its years paired (by the worker, for whoever
    uploaded or re-ran it)."""

    kind: ClassVar[EventKind] = EventKind.AUDITED
    reports: int
    errors: int
    warnings: int

    def summary(self) -> str:
        return f"审查完成：{self.reports} 份报告，错误 {self.errors} 项，警告 {self.warnings} 项"


@dataclass(frozen=True, slots=True)
class Judged:
    """A finding confirmed, dismissed or reopened (the kind says which)."""

    kind: EventKind
    fingerprint: str
    report: str  # the file name, as the evaluator saw it
    rule: str
    note: str = ""

    def summary(self) -> str:
        label = EventKind(self.kind).label
        note = f"；说明：{self.note}" if self.note else ""
        return f"{label}：{self.report} 的 {self.rule}{note}"


@dataclass(frozen=True, slots=True)
class CoverageSet:
    kind: ClassVar[EventKind] = EventKind.COVERAGE_SET
    year: int
    units: int

    def summary(self) -> str:
        return f"设置 {self.year} 年度应发布报告的单位名单（{self.units} 个单位）"


Payload = Uploaded | Rerun | Audited | Judged | CoverageSet
_BY_KIND: dict[str, type[Any]] = {
    EventKind.UPLOADED: Uploaded,
    EventKind.RERUN: Rerun,
    EventKind.AUDITED: Audited,
    EventKind.CONFIRMED: Judged,
    EventKind.DISMISSED: Judged,
    EventKind.REOPENED: Judged,
    EventKind.COVERAGE_SET: CoverageSet,
}


def record(*, batch: Batch, actor: Any, payload: Payload) -> EvaluationEvent:
    data = {k: v for k, v in dataclasses.asdict(payload).items() if k != "kind"}
    return EvaluationEvent.objects.create(
        batch=batch, kind=str(payload.kind), actor=actor, data=data
    )


def read(event: EvaluationEvent) -> Payload:
    cls = _BY_KIND[event.kind]
    if cls is Judged:
        payload: Payload = Judged(kind=EventKind(event.kind), **event.data)
    else:
        payload = cls(**event.data)
    return payload


def summary(event: EvaluationEvent) -> str:
    return read(event).summary()
