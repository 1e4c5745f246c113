"""The schema of every case and register event the API returns, generated from the payloads.

The kinds and their fields are declared once, as frozen dataclasses in
:mod:`gongkai.applications.events` (:data:`~gongkai.applications.events.PAYLOADS`). This module
reads those declarations and builds, for each kind, a pydantic model of its ``data`` (the
stored JSON, under its stored keys: a date an ISO string, an amount a decimal string, lines a
list) and a model of the whole event with ``kind`` fixed to that kind. :data:`EventOut` is
their union discriminated on ``kind`` — in the OpenAPI document a ``oneOf`` with a
``discriminator`` — so a client generated from the document gets one typed class per kind, and
a kind added to the applications app appears here without a line written (a field of a type
this module does not know fails at import, in every test).

The JSON shape follows :meth:`~gongkai.applications.events._Payload.to_data`: a field is always
present, ``null`` only where the payload allows ``None``; a field marked "omitted when empty"
is left out rather than written blank, so it is optional and never ``null``.

The registers' history is built the same way from :data:`gongkai.registers.events.PAYLOADS`:
:data:`RegisterEventOut` is one model per :class:`~gongkai.registers.models.RegisterEventKind`,
discriminated on ``kind``, its ``data`` the kind's payload (the values the staff history page
shows, before and after), with the page's own line as ``summary``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import types
from decimal import Decimal
from typing import (
    TYPE_CHECKING,
    Annotated,
    Any,
    Final,
    Literal,
    Union,
    get_args,
    get_origin,
    get_type_hints,
)

from ninja import Field, Schema
from pydantic import ConfigDict, create_model

from gongkai.applications.events import PAYLOADS, Payload, json_key
from gongkai.applications.models import ApplicationEvent, EventKind
from gongkai.registers import events as register_events
from gongkai.registers.models import RegisterEvent, RegisterEventKind
from gongkai.registers.selectors import HISTORY_REGISTERS

# An amount is stored as the text of a decimal number of yuan ("150", "0.5").
_AMOUNT: Final = Annotated[
    str, Field(pattern=r"^-?[0-9]+(\.[0-9]+)?$", description="金额（元），以文字记录的十进制数")
]


class EventData(Schema):
    """The base of every kind's ``data``: no key beyond the kind's fields."""

    model_config = ConfigDict(extra="forbid")


def _drop_default(schema: dict[str, Any]) -> None:
    """An omitted field has no default value to advertise: it is simply absent."""
    schema.pop("default", None)


def _json_type(annotation: Any) -> Any:
    """The JSON type of a payload field's (non-optional) type."""
    if annotation in (str, int, bool, dt.date):
        return annotation
    if annotation is Decimal:
        return _AMOUNT
    if annotation == tuple[str, ...]:
        return list[str]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return Literal[tuple(member.value for member in annotation)]
    raise TypeError(f"no API schema for the payload field type {annotation!r}")


def _field(f: dataclasses.Field[Any], annotation: Any) -> tuple[Any, Any]:
    nullable = False
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        nullable = len(args) < len(get_args(annotation))
        (annotation,) = args
    json_type = _json_type(annotation)
    if f.metadata.get("omit_none"):
        # Left out when None or blank: optional, and never null when present.
        return json_type, Field(default=None, json_schema_extra=_drop_default)
    return (json_type | None if nullable else json_type), Field(...)


def _data_model(cls: type[Payload]) -> type[EventData]:
    hints = get_type_hints(cls)
    fields = {json_key(f.name): _field(f, hints[f.name]) for f in dataclasses.fields(cls)}
    model: type[EventData] = create_model(  # type: ignore[call-overload]
        f"{cls.__name__}Data",
        __base__=EventData,
        __doc__=f"“{cls.kind.label}”的内容（kind = {cls.kind.value}）",
        **fields,
    )
    return model


def _event_model(kind: EventKind, data: type[EventData]) -> type[Schema]:
    fixed: Any = Literal[kind.value]  # a type built at run time, one per kind
    model: type[Schema] = create_model(
        f"{PAYLOADS[kind].__name__}Event",
        __base__=Schema,
        __doc__=f"办理记录：{kind.label}",
        id=(int, Field(...)),
        kind=(fixed, Field(..., description="办理事项（决定 data 的形状）")),
        kind_label=(str, Field(...)),
        date=(dt.date, Field(...)),
        summary=(str, Field(..., description="办理记录的说明（中文）")),
        data=(data, Field(..., description="该事项的类型化内容")),
        actor=(str, Field(..., description="经办人（接口令牌为“接口：名称”）")),
        created_at=(dt.datetime, Field(...)),
    )
    return model


# Kind → the model of its ``data``, and of its event; in the order EventKind declares them.
DATA_MODELS: Final[dict[EventKind, type[EventData]]] = {
    kind: _data_model(PAYLOADS[kind]) for kind in EventKind
}
EVENT_MODELS: Final[dict[EventKind, type[Schema]]] = {
    kind: _event_model(kind, data) for kind, data in DATA_MODELS.items()
}

if TYPE_CHECKING:
    EventOut = Any
else:
    _ANY_EVENT = Union[tuple(EVENT_MODELS.values())]  # noqa: UP007 (built from a tuple)
    EventOut = Annotated[_ANY_EVENT, Field(discriminator="kind")]


