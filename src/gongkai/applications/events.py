"""The payload of every case event, declared once per :class:`EventKind`.

An :class:`~gongkai.applications.models.ApplicationEvent` stores its payload as JSON in ``data``;
this module is the only code that reads or writes that JSON. Each kind has one frozen dataclass
below: the services build one and write it with :func:`new_event` (or
``application_append_event(payload=…)``); every reader takes ``event.payload`` — parsed once,
checked, typed — and dispatches with an exhaustive ``match`` ending in ``assert_never``, so a
new kind that a reader does not handle fails the type check (and ``tests/web/test_events.py``).
A stored row that does not match its kind's payload raises :class:`EventDataError`, a
:class:`~gongkai.core.errors.GongkaiError` naming the row, the field and the value.

The JSON shapes are those the services have always written: a field is a key, a date an ISO
string, an amount a decimal string, a list of lines a JSON list; a field marked "omitted when
empty" is left out rather than written as ``null``. Changing a shape would strand the rows
already stored: add a field with a default instead.

Adding a workflow step, in order:

1. **Its event type.** A new member of :class:`~gongkai.applications.models.EventKind` (and its
   migration: the choices change), and here a frozen dataclass with ``kind`` set to it, its
   fields (typed: ``str``, ``int``, ``bool | None``, ``dt.date``, ``Decimal``,
   ``tuple[str, ...]`` or an enum) and its ``summary()`` (the line the case history prints).
   Add it to :data:`Payload`. mypy now lists every ``match`` that must handle it.
2. **Its core clock handler.** If the step moves the deadline, an event in
   :mod:`gongkai.core.clock` with its handler and tests there; then the ``case`` in
   :func:`gongkai.applications.clock.core_events` that translates the payload into it (a step
   the clock ignores joins the "not clock steps" case).
3. **Its service.** A function in :mod:`gongkai.applications.services.steps` that checks its
   arguments, builds the payload and calls ``application_append_event(payload=…)`` (gatekeeper,
   version, clock and the write come with it); re-exported from the services package. Tests in
   ``tests/web/test_application_services.py``, including the refusals.
4. **Its form.** A form in :mod:`gongkai.applications.forms`, a ``Step`` in
   :mod:`gongkai.applications.worklists` with the payload that probes whether the clock allows
   it today, and the view's entry that calls the service.
5. **Its letter, if any.** A :class:`~gongkai.letters.models.LetterKind`, its shipped template,
   its variables in :class:`gongkai.letters.context.LetterVars` and the ``case`` in
   :func:`gongkai.letters.context.letter_choices` that offers it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    Final,
    TypeVar,
    Union,
    get_args,
    get_origin,
    get_type_hints,
)

from django.db.models import Q

from gongkai.applications.models import (
    RESULT_PLAIN_LABELS,
    ApplicationEvent,
    AttachmentKind,
    Delivery,
    EventKind,
)
from gongkai.core.clock import ConsultationParty
from gongkai.core.errors import GongkaiError
from gongkai.core.fees import FeeMethod
from gongkai.core.law import Channel
from gongkai.core.reasons import REASON_NAMES, RESULT_CODES, ReasonField, required_reasons

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from gongkai.applications.models import Application


class EventDataError(GongkaiError):
    """A stored event whose ``data`` does not match the payload of its kind, in Chinese."""


# A field left out of the JSON when it is ``None`` or ``""`` (never written as ``null``; a text
# added to a payload later keeps the rows that do not use it as they were).
_OMITTED_WHEN_EMPTY: Final = {"omit_none": True}
# The history is read by clerks: results in plain words, not the report's captions.
_RESULT_LABELS: Final = RESULT_PLAIN_LABELS


@dataclass(frozen=True, slots=True)
class _Payload:
    """What every payload has: its kind, its JSON, its line in the case history."""

    kind: ClassVar[EventKind]

    def summary(self) -> str:
        """What a history entry says beyond its kind, in the clerk's words ("" for nothing)."""
        return ""

    def to_data(self) -> dict[str, Any]:
        """The JSON stored in ``ApplicationEvent.data``."""
        data: dict[str, Any] = {}
        for spec in _SPECS[type(self)]:
            value = getattr(self, spec.name)
            if spec.omit_none and (value is None or value == ""):
                continue
            data[spec.key] = None if value is None else spec.dump(value)
        return data


def _join(*parts: str) -> str:
    return "；".join(part for part in parts if part)


def _note(note: str) -> str:
    return f"备注：{note}" if note else ""


