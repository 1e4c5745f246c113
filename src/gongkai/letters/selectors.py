"""Reads for letters: the archive of a case, one archived file, and a unit's templates.

All reads go through the gatekeeper: a sent letter is part of the case file, so whoever may read
the case may read its letters, and nobody else — the same "not found" either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from gongkai.agencies.gatekeeper import (
    APPLICATION_NOT_FOUND,
    AccessDeniedError,
    Action,
    access_application_by_id,
    applications_for,
    require,
)
from gongkai.agencies.models import Unit
from gongkai.applications.models import Application
from gongkai.letters.models import LetterKind, LetterTemplate, SentLetter
from gongkai.letters.services import default_template

LETTER_NOT_FOUND: Final = "未找到文书（编号 {id}），或您无权查看该文书"
CONTENT_TYPES: Final = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def letter_list(*, user: Any, application_id: int) -> list[SentLetter]:
    """The letters archived with a case, oldest first, without their file bytes (two queries)."""
    application = access_application_by_id(user, application_id)
    return list(
        SentLetter.objects.filter(application=application)
        .defer("docx", "pdf", "template_body")
        .select_related("sent_by")
        .order_by("id")
    )


@dataclass(frozen=True, slots=True)
class LetterFile:
    filename: str
    content_type: str
    content: bytes
    sha256: str


def letter_file(*, user: Any, letter_id: int, file_format: str) -> LetterFile:
    """The archived bytes of one letter as DOCX or PDF, for download."""
    if file_format not in CONTENT_TYPES:
        raise AccessDeniedError(f"不支持的文书格式 {file_format!r}，可选：docx、pdf")
    visible = applications_for(user, Action.VIEW_CASES)
    letter = (
        SentLetter.objects.filter(pk=letter_id, application__in=visible)
        .select_related("application")
        .first()
        if isinstance(letter_id, int)
        else None
    )
    if letter is None:
        raise AccessDeniedError(LETTER_NOT_FOUND.format(id=letter_id))
    content = bytes(letter.docx if file_format == "docx" else letter.pdf)
    sha = letter.docx_sha256 if file_format == "docx" else letter.pdf_sha256
    number = letter.application.tracking_number
    return LetterFile(
        filename=f"{number}-{letter.get_kind_display()}-{letter.letter_date:%Y%m%d}.{file_format}",
        content_type=CONTENT_TYPES[file_format],
        content=content,
        sha256=sha,
    )


@dataclass(frozen=True, slots=True)
class TemplateInfo:
    kind: LetterKind
    body: str
    is_default: bool
    versions: int


def letter_template_list(*, user: Any, unit: Unit) -> list[TemplateInfo]:
    """Every letter kind with the template ``unit`` uses now, for the template editor."""
    require(user, Action.MANAGE_LETTER_TEMPLATES, unit)
    rows = list(LetterTemplate.objects.filter(unit=unit).order_by("kind", "-id"))
    newest: dict[str, LetterTemplate] = {}
    counts: dict[str, int] = {}
    for row in rows:
        newest.setdefault(row.kind, row)
        counts[row.kind] = counts.get(row.kind, 0) + 1
    return [
        TemplateInfo(
            kind=kind,
            body=newest[kind.value].body if kind.value in newest else default_template(kind),
            is_default=kind.value not in newest,
            versions=counts.get(kind.value, 0),
        )
        for kind in LetterKind
    ]


__all__ = [
    "APPLICATION_NOT_FOUND",
    "LetterFile",
    "TemplateInfo",
    "letter_file",
    "letter_list",
    "letter_template_list",
]


def letters_sent(*, application: Application) -> list[SentLetter]:
    """The letters of a case already fetched through the gatekeeper, oldest first, without their
    files or text (one query; the case page's letters panel)."""
    return list(
        SentLetter.objects.filter(application=application)
        .defer("docx", "pdf", "template_body", "text")
        .select_related("sent_by")
        .order_by("id")
    )
