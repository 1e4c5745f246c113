"""Which tests touch the database, so ``scripts/test`` can rerun exactly those on PostgreSQL.

The suite runs once on SQLite (everything) and once more on a throwaway PostgreSQL cluster
(only the tests that use the database: running the pure-core tests twice would prove nothing
and double the time). Nobody has to remember to tag a database test: any test that uses
pytest-django's database fixtures or ``django_db`` marker, or is a Django ``TransactionTestCase``
(``TestCase`` included), gets the ``postgres`` marker here, and ``scripts/test`` selects
``-m postgres``. A test may also carry ``@pytest.mark.postgres`` by hand.

The hook is imported by ``tests/conftest.py``, and pytest calls a conftest's
``pytest_collection_modifyitems`` with every collected item, the apps' tests under ``src``
included.
"""

from __future__ import annotations

import pytest

# pytest-django fixtures that give a test database access; a test's fixture closure contains
# one of them whenever it, or any fixture it uses (``admin_client``, ``live_server``…), needs it.
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "django_db_setup",
        "live_server",
        "_django_db_helper",
    }
)


def uses_database(item: pytest.Item) -> bool:
    if item.get_closest_marker("postgres") or item.get_closest_marker("django_db"):
        return True
    if DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())):
        return True
    cls = getattr(item, "cls", None)
    if cls is not None:
        from django.test import TransactionTestCase

        return isinstance(cls, type) and issubclass(cls, TransactionTestCase)
    return False


# tryfirst: pytest's own ``-m`` selection is a modifyitems hook too, and must see the marker.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if uses_database(item) and not item.get_closest_marker("postgres"):
            item.add_marker(pytest.mark.postgres)
