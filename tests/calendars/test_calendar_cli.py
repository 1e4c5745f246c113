"""``gongkai calendar …`` and the provisional ``gongkai deadline``, in-process and once for real."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gongkai.calendars.models import CalendarYearVersion
from gongkai.cli import main
from gongkai.core import calendar as core_calendar

D = __import__("datetime").date


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    def set_today(day: Any) -> None:
        monkeypatch.setattr(core_calendar, "today_in_china", lambda: day)
        core_calendar.invalidate_calendars()

    yield set_today
    monkeypatch.undo()
    core_calendar.invalidate_calendars()


# -- deadline -------------------------------------------------------------------------------------


def test_a_deadline_running_into_2027_is_provisional(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys, "deadline", "--received", "2026-12-10", "--on", "2026-12-10", "--json"
    )
    data = json.loads(out)
    assert status == 0
    assert (data["due"], data["provisional"], data["working_days_left"]) == ("2027-01-08", True, 20)
    status, text, _ = run(capsys, "deadline", "--received", "2026-12-10", "--on", "2026-12-10")
    assert "答复期限：2027-01-08（暂定）" in text
    assert "补正告知期限：2026-12-21（" in text  # counted within 2026: not provisional
    assert "暂定：2027 年的放假安排尚未录入" in text
    assert "还剩 20 个工作日（暂定）" in text


def test_a_deadline_inside_the_package_is_not_provisional(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = run(capsys, "deadline", "--received", "2026-11-02", "--on", "2026-11-02", "--json")
    assert json.loads(out)["provisional"] is False


@pytest.mark.parametrize(
    ("_case", "today_is", "received", "due", "left"),
    [
        ("today in 2027", D(2027, 3, 1), "2027-02-20", "2027-03-19", 14),
        ("today in 2028", D(2028, 12, 20), "2028-12-20", "2029-01-18", 20),
    ],
)
def test_without_on_today_in_a_later_year(
    capsys: pytest.CaptureFixture[str],
    today: Any,
    _case: str,
    today_is: Any,
    received: str,
    due: str,
    left: int,
) -> None:
    today(today_is)
    status, out, _ = run(capsys, "deadline", "--received", received, "--json")
    data = json.loads(out)
    assert status == 0
    assert (data["on"], data["due"], data["working_days_left"]) == (today_is.isoformat(), due, left)
    assert data["provisional"] is True


@pytest.mark.parametrize("today_is", [D(2003, 6, 1), D(2101, 1, 1)])
def test_without_on_a_wrong_system_date_does_not_fail(
    capsys: pytest.CaptureFixture[str], today: Any, today_is: Any
) -> None:
    today(today_is)
    status, out, _ = run(capsys, "deadline", "--received", "2024-09-27", "--json")
    data = json.loads(out)
    assert status == 0
    assert (data["due"], data["working_days_left"]) == ("2024-10-30", None)
    status, text, _ = run(capsys, "deadline", "--received", "2024-09-27")
    assert status == 0 and "不在工作日历的范围内，无法计算剩余工作日" in text


def test_an_explicit_on_outside_the_calendar_is_still_an_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, _, err = run(capsys, "deadline", "--received", "2024-09-27", "--on", "2003-01-01")
    assert status == 2 and "超出了工作日历的数据范围" in err


# -- calendar -------------------------------------------------------------------------------------


def test_set_show_and_list(capsys: pytest.CaptureFixture[str], calendar_store: None) -> None:
    status, out, err = run(
        capsys,
        "calendar",
        "set",
        "2027",
        "--off",
        "2027-01-01,2027-02-05至2027-02-12,2027-04-05,2027-05-01至2027-05-04,2027-06-09,"
        "2027-09-15,2027-10-01至2027-10-07",
        "--work",
        "2027-01-31,2027-02-20,2027-09-26,2027-10-09",
        "--source",
        "国办发明电〔2026〕7号",
    )
    assert status == 0, err
    assert "已录入 2027 年的放假安排（国办发明电〔2026〕7号）" in out
    version = CalendarYearVersion.objects.get()
    assert version.entered_by_name.startswith("命令行")
    _, out, _ = run(capsys, "calendar", "show", "2027", "--json")
    data = json.loads(out)
    assert data["source"] == "entered" and "2027-02-20" in data["workdays"]
    _, out, _ = run(capsys, "calendar", "list", "--json")
    sources = {row["year"]: row["source"] for row in json.loads(out)["years"]}
    assert (sources[2026], sources[2027], sources[2028]) == ("package", "entered", "provisional")
    _, out, _ = run(capsys, "deadline", "--received", "2027-02-09", "--on", "2027-02-09", "--json")
    assert (json.loads(out)["due"], json.loads(out)["provisional"]) == ("2027-03-11", False)


def test_show_a_provisional_year(capsys: pytest.CaptureFixture[str], calendar_store: None) -> None:
    status, out, _ = run(capsys, "calendar", "show", "2028")
    assert status == 0
    assert "2028 年放假安排（暂定）" in out and "调休上班（0 天）：无" in out


def test_import_a_file_and_warn(
    capsys: pytest.CaptureFixture[str], calendar_store: None, tmp_path: Path
) -> None:
    notice = tmp_path / "2027.csv"
    notice.write_text("2027-01-01,休\n2027-02-20,班\n", encoding="utf-8")
    status, out, err = run(capsys, "calendar", "import", "2027", str(notice), "--source", "通知")
    assert status == 0
    assert "放假 1 天，调休上班 1 天" in out
    assert "请核对：以下法定节假日没有列为放假" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["calendar", "set", "27", "--off", "2027-01-01", "--source", "x"], "年度「27」无效"),
        (["calendar", "set", "2027", "--off", "2027-13-01", "--source", "x"], "不存在的日期"),
        (["calendar", "set", "2027", "--off", "2028-01-01", "--source", "x"], "不在 2027 年内"),
        (
            [
                "calendar",
                "set",
                "2027",
                "--off",
                "2027-01-01",
                "--work",
                "2027-01-01",
                "--source",
                "x",
            ],
            "既列为放假又列为上班",
        ),
        (
            [
                "calendar",
                "set",
                "2027",
                "--off",
                "2027-01-01",
                "--work",
                "2027-02-08",
                "--source",
                "x",
            ],
            "本来就是工作日",
        ),
        (
            ["calendar", "set", "2027", "--off", "2027-01-01", "--source", " "],
            "请填写放假安排的依据",
        ),
        (["calendar", "set", "2027", "--off", "2027-01-01"], "缺少必需的参数 --source"),
        (["calendar", "import", "2027", "/nonexistent.csv", "--source", "x"], "找不到文件"),
        (["calendar", "set", "2027", "--off", " ", "--source", "x"], "请用 --off 填写放假日期"),
        (["calendar", "show", "2150"], "无法为 2150 年推算暂定日历"),
    ],
)
def test_bad_input_is_a_chinese_error(
    capsys: pytest.CaptureFixture[str], calendar_store: None, args: list[str], message: str
) -> None:
    status, _, err = run(capsys, *args)
    assert status == 2
    assert message in err and "Traceback" not in err
    assert CalendarYearVersion.objects.count() == 0


def test_the_real_command_enters_a_year_and_the_deadline_follows(tmp_path: Path) -> None:
    import gongkai

    src = str(Path(gongkai.__file__).resolve().parent.parent)
    env = {**os.environ, "GONGKAI_SQLITE_PATH": str(tmp_path / "db.sqlite3"), "PYTHONPATH": src}
    env.pop("DATABASE_URL", None)

    def gongkai(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "gongkai.cli", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=120,
            check=False,
        )

    deadline = ("deadline", "--received", "2027-02-09", "--on", "2027-02-09", "--json")
    before = gongkai(*deadline)
    assert before.returncode == 0, before.stderr
    assert json.loads(before.stdout)["due"] == "2027-03-10"
    entered = gongkai(
        "calendar",
        "set",
        "2027",
        "--off",
        "2027-02-05至2027-02-12",
        "--work",
        "2027-02-20",
        "--source",
        "国办发明电〔2026〕7号",
    )
    assert entered.returncode == 0, entered.stderr
    after = gongkai(*deadline)
    assert after.returncode == 0, after.stderr
    assert (json.loads(after.stdout)["due"], json.loads(after.stdout)["provisional"]) == (
        "2027-03-11",
        False,
    )
    bad = gongkai("calendar", "set", "2027", "--off", "2027-02-30", "--source", "x")
    assert bad.returncode == 2 and "不存在的日期" in bad.stderr and "Traceback" not in bad.stderr


def test_an_unusable_database_is_a_chinese_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import OperationalError

    from gongkai.web import runner

    def refuse() -> str:
        raise OperationalError("connection refused")

    monkeypatch.setattr(runner, "migrate", refuse)
    status, _, err = run(capsys, "calendar", "list")
    assert status == 2
    assert "无法使用数据库（connection refused）" in err and "Traceback" not in err
