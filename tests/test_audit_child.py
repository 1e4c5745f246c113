"""The child process a cluster worker's thread audits in: the time limit of one machine, and a
child that hangs or dies costs its document only, leaving no process behind.

The children are driven from a thread of this process, as a Dask worker drives them from its
task threads (where no alarm rings). A child "stuck in C code" is a child stopped with SIGSTOP:
neither can run the alarm's handler, so only the parent's deadline ends it.
"""

from __future__ import annotations

import io
import os
import pickle
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from gongkai.core import audit_child, batch
from gongkai.core.audit import PROCESS_DIED, over_time
from gongkai.core.audit_result import unreadable
from gongkai.core.inputs import Document

pytestmark = pytest.mark.skipif(not audit_child.available(), reason="POSIX only")


@pytest.fixture(scope="module")
def texts(shared_dir: Path) -> list[Path]:
    return sorted((shared_dir / "reports").glob("0*.txt"))[:3]


def make_long_pdf(shared_dir: Path, folder: Path) -> Path:
    """A real report's pages 30 times over (150 pages): seconds of work, no trick inside."""
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument((shared_dir / "reports" / "022.pdf").read_bytes())
    long = pdfium.PdfDocument.new()
    for _ in range(30):
        long.import_pages(source)
    buffer = io.BytesIO()
    long.save(buffer)
    path = folder / "long.pdf"
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture(scope="module")
def long_pdf(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_long_pdf(shared_dir, tmp_path_factory.mktemp("long"))


@pytest.fixture
def children() -> Iterator[audit_child.Children]:
    own = audit_child.Children(grace=0.5)
    yield own
    pids = own.pids()
    own.close()
    assert own.pids() == []
    for pid in pids:
        assert not alive(pid)


def alive(pid: int) -> bool:
    """Whether the process exists and is not a zombie (a child not waited for)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "zombie" not in status


def in_thread(function: Callable[[], Any]) -> Any:
    """Run it in a thread, as a Dask worker runs a task (the alarm cannot ring there)."""
    box: list[Any] = []
    thread = threading.Thread(target=lambda: box.append(function()))
    thread.start()
    thread.join(120)
    assert box, "the thread did not finish"
    return box[0]


def lines_of(kept: list[audit_child.Kept]) -> list[str]:
    return [line for line, _, _ in kept]


def test_a_child_gives_the_lines_of_one_machine_and_is_reused(
    children: audit_child.Children, texts: list[Path], tmp_path: Path
) -> None:
    broken = Document("broken.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 200)
    items: list[batch.Item] = [
        *((i, batch.SharedPath(str(p))) for i, p in enumerate(texts)),
        (3, broken),
        (4, batch.SharedPath(str(tmp_path / "missing.txt"))),
    ]
    expected = batch.audit_here(items, today=None, time_limit=60, keep=True)

    def run() -> list[audit_child.Kept]:
        return children.audit(items, today=None, time_limit=60, keep=True)

    assert in_thread(run) == expected
    [pid] = children.pids()
    assert in_thread(run) == expected
    assert children.pids() == [pid]  # the same child, kept for the next task
    assert any(result for _, result, _ in expected)  # pairing results travel back too


def test_two_threads_get_a_child_each(children: audit_child.Children, texts: list[Path]) -> None:
    items: list[batch.Item] = [(i, batch.SharedPath(str(p))) for i, p in enumerate(texts)]
    expected = lines_of(batch.audit_here(items, today=None, time_limit=60, keep=False))
    results: list[list[str]] = []
    threads = [
        threading.Thread(
            target=lambda: results.append(
                lines_of(children.audit(items, today=None, time_limit=60, keep=False))
            )
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert results == [expected, expected]
    assert 1 <= len(children.pids()) <= 2


def test_the_alarm_stops_a_slow_report_in_the_child_as_on_one_machine(
    children: audit_child.Children, texts: list[Path], long_pdf: Path
) -> None:
    """150 real pages take seconds; the limit is one: the child's alarm stops it, and the line
    is the one a batch on one machine writes; the next document is audited by the same child."""
    one_machine = batch.audit_item(
        1, Document(str(long_pdf), long_pdf.read_bytes()), today=None, time_limit=1, keep=False
    )
    assert over_time(1) in one_machine[0]
    items: list[batch.Item] = [
        (0, batch.SharedPath(str(texts[0]))),
        (1, batch.SharedPath(str(long_pdf))),
        (2, batch.SharedPath(str(texts[1]))),
    ]
    out = in_thread(lambda: children.audit(items, today=None, time_limit=1, keep=False))
    here = batch.audit_here([items[0], items[2]], today=None, time_limit=1, keep=False)
    assert out == [here[0], one_machine, here[1]]
    assert len(children.pids()) == 1  # the alarm, not a kill: the child lives on


def test_a_child_that_stops_answering_is_killed_and_the_rest_audited(
    children: audit_child.Children, texts: list[Path], long_pdf: Path
) -> None:
    """Stopped in the middle of the long report (as if stuck where no alarm reaches): after
    the limit and the grace its document gets the one-machine over-time line — with its
    kind, which the child said as it began — and a fresh child audits the rest."""
    items: list[batch.Item] = [
        (0, batch.SharedPath(str(texts[0]))),
        (1, batch.SharedPath(str(long_pdf))),
        (2, batch.SharedPath(str(texts[1]))),
    ]
    stopped: list[int] = []

    def stop(position: int, pid: int) -> None:
        if position == 1:
            os.kill(pid, signal.SIGSTOP)
            stopped.append(pid)

    started = time.monotonic()
    out = in_thread(
        lambda: children.audit(items, today=None, time_limit=2, keep=False, started=stop)
    )
    took = time.monotonic() - started
    here = batch.audit_here([items[0], items[2]], today=None, time_limit=2, keep=False)
    late = batch.result_line(1, unreadable(str(long_pdf), "pdf", over_time(2)))
    assert out == [here[0], (late, None, None), here[1]]
    assert 2 <= took < 60
    assert not alive(stopped[0])  # killed and waited for
    assert stopped[0] not in children.pids()


@pytest.mark.parametrize("kills", [1, 2])
def test_a_child_that_dies_is_replaced_and_twice_costs_its_document_only(
    children: audit_child.Children,
    texts: list[Path],
    long_pdf: Path,
    shared_dir: Path,
    kills: int,
) -> None:
    """Killed once in the middle of a document (from outside, as the kernel's OOM killer
    would): the document is audited again in a fresh child. Killed on every attempt: its
    line says its process died, as on one machine, and the rest of the task is audited.
    (Killed once, a real five-page report is audited in full; killed twice, the long one is
    never finished, so that it is surely still running when it is killed.)"""
    pdf = long_pdf if kills == 2 else shared_dir / "reports" / "022.pdf"
    items: list[batch.Item] = [
        (0, batch.SharedPath(str(texts[0]))),
        (1, Document(str(pdf), pdf.read_bytes())),
        (2, batch.SharedPath(str(texts[1]))),
    ]
    killed: list[int] = []

    def kill(position: int, pid: int) -> None:
        if position == 1 and len(killed) < kills:
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    out = in_thread(
        lambda: children.audit(items, today=None, time_limit=60, keep=False, started=kill)
    )
    here = batch.audit_here([items[0], items[2]], today=None, time_limit=60, keep=False)
    assert [out[0], out[2]] == here
    assert len(killed) == kills
    if kills == 2:
        died = batch.result_line(1, unreadable(str(long_pdf), "pdf", PROCESS_DIED))
        assert out[1] == (died, None, None)
    else:
        assert out[1] == batch.audit_here([items[1]], today=None, time_limit=60, keep=False)[0]
    assert not any(alive(pid) for pid in killed)


def test_children_leave_with_their_process(texts: list[Path], tmp_path: Path) -> None:
    """A process that exits takes its children along; one that is killed outright leaves
    children that end by themselves (their stdin closes), never one left running."""
    script = tmp_path / "parent.py"
    script.write_text(
        "import sys, threading\n"
        "from gongkai.core import audit_child, batch\n"
        "items = [(0, batch.SharedPath(sys.argv[1]))]\n"
        "t = threading.Thread(target=batch.audit_chunk, args=(items,))\n"
        "t.start(); t.join()\n"
        "print(*audit_child.CHILDREN.pids(), flush=True)\n"
        "if sys.argv[2] == 'wait':\n"
        "    sys.stdin.read()\n",
        encoding="utf-8",
    )
    env = dict(os.environ, PYTHONPATH=str(Path(batch.__file__).parents[2]))
    for how in ("exit", "wait"):
        parent = subprocess.Popen(
            [sys.executable, str(script), str(texts[0]), how],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        assert parent.stdout is not None and parent.stdin is not None
        [pid] = map(int, parent.stdout.readline().split())
        if how == "wait":
            parent.kill()
        parent.wait(60)
        parent.stdout.close()
        parent.stdin.close()
        deadline = time.monotonic() + 10
        while alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(pid), how


def frame(message: object) -> bytes:
    data = pickle.dumps(message)
    return struct.pack(">Q", len(data)) + data


def frames(data: bytes) -> list[Any]:
    stream, out = io.BytesIO(data), []
    while header := stream.read(8):
        (size,) = struct.unpack(">Q", header)
        out.append(pickle.loads(stream.read(size)))
    return out


def test_the_childs_side_of_the_protocol(texts: list[Path], tmp_path: Path) -> None:
    """What the child answers (run here on in-memory pipes): ready; for each document of a
    request its kind as it begins, then its line; it leaves at the end of its input, also
    when a request is cut short."""
    items: list[batch.Item] = [
        (7, batch.SharedPath(str(texts[0]))),
        (8, batch.SharedPath(str(tmp_path / "missing.txt"))),
    ]
    request = frame(("audit", items, None, 60.0, False))
    answers = io.BytesIO()
    audit_child._serve(io.BytesIO(request + request[:20]), answers)
    expected = batch.audit_here(items, today=None, time_limit=60.0, keep=False)
    assert frames(answers.getvalue()) == [
        ("ready", None),
        ("start", "text"),
        ("done", expected[0]),
        ("start", "text"),  # sniffed from its name: there are no bytes
        ("done", expected[1]),
    ]


def test_without_a_child_the_task_is_audited_in_its_thread(
    texts: list[Path], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """No interpreter to start, or one that leaves at once: the task is still audited (in the
    worker's thread, as before children), and the worker's log says why."""
    items: list[batch.Item] = [(0, batch.SharedPath(str(texts[0])))]
    expected = batch.audit_here(items, today=None, time_limit=60, keep=False)
    for executable in ("/nonexistent/python", "/bin/true"):
        monkeypatch.setattr(audit_child.sys, "executable", executable)
        own = audit_child.Children()
        out = in_thread(partial(own.audit, items, today=None, time_limit=60, keep=False))
        assert out == expected
        assert own.pids() == []
    assert "审查子进程无法启动" in caplog.text


def test_a_child_left_in_an_unknown_state_is_never_reused(
    children: audit_child.Children, texts: list[Path]
) -> None:
    items: list[batch.Item] = [(0, batch.SharedPath(str(texts[0])))]
    seen: list[int] = []

    def interrupted(position: int, pid: int) -> None:
        seen.append(pid)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        children.audit(items, today=None, time_limit=None, keep=False, started=interrupted)
    assert children.pids() == []
    assert not alive(seen[0])
    # Without a time limit the child is waited for as long as it takes.
    out = in_thread(lambda: children.audit(items, today=None, time_limit=None, keep=False))
    assert out == batch.audit_here(items, today=None, time_limit=None, keep=False)


def test_a_message_out_of_turn_means_the_child_is_not_sane() -> None:
    with pytest.raises(audit_child.ChildGoneError):
        audit_child._expect(("done", None), "start")
    with pytest.raises(audit_child.ChildGoneError):
        audit_child._expect("ready", "ready")
