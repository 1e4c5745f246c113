"""Writes to the registers: normative documents, monthly decision counts, the year's fees.

Every write is made by a member who may :data:`~gongkai.agencies.gatekeeper.Action.MANAGE_REGISTERS`
in the unit (its clerks and head; a supervising office reads, it does not enter). Bad input is
refused with a message that names the value at fault; nothing is half-written. Every write
records one :class:`~gongkai.registers.models.RegisterEvent` in its transaction
(:mod:`gongkai.registers.events`): who changed which entry when, and the values it had before.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.agencies.gatekeeper import Action, access_record_by_id, require
from gongkai.agencies.models import Unit
from gongkai.core.errors import GongkaiError
from gongkai.core.formats import FIRST_REPORT_YEAR
from gongkai.registers import events
from gongkai.registers.events import EntryAdded, EntryChanged, EntryRemoved
from gongkai.registers.models import (
    CATEGORY_CHOICES,
    CHANGE_CHOICES,
    DECISION_KIND_CHOICES,
    DOCUMENT_KIND_CHOICES,
    NORMATIVE_DOCUMENT,
    PLATFORM_KINDS,
    PROACTIVE_ITEM,
    QUANTITY_LABELS,
    WORK_KIND_CHOICES,
    WORK_RECORD,
    AdminFeeTotal,
    DecisionCount,
    NormativeDocument,
    ProactiveItem,
    RegisterEventKind,
    WorkRecord,
)

# 万元 to four decimal places: one yuan is the smallest amount a fee register holds.
FEE_PLACES: Final = 4


class RegisterError(GongkaiError):
    """A register entry that cannot be saved, explained in Chinese."""


def _not_in_future(day: dt.date, what: str) -> None:
    today = timezone.localdate()
    if day > today:
        raise RegisterError(f"{what}（{day.isoformat()}）不能晚于今天（{today.isoformat()}）")


def _check_year(year: int) -> None:
    today = timezone.localdate()
    if not FIRST_REPORT_YEAR <= year <= today.year:
        raise RegisterError(
            f"年度 {year} 不在可登记的范围内（{FIRST_REPORT_YEAR}–{today.year} 年）"
        )


# The year of a 文号 in the brackets people type instead of the official 六角括号 〔〕
# (GB/T 9704): [2021], ［2021］, 【2021】, (2021), （2021）.
_YEAR_BRACKETS: Final = re.compile(r"[\[［【(（]\s*(\d{4})\s*[\]］】)）]")


def normalize_number(number: str) -> str:
    """A 文号 as stored and compared for duplicates: blanks removed, the year in 〔〕.

    "泉港政 [2021] 1号" and "泉港政〔2021〕1号" are the same document.
    """
    return _YEAR_BRACKETS.sub(r"〔\1〕", "".join(number.split()))


@transaction.atomic
def normative_document_create(
    *,
    acting_user: Any,
    unit: Unit,
    kind: str,
    number: str,
    title: str,
    issued_on: dt.date,
    repealed_on: dt.date | None = None,
) -> NormativeDocument:
    """Register a 规章 or 行政规范性文件 issued by ``unit`` (with its repeal, if already known)."""
    require(acting_user, Action.MANAGE_REGISTERS, unit)
    kinds = dict(DOCUMENT_KIND_CHOICES)
    if kind not in kinds:
        allowed = "、".join(label for _, label in DOCUMENT_KIND_CHOICES)
        raise RegisterError(f"未知的文件类别 {kind!r}，可选：{allowed}")
    number = normalize_number(number)
    if not number:
        raise RegisterError("请填写文号")
    title = title.strip()
    if not title:
        raise RegisterError(f"请填写文件“{number}”的标题")
    _not_in_future(issued_on, f"文件“{number}”的印发日期")
    if repealed_on is not None:
        _check_repeal(number, issued_on, repealed_on)
    existing = NormativeDocument.objects.filter(unit=unit, number=number).first()
    if existing is not None:
        raise RegisterError(
            f"文号“{number}”已登记（《{existing.title}》，"
            f"{existing.issued_on.isoformat()} 印发），同一单位的文号不能重复登记"
        )
    try:
        with transaction.atomic():
            document = NormativeDocument.objects.create(
                unit=unit,
                kind=kind,
                number=number,
                title=title,
                issued_on=issued_on,
                repealed_on=repealed_on,
                recorded_by=acting_user,
            )
    except IntegrityError:
        # Another officer registered the same 文号 a moment ago.
        raise RegisterError(f"文号“{number}”已由他人同时登记，同一单位的文号不能重复登记") from None
    events.record(
        actor=acting_user,
        unit=unit,
        kind=RegisterEventKind.DOCUMENT_CREATED,
        entry_id=document.pk,
        payload=EntryAdded(entry=_document_name(document), values=_document_values(document)),
    )
    return document


_DOCUMENT_FIELDS: Final = ("kind", "number", "title", "issued_on", "repealed_on")


def _document_name(document: NormativeDocument) -> str:
    return f"{document.get_kind_display()}“{document.number}”《{document.title}》"


def _document_values(document: NormativeDocument) -> dict[str, str]:
    return events.values_of(document, _DOCUMENT_FIELDS)


def _check_repeal(number: str, issued_on: dt.date, repealed_on: dt.date) -> None:
    _not_in_future(repealed_on, f"文件“{number}”的废止日期")
    if repealed_on < issued_on:
        raise RegisterError(
            f"文件“{number}”的废止日期 {repealed_on.isoformat()} 早于"
            f"印发日期 {issued_on.isoformat()}，请核对"
        )


@transaction.atomic
def normative_document_repeal(
    *, acting_user: Any, document_id: int, repealed_on: dt.date
) -> NormativeDocument:
    """Record that a registered document was repealed (废止) or lapsed (失效) on ``repealed_on``."""
    found = access_record_by_id(
        NORMATIVE_DOCUMENT, acting_user, document_id, Action.MANAGE_REGISTERS
    )
    document: NormativeDocument = NormativeDocument.objects.select_for_update().get(pk=found.pk)
    if document.repealed_on is not None:
        raise RegisterError(
            f"文件“{document.number}”已于 {document.repealed_on.isoformat()} 废止，不能再次废止"
        )
    _check_repeal(document.number, document.issued_on, repealed_on)
    before = events.values_of(document, ("repealed_on",))
    document.repealed_on = repealed_on
    document.save(update_fields=["repealed_on"])
    events.record(
        actor=acting_user,
        unit=document.unit,
        kind=RegisterEventKind.DOCUMENT_REPEALED,
        entry_id=document.pk,
        payload=EntryChanged(
            entry=_document_name(document),
            before=before,
            after=events.values_of(document, ("repealed_on",)),
        ),
    )
    return document


@transaction.atomic
def decision_count_set(
    *, acting_user: Any, unit: Unit, year: int, month: int, kind: str, count: int
) -> DecisionCount:
    """Enter (or correct) the number of ``kind`` decisions ``unit`` made in ``year``-``month``;
    a correction's event keeps the count it replaced."""
    entry, before = decision_count_write(
        acting_user=acting_user, unit=unit, year=year, month=month, kind=kind, count=count
    )
    events.record(
        actor=acting_user,
        unit=unit,
        kind=RegisterEventKind.DECISION_COUNT_SET,
        entry_id=entry.pk,
        payload=EntryChanged(
            entry=f"{year} 年 {month} 月{entry.get_kind_display()}决定数量",
            before={"quantity": before},
            after=events.values_of(entry, ("quantity",)),
        ),
    )
    return entry


