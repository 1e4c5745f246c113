"""Django settings for gongkai.

SQLite by default (a file next to the working directory, or ``GONGKAI_SQLITE_PATH``), so that
one command on one PC is enough to try gongkai; PostgreSQL when ``DATABASE_URL`` names it, as a
real multi-user deployment does.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("GONGKAI_SECRET_KEY", "gongkai-insecure-development-key")
DEBUG = os.environ.get("GONGKAI_DEBUG", "") == "1"
ALLOWED_HOSTS = [
    h for h in os.environ.get("GONGKAI_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "gongkai.agencies",
    "gongkai.calendars",
    "gongkai.applications",
    "gongkai.letters",
    "gongkai.remedies",
    "gongkai.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "gongkai.site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.web.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "gongkai.site.wsgi.application"


def database_from_url(url: str) -> dict[str, object]:
    """Django's DATABASES entry for a ``postgres://user:pass@host:port/name`` URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"DATABASE_URL 只支持 postgresql://…，实为 {parts.scheme!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        # Persistent connections for the server; GONGKAI_CONN_MAX_AGE=0 closes each at the end of
        # its request (the test command sets it, so no session outlives the test database).
        "CONN_MAX_AGE": int(os.environ.get("GONGKAI_CONN_MAX_AGE", "60")),
    }


if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("GONGKAI_SQLITE_PATH", str(Path.cwd() / "gongkai.sqlite3")),
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"

# The staff site (gongkai.web): Django's auth views with our own pages.
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
STATIC_ROOT = os.environ.get("GONGKAI_STATIC_ROOT", str(Path.cwd() / "gongkai-static"))
# Sessions end with the browser and after 8 idle hours: office PCs are shared.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 8 * 3600
# The site speaks Chinese whatever the browser asks for (an English-language browser on a
# clerk's PC must not turn Django's own messages into English).
LANGUAGES = [("zh-hans", "简体中文")]

# Uploaded files (attachments of applications) go through Django's storage API, so a deployment
# can swap the file system for object storage. By default they live in a folder beside the
# SQLite database (the demo's database and its files stay together), else in the working
# directory. Never served as static media: every download goes through the gatekeeper.
MEDIA_ROOT = os.environ.get(
    "GONGKAI_MEDIA_ROOT",
    str(
        Path(str(DATABASES["default"]["NAME"])).parent / "gongkai-media"
        if str(DATABASES["default"]["ENGINE"]).endswith("sqlite3")
        else Path.cwd() / "gongkai-media"
    ),
)
# Largest attachment accepted (identity proof, request files); see applications.attachments.
GONGKAI_ATTACHMENT_MAX_BYTES = int(
    os.environ.get("GONGKAI_ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024))
)

# The working-day calendar is the national one (法定节假日 and 调休, from chinesecalendar); a
# deployment adds its local days off (e.g. a provincial holiday) and extra working days as
# comma-separated YYYY-MM-DD dates. Invalid dates stop the server at start with a Chinese error.
GONGKAI_LOCAL_DAYS_OFF = [d for d in os.environ.get("GONGKAI_LOCAL_DAYS_OFF", "").split(",") if d]
GONGKAI_EXTRA_WORKDAYS = [d for d in os.environ.get("GONGKAI_EXTRA_WORKDAYS", "").split(",") if d]
