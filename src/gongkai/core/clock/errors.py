"""The clock's one error type, and how its messages write a day.

Events, arithmetic and replay all refuse impossible input with :class:`ClockError`, whose Chinese
message names the event and the dates involved. It lives apart so that each of them can raise it
without importing the others.
"""

from __future__ import annotations

import datetime as dt

from gongkai.core.errors import GongkaiError

__all__ = ["ClockError", "iso", "times"]


class ClockError(GongkaiError):
    """An impossible case history; the message names the event and the dates involved."""


def iso(day: dt.date) -> str:
    """A day as the messages write it (YYYY-MM-DD), the form the officer types it in."""
    return day.isoformat()


_NUMERALS = "一两三四五六七八九十"


def times(n: int) -> str:
    """A count of occurrences as the messages say it: 一次, 两次 … 十次, then 11 次."""
    return f"{_NUMERALS[n - 1]}次" if 1 <= n <= len(_NUMERALS) else f"{n} 次"
