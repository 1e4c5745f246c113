"""Inputs for fuzzing the auditor: real reports, mutated, and the hostile shapes of issue 10.

Shared by the bounded fuzz test (``tests/test_audit_fuzz.py``, driven by hypothesis) and the
long run (``benchmarks/bench_fuzz.py``, driven by a seeded ``random.Random``): both draw every
choice from a ``random.Random``, so one generator serves both and a failing input can be
made again from its seed.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT.parent / "shared" / "reports"
EXAMPLE = ROOT / "examples" / "quangang-2021.txt"

# How large a generated input may get: big enough for every hostile shape of the issue (a
# 100,000-digit run, a 2,000-deep nesting), small enough for a test that runs in seconds.
MAX_INPUT_BYTES = 600_000


def corpus(*, pdfs: bool = True) -> list[tuple[str, bytes]]:
    """The real reports (and the seed) as (name, bytes)."""
    paths = [EXAMPLE]
    if REPORTS.is_dir():
        kinds = ("*.txt", "*.html", "*.pdf") if pdfs else ("*.txt", "*.html")
        paths += sorted(p for kind in kinds for p in REPORTS.glob(kind) if p.name[0].isdigit())
    return [(p.name, p.read_bytes()) for p in paths]


def _digits(r: random.Random) -> bytes:
    return (r.choice("0123456789") * r.choice((1, 3))).encode() * r.choice(
        (50, 400, 5_000, 20_000, 100_000)
    )


def _number(r: random.Random) -> bytes:
    return r.choice(
        ("9" * 309, "9" * 4301, "1" * 16, "²", ".5", "٦٧", "０７", "1e9", "-0")
    ).encode()


def _markup(r: random.Random) -> bytes:
    return r.choice(("[/zwgk/]", "[www.qg.gov.cn]", "[bold]", "[/]", "[link=x]y", "\\[")).encode()


def _nesting(r: random.Random) -> bytes:
    depth = r.choice((10, 250, 1_000, 2_100))
    tag = r.choice(("div", "span", "table", "td", "b"))
    return f"<{tag}>".encode() * depth + b"x" + f"</{tag}>".encode() * (depth // r.choice((1, 2)))


def _table(r: random.Random) -> bytes:
    cells = "".join(
        f"<td>{r.choice(['9' * 100_000, '0', '', '-', '²', '1,234'])}</td>" for _ in range(7)
    )
    return f"<table><tr><td>一、本年新收政府信息公开申请数量</td>{cells}</tr></table>".encode()


def _pipes(r: random.Random) -> bytes:
    count = r.choice((10, 1_000, 100_000))
    return r.choice(
        (
            "0 |\n" * count,
            "0\n|\n" * count,
            "0 |\n||||||||||\n" * count,
            "|" * count,
            "|\n" * count,
            "| 一、本年新收政府信息公开申请数量 |" + " 1 |" * count,
            "行政复议 " * count + "\n0",
        )
    ).encode()


def _bytes(r: random.Random) -> bytes:
    return bytes(r.randrange(256) for _ in range(r.choice((1, 8, 200))))


def _controls(r: random.Random) -> bytes:
    return r.choice(
        (b"\x00", b"\r", b"\t\t\t", b"\xef\xbb\xbf", b"\xff\xfe", b"\x1b[31m", b"\xed\xa0\x80")
    )


def _flate(r: random.Random) -> bytes:
    payload = zlib.compress(b" " * r.choice((1_000, 4_000_000)), 9)
    return (
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(payload) + payload + b"\nendstream"
    )


SHAPES: Sequence[Callable[[random.Random], bytes]] = (
    _digits, _number, _markup, _nesting, _table, _pipes, _bytes, _controls, _flate,
)  # fmt: skip


def mutate(r: random.Random, data: bytes) -> bytes:
    """A few random edits of ``data``: hostile shapes inserted, slices cut or repeated."""
    for _ in range(r.choice((1, 1, 2, 3, 6))):
        at = r.randrange(len(data) + 1)
        edit = r.randrange(9)
        if edit <= 3:
            data = data[:at] + r.choice(SHAPES)(r) + data[at:]
        elif edit == 4:
            data = data[:at] + data[at + r.randrange(1, 2_000) :]
        elif edit == 5:
            piece = data[at : at + r.randrange(1, 500)]
            data = data[:at] + piece * r.choice((2, 10, 100)) + data[at:]
        elif edit == 6:
            data = data[:at]
        elif edit == 7 and data:
            index = r.randrange(len(data))
            data = data[:index] + bytes([data[index] ^ (1 << r.randrange(8))]) + data[index + 1 :]
        else:
            data = data[:at] + data[at:].replace(b"\t", b"", r.randrange(1, 50))
    return data[:MAX_INPUT_BYTES]


def reencode(r: random.Random, data: bytes) -> bytes:
    """Sometimes the same text in another encoding (Notepad's UTF-16, GB18030, UTF-32)."""
    choice = r.randrange(10)
    if choice > 2 or data.startswith(b"%PDF"):
        return data
    text = data.decode("utf-8", errors="replace")
    encoding = ("utf-16", "utf-32", "gb18030")[choice]
    return text.encode(encoding, errors="replace")


def hostile_input(r: random.Random, reports: Sequence[tuple[str, bytes]]) -> tuple[str, bytes]:
    """One input: a real report mutated (most of the time) or a hostile shape on its own."""
    if r.randrange(10) == 0:
        shape = r.choice(SHAPES)(r)
        return r.choice(("x.txt", "x.html", "x.pdf")), shape
    name, data = r.choice(reports)
    return name, reencode(r, mutate(r, data))
