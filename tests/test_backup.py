"""``gongkai backup`` and ``restore``: a round trip that loses nothing; bad archives refused.

The world is the demo district (pinned to 2025-12-19) plus what the demo lacks: attachments with
their files and a published annual report. Every row of every model and every stored file is
compared after the round trip. On the PostgreSQL pass (scripts/test) the in-process tests run
against PostgreSQL, so the fresh-machine test restores a PostgreSQL archive into SQLite and the
portable test loads the SQLite archive it gets back into PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core import serializers
from django.db import connection
from django.test import Client
from django.urls import reverse

from gongkai import backup, cli, demo
from gongkai.agencies.services import unit_create
from gongkai.applications import services as application_services
from gongkai.applications.attachments import Upload, attachments_add
from gongkai.applications.models import Application, Attachment
from gongkai.reports.models import PublishedReport, content_sha256
from gongkai.reports.services import report_publish
from tests.web import samples

TODAY = dt.date(2025, 12, 19)
ROOT = Path(__file__).resolve().parent.parent
PDF = samples.PDF
PNG = samples.PNG


# --- the world and the comparison -------------------------------------------------------------


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "site" / "gongkai-media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def world(db: None, media: Path, monkeypatch: pytest.MonkeyPatch, settings: Any) -> Any:
    monkeypatch.setattr(application_services, "_today", lambda: TODAY)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    summary = demo.populate(today=TODAY)
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    clerk, head = users.get(username="jingban"), users.get(username="fuzeren")
    case = Application.objects.filter(unit__memberships__user=clerk).order_by("pk").first()
    assert case is not None
    attachments_add(
        acting_user=clerk,
        application_id=case.pk,
        expected_version=case.version,
        uploads=[
            Upload(name="身份证正反面.pdf", data=PDF, kind="identity"),
            Upload(name="申请书.png", data=PNG, kind="request"),
        ],
    )
    report_publish(acting_user=head, unit_id=case.unit_id, year=2024)
    return summary


def every_row() -> dict[str, list[Any]]:
    """All rows of all models (sessions aside) as plain data, comparable across databases."""
    rows = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in backup.EXCLUDED_MODELS or not model._meta.managed or model._meta.proxy:
            continue
        data = serializers.serialize("python", model._default_manager.order_by("pk"))
        rows[label] = json.loads(json.dumps(data, cls=backup._precise_encoder(), sort_keys=True))
    return rows


def every_file(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def wipe(media: Path) -> None:
    """Empty the database and the file folder, as on a fresh machine."""
    backup._flush(connection)
    for path in sorted(media.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


def run_cli(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = cli.main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}  # type: ignore[union-attr]


def write_archive(path: Path, contents: dict[str, bytes], *, rehash: bool = True) -> Path:
    """An archive with ``contents``; the manifest's hashes recomputed unless told otherwise."""
    if rehash:
        manifest = json.loads(contents["manifest.json"])
        for entry in manifest["files"]:
            data = contents[entry["path"]]
            entry["size"], entry["sha256"] = len(data), hashlib.sha256(data).hexdigest()
        contents = {**contents, "manifest.json": json.dumps(manifest).encode()}
    with tarfile.open(path, "w:gz") as tar:
        for name, data in contents.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


# --- the round trip ---------------------------------------------------------------------------


def test_a_restore_into_an_empty_database_and_folder_gives_back_everything(
    world: Any, media: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before, files = every_row(), every_file(media)
    assert before["applications.attachment"] and before["reports.publishedreport"]
    assert len(files) == 2
    archive = tmp_path / "nightly.tar.gz"

    status, out, err = run_cli("backup", str(archive), capsys=capsys)

    assert (status, err) == (0, "")
    assert "已备份到" in out
    assert archive.stat().st_mode & 0o077 == 0  # personal data: readable by its owner only
    manifest = json.loads(members(archive)["manifest.json"])
    assert manifest["format"] == "gongkai-backup"
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["migrations"]["latest"]["reports"] == "0003_imported_report"
    assert manifest["rows"]["applications.application"] == len(before["applications.application"])
    assert {e["path"] for e in manifest["files"]} == {"data.jsonl"} | {f"media/{n}" for n in files}

    wipe(media)
    assert every_row()["applications.application"] == []
    status, out, err = run_cli("restore", str(archive), capsys=capsys)

    assert (status, err) == (0, "")
    assert "已恢复" in out and "已替换" not in out
    assert every_row() == before
    assert every_file(media) == files
    new_unit = unit_create(name="恢复后新建的单位", short_name="新单位", kind="department")
    assert new_unit.pk > max(row["pk"] for row in before["agencies.unit"])  # sequences reset
    for report in PublishedReport.objects.all():
        assert content_sha256(report.content) == report.sha256
        assert report.report is not None  # reading checks the hash again, and parses
    assert_case_page_works()


def assert_case_page_works() -> None:
    """The restored case page renders and its restored attachment downloads."""
    from django.contrib.auth import get_user_model

    attachment = Attachment.objects.order_by("pk").first()
    assert attachment is not None
    client = Client()
    client.force_login(get_user_model().objects.get(username="jingban"))
    page = client.get(reverse("applications:case", args=[attachment.application_id]))
    assert page.status_code == 200
    assert "身份证正反面.pdf" in page.content.decode()
    download = client.get(reverse("applications:attachment_download", args=[attachment.pk]))
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]


