"""Rendered public pages, kept in Django's shared cache under a key made of everything the page
shows, so that a page is rendered once for all server processes and never goes stale.

Why a key of the inputs rather than invalidation: published reports are immutable snapshots
(named by their SHA-256), and the few other inputs (a unit's record, the list of published
versions) are read on every request anyway by cheap queries that never load a report's
content. A page whose inputs change gets a new key; the old entry simply ages out. The key
also names the code that renders (:func:`build_stamp`): the cache outlives a deployment (it is
a database table), and a new release's templates must not be served from an old rendering.

Two levels: a small in-process LRU in front (a visit costs no cache query once a process has
seen the page) and Django's ``default`` cache behind it (shared by every process; see
``CACHES`` in the settings).
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import cache as memoise
from pathlib import Path
from threading import Lock
from typing import Final

from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import Model

import gongkai

logger = logging.getLogger(__name__)
# Entries live a week in the shared cache (space, not freshness: the key says what is shown).
SHARED_SECONDS: Final = 7 * 24 * 3600
# Pages kept per process: a district has a few dozen units, each with a few years.
LOCAL_PAGES: Final = 256
PREFIX: Final = "portal-page:"
# The code that turns the inputs into markup: the portal's templates and modules and the core
# HTML renderers (tables, charts, the report's sections).
_RENDERING: Final = (
    Path(__file__).resolve().parent,
    Path(gongkai.__file__).resolve().parent / "core" / "render",
)


@memoise
def build_stamp() -> str:
    """A hash of the installed gongkai's rendering code and templates, read once per process."""
    digest = hashlib.sha256(str(getattr(gongkai, "__version__", "")).encode())
    for root in _RENDERING:
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".html", ".css") and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def fields_of(row: Model) -> tuple[object, ...]:
    """Every stored value of ``row``: a page showing it changes when any of them does."""
    return tuple(getattr(row, f.attname) for f in row._meta.concrete_fields)


def page_key(kind: str, parts: Iterable[object]) -> str:
    """The cache key of a page: its kind, the rendering code and a hash of its inputs."""
    digest = hashlib.sha256(repr((build_stamp(), kind, tuple(parts))).encode("utf-8"))
    return f"{PREFIX}{kind}:{digest.hexdigest()[:40]}"


class _Local:
    """The in-process front: the most recently used pages, by key."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.pages: OrderedDict[str, bytes] = OrderedDict()
        self.lock = Lock()

    def get(self, key: str) -> bytes | None:
        with self.lock:
            found = self.pages.get(key)
            if found is not None:
                self.pages.move_to_end(key)
            return found

    def put(self, key: str, body: bytes) -> None:
        with self.lock:
            self.pages[key] = body
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()


_local: Final = _Local(LOCAL_PAGES)


def cached_page(key: str, render: Callable[[], bytes]) -> bytes:
    """The page under ``key``: from this process, else from the shared cache, else rendered
    (and kept in both)."""
    body = _local.get(key)
    if body is not None:
        return body
    try:
        shared = cache.get(key)
    except DatabaseError:  # the cache's table is missing (no ``migrate`` yet): render anyway
        logger.warning("portal page cache unavailable", exc_info=True)
        shared = None
    if isinstance(shared, bytes):
        _local.put(key, shared)
        return shared
    body = render()
    cache.set(key, body, timeout=SHARED_SECONDS)  # a failed write is ignored by the backend
    _local.put(key, body)
    return body


def forget_local() -> None:
    """Empty this process's front (the tests, between two of them)."""
    _local.clear()
