"""``gongkai audit --scheduler``: the batch on a real Dask cluster, started here, gives the
same lines as on one machine; bad addresses, bad files and a dying worker stay bounded.

The cluster is a ``distributed.LocalCluster`` of two worker processes (so that a worker can
really die), shared by the tests of this module and shut down at its end.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gongkai.cli import main
from gongkai.core import audit_child, batch
from gongkai.core.audit import audit_document
from gongkai.core.inputs import iter_documents
from tests.test_audit_child import alive, make_long_pdf

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.slow  # a real cluster of two processes: about 30 s on 2 quiet cores


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        memory_limit="1GiB",
        dashboard_address=":0",  # its HTTP server starts anyway; any free port
        silence_logs=50,
    ) as local:
        yield local


@pytest.fixture(scope="module")
def corpus(shared_dir: Path) -> list[Path]:
    """Every text and HTML report of the corpus and one born-digital PDF (022, 江苏)."""
    reports = shared_dir / "reports"
    files = sorted(p for p in reports.iterdir() if p.suffix in (".txt", ".html"))
    return [*files, reports / "022.pdf"]


@pytest.fixture(scope="module")
def long_pdf(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_long_pdf(shared_dir, tmp_path_factory.mktemp("long"))


def read_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_cluster_lines_equal_the_local_run(
    cluster: Any, corpus: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 200)
    listed = [*corpus, broken, tmp_path / "missing.txt"]
    paths = tmp_path / "paths.txt"
    paths.write_text("".join(f"{p}\n" for p in listed), encoding="utf-8")

    local, remote = tmp_path / "local.jsonl", tmp_path / "cluster.jsonl"
    local_status = main(
        ["audit", "--files-from", str(paths), "--no-pair", "--jobs", "1", "--jsonl", str(local)]
    )
    address = cluster.scheduler_address
    # Chunks of 3 documents: several tasks, one of them with fewer than the others.
    command = ["audit", "--scheduler", address, "--files-from", str(paths), "--no-pair"]
    status = main([*command, "--chunk", "3", "--jsonl", str(remote)])
    err = capsys.readouterr().err
    assert "集群审查完成" in err
    assert "Traceback" not in err

    # Lines are identical byte for byte once put in input order, whatever the completion order.
    local_lines = local.read_text(encoding="utf-8").splitlines()
    remote_lines = remote.read_text(encoding="utf-8").splitlines()
    assert sorted(remote_lines, key=lambda line: json.loads(line)["index"]) == local_lines
    rows = read_lines(remote)
    assert sorted(row["index"] for row in rows) == list(range(len(listed)))
    assert [r["path"] for r in sorted(rows, key=lambda r: r["index"])] == [str(p) for p in listed]
    # Real reports were read (units and years), the bad file and the missing one are lines too.
    by_path = {row["path"]: row for row in rows}
    assert by_path[str(corpus[-1])]["unit"] == "洪泽区人民政府"
    assert by_path[str(corpus[-1])]["year"] == 2023
    assert sum(row["readable"] for row in rows) == len(corpus)
    assert not by_path[str(broken)]["readable"]
    assert by_path[str(broken)]["error"]
    assert "不存在" in by_path[str(tmp_path / "missing.txt")]["error"]
    assert status == local_status == 2


def test_pairing_years_on_the_cluster_equals_the_local_batch(
    cluster: Any, shared_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """022 (洪泽区人民政府 2023) and 023 (淮安市洪泽区人民政府 2024) pair across the rename, and
    the text reports of 平潭 pair by name: each line the same as the local batch's, workers
    reading the files themselves."""
    reports = shared_dir / "reports"
    listed = [reports / "023.pdf", reports / "003.txt", reports / "022.pdf", reports]
    local, remote = tmp_path / "local.jsonl", tmp_path / "cluster.jsonl"
    args = [str(p) for p in listed]
    local_status = main(["audit", *args, "--jobs", "1", "--jsonl", str(local)])
    command = ["audit", "--scheduler", cluster.scheduler_address, *args, "--shared-files"]
    status = main([*command, "--chunk", "4", "--jsonl", str(remote)])
    err = capsys.readouterr().err
    assert status == local_status
    local_lines = local.read_text(encoding="utf-8").splitlines()
    remote_lines = remote.read_text(encoding="utf-8").splitlines()
    assert sorted(remote_lines, key=lambda line: json.loads(line)["index"]) == local_lines

    rows = {row["index"]: row for row in read_lines(remote)}
    notes = {
        i: [f["message"] for f in row["findings"] if f["rule"] == "cross_year.paired"]
        for i, row in rows.items()
    }
    assert any("022.pdf" in n and "变为「淮安市洪泽区人民政府」" in n for n in notes[0])
    paired = sum(1 for n in notes.values() if n)
    # Each paired line names last year's file as data too; the others name none.
    assert rows[0]["previous"] == str(reports / "022.pdf")
    assert sum(1 for row in rows.values() if row["previous"]) == paired
    assert paired >= 5  # 023 and several 平潭 reports (003 with 001, 004 with 003, …)
    # 023, 003 and 022 are listed, then read again in their folder: each second line says so.
    again = [
        row["path"]
        for row in rows.values()
        if any(f["rule"] == "publication.copy" for f in row["findings"])
    ]
    assert sorted(again) == sorted(
        str(reports / name) for name in ("022.pdf", "023.pdf", "003.txt")
    )
    assert f"配对 {paired} 份（其中单位名称变更" in err


def test_second_files_of_one_report_are_noted_on_the_cluster_as_on_one_machine(
    cluster: Any, tmp_path: Path
) -> None:
    """The report, a copy whose table 三 prints other figures, and the first file again: the
    cluster compares each later file with the report one machine compares it with (the same
    file, else the first), in the same words."""
    example = Path(__file__).resolve().parent.parent / "examples" / "quangang-2021.txt"
    text = example.read_text(encoding="utf-8")
    row = "三、本年度办理结果\t(一) 予以公开\t36\t0\t0\t0\t0\t0\t36"
    assert text.count(row) == 1
    first, page = tmp_path / "附件.txt", tmp_path / "网页.txt"
    first.write_text(text, encoding="utf-8")
    page.write_text(text.replace(row, row.replace("36", "35")), encoding="utf-8")
    args = [str(first), str(page), str(first)]
    local, remote = tmp_path / "local.jsonl", tmp_path / "cluster.jsonl"
    local_status = main(["audit", *args, "--jobs", "1", "--jsonl", str(local)])
    status = main(
        ["audit", "--scheduler", cluster.scheduler_address, *args, "--jsonl", str(remote)]
    )
    assert status == local_status
    local_lines = local.read_text(encoding="utf-8").splitlines()
    remote_lines = remote.read_text(encoding="utf-8").splitlines()
    assert sorted(remote_lines, key=lambda line: json.loads(line)["index"]) == local_lines

    notes = [
        [(f["severity"], f["message"]) for f in row["findings"] if f["rule"] == "publication.copy"]
        for row in sorted(read_lines(remote), key=lambda row: row["index"])
    ]
    assert notes[0] == []
    lines = sorted(read_lines(remote), key=lambda row: row["index"])
    assert [row["copy_of"] for row in lines] == [None, str(first), str(first)]
    [(severity, message)] = notes[1]
    assert severity == "warning" and str(first) in message and "2 个数字不同" in message
    assert notes[2] == [("info", f"该文件在本批次中出现了不止一次（{first}），已重复审查")]


@pytest.mark.parametrize(
    ("batch_files", "pair"),
    [
        (["023.pdf", "003.txt", "001.txt"], "--pair"),  # 022 joins the batch's own years
        (["023.pdf", "003.txt", "001.txt"], "--no-pair"),  # 022 the only candidate
        (["004.txt"], "--no-pair"),  # one report, one --previous: trusted, as one machine does
    ],
)
def test_previous_years_pair_on_the_cluster_as_on_one_machine(
    cluster: Any,
    shared_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    batch_files: list[str],
    pair: str,
) -> None:
    reports = shared_dir / "reports"
    args = [str(reports / name) for name in batch_files]
    previous = ["--previous", str(reports / "022.pdf")]
    local, remote = tmp_path / "local.jsonl", tmp_path / "cluster.jsonl"
    local_status = main(["audit", *args, *previous, pair, "--jobs", "1", "--jsonl", str(local)])
    command = ["audit", "--scheduler", cluster.scheduler_address, *args, *previous, pair]
    status = main([*command, "--chunk", "2", "--jsonl", str(remote)])
    err = capsys.readouterr().err
    assert status == local_status
    local_lines = local.read_text(encoding="utf-8").splitlines()
    remote_lines = remote.read_text(encoding="utf-8").splitlines()
    assert sorted(remote_lines, key=lambda line: json.loads(line)["index"]) == local_lines
    notes = [
        f["message"]
        for row in map(json.loads, remote_lines)
        for f in row["findings"]
        if f["rule"] == "cross_year.paired"
    ]
    assert any("022.pdf" in note for note in notes)  # last year's file, named by --previous
    paired = len(notes)
    assert f"配对 {paired} 份" in err
    if pair == "--no-pair":
        assert all("022.pdf" in note for note in notes)


def test_json_and_xlsx_on_the_cluster_equal_the_local_ones(
    cluster: Any, shared_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--json and --xlsx are written from the results kept on disk, in input order: the same
    JSON, the same workbook (every sheet, every cell) as one machine writes — with years
    paired, a report that cannot be read and a path that is missing among them."""
    from openpyxl import load_workbook

    reports = shared_dir / "reports"
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 200)
    listed = [reports / "023.pdf", reports / "003.txt", broken, reports / "022.pdf"]
    listed += [reports / "001.txt", reports / "017.html", tmp_path / "missing.txt"]
    paths = tmp_path / "paths.txt"
    paths.write_text("".join(f"{p}\n" for p in listed), encoding="utf-8")
    outputs = {}
    for mode in ("local", "cluster"):
        where = ["--jobs", "1"] if mode == "local" else ["--scheduler", cluster.scheduler_address]
        more = [] if mode == "local" else ["--chunk", "2"]
        xlsx = tmp_path / f"{mode}.xlsx"
        status = main(
            ["audit", "--files-from", str(paths), *where, *more, "--json", "--xlsx", str(xlsx)]
        )
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        book = load_workbook(xlsx, read_only=True)
        sheets = {
            sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
            for sheet in book.worksheets
        }
        book.close()
        outputs[mode] = (status, captured.out, sheets)
    assert outputs["cluster"] == outputs["local"]
    status, out, sheets = outputs["cluster"]
    data = json.loads(out)
    assert [row["file"] for row in data] == [str(p) for p in listed]
    assert any(f["rule"] == "cross_year.paired" for f in data[0]["findings"])  # 023 with 022
    assert data[0]["tables"]  # the tables came back from the workers
    assert len(sheets) >= 2 and all(len(rows) > 1 for rows in sheets.values())


