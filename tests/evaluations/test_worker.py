"""The audit outside the request: an upload stores its reports pending, the worker audits them
in bounded steps, each report taken by one worker only, the batch's years paired once its last
report is audited; ``gongkai evaluate`` runs it."""

from __future__ import annotations

import datetime as dt
import signal
import threading
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from typer.testing import CliRunner

from gongkai.cli import app as cli_app
from gongkai.core.audit_result import unreadable
from gongkai.evaluations import selectors, services, worker
from gongkai.evaluations.models import Batch, EvaluatedReport, EventKind, ReportState

from .conftest import FakeUpload, audit_all, zipped

pytestmark = pytest.mark.django_db


def upload(user: Any, report_bytes: dict[str, bytes]) -> Batch:
    """022 and 023 (one unit, two years) in a zip, then 017: three reports, pending."""
    folder = zipped(
        {"江苏/022.pdf": report_bytes["022.pdf"], "江苏/023.pdf": report_bytes["023.pdf"]}
    )
    return services.batch_create(
        acting_user=user,
        title="三份",
        files=[FakeUpload("江苏.zip", folder), FakeUpload("017.html", report_bytes["017.html"])],
    ).batch


def states(batch: Batch) -> list[str]:
    return list(batch.reports.order_by("position").values_list("state", flat=True))


def test_an_upload_stores_its_reports_pending_and_audits_none(
    evaluator: Any, report_bytes: dict[str, bytes]
) -> None:
    batch = upload(evaluator, report_bytes)

    assert states(batch) == [ReportState.PENDING] * 3
    assert selectors.progress(batch=batch) == selectors.Progress(audited=0, total=3)
    rows = selectors.report_rows(batch=batch)
    assert {r["status"] for r in rows} == {"待审查"}
    assert all(not r["readable"] and r["errors"] == 0 for r in rows)
    assert [r.input_kind for r in batch.reports.order_by("position")] == ["pdf", "pdf", "html"]
    assert list(batch.events.values_list("kind", flat=True)) == [EventKind.UPLOADED]
    assert selectors.batch_events(batch=batch)[0][2] == "上传 3 份报告，在后台审查"
    assert selectors.summary(batch=batch) == []


def test_the_worker_audits_in_bounded_steps_and_pairs_the_years_after_the_last(
    evaluator: Any, report_bytes: dict[str, bytes]
) -> None:
    batch = upload(evaluator, report_bytes)

    assert services.audit_pending(limit=2) == 2

    assert states(batch) == [ReportState.AUDITED, ReportState.AUDITED, ReportState.PENDING]
    later = batch.reports.get(position=1)
    assert later.unit_name == "淮安市洪泽区人民政府" and later.readable
    # Not paired yet: the batch is not complete, and has no 「审查完成」.
    assert not any(f["rule"] == "cross_year.paired" for f in later.findings)
    assert list(batch.events.values_list("kind", flat=True)) == [EventKind.UPLOADED]
    assert selectors.progress(batch=batch) == selectors.Progress(audited=2, total=3)

    assert services.audit_pending(limit=2) == 1
    assert services.audit_pending(limit=2) == 0

    later.refresh_from_db()
    assert any(f["rule"] == "cross_year.paired" for f in later.findings)
    assert later.errors == sum(1 for f in later.findings if f["severity"] == "error")
    assert selectors.progress(batch=batch).complete
    done = batch.events.order_by("pk").last()
    assert done is not None and (done.kind, done.actor) == (EventKind.AUDITED, evaluator)
    rows = EvaluatedReport.objects.filter(batch=batch)
    assert done.data == {
        "reports": 3,
        "errors": sum(r.errors for r in rows),
        "warnings": sum(r.warnings for r in rows),
    }
    assert {r.claim for r in rows} == {""} and {r.claimed_at for r in rows} == {None}


def test_a_report_is_taken_by_one_worker_only(
    evaluator: Any, report_bytes: dict[str, bytes]
) -> None:
    batch = upload(evaluator, report_bytes)
    first = services.claim_next()
    second = services.claim_next()
    third = services.claim_next()

    assert first and second and third
    taken = [first[0], second[0], third[0]]
    assert taken == list(batch.reports.order_by("position").values_list("pk", flat=True))
    assert services.claim_next() is None  # all taken, none audited yet
    assert services.audit_pending() == 0
    # A worker's result is stored only under its own claim.
    assert not services.audit_claimed(report_id=first[0], token=second[1])
    assert services.audit_claimed(report_id=first[0], token=first[1])
    assert not services.audit_claimed(report_id=first[0], token=first[1])  # done already


