"""The web tests' small district, with the people of the evaluator's workspace, and real
published reports from ../shared/reports to upload."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from gongkai.agencies.models import Role
from tests.web.conftest import World, today_is, world

__all__ = ["World", "today_is", "world"]


@dataclass
class FakeUpload:
    """What the services read of Django's UploadedFile."""

    name: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        step = chunk_size or 64 * 1024
        for start in range(0, len(self.data), step):
            yield self.data[start : start + step]


def zipped(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def audit_all() -> int:
    """What the worker does after an upload or a re-run: audit until nothing is pending."""
    from gongkai.evaluations import services

    total = 0
    while done := services.audit_pending():
        total += done
    return total


def create_audited(**kwargs: Any) -> Any:
    """``services.batch_create`` and then the worker: the batch with every report audited."""
    from gongkai.evaluations import services

    created = services.batch_create(**kwargs)
    audit_all()
    return created


@pytest.fixture
def reports_dir(shared_dir: Path) -> Path:
    return shared_dir / "reports"


@pytest.fixture
def report_bytes(reports_dir: Path) -> dict[str, bytes]:
    """Two years of one unit (022 → 023, renamed in between) and a report with prose errors."""
    return {n: (reports_dir / n).read_bytes() for n in ("022.pdf", "023.pdf", "017.html")}


@pytest.fixture
def supervisor(world: World) -> Any:
    return world.member(Role.SUPERVISOR)


@pytest.fixture
def evaluator(world: World) -> Any:
    return world.member(Role.EVALUATOR)


@pytest.fixture
def clerk(world: World) -> Any:
    return world.member(Role.CLERK)