# ---------------------------------------------------------------------------------------------
# The workflow steps the case clock reads
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Received(_Payload):
    """The application arrived; the day of receipt follows its channel ([R] Art 31)."""

    kind: ClassVar = EventKind.RECEIVED
    channel: Channel
    signed_for_on: dt.date | None = field(default=None, metadata=_OMITTED_WHEN_EMPTY)
    confirmed_on: dt.date | None = field(default=None, metadata=_OMITTED_WHEN_EMPTY)


@dataclass(frozen=True, slots=True)
class CorrectionRequested(_Payload):
    """The one-time 补正 notice: what to supplement and by when ([R] Art 30)."""

    kind: ClassVar = EventKind.CORRECTION_REQUESTED
    items: str
    # The services always record one; the clock (and older rows) also know notices without.
    supplement_deadline: dt.date | None = field(default=None, metadata=_OMITTED_WHEN_EMPTY)

    def summary(self) -> str:
        deadline = self.supplement_deadline
        return _join(
            f"补正事项：{self.items}" if self.items else "",
            f"补正期限 {deadline.isoformat()}" if deadline else "",
        )


@dataclass(frozen=True, slots=True)
class SupplementReceived(_Payload):
    kind: ClassVar = EventKind.SUPPLEMENT_RECEIVED
    note: str = ""

    def summary(self) -> str:
        return _note(self.note)


@dataclass(frozen=True, slots=True)
class CorrectionAbandoned(_Payload):
    kind: ClassVar = EventKind.CORRECTION_ABANDONED


@dataclass(frozen=True, slots=True)
class ConsultationSent(_Payload):
    """A 征求意见函 to a third party (Art 32) or another agency (Art 34)."""

    kind: ClassVar = EventKind.CONSULTATION_SENT
    consultation: ConsultationParty
    party: str
    delivered_on: dt.date | None = field(default=None, metadata=_OMITTED_WHEN_EMPTY)

    def summary(self) -> str:
        return f"对象：{self.party}" if self.party else ""


@dataclass(frozen=True, slots=True)
class ConsultationDelivered(_Payload):
    """The consulted ``party`` received the letter on the event's date: its 15 working days
    count from that day (Arts 32, 34)."""

    kind: ClassVar = EventKind.CONSULTATION_DELIVERED
    consultation: ConsultationParty
    party: str

    def summary(self) -> str:
        return f"对象：{self.party}" if self.party else ""


@dataclass(frozen=True, slots=True)
class ConsultationAnswered(_Payload):
    """``agrees``: the party's position (``None``: it answered without taking one)."""

    kind: ClassVar = EventKind.CONSULTATION_ANSWERED
    consultation: ConsultationParty
    party: str
    agrees: bool | None
    note: str = ""

    def summary(self) -> str:
        position = {True: "同意公开", False: "不同意公开", None: "未明确表态"}[self.agrees]
        return _join(f"对象：{self.party}" if self.party else "", position, _note(self.note))


@dataclass(frozen=True, slots=True)
class ExtensionRequested(_Payload):
    """The clerk asks the head for ``working_days`` more ([R] Art 33 ¶2)."""

    kind: ClassVar = EventKind.EXTENSION_REQUESTED
    working_days: int
    reason: str

    def summary(self) -> str:
        return _join(
            f"延长 {self.working_days} 个工作日" if self.working_days else "",
            f"理由：{self.reason}" if self.reason else "",
        )


@dataclass(frozen=True, slots=True)
class ExtensionApproved(_Payload):
    kind: ClassVar = EventKind.EXTENSION_APPROVED


@dataclass(frozen=True, slots=True)
class ExtensionRefused(_Payload):
    kind: ClassVar = EventKind.EXTENSION_REFUSED
    reason: str = ""

    def summary(self) -> str:
        return f"理由：{self.reason}" if self.reason else ""


@dataclass(frozen=True, slots=True)
class FeeNoticeSent(_Payload):
    """The 收费通知 as priced by :mod:`gongkai.core.fees` when it was sent."""

    kind: ClassVar = EventKind.FEE_NOTICE_SENT
    method: FeeMethod
    units: int
    already_this_month: int
    yuan: Decimal
    lines: tuple[str, ...]  # FeeResult.describe(): one line per band, then the total
    basis: str = ""  # absent from notices recorded before letters existed
    delivered_on: dt.date | None = field(default=None, metadata=_OMITTED_WHEN_EMPTY)

    def summary(self) -> str:
        return f"金额 {self.yuan} 元"