def test_a_report_left_by_a_dead_worker_is_taken_again_after_the_timeout(
    evaluator: Any, report_bytes: dict[str, bytes]
) -> None:
    upload(evaluator, report_bytes)
    dead = [services.claim_next() for _ in range(3)]
    assert all(dead) and services.claim_next() is None

    later = timezone.now() + services.CLAIM_TIMEOUT + dt.timedelta(seconds=1)
    again = services.claim_next(now=later)

    assert again is not None and dead[0] is not None
    assert again[0] == dead[0][0] and again[1] != dead[0][1]
    assert not services.audit_claimed(report_id=dead[0][0], token=dead[0][1])
    assert services.audit_claimed(report_id=again[0], token=again[1])


def test_a_rerun_marks_every_report_pending_again_and_drops_a_result_in_flight(
    evaluator: Any, report_bytes: dict[str, bytes]
) -> None:
    batch = upload(evaluator, report_bytes)
    audit_all()
    report = batch.reports.get(position=0)
    error = next(f for f in report.findings if f["severity"] == "error")
    services.finding_judge(
        acting_user=evaluator, report_id=report.pk, fingerprint=error["fingerprint"],
        verdict="dismissed", note="已核实",
    )  # fmt: skip
    taken = services.claim_next()
    assert taken is None  # nothing pending

    services.batch_rerun(acting_user=evaluator, batch_id=batch.pk)

    assert states(batch) == [ReportState.PENDING] * 3
    report.refresh_from_db()
    assert (report.findings, report.errors, report.unit_name) == ([], 0, "")
    assert report.data and report.sha256  # the file stays, to be audited again
    assert selectors.batch_events(batch=batch)[-1][2] == "重新审查 3 份报告，在后台审查"
    taken = services.claim_next()
    assert taken is not None
    services.batch_rerun(acting_user=evaluator, batch_id=batch.pk)  # while it is audited
    assert not services.audit_claimed(report_id=taken[0], token=taken[1])
    assert audit_all() == 3
    row = next(r for r in selectors.report_rows(batch=batch) if r["pk"] == report.pk)
    assert (row["open_errors"], row["dismissed_errors"]) == (1, 1)  # the verdict stayed


