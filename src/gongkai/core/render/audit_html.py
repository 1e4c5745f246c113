"""The auditor's HTML output: one page per report and an index, for offices and the public.

A page re-draws the report's tables as published (:mod:`gongkai.core.render.tables_html`) with
the cells named by findings highlighted and numbered, and lists every finding with its severity,
category, message, citation and the sentence it came from; each cell a finding names links to
that cell in the redrawn table, which is outlined when reached (CSS ``:target``, no script).
Pages are self-contained files (CSS inlined, no script, no external resource) so that a folder
of them can be mailed, archived or put on any web server. Every string that comes from a
report — unit names, messages, excerpts, file names — is escaped: reports are untrusted input.
Output is deterministic (no time stamps; file names derived from the input name), so the same
batch gives the same files.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import shutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache
from html import escape
from importlib import resources
from pathlib import Path
from typing import Final

from gongkai.core.audit_result import COPY_RULE, LITIGATION_ROWS, SUMMARY_CELLS, AuditResult
from gongkai.core.errors import GongkaiError
from gongkai.core.findings import CellRef, Finding, Severity, sort_findings
from gongkai.core.formats import T4, ReportFormat, get_format
from gongkai.core.inputs import os_reason
from gongkai.core.model import ReportKind
from gongkai.core.render.labels import (
    STATUS_LABELS,
    SUMMARY_KEYS,
    describe_cell,
    input_kind_label,
    summary_labels,
)
from gongkai.core.render.output import move_in, staging
from gongkai.core.render.tables_html import (
    FINDING_ANCHOR,
    Anchors,
    highlights_for,
    number_findings,
    part_caption,
    part_id,
    render_part,
    table_parts,
    unread_rows,
)

INDEX_NAME: Final = "index.html"
# The index's rows, written as the results go by; staged only, never moved in.
_ROWS_NAME: Final = "index-rows.part"
SITE_TITLE: Final = "政府信息公开工作年度报告审查结果"
_SLUG_UNSAFE = re.compile(r"[^0-9A-Za-z_-]+")
_SLUG_MAX: Final = 40
# Findings naming more cells than this list them folded (<details>), not as a wall of text.
CELLS_INLINE: Final = 6
_BLANK: Final = '<span class="blank-mark">空白</span>'
_UNREAD: Final = '<span class="blank-mark">未读出</span>'
# A report paired with last year's names that file in ``AuditResult.previous`` and in the note
# core.audit adds (``cross_year.paired``); the page links it to last year's page when that
# report is in the batch. A second report of a unit's year names the first in ``copy_of`` and
# in its note (``publication.copy``), and links to its page, always written before it.
PAIRED_RULE: Final = "cross_year.paired"
_IN_BATCH: Final = "（本批已审查，点击文件名查看其审查结果）"
_NOT_IN_BATCH: Final = (
    "（不在本批审查的报告之中，由 --previous 指定，只用于跨年度核对，没有单独的结果页）"
)


def write_audit_html(results: Iterable[AuditResult], directory: Path) -> list[Path]:
    """Write a page per readable report and ``index.html`` into ``directory`` (created if needed).

    ``results`` is read once, in order, and no result is kept: each page is written as its
    result arrives and the index keeps one short row of text per input on disk, so a batch of
    any size (a cluster's, read back from disk one result at a time) needs no more memory than
    one report. Returns the paths written, the index first, then the pages in input order.
    Unreadable inputs have no page; the index lists them with the reason. A report paired
    with last year's links to last year's page when that report is in the batch, before or
    after it (:class:`_PreviousLinks`), and names it as plain text when it is not. Existing
    files of the same names are replaced; other files in the directory are left alone.
    """
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GongkaiError(f"无法创建 HTML 输出目录 {directory}：{os_reason(exc)}") from None
    # Every page is made in a staging folder first and moved in at the end, the index last:
    # an interruption leaves the previous pages and index as they were, and an index never
    # links to a page that was not written.
    try:
        with staging(directory) as staged:
            namer = PageNamer()
            links = _PreviousLinks(staged)
            tally = _Tally()
            pages: list[str] = []
            rows_path = staged / _ROWS_NAME
            with rows_path.open("w", encoding="utf-8") as rows:
                for result in results:
                    name = namer.name(result)
                    if name is not None:
                        href = links.href(result, name, namer)
                        first = namer.page_of(result.copy_of) if result.copy_of else None
                        page = render_page(result, previous_href=href, copy_href=first)
                        _write(staged / name, page)
                        links.written(result, name)
                        pages.append(name)
                    tally.add(result)
                    rows.write(index_row(result, name))
            links.unlink_missing()
            _write_index(staged / INDEX_NAME, tally, rows_path)
            move_in(staged, directory, [*pages, INDEX_NAME])
    except OSError as exc:
        raise GongkaiError(f"无法写入 HTML 页面到 {directory}：{os_reason(exc)}") from None
    return [directory / INDEX_NAME, *(directory / name for name in pages)]


class PageNamer:
    """Names pages one result at a time, in input order, as :func:`page_names` does for a list.

    A name depends only on the input's name and on the names given before it (a repeat gets
    a numbered suffix), so only those names are kept, never the results; with each name a
    64-bit fingerprint of the input's full name, so that a page can be found by its input
    (:meth:`page_of`) without mistaking another input whose name hashes alike.
    """

    def __init__(self) -> None:
        self.used: dict[str, int] = {INDEX_NAME: -1}

    def name(self, result: AuditResult) -> str | None:
        """File name of this result's page (None for unreadable inputs): a slug plus a hash.

        The hash of the full input name keeps names distinct when two inputs share a base
        name (same file name in two folders or archives); a result listed twice gets a
        numbered suffix.
        """
        if not result.readable:
            return None
        name = self.next_name(result.file)
        self.used[name] = _fingerprint(result.file)
        return name

    def next_name(self, file: str) -> str:
        """The name a page of input ``file`` would get now, before that page is written."""
        return next(name for name in self._candidates(file) if name not in self.used)

    def page_of(self, file: str) -> str | None:
        """The name of the first page already given to input ``file``, if any."""
        mark = _fingerprint(file)
        for name in self._candidates(file):
            if name not in self.used:
                return None
            if self.used[name] == mark:
                return name
        return None  # pragma: no cover

    @staticmethod
    def _candidates(file: str) -> Iterator[str]:
        base = re.split(r"[/\\!]", file)[-1]
        stem = base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base
        slug = _SLUG_UNSAFE.sub("-", stem).strip("-_")[:_SLUG_MAX].strip("-_") or "report"
        digest = hashlib.sha256(file.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        yield f"{slug}-{digest}.html"
        for counter in itertools.count(2):
            yield f"{slug}-{digest}-{counter}.html"


def _fingerprint(file: str) -> int:
    digest = hashlib.sha256(file.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[5:13], "big")


def page_names(results: Iterable[AuditResult]) -> list[str | None]:
    """File name of each result's page (None for unreadable inputs), as :class:`PageNamer`."""
    namer = PageNamer()
    return [namer.name(result) for result in results]