@dataclass(frozen=True, slots=True)
class FeeNoticeDelivered(_Payload):
    """The applicant received the 收费通知 on the event's date: the 20 working days to pay
    count from that day ([FEE])."""

    kind: ClassVar = EventKind.FEE_NOTICE_DELIVERED
    note: str = ""

    def summary(self) -> str:
        return _note(self.note)


@dataclass(frozen=True, slots=True)
class DelayedReply(_Payload):
    """Art 35: the applicant is told the request will be answered by ``due``, and why."""

    kind: ClassVar = EventKind.DELAYED_REPLY
    due: dt.date
    reason: str

    def summary(self) -> str:
        return _join(f"答复期限 {self.due.isoformat()}", f"理由：{self.reason}")


@dataclass(frozen=True, slots=True)
class FeePaid(_Payload):
    kind: ClassVar = EventKind.FEE_PAID


@dataclass(frozen=True, slots=True)
class FeeNotPaid(_Payload):
    kind: ClassVar = EventKind.FEE_NOT_PAID


@dataclass(frozen=True, slots=True)
class Decided(_Payload):
    """The decision: ``result`` is a table 三 result row code.

    The reasons the reply states (:mod:`gongkai.core.reasons`): ``facts``, the case-specific
    reason (for 无法提供 what was searched); for 部分公开 ``withheld_part``, what is withheld, and
    ``withheld_ground``, the 不予公开 row it falls under. Rows stored before they existed read as
    "" (and a reply that needs them is refused until they are recorded).
    """

    kind: ClassVar = EventKind.DECIDED
    result: str
    legal_basis: str = ""
    facts: str = field(default="", metadata=_OMITTED_WHEN_EMPTY)
    withheld_part: str = field(default="", metadata=_OMITTED_WHEN_EMPTY)
    withheld_ground: str = field(default="", metadata=_OMITTED_WHEN_EMPTY)

    def summary(self) -> str:
        ground = self.withheld_ground
        return _join(
            f"结果：{_RESULT_LABELS.get(self.result, self.result)}" if self.result else "",
            f"依据：{self.legal_basis}" if self.legal_basis else "",
            f"不予公开部分：{self.withheld_part}" if self.withheld_part else "",
            f"该部分情形：{_RESULT_LABELS.get(ground, ground)}" if ground else "",
            f"理由：{self.facts}" if self.facts else "",
        )


@dataclass(frozen=True, slots=True)
class ReplySent(_Payload):
    kind: ClassVar = EventKind.REPLY_SENT
    delivery: Delivery
    note: str = ""

    def summary(self) -> str:
        return _join(f"送达方式：{self.delivery.label}", _note(self.note))


@dataclass(frozen=True, slots=True)
class Withdrawn(_Payload):
    kind: ClassVar = EventKind.WITHDRAWN
    note: str = ""

    def summary(self) -> str:
        return _note(self.note)


# ---------------------------------------------------------------------------------------------
# Notes in the history the clock ignores
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LetterSent(_Payload):
    """A letter archived by :func:`gongkai.letters.services.letter_send`."""

    kind: ClassVar = EventKind.LETTER_SENT
    summary_text: str
    letter: str  # a LetterKind value (letters sit above applications)
    title: str
    recipient: str
    docx_sha256: str
    pdf_sha256: str

    def summary(self) -> str:
        return self.summary_text


@dataclass(frozen=True, slots=True)
class CarriedOver(_Payload):
    """Open at the end of ``year``: counted in 上年结转 of ``into``."""

    kind: ClassVar = EventKind.CARRIED_OVER
    year: int
    into: int


@dataclass(frozen=True, slots=True)
class RemedyRegistered(_Payload):
    kind: ClassVar = EventKind.REMEDY_REGISTERED
    remedy: int  # the Remedy's id (remedies sit above applications)
    remedy_kind: str
    summary_text: str

    def summary(self) -> str:
        return self.summary_text


@dataclass(frozen=True, slots=True)
class RemedyDecided(_Payload):
    kind: ClassVar = EventKind.REMEDY_DECIDED
    remedy: int
    remedy_kind: str
    remedy_result: str
    summary_text: str

    def summary(self) -> str:
        return self.summary_text


@dataclass(frozen=True, slots=True)
class AttachmentAdded(_Payload):
    kind: ClassVar = EventKind.ATTACHMENT_ADDED
    attachment_kind: AttachmentKind
    name: str
    size: int
    sha256: str
    summary_text: str

    def summary(self) -> str:
        return self.summary_text


