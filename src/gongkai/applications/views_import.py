"""Pages for importing a clerk's Excel ledger: upload → preview and mapping → import.

Between the preview and the import the workbook waits in Django's storage under a random name;
the form carries only a signed token with that name's random part, the clerk and the unit, so
one clerk cannot import another's upload and a forged token is refused. The token never carries
a storage path: the server builds the path from the random part, which must have the form it
gave it (32 hex digits), so even a token signed with a leaked key can name nothing but an upload
in the import folder. The stored workbook is a copy of an
applicant register (names, ID numbers), so it is deleted as soon as the import is over — done,
or failed in a way a corrected mapping cannot fix — and uploads previewed but never imported
are swept away a day later, whenever a new preview is stored. The import is all or nothing (the
service's transaction); its row-by-row Chinese report is shown next to the mapping form.

Also the year-end carry-over, the other bulk operation on a unit's cases.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import uuid
from typing import Any, Final

from django.contrib import messages
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.agencies import pages
from gongkai.agencies.gatekeeper import AccessDeniedError, Action, access_unit_by_id, units_where
from gongkai.agencies.models import Unit
from gongkai.agencies.pages import staff_view
from gongkai.applications.carry_over import carry_over_year_end
from gongkai.applications.forms_files import CarryOverForm, LedgerMappingForm, LedgerUploadForm
from gongkai.applications.ledger_import import (
    MAX_BYTES,
    LedgerError,
    LedgerImportError,
    OnDuplicate,
    Preview,
    ledger_duplicates,
    ledger_import,
    ledger_preview,
)
from gongkai.applications.views_attachments import request_too_large
from gongkai.core.errors import GongkaiError

SIGNING_SALT: Final = "gongkai.ledger-import"
TOKEN_MAX_AGE: Final = 2 * 3600
UPLOAD_DIR: Final = "ledger-uploads"
# Far beyond TOKEN_MAX_AGE: an upload this old can no longer be imported by anyone.
STALE_AFTER: Final = dt.timedelta(days=1)
TICKET_INVALID: Final = "导入凭据无效或已过期（预览后 2 小时内有效），请重新上传台账文件"
UPLOAD_GONE: Final = (
    "暂存的台账文件已不存在（已经导入过，或超过 1 天未导入已被清理），未导入任何申请。"
    "请重新上传台账文件"
)
_UPLOAD_ID: Final = re.compile(r"[0-9a-f]{32}")


def _stored_name(upload_id: object) -> str | None:
    """The storage name of the upload ``upload_id``; ``None`` unless it has the form we give."""
    if not isinstance(upload_id, str) or not _UPLOAD_ID.fullmatch(upload_id):
        return None
    return f"{UPLOAD_DIR}/{upload_id}.xlsx"


def _units(request: HttpRequest) -> Any:
    return units_where(request.user, Action.REGISTER, refusal="您没有导入台账（登记申请）的权限")


def _too_large_message() -> str:
    return f"上传的台账文件超过 {MAX_BYTES // 1024 // 1024} MB，请拆分后分批导入"


# CSRF is checked after the size check (see gongkai.web.case_page.attachments).
@csrf_exempt
@require_http_methods(["GET", "POST"])
@staff_view
def ledger_upload(request: HttpRequest) -> HttpResponseBase:
    units = _units(request)
    if request.method == "POST" and request_too_large(request, MAX_BYTES):
        form = LedgerUploadForm(units=units)
        return _upload_page(request, form, _too_large_message(), status=413)
    return _ledger_upload(request, units)


@csrf_protect
def _ledger_upload(request: HttpRequest, units: Any) -> HttpResponseBase:
    if request.method != "POST":
        return _upload_page(request, LedgerUploadForm(units=units), "")
    form = LedgerUploadForm(request.POST, request.FILES, units=units)
    if not form.is_valid():
        return _upload_page(request, form, "", status=400)
    unit: Unit = form.cleaned_data["unit"]
    upload = form.cleaned_data["file"]
    if upload.size > MAX_BYTES:
        return _upload_page(request, form, _too_large_message(), status=413)
    data = upload.read()
    try:
        preview = ledger_preview(user=request.user, unit=unit, data=data, filename=upload.name)
        duplicates = ledger_duplicates(
            user=request.user, unit=unit, data=data, filename=upload.name
        )
    except AccessDeniedError:
        raise
    except GongkaiError as exc:
        return _upload_page(request, form, str(exc), status=400)
    upload_id = uuid.uuid4().hex
    stored = default_storage.save(_stored_name(upload_id) or "", ContentFile(data))
    remove_stale_uploads(now_of=stored)
    token = signing.dumps(
        {"upload": upload_id, "user": request.user.pk, "unit": unit.pk, "filename": upload.name},
        salt=SIGNING_SALT,
    )
    initial: dict[str, Any] = {"token": token, "header_row": preview.header_row}
    initial.update({f"map_{f.value}": str(i) for f, i in preview.mapping.items()})
    mapping = LedgerMappingForm(initial=initial, headers=preview.headers)
    return _preview_page(request, unit, upload.name, preview, mapping, duplicates=duplicates)


def remove_stale_uploads(*, now_of: str | None = None) -> list[str]:
    """Delete the uploads previewed more than :data:`STALE_AFTER` ago; return their names.

    A clerk who previews a ledger and walks away leaves the workbook behind; nothing else would
    ever remove it, and its token expired long before.

    Ages are measured on the storage's own clock: ``now_of`` names a file just written (the new
    preview), whose modification time is "now" for the storage. A media folder on a network
    share, or a server whose clock was set forward, would otherwise make every upload look a
    day old and sweep away the one a clerk is about to import.
    """
    now = timezone.now()
    if now_of is not None:
        with contextlib.suppress(FileNotFoundError):
            now = default_storage.get_modified_time(now_of)
    cutoff = now - STALE_AFTER
    try:
        _, files = default_storage.listdir(UPLOAD_DIR)
    except FileNotFoundError:
        return []
    removed: list[str] = []
    for name in files:
        path = f"{UPLOAD_DIR}/{name}"
        try:
            stale = default_storage.get_modified_time(path) < cutoff
        except FileNotFoundError:  # imported or swept by a concurrent request meanwhile
            continue
        if stale:
            default_storage.delete(path)
            removed.append(path)
    return removed


def _upload_page(
    request: HttpRequest, form: LedgerUploadForm, error: str, *, status: int = 200
) -> HttpResponseBase:
    return render(
        request, "applications/import_upload.html", {"form": form, "error": error}, status=status
    )


def _preview_page(
    request: HttpRequest,
    unit: Unit,
    filename: str,
    preview: Preview,
    mapping: LedgerMappingForm,
    *,
    error: str = "",
    row_errors: list[Any] | None = None,
    duplicates: list[Any] | None = None,
    status: int = 200,
) -> HttpResponseBase:
    return render(
        request,
        "applications/import_preview.html",
        {
            "unit": unit,
            "filename": filename,
            "preview": preview,
            "mapping": mapping,
            "map_fields": [mapping[name] for name in mapping.fields if name.startswith("map_")],
            "error": error,
            "row_errors": row_errors or [],
            "duplicates": duplicates or [],
        },
        status=status,
    )


@require_POST
@staff_view
def ledger_confirm(request: HttpRequest) -> HttpResponseBase:
    """Import with the mapping the clerk confirmed; all rows or none."""
    try:
        ticket = signing.loads(
            request.POST.get("token", ""), salt=SIGNING_SALT, max_age=TOKEN_MAX_AGE
        )
    except signing.BadSignature:
        return _upload_page(
            request, LedgerUploadForm(units=_units(request)), TICKET_INVALID, status=400
        )
    name = _stored_name(ticket.get("upload")) if isinstance(ticket, dict) else None
    if name is None or ticket.get("user") != request.user.pk:
        return _upload_page(
            request, LedgerUploadForm(units=_units(request)), TICKET_INVALID, status=400
        )
    if not default_storage.exists(name):
        return _upload_page(
            request, LedgerUploadForm(units=_units(request)), UPLOAD_GONE, status=400
        )
    keep = False  # only while the page offers to import the same upload again
    try:
        response, keep = _import_stored(request, ticket, name)
    finally:
        if not keep:
            default_storage.delete(name)
    return response


def _import_stored(
    request: HttpRequest, ticket: dict[str, Any], name: str
) -> tuple[HttpResponseBase, bool]:
    """Import the stored upload of ``ticket``: the page, and whether to keep the upload.

    The upload is kept only when the preview page comes back with the mapping form for another
    try: the mapping did not fit the ledger, or rows failed and the mapping may be the cause.
    """
    unit = access_unit_by_id(request.user, ticket.get("unit"), Action.REGISTER)
    filename = str(ticket.get("filename", ""))
    try:
        with default_storage.open(name, "rb") as stored:
            data = stored.read()
        preview = ledger_preview(user=request.user, unit=unit, data=data, filename=filename)
    except AccessDeniedError:
        raise
    except (GongkaiError, OSError) as exc:
        # The stored copy was damaged or removed after the preview: nothing to retry with.
        reason = str(exc) if isinstance(exc, GongkaiError) else "暂存的文件无法读取"
        message = (
            f"暂存的台账“{filename}”已无法读取（{reason}），未导入任何申请。请重新上传台账文件"
        )
        form_again = LedgerUploadForm(units=_units(request))
        return _upload_page(request, form_again, message, status=400), False
    form = LedgerMappingForm(request.POST, headers=preview.headers)
    if not form.is_valid():
        page = _preview_page(
            request, unit, filename, preview, form, error="列对应关系有误，请修改", status=400
        )
        return page, True
    try:
        result = ledger_import(
            acting_user=request.user,
            unit=unit,
            data=data,
            filename=filename,
            mapping=form.mapping(),
            header_row=form.cleaned_data["header_row"],
            on_duplicate=OnDuplicate(form.cleaned_data["on_duplicate"] or OnDuplicate.SKIP),
        )
    except AccessDeniedError:
        raise
    except LedgerImportError as exc:
        page = _preview_page(
            request,
            unit,
            filename,
            preview,
            form,
            error=f"台账共 {len(exc.errors)} 处问题，未导入任何申请。"
            "请修改台账或列对应关系后重新导入。",
            row_errors=exc.errors,
            status=400,
        )
        return page, True
    except LedgerError as exc:  # the mapping or header row does not fit this ledger
        return _preview_page(
            request, unit, filename, preview, form, error=str(exc), status=400
        ), True
    except GongkaiError as exc:
        # Nothing the mapping form can change: the upload is gone, so start again from there.
        form_again = LedgerUploadForm(units=_units(request))
        message = f"台账“{filename}”未导入：{exc}。请处理后重新上传台账文件"
        return _upload_page(request, form_again, message, status=400), False
    page = render(
        request,
        "applications/import_done.html",
        {"unit": unit, "filename": filename, "result": result},
    )
    return page, False


@require_POST
@staff_view
def carry_over(request: HttpRequest, unit_id: int) -> HttpResponseBase:
    """Note every case of the unit still open at the end of the chosen year as carried over.

    Offered to whoever may handle the unit's cases (the service's own gate), for any year up to
    the current one; the service refuses a year whose 31 December has not come yet.
    """
    unit = access_unit_by_id(request.user, unit_id, Action.HANDLE)
    today = pages.today()
    form = CarryOverForm(request.POST, today=today)
    error = ""
    carried: list[Any] = []
    year = None
    if form.is_valid():
        year = form.cleaned_data["year"]
        try:
            carried = carry_over_year_end(acting_user=request.user, unit=unit, year=year)
        except AccessDeniedError:
            raise
        except GongkaiError as exc:
            error = str(exc)
    else:
        error = "；".join(str(e) for errors in form.errors.values() for e in errors)
    if error:
        messages.error(request, f"未结转：{error}")
        return redirect("applications:dashboard", unit.pk)
    return render(
        request,
        "applications/carry_over_done.html",
        {"unit": unit, "year": year, "carried": carried},
    )
