"""Pages for letters: preview and send (发送并存档) from the case page, download the archive,
and the template editor and letterhead for a unit's head or administrator.

Thin views: a form, one service or selector call, a response. A letter that cannot be produced
(a missing step, a template that fails, a stale version) is shown next to the letters panel of
the case page, never as a traceback; another unit's case or letter is the same 404 as a
missing one (the gatekeeper raises, :func:`staff_view` turns it into a 404).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.agencies.gatekeeper import (
    AccessDeniedError,
    Action,
    access_application_by_id,
    membership_of,
    require,
    units_for,
)
from gongkai.agencies.models import Unit
from gongkai.applications import views as case_views
from gongkai.applications import worklists
from gongkai.applications.downloads import bytes_download
from gongkai.applications.services import ApplicationError
from gongkai.applications.views import _render_case, staff_view
from gongkai.core.errors import GongkaiError
from gongkai.letters import selectors, services
from gongkai.letters.context import TEMPLATE_VARIABLES, letterhead_values
from gongkai.letters.forms import LetterheadForm, LetterSendForm, TemplateForm
from gongkai.letters.models import LetterKind
from gongkai.letters.selectors import CONTENT_TYPES

PREVIEW_SUFFIX: Final = "预览"


def _kind(value: str) -> LetterKind:
    try:
        return LetterKind(value)
    except ValueError:
        raise Http404(f"没有“{value}”这种文书") from None


def _format(value: str) -> str:
    if value not in CONTENT_TYPES:
        raise Http404(f"不支持的文书格式“{value}”，可选：docx、pdf")
    return value


# ---------------------------------------------------------------------------------------------
# On the case page
# ---------------------------------------------------------------------------------------------


@require_GET
@staff_view
def letter_preview(
    request: HttpRequest, application_id: int, kind: str, file_format: str
) -> HttpResponseBase:
    """The letter as it would be sent, to download and read; nothing is archived or written."""
    letter_kind, ext = _kind(kind), _format(file_format)
    party = request.GET.get("party", "")
    try:
        on = dt.date.fromisoformat(request.GET["on"]) if request.GET.get("on") else None
        rendered = services.letter_preview(
            user=request.user, application_id=application_id, kind=letter_kind, party=party, on=on
        )
    except AccessDeniedError:
        raise
    except (GongkaiError, ValueError) as exc:
        case = worklists.application_case(
            user=request.user, application_id=application_id, today=case_views._today()
        )
        error = f"无法预览{letter_kind.label}：{exc}"
        return _render_case(request, case, status=400, panels={"error": error, "panel": "letters"})
    number = access_application_by_id(request.user, application_id).tracking_number
    filename = f"{number}-{letter_kind.label}-{PREVIEW_SUFFIX}.{ext}"
    return bytes_download(
        rendered.docx if ext == "docx" else rendered.pdf,
        filename=filename,
        content_type=CONTENT_TYPES[ext],
    )


@require_POST
@staff_view
def letter_send(request: HttpRequest, application_id: int) -> HttpResponseBase:
    """发送并存档: archive the letter and write the ``letter_sent`` event (optimistic lock)."""
    today = case_views._today()
    case = worklists.application_case(user=request.user, application_id=application_id, today=today)
    prefix = _prefix_of(request)
    kind_value = request.POST.get(f"{prefix}-kind", "")
    party = request.POST.get(f"{prefix}-party", "")
    form = LetterSendForm(request.POST, today=today, prefix=prefix)
    letter_kind = LetterKind(kind_value) if kind_value in LetterKind.values else None

    def refuse(error: str, status: int) -> HttpResponseBase:
        bound: dict[str, Any] = {"error": error, "panel": "letters"}
        if letter_kind is not None:
            bound["letter"] = (letter_kind, party, form)
        return _render_case(request, case, status=status, panels=bound)

    if not case.may_handle:
        return refuse(f"您可以查看申请 {case.application.tracking_number}，但无权发送文书", 403)
    if not form.is_valid() or letter_kind is None:
        return refuse("文书未发送，请按提示修改", 400)
    data = form.cleaned_data
    try:
        letter = services.letter_send(
            acting_user=request.user,
            application_id=application_id,
            expected_version=data["version"],
            kind=data["kind"],
            party=data["party"],
            on=data["on"],
        )
    except AccessDeniedError:
        raise
    except (ApplicationError, GongkaiError) as exc:
        case = worklists.application_case(
            user=request.user, application_id=application_id, today=today
        )
        if data["version"] != case.application.version:
            form = LetterSendForm(
                today=today,
                prefix=prefix,
                initial={"version": case.application.version, "kind": kind_value, "party": party},
            )
        return refuse(str(exc), 409 if data["version"] != case.application.version else 400)
    messages.success(request, f"已发送并存档：{letter.title}（{letter.recipient}）")
    return redirect(f"{reverse('applications:case', args=[application_id])}#letters")


def _prefix_of(request: HttpRequest) -> str:
    """The prefix of the submitted send form (one form per letter on the page)."""
    for key in request.POST:
        if key.startswith("letter-") and key.endswith("-version"):
            return key.removesuffix("-version")
    return ""


@require_GET
@staff_view
def letter_download(request: HttpRequest, letter_id: int, file_format: str) -> HttpResponseBase:
    """An archived letter, byte for byte as sent."""
    file = selectors.letter_file(
        user=request.user, letter_id=letter_id, file_format=_format(file_format)
    )
    response = bytes_download(file.content, filename=file.filename, content_type=file.content_type)
    response["X-Content-SHA256"] = file.sha256
    return response


# ---------------------------------------------------------------------------------------------
# Templates and letterhead (负责人, 系统管理员)
# ---------------------------------------------------------------------------------------------


def _template_units(request: HttpRequest) -> QuerySet[Unit]:
    units = units_for(request.user, Action.MANAGE_LETTER_TEMPLATES).order_by("path")
    if not units.exists():
        raise AccessDeniedError("您没有管理文书模板的权限")
    return units


def _chosen_unit(request: HttpRequest, units: QuerySet[Unit]) -> Unit:
    """The unit in ``?unit=``, else the member's own, else the first they may manage."""
    wanted = request.GET.get("unit") or request.POST.get("unit")
    if wanted:
        unit = units.filter(pk=int(wanted)).first() if wanted.isdigit() else None
        if unit is None:
            raise AccessDeniedError(
                f"未找到单位（内部编号 {wanted}），或您无权管理该单位的文书模板"
            )
        return unit
    membership = membership_of(request.user)
    own = units.filter(pk=membership.unit_id).first() if membership else None
    first = own or units.first()
    assert first is not None  # _template_units refused an empty queryset
    return first


