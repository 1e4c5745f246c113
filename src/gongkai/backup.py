"""``gongkai backup`` and ``gongkai restore``: the database and the stored files in one archive.

What is in an archive (one gzip-compressed tar):

* ``data.jsonl`` — every row of every model (Django's ``jsonl`` serializer, primary keys kept),
  written inside **one read transaction**: REPEATABLE READ on PostgreSQL (a snapshot; the site
  keeps writing meanwhile), a deferred read transaction on SQLite (its shared lock is the
  snapshot; writers wait for it, which for an office's database is seconds). Sessions are left
  out: they are throwaway and whoever holds one would be logged in on the restored machine.
* ``media/…`` — every file under ``MEDIA_ROOT`` (attachments, identity documents, ledger
  uploads), read after the snapshot. Attachments are content-addressed and append-only, so a
  file added meanwhile is at worst an unreferenced extra; a referenced file that is missing is
  reported as a warning.
* ``manifest.json`` (last) — format, gongkai version, time, database vendor, the applied
  migrations (and the latest per app), the row count per model and the size and SHA-256 of
  every other member.

Why JSON rather than ``pg_dump`` or a copy of the SQLite file: one format for both back ends,
so a demo run on SQLite moves into a multi-user PostgreSQL (and back) with the same two
commands; no dependency on client tools whose major version must match the server's; and the
restore can load an archive from an older schema with the *historical* models of its migration
state, then migrate it forward. ``pg_dump``/``pg_restore`` would also need the client tools
(``scripts/setup`` installs the server package, whose client must match the server's major
version), and a copy of the SQLite file through the backup API or ``VACUUM INTO`` is consistent
but SQLite-only; the read transaction gives the same consistency for the JSON, on both. The
price is speed, which for the tens of thousands of rows of a disclosure office does not matter
(the demo district: about 5 s to back up, 9 s to restore, most of it starting Django).

Restore is all or nothing. The archive is first read completely into a staging folder beside
``MEDIA_ROOT`` and every member checked against its SHA-256 and the manifest; then, in **one
transaction** (PostgreSQL and SQLite both roll back DDL), the database is migrated to the
archive's state, emptied, loaded, checked (foreign keys, the published reports' and letters'
hashes) and migrated to the current state; only after the commit is the staged media folder
renamed into place. Any failure or Ctrl-C leaves the database and the files as they were.

The archive itself is written to a temporary file beside its destination and renamed into
place when complete (:func:`gongkai.core.render.output.replacing`).
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any, Final

from gongkai import __version__
from gongkai.core.errors import GongkaiError
from gongkai.core.render.output import replacing

FORMAT: Final = "gongkai-backup"
FORMAT_VERSION: Final = 1
MANIFEST: Final = "manifest.json"
DATA: Final = "data.jsonl"
MEDIA: Final = "media"
# Left out of the archive (see the module docstring).
EXCLUDED_MODELS: Final = frozenset({"sessions.session"})
# Rows a freshly migrated database has without anyone having used it.
BOOKKEEPING_MODELS: Final = frozenset({"contenttypes.contenttype", "auth.permission"})
CHUNK: Final = 1024 * 1024
# Room kept free on the disk beyond what the archive or the restored files need.
SPARE_BYTES: Final = 16 * 1024 * 1024


class BackupError(GongkaiError):
    """A backup or restore that cannot be done, explained in Chinese."""


@dataclass
class BackupSummary:
    path: Path
    size: int
    rows: dict[str, int]
    files: int
    file_bytes: int
    vendor: str
    missing_files: list[str] = field(default_factory=list)


@dataclass
class RestoreSummary:
    rows: dict[str, int]
    files: int
    file_bytes: int
    source_vendor: str
    created_at: str
    replaced: dict[str, int]
    migrated_forward: int


# ---------------------------------------------------------------------------------------------
# Helpers shared by both directions
# ---------------------------------------------------------------------------------------------


def _connect(connection: Any) -> None:
    """Open the configured database, or say in Chinese why it cannot be opened."""
    from django.db import DatabaseError

    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        name = connection.settings_dict.get("NAME")
        raise BackupError(f"无法连接数据库 {name}（{connection.vendor}）：{exc}") from None


def _media_root() -> Path:
    from django.conf import settings

    return Path(str(settings.MEDIA_ROOT))


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "磁盘空间不足"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "没有权限"
    return exc.strerror or type(exc).__name__


def _check_space(directory: Path, needed: int, what: str) -> None:
    free = shutil.disk_usage(directory).free
    if free < needed + SPARE_BYTES:
        raise BackupError(
            f"磁盘空间不足：{what}约需 {_mb(needed)}，{directory} 所在磁盘只剩 {_mb(free)}"
        )


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _model_label(model: Any) -> str:
    return str(model._meta.label_lower)


def _dumped_models(registry: Any) -> list[Any]:
    """Concrete, managed models of ``registry`` (the current or a historical app registry)."""
    return [
        m
        for m in registry.get_models()
        if m._meta.managed and not m._meta.proxy and _model_label(m) not in EXCLUDED_MODELS
    ]


def _applied_migrations(connection: Any) -> list[tuple[str, str]]:
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return []
    return sorted(recorder.applied_migrations())


def _latest_per_app(applied: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The highest-numbered applied migration of each app (for people reading the manifest)."""
    latest: dict[str, str] = {}
    for app, name in applied:
        if app not in latest or name > latest[app]:
            latest[app] = name
    return dict(sorted(latest.items()))


