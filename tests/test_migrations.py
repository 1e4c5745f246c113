"""Every model change has its migration checked in (issue 5: ``makemigrations --check`` in CI)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration() -> None:
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:  # --check exits 1 when a migration is missing
        pytest.fail(f"有模型改动没有对应的迁移文件（退出码 {exit_.code}）：\n{out.getvalue()}")
