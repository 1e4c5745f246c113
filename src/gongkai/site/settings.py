"""Django settings for gongkai.

SQLite by default (a file next to the working directory, or ``GONGKAI_SQLITE_PATH``), so that
one command on one PC is enough to try gongkai; PostgreSQL when ``DATABASE_URL`` names it, as a
real multi-user deployment does.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent

# The key signs sessions, CSRF tokens and the ledger-import tokens. There is no public default:
# without GONGKAI_SECRET_KEY each process draws its own (fine for the demo and the tests, whose
# sessions die with the process), and ``gongkai serve`` refuses to start (gongkai.web.runner).
SECRET_KEY = os.environ.get("GONGKAI_SECRET_KEY", "") or secrets.token_urlsafe(50)
GONGKAI_SECRET_KEY_FROM_ENVIRONMENT = bool(os.environ.get("GONGKAI_SECRET_KEY", ""))
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
    "gongkai.registers",
    "gongkai.evaluations",
    "gongkai.reports",
    "gongkai.api",
    "gongkai.portal",
    "gongkai.reminders",
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
    "gongkai.agencies.middleware.OneTimePasswordMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gongkai.web.security.ContentSecurityPolicyMiddleware",
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
                "gongkai.reminders.context_processors.notifications",
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

# Django's cache, shared by every server process (waitress runs several, on one host or many):
# a table in the application's database, so it needs no other service and works the same on
# SQLite and PostgreSQL (``migrate`` creates it, see gongkai.portal.apps). It keeps the public
# pages rendered once for all processes (gongkai.portal.page_cache) and the captcha's spent
# tokens, whose one-time use relies on ``cache.add`` being atomic across processes: the table's
# primary key refuses a second insert (a per-process memory or a file cache could not promise
# that). In the test suite its rows live in each test's transaction and roll back with it.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "gongkai_cache",
        # Spent captcha tokens stay two hours; a burst of applications must not cull them.
        "OPTIONS": {"MAX_ENTRIES": 100_000, "CULL_FREQUENCY": 4},
    }
}

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
# Sessions end with the browser and after GONGKAI_SESSION_IDLE_MINUTES without a request (30 by
# default): office PCs are shared and clerks walk away from them. Saving the session on every
# request is what makes the age an *idle* time rather than a time since logging in.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = int(os.environ.get("GONGKAI_SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# HTTPS behind a reverse proxy (nginx, an F5, the government cloud's load balancer). With
# GONGKAI_HTTPS=1 the proxy terminates TLS and must set X-Forwarded-Proto (and overwrite any
# value a client sent); cookies are then sent over HTTPS only, plain HTTP is redirected and
# browsers are told to use HTTPS for GONGKAI_HSTS_SECONDS (one year by default; 0 = no HSTS).
# GONGKAI_CSRF_TRUSTED_ORIGINS lists the public origins (https://gk.example.gov.cn) when the
# proxy's host or port differ from what the browser sees.
GONGKAI_HTTPS = os.environ.get("GONGKAI_HTTPS", "") == "1"
if GONGKAI_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("GONGKAI_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False  # other sites of the domain may not speak HTTPS
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("GONGKAI_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
# How many reverse proxies stand in front of gongkai: the login throttle then takes the
# client's address from X-Forwarded-For that many hops from the right, not the proxy's own.
GONGKAI_TRUSTED_PROXIES = int(os.environ.get("GONGKAI_TRUSTED_PROXIES", "0"))

# Failed logins (gongkai.agencies.throttle): after GONGKAI_LOGIN_FAILURES_PER_ACCOUNT failures
# within GONGKAI_LOGIN_WINDOW_MINUTES an account is locked, first for one minute, then twice as
# long for each further failure up to GONGKAI_LOGIN_MAX_LOCK_MINUTES; an address is locked the
# same way after GONGKAI_LOGIN_FAILURES_PER_ADDRESS (higher: a whole office may share one).
GONGKAI_LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("GONGKAI_LOGIN_FAILURES_PER_ACCOUNT", "5"))
GONGKAI_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("GONGKAI_LOGIN_FAILURES_PER_ADDRESS", "20"))
GONGKAI_LOGIN_WINDOW_MINUTES = int(os.environ.get("GONGKAI_LOGIN_WINDOW_MINUTES", "60"))
GONGKAI_LOGIN_MAX_LOCK_MINUTES = int(os.environ.get("GONGKAI_LOGIN_MAX_LOCK_MINUTES", "60"))

# Django's backend behind the login throttle, so the admin's login obeys it as well.
AUTHENTICATION_BACKENDS = ["gongkai.agencies.backends.ThrottledModelBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "gongkai.agencies.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"gongkai.security": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
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

# Reminders (gongkai.reminders; `manage.py send_reminders` or `gongkai remind`, run daily by a
# scheduler): the first reminder goes out GONGKAI_REMINDER_WORKING_DAYS working days before a
# deadline. Mail goes through Django's mail framework: SMTP when GONGKAI_EMAIL_HOST is set
# (GONGKAI_EMAIL_PORT, GONGKAI_EMAIL_HOST_USER, GONGKAI_EMAIL_HOST_PASSWORD, GONGKAI_EMAIL_USE_TLS
# or GONGKAI_EMAIL_USE_SSL), else printed on the console (the demo). GONGKAI_SITE_URL is the
# public address the mails link to (https://gk.example.gov.cn).
GONGKAI_REMINDER_WORKING_DAYS = int(os.environ.get("GONGKAI_REMINDER_WORKING_DAYS", "3"))
GONGKAI_SITE_URL = os.environ.get("GONGKAI_SITE_URL", "")
DEFAULT_FROM_EMAIL = os.environ.get("GONGKAI_EMAIL_FROM", "gongkai@localhost")
if os.environ.get("GONGKAI_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["GONGKAI_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("GONGKAI_EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("GONGKAI_EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("GONGKAI_EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("GONGKAI_EMAIL_USE_TLS", "") == "1"
    EMAIL_USE_SSL = os.environ.get("GONGKAI_EMAIL_USE_SSL", "") == "1"
    EMAIL_TIMEOUT = 30
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Retention (gongkai.applications.services.archive): a closed case may be archived by the
# administrator this many years after it was closed. A deployment setting, not a legal rule:
# set it to the period the office's own records-retention schedule prescribes.
GONGKAI_RETENTION_YEARS = int(os.environ.get("GONGKAI_RETENTION_YEARS", "10"))