@dataclass(frozen=True, slots=True)
class Assigned(_Payload):
    """The case given to (or taken by) a clerk: ``assignee`` is the user's id, the names are
    as they were then (an account may be renamed later; the history keeps what was said)."""

    kind: ClassVar = EventKind.ASSIGNED
    assignee: int
    assignee_name: str
    previous_name: str = field(default="", metadata=_OMITTED_WHEN_EMPTY)
    note: str = field(default="", metadata=_OMITTED_WHEN_EMPTY)

    def summary(self) -> str:
        moved = f"承办人：{self.assignee_name}"
        if self.previous_name:
            moved += f"（原承办人：{self.previous_name}）"
        return _join(moved, _note(self.note))


@dataclass(frozen=True, slots=True)
class ReasonsAdded(_Payload):
    """The reasons of an earlier decision that recorded none, added afterwards
    (:func:`gongkai.applications.services.application_add_reasons`): the decision — its result,
    basis and date — stays as recorded; :func:`decision` reads the two together."""

    kind: ClassVar = EventKind.REASONS_ADDED
    facts: str = field(default="", metadata=_OMITTED_WHEN_EMPTY)
    withheld_part: str = field(default="", metadata=_OMITTED_WHEN_EMPTY)
    withheld_ground: str = field(default="", metadata=_OMITTED_WHEN_EMPTY)

    def summary(self) -> str:
        ground = self.withheld_ground
        return _join(
            f"不予公开部分：{self.withheld_part}" if self.withheld_part else "",
            f"该部分情形：{_RESULT_LABELS.get(ground, ground)}" if ground else "",
            f"理由：{self.facts}" if self.facts else "",
        )


Payload = (
    Received
    | CorrectionRequested
    | SupplementReceived
    | CorrectionAbandoned
    | ConsultationSent
    | ConsultationDelivered
    | ConsultationAnswered
    | ExtensionRequested
    | ExtensionApproved
    | ExtensionRefused
    | DelayedReply
    | FeeNoticeSent
    | FeeNoticeDelivered
    | FeePaid
    | FeeNotPaid
    | Decided
    | ReplySent
    | Withdrawn
    | LetterSent
    | CarriedOver
    | RemedyRegistered
    | RemedyDecided
    | AttachmentAdded
    | Assigned
    | ReasonsAdded
)
P = TypeVar("P", bound=_Payload)

# ---------------------------------------------------------------------------------------------
# JSON ↔ payload
# ---------------------------------------------------------------------------------------------

# Python names that differ from the stored keys (``summary`` is also the method's name).
_KEYS: Final = {"summary_text": "summary"}


def json_key(name: str) -> str:
    """The key under which the payload field ``name`` is stored in the JSON (and returned by
    the API, whose schemas are generated from these dataclasses)."""
    return _KEYS.get(name, name)


def _load_str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("应为文字")
    return value


def _load_int(value: Any) -> int:
    if type(value) is not int:
        raise ValueError("应为整数")
    return value


def _load_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("应为是或否（true/false）")
    return value


def _load_date(value: Any) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError("应为日期（YYYY-MM-DD）") from None


def _load_decimal(value: Any) -> Decimal:
    if not isinstance(value, str):
        raise ValueError('应为以文字记录的金额（如 "150"）')
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValueError('应为金额（如 "150"）') from None


def _load_lines(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(line, str) for line in value):
        raise ValueError("应为文字列表")
    return tuple(value)


def _enum_loader(enum_type: type[enum.Enum]) -> Callable[[Any], Any]:
    def load(value: Any) -> Any:
        try:
            return enum_type(value)
        except ValueError:
            allowed = "、".join(str(member.value) for member in enum_type)
            raise ValueError(f"不是可选值（{allowed}）") from None

    return load


def _dump_plain(value: Any) -> Any:
    return value


def _dump_enum(value: enum.Enum) -> Any:
    return value.value


_SIMPLE: Final[dict[Any, tuple[Callable[[Any], Any], Callable[[Any], Any]]]] = {
    str: (_load_str, _dump_plain),
    int: (_load_int, _dump_plain),
    bool: (_load_bool, _dump_plain),
    dt.date: (_load_date, dt.date.isoformat),
    Decimal: (_load_decimal, str),
    tuple[str, ...]: (_load_lines, list),
}


@dataclass(frozen=True, slots=True)
class _FieldSpec:
    name: str  # the dataclass field
    key: str  # the JSON key
    load: Callable[[Any], Any]
    dump: Callable[[Any], Any]
    optional: bool  # ``None`` allowed
    required: bool  # the key must be present (the field has no default)
    omit_none: bool
    default: Any


