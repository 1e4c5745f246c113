"""The one exception family the core raises for bad input.

Every user-facing failure in the core (an impossible case history, a date beyond the
calendar's data, a malformed report) is a :class:`GongkaiError` whose message is complete,
specific Chinese meant for the person at the keyboard. The CLI prints it and exits 2; the web
application shows it next to the form. Anything else escaping the core is a bug.
"""

from __future__ import annotations


class GongkaiError(ValueError):
    """Bad input, explained in Chinese. ``str(error)`` is the message to show."""
