"""Auditing a batch of any size as a stream of JSON lines, locally or on a Dask cluster.

``gongkai audit`` on one machine holds the whole batch (it pairs each report with its unit's
last year, which needs every result). A province's or the country's reports need more than
one machine and must not be held at all: here each document is audited by the same pure
function as on one machine (:func:`gongkai.core.audit.audit_document`), mapped over a Dask
distributed cluster — an existing engine, nothing home-made — and each result is written as
one JSON line as soon as it arrives. The client never holds more than a small window of
documents in flight and never the list of inputs (paths are walked lazily), so its memory
stays flat whatever the size of the batch.

The line format (:func:`result_line`) is shared with the local ``--jsonl`` output, so the
same file gives the same line either way. Lines come in completion order; ``index`` is the
document's position in the input (paths in the order given, folders walked in sorted order,
archive members in archive order), so sorting by it restores the input order.

Dask is imported only when a cluster is used: ``gongkai`` itself starts without it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import uuid
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from gongkai.core.audit import audit_document
from gongkai.core.audit_result import AuditResult
from gongkai.core.errors import GongkaiError
from gongkai.core.findings import Severity
from gongkai.core.inputs import Document, iter_documents

# Tasks in flight per worker thread: enough that no thread waits for the client between two
# documents, few enough that the client holds only a handful of documents' bytes at once.
IN_FLIGHT_PER_THREAD: Final = 2
MIN_IN_FLIGHT: Final = 4

# Messages Dask keeps per connection for debugging (see :func:`connect`). A scheduler that
# receives the documents keeps them too: start it with
# DASK_DISTRIBUTED__ADMIN__LOW_LEVEL_LOG_LENGTH=10 in its environment.
MESSAGE_LOG_LENGTH: Final = 10

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
        "findings": [f.model_dump(mode="json") for f in result.findings],
    }
    return json.dumps(line, ensure_ascii=False, separators=(",", ":"))


def failure_line(index: int, name: str, kind: str, reason: str) -> str:
    """The line of a document that produced no result at all (its worker died)."""
    from gongkai.core.audit_result import unreadable

    return result_line(index, unreadable(name, kind, reason))


def audit_line(
    index: int, doc: Document, *, today: dt.date | None = None, time_limit: float | None = None
) -> str:
    """What a cluster worker runs: audit one document, return its line (not the report).

    Returning the line rather than the result keeps the parsed report (its tables, its prose)
    on the worker: only a few hundred bytes travel back per document.
    """
    return result_line(index, audit_document(doc, today=today, time_limit=time_limit))


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


def stream_on_cluster(
    client: Any,
    docs: Iterable[Document],
    *,
    today: dt.date | None = None,
    in_flight: int | None = None,
    stats: BatchStats | None = None,
    submitted: Callable[[int], None] | None = None,
) -> Iterator[str]:
    """Audit ``docs`` on the cluster behind ``client``; yield each line as it completes.

    At most ``in_flight`` documents are on the cluster at once (by default a few per worker
    thread): the next document is read and submitted only when a result has come back. A
    document whose worker dies is retried by Dask on another worker (the scheduler's
    ``allowed-failures``); if every attempt kills its worker, its line records that, and the
    batch goes on. ``submitted`` is told each index as it is sent (for tests and progress).
    """
    from distributed import as_completed

    stats = stats if stats is not None else BatchStats()
    threads = _cluster_threads(client)
    window = in_flight or max(MIN_IN_FLIGHT, threads * IN_FLIGHT_PER_THREAD)
    stats.threads, stats.window = threads, window
    stats.workers = len(client.scheduler_info().get("workers", {}))
    pending: dict[str, tuple[int, str, str]] = {}
    source = enumerate(docs)
    queue: Any = as_completed(loop=client.loop)  # type: ignore[no-untyped-call]
    # Keys are the scheduler's identity of a task: unique per batch, so that two batches on
    # one scheduler never share a result.
    batch = uuid.uuid4().hex

    def submit_next() -> bool:
        for index, doc in source:
            with warnings.catch_warnings():
                # A large document (a PDF of many MB) is sent inside the task; Dask warns.
                warnings.simplefilter("ignore")
                future = client.submit(
                    audit_line,
                    index,
                    doc,
                    today=today,
                    pure=False,
                    key=f"gongkai-audit-{batch}-{index}",
                )
            pending[future.key] = (index, doc.name, doc.kind.value)
            queue.add(future)
            if submitted is not None:
                submitted(index)
            return True
        return False

    for _ in range(window):
        if not submit_next():
            break
    try:
        for future in queue:
            index, name, kind = pending.pop(future.key)
            line = _line_of(future, index, name, kind, stats)
            future.release()
            stats.count(line)
            yield line
            submit_next()
    finally:
        # Stopped early (interrupted, or the caller left): the futures dropped here are the
        # client's last references, so the scheduler forgets their tasks.
        queue.clear()


def _line_of(future: Any, index: int, name: str, kind: str, stats: BatchStats) -> str:
    from concurrent.futures import CancelledError

    from distributed import KilledWorker

    try:
        line: str = future.result()
    except KilledWorker:
        stats.died += 1
        return failure_line(index, name, kind, WORKER_DIED)
    except (CancelledError, OSError, TimeoutError) as exc:
        # The scheduler went away: it cancels every future of the client.
        raise GongkaiError(
            f"与 Dask 调度器的连接中断（已写出 {stats.lines} 行），批次未完成"
        ) from exc
    except Exception as exc:  # a worker-side failure outside the audit's own guard
        return failure_line(
            index, name, kind, f"集群处理该文件时出错（{type(exc).__name__}），已跳过该文件"
        )
    return line


def _cluster_threads(client: Any) -> int:
    workers = client.scheduler_info().get("workers", {})
    return sum(int(w.get("nthreads", 1)) for w in workers.values()) or 1
