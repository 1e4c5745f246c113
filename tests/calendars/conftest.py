"""The web tests' small district, for the calendar pages."""

from tests.web.conftest import world  # noqa: F401 - a fixture, used by name
