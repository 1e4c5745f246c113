"""The typed case events: one payload per kind, the stored JSON read and written unchanged,
malformed rows refused with a clear message, and no reader of ``event.data`` outside the
events module."""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import gongkai
from gongkai.applications import clock
from gongkai.applications import events as ev
from gongkai.applications.models import (
    Application,
    ApplicationEvent,
    AttachmentKind,
    Delivery,
    EventKind,
    Status,
)
from gongkai.core.clock import CaseStatus, ConsultationParty
from gongkai.core.fees import FeeMethod
from gongkai.core.law import Channel
from gongkai.letters.context import letter_choices

D = dt.date

# Each kind with the JSON the services have always stored for it and the payload it reads as.
STORED: dict[EventKind, tuple[dict[str, Any], ev.Payload]] = {
    EventKind.RECEIVED: (
        {"channel": "registered_mail", "signed_for_on": "2024-03-04"},
        ev.Received(channel=Channel.REGISTERED_MAIL, signed_for_on=D(2024, 3, 4)),
    ),
    EventKind.CORRECTION_REQUESTED: (
        {"items": "请写明文号", "supplement_deadline": "2024-03-20"},
        ev.CorrectionRequested(items="请写明文号", supplement_deadline=D(2024, 3, 20)),
    ),
    EventKind.SUPPLEMENT_RECEIVED: ({"note": ""}, ev.SupplementReceived(note="")),
    EventKind.CORRECTION_ABANDONED: ({}, ev.CorrectionAbandoned()),
    EventKind.CONSULTATION_SENT: (
        {"consultation": "third_party", "party": "某公司"},
        ev.ConsultationSent(consultation=ConsultationParty.THIRD_PARTY, party="某公司"),
    ),
    EventKind.CONSULTATION_ANSWERED: (
        {"consultation": "agency", "party": "某局", "agrees": None, "note": "未表态"},
        ev.ConsultationAnswered(
            consultation=ConsultationParty.AGENCY, party="某局", agrees=None, note="未表态"
        ),
    ),
    EventKind.EXTENSION_REQUESTED: (
        {"working_days": 20, "reason": "需调档"},
        ev.ExtensionRequested(working_days=20, reason="需调档"),
    ),
    EventKind.EXTENSION_APPROVED: ({}, ev.ExtensionApproved()),
    EventKind.EXTENSION_REFUSED: ({"reason": "不必要"}, ev.ExtensionRefused(reason="不必要")),
    EventKind.FEE_NOTICE_SENT: (
        {
            "method": "per_request",
            "units": 1,
            "already_this_month": 10,
            "yuan": "100",
            "lines": ["第11至30件，每件100元，计100元", "合计100元"],
            "basis": "《政府信息公开信息处理费管理办法》第四条",
        },
        ev.FeeNoticeSent(
            method=FeeMethod.PER_REQUEST,
            units=1,
            already_this_month=10,
            yuan=Decimal(100),
            lines=("第11至30件，每件100元，计100元", "合计100元"),
            basis="《政府信息公开信息处理费管理办法》第四条",
        ),
    ),
    EventKind.CONSULTATION_DELIVERED: (
        {"consultation": "third_party", "party": "某公司"},
        ev.ConsultationDelivered(consultation=ConsultationParty.THIRD_PARTY, party="某公司"),
    ),
    EventKind.FEE_NOTICE_DELIVERED: ({"note": "EMS 签收"}, ev.FeeNoticeDelivered(note="EMS 签收")),
    EventKind.DELAYED_REPLY: (
        {"due": "2024-05-31", "reason": "申请数量明显超过合理范围"},
        ev.DelayedReply(due=D(2024, 5, 31), reason="申请数量明显超过合理范围"),
    ),
    EventKind.FEE_PAID: ({}, ev.FeePaid()),
    EventKind.FEE_NOT_PAID: ({}, ev.FeeNotPaid()),
    EventKind.DECIDED: (
        {"result": "disclosed", "legal_basis": "《条例》第三十六条第（二）项"},
        ev.Decided(result="disclosed", legal_basis="《条例》第三十六条第（二）项"),
    ),
    EventKind.REPLY_SENT: (
        {"delivery": "email", "note": ""},
        ev.ReplySent(delivery=Delivery.EMAIL),
    ),
    EventKind.WITHDRAWN: ({"note": "电话撤回"}, ev.Withdrawn(note="电话撤回")),
    EventKind.LETTER_SENT: (
        {
            "summary": "发出《补正告知书》",
            "letter": "correction",
            "title": "补正告知书",
            "recipient": "张三",
            "docx_sha256": "a" * 64,
            "pdf_sha256": "b" * 64,
        },
        ev.LetterSent(
            summary_text="发出《补正告知书》",
            letter="correction",
            title="补正告知书",
            recipient="张三",
            docx_sha256="a" * 64,
            pdf_sha256="b" * 64,
        ),
    ),
    EventKind.CARRIED_OVER: ({"year": 2024, "into": 2025}, ev.CarriedOver(year=2024, into=2025)),
    EventKind.REMEDY_REGISTERED: (
        {"remedy": 3, "remedy_kind": "reconsideration", "summary": "行政复议：某市政府"},
        ev.RemedyRegistered(
            remedy=3, remedy_kind="reconsideration", summary_text="行政复议：某市政府"
        ),
    ),
    EventKind.REMEDY_DECIDED: (
        {
            "remedy": 3,
            "remedy_kind": "reconsideration",
            "remedy_result": "upheld",
            "summary": "行政复议（某市政府）：结果维持",
        },
        ev.RemedyDecided(
            remedy=3,
            remedy_kind="reconsideration",
            remedy_result="upheld",
            summary_text="行政复议（某市政府）：结果维持",
        ),
    ),
    EventKind.ATTACHMENT_ADDED: (
        {
            "attachment_kind": "identity",
            "name": "身份证.pdf",
            "size": 1024,
            "sha256": "c" * 64,
            "summary": "身份证明：身份证.pdf",
        },
        ev.AttachmentAdded(
            attachment_kind=AttachmentKind.IDENTITY,
            name="身份证.pdf",
            size=1024,
            sha256="c" * 64,
            summary_text="身份证明：身份证.pdf",
        ),
    ),
    EventKind.ASSIGNED: (
        {"assignee": 7, "assignee_name": "李四", "previous_name": "张三"},
        ev.Assigned(assignee=7, assignee_name="李四", previous_name="张三"),
    ),
    EventKind.REASONS_ADDED: (
        {
            "facts": "属于内部事务信息",
            "withheld_part": "附件二",
            "withheld_ground": "withheld.internal_affairs",
        },
        ev.ReasonsAdded(
            facts="属于内部事务信息",
            withheld_part="附件二",
            withheld_ground="withheld.internal_affairs",
        ),
    ),
}


