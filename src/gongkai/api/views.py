"""The API's endpoints: thin — the token's service principal, a selector or a service, a schema.

No query runs here (``tests/test_layering.py``): reads are in :mod:`.selectors` and the other
apps' selectors, writes in the apps' services, the very ones the case page calls.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Field as NinjaField
from ninja import File, Header, NinjaAPI, Query, Schema
from ninja import Path as PathParam
from ninja.files import UploadedFile
from ninja.responses import Status
from ninja.security import HttpBearer

from gongkai.agencies.access_log import access_record
from gongkai.agencies.gatekeeper import Action, may_anywhere, require
from gongkai.agencies.models import AccessKind
from gongkai.api import errors
from gongkai.api import selectors as api_selectors
from gongkai.api.event_schemas import (
    EventOut,
    LedgerValue,
    RegisterEventPage,
    event_out,
    register_event_out,
)
from gongkai.api.models import ApiToken
from gongkai.api.schemas import (
    YEAR_MAX,
    YEAR_MIN,
    ApplicationIn,
    ApplicationOut,
    ApplicationPage,
    CatalogueItemOut,
    ConsultationAnswerIn,
    ConsultationIn,
    CorrectionIn,
    DecisionIn,
    DelayedReplyIn,
    DocumentOut,
    DocumentPage,
    ErrorOut,
    ExtensionIn,
    FeeNoticeIn,
    OnlineConfirmIn,
    OnlineSubmissionPage,
    ReasonsIn,
    RefusalIn,
    ReplyIn,
    ReportVersionOut,
    Section2Out,
    StatusValue,
    StepIn,
    SupplementIn,
    UnitOut,
    WithdrawalIn,
    application_out,
    online_submission_out,
    section2_tables,
)
from gongkai.api.services import (
    AUDIT_SCOPE,
    IDEMPOTENCY_HOURS,
    PERSONAL_DATA_SCOPE,
    ApiError,
    authenticate,
    create_once,
    require_scope,
)
from gongkai.applications import services as steps
from gongkai.applications.models import Application
from gongkai.applications.services.base import today
from gongkai.applications.services.online import (
    AlreadyConfirmedError,
    application_confirm_online,
)
from gongkai.core.audit import audit_document
from gongkai.core.audit_result import AuditResult
from gongkai.core.inputs import Document
from gongkai.core.render.report_files import render_report_file
from gongkai.registers.selectors import HISTORY_REGISTERS, catalogue, section2_cells
from gongkai.reports.selectors import published_versions


@dataclass(frozen=True, slots=True)
class Caller:
    token: ApiToken
    principal: Any


class TokenAuth(HttpBearer):
    """``Authorization: Bearer gk_…``: the token's service principal, or a 401/429."""

    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        found, principal = authenticate(secret=token.strip())
        return Caller(found, principal)


