"""The registers behind section 二 of the annual report (LEGAL.md §2.2, §3.1).

The report states counts; the registers hold what is counted, so that no number is typed twice:

* :class:`NormativeDocument` — each 规章 and 行政规范性文件 with its 文号 and the dates it was
  issued and repealed. 本年制发件数, 本年废止件数 and 现行有效件数 are derived from the dates
  (:func:`gongkai.registers.selectors.section2_cells`), never stored.
* :class:`DecisionCount` — Art 20 (五)(六): the month's 行政许可, 行政处罚 and 行政强制 decisions.
  The kinds are section 二's row codes, read from :mod:`gongkai.core.formats`.
* :class:`ProactiveItem` — the proactive-disclosure catalogue (Art 20/21): each item with the date
  it was formed or changed and the date it was published; Art 26's 20 working days are checked
  against them (:mod:`gongkai.registers.selectors`).
* :class:`WorkRecord` — the work the narrative reports: websites and new-media accounts opened,
  merged or closed, disclosure columns, training sessions, appraisal, accountability, tasks.
* :class:`AdminFeeTotal` — Art 20 (八): the year's 行政事业性收费 in 万元 (a Decimal, not a
  float).

Every change to them is a :class:`RegisterEvent` (who, when, the values before and after),
written by the service in the change's transaction: the counts a published report states can
be traced to who entered them, and an edited entry's previous values are kept.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from django.conf import settings
from django.db import models
from django.utils import timezone

from gongkai.agencies.models import AppendOnly, Unit
from gongkai.core.formats import (
    S2_COERCION,
    S2_LICENSING,
    S2_NORMATIVE_DOCUMENTS,
    S2_PENALTY,
    S2_RULES,
)

# The gatekeeper's name for this record kind (registered in RegistersConfig.ready()).
NORMATIVE_DOCUMENT: Final = "normative_document"
NORMATIVE_DOCUMENT_NOT_FOUND: Final = "未找到规章或规范性文件（编号 {id}），或您无权维护该文件"

# A document's kind is the section 二 (一) row it is counted in.
RULE: Final = S2_RULES
NORMATIVE: Final = S2_NORMATIVE_DOCUMENTS
DOCUMENT_KIND_CHOICES: Final[list[tuple[str, str]]] = [
    (RULE, "规章"),
    (NORMATIVE, "行政规范性文件"),
]

PROACTIVE_ITEM: Final = "proactive_item"
PROACTIVE_ITEM_NOT_FOUND: Final = "未找到主动公开事项（编号 {id}），或您无权维护该事项"

# Art 20 items (一)–(十五) and Art 21 (LEGAL.md §1.3): the catalogue's categories.
_ART20_ITEMS: Final = (
    ("一", "规章和规范性文件"),
    ("二", "机关职能、机构设置、办公地址等"),
    ("三", "发展规划及相关政策"),
    ("四", "统计信息"),
    ("五", "行政许可和其他对外管理服务事项"),
    ("六", "行政处罚和行政强制"),
    ("七", "财政预算、决算"),
    ("八", "行政事业性收费"),
    ("九", "政府集中采购"),
    ("十", "重大建设项目"),
    ("十一", "扶贫、教育、医疗、社会保障、促进就业"),
    ("十二", "突发公共事件应急"),
    ("十三", "环境保护、公共卫生、安全生产、食品药品、产品质量监督检查"),
    ("十四", "公务员招考"),
    ("十五", "法律法规规章和国家有关规定应当公开的其他信息"),
)
ART21: Final = "21"
CATEGORY_CHOICES: Final[list[tuple[str, str]]] = [
    *((f"20-{i}", f"第二十条第（{n}）项 {label}") for i, (n, label) in enumerate(_ART20_ITEMS, 1)),
    (ART21, "第二十一条 本级人民政府及其部门、乡镇应主动公开的其他信息"),
]

WORK_RECORD: Final = "work_record"
WORK_RECORD_NOT_FOUND: Final = "未找到工作记录（编号 {id}），或您无权维护该记录"
# What the narrative (一、总体情况 and 五) reports, beside the tables.
WEBSITE: Final = "website"
NEW_MEDIA: Final = "new_media"
SECTION: Final = "section"
TRAINING: Final = "training"
APPRAISAL: Final = "appraisal"
ACCOUNTABILITY: Final = "accountability"
TASK: Final = "task"
WORK_KIND_CHOICES: Final[list[tuple[str, str]]] = [
    (WEBSITE, "政府网站"),
    (NEW_MEDIA, "政务新媒体账号"),
    (SECTION, "政府信息公开专栏"),
    (TRAINING, "培训"),
    (APPRAISAL, "考核、社会评议"),
    (ACCOUNTABILITY, "责任追究"),
    (TASK, "年度工作任务"),
]
# Websites and accounts change by one of these; the other kinds have no change.
PLATFORM_KINDS: Final = frozenset({WEBSITE, NEW_MEDIA, SECTION})
OPENED: Final = "opened"
MERGED: Final = "merged"
CLOSED: Final = "closed"
CHANGE_CHOICES: Final[list[tuple[str, str]]] = [
    (OPENED, "开设"),
    (MERGED, "整合"),
    (CLOSED, "关停"),
]
# What the number of a record counts, by kind (blank: the record has no number).
QUANTITY_LABELS: Final[dict[str, str]] = {
    TRAINING: "参训人次",
    ACCOUNTABILITY: "追责人数",
}

# A decision's kind is the section 二 (五)/(六) row it is counted in.
LICENSING: Final = S2_LICENSING
PENALTY: Final = S2_PENALTY
COERCION: Final = S2_COERCION
DECISION_KIND_CHOICES: Final[list[tuple[str, str]]] = [
    (LICENSING, "行政许可"),
    (PENALTY, "行政处罚"),
    (COERCION, "行政强制"),
]


def wan_yuan(amount: Decimal) -> Decimal:
    """An amount as a report states it: stored to four places, stated without trailing zeros
    (``12.3500`` → ``12.35``, ``100.0000`` → ``100``, never ``1E+2``)."""
    if amount == amount.to_integral_value():
        return amount.quantize(Decimal(1))
    return amount.normalize()


class NormativeDocument(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name="制发单位", on_delete=models.PROTECT, related_name="registered_documents"
    )
    kind = models.CharField("类别", max_length=30, choices=DOCUMENT_KIND_CHOICES)
    number = models.CharField("文号", max_length=100)
    title = models.CharField("标题", max_length=300)
    issued_on = models.DateField("印发日期")
    repealed_on = models.DateField("废止（失效）日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "规章和规范性文件"
        verbose_name_plural = verbose_name
        ordering = ("-issued_on", "number")
        constraints = (
            models.UniqueConstraint(fields=("unit", "number"), name="registers_document_number"),
            models.CheckConstraint(
                condition=models.Q(repealed_on__isnull=True)
                | models.Q(repealed_on__gte=models.F("issued_on")),
                name="registers_document_repealed_after_issued",
            ),
        )

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class DecisionCount(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="decision_counts"
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    kind = models.CharField("类别", max_length=30, choices=DECISION_KIND_CHOICES)
    quantity = models.PositiveIntegerField("处理决定数量")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now=True)

    class Meta:
        verbose_name = "行政许可、处罚、强制决定数量"
        verbose_name_plural = verbose_name
        ordering = ("year", "month", "kind")
        constraints = (
            models.UniqueConstraint(
                fields=("unit", "year", "month", "kind"), name="registers_decision_month"
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12),
                name="registers_decision_month_range",
            ),
        )


class ProactiveItem(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="proactive_items"
    )
    category = models.CharField("类别", max_length=10, choices=CATEGORY_CHOICES)
    title = models.CharField("信息名称", max_length=300)
    formed_on = models.DateField("形成或变更日期")
    published_on = models.DateField("公开日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "主动公开事项"
        verbose_name_plural = verbose_name
        ordering = ("-formed_on", "pk")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(published_on__isnull=True)
                | models.Q(published_on__gte=models.F("formed_on")),
                name="registers_item_published_after_formed",
            ),
        )

    def __str__(self) -> str:
        return self.title


class WorkRecord(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="work_records"
    )
    kind = models.CharField("类别", max_length=20, choices=WORK_KIND_CHOICES)
    name = models.CharField("名称或事项", max_length=300)
    happened_on = models.DateField("日期")
    change = models.CharField("变化", max_length=10, choices=CHANGE_CHOICES, blank=True)
    quantity = models.PositiveIntegerField("人次或人数", null=True, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "公开工作记录"
        verbose_name_plural = verbose_name
        ordering = ("-happened_on", "pk")

    def __str__(self) -> str:
        return self.name


class AdminFeeTotal(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="admin_fee_totals"
    )
    year = models.PositiveSmallIntegerField("年度")
    amount = models.DecimalField("本年收费金额（万元）", max_digits=14, decimal_places=4)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now=True)

    class Meta:
        verbose_name = "行政事业性收费金额"
        verbose_name_plural = verbose_name
        constraints = (
            models.UniqueConstraint(fields=("unit", "year"), name="registers_fee_year"),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="registers_fee_not_negative"
            ),
        )

    @property
    def amount_shown(self) -> str:
        """The amount without the stored trailing zeros: 12.3500 → "12.35"."""
        return str(wan_yuan(self.amount))


class RegisterEventKind(models.TextChoices):
    """Every change a register can undergo, declared once; the payload each carries is in
    :mod:`gongkai.registers.events`."""

    DOCUMENT_CREATED = "document_created", "登记规章或规范性文件"
    DOCUMENT_REPEALED = "document_repealed", "登记文件废止"
    DOCUMENT_DELETED = "document_deleted", "删除误登记的文件"
    DECISION_COUNT_SET = "decision_count_set", "登记或更正处理决定数量"
    DECISION_COUNTS_IMPORTED = "decision_counts_imported", "导入处理决定数量"
    FEE_SET = "fee_set", "登记或更正行政事业性收费金额"
    ITEM_CREATED = "item_created", "登记主动公开事项"
    ITEM_PUBLISHED = "item_published", "登记主动公开日期"
    ITEM_DELETED = "item_deleted", "删除误登记的主动公开事项"
    WORK_CREATED = "work_created", "登记工作记录"
    WORK_DELETED = "work_deleted", "删除误登记的工作记录"


class RegisterEvent(AppendOnly):
    """One change to a unit's registers: who, when, which entry, and its values before and
    after (a typed payload of :mod:`gongkai.registers.events`, stored as JSON). Written only by
    the register services, in the transaction of the change; never changed nor deleted.

    ``entry_id`` is the id of the entry changed (kept after the entry is deleted: the payload
    then holds the values it had); ``None`` for an import, which changes many.
    """

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="register_events"
    )
    kind = models.CharField("事项", max_length=40, choices=RegisterEventKind.choices)
    entry_id = models.PositiveBigIntegerField("台账条目编号", null=True, blank=True)
    data = models.JSONField("内容", default=dict)

    class Meta:
        verbose_name = "台账变更记录"
        verbose_name_plural = verbose_name
        ordering = ("-at", "-id")
        indexes = (models.Index(fields=("unit", "kind", "entry_id"), name="registers_event_entry"),)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.get_kind_display()}"
