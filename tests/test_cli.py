"""The ``gongkai`` command: output, JSON, exit status, and Chinese errors instead of tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.cli import main
from gongkai.core.model import AnnualReport

SEED = Path(__file__).resolve().parent / "fixtures" / "reports" / "seed_quangang_2021.json"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# -- deadline ---------------------------------------------------------------------------------


def test_deadline_counts_working_days_across_national_day(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(
        capsys, "deadline", "--received", "2024-09-27", "--on", "2024-10-08", "--json"
    )
    data = json.loads(out)
    assert status == 0
    # 9-29 (a make-up Sunday) and 10-12 (a make-up Saturday) count; 10-1..10-7 do not.
    assert data["correction_notice_due"] == "2024-10-12"
    assert data["due"] == "2024-10-30"
    assert data["working_days_left"] == 17
    assert data["overdue"] is False


def test_deadline_with_supplement_pause_and_extension(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys,
        "deadline",
        "--received", "2024-09-02",
        "--supplement-received", "2024-09-09",
        "--pause", "2024-09-10:2024-09-13",
        "--extend", "5",
        "--on", "2024-12-02",
        "--json",
    )  # fmt: skip
    data = json.loads(out)
    assert status == 0
    assert data["clock_start"] == "2024-09-09"
    # 20 WD from 9-09; 9-11..9-13 paused (the day the letter goes out still counts); Mid-Autumn
    # 9-15..9-17 and National Day 10-1..10-7 off; 9-14, 9-29 and 10-12 are make-up working days.
    assert data["reply_due"] == "2024-10-16"
    assert data["due"] == "2024-10-23"
    assert data["overdue"] is True
    assert data["working_days_left"] < 0


def test_deadline_online_channel_counts_from_confirmation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = run(
        capsys, "deadline", "--received", "2024-06-03", "--channel", "网络平台",
        "--confirmed", "2024-06-05", "--on", "2024-06-05", "--json",
    )  # fmt: skip
    data = json.loads(out)
    assert data["receipt_date"] == "2024-06-05"
    assert data["due"] == "2024-07-04"  # Dragon Boat Festival, 2024-06-10, is not counted


def test_deadline_text_output_names_the_article(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "deadline", "--received", "2024-09-27", "--on", "2024-10-08")
    assert status == 0
    assert "答复期限：2024-10-30（《条例》第三十三条第二款" in out
    assert "还剩 17 个工作日" in out


def test_deadline_a_late_correction_does_not_restart_the_period(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(
        capsys, "deadline", "--received", "2024-03-01", "--correction-sent", "2024-04-15",
        "--supplement-received", "2024-04-20", "--on", "2024-04-25", "--json",
    )  # fmt: skip
    data = json.loads(out)
    assert status == 0
    assert data["correction_after_due"] is True
    assert data["clock_start"] == "2024-03-01"
    assert data["due"] == "2024-03-29"
    assert data["overdue"] is True


def test_deadline_a_timely_correction_restarts_the_period(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = run(
        capsys, "deadline", "--received", "2024-03-01", "--correction-sent", "2024-03-08",
        "--supplement-received", "2024-03-20", "--on", "2024-03-20", "--json",
    )  # fmt: skip
    data = json.loads(out)
    assert data["correction_after_due"] is False
    assert data["clock_start"] == "2024-03-20"


def test_deadline_before_the_2019_revision_uses_the_2008_periods(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(
        capsys, "deadline", "--received", "2019-03-01", "--on", "2019-03-04", "--json"
    )
    data = json.loads(out)
    assert status == 0
    assert data["due"] == "2019-03-22"
    assert data["correction_notice_due"] is None
    assert "492号" in data["regulation"]
    status, _, err = run(capsys, "deadline", "--received", "2019-03-01", "--extend", "16")
    assert status == 2
    assert "最长不得超过 15 个工作日" in err


def test_deadline_before_any_regulation_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "deadline", "--received", "2008-04-30")
    assert status == 2
    assert "没有法定的答复期限" in err


def test_deadline_email_counts_from_the_confirmation(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(
        capsys, "deadline", "--received", "2024-09-26", "--channel", "email",
        "--confirmed", "2024-09-27", "--on", "2024-10-08", "--json",
    )  # fmt: skip
    assert json.loads(out)["receipt_date"] == "2024-09-27"


def test_deadline_flags_an_ordinary_letter_confirmed_late(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["deadline", "--received", "2024-09-26", "--channel", "ordinary_mail"]
    _, out, _ = run(capsys, *args, "--confirmed", "2024-09-27", "--on", "2024-10-08")
    assert "要求当日确认" in out
    _, out, _ = run(capsys, *args, "--confirmed", "2024-09-26", "--on", "2024-10-08", "--json")
    assert json.loads(out)["receipt_confirmed_late"] is False


def test_deadline_pause_help_says_which_days_are_excluded(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import typer

    from gongkai.cli import app

    group = typer.main.get_command(app)
    command = group.commands["deadline"]  # type: ignore[attr-defined]
    help_text = next(p.help for p in command.params if p.name == "pause")
    assert "起始日（发出征求意见函之日）照常计算" in help_text
    assert "结束日（收到答复之日）不计算" in help_text


# -- fee --------------------------------------------------------------------------------------


def test_fee_already_is_refused_for_pages(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "fee", "--pages", "50", "--already", "3")
    assert status == 2
    assert "--already 只用于按件计收" in err


@pytest.mark.parametrize(
    ("args", "yuan"),
    [(["--requests", "45"], "5500"), (["--pages", "1500"], "54700"), (["--requests", "10"], "0")],
)
def test_fee_worked_examples(
    capsys: pytest.CaptureFixture[str], args: list[str], yuan: str
) -> None:
    status, out, _ = run(capsys, "fee", *args, "--json")
    assert status == 0
    assert json.loads(out)["yuan"] == yuan


def test_fee_text_output_lists_the_bands(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "fee", "--requests", "45")
    assert "5,500 元" in out
    assert "第31至40件，每件200元" in out


# -- check ------------------------------------------------------------------------------------


def test_check_passes_the_seed_tables(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "check", str(SEED), "--json")
    data = json.loads(out)
    assert status == 0
    assert data["errors"] == 0
    assert data["unit"] == "泉港区"


def test_check_exits_1_and_names_the_numbers_when_the_balance_breaks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    seed = AnnualReport.from_json(SEED.read_text(encoding="utf-8"))
    broken = seed.with_cell("t3", "carried_out", "natural_person", 5)
    path = tmp_path / "broken.json"
    path.write_text(broken.to_json(), encoding="utf-8")
    status, out, _ = run(capsys, "check", str(path))
    assert status == 1
    assert "第一项 67 + 第二项 0 = 67" in out


def test_check_with_previous_year(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    last = AnnualReport.model_validate(
        {
            "meta": {"unit": "泉港区", "year": 2020, "format_version": "2019"},
            "tables": {"t3": {"carried_out": {"natural_person": 2, "total": 2}}},
        }
    )
    (tmp_path / "2020.json").write_text(last.to_json(), encoding="utf-8")
    status, out, _ = run(
        capsys, "check", str(SEED), "--previous", str(tmp_path / "2020.json"), "--json"
    )
    findings = json.loads(out)["findings"]
    carry = [f for f in findings if f["rule"] == "cross_year.carry_in"]
    assert any("本年「上年结转」为 0，但 2020 年度报告" in f["message"] for f in carry)
    assert status == 0  # a carry-over mismatch is a warning (LEGAL.md §6 item 6), not an error


# -- bad input: Chinese message on stderr, exit 2, never a traceback ----------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["deadline", "--received", "2024-02-30"], "不是有效日期"),
        (["deadline", "--received", "2031-01-05"], "超出了工作日历的数据范围"),
        (["deadline", "--received", "2024-09-27", "--extend", "-1"], "不能为负数"),
        (["deadline", "--received", "2024-09-27", "--extend", "21"], "最长不得超过 20 个工作日"),
        (["deadline", "--received", "2024-09-27", "--pause", "2024-10-08"], "起始日:结束日"),
        (["deadline", "--received", "2024-09-27", "--channel", "信鸽"], "未知的申请渠道"),
        (["deadline"], "缺少必需的参数 --received"),
        (["fee", "--requests", "-3"], "不能为负数"),
        (["fee", "--requests", "3", "--pages", "3"], "只选择一种"),
        (["fee", "--pages", "三"], "不是整数"),
        (["check", "/nonexistent/report.json"], "文件不存在"),
        (["check"], "缺少必需的参数 REPORT.json"),
        (["nonsense"], "没有这个命令"),
        (["fee", "--bogus"], "没有这个选项"),
    ],
)
def test_bad_input_is_a_chinese_error_with_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    status, _, err = run(capsys, *args)
    assert status == 2
    assert message in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "不是有效的 JSON 文件"),
        ('{"meta": {"unit": "x", "year": 2021}}', "缺少此项"),
        ("\xff\xfe garbage", "不是有效的 JSON"),
    ],
)
def test_malformed_report_files_are_chinese_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content.encode("latin-1", errors="replace"))
    status, _, err = run(capsys, "check", str(path))
    assert status == 2
    assert message in err


def test_installed_command_exits_2_without_traceback() -> None:
    """The real entry point, in a subprocess, as a shell script would call it."""
    proc = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "deadline", "--received", "tomorrow"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "不是有效日期" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_audit_keeps_pdfminer_log_lines_out_of_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A damaged PDF makes pdfminer log English lines (「Data-loss while decompressing
    corrupted data」); the audit says in Chinese what it could not read, so they are dropped."""
    import logging

    from gongkai.core import audit

    parse = audit.parse_document

    def parse_and_complain(*args: object, **kwargs: object) -> object:
        logging.getLogger("pdfminer.pdftypes").warning("Data-loss while decompressing")
        return parse(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(audit, "parse_document", parse_and_complain)
    report = tmp_path / "报告.txt"
    report.write_text("某单位2023年政府信息公开工作年度报告", encoding="utf-8")
    main(["audit", "--jobs", "1", str(report)])
    assert not [r for r in caplog.records if r.name.startswith("pdfminer")]
    assert logging.getLogger("pdfminer").level == logging.NOTSET  # restored after the run
