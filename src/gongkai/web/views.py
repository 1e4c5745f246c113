"""Login, logout, the start page and the error pages of the staff site."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils import timezone

from gongkai.agencies import throttle
from gongkai.agencies.gatekeeper import membership_of
from gongkai.agencies.models import Role


class LoginForm(AuthenticationForm):
    """Django's login form with the labels a Chinese office expects, and the throttle's words.

    The login backend (:mod:`gongkai.agencies.backends`) counts failures and refuses locked
    logins; this form tells the person why, in plain Chinese.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"

    def clean(self) -> dict[str, Any]:
        username = str(self.cleaned_data.get("username") or "")
        address = throttle.client_address(self.request) if self.request else "unknown"
        try:
            return super().clean()
        except forms.ValidationError as error:
            if error.code != "invalid_login":
                raise  # an inactive account: Django's own message
            now = timezone.now()
            # The backend has counted the failure (or refused a locked login unchecked).
            lock = throttle.login_lock(username=username, address=address, now=now)
            if lock is not None:
                raise forms.ValidationError(lock.message(now), code="locked") from None
            left = throttle.failures_left(username=username)
            raise forms.ValidationError(
                throttle.FAILED_MESSAGE.format(left=left), code="invalid_login"
            ) from None


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    template_name = "web/logged_out.html"


def home(request: HttpRequest) -> HttpResponseBase:
    """Send each person to the page their work starts from."""
    if not request.user.is_authenticated:
        return redirect("web:login")
    membership = membership_of(request.user)
    if membership is None:
        return redirect("web:no_membership")
    if membership.role in (Role.SUPERVISOR, Role.ADMIN):
        return redirect("applications:overview")
    if membership.role == Role.EVALUATOR:
        return redirect("evaluations:batches")
    return redirect("applications:my_cases")


def favicon(request: HttpRequest) -> HttpResponseBase:
    """The site's icon where a browser looks for it by default: the pages name it, but a
    browser that has not read a page yet (or a feed reader) asks for /favicon.ico, and each
    such request left a 「Not Found」 warning in the server's log."""
    return redirect(static("web/icon.svg"), permanent=True)


def no_membership(request: HttpRequest) -> HttpResponse:
    """An account without a unit and role may do nothing; say so instead of a blank 404."""
    template = loader.get_template("web/no_membership.html")
    return HttpResponse(template.render({}, request), status=403)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Every user changes their own password (Django's form, validators and session update)."""

    template_name = "web/password_change.html"
    success_url = reverse_lazy("web:home")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        throttle.logger.info("修改密码：账号 %r", self.request.user.get_username())
        messages.success(self.request, "密码已修改。下次登录请使用新密码。")
        return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 400 page, e.g. for a host name not in GONGKAI_ALLOWED_HOSTS.

    Rendered without the request context: with a refused host, anything that asks the request
    for its host (a link, the CSRF token) would fail again.
    """
    template = loader.get_template("400.html")
    return HttpResponse(template.render({}), status=400)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 404 page; shows the reason only when a view wrote one in Chinese for the user.

    Django's own handler prints the exception's class name ("Resolver404") when the URL
    matches no page; a plain :class:`Http404` with a message is our gatekeeper's refusal.
    """
    reason = ""
    if type(exception) is Http404 and exception.args and isinstance(exception.args[0], str):
        reason = exception.args[0]
    template = loader.get_template("404.html")
    return HttpResponse(template.render({"reason": reason}, request), status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page; rendered without the request context, which may be what failed."""
    template = loader.get_template("500.html")
    return HttpResponse(template.render({}), status=500)
