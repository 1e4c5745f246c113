"""Password rules in Chinese where Django's translation is missing.

Django's ``MinimumLengthValidator`` speaks English in zh-hans (its plural message has no
Chinese translation), so the length rule is this validator; the others are Django's own.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


class MinimumLengthValidator:
    def __init__(self, min_length: int = 10) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                f"密码太短，至少需要 {self.min_length} 个字符（目前 {len(password)} 个）",
                code="password_too_short",
            )

    def get_help_text(self) -> str:
        return f"密码至少需要 {self.min_length} 个字符，不能全是数字，不能与用户名相近或过于常见。"
