"""The core's auditor over a batch's documents, and what of its results the workspace keeps.

Each document is audited by :func:`gongkai.core.audit.audit_document` — the function every
``gongkai audit`` worker runs — and the batch's reports of the same unit in consecutive years are
then paired by :func:`gongkai.core.audit.cross_year`, exactly as the command does. It runs in
the request (the batch size is bounded by :mod:`gongkai.evaluations.uploads`), in one process:
a web worker must not fork a process pool.

**Fingerprints.** A finding is judged once and the verdict must survive a re-run (new database
rows) and a re-upload of the same report. Its fingerprint is a hash of

* the report's identity: its unit (by :func:`gongkai.core.model.unit_key`) and year when the
  auditor read them, else the file's SHA-256;
* the rule code;
* the place: the cells it names (sorted), else the sentence it quotes, else its message.
"""

from __future__ import annotations

import hashlib
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any, Final

from gongkai.core.audit import audit_document, cross_year
from gongkai.core.audit_result import AuditResult, unreadable
from gongkai.core.findings import Finding, Severity
from gongkai.core.inputs import Document, Kind
from gongkai.core.model import CellValue, unit_key
from gongkai.core.render.labels import input_kind_label
from gongkai.evaluations.places import regions_of
from gongkai.evaluations.uploads import Upload


@dataclass(frozen=True, slots=True)
class Audited:
    """One document with its audit, ready to be stored."""

    upload: Upload
    sha256: str
    result: AuditResult
    region: str = ""


# Seconds one batch may spend auditing in its request. A quiet core audits a 5-page PDF in
# about 0.4 s and a text or HTML report in under 0.1 s, so a full batch of 40 PDFs takes about
# 16 s; on a loaded server the documents left when the budget is spent are stored unaudited,
# with the reason, and audited by the next re-run.
BATCH_TIME_BUDGET: Final = 120.0


def audit_uploads(uploads: Sequence[Upload], *, budget: float | None = None) -> list[Audited]:
    """Audit every document (never raises: an unreadable file is a result with the reason)."""
    limit = BATCH_TIME_BUDGET if budget is None else budget
    started = time.monotonic()
    results = []
    for upload in uploads:
        document = Document(upload.name, upload.data)
        if time.monotonic() - started > limit:
            results.append(
                unreadable(
                    upload.name,
                    document.kind.value,
                    f"本批次的审查时间已超过 {limit:g} 秒的上限，此文件尚未审查；"
                    "请点击“重新审查本批次”或分批上传",
                )
            )
        else:
            results.append(_named_mismatch(upload, audit_document(document)))
    paired = cross_year(results)
    regions = regions_of(r.unit for r in paired if r.readable and r.unit)
    return [
        Audited(u, hashlib.sha256(u.data).hexdigest(), r, regions.get(r.unit or "", ""))
        for u, r in zip(uploads, paired, strict=True)
    ]


# What a file's extension promises; a file that is something else and cannot be read is told so.
_PROMISED: Final = {
    ".pdf": Kind.PDF,
    ".docx": Kind.DOCX,
    ".doc": Kind.LEGACY_WORD,
    ".wps": Kind.LEGACY_WORD,
}


def _named_mismatch(upload: Upload, result: AuditResult) -> AuditResult:
    """An unreadable file whose content is not what its extension says (a program renamed
    「.pdf」, a web page saved as 「.doc」) says that first: the evaluator must ask the unit for
    the real file, and the core's reason alone (「文件内容为二进制数据」) does not say why."""
    suffix = PurePosixPath(upload.name.rsplit("!", 1)[-1]).suffix.lower()
    promised = _PROMISED.get(suffix)
    if result.readable or promised is None or not upload.data or result.kind == promised:
        return result
    found = "无法识别" if result.kind == Kind.UNKNOWN else f"是{input_kind_label(result.kind)}"
    reason = (
        f"文件扩展名为 {suffix}，内容却{found}，不是{input_kind_label(promised)}文件"
        f"（可能已损坏、下载不完整或被改了扩展名）；{result.reason or ''}"
    )
    return result.model_copy(update={"reason": reason.rstrip("；")})


def identity(result: AuditResult, sha256: str) -> str:
    if result.readable and result.unit and result.year is not None:
        return f"unit:{unit_key(result.unit)}|{result.year}"
    return f"sha256:{sha256}"


def place(finding: Finding) -> str:
    if finding.cells:
        return ";".join(sorted(f"{c.table}/{c.row}/{c.column}" for c in finding.cells))
    return finding.excerpt or finding.message


def fingerprint(report_identity: str, finding: Finding) -> str:
    text = "\x1f".join((report_identity, finding.rule, place(finding)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


def record_fields(audited: Audited) -> dict[str, Any]:
    """The :class:`~gongkai.evaluations.models.EvaluatedReport` fields of one audit."""
    result = audited.result
    ident = identity(result, audited.sha256)
    findings = [
        {**f.model_dump(mode="json"), "fingerprint": fingerprint(ident, f)} for f in result.findings
    ]
    count = {s: sum(1 for f in result.findings if f.severity is s) for s in Severity}
    return {
        "file_name": audited.upload.name[:500],
        "sha256": audited.sha256,
        "size": len(audited.upload.data),
        "data": zlib.compress(audited.upload.data, 6),
        "input_kind": result.kind,
        "readable": result.readable,
        "reason": (result.reason or "")[:500],
        "unit_name": (result.unit or "")[:200],
        "unit_key": unit_key(result.unit or "")[:200],
        "region": audited.region,
        "year": result.year,
        "report_kind": result.report_kind or "",
        "format_version": result.format or "",
        "errors": count[Severity.ERROR],
        "warnings": count[Severity.WARNING],
        "infos": count[Severity.INFO],
        "findings": findings,
        "tables": result.model_dump(mode="json")["tables"] if result.readable else {},
    }


def stored_upload(name: str, data: bytes) -> Upload:
    """A stored report's document again, for a re-run."""
    return Upload(name, zlib.decompress(data))


def findings_of(stored: list[dict[str, Any]]) -> list[tuple[Finding, str]]:
    """The stored findings as the core's objects, each with its fingerprint."""
    out = []
    for item in stored:
        fields = {k: v for k, v in item.items() if k != "fingerprint"}
        out.append((Finding.model_validate(fields), str(item["fingerprint"])))
    return out


def tables_of(stored: dict[str, Any]) -> dict[str, dict[str, dict[str, CellValue]]]:
    """The stored tables with their values typed again (JSON keeps amounts as strings)."""
    return {
        table: {
            row: {col: _value(value) for col, value in cols.items()} for row, cols in rows.items()
        }
        for table, rows in stored.items()
    }


def _value(value: object) -> CellValue:
    if value is None or isinstance(value, int):
        return value
    return Decimal(str(value))