@require_GET
@staff_view
def template_list(request: HttpRequest) -> HttpResponseBase:
    units = _template_units(request)
    unit = _chosen_unit(request, units)
    templates = selectors.letter_template_list(user=request.user, unit=unit)
    return render(
        request,
        "letters/template_list.html",
        {
            "unit": unit,
            "units": units,
            "templates": templates,
            "letterhead": letterhead_values(unit),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_view
def template_edit(request: HttpRequest, kind: str) -> HttpResponseBase:
    """Edit one template: 预览 renders it with sample data; 保存 adds a new version."""
    letter_kind = _kind(kind)
    units = _template_units(request)
    unit = _chosen_unit(request, units)
    require(request.user, Action.MANAGE_LETTER_TEMPLATES, unit)
    current = services.current_template(unit, letter_kind)
    form = TemplateForm(request.POST or None, initial={"body": current})
    preview = ""
    error = ""
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif request.POST.get("action") == "preview":
            try:
                document = services.render_template(
                    form.cleaned_data["body"],
                    services.sample_context(unit, letter_kind),
                    kind=letter_kind,
                )
            except GongkaiError as exc:
                error, status = str(exc), 400
            else:
                preview = document.text
        else:
            try:
                services.letter_template_update(
                    acting_user=request.user,
                    unit=unit,
                    kind=letter_kind,
                    body=form.cleaned_data["body"],
                )
            except AccessDeniedError:
                raise
            except GongkaiError as exc:
                error, status = str(exc), 400
            else:
                messages.success(request, f"已保存“{letter_kind.label}”模板的新版本（{unit.name}）")
                return redirect(f"{reverse('letters:templates')}?unit={unit.pk}")
    return render(
        request,
        "letters/template_edit.html",
        {
            "unit": unit,
            "kind": letter_kind,
            "form": form,
            "preview": preview,
            "error": error,
            "variables": TEMPLATE_VARIABLES,
            "is_default": current == services.default_template(letter_kind),
        },
        status=status,
    )


@require_POST
@staff_view
def template_reset(request: HttpRequest, kind: str) -> HttpResponseBase:
    letter_kind = _kind(kind)
    unit = _chosen_unit(request, _template_units(request))
    services.letter_template_reset(acting_user=request.user, unit=unit, kind=letter_kind)
    messages.success(request, f"“{letter_kind.label}”已恢复为系统默认模板（{unit.name}）")
    return redirect(f"{reverse('letters:templates')}?unit={unit.pk}")


@require_http_methods(["GET", "POST"])
@staff_view
def letterhead_edit(request: HttpRequest) -> HttpResponseBase:
    units = _template_units(request)
    unit = _chosen_unit(request, units)
    require(request.user, Action.MANAGE_LETTER_TEMPLATES, unit)
    values = letterhead_values(unit)
    initial = {
        "issuer": values["issuer"],
        "address": values["address"],
        "phone": values["phone"],
        "reconsideration_body": values["body"],
        "court": values["court"],
    }
    form = LetterheadForm(request.POST or None, initial=initial)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.letterhead_update(acting_user=request.user, unit=unit, **form.cleaned_data)
        except AccessDeniedError:
            raise
        except GongkaiError as exc:
            error = str(exc)
        else:
            messages.success(request, f"已保存{unit.name}的文书落款信息")
            return redirect(f"{reverse('letters:templates')}?unit={unit.pk}")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "letters/letterhead.html",
        {"unit": unit, "form": form, "error": error},
        status=status,
    )