def test_html_on_the_cluster_equals_the_local_pages(
    cluster: Any, shared_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--html is written from the results kept on disk, read back one at a time in input
    order: the same files with the same bytes as one machine writes — with years paired, a
    report listed twice (its second page numbered), one that cannot be read and a missing
    path among them — and the index lists the inputs in input order."""
    reports = shared_dir / "reports"
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 200)
    listed = [reports / "023.pdf", reports / "003.txt", broken, reports / "022.pdf"]
    listed += [reports / "017.html", reports / "003.txt", tmp_path / "missing.txt"]
    paths = tmp_path / "paths.txt"
    paths.write_text("".join(f"{p}\n" for p in listed), encoding="utf-8")
    pages = {}
    for mode in ("local", "cluster"):
        where = ["--jobs", "1"] if mode == "local" else ["--scheduler", cluster.scheduler_address]
        more = [] if mode == "local" else ["--chunk", "2"]
        folder = tmp_path / mode
        status = main(["audit", "--files-from", str(paths), *where, *more, "--html", str(folder)])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        assert status == 2  # an input could not be read
        pages[mode] = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert pages["cluster"] == pages["local"]
    assert "HTML 页面已写出" in captured.err and not captured.out  # no JSONL without --jsonl
    names = sorted(pages["cluster"])
    assert len(names) == 6 and "index.html" in names  # 5 readable reports (003 twice)
    assert sum(name.startswith("003-") for name in names) == 2
    index = pages["cluster"]["index.html"].decode("utf-8")
    rows = re.findall(r'<tr data-status="[a-z]+"><th scope="row"[^>]*>([^<]*)</th>', index)
    assert rows == [str(p) for p in listed]
    page_023 = next(v for k, v in pages["cluster"].items() if k.startswith("023-"))
    assert b"cross_year.paired" in page_023  # paired with 022 on the cluster too


def test_lines_go_to_stdout_without_jsonl(
    cluster: Any, corpus: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    two = [str(p) for p in corpus[:2]]
    assert main(["audit", "--scheduler", cluster.scheduler_address, *two]) in (0, 1)
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted((row["index"], row["path"]) for row in rows) == list(enumerate(two))
    assert all(row["readable"] and row["unit"] for row in rows)


def test_a_dying_worker_costs_no_line(cluster: Any, corpus: list[Path]) -> None:
    """A worker killed mid-batch: Dask runs its tasks elsewhere, every line still comes."""
    texts = [p for p in corpus if p.suffix == ".txt"][:4] * 4
    expected = {
        batch.result_line(i, audit_document(doc))
        for i, doc in enumerate(iter_documents(list(texts)))
    }
    client = batch.connect(cluster.scheduler_address)
    try:
        victim = next(iter(client.run(os.getpid).values()))
        killed: list[int] = []

        def kill_once(index: int) -> None:
            if index == 6 and not killed:
                os.kill(victim, signal.SIGKILL)
                killed.append(index)

        stats = batch.BatchStats()
        lines = list(
            batch.stream_on_cluster(
                client, batch.iter_lazily(iter(texts)), stats=stats, submitted=kill_once
            )
        )
        assert killed
        assert set(lines) == expected
        assert len(lines) == len(texts)
        assert stats.window <= 8  # the window is bounded, not the whole batch
        client.wait_for_workers(2, timeout=30)  # the nanny restarts it for the next test
    finally:
        client.close()


def test_bad_scheduler_addresses_end_quickly_in_chinese(
    corpus: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "--scheduler", "http://example.org", str(corpus[0])]) == 2
    assert "调度器地址格式不正确" in capsys.readouterr().err
    assert main(["audit", "--scheduler", "tcp://host:70000", str(corpus[0])]) == 2
    assert "调度器地址格式不正确" in capsys.readouterr().err

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    address = f"tcp://127.0.0.1:{port}"
    status = main(["audit", "--scheduler", address, "--connect-timeout", "2", str(corpus[0])])
    err = capsys.readouterr().err
    assert status == 2
    assert "无法连接 Dask 调度器" in err
    assert "Traceback" not in err
    assert time.monotonic() - started < 15


def test_options_that_do_not_apply_to_a_cluster_are_refused(
    corpus: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["audit", "--scheduler", "tcp://127.0.0.1:1", str(corpus[0])]
    assert main([*args, "--jobs", "2"]) == 2
    err = capsys.readouterr().err
    assert "不能与 --jobs 同用" in err
    assert main([*args, "--json", "--jsonl", "-"]) == 2
    assert "不能同时写到标准输出" in capsys.readouterr().err
    assert main(["audit", str(corpus[0]), "--shared-files"]) == 2
    assert "只用于集群模式" in capsys.readouterr().err


def test_addresses_and_path_lists_are_read_as_documented() -> None:
    assert batch.scheduler_address(" 10.0.0.5:8786 ") == "tcp://10.0.0.5:8786"
    assert batch.scheduler_address("tcp://[::1]:08786") == "tcp://[::1]:8786"
    listed = ["a.txt\n", "\n", "# a comment\n", "  \n", "dir with space/b.pdf\r\n"]
    assert list(batch.read_path_list(listed)) == [Path("a.txt"), Path("dir with space/b.pdf")]


def test_local_jsonl_on_stdout_replaces_the_table(
    corpus: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["audit", str(corpus[0]), "--jobs", "1", "--jsonl", "-"])
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1
    row = json.loads(out[0])
    assert (row["index"], row["path"], row["readable"]) == (0, str(corpus[0]), True)
    assert status == (1 if row["errors"] else 0)


def test_a_document_that_kills_every_worker_costs_only_its_own_line(
    corpus: list[Path], tmp_path: Path
) -> None:
    """A chunk whose worker dies on every attempt is split: only the killer's line says so."""
    import dask
    from distributed.diagnostics.plugin import WorkerPlugin

    class Poison(WorkerPlugin):
        """Installed on every worker, also on those the nanny restarts."""

        def setup(self, worker: Any) -> None:
            # The documents are audited in a child of the worker (which would only cost the
            # child); the worker itself dies when its task holds the poison.
            from gongkai.core import batch

            real = batch.audit_chunk

            def audit_chunk(items: list[batch.Item], **options: Any) -> Any:
                if any(source.name.endswith("poison.txt") for _, source in items):
                    os._exit(9)
                return real(items, **options)

            batch.audit_chunk = audit_chunk  # type: ignore[assignment]

    poison = tmp_path / "poison.txt"
    poison.write_text("KILL-THE-WORKER", encoding="utf-8")
    texts = [p for p in corpus if p.suffix == ".txt"][:5]
    listed = [*texts[:2], poison, *texts[2:]]
    # No second attempt: the first death of a task is final (else each costs four restarts).
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        distributed.LocalCluster(
            n_workers=1,
            threads_per_worker=1,
            processes=True,
            memory_limit="1GiB",
            dashboard_address=":0",
            silence_logs=50,
        ) as local,
    ):
        client = batch.connect(local.scheduler_address)
        try:
            client.register_plugin(Poison())
            stats = batch.BatchStats()
            docs = batch.iter_sources(iter(listed), on_workers=True)
            lines = list(batch.stream_on_cluster(client, docs, chunk=6, stats=stats))
        finally:
            client.close()
    rows = {row["path"]: row for row in map(json.loads, lines)}
    assert len(lines) == len(listed)
    assert rows[str(poison)]["error"] == batch.WORKER_DIED
    assert all(rows[str(p)]["readable"] for p in texts)
    assert stats.died == 1


