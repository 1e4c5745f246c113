"""Masking of personal data (ID and phone numbers) wherever it leaves the office's own pages:
the public portal, the API, exports. Pure functions, so every layer shows the same mask."""

from __future__ import annotations


def mask_id_number(value: str) -> str:
    """ "350505199001011234" → "3505**********1234": enough to tell two applicants apart."""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """ "13812345678" → "138****5678"; the last four digits stay, as on a receipt."""
    digits = len(value)
    if digits <= 4:
        return "*" * digits
    keep = 3 if digits >= 11 else 0
    return value[:keep] + "*" * (digits - keep - 4) + value[-4:]