def _write(path: Path, text: str) -> Path:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise GongkaiError(f"无法写入 HTML 文件 {path}：{os_reason(exc)}") from None
    return path


# --------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------


@cache
def stylesheet() -> str:
    return (resources.files("gongkai.core.render") / "static" / "audit.css").read_text("utf-8")


def _document(title: str, body: str) -> str:
    head, tail = _document_frame(title)
    return head + body + tail


def _document_frame(title: str) -> tuple[str, str]:
    """What comes before and after a page's body (the index streams its body in between)."""
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="gongkai">\n'
        f"<title>{escape(title)}</title>\n<style>\n{stylesheet()}</style>\n</head>\n"
        "<body>\n",
        "\n<footer>由 gongkai 审查生成。高亮的单元格为问题所涉及之处；"
        "斜纹单元格为原报告空白（不同于 0）。</footer>\n</body>\n</html>\n",
    )


def _text(value: object, empty: str = "—") -> str:
    return escape(str(value)) if value not in (None, "") else empty


def report_title(result: AuditResult) -> str:
    unit = result.unit or Path(result.file).name
    year = f"{result.year} 年度" if result.year is not None else ""
    return f"{unit}{year}政府信息公开工作年度报告"


def _kind_label(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return ReportKind(value).label
    except ValueError:
        return value


def _format_label(fmt: ReportFormat | None, version: str | None) -> str | None:
    if fmt is None:
        return version
    return f"{fmt.version} 年版（{fmt.document}）"


def _counts(result: AuditResult) -> dict[Severity, int]:
    return {s: sum(1 for f in result.findings if f.severity is s) for s in Severity}


def _status(result: AuditResult) -> str:
    status = result.status
    return f'<span class="status status-{status}">{escape(STATUS_LABELS[status])}</span>'


def render_page(
    result: AuditResult,
    *,
    index_href: str = INDEX_NAME,
    previous_href: str | None = None,
    copy_href: str | None = None,
) -> str:
    """The page of one readable report.

    ``previous_href`` is the page of last year's report when it is in the same batch: the
    pairing is then a link; without it last year's file is named as plain text. ``copy_href``
    is likewise the page of the earlier report of the same unit and year (``copy_of``).
    """
    fmt = get_format(result.format) if result.format else None
    findings = sort_findings(list(result.findings))
    counts = _counts(result)
    title = report_title(result)
    meta = [
        ("文件", _text(result.file)),
        ("输入类型", _text(input_kind_label(result.kind))),
        ("单位", _text(result.unit)),
        ("单位类别", _text(_kind_label(result.report_kind))),
        ("年度", _text(result.year)),
        ("格式", _text(_format_label(fmt, result.format))),
        ("发布日期", _text(result.published.isoformat() if result.published else None)),
        ("审查结论", _status(result)),
        ("问题", "，".join(f"{s.label} {counts[s]} 项" for s in Severity)),
    ]
    previous = result.previous
    if previous is not None:
        meta.insert(5, ("上一年度报告", _previous_meta(previous, previous_href)))
    if result.copy_of is not None:
        at = 6 if previous is not None else 5
        meta.insert(at, ("同一年度的前一份报告", _previous_meta(result.copy_of, copy_href)))
    links = {PAIRED_RULE: (previous, previous_href), COPY_RULE: (result.copy_of, copy_href)}
    parts = [
        f'<nav class="crumbs"><a href="{escape(index_href)}">← 返回{SITE_TITLE}总览</a></nav>',
        f"<h1>{escape(title)}审查结果</h1>",
        '<dl class="meta">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in meta) + "</dl>",
    ]
    if fmt is not None:
        parts.append(_summary(result, fmt))
    # The tables are drawn first (shown last): the list of findings links only to cells that
    # were drawn, at the ids the painter gave them.
    anchors: Anchors = {}
    tables = _tables(result, fmt, findings, anchors) if fmt is not None else ""
    parts.append(_findings_list(findings, fmt, links, anchors))
    if tables:
        parts.append(tables)
    return _document(f"{title}审查结果", "\n".join(parts))


def _summary(result: AuditResult, fmt: ReportFormat) -> str:
    labels = summary_labels(fmt)
    keys = [k for k in SUMMARY_KEYS if k in result.summary] + [
        k for k in result.summary if k not in SUMMARY_KEYS
    ]
    head = "".join(f'<th scope="col">{escape(labels.get(k, k))}</th>' for k in keys)
    # A figure of a row the parser could not read is 「未读出」, not blank (the report may
    # well print it); litigation adds two rows.
    unread = unread_rows(result.findings)
    rows: dict[str, tuple[tuple[str, str], ...]] = {
        key: ((table, row),) for key, table, row, _column in SUMMARY_CELLS
    }
    rows["litigation_total"] = tuple((T4, row) for row in LITIGATION_ROWS)
    cells = "".join(
        "<td>"
        + _text(
            result.summary[k],
            _UNREAD if any(r in unread for r in rows.get(k, ())) else _BLANK,
        )
        + "</td>"
        for k in keys
    )
    return (
        '<h2 id="summary">主要数字</h2><div class="table-wrap"><table class="summary">'
        "<caption>表三、表四总计列的主要数字（空白表示原报告未填写，未读出表示原报告的数字"
        "未能读出）</caption>"
        f"<thead><tr>{head}</tr></thead><tbody><tr>{cells}</tr></tbody></table></div>"
    )


def _findings_list(
    findings: Sequence[Finding],
    fmt: ReportFormat | None,
    links: Mapping[str, tuple[str | None, str | None]] | None = None,
    anchors: Mapping[CellRef, str] | None = None,
) -> str:
    """The findings numbered 1… N in order (as :func:`number_findings` numbers them for the
    tables), each its own entry and anchor even when equal to another; a cell one names links
    to where ``anchors`` says it was drawn, and ``links`` (by rule: the file a note names, its
    page) link the pairing note to last year's page and the copy note to the earlier one's."""
    if not findings:
        return '<h2 id="findings">问题清单</h2><p class="none">未发现问题。</p>'
    items = []
    named = links or {}
    for number, finding in enumerate(findings, 1):
        sev = finding.severity.value
        file, href = named.get(finding.rule, (None, None))
        parts = [
            '<div class="finding-head">'
            f'<span class="finding-no">{number}.</span>'
            f'<span class="sev sev-{sev}">{escape(finding.severity.label)}</span>'
            f'<span class="category">{escape(finding.category.label)}</span>'
            f'<code class="rule">{escape(finding.rule)}</code></div>',
            f'<p class="message">{_message(finding, file, href)}</p>',
        ]
        if finding.cells:
            where = "；".join(_cell_ref(fmt, ref, anchors or {}) for ref in finding.cells)
            if len(finding.cells) <= CELLS_INLINE:
                parts.append(f'<p class="cells">涉及单元格：{where}</p>')
            else:
                # A rule about a whole column or table names dozens of cells: fold the list.
                parts.append(
                    f'<details class="cells"><summary>涉及 {len(finding.cells)} 个单元格'
                    f"（已在表格中高亮），展开查看</summary><p>{where}</p></details>"
                )
        if finding.citation:
            parts.append(f'<p class="citation">依据：{escape(finding.citation)}</p>')
        if finding.excerpt:
            parts.append(
                f'<blockquote class="excerpt"><span class="category">原文：</span>'
                f"{escape(finding.excerpt)}</blockquote>"
            )
        items.append(
            f'<li id="{FINDING_ANCHOR}{number}" class="finding sev-border-{sev}" '
            f'data-rule="{escape(finding.rule)}" data-severity="{sev}">' + "".join(parts) + "</li>"
        )
    return (
        f'<h2 id="findings">问题清单（{len(findings)} 项）</h2>'
        '<ol class="findings">' + "".join(items) + "</ol>"
    )


def _cell_ref(fmt: ReportFormat | None, ref: CellRef, anchors: Mapping[CellRef, str]) -> str:
    """A cell as the printed table names it, escaped; a link to it when it was drawn."""
    text = escape(describe_cell(fmt, ref) if fmt else f"{ref.table}/{ref.row}/{ref.column}")
    anchor = anchors.get(ref)
    if anchor is None:
        return text
    return f'<a class="cell-link" href="#{escape(anchor)}">{text}</a>'


def _message(finding: Finding, file: str | None, href: str | None) -> str:
    """A finding's message, escaped; the file a note names (last year's in the pairing note,
    the earlier report's in the copy note) is a link."""
    text = finding.message
    at = text.find(file) if file else -1
    if file is None or at < 0:
        return escape(text)
    end = at + len(file)
    return escape(text[:at]) + _previous_ref(file, href) + escape(text[end:])


def _previous_ref(file: str, href: str | None) -> str:
    if href is None:
        return f'<span class="previous-file">{escape(file)}</span>'
    return f'<a class="previous-file" href="{escape(href)}">{escape(file)}</a>'


def _previous_meta(file: str, href: str | None) -> str:
    note = _IN_BATCH if href is not None else _NOT_IN_BATCH
    return f'{_previous_ref(file, href)}<span class="previous-note">{escape(note)}</span>'


class _PreviousLinks:
    """Links from a page to last year's page, written as the pages stream by.

    Last year's report may come after this year's in the batch, so its page may not exist
    yet; but the name it will get is known (:meth:`PageNamer.next_name`), so the link is
    written at once and remembered until that input's page is written (and corrected in the
    unlikely case that its name was taken in between). A link whose page never came (last
    year's report named only by ``--previous``, so not in the batch) is turned into plain text
    before the pages are moved in. Only links still waiting are kept, never results.
    """

    def __init__(self, staged: Path) -> None:
        self.staged = staged
        # last year's file -> [(this year's page, the href written in it)]
        self.waiting: dict[str, list[tuple[str, str]]] = {}

    def href(self, result: AuditResult, name: str, namer: PageNamer) -> str | None:
        """The link for ``result``'s page ``name`` (just named by ``namer``), if any."""
        file = result.previous
        if file is None or file == result.file:
            return None
        written = namer.page_of(file)
        if written is not None:
            return written
        target = namer.next_name(file)
        self.waiting.setdefault(file, []).append((name, target))
        return target

    def written(self, result: AuditResult, name: str) -> None:
        """``result``'s page is ``name``: the links waiting for it now lead somewhere."""
        for page, href in self.waiting.pop(result.file, ()):
            if href != name:
                self._relink(page, result.file, href, name)

    def unlink_missing(self) -> None:
        """Last year's reports that had no page in the batch: named as plain text."""
        for file, pages in self.waiting.items():
            for page, href in pages:
                self._relink(page, file, href, None)
        self.waiting.clear()

    def _relink(self, page: str, file: str, old: str, new: str | None) -> None:
        path = self.staged / page
        text = path.read_text(encoding="utf-8")
        text = text.replace(_previous_meta(file, old), _previous_meta(file, new))
        text = text.replace(_previous_ref(file, old), _previous_ref(file, new))
        _write(path, text)


def _tables(
    result: AuditResult,
    fmt: ReportFormat,
    findings: Sequence[Finding],
    anchors: Anchors | None = None,
) -> str:
    """The redrawn tables, ``findings`` numbered 1… N in order as the list numbers them;
    ``anchors`` receives where each named cell was drawn."""
    marks = highlights_for(findings)
    numbering = number_findings(findings)
    out = ['<h2 id="tables">表格（按原报告重绘，问题单元格已高亮）</h2>']
    for part in table_parts(fmt):
        codes = {t.code for t in part}
        out.append(
            '<div class="table-wrap">'
            + render_part(
                fmt, part, result.tables, highlights=marks, numbering=numbering, anchors=anchors
            )
            + "</div>"
        )
        here = [
            (number, f)
            for number, f in enumerate(findings, 1)
            if any(ref.table in codes for ref in f.cells)
        ]
        if here:
            caption = part_caption(fmt, part)
            items = "".join(
                f'<li><a href="#{FINDING_ANCHOR}{number}">[{number}]</a> '
                f'<span class="sev sev-{f.severity.value}">{escape(f.severity.label)}</span> '
                f"{escape(f.message)}</li>"
                for number, f in here
            )
            out.append(
                f'<ul class="table-findings" aria-label="{escape(caption)}中的问题" '
                f'data-for="{escape(part_id(part))}">{items}</ul>'
            )
    return "\n".join(out)


class _Tally:
    """What the index's lead sentence counts, kept as the results go by."""

    def __init__(self) -> None:
        self.total = 0
        self.by_status = dict.fromkeys(STATUS_LABELS, 0)

    def add(self, result: AuditResult) -> None:
        self.total += 1
        self.by_status[result.status] += 1

    def lead(self) -> str:
        by_status = self.by_status
        readable = self.total - by_status["unreadable"]
        return (
            f"共 {self.total} 个文件：读取 {readable} 份报告，"
            f"其中{STATUS_LABELS['errors']} {by_status['errors']} 份、"
            f"{STATUS_LABELS['findings']} {by_status['findings']} 份、"
            f"{STATUS_LABELS['ok']} {by_status['ok']} 份；"
            f"{STATUS_LABELS['unreadable']} {by_status['unreadable']} 个。"
        )


def index_row(result: AuditResult, name: str | None) -> str:
    """The overview's row of one input: its page's link, or the reason it could not be read."""
    counts = _counts(result)
    if name is not None:
        detail = f'<a href="{escape(name)}">查看</a>'
    else:
        detail = f'<span class="reason">{_text(result.reason)}</span>'
    numbers = "".join(
        f'<td class="n">{counts[s] if result.readable else "—"}</td>' for s in Severity
    )
    return (
        f'<tr data-status="{result.status}"><th scope="row" class="file">{_text(result.file)}</th>'
        f'<td class="unit">{_text(result.unit)}</td><td class="code">{_text(result.year)}</td>'
        f'<td class="code">{_text(result.format)}</td>{numbers}'
        f'<td class="verdict">{_status(result)}</td><td class="detail">{detail}</td></tr>'
    )


def _write_index(path: Path, tally: _Tally, rows: Path) -> None:
    """The overview, one row per input: the rows are copied from ``rows`` as a stream."""
    head, tail = _document_frame(SITE_TITLE)
    columns = "".join(
        f'<th scope="col">{h}</th>'
        for h in ("文件", "单位", "年度", "格式", "错误", "警告", "提示", "审查结论", "详情")
    )
    try:
        with path.open("w", encoding="utf-8") as out, rows.open(encoding="utf-8") as source:
            out.write(
                f"{head}<h1>{SITE_TITLE}</h1><p>{escape(tally.lead())}</p>"
                '<div class="table-wrap"><table class="list"><caption>逐份报告审查结论</caption>'
                f"<thead><tr>{columns}</tr></thead><tbody>"
            )
            shutil.copyfileobj(source, out)
            out.write(f"</tbody></table></div>{tail}")
    except OSError as exc:
        raise GongkaiError(f"无法写入 HTML 文件 {path}：{os_reason(exc)}") from None