api = NinjaAPI(
    title="gongkai 政府信息公开接口",
    version="1.0",  # the API's own version: the schema changes only when the API does
    description=(
        "依申请公开案件、公开工作台账、年度报告和报告审查的接口。每个令牌属于一个单位，"
        "按其权限范围（scopes）访问本单位的数据；错误统一为 "
        '`{"error": {"code", "message", "details"}}`，说明为中文。'
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url=None,
)
errors.install(api)

# Every error response an endpoint may give, documented once.
_ERRORS: Final[dict[int, type[Schema]]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}
_WRITE_ERRORS: Final = {**_ERRORS, 409: ErrorOut, 413: ErrorOut}

PAGE_MAX: Final = 200


def _caller(request: HttpRequest) -> Caller:
    caller: Caller = request.auth  # type: ignore[attr-defined]
    return caller


def _needs(caller: Caller, action: Action, scope: str) -> None:
    """Refuse with 403 when the token may do ``action`` nowhere (the scope is missing); where
    it may, the gatekeeper still decides each record (404 for another unit's)."""
    if not may_anywhere(caller.principal, action):
        raise ApiError(
            f"该接口令牌没有“{scope}”权限，不能{action.label}", code="forbidden", status=403
        )


def _out(caller: Caller, application: Application) -> ApplicationOut:
    """The case as the API returns it: ID and phone numbers masked, or — for a token with the
    personal-data scope — in full, each such return logged like a look on the case page."""
    personal_data = PERSONAL_DATA_SCOPE in caller.token.scopes
    if personal_data:
        access_record(
            user=caller.principal,
            unit_id=application.unit_id,
            kind=AccessKind.REVEAL,
            what=f"身份证明号码、联系电话（接口令牌“{caller.token.name}”）",
            application_id=application.pk,
            tracking_number=application.tracking_number,
        )
    return application_out(application, personal_data=personal_data)


class ApplicationFilters(Schema):
    year: int | None = NinjaField(default=None, ge=YEAR_MIN, le=YEAR_MAX, description="受理年度")
    status: StatusValue | None = NinjaField(default=None, description="办理状态")
    limit: int = NinjaField(default=50, ge=1, le=PAGE_MAX, description="每页条数")
    offset: int = NinjaField(default=0, ge=0, le=10_000_000, description="跳过的条数")


# ---------------------------------------------------------------------------------------------
# Applications
# ---------------------------------------------------------------------------------------------


@api.get("/applications", response={200: ApplicationPage, **_ERRORS}, tags=["申请"])
def application_list(request: HttpRequest, filters: Query[ApplicationFilters]) -> Any:
    """本单位的申请，按收到日期从新到旧，可按年度、状态筛选，分页（limit/offset）。"""
    caller = _caller(request)
    _needs(caller, Action.VIEW_CASES, "applications:read")
    total, page = api_selectors.application_page(
        principal=caller.principal,
        year=filters.year,
        status=filters.status,
        offset=filters.offset,
        limit=filters.limit,
    )
    return ApplicationPage(
        count=total,
        limit=filters.limit,
        offset=filters.offset,
        items=[_out(caller, a) for a in page],
    )


def _fingerprint(payload: Schema) -> str:
    return hashlib.sha256(payload.model_dump_json().encode("utf-8")).hexdigest()


@api.post(
    "/applications",
    response={201: ApplicationOut, 200: ApplicationOut, **_WRITE_ERRORS},
    tags=["申请"],
)
def application_create(
    request: HttpRequest,
    payload: ApplicationIn,
    idempotency_key: str | None = Header(  # type: ignore[type-arg]
        default=None,
        alias="Idempotency-Key",
        max_length=200,
        description=(
            f"幂等键：{IDEMPOTENCY_HOURS} 小时内以同一键重试只会登记一件申请，返回第一次的结果"
            f"（同一键配不同内容返回 409）；首次使用超过 {IDEMPOTENCY_HOURS} 小时的键视为新键，"
            "请求按新申请处理"
        ),
    ),
) -> Any:
    """登记一件申请（以令牌所属单位受理），返回 201。

    以同一幂等键（`Idempotency-Key`）重试时返回第一次的结果（200）。
    幂等键自首次使用起只保留一段时间（见该请求头的说明）；
    过期的键视为新键，请求按新申请处理。
    """
    caller = _caller(request)
    _needs(caller, Action.REGISTER, "applications:write")
    unit = api_selectors.principal_unit(caller.principal)

    def create() -> Application:
        return steps.application_register(
            acting_user=caller.principal, unit=unit, **payload.model_dump()
        )

    application, created = create_once(
        token=caller.token,
        key=(idempotency_key or "").strip() or None,
        fingerprint=_fingerprint(payload),
        create=create,
    )
    return Status(201 if created else 200, _out(caller, application))


@api.get("/applications/{application_id}", response={200: ApplicationOut, **_ERRORS}, tags=["申请"])
def application_detail(request: HttpRequest, application_id: int) -> Any:
    """一件申请。其他单位的申请与不存在的申请同样返回 404。"""
    caller = _caller(request)
    _needs(caller, Action.VIEW_CASES, "applications:read")
    found = api_selectors.application(principal=caller.principal, application_id=application_id)
    return _out(caller, found)


@api.get(
    "/applications/{application_id}/events",
    response={200: list[EventOut], **_ERRORS},
    tags=["申请"],
    exclude_unset=True,  # a field the payload omits when empty stays absent, not null
)
def application_event_list(request: HttpRequest, application_id: int) -> Any:
    """一件申请的全部办理记录（从早到晚）。

    每条的 `data` 按办理事项 `kind` 有各自的结构（见各 `…Event` 模式）。
    """
    caller = _caller(request)
    _needs(caller, Action.VIEW_CASES, "applications:read")
    events = api_selectors.application_events(
        principal=caller.principal, application_id=application_id
    )
    return [event_out(e) for e in events]


def _step(
    path: str, body: type[StepIn], summary: str, action: Action = Action.HANDLE
) -> Callable[[Callable[..., Application]], None]:
    """Register ``POST /applications/{id}/<path>`` running one workflow service."""
    scope = "extensions:approve" if action is Action.APPROVE_EXTENSION else "applications:write"

    def register(service: Callable[..., Application]) -> None:
        def endpoint(request: HttpRequest, application_id: int, payload: Any) -> Any:
            caller = _caller(request)
            _needs(caller, action, scope)
            updated = service(
                acting_user=caller.principal, application_id=application_id, **payload.dict()
            )
            return _out(caller, updated)

        endpoint.__annotations__ = {"request": HttpRequest, "application_id": int, "payload": body}
        endpoint.__name__ = f"application_{path.replace('/', '_')}"
        endpoint.__doc__ = summary
        api.post(
            f"/applications/{{application_id}}/{path}",
            response={200: ApplicationOut, **_WRITE_ERRORS},
            tags=["办理"],
            operation_id=endpoint.__name__,
        )(endpoint)

    return register


_step("correction", CorrectionIn, "发出补正告知（第三十条，一次性告知补正事项和期限）。")(
    steps.application_request_correction
)
_step("supplement", SupplementIn, "收到补正材料；答复期限自此日重新计算。")(
    steps.application_receive_supplement
)
_step("extension", ExtensionIn, "申请延长答复期限（第三十三条第二款）。")(
    steps.application_request_extension
)
_step("extension/approve", StepIn, "负责人同意延期答复。", Action.APPROVE_EXTENSION)(
    steps.application_approve_extension
)
_step("extension/refuse", RefusalIn, "负责人驳回延期申请。", Action.APPROVE_EXTENSION)(
    steps.application_refuse_extension
)
_step("decision", DecisionIn, "作出答复决定（办理结果为表三的结果行）。")(steps.application_decide)
_step(
    "reasons",
    ReasonsIn,
    "补录答复理由：答复决定未记录理由（早先登记或从台账导入）时，补填其办理结果所需而尚空缺的理由"
    "（具体理由、不予公开的部分及其情形）。答复决定本身不变，补录记为一条办理记录；已记录的理由"
    "不能在此修改，已归档的案件不能补录。",
    Action.ADD_REASONS,
)(steps.application_add_reasons)
_step("reply", ReplyIn, "答复已送出（答复期限的终点）。")(steps.application_send_reply)
_step("withdrawal", WithdrawalIn, "申请人撤回申请。")(steps.application_withdraw)
_step("correction/abandoned", StepIn, "补正期限届满未补正：视为放弃申请（第三十条）。")(
    steps.application_abandon_correction
)
_step("consultation", ConsultationIn, "发出征求意见函（第三十二条、第三十四条）；期限暂停。")(
    steps.application_start_consultation
)
_step("consultation/answer", ConsultationAnswerIn, "收到征求意见的答复；期限恢复计算。")(
    steps.application_answer_consultation
)
_step("delayed-reply", DelayedReplyIn, "告知申请人延迟答复（第三十五条）。")(
    steps.application_notify_delayed_reply
)
_step("fee-notice", FeeNoticeIn, "发出收费通知（信息处理费）；期限暂停至缴费。")(
    steps.application_send_fee_notice
)
_step("fee-paid", StepIn, "申请人已缴费；期限恢复计算。")(steps.application_fee_paid)
_step("fee-not-paid", StepIn, "申请人逾期未缴费：视为放弃申请。")(steps.application_fee_not_paid)


# ---------------------------------------------------------------------------------------------
# Online submissions (the public portal's applications, before the office confirms them)
# ---------------------------------------------------------------------------------------------


class PageQuery(Schema):
    limit: int = NinjaField(default=50, ge=1, le=PAGE_MAX)
    offset: int = NinjaField(default=0, ge=0, le=10_000_000)


ONLINE_NOT_FOUND: Final = "未找到该网上申请，或该令牌无权访问"


@api.get("/online-submissions", response={200: OnlineSubmissionPage, **_ERRORS}, tags=["网上申请"])
def online_submission_list(request: HttpRequest, page: Query[PageQuery]) -> Any:
    """本单位待确认收到的网上申请（门户提交），按提交时间从早到晚，分页（limit/offset）。"""
    caller = _caller(request)
    _needs(caller, Action.VIEW_CASES, "applications:read")
    total, items = api_selectors.online_submission_page(
        principal=caller.principal, offset=page.offset, limit=page.limit
    )
    personal_data = PERSONAL_DATA_SCOPE in caller.token.scopes
    return OnlineSubmissionPage(
        count=total,
        limit=page.limit,
        offset=page.offset,
        items=[online_submission_out(s, personal_data=personal_data) for s in items],
    )


@api.post(
    "/online-submissions/{submission_id}/confirm",
    response={201: ApplicationOut, **_WRITE_ERRORS},
    tags=["网上申请"],
)
def online_submission_confirm(
    request: HttpRequest, submission_id: int, payload: OnlineConfirmIn
) -> Any:
    """确认收到一件网上申请（第三十一条第三项：双方确认之日为收到之日），登记为申请并开始
    计算答复期限，返回 201 和登记的申请；已确认过的返回 409，其他单位的与不存在的同样返回 404。"""
    caller = _caller(request)
    _needs(caller, Action.REGISTER, "applications:write")
    found = api_selectors.online_submission(principal=caller.principal, submission_id=submission_id)
    if found is None:
        raise ApiError(ONLINE_NOT_FOUND, code="not_found", status=404)
    try:
        application = application_confirm_online(
            acting_user=caller.principal,
            submission_id=found.pk,
            confirmed_on=payload.confirmed_on or today(),
        )
    except AlreadyConfirmedError as error:
        # Decided under the submission's row lock: a request that lost a race to confirm it
        # is told the same as one that came later — a conflict, naming the case that stands.
        raise ApiError(str(error), code="already_confirmed", status=409) from None
    return Status(201, _out(caller, application))


# ---------------------------------------------------------------------------------------------
# Registers
# ---------------------------------------------------------------------------------------------


def _year_in_path() -> Any:
    """The year in a path, declared with its range: the schema says what ninja enforces."""
    return PathParam(..., ge=YEAR_MIN, le=YEAR_MAX, description="年度")  # type: ignore[type-arg]


def _version_in_query() -> Any:
    return Query(None, ge=1, le=1000, description="版本，默认最新")  # type: ignore[type-arg]


@api.get("/registers/documents", response={200: DocumentPage, **_ERRORS}, tags=["台账"])
def document_list(request: HttpRequest, page: Query[PageQuery]) -> Any:
    """本单位登记的规章和行政规范性文件，按印发日期从新到旧，分页。"""
    caller = _caller(request)
    _needs(caller, Action.VIEW_REGISTERS, "registers:read")
    total, items = api_selectors.document_page(
        principal=caller.principal, offset=page.offset, limit=page.limit
    )
    return DocumentPage(
        count=total,
        limit=page.limit,
        offset=page.offset,
        items=[
            DocumentOut(
                id=d.pk,
                kind=d.kind,
                kind_label=d.get_kind_display(),
                number=d.number,
                title=d.title,
                issued_on=d.issued_on,
                repealed_on=d.repealed_on,
            )
            for d in items
        ],
    )


class RegisterHistoryQuery(Schema):
    ledger: LedgerValue | None = NinjaField(
        default=None,
        description="只列一种台账的变更："
        + "、".join(f"{key} {label}" for key, (label, _) in HISTORY_REGISTERS.items()),
    )
    entry: int | None = NinjaField(
        default=None,
        ge=1,
        le=2**63 - 1,
        description="只列该台账中一个条目的变更（条目编号，须同时指定 ledger）",
    )
    limit: int = NinjaField(default=50, ge=1, le=PAGE_MAX, description="每页条数")
    offset: int = NinjaField(default=0, ge=0, le=10_000_000, description="跳过的条数")


ENTRY_WITHOUT_LEDGER: Final = (
    "按条目筛选（entry）须同时指定台账（ledger）：各台账的条目编号互不相干"
)


@api.get(
    "/registers/history",
    response={200: RegisterEventPage, **_ERRORS},
    tags=["台账"],
)
def register_history(request: HttpRequest, filters: Query[RegisterHistoryQuery]) -> Any:
    """本单位公开工作台账的变更记录（每次登记、更正、导入和删除：操作人、时间、修改前后的内容），
    按时间从新到旧，可按台账及条目筛选，分页（limit/offset）。记录只能新增，不能修改或删除。"""
    caller = _caller(request)
    _needs(caller, Action.VIEW_REGISTERS, "registers:read")
    if filters.entry is not None and filters.ledger is None:
        # A rule between two parameters, which the schema cannot state: a 400, as the law's.
        raise ApiError(ENTRY_WITHOUT_LEDGER, code="invalid_request", status=400)
    total, events = api_selectors.register_event_page(
        principal=caller.principal,
        register=filters.ledger,
        entry_id=filters.entry,
        offset=filters.offset,
        limit=filters.limit,
    )
    return {
        "count": total,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [register_event_out(e) for e in events],
    }


def _unit_out(unit: Any) -> UnitOut:
    return UnitOut(id=unit.pk, name=unit.name, short_name=unit.short_name)


@api.get("/registers/{year}/section2", response={200: Section2Out, **_ERRORS}, tags=["台账"])
def register_section2(request: HttpRequest, year: int = _year_in_path()) -> Any:
    """年度报告第二部分（主动公开情况）各表的数值，由台账计算。"""
    caller = _caller(request)
    _needs(caller, Action.VIEW_REGISTERS, "registers:read")
    unit = api_selectors.principal_unit(caller.principal)
    require(caller.principal, Action.VIEW_REGISTERS, unit)
    return Section2Out(
        unit=_unit_out(unit),
        year=year,
        tables=section2_tables(section2_cells(unit=unit, year=year)),
    )


@api.get(
    "/registers/{year}/catalogue", response={200: list[CatalogueItemOut], **_ERRORS}, tags=["台账"]
)
def register_catalogue(request: HttpRequest, year: int = _year_in_path()) -> Any:
    """本年度形成或公开（及尚未公开）的主动公开事项，附第二十六条的公开时限核对。"""
    caller = _caller(request)
    _needs(caller, Action.VIEW_REGISTERS, "registers:read")
    unit = api_selectors.principal_unit(caller.principal)
    entries = catalogue(user=caller.principal, unit=unit, year=year, today=today())
    return [
        CatalogueItemOut(
            id=e.item.pk,
            category=e.item.category,
            category_label=e.item.get_category_display(),
            title=e.item.title,
            formed_on=e.item.formed_on,
            published_on=e.item.published_on,
            due=e.due_on,
            late_working_days=e.days_late,
        )
        for e in entries
    ]


# ---------------------------------------------------------------------------------------------
# Annual reports
# ---------------------------------------------------------------------------------------------

NOT_PUBLISHED: Final = "本单位 {year} 年度报告尚未发布（或没有第 {version} 版）"


def _published(caller: Caller, year: int, version: int | None) -> Any:
    _needs(caller, Action.VIEW_REPORTS, "reports:read")
    unit = api_selectors.principal_unit(caller.principal)
    versions = published_versions(user=caller.principal, unit_id=unit.pk, year=year)
    chosen = [v for v in versions if version is None or v.version == version]
    if not chosen:
        raise ApiError(
            NOT_PUBLISHED.format(year=year, version=version or "任何"),
            code="not_found",
            status=404,
        )
    return chosen[-1]


@api.get(
    "/reports/{year}/versions", response={200: list[ReportVersionOut], **_ERRORS}, tags=["年度报告"]
)
def report_versions(request: HttpRequest, year: int = _year_in_path()) -> Any:
    """本单位该年度报告已发布的各版本（更正后有多版），从早到晚。"""
    caller = _caller(request)
    _needs(caller, Action.VIEW_REPORTS, "reports:read")
    unit = api_selectors.principal_unit(caller.principal)
    return [
        ReportVersionOut(
            version=v.version, published_at=v.published_at, sha256=v.sha256, reason=v.reason
        )
        for v in published_versions(user=caller.principal, unit_id=unit.pk, year=year)
    ]


_FILE_TYPES: Final = {
    "json": "application/json",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _report_file(request: HttpRequest, year: int, version: int | None, kind: str) -> HttpResponse:
    caller = _caller(request)
    published = _published(caller, year, version)
    data = render_report_file(published.report, f"report.{kind}")
    response = HttpResponse(data, content_type=_FILE_TYPES[kind])
    if kind != "json":
        name = f"{published.unit.short_name}-{year}-v{published.version}.{kind}"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@api.get(
    "/reports/{year}",
    response={200: dict[str, Any], **_ERRORS},
    tags=["年度报告"],
)
def report_json(
    request: HttpRequest, year: int = _year_in_path(), version: int | None = _version_in_query()
) -> Any:
    """本单位该年度已发布的年度报告（结构化 JSON，格式见 `gongkai schema`）。"""
    return _report_file(request, year, version, "json")


def _binary(kind: str) -> dict[str, Any]:
    return {
        "responses": {
            200: {
                "description": "文件",
                "content": {_FILE_TYPES[kind]: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


@api.get(
    "/reports/{year}/docx",
    response={**_ERRORS},
    tags=["年度报告"],
    openapi_extra=_binary("docx"),
)
def report_docx(
    request: HttpRequest, year: int = _year_in_path(), version: int | None = _version_in_query()
) -> Any:
    """本单位该年度已发布的年度报告，Word 文件。"""
    return _report_file(request, year, version, "docx")


@api.get(
    "/reports/{year}/pdf",
    response={**_ERRORS},
    tags=["年度报告"],
    openapi_extra=_binary("pdf"),
)
def report_pdf(
    request: HttpRequest, year: int = _year_in_path(), version: int | None = _version_in_query()
) -> Any:
    """本单位该年度已发布的年度报告，PDF 文件。"""
    return _report_file(request, year, version, "pdf")


# ---------------------------------------------------------------------------------------------
# The auditor
# ---------------------------------------------------------------------------------------------


def audit_max_bytes() -> int:
    return int(getattr(settings, "GONGKAI_API_AUDIT_MAX_BYTES", 20 * 1024 * 1024))


@api.post("/audit", response={200: AuditResult, 413: ErrorOut, **_ERRORS}, tags=["审查"])
def audit_upload(request: HttpRequest, file: UploadedFile = File(...)) -> Any:  # type: ignore[type-arg]  # noqa: B008
    """审查一份已发布的年度报告文件（文本、HTML、DOCX、PDF、OFD）。

    返回与 `gongkai audit --json` 相同的结果。
    """
    caller = _caller(request)
    require_scope(caller.token, AUDIT_SCOPE)
    limit = audit_max_bytes()
    if file.size is None or file.size > limit:
        raise ApiError(
            f"文件过大：最多 {limit // (1024 * 1024)} MB", code="file_too_large", status=413
        )
    data = file.read(limit + 1)
    if not data:
        raise ApiError("上传的文件是空的", code="invalid_request", status=400)
    name = (file.name or "report")[-200:]
    # No timer here: in a server's request thread the only interruption is an asynchronous
    # exception, which can land inside the server's or a tracer's own locked sections (it hung
    # the live server under coverage). The upload is bounded by its size and the parsers' caps,
    # as the staff site's evaluation uploads are.
    return audit_document(Document(name=name, data=data))


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any other address under ``/api/``: the error shape, not the staff site's HTML page."""
    return errors.error_response(
        api, request, status=404, code="not_found", message="没有这个接口地址：" + request.path
    )
