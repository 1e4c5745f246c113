"""A child process that audits documents, so that a thread can bound each file's time.

The per-file time limit is an alarm (:func:`gongkai.core.audit._time_limit`), and an alarm
rings only in a process's main thread. A Dask worker runs its tasks in threads, and the other
way to stop a thread — an asynchronous exception sent into it — hung processes and was
removed. So a worker's task hands its documents to a child process of its own
(``python -m gongkai.core.audit_child``), which audits them one after the other in its main
thread, where the alarm rings as on one machine and writes the same line. The task's thread
only waits, at most the limit and a grace period per document: a child that is over time
(stuck in C code, where no alarm reaches, or stopped) or that dies (a crash, the kernel's
out-of-memory killer) is killed; the document gets the same line as on one machine — over
time, or its process died — and a fresh child audits the rest of the task.

The protocol is a pickled message behind an 8-byte length, on the child's stdin and stdout:
``ready`` once the child has imported the auditor; for a request (all the documents of one
task, in one message: a round trip per task, not per document) ``start`` with each document's
kind as the child begins it, then ``done`` with its line. Pickle is safe here: both ends are
this package, and nothing else writes to the pipes.

A process keeps its idle children (:data:`CHILDREN`) for its next tasks: a child is started
when a thread first needs one, and the threads of a worker never share one at a time. They
leave when the process exits (at exit, or when their stdin closes, or when their parent is
gone); a child that is killed is always waited for, so none is left a zombie.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import errno
import logging
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO, Final

from gongkai.core.audit import PROCESS_DIED, over_time

# Seconds a child may take, beyond the time limit, to answer for a document: the alarm rings
# at the limit and the child then writes at once, so this only covers a loaded machine.
GRACE: Final = 5.0

# Seconds a new child may take to import the auditor and say it is ready.
STARTUP: Final = 60.0

# A crash is tried once more in a fresh child (as one machine runs a document again alone when
# its process died), so that a child killed from outside costs no document.
ATTEMPTS: Final = 2

_HEADER = struct.Struct(">Q")
_READ: Final = 1 << 20
_log = logging.getLogger(__name__)

# One item: the document's index in the input, and the document or the path the child reads.
Item = tuple[int, Any]
# What the child returns for one item (:data:`gongkai.core.batch.Kept`).
Kept = tuple[str, str | None, bytes | None]


class ChildGoneError(Exception):
    """The child died, closed its end, or did not answer in time."""

    def __init__(self, late: bool) -> None:
        super().__init__("late" if late else "gone")
        self.late = late


class CannotStartError(Exception):
    """No child could be started here (no interpreter, no process left, no import)."""


def _expect(message: Any, tag: str) -> Any:
    """The payload of a message of this kind; anything else means the child is not sane."""
    if not (isinstance(message, tuple) and len(message) == 2 and message[0] == tag):
        raise ChildGoneError(late=False)
    return message[1]


def available() -> bool:
    """Whether children can be waited for with a deadline here (POSIX pipes and poll)."""
    return hasattr(select, "poll") and hasattr(signal, "setitimer")


class Child:
    """One child process and its two pipes, used by one thread at a time."""

    def __init__(self) -> None:
        package = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        # The child imports the same gongkai as this process, wherever that came from.
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package, env.get("PYTHONPATH")) if p)
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", "from gongkai.core.audit_child import main; main()"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
                close_fds=True,
            )
        except OSError as exc:
            raise CannotStartError(str(exc)) from exc
        assert self.process.stdin is not None and self.process.stdout is not None
        self._to = self.process.stdin.fileno()
        self._from = self.process.stdout.fileno()
        os.set_blocking(self._to, False)
        os.set_blocking(self._from, False)
        try:
            _expect(self.receive(time.monotonic() + STARTUP), "ready")
        except ChildGoneError as gone:
            self.kill()
            reason = "子进程启动超时" if gone.late else "子进程未能就绪"
            raise CannotStartError(reason) from gone
        except BaseException:
            self.kill()
            raise

    @property
    def pid(self) -> int:
        return self.process.pid

    def send(self, message: object, deadline: float | None) -> None:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(_HEADER.pack(len(data)) + data)
        while view:
            self._wait(self._to, select.POLLOUT, deadline)
            try:
                written = os.write(self._to, view)
            except BlockingIOError:
                continue
            except OSError as exc:  # the child has gone (EPIPE)
                raise ChildGoneError(late=False) from exc
            view = view[written:]

    def receive(self, deadline: float | None) -> Any:
        (size,) = _HEADER.unpack(self._read(_HEADER.size, deadline))
        return pickle.loads(self._read(size, deadline))  # noqa: S301 - our own child

    def _read(self, size: int, deadline: float | None) -> bytes:
        parts: list[bytes] = []
        left = size
        while left:
            self._wait(self._from, select.POLLIN, deadline)
            try:
                part = os.read(self._from, min(left, _READ))
            except BlockingIOError:
                continue
            if not part:  # end of file: the child has gone
                raise ChildGoneError(late=False)
            parts.append(part)
            left -= len(part)
        return b"".join(parts)

    @staticmethod
    def _wait(fd: int, event: int, deadline: float | None) -> None:
        poller = select.poll()
        poller.register(fd, event)
        while True:
            timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                ready = poller.poll(None if timeout is None else int(timeout * 1000) + 1)
            except InterruptedError:  # pragma: no cover - PEP 475 retries poll itself
                continue
            if ready:
                return  # readable, writable, or hung up: the read or write tells which
            if deadline is not None and time.monotonic() >= deadline:
                raise ChildGoneError(late=True)

    def kill(self) -> None:
        """Kill it and wait for it (no zombie), whatever state it is in (even stopped)."""
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        self.process.wait()
        self._close_pipes()

    def close(self, timeout: float = 5.0) -> None:
        """Let it finish: its stdin closes, it leaves; killed if it does not in ``timeout``."""
        self._close_pipes()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def _close_pipes(self) -> None:
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()


class Children:
    """This process's children, one per thread auditing at a time, kept for the next task."""

    def __init__(self, *, grace: float = GRACE) -> None:
        self.grace = grace
        self._lock = threading.Lock()
        self._idle: list[Child] = []
        self._busy: set[Child] = set()
        self._owner = os.getpid()
        self._registered = False

    def audit(
        self,
        items: Sequence[Item],
        *,
        today: dt.date | None,
        time_limit: float | None,
        keep: bool,
        started: Callable[[int, int], None] | None = None,
    ) -> list[Kept]:
        """Each item's line (and with ``keep`` its result for pairing), audited in a child.

        ``started`` is told the position of each document in ``items`` and the child's process
        id as the child begins it.
        """
        from gongkai.core.batch import audit_here, failure_line, source_kind, source_name

        out: list[Kept] = []
        crashes = 0
        while len(out) < len(items):
            rest = list(items[len(out) :])
            try:
                child = self._take()
            except CannotStartError as exc:
                # Rather the batch without its time limit than no batch: as before children.
                _log.warning("审查子进程无法启动（%s），本任务的文件在工作进程内审查", exc)
                return [*out, *audit_here(rest, today=today, time_limit=time_limit, keep=keep)]
            kind: str | None = None
            try:
                child.send(("audit", rest, today, time_limit, keep), self._deadline(time_limit))
                for _ in rest:
                    kind = None
                    kind = _expect(child.receive(self._deadline(time_limit)), "start")
                    if started is not None:
                        started(len(out), child.pid)
                    out.append(_expect(child.receive(self._deadline(time_limit)), "done"))
                    crashes = 0
            except ChildGoneError as gone:
                self._drop(child)
                index, source = items[len(out)]
                name, kind = source_name(source), kind or source_kind(source)
                if gone.late and time_limit is not None:
                    out.append((failure_line(index, name, kind, over_time(time_limit)), None, None))
                    crashes = 0
                    continue
                crashes += 1
                if crashes >= ATTEMPTS:
                    out.append((failure_line(index, name, kind, PROCESS_DIED), None, None))
                    crashes = 0
                continue
            except BaseException:
                self._drop(child)  # its state is unknown: never reuse it
                raise
            self._give_back(child)
        return out

    def _deadline(self, time_limit: float | None) -> float | None:
        if time_limit is None:
            return None
        return time.monotonic() + time_limit + self.grace

    def _take(self) -> Child:
        with self._lock:
            if os.getpid() != self._owner:  # a forked copy: the children are the parent's
                self._idle, self._busy, self._owner = [], set(), os.getpid()
                self._registered = False
            if not self._registered:
                atexit.register(self.close)
                self._registered = True
            if self._idle:
                child = self._idle.pop()
                self._busy.add(child)
                return child
        child = Child()
        with self._lock:
            self._busy.add(child)
        return child

    def _give_back(self, child: Child) -> None:
        with self._lock:
            self._busy.discard(child)
            self._idle.append(child)

    def _drop(self, child: Child) -> None:
        with self._lock:
            self._busy.discard(child)
        child.kill()

    def pids(self) -> list[int]:
        """The process ids of the children alive now (idle and busy)."""
        with self._lock:
            return [c.pid for c in (*self._idle, *self._busy)]

    def close(self) -> None:
        """End every child: the idle ones leave by themselves, busy ones are killed."""
        with self._lock:
            idle, busy = self._idle, list(self._busy)
            self._idle, self._busy = [], set()
        for child in idle:
            child.close()
        for child in busy:
            child.kill()


