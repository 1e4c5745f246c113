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
from django.utils import timezone

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
    # The password hash an administrator set as a one-time password: while the user's password
    # is still this one, every page sends them to change it (gongkai.agencies.middleware); their
    # own change makes the hashes differ, so nothing has to clear the mark.
    one_time_password = models.CharField(
        "管理员设置的一次性密码（散列）", max_length=128, blank=True, default="", editable=False
    )

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


class AppendOnlyError(Exception):
    """A log row was about to be changed or deleted; logs are evidence and only grow."""


class AppendOnly(models.Model):
    """A row written once and never changed nor deleted (an access log, an administration
    event): the model refuses both, so that no code path of gongkai can rewrite evidence."""

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and type(self)._default_manager.filter(pk=self.pk).exists():
            raise AppendOnlyError(f"{self._meta.verbose_name}只能新增，不能修改")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self._meta.verbose_name}只能新增，不能删除")


class AccessKind(models.TextChoices):
    REVEAL = "reveal", "查看"
    DOWNLOAD = "download", "下载附件"
    EXPORT = "export", "导出"


class PersonalDataAccess(AppendOnly):
    """One look at an applicant's personal data: who, when, from where, what, and why.

    Kept in ``agencies`` (the lowest layer) so that every app which shows personal data —
    the case page, the attachments, the exports — writes here without importing one another;
    the case is named by its id and tracking number, not by a foreign key into
    ``applications``, which sits above this app. The row belongs to the case's unit, whose
    负责人 reads the log (:data:`~gongkai.agencies.gatekeeper.Action.VIEW_ACCESS_LOG`).
    """

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="人员", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="案件所属单位", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("方式", max_length=20, choices=AccessKind.choices)
    application_id = models.PositiveIntegerField("申请内部编号", null=True, blank=True)
    tracking_number = models.CharField("受理编号", max_length=64, blank=True)
    # What was seen, never its value: "身份证明号码、联系电话", an attachment's name, an export.
    what = models.CharField("查看内容", max_length=300)
    reason = models.CharField("事由", max_length=300, blank=True)
    address = models.CharField("访问地址", max_length=150, blank=True)

    class Meta:
        verbose_name = "个人信息访问记录"
        verbose_name_plural = "个人信息访问记录"
        ordering = ("-at", "-id")
        indexes = (models.Index(fields=["unit", "at"], name="personal_access_unit_at"),)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_kind_display()} {self.what}"


class AdminEventKind(models.TextChoices):
    UNIT_CREATED = "unit_created", "新建单位"
    UNIT_CHANGED = "unit_changed", "修改单位"
    UNIT_MOVED = "unit_moved", "调整上级单位"
    MEMBER_CREATED = "member_created", "新建账号"
    ROLE_CHANGED = "role_changed", "变更角色或单位"
    MEMBER_DEACTIVATED = "member_deactivated", "停用账号"
    MEMBER_REACTIVATED = "member_reactivated", "恢复账号"
    PASSWORD_RESET = "password_reset", "重置密码"
    CASE_ARCHIVED = "case_archived", "案件归档"


class AdminEvent(AppendOnly):
    """One change an administrator made: who, when, in which unit, what (a typed payload of
    :mod:`gongkai.agencies.admin_events`, stored as JSON). Written only by the services."""

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="所涉单位", on_delete=models.PROTECT, related_name="admin_events"
    )
    kind = models.CharField("事项", max_length=30, choices=AdminEventKind.choices)
    data = models.JSONField("内容", default=dict)

    class Meta:
        verbose_name = "系统管理记录"
        verbose_name_plural = "系统管理记录"
        ordering = ("-at", "-id")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.get_kind_display()}"