def test_the_time_limit_holds_on_the_workers_as_on_one_machine(
    cluster: Any, corpus: list[Path], long_pdf: Path, tmp_path: Path
) -> None:
    """A report that takes longer than --time-limit is stopped on a worker, whose task threads
    no alarm reaches, with the line one machine writes; the rest of its task is audited."""
    listed = [str(corpus[0]), str(long_pdf), str(corpus[1])]
    local, remote = tmp_path / "local.jsonl", tmp_path / "cluster.jsonl"
    limit = ["--time-limit", "1", "--no-pair"]
    main(["audit", *listed, *limit, "--jobs", "1", "--jsonl", str(local)])
    command = ["audit", "--scheduler", cluster.scheduler_address, *listed, *limit]
    status = main([*command, "--shared-files", "--chunk", "3", "--jsonl", str(remote)])
    local_lines = local.read_text(encoding="utf-8").splitlines()
    remote_lines = remote.read_text(encoding="utf-8").splitlines()
    assert sorted(remote_lines, key=lambda line: json.loads(line)["index"]) == local_lines
    rows = read_lines(remote)
    assert status == 2
    assert [r["index"] for r in rows if not r["readable"]] == [1]
    assert "处理超时" in next(r["error"] for r in rows if r["index"] == 1)


def test_the_workers_children_leave_with_the_cluster(corpus: list[Path]) -> None:
    """Each worker audits in a child process, kept between tasks; when the cluster shuts
    down, the children go too — none left running, none left a zombie."""
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=True,
        memory_limit="1GiB",
        dashboard_address=":0",
        silence_logs=50,
    ) as local:
        client = batch.connect(local.scheduler_address)
        try:
            texts = [p for p in corpus if p.suffix == ".txt"][:4]
            docs = batch.iter_sources(iter(texts * 2), on_workers=True)
            lines = list(batch.stream_on_cluster(client, docs, chunk=2))
            assert len(lines) == 8
            [pids] = client.run(audit_child.child_pids).values()
            assert 1 <= len(pids) <= 2  # one per task thread at most
        finally:
            client.close()
    deadline = time.monotonic() + 15
    while any(map(alive, pids)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(map(alive, pids))