# The children of this process (a Dask worker's): started when first needed, kept till exit.
CHILDREN: Final = Children()


def child_pids() -> list[int]:
    """This process's children (a function, so that ``client.run`` can ask each worker)."""
    return CHILDREN.pids()


# ---------------------------------------------------------------------------------------------
# The child's side
# ---------------------------------------------------------------------------------------------


def _serve(requests: BinaryIO, answers: BinaryIO) -> None:
    from gongkai.core.batch import audit_item, read_source

    def send(message: object) -> None:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        answers.write(_HEADER.pack(len(data)) + data)
        answers.flush()

    send(("ready", None))
    while True:
        header = requests.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return  # the parent closed our stdin: leave
        (size,) = _HEADER.unpack(header)
        body = requests.read(size)
        if len(body) < size:
            return
        _, items, today, time_limit, keep = pickle.loads(body)  # noqa: S301 - our parent
        for index, source in items:
            doc = read_source(source)
            send(("start", doc.kind.value))
            send(("done", audit_item(index, doc, today=today, time_limit=time_limit, keep=keep)))


def _leave_with_parent(parent: int) -> None:
    """A child whose parent died while it was stuck leaves too (else it would run forever)."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(0)


def main() -> None:
    # The terminal's Ctrl-C goes to the whole process group; the parent decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()
    threading.Thread(target=_leave_with_parent, args=(parent,), daemon=True).start()
    # The protocol has stdout to itself: anything printed goes to stderr instead.
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    try:
        _serve(sys.stdin.buffer, answers)
    except BrokenPipeError:
        pass  # the parent has gone
    except OSError as exc:  # pragma: no cover - the pipes failed otherwise
        if exc.errno != errno.EPIPE:
            raise


if __name__ == "__main__":
    main()
