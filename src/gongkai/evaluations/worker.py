"""The worker that audits the workspace's pending reports, outside any request.

``gongkai evaluate`` runs it in its main thread (until nothing is pending, or with ``--watch``
for good, as a systemd service); ``gongkai serve`` and ``gongkai demo`` run it in a thread
beside the web server, so that one machine needs no other service. Several may run at once, in
one process or many: each report is taken by one of them only
(:func:`gongkai.evaluations.services.claim_next`).

A worker that is stopped gives back the report it was auditing, so that another takes it at
once: ``gongkai evaluate`` on Ctrl+C or ``systemctl stop`` (SIGTERM, made an exception here by
:func:`stopped_by_sigterm`), ``gongkai serve`` when its server stops (:func:`stop_thread`). Only
a worker killed outright leaves its report taken until the claim times out.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Final

from django.db import close_old_connections, connection

from gongkai.evaluations import services

# Seconds a watching worker waits before it looks for pending reports again.
POLL_SECONDS: Final = 5.0

_log = logging.getLogger(__name__)


def run(
    *,
    watch: bool = False,
    stop: threading.Event | None = None,
    poll: float = POLL_SECONDS,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Audit pending reports step by step until none is left, or with ``watch`` until ``stop``
    is set; the number audited. ``progress`` is told the running total after each step.

    A watching worker outlives a failed step (the database busy or restarting): it logs it and
    tries again after ``poll`` seconds. One that does not watch lets the error out."""
    stop = stop or threading.Event()
    total = 0
    try:
        while not stop.is_set():
            _tidy(close_old_connections)  # as a request does: no connection past its age
            try:
                done = services.audit_pending()
            except Exception:
                if not watch:
                    raise
                _log.exception("后台审查出错，%s 秒后重试", poll)
                _tidy(connection.close)
                done = 0
            total += done
            if done and progress is not None:
                progress(total)
            if not done:
                if not watch:
                    break
                stop.wait(poll)
    finally:
        _tidy(connection.close)
    return total


def _tidy(close: Callable[[], None]) -> None:
    """Close this thread's connection, unless it is inside a transaction that is not the
    worker's (a test's, whose rows would be lost)."""
    if not connection.in_atomic_block:
        close()


class Stopped(KeyboardInterrupt):
    """SIGTERM (``systemctl stop``, ``kill``), raised in the main thread as Ctrl+C is: what
    stops on Ctrl+C (waitress, a worker mid-report) stops the same way."""


@contextmanager
def stopped_by_sigterm() -> Iterator[None]:
    """Within the block, SIGTERM raises :class:`Stopped` in the main thread (by default it
    ends the process at once, with no ``finally`` run). Elsewhere than in the main thread,
    where Python cannot set a signal handler, nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise Stopped

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def start_thread(*, poll: float = POLL_SECONDS) -> tuple[threading.Thread, threading.Event]:
    """Run a watching worker in a daemon thread of this process (the web server's): the
    thread and the event that stops it (:func:`stop_thread`)."""
    stop = threading.Event()
    thread = threading.Thread(
        target=run,
        kwargs={"watch": True, "stop": stop, "poll": poll},
        name="gongkai-evaluate",
        daemon=True,
    )
    thread.start()
    return thread, stop


def stop_thread(stop: threading.Event) -> int:
    """Stop the worker thread of a process that is ending (the server stopped): it is told to
    stop, and the report it is auditing, if any, is given back now, since the thread dies with
    the process; how many were given back."""
    stop.set()
    return services.release_held()
