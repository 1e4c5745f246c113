from __future__ import annotations

from django.urls import URLPattern, path

from gongkai.web import views

app_name = "web"

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("no-membership/", views.no_membership, name="no_membership"),
]