class _HashingReader:
    """A file object that hashes what tarfile reads from it."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


# ---------------------------------------------------------------------------------------------
# Backup
# ---------------------------------------------------------------------------------------------


def backup(archive: Path) -> BackupSummary:
    """Write the database and MEDIA_ROOT to ``archive`` (a .tar.gz); see the module docstring."""
    from django.db import connection

    archive = Path(archive)
    if archive.is_dir():
        raise BackupError(f"{archive} 是一个文件夹；请给出备份文件的名字，例如 gongkai.tar.gz")
    if not archive.parent.is_dir():
        raise BackupError(f"保存备份的文件夹 {archive.parent} 不存在")
    _connect(connection)
    _require_migrated(connection)
    media_root = _media_root()
    media_files = _media_files(media_root)
    file_bytes = sum(size for _, _, size in media_files)
    _check_space(archive.parent, file_bytes, "备份")
    try:
        with tempfile.TemporaryDirectory(dir=archive.parent, prefix=".gongkai-backup-") as tmp:
            data_path = Path(tmp) / DATA
            with data_path.open("w", encoding="utf-8") as data:
                rows, applied, referenced = _dump(connection, data)
            _check_space(archive.parent, file_bytes + data_path.stat().st_size, "备份")
            entries: list[dict[str, Any]] = []
            with replacing(archive) as handle, tarfile.open(fileobj=handle, mode="w:gz") as tar:
                entries.append(_add(tar, data_path, DATA))
                for path, name, _ in media_files:
                    entries.append(_add(tar, path, name))
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "gongkai_version": __version__,
                    "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "database": {"vendor": connection.vendor},
                    "migrations": {
                        "latest": _latest_per_app(applied),
                        "applied": [list(pair) for pair in applied],
                    },
                    "rows": rows,
                    "files": entries,
                }
                body = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(body)
                info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
                tar.addfile(info, io.BytesIO(body))
    except OSError as exc:
        raise BackupError(
            f"无法写出备份 {archive}：{_os_reason(exc)}；未留下不完整的备份"
        ) from None
    stored = {e["path"].removeprefix(f"{MEDIA}/") for e in entries}
    return BackupSummary(
        path=archive,
        size=archive.stat().st_size,
        rows=rows,
        files=len(media_files),
        file_bytes=file_bytes,
        vendor=connection.vendor,
        missing_files=sorted(referenced - stored),
    )


def _require_migrated(connection: Any) -> None:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        pending = "、".join(f"{m.app_label}.{m.name}" for m, _ in plan[:3])
        raise BackupError(
            f"数据库尚未迁移到当前版本（待执行 {len(plan)} 个迁移，如 {pending}）："
            "请先运行 gongkai serve 或 django-admin migrate 再备份"
        )


def _media_files(root: Path) -> list[tuple[Path, str, int]]:
    """(path, archive name, size) of every regular file under ``root``, in a stable order."""
    if not root.exists():
        return []
    found = []
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_symlink() or not path.is_file():
                continue
            relative = path.relative_to(root).as_posix()
            found.append((path, f"{MEDIA}/{relative}", path.stat().st_size))
    return found


def _add(tar: tarfile.TarFile, path: Path, name: str) -> dict[str, Any]:
    with path.open("rb") as handle:
        info = tar.gettarinfo(fileobj=handle, arcname=name)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    return {"path": name, "size": reader.size, "sha256": reader.digest.hexdigest()}


def _dump(
    connection: Any, stream: IO[str]
) -> tuple[dict[str, int], list[tuple[str, str]], set[str]]:
    """Every row into ``stream`` in one read transaction; row counts, migrations, file names."""
    from django.apps import apps
    from django.core import serializers
    from django.db import models, transaction

    rows: dict[str, int] = {}
    referenced: set[str] = set()
    encoder = _precise_encoder()
    # Inside a caller's transaction (the tests) the snapshot is already that transaction's.
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=connection.alias):
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        applied = _applied_migrations(connection)
        for model in _dumped_models(apps):
            counter = _Counting(model._default_manager.using(connection.alias).order_by("pk"))
            serializers.serialize("jsonl", counter, stream=stream, cls=encoder)
            rows[_model_label(model)] = counter.count
            for file_field in model._meta.fields:
                if isinstance(file_field, models.FileField):
                    names = model._default_manager.values_list(file_field.attname, flat=True)
                    referenced.update(n for n in names if n)
    return dict(sorted(rows.items())), applied, referenced


def _precise_encoder() -> type[json.JSONEncoder]:
    """Django's JSON encoder, but datetimes keep their microseconds (Django's drops all but
    milliseconds, so a round trip would change every timestamp)."""
    from django.core.serializers.json import DjangoJSONEncoder

    class PreciseEncoder(DjangoJSONEncoder):
        def default(self, o: Any) -> Any:
            if isinstance(o, dt.datetime):
                text = o.isoformat()
                return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
            if isinstance(o, dt.time):
                return o.isoformat()
            return super().default(o)

    return PreciseEncoder


class _Counting:
    def __init__(self, queryset: Any) -> None:
        self.queryset = queryset
        self.count = 0

    def __iter__(self) -> Iterator[Any]:
        for obj in self.queryset.iterator(chunk_size=500):
            self.count += 1
            yield obj


# ---------------------------------------------------------------------------------------------
# Restore
# ---------------------------------------------------------------------------------------------


def restore(archive: Path, *, force: bool = False) -> RestoreSummary:
    """Bring ``archive`` back into the configured database and MEDIA_ROOT, all or nothing."""
    from django.db import connection

    archive = Path(archive)
    if not archive.exists():
        raise BackupError(f"找不到备份文件 {archive}")
    if archive.is_dir():
        raise BackupError(f"{archive} 是一个文件夹，不是备份文件")
    _connect(connection)
    media_root = _media_root()
    if not force and _has_files(media_root):
        raise BackupError(
            f"文件目录 {media_root} 不是空的：恢复会替换其中的文件。确认要替换，请加 --force"
        )
    parent = media_root.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=parent, prefix=".gongkai-restore-"))
    try:
        manifest = _extract(archive, staging)
        targets = _archive_targets(connection, manifest)
        replaced, migrated = _load(connection, staging / DATA, targets, force=force)
        _move_media_into_place(staging / MEDIA, media_root)
    except OSError as exc:
        raise BackupError(f"恢复失败：{_os_reason(exc)}；数据库和文件均未改动") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    files = [f for f in manifest["files"] if f["path"].startswith(f"{MEDIA}/")]
    return RestoreSummary(
        rows=dict(manifest["rows"]),
        files=len(files),
        file_bytes=sum(int(f["size"]) for f in files),
        source_vendor=str(manifest["database"]["vendor"]),
        created_at=str(manifest["created_at"]),
        replaced=replaced,
        migrated_forward=migrated,
    )


def _has_files(root: Path) -> bool:
    return root.is_dir() and any(p.is_file() for p in root.rglob("*"))


def _safe_name(name: str) -> PurePosixPath | None:
    """The member's path if it is a plain relative one (no ``..``, not absolute)."""
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or any(p in ("", ".", "..") for p in path.parts):
        return None
    return path


