"""The online application and the applicant's view of the case. No staff login here: the
applicant is known to this browser session only by what they submitted or looked up with the
tracking number and second factor."""

from __future__ import annotations

from typing import Any, Final

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods

from gongkai.agencies.throttle import client_address
from gongkai.applications.attachments import AttachmentError, read_upload
from gongkai.applications.models import AttachmentKind, OnlineSubmission, Status
from gongkai.applications.services.base import ApplicationError
from gongkai.applications.services.online import (
    PROOF_MAX_BYTES,
    application_confirm_fee_notice_online,
    application_submit_online,
    application_supplement_online,
    format_public_number,
)
from gongkai.core.errors import GongkaiError
from gongkai.core.law import CORRECTION_NOTICE_PERIOD, EXTENSION_MAX, REPLY_PERIOD
from gongkai.core.masking import mask_id_number, mask_phone
from gongkai.portal.apply import captcha
from gongkai.portal.apply.forms import ApplyForm, SupplementForm, TrackForm
from gongkai.portal.apply.selectors import (
    applicant_decision,
    applicant_letter,
    applicant_letters,
    due_is_provisional,
    fee_notice_unconfirmed,
    public_history,
    submission_by_number,
)
from gongkai.portal.apply.throttle import submission_lookup

# The portal's signed cookie naming the cases this browser may follow (see _remember).
KNOWN_COOKIE: Final = "gongkai_portal"
KNOWN_SALT: Final = "gongkai.portal.known"
FEE_NOTICE_CONFIRMED: Final = "已记录您收到收费通知的日期，缴费期限从今天起计算。"
SUPPLEMENT_SENT: Final = "补正已提交。受理单位收到补正之日起重新计算答复期限。"
LETTER_FORMATS: Final = {
    "pdf": ("application/pdf", "pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
}
NOT_FOUND: Final = "查询码或后四位不正确，未找到对应的申请。请核对回执上的查询码后重试。"
THROTTLED: Final = "查询失败次数过多，为保护申请人的信息，请一小时后再试。"


def _law() -> dict[str, Any]:
    return {
        "reply_period": REPLY_PERIOD,
        "extension_max": EXTENSION_MAX,
        "correction_period": CORRECTION_NOTICE_PERIOD,
    }


def _known_numbers(request: HttpRequest) -> list[str]:
    """The tracking numbers this browser submitted or looked up, from the portal's signed
    cookie (nothing when it is missing, forged or idle for longer than a staff session)."""
    value = request.get_signed_cookie(
        KNOWN_COOKIE, default="", salt=KNOWN_SALT, max_age=settings.SESSION_COOKIE_AGE
    )
    return [n for n in (value or "").split(",") if n]


def _remember(request: HttpRequest, response: HttpResponse, number: str | None = None) -> None:
    """Sign the numbers this browser may see (with ``number``) into the portal's cookie, afresh
    on each visit so that it expires after the same idle time as a staff session.

    Why a signed cookie rather than the session: following a case is the portal's busiest
    page, and a database session costs a read and a write (and a commit) on every visit. The
    cookie grants no more: it is signed with the site's key (not forgeable), timestamped (idle
    expiry checked on the server), HttpOnly, and names only numbers already in the page's
    address; the second factor was checked before a number is added."""
    numbers = _known_numbers(request)
    if number is not None and number not in numbers:
        numbers.append(number)
    response.set_signed_cookie(
        KNOWN_COOKIE,
        ",".join(numbers[-20:]),
        salt=KNOWN_SALT,
        max_age=None if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE else settings.SESSION_COOKIE_AGE,
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _known(request: HttpRequest, number: str) -> OnlineSubmission:
    """The submission, if this browser submitted it or looked it up; 404 otherwise."""
    if number not in _known_numbers(request):
        raise Http404(NOT_FOUND)
    found = submission_by_number(number)
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def _flash(request: HttpRequest) -> str:
    """The one-off message of the last action, kept in the session: read only when this
    browser has a session, so that a plain visit costs no session query."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return ""
    return str(request.session.pop("portal_flash", ""))


def _masked(submission: OnlineSubmission) -> dict[str, Any]:
    return {
        "submission": submission,
        "display_number": format_public_number(submission.public_number),
        "id_masked": mask_id_number(submission.id_document_number),
        "phone_masked": mask_phone(submission.phone),
    }


@require_http_methods(["GET", "POST"])
def apply_form(request: HttpRequest) -> HttpResponse:
    """The application form; on success, the receipt."""
    error = ""
    if request.method == "POST":
        form = ApplyForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                upload = read_upload(data["proof"], AttachmentKind.IDENTITY)
                if len(upload.data) > PROOF_MAX_BYTES:
                    raise AttachmentError("身份证明文件超过 10 MB，未提交")
                token = captcha.spend(data["captcha_token"], data["captcha_answer"])
                submission = application_submit_online(
                    unit=data["unit"],
                    form_token=token,
                    client_address=client_address(request),
                    applicant_type=data["applicant_type"],
                    applicant_name=data["applicant_name"],
                    contact_person=data["contact_person"],
                    id_document_type=data["id_document_type"],
                    id_document_number=data["id_document_number"],
                    phone=data["phone"],
                    email=data["email"],
                    address=data["address"],
                    postcode=data["postcode"],
                    description=data["description"],
                    purpose=data["purpose"],
                    requested_form=data["requested_form"],
                    delivery=data["delivery"],
                    proof=upload,
                )
            except (captcha.CaptchaError, ApplicationError, AttachmentError) as refused:
                error = str(refused)
            else:
                done = redirect("portal:apply_receipt", number=submission.public_number)
                _remember(request, done, submission.public_number)
                return done
    else:
        form = ApplyForm()
    challenge = captcha.new_challenge()
    if form.is_bound:
        # The form comes back with what was typed, but always with a new question and token.
        fresh = request.POST.copy()
        fresh["captcha_token"] = challenge.token
        fresh["captcha_answer"] = ""
        form.data = fresh
    else:
        form.initial["captcha_token"] = challenge.token
    return render(
        request,
        "portal/apply_form.html",
        {"form": form, "question": challenge.question, "error": error, **_law()},
        status=400 if (error or form.errors) else 200,
    )


def apply_receipt(request: HttpRequest, number: str) -> HttpResponse:
    submission = _known(request, number)
    return render(request, "portal/apply_receipt.html", {**_masked(submission), **_law()})


def apply_receipt_pdf(request: HttpRequest, number: str) -> HttpResponse:
    """The filed application as a PDF; every value goes through the template's escaping."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    submission = _known(request, number)
    html = render_to_string(
        "portal/apply_receipt_pdf.html", {**_masked(submission), **_law()}, request=request
    )
    pdf = HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="application-{number}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        form = TrackForm(request.POST)
        if form.is_valid():
            found = submission_lookup(
                number=form.cleaned_data["number"],
                factor=form.cleaned_data["factor"],
                address=client_address(request),
            )
            if found.submission is not None:
                number = found.submission.public_number
                done = redirect("portal:track_case", number=number)
                _remember(request, done, number)
                return done
            error = THROTTLED if found.throttled else NOT_FOUND
        else:
            error = NOT_FOUND
    else:
        form = TrackForm()
    return render(
        request,
        "portal/track_form.html",
        {"form": form, "error": error},
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def track_case(request: HttpRequest, number: str) -> HttpResponse:
    """Status, deadline, decision, history and letters of a case; the 补正 answer when one is
    asked."""
    submission = _known(request, number)
    application = submission.application
    error = ""
    supplement = SupplementForm()
    if request.method == "POST" and request.POST.get("action") == "fee_notice_received":
        try:
            application_confirm_fee_notice_online(submission=submission)
        except GongkaiError as refused:
            error = str(refused)
        else:
            request.session["portal_flash"] = FEE_NOTICE_CONFIRMED
            return redirect("portal:track_case", number=number)
    elif request.method == "POST":
        supplement = SupplementForm(request.POST, request.FILES)
        if supplement.is_valid():
            try:
                uploads = []
                if supplement.cleaned_data["file"]:
                    uploads.append(
                        read_upload(supplement.cleaned_data["file"], AttachmentKind.SUPPLEMENT)
                    )
                application_supplement_online(
                    submission=submission, text=supplement.cleaned_data["text"], uploads=uploads
                )
            except GongkaiError as refused:
                error = str(refused)
            else:
                request.session["portal_flash"] = SUPPLEMENT_SENT
                return redirect("portal:track_case", number=number)
        else:
            error = "补正内容有误，请检查后重新提交"
    context: dict[str, Any] = {
        **_masked(submission),
        **_law(),
        "application": application,
        "supplement": supplement,
        "error": error,
        "flash": _flash(request),
    }
    if application is not None:
        context.update(
            history=public_history(application),
            decision=applicant_decision(application),
            letters=applicant_letters(application),
            provisional=due_is_provisional(application),
            awaiting_supplement=application.status == Status.AWAITING_SUPPLEMENT,
            fee_notice_to_confirm=application.status == Status.AWAITING_PAYMENT
            and fee_notice_unconfirmed(application),
        )
    response = render(request, "portal/track_case.html", context, status=400 if error else 200)
    _remember(request, response)
    return response


def track_letter(
    request: HttpRequest, number: str, letter_id: int, file_format: str
) -> HttpResponse:
    """A letter addressed to the applicant, as sent (PDF or Word)."""
    submission = _known(request, number)
    letter = (
        applicant_letter(submission.application, letter_id)
        if submission.application is not None
        else None
    )
    if letter is None or file_format not in LETTER_FORMATS:
        raise Http404("未找到该文书")
    content_type, extension = LETTER_FORMATS[file_format]
    data = bytes(letter.pdf if file_format == "pdf" else letter.docx)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="letter-{letter.pk}.{extension}"'
    return response