def _field_spec(f: dataclasses.Field[Any], annotation: Any) -> _FieldSpec:
    optional = False
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        optional = len(args) < len(get_args(annotation))
        if len(args) != 1:
            raise TypeError(f"unsupported payload field type {annotation!r}")
        annotation = args[0]
    if annotation in _SIMPLE:
        load, dump = _SIMPLE[annotation]
    elif isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        load, dump = _enum_loader(annotation), _dump_enum
    else:
        raise TypeError(f"unsupported payload field type {annotation!r}")
    has_default = f.default is not dataclasses.MISSING
    return _FieldSpec(
        name=f.name,
        key=json_key(f.name),
        load=load,
        dump=dump,
        optional=optional,
        required=not has_default,
        omit_none=bool(f.metadata.get("omit_none")),
        default=f.default if has_default else None,
    )


def _specs(cls: type[_Payload]) -> tuple[_FieldSpec, ...]:
    hints = get_type_hints(cls)
    return tuple(_field_spec(f, hints[f.name]) for f in dataclasses.fields(cls))


PAYLOADS: Final[dict[EventKind, type[Payload]]] = {cls.kind: cls for cls in get_args(Payload)}
_SPECS: Final[dict[type[_Payload], tuple[_FieldSpec, ...]]] = {
    cls: _specs(cls) for cls in PAYLOADS.values()
}
if set(PAYLOADS) != set(EventKind):  # pragma: no cover - fails at import, so in every test
    raise RuntimeError(
        "every EventKind needs exactly one payload in gongkai.applications.events; missing: "
        + ", ".join(sorted(set(EventKind) - set(PAYLOADS)))
    )


def parse(kind: str, data: Any, *, where: str = "") -> Payload:
    """The payload of a stored event of ``kind`` with JSON ``data``.

    Raises :class:`EventDataError` naming the event (``where``), the field and the value when
    the JSON lacks a required key or holds a value of the wrong type. Keys no field reads are
    ignored.
    """
    return _parse(kind, data, lambda: where or "办理记录")


def read(event: ApplicationEvent) -> Payload:
    """The payload of a stored (or just built) event; see also ``ApplicationEvent.payload``."""
    return _parse(
        event.kind,
        event.data,
        lambda: f"办理记录 #{event.pk}（{event.date}）" if event.pk else "办理记录",
    )


# Kind value → (kind, payload class, field specs): one dict lookup per stored row.
_BY_VALUE: Final = {kind.value: (kind, cls, _SPECS[cls]) for kind, cls in PAYLOADS.items()}


def _parse(kind: str, data: Any, where: Callable[[], str]) -> Payload:
    # On the hot path (every open case's history on every list page): no message is built and
    # no enum is called unless something is wrong.
    entry = _BY_VALUE.get(kind)
    if entry is None:
        raise EventDataError(f"{where()}的事项 {kind!r} 不是已知的办理事项")
    event_kind, cls, specs = entry
    if not isinstance(data, dict):
        raise EventDataError(
            f"{where()}（{event_kind.label}）的内容应为键值对象，记录中为 {data!r}"
        )
    values: dict[str, Any] = {}
    for spec in specs:
        key = spec.key
        if key not in data:
            if spec.required:
                raise EventDataError(f"{where()}（{event_kind.label}）的内容缺少字段 {key!r}")
            values[spec.name] = spec.default
            continue
        value = data[key]
        # An optional date may have been stored blank: the clock always read that as no date.
        if spec.optional and (value is None or (value == "" and spec.load is _load_date)):
            values[spec.name] = None
            continue
        try:
            values[spec.name] = spec.load(value)
        except ValueError as problem:
            raise EventDataError(
                f"{where()}（{event_kind.label}）的字段 {key!r} {problem}，记录中为 {value!r}"
            ) from None
    return cls(**values)


def new_event(
    payload: Payload,
    *,
    date: dt.date,
    application: Application | None = None,
    actor: AbstractBaseUser | Any = None,
) -> ApplicationEvent:
    """An unsaved event holding ``payload`` — the one way code builds an event."""
    fields: dict[str, Any] = {"kind": payload.kind, "date": date, "data": payload.to_data()}
    if application is not None:
        fields["application"] = application
    if actor is not None:
        fields["actor"] = actor
    event = ApplicationEvent(**fields)
    event.__dict__["payload"] = payload  # the cached_property's slot: no need to parse back
    return event


