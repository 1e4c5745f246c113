"""The payload of every register event, declared once per :class:`RegisterEventKind`.

The register services write one :class:`~gongkai.registers.models.RegisterEvent` per change,
in the change's transaction, through :func:`record`; the history page reads it back with
:func:`payload_of` and prints :func:`summary`. The JSON in ``RegisterEvent.data`` is written
and read nowhere else. Values are kept as the page showed them (a choice by its label, a date
as ``2024-05-01``, an amount in 万元 without trailing zeros), keyed by field name, so that an
edited entry's previous values stay readable after the entry changed or was deleted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final, assert_never

from django.db import models

from gongkai.agencies.models import Unit
from gongkai.registers.models import (
    AdminFeeTotal,
    DecisionCount,
    NormativeDocument,
    ProactiveItem,
    RegisterEvent,
    RegisterEventKind,
    WorkRecord,
    wan_yuan,
)

Values = Mapping[str, str]


@dataclass(frozen=True, slots=True)
class EntryAdded:
    """An entry registered: its values as entered."""

    entry: str  # how the history names the entry ("泉港政〔2021〕1号《…》")
    values: dict[str, str]


@dataclass(frozen=True, slots=True)
class EntryChanged:
    """An entry edited (a repeal, a publication, a corrected count or amount): the values of
    the fields changed, before and after ("" for a field that was blank or absent)."""

    entry: str
    before: dict[str, str]
    after: dict[str, str]


@dataclass(frozen=True, slots=True)
class EntryRemoved:
    """An entry deleted as entered by mistake: every value it had."""

    entry: str
    values: dict[str, str]


@dataclass(frozen=True, slots=True)
class CountsImported:
    """A workbook of monthly decision counts: each cell written, with its previous count."""

    filename: str
    year: int
    # One row per cell: month, kind (its label), before ("" when none), after.
    cells: tuple[tuple[int, str, str, str], ...]


Payload = EntryAdded | EntryChanged | EntryRemoved | CountsImported

# The payload each kind carries: the one place a kind is bound to its shape.
PAYLOADS: Final[dict[RegisterEventKind, type[Any]]] = {
    RegisterEventKind.DOCUMENT_CREATED: EntryAdded,
    RegisterEventKind.DOCUMENT_REPEALED: EntryChanged,
    RegisterEventKind.DOCUMENT_DELETED: EntryRemoved,
    RegisterEventKind.DECISION_COUNT_SET: EntryChanged,
    RegisterEventKind.DECISION_COUNTS_IMPORTED: CountsImported,
    RegisterEventKind.FEE_SET: EntryChanged,
    RegisterEventKind.ITEM_CREATED: EntryAdded,
    RegisterEventKind.ITEM_PUBLISHED: EntryChanged,
    RegisterEventKind.ITEM_DELETED: EntryRemoved,
    RegisterEventKind.WORK_CREATED: EntryAdded,
    RegisterEventKind.WORK_DELETED: EntryRemoved,
}

_MODELS: Final = (NormativeDocument, DecisionCount, ProactiveItem, WorkRecord, AdminFeeTotal)
# Field name → its label, from the models themselves (a renamed label renames the history's).
LABELS: Final[dict[str, str]] = {
    f.name: str(f.verbose_name)
    for model in _MODELS
    for f in model._meta.get_fields()
    if isinstance(f, models.Field)
}


def shown(instance: models.Model, name: str) -> str:
    """The value of field ``name`` as the register page shows it."""
    field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if value is None or value == "":
        return ""
    if isinstance(field, models.Field) and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, Decimal):
        return str(wan_yuan(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def values_of(instance: models.Model, names: Iterable[str]) -> dict[str, str]:
    return {name: shown(instance, name) for name in names}


def record(
    *,
    actor: Any,
    unit: Unit,
    kind: RegisterEventKind,
    payload: Payload,
    entry_id: int | None = None,
) -> RegisterEvent:
    """Append the event of one register change (inside the change's transaction)."""
    expected = PAYLOADS[kind]
    if not isinstance(payload, expected):
        raise TypeError(f"{kind.value} carries {expected.__name__}, not {type(payload).__name__}")
    return RegisterEvent.objects.create(
        actor=actor,
        unit=unit,
        kind=kind.value,
        entry_id=entry_id,
        data=dataclasses.asdict(payload),
    )


def payload_of(event: RegisterEvent) -> Payload:
    """The typed payload of a stored event."""
    cls = PAYLOADS[RegisterEventKind(event.kind)]
    names = {f.name for f in dataclasses.fields(cls)}
    data = {k: v for k, v in event.data.items() if k in names}
    if cls is CountsImported:
        data["cells"] = tuple(tuple(cell) for cell in data.get("cells", ()))
    payload: Payload = cls(**data)
    return payload


def _pairs(values: Values) -> str:
    return "；".join(f"{LABELS.get(k, k)}：{v}" for k, v in values.items() if v)


def summary(event: RegisterEvent) -> str:
    """What the history prints for ``event``, in the office's words."""
    payload = payload_of(event)
    match payload:
        case EntryAdded():
            return f"{payload.entry}（{_pairs(payload.values)}）"
        case EntryChanged():
            changes = "；".join(
                f"{LABELS.get(k, k)}由“{payload.before.get(k) or '空'}”改为“{v or '空'}”"
                for k, v in payload.after.items()
            )
            return f"{payload.entry}：{changes}"
        case EntryRemoved():
            return f"{payload.entry}（删除前：{_pairs(payload.values)}）"
        case CountsImported():
            cells = "、".join(
                f"{month} 月{kind} {before or '空'}→{after}"
                for month, kind, before, after in payload.cells
            )
            return f"从“{payload.filename}”导入 {payload.year} 年 {len(payload.cells)} 项：{cells}"
        case _:
            assert_never(payload)
