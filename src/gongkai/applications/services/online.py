"""Applications sent through the public portal: storing them, and the office confirming them.

[R] Art 31(三): an application made over the internet is received on the day the office and
the applicant both confirm it, so the portal's submission is not yet a case. It waits as an
:class:`~gongkai.applications.models.OnlineSubmission` in the unit's list; a clerk's
"确认收到" registers the case through :func:`application_register` (channel 网络平台,
``confirmed_on`` that day, the ``received`` event that starts the clock) with the identity proof
in its case file, all in one transaction.

Import from this module (``gongkai.applications.services.online``): it builds on the
attachments module, which itself builds on the services package.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.agencies.gatekeeper import Action, require, service_principal
from gongkai.agencies.models import Unit
from gongkai.applications.attachments import (
    JPEG,
    PDF,
    PNG,
    AttachmentError,
    Upload,
    application_register_with_attachments,
    attachments_add,
    check_upload,
)
from gongkai.applications.models import (
    Application,
    AttachmentKind,
    Delivery,
    IdDocument,
    OnlineSubmission,
    RequestedForm,
    Status,
)
from gongkai.applications.services.base import ApplicationError, choice, not_in_future, today
from gongkai.applications.services.fees import application_record_fee_notice_delivery
from gongkai.applications.services.registration import UNKNOWN_APPLICANT_TYPE
from gongkai.applications.services.steps import application_receive_supplement
from gongkai.core.formats import APPLICANT_COLUMNS
from gongkai.core.law import Channel

PROOF_MAX_BYTES: Final = 10 * 1024 * 1024
PROOF_TYPES: Final = (PDF, JPEG, PNG)
PROOF_HINT: Final = "网上提交的材料只接受 PDF、JPG、PNG 文件，不超过 10 MB"
# Submissions allowed per client address per hour, and per applicant (ID number) per day.
PER_ADDRESS_PER_HOUR: Final = 10
PER_APPLICANT_PER_DAY: Final = 5
TOO_MANY_FROM_ADDRESS: Final = (
    "本网络地址在一小时内提交的申请已达 {limit} 件，为防止滥用，"
    "请稍后再提交，或到受理窗口当面申请。"
)
TOO_MANY_FOR_APPLICANT: Final = (
    "同一申请人一天内最多在网上提交 {limit} 件申请，请明天再提交，或到受理窗口当面申请。"
)
ALREADY_CONFIRMED: Final = "该网上申请已于此前确认收到（受理编号 {number}），无需重复确认"
NOT_FOUND: Final = "未找到该网上申请（编号 {id}）"
NOT_AWAITING_SUPPLEMENT: Final = "该申请目前不需要补正，未提交。如有疑问，请联系受理单位"
NOT_AWAITING_PAYMENT: Final = "该申请目前没有待确认的收费通知，未记录。如有疑问，请联系受理单位"
SUPPLEMENT_EMPTY: Final = "请填写补正内容，或上传补正材料"
SUPPLEMENT_MAX_CHARS: Final = 5000
# The account the portal's own steps are recorded under (the applicant has none): it cannot
# log in, and acts only as a service principal of the case's unit.
PORTAL_USERNAME: Final = "gongkai-portal"
PORTAL_DISPLAY_NAME: Final = "申请人（网上提交）"
CONFIRMED_BEFORE_SUBMITTED: Final = "确认日期（{day}）不能早于申请提交日期（{submitted}）"


class AlreadyConfirmedError(ApplicationError):
    """The submission was confirmed before (perhaps a moment ago, by a concurrent request that
    held the row lock first): callers tell it from other refusals by type (the API's 409)."""


# Crockford's base32 (no I, L, O, U): read aloud and typed back without confusion.
_ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_NUMBER_CHARS: Final = 12
_LOOKALIKES: Final = str.maketrans("OIL", "011")


def _check_char(body: str) -> str:
    """A weighted sum modulo 32 with odd weights: an odd weight is invertible modulo 32, so a
    change of one character (a difference of 1 to 31) always changes the sum. (Weights 1, 2, 3…
    missed some: weight 4 times a difference of 8 is 32.)"""
    total = sum((2 * index + 1) * _ALPHABET.index(char) for index, char in enumerate(body))
    return _ALPHABET[total % len(_ALPHABET)]


def new_public_number() -> str:
    """12 random base32 characters (60 bits) and a check character.

    Shown as ``XXXX-XXXX-XXXX-C``."""
    body = "".join(secrets.choice(_ALPHABET) for _ in range(_NUMBER_CHARS))
    return body + _check_char(body)


def normalise_public_number(value: str) -> str | None:
    """The stored form of a typed number (dashes, spaces and case ignored, ``O``→0, ``I/L``→1),
    or ``None`` when its check character is wrong — a typo, answered without a database query."""
    text = value.upper().replace("-", "").replace(" ", "")
    text = text.translate(_LOOKALIKES)
    if len(text) != _NUMBER_CHARS + 1 or any(c not in _ALPHABET for c in text):
        return None
    if _check_char(text[:-1]) != text[-1]:
        return None
    return text


def format_public_number(number: str) -> str:
    return "-".join(number[i : i + 4] for i in range(0, len(number), 4))


def check_proof(upload: Upload) -> None:
    """A PDF, JPEG or PNG of at most 10 MB, judged by its content (magic bytes and structure)."""
    if len(upload.data) > PROOF_MAX_BYTES:
        raise AttachmentError(
            f"文件“{upload.name}”大小为 {len(upload.data) / 1024 / 1024:.1f} MB，超过 10 MB，未提交"
        )
    found = check_upload(upload)
    if found not in PROOF_TYPES:
        raise AttachmentError(f"文件“{upload.name}”是{found.label}；{PROOF_HINT}")


def _hashed_address(address: str) -> str:
    """The client address is kept only as a keyed hash: enough to count, not to identify."""
    from django.conf import settings

    return hmac.new(
        settings.SECRET_KEY.encode(), f"portal-address:{address}".encode(), hashlib.sha256
    ).hexdigest()[:32]


def _check_rate(*, address_key: str, id_number: str, now: dt.datetime) -> None:
    recent = OnlineSubmission.objects.filter(client_address=address_key)
    if recent.filter(submitted_at__gte=now - dt.timedelta(hours=1)).count() >= PER_ADDRESS_PER_HOUR:
        raise ApplicationError(TOO_MANY_FROM_ADDRESS.format(limit=PER_ADDRESS_PER_HOUR))
    same = OnlineSubmission.objects.filter(
        id_document_number=id_number, submitted_at__gte=now - dt.timedelta(days=1)
    )
    if same.count() >= PER_APPLICANT_PER_DAY:
        raise ApplicationError(TOO_MANY_FOR_APPLICANT.format(limit=PER_APPLICANT_PER_DAY))


def application_submit_online(
    *,
    unit: Unit,
    form_token: str,
    client_address: str,
    applicant_type: str,
    applicant_name: str,
    id_document_type: IdDocument | str,
    id_document_number: str,
    phone: str,
    description: str,
    requested_form: RequestedForm | str,
    delivery: Delivery | str,
    proof: Upload,
    contact_person: str = "",
    email: str = "",
    address: str = "",
    postcode: str = "",
    purpose: str = "",
) -> OnlineSubmission:
    """Store an application sent through the portal, awaiting the office's confirmation.

    Idempotent on ``form_token`` (the one-time token of the form page): a replayed or
    double-clicked form returns the submission already stored and stores nothing. Refuses, in
    Chinese, a wrong applicant type, a file that is not a PDF/JPEG/PNG of at most 10 MB, and a
    client address or applicant over the rate limits.
    """
    existing = OnlineSubmission.objects.filter(form_token=form_token).first()
    if existing is not None:
        return existing
    choice(applicant_type, {c.code: c.label for c in APPLICANT_COLUMNS}, UNKNOWN_APPLICANT_TYPE)
    check_proof(proof)
    now = timezone.now()
    id_number = id_document_number.strip().upper()
    address_key = _hashed_address(client_address)
    _check_rate(address_key=address_key, id_number=id_number, now=now)
    submission = OnlineSubmission(
        unit=unit,
        public_number=new_public_number(),
        form_token=form_token,
        client_address=address_key,
        applicant_type=applicant_type,
        applicant_name=applicant_name.strip(),
        contact_person=contact_person.strip(),
        id_document_type=str(id_document_type),
        id_document_number=id_number,
        phone=phone.strip(),
        email=email.strip(),
        address=address.strip(),
        postcode=postcode.strip(),
        description=description.strip(),
        purpose=purpose.strip(),
        requested_form=str(requested_form),
        delivery=str(delivery),
        proof_name=proof.name.strip(),
        proof_sha256=hashlib.sha256(proof.data).hexdigest(),
        submitted_on=today(),
    )
    try:
        submission.full_clean(exclude=["proof", "public_number", "form_token"])
    except ValidationError as error:  # one Chinese message naming each field
        parts = [
            f"{getattr(OnlineSubmission._meta.get_field(name), 'verbose_name', name)}："
            f"{'；'.join(texts)}"
            for name, texts in error.message_dict.items()
        ]
        raise ApplicationError("申请信息有误——" + "；".join(parts)) from None
    stored = default_storage.save(
        submission.proof.field.generate_filename(submission, proof.name), ContentFile(proof.data)
    )
    submission.proof.name = stored
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError:
        default_storage.delete(stored)
        again = OnlineSubmission.objects.filter(form_token=form_token).first()
        if again is None:
            raise
        return again
    return submission


@transaction.atomic
def application_confirm_online(
    *, acting_user: Any, submission_id: int, confirmed_on: dt.date
) -> Application:
    """Confirm receipt of an online application ([R] Art 31(三)) and register its case.

    The day of confirmation is the day of receipt; the clock starts from it. The identity
    proof joins the case file. Confirming twice is refused (the first case stands).
    """
    submission = OnlineSubmission.objects.select_for_update().filter(pk=submission_id).first()
    if submission is None:
        raise ApplicationError(NOT_FOUND.format(id=submission_id))
    require(acting_user, Action.REGISTER, submission.unit)
    if submission.application_id is not None:
        number = Application.objects.get(pk=submission.application_id).tracking_number
        raise AlreadyConfirmedError(ALREADY_CONFIRMED.format(number=number))
    not_in_future(confirmed_on, "确认收到日期")
    if confirmed_on < submission.submitted_on:
        raise ApplicationError(
            CONFIRMED_BEFORE_SUBMITTED.format(day=confirmed_on, submitted=submission.submitted_on)
        )
    with submission.proof.open("rb") as handle:
        data = handle.read()
    application = application_register_with_attachments(
        acting_user=acting_user,
        unit=submission.unit,
        uploads=[Upload(name=submission.proof_name, data=data, kind=AttachmentKind.IDENTITY)],
        channel=Channel.ONLINE,
        applicant_type=submission.applicant_type,
        applicant_name=submission.applicant_name,
        contact_person=submission.contact_person,
        id_document_type=submission.id_document_type,
        id_document_number=submission.id_document_number,
        phone=submission.phone,
        email=submission.email,
        address=submission.address,
        postcode=submission.postcode,
        description=submission.description,
        requested_form=submission.requested_form,
        delivery=submission.delivery,
        submitted_on=submission.submitted_on,
        confirmed_on=confirmed_on,
    )
    submission.application = application
    submission.save(update_fields=["application"])
    return application


def portal_principal(unit: Unit) -> Any:
    """The portal's account, allowed to record the applicant's own steps in ``unit`` only."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    account, created = user_model.objects.get_or_create(
        username=PORTAL_USERNAME, defaults={"first_name": PORTAL_DISPLAY_NAME, "is_active": False}
    )
    if created:
        account.set_unusable_password()
        account.save(update_fields=["password"])
    return service_principal(account, unit=unit, scopes=frozenset({"applications:write"}))


def application_supplement_online(
    *, submission: OnlineSubmission, text: str, uploads: list[Upload]
) -> Application:
    """The applicant's answer to a 补正 notice, sent through the portal ([R] Art 30).

    Recorded through :func:`application_receive_supplement` (the reply period restarts from
    today, as when the clerk records a supplement handed in) with the files as 补正材料, all or
    nothing. Refused unless the case is awaiting a supplement.
    """
    application = submission.application
    if application is None or application.status != Status.AWAITING_SUPPLEMENT:
        raise ApplicationError(NOT_AWAITING_SUPPLEMENT)
    note = text.strip()
    if not note and not uploads:
        raise ApplicationError(SUPPLEMENT_EMPTY)
    if len(note) > SUPPLEMENT_MAX_CHARS:
        raise ApplicationError(f"补正内容不能超过 {SUPPLEMENT_MAX_CHARS} 字")
    for upload in uploads:
        check_proof(upload)
    principal = portal_principal(application.unit)
    with transaction.atomic():
        updated = application_receive_supplement(
            acting_user=principal,
            application_id=application.pk,
            expected_version=application.version,
            note=f"申请人网上补正：{note}" if note else "申请人网上补正（见所附材料）",
        )
        if uploads:
            attachments_add(
                acting_user=principal,
                application_id=application.pk,
                expected_version=updated.version,
                uploads=uploads,
            )
            updated.refresh_from_db()
    return updated


def application_confirm_fee_notice_online(*, submission: OnlineSubmission) -> Application:
    """The applicant confirms on the portal that the 收费通知 reached them (today).

    Recorded through :func:`application_record_fee_notice_delivery`: the period to pay counts
    from this day ([FEE]). The clock refuses a second confirmation of the same notice.
    """
    application = submission.application
    if application is None or application.status != Status.AWAITING_PAYMENT:
        raise ApplicationError(NOT_AWAITING_PAYMENT)
    return application_record_fee_notice_delivery(
        acting_user=portal_principal(application.unit),
        application_id=application.pk,
        expected_version=application.version,
        note="申请人在网上确认收到收费通知",
    )
