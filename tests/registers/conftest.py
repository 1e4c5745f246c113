"""The web tests' small district (own, child and unrelated units) for the registers' tests."""

from __future__ import annotations

from tests.web.conftest import World, clerk, head, today_is, world

__all__ = ["World", "clerk", "head", "today_is", "world"]
