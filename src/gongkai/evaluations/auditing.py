"""The core's auditor over a batch's documents, and what of its results the workspace keeps.

Each document is audited by :func:`gongkai.core.audit.audit_document` — the function every
``gongkai audit`` worker runs — under the core's per-file time limit, and the batch's reports
of the same unit in consecutive years are then paired by :func:`gongkai.core.audit.cross_year`,
exactly as the command does. Nothing here runs in a request: the upload only stores the files,
and a worker (``gongkai evaluate``, or the thread of ``gongkai serve``) audits them one at a
time (:func:`gongkai.evaluations.services.audit_pending`).

**Fingerprints.** A finding is judged once and the verdict must survive a re-run (new database
rows) and a re-upload of the same report. Its fingerprint is a hash of

* the report's identity: its unit (by :func:`gongkai.core.model.unit_key`) and year when the
  auditor read them, else the file's SHA-256;
* the rule code;
* the place: the cells it names (sorted), else the sentence it quotes, else its message.
"""

from __future__ import annotations

import hashlib
import json
import threading
import zlib
from collections.abc import Sequence
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any, Final

from gongkai.core import audit_child
from gongkai.core.audit import FILE_TIME_LIMIT, audit_document, cross_year
from gongkai.core.audit_result import AuditResult, unreadable
from gongkai.core.findings import Finding, Severity
from gongkai.core.inputs import Document, Kind
from gongkai.core.model import CellValue, unit_key
from gongkai.core.render.labels import input_kind_label
from gongkai.evaluations.places import regions_of
from gongkai.evaluations.uploads import Upload


def audit_one(upload: Upload, *, time_limit: float = FILE_TIME_LIMIT) -> AuditResult:
    """One document's own audit (never raises: an unreadable file is a result with the reason),
    stopped after ``time_limit`` seconds wherever it runs.

    The core's limit is an alarm, which rings only in a main thread: ``gongkai evaluate``
    audits there; the worker thread of ``gongkai serve`` hands the document to a child process
    (:mod:`gongkai.core.audit_child`) that audits it in its own main thread and is killed if it
    does not answer in time."""
    document = Document(upload.name, upload.data)
    if threading.current_thread() is threading.main_thread() or not audit_child.available():
        result = audit_document(document, time_limit=time_limit)
    else:
        result = _audit_in_child(document, time_limit=time_limit)
    return _named_mismatch(upload, result)


def _audit_in_child(document: Document, *, time_limit: float) -> AuditResult:
    [(line, kept, blob)] = audit_child.CHILDREN.audit(
        [(0, document)], today=None, time_limit=time_limit, keep=True
    )
    if kept is None:  # over time or its process died: the line says why
        told = json.loads(line)
        return unreadable(document.name, str(told["kind"]), str(told["error"]))
    return AuditResult.model_validate_json(kept).with_blob(blob)


def pair_years(results: Sequence[AuditResult]) -> list[tuple[AuditResult, str]]:
    """The batch's own audits with its years paired, each with its region (which the units of
    the whole batch decide)."""
    paired = cross_year(list(results))
    regions = regions_of(r.unit for r in paired if r.readable and r.unit)
    return [(r, regions.get(r.unit or "", "")) for r in paired]


def region_alone(result: AuditResult) -> str:
    """A report's region before its batch is complete (:func:`pair_years` decides it then)."""
    if not (result.readable and result.unit):
        return ""
    return regions_of([result.unit]).get(result.unit, "")


def kept_fields(result: AuditResult) -> dict[str, Any]:
    """What is kept of a report's own audit for pairing its batch later (:func:`kept_result`)."""
    return {
        "own_result": json.loads(result.model_dump_json(exclude={"tables"})),
        "own_report": result.blob(),
    }


def kept_result(own_result: dict[str, Any], own_report: bytes | memoryview | None) -> AuditResult:
    return AuditResult.model_validate(own_result).with_blob(
        bytes(own_report) if own_report is not None else None
    )


# What a file's extension promises; a file that is something else and cannot be read is told so.
_PROMISED: Final = {
    ".pdf": Kind.PDF,
    ".docx": Kind.DOCX,
    ".doc": Kind.LEGACY_WORD,
    ".wps": Kind.LEGACY_WORD,
    ".ofd": Kind.OFD,
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


def file_fields(upload: Upload) -> dict[str, Any]:
    """The fields of a report as uploaded, before it is audited."""
    return {
        "file_name": upload.name[:500],
        "sha256": hashlib.sha256(upload.data).hexdigest(),
        "size": len(upload.data),
        "data": zlib.compress(upload.data, 6),
        "input_kind": Document(upload.name, upload.data).kind.value,
    }


def audit_fields(result: AuditResult, *, sha256: str, region: str) -> dict[str, Any]:
    """The :class:`~gongkai.evaluations.models.EvaluatedReport` fields an audit decides."""
    ident = identity(result, sha256)
    findings = [
        {**f.model_dump(mode="json"), "fingerprint": fingerprint(ident, f)} for f in result.findings
    ]
    count = {s: sum(1 for f in result.findings if f.severity is s) for s in Severity}
    return {
        "input_kind": result.kind,
        "readable": result.readable,
        "reason": (result.reason or "")[:500],
        "unit_name": (result.unit or "")[:200],
        "unit_key": unit_key(result.unit or "")[:200],
        "region": region,
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
