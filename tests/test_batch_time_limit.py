"""The per-file time limit where no alarm rings: in a thread, as on a Dask worker.

A worker audits in threads; SIGALRM only reaches the main thread. The limit must still stop
a file that loops, and must leave the thread alone once the file is done.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from gongkai.core import audit
from gongkai.core.audit import audit_document
from gongkai.core.audit_result import AuditResult
from gongkai.core.inputs import Document


def in_a_thread(work: list[Document], limit: float, pause: float = 0.0) -> list[AuditResult]:
    results: list[AuditResult] = []

    def run() -> None:
        for doc in work:
            results.append(audit_document(doc, time_limit=limit))
            time.sleep(pause)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive()
    return results


def test_a_looping_file_is_stopped_in_a_thread(
    shared_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = audit.parse_document

    def loops_on_marker(data: bytes, name: str = "") -> object:
        if data.startswith(b"LOOP"):
            while True:
                time.sleep(0.01)
        return real(data, name=name)

    monkeypatch.setattr(audit, "parse_document", loops_on_marker)
    report = (shared_dir / "reports" / "001.txt").read_bytes()
    started = time.perf_counter()
    # After the stopped file, the thread waits past the timer's next ring: nothing fires into
    # the next audit, which must finish normally.
    stopped, after = in_a_thread(
        [Document("loop.txt", b"LOOP forever"), Document("001.txt", report)], 1, pause=2.5
    )
    assert time.perf_counter() - started < 10
    assert not stopped.readable
    assert "超时" in (stopped.reason or "") and "（1 秒）" in (stopped.reason or "")
    assert after.readable and after.unit


def test_a_quick_file_is_not_touched_after_it_ends(shared_dir: Path) -> None:
    """A file done well within the limit: the timer must not ring later in the thread."""
    report = (shared_dir / "reports" / "003.txt").read_bytes()
    docs = [Document(f"{i}.txt", report) for i in range(3)]
    results = in_a_thread(docs, 0.5, pause=0.7)
    assert len(results) == 3
    assert all(r.readable for r in results)
