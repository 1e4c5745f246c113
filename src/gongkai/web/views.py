"""Login, logout, the start page and the error pages of the staff site."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.template import loader

from gongkai.agencies.gatekeeper import membership_of
from gongkai.agencies.models import Role


class LoginForm(AuthenticationForm):
    """Django's login form with the labels a Chinese office expects."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"


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
    return redirect("applications:my_cases")


def no_membership(request: HttpRequest) -> HttpResponse:
    """An account without a unit and role may do nothing; say so instead of a blank 404."""
    template = loader.get_template("web/no_membership.html")
    return HttpResponse(template.render({}, request), status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page; rendered without the request context, which may be what failed."""
    template = loader.get_template("500.html")
    return HttpResponse(template.render({}), status=500)
