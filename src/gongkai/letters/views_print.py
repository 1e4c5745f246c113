"""Print pages for letters: a letter's 送达回证 (on screen or as PDF), the letters of cases
chosen in 我的案件, and a unit's letters dated one day (the day's mail-out), each letter
followed by its proof of service, one to a page.

Who may read a case may print its letters (the selectors ask the gatekeeper); anything else is
the same 404 as a missing letter.

A letter sent earlier on paper and numbered on entry (补录) is marked 【补录】 wherever these pages
list or print it — the list, the letter's page and its 送达回证 — in the words of the printed case
file, so a clerk reads one wording: these are the office's own papers, read without the system at
hand. The letter itself (its DOCX and PDF, sent to the applicant) carries no such mark.
"""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET
from weasyprint import CSS, HTML  # type: ignore[import-untyped]

from gongkai.agencies import pages
from gongkai.agencies.gatekeeper import membership_of
from gongkai.agencies.pages import staff_view
from gongkai.applications.downloads import bytes_download
from gongkai.letters import print_selectors as ps
from gongkai.letters.models import BACKFILLED_WHY
from gongkai.letters.print_forms import PrintDayForm

TEMPLATE = "letters/print_letters.html"


def _pdf(context: dict[str, Any], *, filename: str) -> HttpResponseBase:
    """The print page as an A4 PDF through WeasyPrint, the same stylesheet as on screen."""
    page = render_to_string(TEMPLATE, {**context, "pdf": True})
    stylesheet = finders.find("letters/print.css")
    document = HTML(string=page).render(stylesheets=[CSS(filename=stylesheet)])
    document.metadata.title = context["heading"]
    return bytes_download(document.write_pdf(), filename=filename, content_type="application/pdf")


@require_GET
@staff_view
def print_proof(request: HttpRequest, letter_id: int) -> HttpResponseBase:
    """The 送达回证 of one letter; ``?format=pdf`` downloads it as PDF."""
    proof = ps.letter_proof(user=request.user, letter_id=letter_id)
    context = {
        "heading": f"送达回证 · {proof.document}",
        "proofs": [proof],
        "single": proof,
        "with_letters": False,
    }
    if request.GET.get("format") == "pdf":
        number = proof.letter.application.tracking_number
        return _pdf(context, filename=f"{number}-送达回证-{proof.letter.pk}.pdf")
    return render(request, TEMPLATE, context)


@require_GET
@staff_view
def print_cases(request: HttpRequest) -> HttpResponseBase:
    """Every letter of the cases named by ``?case=`` (a bulk action of 我的案件)."""
    ids = [int(value) for value in request.GET.getlist("case") if value.isdigit()]
    proofs = ps.letters_of_cases(user=request.user, application_ids=ids)
    context = {
        "heading": f"所选 {len(set(ids))} 件案件的文书及送达回证",
        "proofs": proofs,
        "with_letters": True,
        "error": "" if ids else "未选择案件",
    }
    return render(request, TEMPLATE, context, status=200 if ids else 400)


@require_GET
@staff_view
def print_day(request: HttpRequest) -> HttpResponseBase:
    """The letters of a unit dated one day, each with its 送达回证 (default: mine, today)."""
    units = ps.print_units(user=request.user)
    membership = membership_of(request.user)
    own = [u.pk for u in units if membership is not None and u.pk == membership.unit_id]
    first = own[0] if own else (units[0].pk if units else None)
    today = pages.today()
    params = request.GET.dict() if request.GET else {"unit": str(first), "day": today.isoformat()}
    form = PrintDayForm(params, units=units)
    proofs: list[ps.ProofOfService] = []
    day, error = today, ""
    if form.is_valid():
        day = form.cleaned_data["day"]
        proofs = ps.letters_dated(user=request.user, unit=form.chosen_unit(), day=day)
    else:
        error = "；".join(str(m) for errors in form.errors.values() for m in errors)
    context = {
        "heading": f"{day.year}年{day.month}月{day.day}日发出的文书",
        "proofs": proofs,
        # Said above the day's list: the letters numbered on entry, listed after the others.
        "backfilled_count": sum(1 for proof in proofs if proof.letter.backfilled),
        "backfilled_why": BACKFILLED_WHY,
        "with_letters": True,
        "day_form": form,
        "error": error,
        "pdf_query": f"unit={form.cleaned_data['unit']}&day={day.isoformat()}" if not error else "",
    }
    if request.GET.get("format") == "pdf" and not error:
        return _pdf(context, filename=f"letters-{day.isoformat()}.pdf")
    return render(request, TEMPLATE, context, status=400 if error else 200)