def run_gongkai(env_changes: dict[str, str | None], *args: str) -> subprocess.CompletedProcess[str]:
    """``gongkai ARGS`` in a fresh interpreter: another machine, with its own database."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for name in ("DATABASE_URL", "GONGKAI_SQLITE_PATH", "GONGKAI_MEDIA_ROOT"):
        env.pop(name, None)
    env.update({k: v for k, v in env_changes.items() if v is not None})
    return subprocess.run(
        [sys.executable, "-m", "gongkai.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def jsonl_rows(archive: Path) -> list[Any]:
    return sorted(
        (json.loads(line) for line in members(archive)["data.jsonl"].decode().splitlines()),
        key=lambda row: (row["model"], str(row["pk"])),
    )


def test_a_fresh_sqlite_machine_restores_the_archive_and_the_data_travels_back(
    world: Any, media: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On the PostgreSQL pass this is PostgreSQL → SQLite → PostgreSQL (the portable path)."""
    before, files = every_row(), every_file(media)
    archive = tmp_path / "office.tar.gz"
    assert run_cli("backup", str(archive), capsys=capsys)[0] == 0
    machine = tmp_path / "new-machine"
    machine.mkdir()
    sqlite = {"GONGKAI_SQLITE_PATH": str(machine / "gongkai.sqlite3")}

    restored = run_gongkai(sqlite, "restore", str(archive))

    assert restored.returncode == 0, restored.stderr
    assert "Traceback" not in restored.stderr
    assert every_file(machine / "gongkai-media") == files  # MEDIA_ROOT beside the SQLite file
    again = tmp_path / "from-sqlite.tar.gz"
    assert run_gongkai(sqlite, "backup", str(again)).returncode == 0
    assert json.loads(members(again)["manifest.json"])["database"]["vendor"] == "sqlite"
    assert jsonl_rows(again) == jsonl_rows(archive)

    wipe(media)
    status, _, err = run_cli("restore", str(again), capsys=capsys)

    assert (status, err) == (0, "")
    assert every_row() == before
    assert every_file(media) == files
    assert_case_page_works()


# --- a small world for the refusals -----------------------------------------------------------