def event_out(event: ApplicationEvent) -> dict[str, Any]:
    """The event as the API returns it; the endpoint drops unset keys (the omitted fields)."""
    actor = event.actor
    payload = event.payload
    return {
        "id": event.pk,
        "kind": event.kind,
        "kind_label": event.get_kind_display(),
        "date": event.date,
        "summary": payload.summary(),
        "data": payload.to_data(),
        "actor": actor.get_full_name() or actor.get_username(),
        "created_at": event.created_at,
    }


# ---------------------------------------------------------------------------------------------
# Register events: the history of the registers (who changed which entry, before and after)
# ---------------------------------------------------------------------------------------------

# What each payload field holds, for the schema (a field added to a payload without a line
# here fails at import, in every test).
_REGISTER_FIELDS: Final[dict[str, str]] = {
    "entry": "台账条目，以台账页面的写法（如文号和标题、年月和类别）",
    "values": "条目各字段的值：字段名 → 页面显示的值（选项为其名称，日期为 YYYY-MM-DD）",
    "before": "修改前的值：字段名 → 值（原为空白的为空字符串）",
    "after": "修改后的值：字段名 → 值",
    "filename": "导入的文件名",
    "year": "导入的年度",
    "cells": "写入的每个单元格：[月份, 类别, 原数量（原无则为空字符串）, 新数量]",
}
_REGISTER_PAYLOAD_LABELS: Final[dict[str, str]] = {
    register_events.EntryAdded.__name__: "登记的条目",
    register_events.EntryChanged.__name__: "修改的条目及改动的字段",
    register_events.EntryRemoved.__name__: "删除的条目及删除前的值",
    register_events.CountsImported.__name__: "导入的处理决定数量",
}
# Kind → the register it belongs to (the staff history page's filter).
REGISTER_OF: Final[dict[str, str]] = {
    kind.value: register for register, (_, kinds) in HISTORY_REGISTERS.items() for kind in kinds
}
assert set(REGISTER_OF) == set(RegisterEventKind.values), "a register event kind in no register"

if TYPE_CHECKING:
    LedgerValue = str
else:
    LedgerValue = Literal[tuple(HISTORY_REGISTERS)]


def _register_data_model(cls: type[Any]) -> type[EventData]:
    hints = get_type_hints(cls)
    fields = {
        f.name: (hints[f.name], Field(..., description=_REGISTER_FIELDS[f.name]))
        for f in dataclasses.fields(cls)
    }
    model: type[EventData] = create_model(  # type: ignore[call-overload]
        f"Register{cls.__name__}Data",
        __base__=EventData,
        __doc__=_REGISTER_PAYLOAD_LABELS[cls.__name__],
        **fields,
    )
    return model


_REGISTER_DATA: Final[dict[type[Any], type[EventData]]] = {
    cls: _register_data_model(cls) for cls in dict.fromkeys(register_events.PAYLOADS.values())
}


def _register_event_model(kind: RegisterEventKind) -> type[Schema]:
    fixed: Any = Literal[kind.value]  # types built at run time, one per kind
    ledger: Any = Literal[REGISTER_OF[kind.value]]
    name = "".join(part.title() for part in kind.value.split("_"))
    model: type[Schema] = create_model(
        f"Register{name}Event",
        __base__=Schema,
        __doc__=f"台账变更记录：{kind.label}",
        id=(int, Field(...)),
        at=(dt.datetime, Field(..., description="变更时间")),
        actor=(str, Field(..., description="操作人")),
        kind=(fixed, Field(..., description="变更事项（决定 data 的形状）")),
        kind_label=(str, Field(...)),
        ledger=(ledger, Field(..., description="所属台账（由 kind 决定）")),
        ledger_label=(str, Field(...)),
        entry_id=(
            int | None,
            Field(..., description="台账条目的编号（条目删除后仍保留）；导入为 null"),
        ),
        summary=(str, Field(..., description="变更的说明（中文，与台账变更记录页面相同）")),
        data=(
            _REGISTER_DATA[register_events.PAYLOADS[kind]],
            Field(..., description="变更的类型化内容"),
        ),
    )
    return model


REGISTER_EVENT_MODELS: Final[dict[RegisterEventKind, type[Schema]]] = {
    kind: _register_event_model(kind) for kind in RegisterEventKind
}

if TYPE_CHECKING:
    RegisterEventOut = Any
else:
    _ANY_REGISTER_EVENT = Union[tuple(REGISTER_EVENT_MODELS.values())]  # noqa: UP007
    RegisterEventOut = Annotated[_ANY_REGISTER_EVENT, Field(discriminator="kind")]


class RegisterEventPage(Schema):
    count: int = Field(description="符合条件的变更记录总数")
    limit: int
    offset: int
    items: list[RegisterEventOut]


def register_event_out(event: RegisterEvent) -> dict[str, Any]:
    """A register change as the API returns it: the history page's line, and its values."""
    actor = event.actor
    register = REGISTER_OF[event.kind]
    return {
        "id": event.pk,
        "at": event.at,
        "actor": actor.get_full_name() or actor.get_username(),
        "kind": event.kind,
        "kind_label": event.get_kind_display(),
        "ledger": register,
        "ledger_label": HISTORY_REGISTERS[register][0],
        "entry_id": event.entry_id,
        "summary": register_events.summary(event),
        "data": dataclasses.asdict(register_events.payload_of(event)),
    }