def decision_count_write(
    *, acting_user: Any, unit: Unit, year: int, month: int, kind: str, count: int
) -> tuple[DecisionCount, str]:
    """Check and write one monthly count, returning it with the count it replaced ("" for
    none). Records no event: :func:`decision_count_set` records one per count, the workbook
    import one for the whole file. Call inside the caller's transaction."""
    require(acting_user, Action.MANAGE_REGISTERS, unit)
    kinds = dict(DECISION_KIND_CHOICES)
    if kind not in kinds:
        allowed = "、".join(label for _, label in DECISION_KIND_CHOICES)
        raise RegisterError(f"未知的决定类别 {kind!r}，可选：{allowed}")
    _check_year(year)
    if not 1 <= month <= 12:
        raise RegisterError(f"月份 {month} 无效，应为 1–12")
    today = timezone.localdate()
    if (year, month) > (today.year, today.month):
        raise RegisterError(f"{year} 年 {month} 月尚未到来，不能登记{kinds[kind]}决定数量")
    if isinstance(count, bool) or not isinstance(count, int):
        raise RegisterError(f"{kinds[kind]}决定数量应为整数，收到 {count!r}")
    if count < 0:
        raise RegisterError(f"{year} 年 {month} 月{kinds[kind]}决定数量不能为负数（{count}）")
    previous = (
        DecisionCount.objects.select_for_update()
        .filter(unit=unit, year=year, month=month, kind=kind)
        .values_list("quantity", flat=True)
        .first()
    )
    entry, _ = DecisionCount.objects.update_or_create(
        unit=unit,
        year=year,
        month=month,
        kind=kind,
        defaults={"quantity": count, "recorded_by": acting_user},
    )
    return entry, "" if previous is None else str(previous)