@pytest.mark.django_db(transaction=True)
def test_two_workers_commit_each_report_once(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("two connections writing at once: PostgreSQL only")
    from gongkai.agencies.models import Role

    user = world.member(Role.EVALUATOR)
    audited: list[str] = []
    lock = threading.Lock()

    def fake_audit(upload: Any, **_: Any) -> Any:
        with lock:
            audited.append(upload.name)
        return unreadable(upload.name, "text", "测试")

    monkeypatch.setattr(services, "audit_one", fake_audit)
    files = [FakeUpload(f"{i}.txt", f"第 {i} 份".encode()) for i in range(12)]
    batch = services.batch_create(acting_user=user, title="并发", files=files).batch

    def work() -> None:
        worker.run()

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert sorted(audited) == sorted(f.name for f in files)
    assert states(batch) == [ReportState.AUDITED] * 12
    assert list(batch.events.values_list("kind", flat=True)) == [
        EventKind.UPLOADED, EventKind.AUDITED,
    ]  # fmt: skip


def test_gongkai_evaluate_audits_until_nothing_is_pending(
    evaluator: Any, report_bytes: dict[str, bytes]
) -> None:
    batch = upload(evaluator, report_bytes)

    result = CliRunner().invoke(cli_app, ["evaluate"])

    assert result.exit_code == 0, result.output
    assert "已审查 3 份报告" in result.output
    assert "没有待审查的报告（本次共审查 3 份）" in result.output
    assert selectors.progress(batch=batch).complete
    again = CliRunner().invoke(cli_app, ["evaluate"])
    assert again.exit_code == 0 and "本次共审查 0 份" in again.output


def test_a_watching_worker_waits_for_more_until_stopped(
    evaluator: Any, report_bytes: dict[str, bytes]
) -> None:
    upload(evaluator, report_bytes)
    stop = threading.Event()
    polls: list[int] = []

    def told(total: int) -> None:
        polls.append(total)
        if total == 3:
            stop.set()

    assert worker.run(watch=True, stop=stop, poll=0.01, progress=told) == 3
    assert polls[-1] == 3


def test_gongkai_serve_runs_the_worker_beside_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """One machine, one service: the web server's process audits the uploads too, and when
    SIGTERM stops the server, its worker is stopped and gives back what it holds."""
    import waitress  # type: ignore[import-untyped]

    from gongkai.web import runner

    started: list[str] = []
    stop = threading.Event()

    def start_thread() -> tuple[None, threading.Event]:
        started.append("worker")
        return None, stop

    def serve(*_: Any, **__: Any) -> None:
        started.append("server")
        try:
            signal.raise_signal(signal.SIGTERM)
        except KeyboardInterrupt:  # what waitress does on Ctrl+C: close, return
            started.append("server stopped")

    monkeypatch.setattr(worker, "start_thread", start_thread)
    monkeypatch.setattr(waitress, "serve", serve)
    monkeypatch.setattr(services, "release_held", lambda: started.append("given back") or 0)

    runner.run_server(host="127.0.0.1", port=0)

    assert started == ["worker", "server", "server stopped", "given back"]
    assert stop.is_set()
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # as it was


def test_sigterm_stops_the_main_thread_as_ctrl_c_does() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with worker.stopped_by_sigterm(), pytest.raises(worker.Stopped):
        signal.raise_signal(signal.SIGTERM)
    assert signal.getsignal(signal.SIGTERM) is before
    assert issubclass(worker.Stopped, KeyboardInterrupt)


def test_a_worker_stopped_mid_report_gives_it_back_at_once(
    evaluator: Any, report_bytes: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = upload(evaluator, report_bytes)
    first = batch.reports.get(position=0)

    def stopped(upload: Any, **_: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(services, "audit_one", stopped)
    with pytest.raises(KeyboardInterrupt):
        services.audit_pending()

    first.refresh_from_db()
    assert (first.state, first.claim, first.claimed_at) == (ReportState.PENDING, "", None)
    again = services.claim_next()
    assert again is not None and again[0] == first.pk  # at once, not after CLAIM_TIMEOUT


def test_a_worker_whose_audit_fails_keeps_the_report_until_the_timeout(
    evaluator: Any, report_bytes: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure is not a stop: given back, a report that fails every time would be taken
    again every few seconds, for ever."""
    batch = upload(evaluator, report_bytes)

    def failed(upload: Any, **_: Any) -> Any:
        raise RuntimeError("数据库已断开")

    monkeypatch.setattr(services, "audit_one", failed)
    with pytest.raises(RuntimeError):
        services.audit_pending()

    again = services.claim_next()
    assert again is not None and again[0] == batch.reports.get(position=1).pk


def test_a_server_stopping_takes_back_the_report_its_worker_holds(
    evaluator: Any, report_bytes: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server stops while its worker thread is mid-report (here: during the audit): the
    report is free at once, and the thread, finishing after all, does not store it."""
    batch = upload(evaluator, report_bytes)
    stop = threading.Event()
    given_back: list[int] = []

    def audit_while_the_server_stops(upload: Any, **_: Any) -> Any:
        given_back.append(worker.stop_thread(stop))
        return unreadable(upload.name, "pdf", "测试")

    monkeypatch.setattr(services, "audit_one", audit_while_the_server_stops)
    assert services.audit_pending(limit=1) == 1

    assert given_back == [1] and stop.is_set()
    first = batch.reports.get(position=0)
    assert (first.state, first.claim, first.reason) == (ReportState.PENDING, "", "")
    assert services.release_held() == 0  # nothing held once the step is over


@pytest.mark.parametrize(
    ("stop", "status"), [(KeyboardInterrupt, 130), (worker.Stopped, 0)], ids=["ctrl-c", "sigterm"]
)
def test_gongkai_evaluate_stops_cleanly(
    evaluator: Any,
    report_bytes: dict[str, bytes],
    monkeypatch: pytest.MonkeyPatch,
    stop: type[BaseException],
    status: int,
) -> None:
    batch = upload(evaluator, report_bytes)
    calls: list[str] = []

    def audit_then_stop(upload: Any, **_: Any) -> Any:
        calls.append(upload.name)
        if len(calls) == 2:
            raise stop
        return unreadable(upload.name, "pdf", "测试")

    monkeypatch.setattr(services, "audit_one", audit_then_stop)
    result = CliRunner().invoke(cli_app, ["evaluate", "--watch"])

    assert result.exit_code == status, result.output
    assert result.output == "已停止：已审查完的报告已保存，未审查完的仍待审查，下次运行时审查\n"
    assert states(batch) == [ReportState.AUDITED, ReportState.PENDING, ReportState.PENDING]
    assert batch.reports.get(position=1).claim == ""


@pytest.mark.django_db(transaction=True)
def test_the_worker_thread_audits_an_upload_in_a_child_process(
    world: Any, report_bytes: dict[str, bytes]
) -> None:
    """The thread of ``gongkai serve`` audits for real (in a child, under the time limit)."""
    if connection.vendor != "postgresql":
        pytest.skip("a second connection sees only committed rows: PostgreSQL only")
    from gongkai.agencies.models import Role

    batch = upload(world.member(Role.EVALUATOR), report_bytes)
    thread, stop = worker.start_thread(poll=0.05)
    try:
        for _ in range(1200):
            if selectors.progress(batch=batch).complete:
                break
            stop.wait(0.1)
    finally:
        stop.set()
        thread.join(timeout=60)

    assert selectors.progress(batch=batch).complete and not thread.is_alive()
    later = batch.reports.get(position=1)
    assert any(f["rule"] == "cross_year.paired" for f in later.findings)