def test_every_kind_declares_exactly_one_payload() -> None:
    assert set(ev.PAYLOADS) == set(EventKind) == set(STORED)
    assert all(cls.kind is kind for kind, cls in ev.PAYLOADS.items())


@pytest.mark.parametrize("kind", list(EventKind), ids=[k.value for k in EventKind])
def test_stored_json_reads_as_its_payload_and_is_written_back_unchanged(kind: EventKind) -> None:
    data, payload = STORED[kind]
    assert ev.parse(kind, data) == payload
    assert payload.to_data() == data
    built = ev.new_event(payload, date=D(2024, 3, 1))
    assert (built.kind, built.data, built.payload) == (kind, data, payload)
    # A row read from the database parses its JSON (the built one reused its payload).
    assert ApplicationEvent(kind=kind, date=D(2024, 3, 1), data=data).payload == payload


def test_optional_dates_may_be_missing_or_blank_as_the_clock_always_read_them() -> None:
    for data in ({"items": "x"}, {"items": "x", "supplement_deadline": ""}):
        payload = ev.parse(EventKind.CORRECTION_REQUESTED, data)
        assert payload == ev.CorrectionRequested(items="x", supplement_deadline=None)
        assert payload.summary() == "补正事项：x"
    assert ev.CorrectionRequested(items="x").to_data() == {"items": "x"}


def test_keys_added_later_have_defaults_and_unknown_keys_are_ignored() -> None:
    # Fee notices recorded before letters existed have no "basis"; decisions may lack a basis.
    data = {k: v for k, v in STORED[EventKind.FEE_NOTICE_SENT][0].items() if k != "basis"}
    assert ev.parse(EventKind.FEE_NOTICE_SENT, data).basis == ""  # type: ignore[union-attr]
    assert ev.parse(EventKind.DECIDED, {"result": "disclosed", "extra": 1}) == ev.Decided(
        result="disclosed"
    )


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("received", {}, "办理记录（收到申请）的内容缺少字段 'channel'"),
        ("received", {"channel": "pigeon"}, "字段 'channel' 不是可选值"),
        ("received", {"channel": "post"}, "记录中为 'post'"),
        (
            "correction_requested",
            {"items": "x", "supplement_deadline": "2024-02-30"},
            "字段 'supplement_deadline' 应为日期（YYYY-MM-DD），记录中为 '2024-02-30'",
        ),
        ("extension_requested", {"working_days": "20", "reason": ""}, "应为整数"),
        ("extension_requested", {"working_days": True, "reason": ""}, "应为整数"),
        (
            "consultation_answered",
            {"consultation": "agency", "party": "x", "agrees": "yes"},
            "是或否",
        ),
        ("decided", {"result": None}, "字段 'result' 应为文字"),
        ("decided", ["disclosed"], "内容应为键值对象"),
        ("fee_paid", None, "内容应为键值对象"),
        ("teleported", {}, "事项 'teleported' 不是已知的办理事项"),
    ],
)
def test_malformed_stored_data_is_a_clear_error(kind: str, data: Any, message: str) -> None:
    with pytest.raises(ev.EventDataError, match=message.replace("(", r"\(").replace(")", r"\)")):
        ev.parse(kind, data)


def test_a_damaged_row_names_itself(db: None) -> None:
    event = ApplicationEvent(pk=42, kind="decided", date=D(2024, 3, 5), data={})
    with pytest.raises(ev.EventDataError, match=r"办理记录 #42（2024-03-05）（作出答复决定）"):
        _ = event.payload


