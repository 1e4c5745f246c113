"""What the calendars app tells the apps above it, which it must not import (layering)."""

from __future__ import annotations

from typing import Final

from django.dispatch import Signal

# Sent with ``year`` (int) inside the transaction that saves a year's schedule, after every
# calendar of this thread reads it: receivers recompute what they cached from the old days
# (the applications app refreshes its open cases' due dates).
schedule_entered: Final = Signal()