@pytest.fixture
def small(db: None, media: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A unit, a clerk and one stored file; returns the archive of it."""
    from gongkai.agencies.models import Role
    from gongkai.agencies.services import member_create, unit_create

    unit = unit_create(name="泉州市泉港区人民政府办公室", short_name="区政府办", kind="government")
    member_create(username="jingban", password=None, unit=unit, role=Role.CLERK)
    (media / "ab").mkdir(parents=True)
    (media / "ab" / "身份证.pdf").write_bytes(PDF)
    archive = tmp_path / "small.tar.gz"
    assert run_cli("backup", str(archive), capsys=capsys)[0] == 0
    return archive


def unit_count() -> int:
    from gongkai.agencies.models import Unit

    return Unit.objects.count()


def test_a_non_empty_database_or_folder_is_replaced_only_with_force(
    small: Path, media: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run_cli("restore", str(small), capsys=capsys)
    assert status == 2
    assert "文件目录" in err and "不是空的" in err and "--force" in err

    (media / "ab" / "身份证.pdf").unlink()
    status, _, err = run_cli("restore", str(small), capsys=capsys)
    assert status == 2
    assert "数据库不是空的" in err and "单位 1 条" in err and "--force" in err
    assert not (media / "ab" / "身份证.pdf").exists()  # nothing restored

    (media / "stray.txt").write_text("留在旧目录的文件")
    status, out, err = run_cli("restore", str(small), "--force", capsys=capsys)
    assert (status, err) == (0, "")
    assert "已替换原有数据" in out and "单位 1 条" in out
    assert unit_count() == 1
    assert every_file(media) == {"ab/身份证.pdf": PDF}  # the stray file went with the old folder


def _retar(archive: Path, tmp_path: Path, change: Any, *, rehash: bool = True) -> Path:
    contents = members(archive)
    change(contents)
    return write_archive(tmp_path / "changed.tar.gz", contents, rehash=rehash)


def _manifest_change(**fields: Any) -> Any:
    def change(contents: dict[str, bytes]) -> None:
        manifest = json.loads(contents["manifest.json"])
        manifest.update(fields)
        contents["manifest.json"] = json.dumps(manifest).encode()

    return change


def _future_migration(contents: dict[str, bytes]) -> None:
    manifest = json.loads(contents["manifest.json"])
    manifest["migrations"]["applied"].append(["reports", "0099_future"])
    contents["manifest.json"] = json.dumps(manifest).encode()


def _tamper_file(contents: dict[str, bytes]) -> None:
    contents["media/ab/身份证.pdf"] = PDF.replace(b"%PDF", b"%PDX", 1)


def _dangling_foreign_key(contents: dict[str, bytes]) -> None:
    lines = contents["data.jsonl"].decode().splitlines()
    for i, line in enumerate(lines):
        row = json.loads(line)
        if row["model"] == "agencies.membership":
            row["fields"]["unit"] = 987654
            lines[i] = json.dumps(row, ensure_ascii=False)
    contents["data.jsonl"] = "\n".join(lines).encode()


BAD_ARCHIVES = {
    "tampered file": (_tamper_file, False, "SHA-256 与清单记录不符"),
    "file not listed": (lambda c: c.update({"media/extra.txt": b"x"}), False, "不在清单中"),
    "listed file missing": (lambda c: c.pop("media/ab/身份证.pdf"), False, "不在备份中"),
    "no manifest": (lambda c: c.pop("manifest.json"), False, "没有 manifest.json"),
    "manifest not json": (lambda c: c.update({"manifest.json": b"{"}), False, "不是有效的 JSON"),
    "other format": (_manifest_change(format="something-else"), True, "不是 gongkai 备份"),
    "newer format": (_manifest_change(format_version=99), True, "格式版本为 99"),
    "manifest incomplete": (_manifest_change(rows=None), True, "内容不完整"),
    "unsafe path": (lambda c: c.update({"../evil": b"x"}), False, "不安全"),
    "newer schema": (_future_migration, True, "备份来自更新的数据库结构（本程序没有迁移"),
    "dangling reference": (_dangling_foreign_key, True, "无法载入数据库"),
}


@pytest.mark.parametrize("case", BAD_ARCHIVES, ids=list(BAD_ARCHIVES))
def test_a_bad_archive_is_refused_and_nothing_changes(
    case: str, small: Path, media: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change, rehash, message = BAD_ARCHIVES[case]
    bad = _retar(small, tmp_path, change, rehash=rehash)
    wipe(media)

    status, out, err = run_cli("restore", str(bad), capsys=capsys)

    assert status == 2, out
    assert message in err
    assert "Traceback" not in err
    assert unit_count() == 0
    assert every_file(media) == {}
    assert not [p for p in media.parent.iterdir() if p.name.startswith(".gongkai")]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p, "找不到备份文件"),
        (lambda p: (p.mkdir(), p)[1], "是一个文件夹"),
        (lambda p: (p.write_text("年度报告", encoding="utf-8"), p)[1], "不是 gongkai 备份文件"),
        (lambda p: (p.write_bytes(gzip.compress(b"not a tar" * 100)), p)[1], "不是 gongkai 备份"),
    ],
    ids=["missing", "directory", "text file", "gzip of something else"],
)
def test_what_is_not_an_archive_is_named(
    make: Any, message: str, db: None, media: Path, tmp_path: Path, capsys: Any
) -> None:
    status, _, err = run_cli("restore", str(make(tmp_path / "x.tar.gz")), capsys=capsys)
    assert status == 2
    assert message in err and "Traceback" not in err


def test_a_truncated_archive_is_refused(
    small: Path, media: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = small.read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(data[: len(data) * 2 // 3])
    wipe(media)

    status, _, err = run_cli("restore", str(cut), capsys=capsys)

    assert status == 2
    assert "不完整或已损坏" in err or "没有 manifest.json" in err
    assert unit_count() == 0 and every_file(media) == {}


# --- writing the archive ----------------------------------------------------------------------


def test_an_interrupted_backup_leaves_no_archive_and_no_temporary_file(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "old.tar.gz").write_bytes(small.read_bytes())

    def interrupted(*_: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(backup, "_add", interrupted)
    status, out, err = run_cli("backup", str(folder / "old.tar.gz"), capsys=capsys)

    assert status == 130, (out, err)
    assert [p.name for p in folder.iterdir()] == ["old.tar.gz"]
    assert (folder / "old.tar.gz").read_bytes() == small.read_bytes()  # the old one intact


def test_a_full_disk_is_named_before_anything_is_written(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    class Usage:
        free = 1024

    monkeypatch.setattr(backup.shutil, "disk_usage", lambda _: Usage)
    status, _, err = run_cli("backup", str(tmp_path / "new.tar.gz"), capsys=capsys)

    assert status == 2 and "磁盘空间不足" in err
    assert not (tmp_path / "new.tar.gz").exists()


@pytest.mark.parametrize(
    ("target", "message"),
    [(".", "是一个文件夹"), ("no-such-folder/a.tar.gz", "不存在")],
)
def test_a_backup_to_an_impossible_place_is_named(
    target: str, message: str, small: Path, tmp_path: Path, capsys: Any
) -> None:
    status, _, err = run_cli("backup", str(tmp_path / target), capsys=capsys)
    assert status == 2 and message in err


def test_an_archive_of_an_older_schema_is_migrated_after_loading(
    small: Path, tmp_path: Path
) -> None:
    """Its rows load with the models of its own migrations, then the schema moves forward."""

    def older(contents: dict[str, bytes]) -> None:
        manifest = json.loads(contents["manifest.json"])
        applied = manifest["migrations"]["applied"]
        manifest["migrations"]["applied"] = [m for m in applied if m[0] != "reports"]
        manifest["rows"] = {k: v for k, v in manifest["rows"].items() if "reports." not in k}
        rows = contents["data.jsonl"].decode().splitlines()
        contents["data.jsonl"] = "\n".join(r for r in rows if '"reports.' not in r).encode()
        contents["manifest.json"] = json.dumps(manifest).encode()

    archive = _retar(small, tmp_path, older)
    machine = tmp_path / "machine"
    machine.mkdir()
    sqlite = {"GONGKAI_SQLITE_PATH": str(machine / "gongkai.sqlite3")}

    restored = run_gongkai(sqlite, "restore", str(archive))

    assert restored.returncode == 0, restored.stderr
    assert "载入后已执行 3 个迁移" in restored.stdout  # the reports app's three
    again = tmp_path / "again.tar.gz"
    assert run_gongkai(sqlite, "backup", str(again)).returncode == 0
    manifest = json.loads(members(again)["manifest.json"])
    assert manifest["migrations"]["latest"]["reports"] == "0003_imported_report"
    assert jsonl_rows(again) == jsonl_rows(archive)


def test_a_database_that_cannot_be_opened_is_named(small: Path, tmp_path: Path) -> None:
    nowhere = {"GONGKAI_SQLITE_PATH": str(tmp_path / "no-such-folder" / "gongkai.sqlite3")}

    restored = run_gongkai(nowhere, "restore", str(small))

    assert restored.returncode == 2
    assert "无法连接数据库" in restored.stderr and "Traceback" not in restored.stderr


def test_an_interrupted_restore_changes_nothing(
    small: Path, media: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    wipe(media)

    def interrupted() -> None:
        raise KeyboardInterrupt  # Ctrl-C after every row is loaded, before the commit

    monkeypatch.setattr(backup, "_verify_hashes", interrupted)
    status, _, _ = run_cli("restore", str(small), capsys=capsys)

    assert status == 130
    assert unit_count() == 0
    assert every_file(media) == {}
    assert not [p for p in media.parent.iterdir() if p.name.startswith(".gongkai")]


def test_a_published_report_changed_inside_the_archive_is_refused(
    world: Any, media: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Hashes of the archive recomputed, so only the report's own SHA-256 can catch it."""
    archive = tmp_path / "a.tar.gz"
    assert run_cli("backup", str(archive), capsys=capsys)[0] == 0

    def rewrite_report(contents: dict[str, bytes]) -> None:
        lines = contents["data.jsonl"].decode().splitlines()
        for i, line in enumerate(lines):
            row = json.loads(line)
            if row["model"] == "reports.publishedreport":
                row["fields"]["content"] = row["fields"]["content"].replace("0", "1", 1)
                lines[i] = json.dumps(row, ensure_ascii=False)
        contents["data.jsonl"] = "\n".join(lines).encode()

    bad = _retar(archive, tmp_path, rewrite_report)
    wipe(media)

    status, _, err = run_cli("restore", str(bad), capsys=capsys)

    assert status == 2
    assert "已发布的年度报告" in err and "SHA-256 不符" in err
    assert PublishedReport.objects.count() == 0 and every_file(media) == {}


def test_a_restore_without_room_on_the_disk_is_refused(
    small: Path, media: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    wipe(media)

    class Usage:
        free = 1024

    monkeypatch.setattr(backup.shutil, "disk_usage", lambda _: Usage)
    status, _, err = run_cli("restore", str(small), capsys=capsys)

    assert status == 2 and "磁盘空间不足" in err and "恢复" in err
    assert unit_count() == 0 and every_file(media) == {}
