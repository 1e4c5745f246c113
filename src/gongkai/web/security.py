"""Response headers that make an injected script or frame harmless.

Django 5.2 has no Content-Security-Policy support of its own (it comes in 6.0), so this small
middleware sets one policy for every page: only the site's own scripts, styles, images and
forms; no plug-ins, no framing, no ``<base>`` rewriting. Templates therefore carry no inline
``<script>`` or ``style=""``: they would be blocked (the case page's script is a static file).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from django.http import HttpRequest, HttpResponseBase

CONTENT_SECURITY_POLICY: Final = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response
