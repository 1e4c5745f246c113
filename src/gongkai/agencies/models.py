"""Units (the government, its townships and departments) and the people who work in them.

A unit's place in the hierarchy is kept twice: as ``parent`` (what an administrator edits) and
as a materialised ``path`` of ancestor ids (``"/1/4/9/"``). The path exists so that "every unit
below mine" — what a 汇总管理员 sees — is one indexed ``LIKE '/1/4/%'`` on SQLite and PostgreSQL
alike, without recursive SQL. Only :mod:`gongkai.agencies.services` writes units, and it keeps
the two in step.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.core.model import REPORT_KIND_LABELS, ReportKind

# A unit reports as a government, a department or a township; a roll-up is a report, not a unit.
UNIT_KINDS: tuple[ReportKind, ...] = tuple(k for k in ReportKind if k is not ReportKind.ROLLUP)
UNIT_KIND_CHOICES: list[tuple[str, str]] = [(k.value, REPORT_KIND_LABELS[k]) for k in UNIT_KINDS]


class Unit(models.Model):
    name = models.CharField("单位名称", max_length=100, unique=True)
    # Printed in tracking numbers ("泉港区政府办-2024-0007"), so short and unique.
    short_name = models.CharField("简称（用于受理编号）", max_length=30, unique=True)
    kind = models.CharField("单位类别", max_length=20, choices=UNIT_KIND_CHOICES)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # "/<root id>/…/<own id>/"; maintained by services.unit_create, see the module docstring.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    # What the public disclosure guide (政府信息公开指南, /public/) prints about where and when to
    # apply; blank until the unit's administrator fills them in (Django admin), and the guide
    # then says so rather than inventing an address.
    address = models.CharField("办公地址", max_length=200, blank=True, default="")
    postal_code = models.CharField("邮政编码", max_length=10, blank=True, default="")
    office_hours = models.CharField("办公时间", max_length=200, blank=True, default="")
    phone = models.CharField("咨询电话", max_length=50, blank=True, default="")
    email = models.EmailField("电子邮箱", max_length=100, blank=True, default="")

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ("path",)

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


class Role(models.TextChoices):
    CLERK = "clerk", "经办人"
    HEAD = "head", "负责人"
    SUPERVISOR = "supervisor", "汇总管理员"
    ADMIN = "admin", "系统管理员"
    # Reads and judges published reports in the evaluator's workspace; sees no case file.
    EVALUATOR = "evaluator", "评估人员"


class Membership(models.Model):
    """Ties one user to one unit with one role; a user without one may do nothing."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="membership",
    )
    unit = models.ForeignKey(
        Unit, verbose_name="所属单位", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"


class ThrottleKind(models.TextChoices):
    ACCOUNT = "account", "账号"
    ADDRESS = "address", "地址"


class LoginThrottle(models.Model):
    """Failed logins of one account name or one client address (gongkai.agencies.throttle).

    Kept in the database, not in a process's memory, so that every worker of a deployment (and
    every server behind one PostgreSQL) counts the same failures.
    """

    kind = models.CharField("类别", max_length=10, choices=ThrottleKind.choices)
    key = models.CharField("账号或地址", max_length=150)
    failures = models.PositiveIntegerField("连续失败次数", default=0)
    first_failure_at = models.DateTimeField("首次失败时间")
    last_failure_at = models.DateTimeField("最近失败时间")
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)

    class Meta:
        verbose_name = "登录失败记录"
        verbose_name_plural = "登录失败记录"
        constraints = (
            models.UniqueConstraint(fields=("kind", "key"), name="login_throttle_unique_key"),
        )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key}：{self.failures} 次"
