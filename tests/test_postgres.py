"""The suite really runs on both back ends, and settings read ``DATABASE_URL`` correctly.

``scripts/test`` reruns the database tests on a throwaway PostgreSQL 15 cluster with
``DATABASE_URL`` set. These tests prove that mechanism: on that run they talk to PostgreSQL and
fail if Django silently fell back to SQLite; on the plain run they check SQLite the same way.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from gongkai.site.settings import database_from_url

ON_POSTGRES = bool(os.environ.get("DATABASE_URL"))
# scripts/test says which server major version it started, so the check is exact there and
# still passes against a developer's own server of another version.
EXPECTED_MAJOR = os.environ.get("GONGKAI_TEST_PG_MAJOR")

needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="DATABASE_URL 未设置，本轮在 SQLite 上运行；scripts/test 会在临时 PostgreSQL 上再运行",
)


@needs_postgres
@pytest.mark.django_db
def test_the_database_is_the_postgresql_server_scripts_test_started() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        row = cursor.fetchone()
    assert row is not None
    version = str(row[0])
    assert version.startswith("PostgreSQL "), version
    if EXPECTED_MAJOR:
        assert version.startswith(f"PostgreSQL {EXPECTED_MAJOR}"), version
    assert connection.vendor == "postgresql"


@needs_postgres
@pytest.mark.django_db
def test_postgresql_stores_chinese_text_as_utf8() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_encoding")
        encoding = cursor.fetchone()
    assert encoding is not None
    assert encoding[0] == "UTF8"


@pytest.mark.django_db
def test_the_back_end_is_the_one_database_url_names() -> None:
    assert connection.vendor == ("postgresql" if ON_POSTGRES else "sqlite")


@pytest.mark.django_db
def test_a_chinese_row_round_trips_through_the_database() -> None:
    text = "泉港区人民政府办公室 2021 年度政府信息公开工作年度报告（“三安全一稳定”）"
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE gongkai_probe (id integer, label text)")
        cursor.execute("INSERT INTO gongkai_probe VALUES (%s, %s)", [1, text])
        cursor.execute("SELECT label, length(label) FROM gongkai_probe WHERE id = %s", [1])
        row = cursor.fetchone()
        cursor.execute("DROP TABLE gongkai_probe")
    assert row == (text, len(text))


# --- settings.database_from_url -------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgresql://gongkai:s3cret@db.example.org:5433/gongkai",
            {"NAME": "gongkai", "USER": "gongkai", "PASSWORD": "s3cret"}
            | {"HOST": "db.example.org", "PORT": "5433"},
        ),
        (
            "postgres://postgres@127.0.0.1/test",
            {"NAME": "test", "USER": "postgres", "PASSWORD": "", "HOST": "127.0.0.1", "PORT": ""},
        ),
        (
            # Percent-encoded characters in the password and the database name are decoded.
            "postgresql://clerk:p%40ss%2Fword@localhost:5432/%E5%85%AC%E5%BC%80",
            {"NAME": "公开", "USER": "clerk", "PASSWORD": "p@ss/word"}
            | {"HOST": "localhost", "PORT": "5432"},
        ),
    ],
)
def test_database_from_url(url: str, expected: dict[str, str]) -> None:
    entry = database_from_url(url)
    assert entry["ENGINE"] == "django.db.backends.postgresql"
    assert {key: entry[key] for key in expected} == expected


@pytest.mark.parametrize(
    "url", ["mysql://root@localhost/gongkai", "sqlite:///gongkai.sqlite3", "db.example.org/x"]
)
def test_database_from_url_refuses_other_databases_in_chinese(url: str) -> None:
    with pytest.raises(ValueError, match="DATABASE_URL 只支持 postgresql"):
        database_from_url(url)


# --- The selection of the tests rerun on PostgreSQL -----------------------------------------


def test_the_postgresql_run_selects_exactly_the_database_tests() -> None:
    """``-m postgres`` must pick up database tests nobody tagged by hand, and nothing else."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", "postgres", __file__],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    selected = {line.split("::")[1] for line in done.stdout.splitlines() if "::" in line}
    assert selected == {
        "test_the_database_is_the_postgresql_server_scripts_test_started",
        "test_postgresql_stores_chinese_text_as_utf8",
        "test_the_back_end_is_the_one_database_url_names",
        "test_a_chinese_row_round_trips_through_the_database",
    }
