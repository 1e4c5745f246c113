"""The web tests' units, members and ``register()`` serve the report tests too."""

from tests.web.conftest import World, clerk, head, register, today_is, world

__all__ = ["World", "clerk", "head", "register", "today_is", "world"]
