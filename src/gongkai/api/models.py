"""API tokens of a unit, and the idempotency keys of the creations made with them.

A token's secret is shown once, when it is issued; only its SHA-256 is stored, so a copy of the
database lets nobody call the API. Each token has its own account (which cannot log in, and has
no membership) so that the events it writes name it as their 经办人, as a clerk's name theirs;
the permissions come from the token's scopes alone
(:data:`~gongkai.agencies.gatekeeper.TOKEN_SCOPES`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from gongkai.agencies.models import Unit


class ApiToken(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField("名称（调用系统）", max_length=100)
    scopes = models.JSONField("权限范围", default=list)
    # The first characters of the token, in clear: how a list tells tokens apart.
    prefix = models.CharField("令牌前缀", max_length=16)
    secret_sha256 = models.CharField("令牌 SHA-256", max_length=64, unique=True)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="令牌账号",
        on_delete=models.PROTECT,
        related_name="api_token",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签发人",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField("签发时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用时间", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="吊销人",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # The rate limit's fixed window: its start (a whole minute) and the requests counted in it.
    window_start = models.DateTimeField("计数窗口开始", null=True, blank=True)
    window_count = models.PositiveIntegerField("窗口内请求数", default=0)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ("unit", "-created_at")

    def __str__(self) -> str:
        return f"{self.unit.name}：{self.name}（{self.prefix}…）"


class IdempotencyKey(models.Model):
    """The first result of a creation made with an ``Idempotency-Key``: a retry returns it,
    for :data:`gongkai.api.services.IDEMPOTENCY_KEY_LIFETIME` after it was first used."""

    token = models.ForeignKey(
        ApiToken, verbose_name="接口令牌", on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField("幂等键", max_length=200)
    # SHA-256 of the request body as validated: the same key with another body is a conflict.
    fingerprint = models.CharField("请求摘要", max_length=64)
    application = models.ForeignKey(
        "applications.Application",
        verbose_name="创建的申请",
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
    )
    # Indexed: every creation with a key deletes the keys past their lifetime by this column.
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "幂等键"
        verbose_name_plural = "幂等键"
        constraints = (
            models.UniqueConstraint(fields=("token", "key"), name="api_idempotency_key_unique"),
        )
