"""Auditing a batch of any size as a stream of JSON lines, locally or on a Dask cluster.

``gongkai audit`` on one machine holds the whole batch. A province's or the country's reports
need more than one machine and must not be held at all: here each document is audited by the
same pure function as on one machine (:func:`gongkai.core.audit.audit_document`), mapped over
a Dask distributed cluster — an existing engine, nothing home-made — and each result is
written as one JSON line as soon as it arrives. The client never holds more than a small
window of tasks in flight and never the list of inputs (paths are walked lazily), so its
memory stays flat whatever the size of the batch.

- Several documents go to one task (:data:`CHUNK_DOCUMENTS`): a task costs the scheduler, the
  client and the worker about as much as auditing a text report.
- With shared storage the client only names the files and the workers read them.
- Each file has its time limit on the workers too: a worker's task thread, which no alarm
  reaches, hands its documents to a child process where the alarm rings, and kills the child
  if it does not answer in time (:mod:`gongkai.core.audit_child`).
- Pairing years (:func:`stream_paired`) keeps the reports that may pair in SQLite on disk,
  decides the pairs as one machine does, and sends only the pairs back to the cluster for the
  cross-year rules; last year's reports named by ``--previous`` join that index first.
- ``--json`` and ``--xlsx`` need every result in input order: :class:`ResultStore` keeps them
  in SQLite on disk as they come and gives them back one at a time at the end.

The line format (:func:`result_line`) is shared with the local ``--jsonl`` output, so the
same files give the same lines either way. Lines come in completion order; ``index`` is the
document's position in the input (paths in the order given, folders walked in sorted order,
archive members in archive order), so sorting by it restores the input order.

Dask is imported only when a cluster is used: ``gongkai`` itself starts without it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import os
import re
import sqlite3
import stat
import uuid
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, TypeVar, overload

from gongkai.core import audit_child
from gongkai.core.audit import FILE_TIME_LIMIT, audit_document, cross_year, unit_core
from gongkai.core.audit_result import AuditResult
from gongkai.core.errors import GongkaiError
from gongkai.core.findings import Severity
from gongkai.core.inputs import (
    ARCHIVE_SUFFIXES,
    DOCUMENT_SUFFIXES,
    Document,
    Kind,
    iter_documents,
    os_reason,
    read_regular_file,
)
from gongkai.core.inputs import _from_path as documents_under  # a walked folder's child
from gongkai.core.model import unit_key

# Tasks in flight per worker thread: enough that no thread waits for the client between two
# documents, few enough that the client holds only a handful of documents' bytes at once.
IN_FLIGHT_PER_THREAD: Final = 2
MIN_IN_FLIGHT: Final = 4

# Documents per task, and the bytes one task may carry: a task costs a few milliseconds of
# the scheduler's, the client's and the worker's time, as much as auditing a text report.
CHUNK_DOCUMENTS: Final = 16
CHUNK_BYTES: Final = 16 * 1024 * 1024

# Messages Dask keeps per connection for debugging (see :func:`connect`). A scheduler that
# receives the documents keeps them too: start it with
# DASK_DISTRIBUTED__ADMIN__LOW_LEVEL_LOG_LENGTH=10 in its environment.
MESSAGE_LOG_LENGTH: Final = 10

# Dask's statistical profiler samples each worker's task thread every 10 ms; the audit's deep
# stacks make that a quarter of a worker's CPU (bench_cluster.py: 49.5 → 36.8 ms per report,
# 29 → 44 reports/s). Operators start workers with
# DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False; the client cannot change it for them.
WORKER_CONFIG: Final = {"distributed.worker.profile.enabled": False}

# Seconds to reach the scheduler before giving up with a message (not a hang).
CONNECT_TIMEOUT: Final = 10.0

# The reason written for a document whose worker died on every attempt Dask made.
WORKER_DIED: Final = (
    "处理该文件的集群工作进程多次意外终止（可能内存不足或被系统结束），已跳过该文件"
)

_ADDRESS = re.compile(r"(?:tcp://)?(?P<host>\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+):(?P<port>\d{1,5})")


def result_line(index: int, result: AuditResult) -> str:
    """One report as one JSON line: where it came from, what it is, what is wrong with it.

    ``error`` is the reason when the file could not be read (``readable`` false); the tables
    themselves are not in the line (``gongkai audit --json`` has them): a line stays small
    whatever the report, so that a file of 100,000 lines can be read line by line.
    """
    line = {
        "index": index,
        "path": result.file,
        "kind": result.kind,
        "readable": result.readable,
        "error": result.reason,
        "unit": result.unit,
        "year": result.year,
        "report_kind": result.report_kind,
        "format": result.format,
        "published": result.published.isoformat() if result.published else None,
        "status": result.status,
        "errors": result.errors,
        "warnings": result.warnings,
        "infos": sum(1 for f in result.findings if f.severity is Severity.INFO),
        "summary": result.summary,
        "previous": result.previous,
        "copy_of": result.copy_of,
        "findings": [f.model_dump(mode="json") for f in result.findings],
    }
    return json.dumps(line, ensure_ascii=False, separators=(",", ":"))


def failure_line(index: int, name: str, kind: str, reason: str) -> str:
    """The line of a document that produced no result at all (its worker died)."""
    from gongkai.core.audit_result import unreadable

    return result_line(index, unreadable(name, kind, reason))


def line_status(line: str) -> int:
    """The exit status one line contributes: 0 clean or warnings, 1 errors, 2 unreadable."""
    data = json.loads(line)
    if not data["readable"]:
        return 2
    return 1 if data["errors"] else 0


def iter_lazily(paths: Iterable[Path]) -> Iterator[Document]:
    """The documents under each path in turn, without ever listing the paths first."""
    for path in paths:
        yield from iter_documents([path])


def read_path_list(lines: Iterable[str]) -> Iterator[Path]:
    """Paths from a list file, one a line (blank lines and ``#`` comments skipped), lazily."""
    for raw in lines:
        text = raw.rstrip("\r\n")
        if text.strip() and not text.lstrip().startswith("#"):
            yield Path(text)


def scheduler_address(value: str) -> str:
    """``tcp://HOST:PORT`` (or ``HOST:PORT``) checked and normalised; else a Chinese error."""
    text = value.strip()
    found = _ADDRESS.fullmatch(text)
    if found is None or not 0 < int(found["port"]) < 65536:
        raise GongkaiError(
            f"调度器地址格式不正确：「{value}」；应为 tcp://主机:端口，例如 tcp://10.0.0.5:8786"
        )
    return f"tcp://{found['host']}:{int(found['port'])}"


@dataclass
class BatchStats:
    """What the stream has written so far (for the summary line and the exit status)."""

    lines: int = 0
    errors: int = 0
    unreadable: int = 0
    died: int = 0
    workers: int = 0
    threads: int = 0
    window: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def status(self) -> int:
        if self.unreadable:
            return 2
        return 1 if self.errors else 0

    def count(self, line: str) -> None:
        self.lines += 1
        status = line_status(line)
        self.unreadable += status == 2
        self.errors += status == 1


def connect(address: str, *, timeout: float = CONNECT_TIMEOUT) -> Any:
    """A Dask client of the scheduler at ``address``, or a Chinese error within ``timeout``."""
    address = scheduler_address(address)
    try:
        import dask
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - dask[distributed] is a dependency
        raise GongkaiError(
            "未安装 Dask distributed，无法使用集群（pip install 'dask[distributed]'）"
        ) from exc

    class QuietClient(Client):
        """A client whose half-made self, after a failed connection, leaves without a word.

        Dask's own ``__del__`` closes the client and prints a traceback when that times out
        (it does when the address answers but is not a scheduler).
        """

        def __del__(self) -> None:
            with contextlib.suppress(Exception):
                if self.status not in ("closed", "closing"):
                    self.close(timeout=1)  # type: ignore[no-untyped-call]

    # Dask keeps the last messages of each connection for debugging, by default 1,000 of
    # them, each up to 1 MB: with the documents inside, hundreds of megabytes held for
    # nothing. A handful is enough to debug with, and the client's memory stays flat.
    dask.config.set({"distributed.admin.low-level-log-length": MESSAGE_LOG_LENGTH})
    try:
        with warnings.catch_warnings():
            # A client and scheduler of different versions warn; the batch still runs.
            warnings.simplefilter("ignore")
            return QuietClient(address, timeout=timeout, set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise GongkaiError(
            f"无法连接 Dask 调度器 {address}（{timeout:g} 秒内未连上）：请确认调度器已启动、"
            "地址和端口正确且网络可达"
        ) from exc
    except Exception as exc:  # something answered, but not as a Dask scheduler
        raise GongkaiError(
            f"无法连接 Dask 调度器 {address}：该地址的服务没有按 Dask 协议应答"
            f"（{type(exc).__name__}），请确认地址和端口是调度器的"
        ) from exc


@dataclass(frozen=True, slots=True)
class SharedPath:
    """A regular file the workers read themselves (they see the client's file system)."""

    name: str


Source = Document | SharedPath

# One item of a task: the document's index in the input and the document (or its path).
Item = tuple[int, Source]


def iter_sources(paths: Iterable[Path], *, on_workers: bool = False) -> Iterator[Source]:
    """The documents under each path in turn, lazily; with ``on_workers`` regular files are
    only named (:class:`SharedPath`), for the workers to read — the client then reads nothing.

    Folders are walked as :func:`gongkai.core.inputs.iter_documents` walks them (sorted, the
    same suffixes); what is not a plain regular file (an archive, a link, a device, a missing
    path) is read here exactly as on one machine, so that every line stays the same.
    """
    for path in paths:
        if not on_workers:
            yield from iter_documents([path])
            continue
        try:
            info = os.lstat(path)
        except (OSError, ValueError):
            yield from iter_documents([path])
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk_shared(path)
        elif _plain(info, path):
            yield SharedPath(str(path))
        else:
            yield from iter_documents([path])


def _plain(info: os.stat_result, path: Path) -> bool:
    return stat.S_ISREG(info.st_mode) and path.suffix.lower() not in ARCHIVE_SUFFIXES


def _walk_shared(root: Path) -> Iterator[Source]:
    errors: list[OSError] = []
    for folder, dirs, files in os.walk(root, onerror=errors.append):
        dirs.sort()
        for name in sorted(files):
            child = Path(folder) / name
            if child.suffix.lower() not in ARCHIVE_SUFFIXES + DOCUMENT_SUFFIXES:
                continue
            try:
                plain = _plain(os.lstat(child), child)
            except (OSError, ValueError):
                plain = False
            if plain:
                yield SharedPath(str(child))
            else:
                # A link (which may not leave the folder), an archive, a device: as locally.
                yield from documents_under(child, root)
        while errors:
            exc = errors.pop(0)
            yield Document(str(exc.filename or root), None, f"无法读取文件夹：{os_reason(exc)}")


def read_source(source: Source) -> Document:
    """The document itself: as the client read it, or read here from its shared path."""
    if isinstance(source, Document):
        return source
    data, reason = read_regular_file(Path(source.name))
    return Document(source.name, data, reason)


def source_name(source: Source) -> str:
    return source.name


def source_kind(source: Source) -> str:
    """The kind as far as it is known without reading (a shared path's is not)."""
    return source.kind.value if isinstance(source, Document) else Kind.UNKNOWN.value


def _source_size(source: Source) -> int:
    return len(source.data or b"") if isinstance(source, Document) else 0


def audit_chunk(
    items: list[Item],
    *,
    today: dt.date | None = None,
    time_limit: float | None = FILE_TIME_LIMIT,
    keep: bool = False,
) -> list[Kept]:
    """What a cluster worker runs: audit a few documents, return their lines (not reports).

    Several documents per task, because a task costs the scheduler, the client and the worker
    a few milliseconds each — as long as auditing a text report. The parsed report stays on
    the worker: only the line travels back, and with ``keep`` (pairing years) also the result
    and its compressed tables, for the client's index on disk.

    The documents are audited in a child process of the worker, in whose main thread the
    alarm of ``time_limit`` rings as on one machine; the task's thread waits, kills a child
    that is over time or dies, and writes the line one machine writes
    (:mod:`gongkai.core.audit_child`). Without a time limit, or where children cannot be
    waited for (no POSIX), they are audited here.
    """
    if time_limit is not None and audit_child.available():
        return audit_child.CHILDREN.audit(items, today=today, time_limit=time_limit, keep=keep)
    return audit_here(items, today=today, time_limit=time_limit, keep=keep)


def audit_here(
    items: list[Item], *, today: dt.date | None, time_limit: float | None, keep: bool
) -> list[Kept]:
    """Audit the items in this thread (bounded by the size caps; the alarm only in a main one)."""
    return [
        audit_item(index, read_source(source), today=today, time_limit=time_limit, keep=keep)
        for index, source in items
    ]


def audit_item(
    index: int, doc: Document, *, today: dt.date | None, time_limit: float | None, keep: bool
) -> Kept:
    """One document's line, and with ``keep`` its result and compressed tables too (for the
    pairing index, or for outputs that need whole results)."""
    result = audit_document(doc, today=today, time_limit=time_limit)
    line = result_line(index, result)
    if keep:
        return line, result.model_dump_json(exclude={"tables"}), result.blob()
    return line, None, None


# A line, and for a report that may pair with another year its result (JSON) and tables.
Kept = tuple[str, str | None, bytes | None]


def pairable(result: AuditResult) -> bool:
    return result.readable and result.unit is not None and result.year is not None


def audit_line(
    index: int, doc: Document, *, today: dt.date | None = None, time_limit: float | None = None
) -> str:
    """One document's line, audited here (what :func:`audit_chunk` does for each)."""
    return result_line(index, audit_document(doc, today=today, time_limit=time_limit))


def chunked(
    items: Iterable[Item], *, size: int, max_bytes: int = CHUNK_BYTES
) -> Iterator[list[Item]]:
    """Items grouped ``size`` at a time, a group closed early once it carries ``max_bytes``."""
    chunk: list[Item] = []
    carried = 0
    for item in items:
        chunk.append(item)
        carried += _source_size(item[1])
        if len(chunk) >= size or carried >= max_bytes:
            yield chunk
            chunk, carried = [], 0
    if chunk:
        yield chunk


def stream_on_cluster(
    client: Any,
    docs: Iterable[Source],
    *,
    today: dt.date | None = None,
    in_flight: int | None = None,
    chunk: int = CHUNK_DOCUMENTS,
    time_limit: float | None = FILE_TIME_LIMIT,
    stats: BatchStats | None = None,
    submitted: Callable[[int], None] | None = None,
    store: ResultStore | None = None,
) -> Iterator[str]:
    """Audit ``docs`` on the cluster behind ``client``; yield each line as it completes.

    Documents go ``chunk`` to a task; at most ``in_flight`` tasks are on the cluster at once
    (by default a few per worker thread): the next documents are read and submitted only when
    a result has come back. A task whose worker dies is retried by Dask on another worker
    (the scheduler's ``allowed-failures``); if every attempt kills its worker, its documents
    are tried again one to a task, so that only the one that kills its worker is lost — its
    line says so — and the batch goes on. ``submitted`` is told each index as it is sent.
    With ``store`` each whole result is kept there too (on disk), for ``--json`` and ``--xlsx``.
    """
    for line, result, blob in _stream(
        client,
        docs,
        today=today,
        in_flight=in_flight,
        chunk=chunk,
        time_limit=time_limit,
        stats=stats,
        submitted=submitted,
        keep=store is not None,
    ):
        if stats is not None:
            stats.count(line)
        if store is not None:
            store.add(line, result, blob)
        yield line


def _stream(
    client: Any,
    docs: Iterable[Source],
    *,
    today: dt.date | None,
    in_flight: int | None,
    chunk: int,
    time_limit: float | None,
    stats: BatchStats | None,
    submitted: Callable[[int], None] | None,
    keep: bool,
) -> Iterator[Kept]:
    def fail(item: Item, reason: str) -> Kept:
        index, source = item
        return failure_line(index, source_name(source), source_kind(source), reason), None, None

    return run_chunks(
        client,
        chunked(enumerate(docs), size=max(1, chunk)),
        audit_chunk,
        {"today": today, "time_limit": time_limit, "keep": keep},
        fail=fail,
        in_flight=in_flight,
        stats=stats,
        submitted=submitted,
    )


T = TypeVar("T")
R = TypeVar("R")


def run_chunks(
    client: Any,
    chunks: Iterable[list[tuple[int, T]]],
    function: Callable[..., list[R]],
    options: dict[str, Any],
    *,
    fail: Callable[[tuple[int, T], str], R],
    in_flight: int | None = None,
    stats: BatchStats | None = None,
    submitted: Callable[[int], None] | None = None,
) -> Iterator[R]:
    """Map ``function`` over ``chunks`` on the cluster, a bounded window at a time; yield each
    chunk's outputs as it completes. ``fail`` makes the output of an item that got none."""
    from distributed import as_completed

    stats = stats if stats is not None else BatchStats()
    threads = _cluster_threads(client)
    window = in_flight or max(MIN_IN_FLIGHT, threads * IN_FLIGHT_PER_THREAD)
    stats.threads, stats.window = threads, window
    stats.workers = len(client.scheduler_info().get("workers", {}))
    pending: dict[str, list[tuple[int, T]]] = {}
    source = iter(chunks)
    retry: list[list[tuple[int, T]]] = []
    queue: Any = as_completed(loop=client.loop)  # type: ignore[no-untyped-call]
    # Keys are the scheduler's identity of a task: unique per batch, so that two batches on
    # one scheduler never share a result.
    batch = uuid.uuid4().hex
    serial = itertools.count()

    def submit_next() -> bool:
        items = retry.pop() if retry else next(source, None)
        if items is None:
            return False
        with warnings.catch_warnings():
            # A large document (a PDF of many MB) is sent inside the task; Dask warns.
            warnings.simplefilter("ignore")
            future = client.submit(
                function,
                items,
                **options,
                pure=False,
                key=f"gongkai-audit-{batch}-{next(serial)}",
            )
        pending[future.key] = items
        queue.add(future)
        if submitted is not None:
            for index, _ in items:
                submitted(index)
        return True

    for _ in range(window):
        if not submit_next():
            break
    try:
        for future in queue:
            items = pending.pop(future.key)
            outputs = _outputs_of(future, items, fail, stats)
            future.release()
            if outputs is None:  # its worker died: each document alone, to find the culprit
                retry.extend([item] for item in reversed(items))
            else:
                yield from outputs
            submit_next()
            while queue.is_empty() and retry and submit_next():
                pass
    finally:
        # Stopped early (interrupted, or the caller left): the futures dropped here are the
        # client's last references, so the scheduler forgets their tasks.
        queue.clear()


def _outputs_of(
    future: Any,
    items: list[tuple[int, T]],
    fail: Callable[[tuple[int, T], str], R],
    stats: BatchStats,
) -> list[R] | None:
    """The task's outputs; None when its worker died and it had several items to split."""
    from concurrent.futures import CancelledError

    from distributed import KilledWorker

    try:
        outputs: list[R] = future.result()
    except KilledWorker:
        if len(items) > 1:
            return None
        stats.died += 1
        return [fail(items[0], WORKER_DIED)]
    except (CancelledError, OSError, TimeoutError) as exc:
        # The scheduler went away: it cancels every future of the client.
        raise GongkaiError(
            f"与 Dask 调度器的连接中断（已写出 {stats.lines} 行），批次未完成"
        ) from exc
    except Exception as exc:  # a worker-side failure outside the audit's own guard
        reason = f"集群处理该文件时出错（{type(exc).__name__}），已跳过该文件"
        return [fail(item, reason) for item in items]
    return outputs


def _cluster_threads(client: Any) -> int:
    workers = client.scheduler_info().get("workers", {})
    return sum(int(w.get("nthreads", 1)) for w in workers.values()) or 1


# ---------------------------------------------------------------------------------------------
# Pairing years on a cluster: an index on disk, then a second pass for the pairs
# ---------------------------------------------------------------------------------------------

# A report as it travels to the second pass: its result (JSON) and its compressed tables.
Stored = tuple[str, bytes | None]
# One item of the second pass: this year's report, last year's, the year before's, and the
# earlier report of its own year that its note compares it with; any but the first may be
# missing.
PairItem = tuple[Stored, Stored | None, Stored | None, Stored | None]


@dataclass(frozen=True, slots=True)
class Pairing:
    """How a report found last year's: its index, and whether the unit's name had changed."""

    last: int
    renamed: bool


class YearIndex:
    """The batch's readable reports by unit and year, in SQLite on disk (never in memory).

    It decides pairs exactly as one machine does (:class:`gongkai.core.audit._YearIndex`): the
    same unit key in the year before (the first in input order), else a renamed unit whose
    names of one core form a single chain. A report of a unit and year the batch holds already
    is handed the earlier one its note compares it with, as one machine chooses it (the same
    file listed before, else the first). The findings themselves are then made by the same
    :func:`gongkai.core.audit.cross_year`, so that a line is the same either way.

    Last year's reports named by ``--previous`` come first, under negative indices (one
    machine puts them first too); they are candidates for pairing but have no line of their
    own. A report added with ``candidate`` false waits for its pair but is none itself (the
    batch's own years are not paired, ``--no-pair``, only ``--previous``).
    """

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path)
        self.db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE report (
                idx INTEGER PRIMARY KEY, key TEXT, core TEXT, year INTEGER, path TEXT,
                line TEXT, result TEXT, blob BLOB, candidate INTEGER);
            CREATE TABLE pair (idx INTEGER PRIMARY KEY, last INTEGER, two INTEGER, same INTEGER);
            """
        )

    def add(self, line: str, result: str, blob: bytes | None, *, candidate: bool = True) -> None:
        data = json.loads(line)
        key = unit_key(data["unit"])
        self.db.execute(
            "INSERT INTO report VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                data["index"],
                key,
                unit_core(key),
                data["year"],
                data["path"],
                line,
                result,
                blob,
                candidate,
            ),
        )

    def add_previous(self, earlier: Sequence[AuditResult]) -> int | None:
        """Last year's reports, before the batch; the index of the only one, if one is alone."""
        first = -len(earlier)
        for position, result in enumerate(earlier):
            if pairable(result):
                line = result_line(first + position, result)
                self.add(line, result.model_dump_json(exclude={"tables"}), result.blob())
        alone = [first + i for i, r in enumerate(earlier) if r.readable]
        return alone[0] if len(alone) == 1 and pairable(earlier[alone[0] - first]) else None

    def close(self) -> None:
        self.db.close()

    def finish_loading(self) -> None:
        self.db.executescript(
            """
            CREATE INDEX report_key ON report (key, year, idx);
            CREATE INDEX report_core ON report (core, year, key, idx);
            """
        )

    def find(self, key: str, core: str, year: int) -> Pairing | None:
        (exact,) = self.db.execute(
            "SELECT min(idx) FROM report WHERE key = ? AND year = ? AND candidate", (key, year)
        ).fetchone()
        if exact is not None:
            return Pairing(exact, renamed=False)
        names = [
            k
            for (k,) in self.db.execute(
                "SELECT DISTINCT key FROM report WHERE core = ? AND candidate", (core,)
            )
        ]
        longest = max(names, key=len, default="")
        if not all(longest.endswith(name) for name in names):
            return None
        candidates = self.db.execute(
            "SELECT key, min(idx) FROM report WHERE core = ? AND year = ? AND candidate"
            " GROUP BY key",
            (core, year),
        ).fetchall()
        if len(candidates) != 1:
            return None
        return Pairing(candidates[0][1], renamed=True)

    def same_year(self, idx: int, key: str, year: int, path: str) -> int | None:
        """The report of the batch before ``idx`` with its unit and year that its note compares
        it with: the same file listed before, else the first (see :func:`cross_year`). None
        when the batch's own reports are not paired (``--no-pair``: no report is a candidate)."""
        found = self.db.execute(
            "SELECT idx FROM report WHERE key = ? AND year = ? AND idx >= 0 AND idx < ?"
            " AND candidate ORDER BY path = ? DESC, idx LIMIT 1",
            (key, year, idx, path),
        ).fetchone()
        return None if found is None else int(found[0])

    def pair_all(self, stats: BatchStats, *, trusted: int | None = None) -> Iterator[str]:
        """Record each report's pair and its year's earlier report; yield the lines of the
        reports that have neither.

        ``trusted``: the one ``--previous`` report, paired with a batch of one report whatever
        its name, as one machine trusts the user then.
        """
        rows = self.db.execute(
            "SELECT idx, key, core, year, path, line FROM report WHERE idx >= 0 ORDER BY idx"
        )
        for idx, key, core, year, path, line in rows:
            last = self.find(key, core, year - 1)
            if last is None and trusted is not None:
                last = Pairing(trusted, renamed=False)
            same = self.same_year(idx, key, year, path)
            if last is None and same is None:
                yield line
                continue
            two = self.find(key, core, year - 2) if last is not None else None
            self.db.execute(
                "INSERT INTO pair VALUES (?, ?, ?, ?)",
                (idx, last.last if last else None, two.last if two else None, same),
            )
            if last is not None:
                stats.extra["paired"] = stats.extra.get("paired", 0) + 1
                stats.extra["renamed"] = stats.extra.get("renamed", 0) + last.renamed

    def pairs(self) -> Iterator[tuple[int, PairItem]]:
        """Each pair with the three reports it needs, in input order, one at a time."""
        rows = self.db.execute(
            """
            SELECT pair.idx, this.result, this.blob, last.result, last.blob,
                   two.result, two.blob, same.result, same.blob
            FROM pair
            JOIN report AS this ON this.idx = pair.idx
            LEFT JOIN report AS last ON last.idx = pair.last
            LEFT JOIN report AS two ON two.idx = pair.two
            LEFT JOIN report AS same ON same.idx = pair.same
            ORDER BY pair.idx
            """
        )
        for idx, result, blob, last, last_blob, two, two_blob, same, same_blob in rows:
            yield (
                idx,
                (
                    (result, blob),
                    (last, last_blob) if last else None,
                    (two, two_blob) if two else None,
                    (same, same_blob) if same else None,
                ),
            )


def _rebuilt(stored: Stored) -> AuditResult:
    result, blob = stored
    return AuditResult.model_validate_json(result).with_blob(blob)


def pair_chunk(items: list[tuple[int, PairItem]]) -> list[str]:
    """What a worker runs in the second pass: the cross-year findings of a few pairs, and the
    notes on second reports of a unit's year.

    The same :func:`gongkai.core.audit.cross_year` as on one machine, given only the reports
    the index chose (it finds them again by the same rules, so it pairs them the same way and
    says so in the same words).
    """
    lines: list[str] = []
    for index, (this, last, two, same) in items:
        earlier = [_rebuilt(kept) for kept in (last, two) if kept is not None]
        before = [_rebuilt(same)] if same is not None else []
        [result] = cross_year([_rebuilt(this)], earlier=earlier, pair_years=False, before=before)
        lines.append(result_line(index, result))
    return lines


def stream_paired(
    client: Any,
    docs: Iterable[Source],
    *,
    folder: Path,
    today: dt.date | None = None,
    in_flight: int | None = None,
    chunk: int = CHUNK_DOCUMENTS,
    time_limit: float | None = FILE_TIME_LIMIT,
    stats: BatchStats | None = None,
    submitted: Callable[[int], None] | None = None,
    earlier: Sequence[AuditResult] = (),
    pair_years: bool = True,
    store: ResultStore | None = None,
) -> Iterator[str]:
    """Audit ``docs`` on the cluster and pair each report with its unit's last year.

    First pass: every document audited as by :func:`stream_on_cluster`; a line that cannot
    pair (unreadable, no unit or year) is yielded at once, the others wait in an index on disk
    in ``folder`` with their results and compressed tables. Then the index decides the pairs;
    reports without one are yielded from disk; the pairs go back to the cluster for the
    cross-year rules only. Memory stays flat: the client holds a window of tasks, never the
    batch.

    ``earlier`` are last year's reports named by the user (``--previous``, audited already):
    candidates for every report, as on one machine; without ``pair_years`` they are the only
    candidates.
    """
    stats = stats if stats is not None else BatchStats()
    index = YearIndex(folder / "years.sqlite")
    documents = 0
    try:
        trusted = index.add_previous(earlier)
        for line, result, blob in _stream(
            client,
            docs,
            today=today,
            in_flight=in_flight,
            chunk=chunk,
            time_limit=time_limit,
            stats=stats,
            submitted=submitted,
            keep=True,
        ):
            documents += 1
            if store is not None:
                store.add(None, result, blob, index=json.loads(line)["index"])
            if result is None or not _pairable_line(line):
                stats.count(line)
                if store is not None:
                    store.add(line, None, None)
                yield line
            else:
                index.add(line, result, blob, candidate=pair_years)
        index.finish_loading()
        for line in index.pair_all(stats, trusted=trusted if documents == 1 else None):
            stats.count(line)
            if store is not None:
                store.add(line, None, None)
            yield line

        def fail(item: tuple[int, PairItem], reason: str) -> str:
            # The report was audited; only its comparison with last year is missing.
            return result_line(item[0], _rebuilt(item[1][0]))

        for line in run_chunks(
            client,
            chunked_pairs(index.pairs(), size=max(1, chunk)),
            pair_chunk,
            {},
            fail=fail,
            in_flight=in_flight,
            stats=stats,
        ):
            stats.count(line)
            if store is not None:
                store.add(line, None, None)
            yield line
    finally:
        index.close()


def _pairable_line(line: str) -> bool:
    data = json.loads(line)
    return bool(data["readable"] and data["unit"] is not None and data["year"] is not None)


class ResultStore:
    """Every result of a cluster batch on disk, for the outputs that need them all at once.

    ``--json``, ``--xlsx`` and ``--html`` are written from whole results in input order; a
    batch of any size must not be held for them. Each document's result (without its tables,
    which stay compressed) is kept in SQLite as it arrives, with its final line (whose
    findings include the cross-year ones, and ``previous`` the pairing); :meth:`results` then
    gives them back one at a time in input order, each as the same result one machine would
    hold.
    """

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path)
        self.db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE result (idx INTEGER PRIMARY KEY, result TEXT, blob BLOB, line TEXT);
            """
        )

    def add(
        self, line: str | None, result: str | None, blob: bytes | None, *, index: int | None = None
    ) -> None:
        """Record a document's result (when it came back) and/or its final line."""
        idx = index if index is not None else json.loads(line or "")["index"]
        if result is not None:
            self.db.execute(
                "INSERT INTO result (idx, result, blob) VALUES (?, ?, ?)"
                " ON CONFLICT (idx) DO UPDATE SET result = excluded.result, blob = excluded.blob",
                (idx, result, blob),
            )
        if line is not None:
            self.db.execute(
                "INSERT INTO result (idx, line) VALUES (?, ?)"
                " ON CONFLICT (idx) DO UPDATE SET line = excluded.line",
                (idx, line),
            )

    def __len__(self) -> int:
        (count,) = self.db.execute("SELECT count(*) FROM result WHERE line IS NOT NULL").fetchone()
        return int(count)

    def results(self) -> Iterator[AuditResult]:
        """The results in input order, one at a time (each iteration reads the disk again)."""
        from gongkai.core.audit_result import unreadable
        from gongkai.core.findings import Finding

        rows = self.db.execute(
            "SELECT result, blob, line FROM result WHERE line IS NOT NULL ORDER BY idx"
        )
        for result, blob, line in rows:
            data = json.loads(line)
            if result is None:  # no result came back (a worker or child died, over time)
                yield unreadable(data["path"], data["kind"], data["error"])
                continue
            findings = [Finding.model_validate(f) for f in data["findings"]]
            rebuilt = AuditResult.model_validate_json(result).with_blob(blob)
            yield rebuilt.model_copy(
                update={
                    "findings": findings,
                    "previous": data["previous"],
                    "copy_of": data["copy_of"],
                }
            )

    def view(self) -> StoredResults:
        return StoredResults(self)

    def close(self) -> None:
        self.db.close()


class StoredResults(Sequence[AuditResult]):
    """The store's results as a sequence for the writers: iterated from disk, never held."""

    def __init__(self, store: ResultStore) -> None:
        self.store = store

    def __len__(self) -> int:
        return len(self.store)

    def __iter__(self) -> Iterator[AuditResult]:
        return self.store.results()

    @overload
    def __getitem__(self, position: int) -> AuditResult: ...
    @overload
    def __getitem__(self, position: slice) -> list[AuditResult]: ...
    def __getitem__(self, position: int | slice) -> AuditResult | list[AuditResult]:
        if isinstance(position, slice):
            return [self[i] for i in range(*position.indices(len(self)))]
        size = len(self)
        if not -size <= position < size:
            raise IndexError(position)
        return next(itertools.islice(self.store.results(), position % size, None))


def chunked_pairs(
    items: Iterable[tuple[int, PairItem]], *, size: int
) -> Iterator[list[tuple[int, PairItem]]]:
    chunk: list[tuple[int, PairItem]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