def parse_fee_amount(value: str | Decimal) -> Decimal:
    """A fee amount in 万元 as a Decimal: digits with at most four decimal places, not negative."""
    text = str(value).strip().replace(",", "").replace("，", "")
    if text.endswith("万元"):
        text = text[: -len("万元")].strip()
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise RegisterError(f"收费金额“{value}”不是数字（单位：万元）") from None
    if not amount.is_finite():
        raise RegisterError(f"收费金额“{value}”不是数字（单位：万元）")
    if amount < 0:
        raise RegisterError(f"收费金额不能为负数（{value} 万元）")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -FEE_PLACES:
        raise RegisterError(
            f"收费金额“{value}”的小数位过多：以万元为单位最多保留 {FEE_PLACES} 位小数（即精确到元）"
        )
    if amount >= Decimal(10) ** 10:
        raise RegisterError(f"收费金额“{value}”万元超出可登记的范围，请核对单位是否为万元")
    return amount


@transaction.atomic
def admin_fee_set(
    *, acting_user: Any, unit: Unit, year: int, amount: str | Decimal
) -> AdminFeeTotal:
    """Enter (or correct) ``unit``'s 行政事业性收费 for ``year``, in 万元."""
    require(acting_user, Action.MANAGE_REGISTERS, unit)
    _check_year(year)
    value = parse_fee_amount(amount)
    previous = AdminFeeTotal.objects.select_for_update().filter(unit=unit, year=year).first()
    before = events.values_of(previous, ("amount",)) if previous else {"amount": ""}
    entry, _ = AdminFeeTotal.objects.update_or_create(
        unit=unit, year=year, defaults={"amount": value, "recorded_by": acting_user}
    )
    entry.refresh_from_db(fields=["amount"])
    events.record(
        actor=acting_user,
        unit=unit,
        kind=RegisterEventKind.FEE_SET,
        entry_id=entry.pk,
        payload=EntryChanged(
            entry=f"{year} 年行政事业性收费金额（万元）",
            before=before,
            after=events.values_of(entry, ("amount",)),
        ),
    )
    return entry


def _check_publication(title: str, formed_on: dt.date, published_on: dt.date) -> None:
    _not_in_future(published_on, f"“{title}”的公开日期")
    if published_on < formed_on:
        raise RegisterError(
            f"“{title}”的公开日期 {published_on.isoformat()} 早于"
            f"形成或变更日期 {formed_on.isoformat()}，请核对"
        )


@transaction.atomic
def proactive_item_create(
    *,
    acting_user: Any,
    unit: Unit,
    category: str,
    title: str,
    formed_on: dt.date,
    published_on: dt.date | None = None,
) -> ProactiveItem:
    """Add an item to ``unit``'s proactive-disclosure catalogue (published, or still to be)."""
    require(acting_user, Action.MANAGE_REGISTERS, unit)
    if category not in dict(CATEGORY_CHOICES):
        raise RegisterError(
            f"未知的主动公开类别 {category!r}：应为第二十条第（一）至（十五）项或第二十一条"
        )
    title = title.strip()
    if not title:
        raise RegisterError("请填写主动公开信息的名称")
    _not_in_future(formed_on, f"“{title}”的形成或变更日期")
    if published_on is not None:
        _check_publication(title, formed_on, published_on)
    item = ProactiveItem.objects.create(
        unit=unit,
        category=category,
        title=title,
        formed_on=formed_on,
        published_on=published_on,
        recorded_by=acting_user,
    )
    events.record(
        actor=acting_user,
        unit=unit,
        kind=RegisterEventKind.ITEM_CREATED,
        entry_id=item.pk,
        payload=EntryAdded(entry=_item_name(item), values=_item_values(item)),
    )
    return item


_ITEM_FIELDS: Final = ("category", "title", "formed_on", "published_on")


def _item_name(item: ProactiveItem) -> str:
    return f"主动公开事项“{item.title}”"


def _item_values(item: ProactiveItem) -> dict[str, str]:
    return events.values_of(item, _ITEM_FIELDS)


@transaction.atomic
def proactive_item_publish(
    *, acting_user: Any, item_id: int, published_on: dt.date
) -> ProactiveItem:
    """Record the day a catalogued item was published."""
    found = access_record_by_id(PROACTIVE_ITEM, acting_user, item_id, Action.MANAGE_REGISTERS)
    item: ProactiveItem = ProactiveItem.objects.select_for_update().get(pk=found.pk)
    if item.published_on is not None:
        raise RegisterError(
            f"“{item.title}”已于 {item.published_on.isoformat()} 公开，不能再次登记公开"
        )
    _check_publication(item.title, item.formed_on, published_on)
    before = events.values_of(item, ("published_on",))
    item.published_on = published_on
    item.save(update_fields=["published_on"])
    events.record(
        actor=acting_user,
        unit=item.unit,
        kind=RegisterEventKind.ITEM_PUBLISHED,
        entry_id=item.pk,
        payload=EntryChanged(
            entry=_item_name(item), before=before, after=events.values_of(item, ("published_on",))
        ),
    )
    return item


