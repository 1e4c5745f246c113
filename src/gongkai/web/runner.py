"""Start the staff site from the command line: build the demo database, migrate, serve.

Nothing here imports Django models at module level: the database a command uses is chosen
(environment variables) before Django is set up, so :mod:`gongkai.demo` and the apps are
imported only inside the functions.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Final

from gongkai.core.errors import GongkaiError

if TYPE_CHECKING:
    from gongkai.demo import DemoSummary


# ---------------------------------------------------------------------------------------------
# The bodies of ``gongkai demo`` and ``gongkai serve`` (the CLI only prints).
# ---------------------------------------------------------------------------------------------

DEFAULT_DEMO_DB: Final = "gongkai-demo.sqlite3"


def setup_django(*, sqlite_path: Path | None = None) -> None:
    """Configure Django for a command run; ``sqlite_path`` forces that SQLite file."""
    if sqlite_path is not None:
        os.environ.pop("DATABASE_URL", None)
        os.environ["GONGKAI_SQLITE_PATH"] = str(sqlite_path)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.site.settings")
    import django

    django.setup()


def build_demo_database(path: Path, *, seed: int | None = None) -> DemoSummary:
    """(Re)create the SQLite file ``path`` with the schema and the demo district."""
    from django.core.management import call_command

    from gongkai.core.calendar import national_calendar, today_in_china

    today = today_in_china()  # Django is not set up yet
    # The calendar's real range: the package's years, then provisional years (LEGAL.md §5.4)
    # up to its horizon; a year after the package's last is demonstrated with 暂定 deadlines.
    calendar = national_calendar()
    first, last = calendar.first_day.year, calendar.last_day.year
    if not first <= today.year <= last:
        raise GongkaiError(
            f"工作日历只能计算 {first}–{last} 年，无法为 {today.year} 年生成演示数据；"
            "请检查本机日期是否正确"
        )
    for leftover in (path, Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    setup_django(sqlite_path=path)
    call_command("migrate", verbosity=0, interactive=False)
    from gongkai import demo

    return demo.populate(
        today=today, seed=demo.DEFAULT_SEED if seed is None else seed, letters=True
    )


# Keys known to the public (the old development default, Django's template) and anything this
# short are refused: whoever knows the key can forge a session or a signed token.
PUBLIC_SECRET_KEYS: Final = frozenset({"gongkai-insecure-development-key"})
MIN_SECRET_KEY_CHARS: Final = 50  # as Django's own deployment check (security.W009)
SECRET_KEY_HELP: Final = (
    "请设置环境变量 GONGKAI_SECRET_KEY 为一段只有本服务器知道的随机字符串（至少 "
    f"{MIN_SECRET_KEY_CHARS} 个字符），例如用以下命令生成："
    'python -c "import secrets; print(secrets.token_urlsafe(50))"；'
    "同一部署的所有服务进程须使用同一个值，更换后所有人需要重新登录"
)


def check_secret_key() -> None:
    """Refuse to serve with no key of the deployment's own, or a public or short one.

    The settings draw a random key when GONGKAI_SECRET_KEY is unset (good for the demo, whose
    sessions die with it), but a real deployment needs one fixed, private key shared by all its
    processes, so ``gongkai serve`` insists on it.
    """
    from django.conf import settings

    key = os.environ.get("GONGKAI_SECRET_KEY", "")
    if not key or not getattr(settings, "GONGKAI_SECRET_KEY_FROM_ENVIRONMENT", False):
        raise GongkaiError(f"未设置密钥，网页服务未启动。{SECRET_KEY_HELP}")
    if (
        key in PUBLIC_SECRET_KEYS
        or key.startswith("django-insecure")
        or len(key) < MIN_SECRET_KEY_CHARS
        or len(set(key)) < 8
    ):
        raise GongkaiError(
            f"密钥 GONGKAI_SECRET_KEY 是公开的或太短，网页服务未启动。{SECRET_KEY_HELP}"
        )


def run_server(*, host: str, port: int, threads: int = 8) -> None:
    """Serve the site with waitress, a production WSGI server in pure Python.

    Pure Python matters here: government offices run gongkai on whatever Windows or Linux PC
    or server they have, with no compiler and often no reverse proxy. The stylesheet is served
    through Django's static-files handler, so no separate web server is needed for a unit's
    own deployment; a larger one puts nginx in front and loads ``gongkai.site.wsgi`` the same
    way.

    The workspace's uploads are audited by a worker in a thread of this process
    (:func:`gongkai.evaluations.worker.start_thread`), for the same reason: a unit's single
    machine needs no second service. A separate ``gongkai evaluate`` may run as well; no report
    is audited twice. When the server stops (Ctrl+C, SIGTERM), the report the thread was
    auditing is given back for another worker or the next start.
    """
    import waitress  # type: ignore[import-untyped]  # no stubs published
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.wsgi import get_wsgi_application

    from gongkai.evaluations import worker

    application = StaticFilesHandler(get_wsgi_application())
    _, stop = worker.start_thread()
    try:
        with worker.stopped_by_sigterm():  # SIGTERM too lets waitress close and this give back
            waitress.serve(application, host=host, port=port, threads=threads, ident="gongkai")
    finally:
        worker.stop_thread(stop)


def migrate() -> str:
    """Bring the configured database up to date; returns a description of it for the user."""
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    db = settings.DATABASES["default"]
    if str(db["ENGINE"]).endswith("postgresql"):
        return f"PostgreSQL 数据库 {db['NAME']}（{db.get('HOST') or 'localhost'}）"
    return f"SQLite 数据库 {db['NAME']}"
