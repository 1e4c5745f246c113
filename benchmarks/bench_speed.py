"""How long the whole audit of one real report takes, beside the floor of reading the same file.

Run: ``.venv/bin/python benchmarks/bench_speed.py [--runs 21] [--pdf-runs 5]``
(``--only html``, ``--only text`` or ``--only pdf`` for one format).

Target (issue 12, item 5): the audit of an HTML or text report ≤ 5 × its floor; a born-digital
PDF ≤ 0.3 s per 10 pages.

"The audit" is what ``gongkai audit FILE`` does for one file: :func:`audit_file` (read the file,
sniff its kind, parse it, every consistency rule, every narrative check). The floor is the least
any reader of the same file must do, measured on the same file in the same run, interleaved with
the audit so that both see the same machine:

- HTML: read the file and parse it with lxml (``lxml.html.document_fromstring``), nothing else;
- text: read the file, decode it (UTF-8, else GB18030) and split it into lines. A second,
  informational floor adds the NFKC normalisation every reader of Chinese text needs (full-width
  digits and brackets) — the ratio against it is printed too, but the target is judged on the
  strict floor;
- PDF: the target is absolute; for scale the floor printed is pypdfium2 opening the file and
  extracting the text of every page. Each PDF is measured again as a copy whose pages are
  stored turned a quarter with ``/Rotate 90`` (a landscape section as Word prints it), which
  must read as fast.

Inputs are every report in ``shared/reports`` and ``shared/seed`` beside the checkout. Times are
CPU times of this process (the machine is shared; CPU time does not count the other jobs,
though an overloaded machine still slows both sides, through shared caches: the ratio is the
robust figure, the PDF seconds are not), the median of ``--runs`` interleaved runs per file; a
format's ratio is the sum of its files' median audit times over the sum of their median floors.
Every audit is checked to have read a report, so a fast failure cannot pass for speed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

import lxml.html
import pypdfium2

from gongkai.core.audit import FILE_TIME_LIMIT, audit_file

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from tests.parse.synth import stored_turned  # noqa: E402


def corpus() -> list[Path]:
    files = sorted((SHARED / "reports").glob("[0-9]*.*")) + sorted((SHARED / "seed").glob("*.*"))
    files = [p for p in files if p.suffix in (".html", ".htm", ".txt", ".pdf")]
    if not files:
        sys.exit(f"找不到语料：{SHARED / 'reports'}（需要把 shared/ 放在仓库旁边）")
    return files


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def html_floor(path: Path) -> object:
    return lxml.html.document_fromstring(path.read_bytes())


def text_floor(path: Path) -> object:
    return decode(path.read_bytes()).splitlines()


def text_floor_nfkc(path: Path) -> object:
    return unicodedata.normalize("NFKC", decode(path.read_bytes())).splitlines()


def pdf_floor(path: Path) -> object:
    pdf = pypdfium2.PdfDocument(path.read_bytes())
    try:
        texts = []
        for page in pdf:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        pdf.close()


def audit(path: Path) -> object:
    result = audit_file(path, time_limit=FILE_TIME_LIMIT)
    if not result.readable:
        raise SystemExit(f"{path.name}: 未能读出报告：{result.reason}")
    return result


def cpu(fn: Callable[[Path], object], path: Path) -> float:
    start = time.process_time()
    fn(path)
    return time.process_time() - start


def measure(
    path: Path, runs: int, floors: list[Callable[[Path], object]]
) -> tuple[float, list[float]]:
    """Median audit time and median floor times of one file, runs interleaved."""
    audit(path)  # warm: imports, caches of the label patterns
    for fn in floors:
        fn(path)
    audits: list[float] = []
    floor_times: list[list[float]] = [[] for _ in floors]
    for _ in range(runs):
        for times, fn in zip(floor_times, floors, strict=True):
            times.append(cpu(fn, path))
        audits.append(cpu(audit, path))
    return statistics.median(audits), [statistics.median(t) for t in floor_times]


def pages(path: Path) -> int:
    pdf = pypdfium2.PdfDocument(path.read_bytes())
    try:
        return len(pdf)
    finally:
        pdf.close()


def turned_copy(path: Path, directory: Path) -> Path:
    """A copy of the PDF whose every page is stored turned a quarter, shown upright by
    ``/Rotate 90`` (a landscape section as Word prints it)."""
    copy = directory / f"{path.stem}-rotate90.pdf"
    copy.write_bytes(stored_turned(path.read_bytes(), (90,)))
    return copy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=21, help="runs per HTML or text file")
    parser.add_argument("--pdf-runs", type=int, default=5, help="runs per PDF")
    parser.add_argument(
        "--only", choices=["html", "text", "pdf"], default=None, help="one format only"
    )
    args = parser.parse_args()
    kinds = {"html": (".html", ".htm"), "text": (".txt",), "pdf": (".pdf",)}
    files = [p for p in corpus() if args.only is None or p.suffix in kinds[args.only]]
    verdicts = []

    html = [p for p in files if p.suffix in (".html", ".htm")]
    if html:
        total_audit = total_floor = 0.0
        for path in html:
            took, (floor,) = measure(path, args.runs, [html_floor])
            total_audit += took
            total_floor += floor
            print(
                f"HTML {path.name:28} audit {took * 1000:7.2f} ms  lxml {floor * 1000:6.2f} ms"
                f"  ratio {took / floor:5.1f}"
            )
        ratio = total_audit / total_floor
        print(f"HTML: {len(html)} files, audit / lxml parse = {ratio:.1f} (target ≤ 5)")
        verdicts.append(f"HTML ≤ 5× {'met' if ratio <= 5 else 'MISSED'}")

    text = [p for p in files if p.suffix == ".txt"]
    if text:
        total_audit = total_floor = total_nfkc = 0.0
        for path in text:
            took, (floor, nfkc) = measure(path, args.runs, [text_floor, text_floor_nfkc])
            total_audit += took
            total_floor += floor
            total_nfkc += nfkc
            print(
                f"text {path.name:28} audit {took * 1000:7.2f} ms  "
                f"read+decode+split {floor * 1000:6.3f} ms (ratio {took / floor:6.1f})  "
                f"+NFKC {nfkc * 1000:6.3f} ms (ratio {took / nfkc:5.1f})"
            )
        ratio = total_audit / total_floor
        print(
            f"text: {len(text)} files, audit / (read+decode+split) = {ratio:.1f} (target ≤ 5); "
            f"audit / (read+decode+NFKC+split) = {total_audit / total_nfkc:.1f}"
        )
        verdicts.append(f"text ≤ 5× {'met' if ratio <= 5 else 'MISSED'}")

    pdfs = [p for p in files if p.suffix == ".pdf"]
    if pdfs:
        per_ten: list[float] = []
        with tempfile.TemporaryDirectory(prefix="bench_speed_") as directory:
            turned = [turned_copy(p, Path(directory)) for p in pdfs]
            for path in [*pdfs, *turned]:
                took, (floor,) = measure(path, args.pdf_runs, [pdf_floor])
                count = pages(path)
                per_ten.append(took / count * 10)
                print(
                    f"PDF  {path.name:28} {count:2d} pages  audit {took:6.3f} s "
                    f"= {took / count * 10:6.3f} s per 10 pages  (pypdfium2 text {floor:6.3f} s)"
                )
        worst = max(per_ten)
        print(
            f"PDF: {len(pdfs)} files and their turned copies, "
            f"median {statistics.median(per_ten):.3f} s, "
            f"worst {worst:.3f} s per 10 pages (target ≤ 0.3 s)"
        )
        verdicts.append(f"PDF ≤ 0.3 s/10 pages {'met' if worst <= 0.3 else 'MISSED'}")
    print("targets (CPU time, one core): " + "; ".join(verdicts))


if __name__ == "__main__":
    main()