def latest(events: Iterable[ApplicationEvent], cls: type[P]) -> tuple[ApplicationEvent, P] | None:
    """The last event of ``events`` whose payload is a ``cls``, with that payload."""
    found: tuple[ApplicationEvent, P] | None = None
    for event in events:
        payload = event.payload
        if isinstance(payload, cls):
            found = (event, payload)
    return found


def decision(events: Iterable[ApplicationEvent]) -> tuple[ApplicationEvent, Decided] | None:
    """The last decision with its reasons as they stand: a reason the ``Decided`` event left
    blank is taken from a ``ReasonsAdded`` after it (the one place both are read together)."""
    found: tuple[ApplicationEvent, Decided] | None = None
    for event in events:
        payload = event.payload
        if isinstance(payload, Decided):
            found = (event, payload)
        elif isinstance(payload, ReasonsAdded) and found is not None:
            decided = found[1]
            found = (
                found[0],
                dataclasses.replace(
                    decided,
                    facts=decided.facts or payload.facts,
                    withheld_part=decided.withheld_part or payload.withheld_part,
                    withheld_ground=decided.withheld_ground or payload.withheld_ground,
                ),
            )
    return found


@dataclass(frozen=True, slots=True)
class StatedReason:
    """One reason of a decision as the reply states it: its name on every page
    (:data:`REASON_NAMES`) and its text in plain words (a withheld ground as its row's plain
    label, an unknown code as stored). ``text`` is blank for a reason the result needs and
    nobody recorded yet; ``added_on`` is the day a ``ReasonsAdded`` recorded it after the
    decision, ``None`` when the decision itself holds it. Each page keeps what it needs: the
    printed file marks the 补录 day, the portal shows neither blanks nor the day."""

    name: ReasonField
    label: str
    text: str
    added_on: dt.date | None


@dataclass(frozen=True, slots=True)
class StatedDecision:
    """The last decision as it stands: its event (whose date is the decision's), its payload
    with the reasons added later filled in (:func:`decision`), its result in plain words, and
    its reasons in the order a reply letter states them."""

    event: ApplicationEvent
    decided: Decided
    result: str
    reasons: tuple[StatedReason, ...]

    @property
    def decided_on(self) -> dt.date:
        return self.event.date

    @property
    def legal_basis(self) -> str:
        return self.decided.legal_basis


def stated_decision(events: Iterable[ApplicationEvent]) -> StatedDecision | None:
    """The decision of ``events`` (oldest first) with its reasons in statutory order: each one
    recorded, or needed by the result and still blank; ``None`` before any decision.

    The one walk over :data:`REASON_NAMES` for every page that shows a decision, so the printed
    case file and the applicant's page cannot drift apart in order, labels or grounds.
    """
    history = list(events)
    found = decision(history)
    if found is None:
        return None
    event, decided = found
    as_decided = event.payload
    assert isinstance(as_decided, Decided)
    # The day each reason the decision left blank was first recorded after it (补录).
    added_on: dict[ReasonField, dt.date] = {}
    after = next(i for i, other in enumerate(history) if other is event) + 1
    for other in history[after:]:
        payload = other.payload
        if isinstance(payload, ReasonsAdded):
            for name in REASON_NAMES:
                if getattr(payload, name) and not getattr(as_decided, name):
                    added_on.setdefault(name, other.date)
    needed = (
        {need.field for need in required_reasons(decided.result)}
        if decided.result in RESULT_CODES
        else set()
    )
    reasons = []
    for name, label in REASON_NAMES.items():
        text: str = getattr(decided, name)
        if not text and name not in needed:
            continue
        if name is ReasonField.WITHHELD_GROUND:
            text = RESULT_PLAIN_LABELS.get(text, text)
        reasons.append(StatedReason(name, label, text, added_on.get(name)))
    return StatedDecision(
        event=event,
        decided=decided,
        result=RESULT_PLAIN_LABELS.get(decided.result, decided.result),
        reasons=tuple(reasons),
    )


def having(cls: type[Payload], **fields: Any) -> Q:
    """A filter on events of ``cls`` whose stored ``fields`` equal the given values."""
    specs = {spec.name: spec for spec in _SPECS[cls]}
    lookups: dict[str, Any] = {"kind": cls.kind}
    for name, value in fields.items():
        if name not in specs:
            raise TypeError(f"{cls.__name__} has no field {name!r}")
        lookups[f"data__{specs[name].key}"] = specs[name].dump(value)
    return Q(**lookups)