def _extract(archive: Path, staging: Path) -> dict[str, Any]:
    """Every member into ``staging``, hashed; the manifest, once everything matched it."""
    try:
        tar = tarfile.open(archive, mode="r|gz")  # noqa: SIM115 - closed by the with below
    except (tarfile.ReadError, zlib.error, EOFError, OSError) as exc:
        if isinstance(exc, OSError) and not isinstance(exc, tarfile.ReadError):
            raise BackupError(f"无法读取备份文件 {archive}：{_os_reason(exc)}") from None
        raise BackupError(
            f"{archive} 不是 gongkai 备份文件（应为 gongkai backup 写出的 .tar.gz 归档）"
        ) from None
    seen: dict[str, tuple[int, str]] = {}
    manifest_bytes: bytes | None = None
    current = ""
    try:
        with tar:
            for member in tar:
                current = member.name
                if member.isdir():
                    continue
                path = _safe_name(member.name)
                if path is None or not member.isfile():
                    raise BackupError(f"备份中有不安全或不支持的条目「{member.name}」，已拒绝恢复")
                source = tar.extractfile(member)
                assert source is not None  # a regular file
                if member.name == MANIFEST:
                    manifest_bytes = source.read()
                    continue
                if member.name != DATA and path.parts[0] != MEDIA:
                    raise BackupError(f"备份中有无法识别的条目「{member.name}」，已拒绝恢复")
                _check_space(staging, member.size, "恢复")
                target = staging.joinpath(*path.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with target.open("wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                seen[member.name] = (member.size, digest.hexdigest())
    except (tarfile.ReadError, tarfile.StreamError, zlib.error, EOFError) as exc:
        where = f"（读到「{current}」时中断）" if current else ""
        detail = "" if isinstance(exc, EOFError) else f"：{exc}"
        raise BackupError(
            f"备份文件 {archive} 不完整或已损坏{where}{detail}；未做任何恢复"
        ) from None
    if manifest_bytes is None:
        raise BackupError(
            f"{archive} 中没有 {MANIFEST}：不是 gongkai 备份，或备份文件不完整；未做任何恢复"
        )
    manifest = _parse_manifest(manifest_bytes, archive)
    _verify(manifest, seen)
    return manifest


def _parse_manifest(data: bytes, archive: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BackupError(f"{archive} 的 {MANIFEST} 不是有效的 JSON；备份已损坏") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} 不是 gongkai 备份（{MANIFEST} 中没有 gongkai 备份的标记）")
    version = manifest.get("format_version")
    if not isinstance(version, int):
        raise BackupError(f"{archive} 的 {MANIFEST} 缺少格式版本；备份已损坏")
    if version > FORMAT_VERSION:
        raise BackupError(
            f"备份格式版本为 {version}，本程序只支持到 {FORMAT_VERSION}："
            f"备份由更新的 gongkai {manifest.get('gongkai_version', '?')} 写出，请先升级 gongkai"
        )
    try:
        files = manifest["files"]
        assert isinstance(files, list)
        for entry in files:
            assert isinstance(entry["path"], str) and isinstance(entry["sha256"], str)
            int(entry["size"])
        applied = manifest["migrations"]["applied"]
        assert all(isinstance(a, str) and isinstance(n, str) for a, n in applied)
        assert isinstance(manifest["rows"], dict)
        str(manifest["database"]["vendor"])
        str(manifest["created_at"])
    except (AssertionError, KeyError, TypeError, ValueError):
        raise BackupError(f"{archive} 的 {MANIFEST} 内容不完整；备份已损坏") from None
    return manifest


def _verify(manifest: dict[str, Any], seen: dict[str, tuple[int, str]]) -> None:
    listed = {e["path"]: (int(e["size"]), e["sha256"]) for e in manifest["files"]}
    for name, (size, digest) in sorted(listed.items()):
        if name not in seen:
            raise BackupError(f"清单中的「{name}」不在备份中：备份不完整；未做任何恢复")
        if seen[name] != (size, digest):
            raise BackupError(
                f"「{name}」的 SHA-256 与清单记录不符：备份已被改动或损坏；未做任何恢复"
            )
    extra = sorted(set(seen) - set(listed))
    if extra:
        raise BackupError(f"备份中的「{extra[0]}」不在清单中：备份已被改动；未做任何恢复")
    if DATA not in listed:
        raise BackupError(f"备份中没有数据库数据 {DATA}；未做任何恢复")


def _archive_targets(connection: Any, manifest: dict[str, Any]) -> list[tuple[str, str]]:
    """The archive's migration state as ``migrate`` targets; refuses a newer schema."""
    from django.db.migrations.loader import MigrationLoader

    graph = MigrationLoader(connection, ignore_no_migrations=True).graph
    applied = {(a, n) for a, n in manifest["migrations"]["applied"]}
    unknown = sorted(applied - set(graph.nodes))
    if unknown:
        app, name = unknown[0]
        raise BackupError(
            f"备份来自更新的数据库结构（本程序没有迁移 {app}.{name}，共 {len(unknown)} 个）："
            f"备份由 gongkai {manifest.get('gongkai_version', '?')} 写出，"
            f"本程序为 {__version__}；请先升级 gongkai 再恢复"
        )
    # The applied migrations with no applied child in the same app: migrating to them
    # reproduces the archive's state exactly.
    targets = []
    for app, name in sorted(applied):
        children = graph.node_map[(app, name)].children
        if not any(c.key[0] == app and c.key in applied for c in children):
            targets.append((app, name))
    return targets


def _existing_rows(connection: Any) -> dict[str, int]:
    """Rows of the database that someone put there (bookkeeping and sessions aside)."""
    from django.apps import apps

    tables = set(connection.introspection.table_names())
    counts: dict[str, int] = {}
    for model in _dumped_models(apps):
        label = _model_label(model)
        if label in BOOKKEEPING_MODELS or model._meta.db_table not in tables:
            continue
        count = model._default_manager.using(connection.alias).count()
        if count:
            counts[str(model._meta.verbose_name)] = count
    return counts


def _flush(connection: Any) -> None:
    from django.core.management.color import no_style

    tables = [t for t in connection.introspection.table_names() if t != "django_migrations"]
    statements = connection.ops.sql_flush(
        no_style(), tables, reset_sequences=False, allow_cascade=True
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses tables with foreign-key checks still pending in this transaction
            # (rows written earlier in it): run them now, then defer again for the load.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for sql in statements:
            cursor.execute(sql)


def _load(
    connection: Any, data: Path, targets: list[tuple[str, str]], *, force: bool
) -> tuple[dict[str, int], int]:
    """Migrate to ``targets``, load ``data`` with those models, migrate forward: one transaction."""
    from django.core import serializers
    from django.core.management.color import no_style
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import DatabaseError, IntegrityError, transaction
    from django.db.migrations.executor import MigrationExecutor

    with connection.constraint_checks_disabled(), transaction.atomic(using=connection.alias):
        replaced = _existing_rows(connection)
        if replaced and not force:
            what = "、".join(f"{n} {c} 条" for n, c in list(replaced.items())[:6])
            raise BackupError(
                f"数据库不是空的（已有 {what}）：恢复会替换这些数据。确认要替换，请加 --force"
            )
        _flush(connection)
        executor = MigrationExecutor(connection)
        executor.migrate(targets)
        _flush(connection)  # rows a migration may have seeded
        historical = executor.loader.project_state(targets).apps
        try:
            with data.open(encoding="utf-8") as stream:
                for obj in _historical_objects(stream, historical):
                    obj.save(using=connection.alias, force_insert=True)
            connection.check_constraints()
        except (serializers.base.DeserializationError, IntegrityError, DatabaseError) as exc:
            raise BackupError(f"备份中的数据无法载入数据库：{exc}；未做任何恢复") from None
        forward = MigrationExecutor(connection)
        plan = forward.migration_plan(forward.loader.graph.leaf_nodes())
        forward.migrate(forward.loader.graph.leaf_nodes())
        emit_post_migrate_signal(0, False, connection.alias)
        with connection.cursor() as cursor:
            from django.apps import apps

            for sql in connection.ops.sequence_reset_sql(no_style(), _dumped_models(apps)):
                cursor.execute(sql)
        _verify_hashes()
    return replaced, len(plan)


def _historical_objects(stream: IO[str], registry: Any) -> Iterator[Any]:
    """The archive's rows as instances of the models of its own migration state.

    Django's deserializer looks models up in the current registry; an archive from an older
    schema needs the historical ones (``registry``), whose fields match its rows.
    """
    from django.core.serializers import base, jsonl

    class Deserializer(jsonl.Deserializer):
        def _get_model_from_node(self, model_identifier: str) -> Any:
            try:
                return registry.get_model(model_identifier)
            except (LookupError, TypeError, ValueError):
                raise base.DeserializationError(f"未知的数据类型 {model_identifier}") from None

    yield from Deserializer(stream)


def _verify_hashes() -> None:
    """Published and imported reports, and sent letters, still match their recorded hashes."""
    from gongkai.letters.models import SentLetter
    from gongkai.reports.models import ImportedReport, PublishedReport, content_sha256

    for model in (PublishedReport, ImportedReport):
        for pk, content, sha in model.objects.values_list("pk", "content", "sha256").iterator():
            if content_sha256(content) != sha:
                raise BackupError(
                    f"恢复后{model._meta.verbose_name}（编号 {pk}）的内容与记录的 SHA-256 不符；"
                    "未做任何恢复"
                )
    rows = SentLetter.objects.values_list("pk", "docx", "docx_sha256", "pdf", "pdf_sha256")
    for pk, docx, docx_sha, pdf, pdf_sha in rows.iterator():
        if (
            hashlib.sha256(bytes(docx)).hexdigest() != docx_sha
            or hashlib.sha256(bytes(pdf)).hexdigest() != pdf_sha
        ):
            raise BackupError(f"恢复后发出的文书（编号 {pk}）与记录的 SHA-256 不符；未做任何恢复")


def _move_media_into_place(staged: Path, media_root: Path) -> None:
    """Swap the staged folder in by renames; the replaced folder is removed afterwards."""
    staged.mkdir(exist_ok=True)
    old = None
    if media_root.exists():
        old = media_root.with_name(f".{media_root.name}.replaced-{os.getpid()}")
        os.replace(media_root, old)
    os.replace(staged, media_root)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
