"""One JSON shape for every error the API returns, with the message in Chinese.

``{"error": {"code": "…", "message": "…", "details": …}}`` — ninja's own validation errors
(422), a missing or revoked token (401), a missing scope (403), a record that does not exist
*or* belongs to another unit (404: the gatekeeper's refusal never says which), a stale version
or a reused idempotency key (409), the rate limit (429), a step the case clock refuses (400),
an oversized body (413), and the unexpected (500, logged, with no detail). :func:`install`
adds the handlers.
"""

from __future__ import annotations

import logging
from typing import Any, Final

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from gongkai.agencies.gatekeeper import AccessDeniedError
from gongkai.api.services import UNAUTHENTICATED, ApiError
from gongkai.applications.services import StaleVersionError
from gongkai.core.errors import GongkaiError

logger = logging.getLogger("gongkai.api")

NOT_FOUND: Final = "未找到该资源，或该令牌无权访问"
INTERNAL: Final = "服务器内部错误，已记录；请稍后重试，如仍失败请联系系统管理员"

# pydantic's error types → the Chinese sentence a caller reads (ctx values filled in).
_MESSAGES: Final[dict[str, str]] = {
    "missing": "缺少必填字段",
    "literal_error": "取值必须是以下之一：{expected}",
    "enum": "取值必须是以下之一：{expected}",
    "string_too_short": "长度不能少于 {min_length} 个字符",
    "string_too_long": "长度不能超过 {max_length} 个字符",
    "string_type": "必须是字符串",
    "int_parsing": "必须是整数",
    "int_type": "必须是整数",
    "int_from_float": "必须是整数",
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "必须大于 {gt}",
    "less_than_equal": "不能大于 {le}",
    "less_than": "必须小于 {lt}",
    "date_parsing": "必须是“YYYY-MM-DD”格式的日期",
    "date_from_datetime_parsing": "必须是“YYYY-MM-DD”格式的日期",
    "date_from_datetime_inexact": "必须是日期，不能带时间",
    "date_type": "必须是“YYYY-MM-DD”格式的日期",
    "bool_parsing": "必须是 true 或 false",
    "bool_type": "必须是 true 或 false",
    "json_invalid": "请求体不是有效的 JSON",
    "model_attributes_type": "必须是 JSON 对象",
    "dict_type": "必须是 JSON 对象",
    "model_type": "必须是 JSON 对象",
    "list_type": "必须是数组",
    "value_error": "取值无效",
}
# ninja's own HTTP errors (in English) → our code and a Chinese message.
_HTTP_ERRORS: Final[dict[int, tuple[str, str]]] = {
    400: ("invalid_request", "无法解析请求体：请提交有效的 JSON（Content-Type: application/json）"),
    403: ("forbidden", "该接口令牌无权进行此操作"),
    404: ("not_found", NOT_FOUND),
    405: ("method_not_allowed", "该接口地址不支持此请求方法"),
    429: ("rate_limited", "请求过于频繁，请稍后再试"),
}
_PLACES: Final = {"body": "请求体", "query": "查询参数", "path": "路径参数", "header": "请求头"}


def _where(loc: list[Any]) -> str:
    parts = [str(p) for p in loc]
    place = _PLACES.get(parts[0], "") if parts else ""
    # ninja names the body's parameter ("payload"): the caller knows only the field names.
    fields = [p for p in parts[1:] if p not in ("payload", "filters")]
    name = ".".join(fields)
    if place and name:
        return f"{place}字段“{name}”"
    return place or (f"字段“{name}”" if name else "请求")


def _sentence(error: dict[str, Any]) -> str:
    template = _MESSAGES.get(str(error.get("type", "")), "取值无效")
    context = {k: v for k, v in (error.get("ctx") or {}).items()}
    if "expected" in context:  # pydantic writes "'a', 'b' or 'c'"
        context["expected"] = str(context["expected"]).replace(" or ", ", ").replace(", ", "、")
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return template.split("{")[0].rstrip("：") or "取值无效"


def validation_details(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "field": ".".join(str(p) for p in (e.get("loc") or [])[1:] if p != "payload"),
            "message": f"{_where(list(e.get('loc') or []))}：{_sentence(e)}",
        }
        for e in errors
    ]


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    status: int,
    code: str,
    message: str,
    details: Any = None,
) -> HttpResponse:
    body = {"error": {"code": code, "message": message, "details": details}}
    return api.create_response(request, body, status=status)


def install(api: NinjaAPI) -> None:
    """Replace ninja's default handlers (``{"detail": …}`` in English) with ours."""

    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        details = validation_details(list(exc.errors))
        message = "请求参数有误：" + "；".join(d["message"] for d in details)
        return error_response(
            api, request, status=422, code="validation_error", message=message, details=details
        )

    def on_api_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(api, request, status=exc.status, code=exc.code, message=str(exc))

    def on_denied(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(api, request, status=404, code="not_found", message=str(exc))

    def on_stale(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(api, request, status=409, code="stale_version", message=str(exc))

    def on_domain(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(api, request, status=400, code="invalid_request", message=str(exc))

    def on_http(request: HttpRequest, exc: Any) -> HttpResponse:
        if isinstance(exc, AuthenticationError):
            return error_response(
                api, request, status=401, code="unauthenticated", message=UNAUTHENTICATED
            )
        code, message = _HTTP_ERRORS.get(exc.status_code, ("http_error", "请求无法处理"))
        return error_response(api, request, status=exc.status_code, code=code, message=message)

    def on_too_big(request: HttpRequest, exc: Any) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        message = f"请求体过大（最多 {limit // 1024} KB）" if limit else "请求体过大"
        return error_response(api, request, status=413, code="request_too_large", message=message)

    def on_suspicious(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(
            api, request, status=400, code="invalid_request", message="请求无法处理：格式不正确"
        )

    def on_404(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(api, request, status=404, code="not_found", message=NOT_FOUND)

    def on_unexpected(request: HttpRequest, exc: Any) -> HttpResponse:
        logger.exception("API %s %s failed", request.method, request.path)
        return error_response(api, request, status=500, code="internal_error", message=INTERNAL)

    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(AccessDeniedError, on_denied)
    api.add_exception_handler(StaleVersionError, on_stale)
    api.add_exception_handler(GongkaiError, on_domain)
    api.add_exception_handler(HttpError, on_http)
    api.add_exception_handler(Http404, on_404)
    api.add_exception_handler(RequestDataTooBig, on_too_big)
    api.add_exception_handler(SuspiciousOperation, on_suspicious)
    api.add_exception_handler(Exception, on_unexpected)
