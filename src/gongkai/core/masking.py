"""Masking of personal data (ID and phone numbers) wherever it leaves the office's own pages:
the public portal, the API, exports. Pure functions, so every layer shows the same mask."""

from __future__ import annotations

import re
from collections.abc import Callable


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


# A mainland resident ID number (17 digits and a check character) standing alone: no
# letterhead, date or tracking number has 18 digits in a row, so masking every one in a text
# printed for the post hides an applicant's (or a third party's) number quoted in free text.
_RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")


def _replacer(mask: Callable[[str], str]) -> Callable[[re.Match[str]], str]:
    return lambda match: mask(match.group(0))


def mask_in_text(text: str, *, id_number: str = "", phone: str = "") -> str:
    """``text`` with the applicant's own ID and phone numbers, and any resident ID number,
    masked as :func:`mask_id_number` and :func:`mask_phone` mask them.

    For what is printed or exported from a case: the applicant's description, a clerk's reasons
    and the archived letter text can quote the numbers, which the fields alone do not catch. A
    phone number is masked only where it is the applicant's: a unit's own telephone number, also
    printed on the letter, must stay whole.
    """
    if not text:
        return text
    masks: tuple[tuple[str, Callable[[str], str]], ...] = (
        (id_number, mask_id_number),
        (phone, mask_phone),
    )
    for number, mask in masks:
        number = number.strip()
        if len(number) >= 5:
            pattern = re.compile(
                rf"(?<![0-9A-Za-z]){re.escape(number)}(?![0-9A-Za-z])", re.IGNORECASE
            )
            text = pattern.sub(_replacer(mask), text)
    return _RESIDENT_ID.sub(lambda match: mask_id_number(match.group(0)), text)