@pytest.mark.parametrize("kind", list(EventKind), ids=[k.value for k in EventKind])
def test_every_reader_handles_every_kind(kind: EventKind) -> None:
    """The matches end in ``assert_never``: a kind without a case would raise here."""
    received = ev.new_event(ev.Received(channel=Channel.IN_PERSON), date=D(2024, 3, 1))
    event = ev.new_event(STORED[kind][1], date=D(2024, 3, 4))
    # e.g. an approval without a request is refused, but handled
    with contextlib.suppress(clock.WorkflowError):
        clock.core_events([received, event])
    application = Application(result="", received_on=D(2024, 3, 1))
    assert isinstance(letter_choices(application, [received, event]), list)
    assert isinstance(event.payload.summary(), str)


def test_the_history_summary_reads_as_before() -> None:
    def summary(kind: EventKind) -> str:
        return ev.parse(kind, STORED[kind][0]).summary()

    assert summary(EventKind.RECEIVED) == ""
    assert summary(EventKind.CORRECTION_REQUESTED) == "补正事项：请写明文号；补正期限 2024-03-20"
    assert summary(EventKind.CONSULTATION_ANSWERED) == "对象：某局；未明确表态；备注：未表态"
    assert summary(EventKind.EXTENSION_REQUESTED) == "延长 20 个工作日；理由：需调档"
    assert summary(EventKind.FEE_NOTICE_SENT) == "金额 100 元"
    assert summary(EventKind.DECIDED).startswith("结果：予以公开；依据：《条例》")
    assert summary(EventKind.REPLY_SENT) == "送达方式：电子邮件"
    assert summary(EventKind.LETTER_SENT) == "发出《补正告知书》"
    assert summary(EventKind.CARRIED_OVER) == ""


def test_a_filter_on_payload_fields_uses_the_stored_keys() -> None:
    q = ev.having(ev.CarriedOver, year=2024)
    assert sorted(q.children) == [("data__year", 2024), ("kind", EventKind.CARRIED_OVER)]
    q = ev.having(ev.LetterSent, summary_text="x")
    assert ("data__summary", "x") in q.children
    with pytest.raises(TypeError, match="no field 'colour'"):
        ev.having(ev.CarriedOver, colour=1)


def test_the_cached_status_choices_are_the_clocks_statuses() -> None:
    assert [(s.value, s.label) for s in Status] == [(s.value, s.label) for s in CaseStatus]


# ---------------------------------------------------------------------------------------------
# No one reads or writes the JSON but the events module
# ---------------------------------------------------------------------------------------------

SRC = Path(gongkai.__file__).resolve().parent
ALLOWED = {
    SRC / "applications" / "events.py",
    # The administration events' own typed-payload module, which decodes AdminEvent's JSON.
    SRC / "agencies" / "admin_events.py",
    # The register events' typed-payload module, which decodes RegisterEvent's JSON.
    SRC / "registers" / "events.py",
}


def _is_data(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "data"


def json_reads(source: str) -> list[tuple[int, str]]:
    """``x.data[…]``, ``x.data.get(…)``, ``x.data or …``, ``data__…=`` lookups, and events built
    from raw JSON (``ApplicationEvent(…, data=…)``)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Subscript) and _is_data(node.value):
            found.append((node.lineno, "x.data[…]"))
        elif isinstance(node, ast.Attribute) and _is_data(node.value):
            found.append((node.lineno, f"x.data.{node.attr}"))
        elif isinstance(node, ast.BoolOp) and any(_is_data(v) for v in node.values):
            found.append((node.lineno, "x.data or …"))
        elif isinstance(node, ast.Call):
            found.extend(
                (node.lineno, f"{k.arg}=")
                for k in node.keywords
                if k.arg and k.arg.startswith("data__")
            )
            name = node.func.attr if isinstance(node.func, ast.Attribute) else None
            name = node.func.id if isinstance(node.func, ast.Name) else name
            if name == "ApplicationEvent" and any(k.arg == "data" for k in node.keywords):
                found.append((node.lineno, "ApplicationEvent(data=…)"))
    return sorted(found)


def test_the_checker_catches_each_way_of_reading_the_json() -> None:
    bad = """
e.data["items"]
e.data.get("party")
data = e.data or {}
ApplicationEvent.objects.filter(data__year=2024)
ApplicationEvent(kind="decided", data={"result": "x"})
"""
    assert [what for _, what in json_reads(bad)] == [
        "x.data[…]",
        "x.data.get",
        "x.data or …",
        "data__year=",
        "ApplicationEvent(data=…)",
    ]
    assert json_reads("event.payload.summary()\nform.cleaned_data['x']\nlen(upload.data)") == []


def test_no_module_but_the_events_module_touches_the_events_json() -> None:
    offenders = [
        f"{path.relative_to(SRC)}:{line}: {what}"
        for path in sorted(SRC.rglob("*.py"))
        if path not in ALLOWED and "migrations" not in path.parts and "core" not in path.parts
        for line, what in json_reads(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "read events through event.payload (applications/events.py)"