@transaction.atomic
def normative_document_delete(*, acting_user: Any, document_id: int) -> str:
    """Remove a document registered by mistake (a wrong 文号 or date); returns its 文号.

    A repeal is not a mistake: a repealed document stays, as it counts in the year it was
    issued and in the year it was repealed.
    """
    document = access_record_by_id(
        NORMATIVE_DOCUMENT, acting_user, document_id, Action.MANAGE_REGISTERS
    )
    number: str = document.number
    removed = EntryRemoved(entry=_document_name(document), values=_document_values(document))
    entry_id, unit = document.pk, document.unit
    document.delete()
    events.record(
        actor=acting_user,
        unit=unit,
        kind=RegisterEventKind.DOCUMENT_DELETED,
        entry_id=entry_id,
        payload=removed,
    )
    return number


@transaction.atomic
def proactive_item_delete(*, acting_user: Any, item_id: int) -> str:
    """Remove a catalogue item entered by mistake; returns its title."""
    item = access_record_by_id(PROACTIVE_ITEM, acting_user, item_id, Action.MANAGE_REGISTERS)
    title: str = item.title
    removed = EntryRemoved(entry=_item_name(item), values=_item_values(item))
    entry_id, unit = item.pk, item.unit
    item.delete()
    events.record(
        actor=acting_user,
        unit=unit,
        kind=RegisterEventKind.ITEM_DELETED,
        entry_id=entry_id,
        payload=removed,
    )
    return title


@transaction.atomic
def work_record_create(
    *,
    acting_user: Any,
    unit: Unit,
    kind: str,
    name: str,
    happened_on: dt.date,
    change: str = "",
    quantity: int | None = None,
    note: str = "",
) -> WorkRecord:
    """Record a piece of the year's work that the narrative reports."""
    require(acting_user, Action.MANAGE_REGISTERS, unit)
    kinds = dict(WORK_KIND_CHOICES)
    if kind not in kinds:
        allowed = "、".join(label for _, label in WORK_KIND_CHOICES)
        raise RegisterError(f"未知的工作记录类别 {kind!r}，可选：{allowed}")
    label = kinds[kind]
    name = name.strip()
    if not name:
        raise RegisterError(f"请填写{label}的名称或事项")
    _not_in_future(happened_on, f"{label}“{name}”的日期")
    changes = dict(CHANGE_CHOICES)
    if kind in PLATFORM_KINDS:
        if change not in changes:
            raise RegisterError(f"请选择{label}“{name}”的变化：{'、'.join(changes.values())}")
    elif change:
        raise RegisterError(f"{label}没有开设、整合或关停之分，请不要选择变化")
    if quantity is not None:
        if kind not in QUANTITY_LABELS:
            raise RegisterError(f"{label}不需要填写人次或人数")
        if quantity < 0:
            raise RegisterError(f"{QUANTITY_LABELS[kind]}不能为负数（{quantity}）")
    record = WorkRecord.objects.create(
        unit=unit,
        kind=kind,
        name=name,
        happened_on=happened_on,
        change=change,
        quantity=quantity,
        note=note.strip(),
        recorded_by=acting_user,
    )
    events.record(
        actor=acting_user,
        unit=unit,
        kind=RegisterEventKind.WORK_CREATED,
        entry_id=record.pk,
        payload=EntryAdded(entry=_work_name(record), values=_work_values(record)),
    )
    return record


_WORK_FIELDS: Final = ("kind", "name", "happened_on", "change", "quantity", "note")


def _work_name(record: WorkRecord) -> str:
    return f"{record.get_kind_display()}“{record.name}”"


def _work_values(record: WorkRecord) -> dict[str, str]:
    return events.values_of(record, _WORK_FIELDS)


@transaction.atomic
def work_record_delete(*, acting_user: Any, record_id: int) -> str:
    """Remove a work record entered by mistake; returns its name."""
    record = access_record_by_id(WORK_RECORD, acting_user, record_id, Action.MANAGE_REGISTERS)
    name: str = record.name
    removed = EntryRemoved(entry=_work_name(record), values=_work_values(record))
    entry_id, unit = record.pk, record.unit
    record.delete()
    events.record(
        actor=acting_user,
        unit=unit,
        kind=RegisterEventKind.WORK_DELETED,
        entry_id=entry_id,
        payload=removed,
    )
    return name
