"""Pages for letters: download the archive, and the template editor and letterhead for a unit's
head or administrator. Preview and send (发送并存档) answer on the case page, so they are in
:mod:`gongkai.web.case_page.letters`.

Thin views: a form, one service or selector call, a response. A letter that cannot be produced
(a missing step, a template that fails, a stale version) is shown next to the letters panel of
the case page, never as a traceback; another unit's case or letter is the same 404 as a
missing one (the gatekeeper raises, :func:`staff_view` turns it into a 404).
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.agencies.gatekeeper import (
    AccessDeniedError,
    Action,
    access_unit_by_id,
    default_unit,
    require,
    units_where,
)
from gongkai.agencies.models import Unit
from gongkai.agencies.pages import staff_view
from gongkai.applications.downloads import bytes_download
from gongkai.core.errors import GongkaiError
from gongkai.letters import selectors, services
from gongkai.letters.context import TEMPLATE_VARIABLES, letterhead_values
from gongkai.letters.forms import LetterheadForm, TemplateForm
from gongkai.letters.models import LetterKind
from gongkai.letters.selectors import CONTENT_TYPES


def letter_kind_of(value: str) -> LetterKind:
    """The letter kind named in a URL; 404 for an unknown one."""
    try:
        return LetterKind(value)
    except ValueError:
        raise Http404(f"没有“{value}”这种文书") from None


def file_format_of(value: str) -> str:
    """The file format named in a URL (docx or pdf); 404 for another."""
    if value not in CONTENT_TYPES:
        raise Http404(f"不支持的文书格式“{value}”，可选：docx、pdf")
    return value


@require_GET
@staff_view
def letter_download(request: HttpRequest, letter_id: int, file_format: str) -> HttpResponseBase:
    """An archived letter, byte for byte as sent."""
    file = selectors.letter_file(
        user=request.user, letter_id=letter_id, file_format=file_format_of(file_format)
    )
    response = bytes_download(file.content, filename=file.filename, content_type=file.content_type)
    response["X-Content-SHA256"] = file.sha256
    return response


# ---------------------------------------------------------------------------------------------
# Templates and letterhead (负责人, 系统管理员)
# ---------------------------------------------------------------------------------------------


def _template_units(request: HttpRequest) -> QuerySet[Unit]:
    return units_where(
        request.user, Action.MANAGE_LETTER_TEMPLATES, refusal="您没有管理文书模板的权限"
    )


def _chosen_unit(request: HttpRequest, units: QuerySet[Unit]) -> Unit:
    """The unit in ``?unit=``, else the member's own, else the first they may manage."""
    wanted = request.GET.get("unit") or request.POST.get("unit")
    if wanted:
        return access_unit_by_id(request.user, wanted, Action.MANAGE_LETTER_TEMPLATES)
    return default_unit(request.user, units)


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
    letter_kind = letter_kind_of(kind)
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
    letter_kind = letter_kind_of(kind)
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
        "number_prefix": values["prefix"],
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
