"""Settings for every environment, read from environment variables only.

Development defaults (SQLite in the project folder, Celery tasks run eagerly in-process)
let `make run` work on a fresh machine; production.py tightens them and refuses to
start without a secret key, a database and a broker.
"""

import os
import warnings
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# A development key: production.py refuses to run with it.
DEV_SECRET_KEY = "dev-insecure-kcn-portal-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEV_SECRET_KEY)
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Seed data (demo logins with a known password) is refused where this is False.
KCN_DEMO_ALLOWED = True


INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "bootstrap",
    "kcn_portal.core",
    "django_countries",
    "zones",
    "investment",
    "reports",
    "emulation",
    # The top floor (docs/architecture.md "Layers"): pages that gather every app, the root URLconf, seed_demo.
    "web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp): scripts only from the portal's own static files — no inline script,
# no CDN; the one inline script of a third-party page (the API docs' Swagger set-up) carries the request's
# nonce. Inline style attributes stay allowed (the SVG charts and progress bars size themselves with them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "web.urls"
WSGI_APPLICATION = "kcn_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default: a 64 MB page cache (SQLite's default is 2 MB) for the report rollups' joins.
    # Write transactions take SQLite's write lock when they begin (IMMEDIATE) and wait up to 20 s for it:
    # a deferred one that reads first and then writes fails at once with "database is locked" when another
    # process (a second gunicorn worker, the Celery worker) wrote meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        init_command="PRAGMA cache_size = -64000;", transaction_mode="IMMEDIATE", timeout=20
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username/IP before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failed logins (django-axes): 5 failures per username and IP,
# locked for 30 minutes; a successful login resets the count.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client's address behind nginx: X-Forwarded-For is believed only from these proxies (addresses or
# networks, comma-separated), read from the right (kcn_portal.core.clientip).
KCN_TRUSTED_PROXIES = [
    item.strip() for item in os.environ.get("KCN_TRUSTED_PROXIES", "127.0.0.1,::1").split(",") if item.strip()
]
AXES_CLIENT_IP_CALLABLE = "kcn_portal.core.clientip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600  # one working day
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The empty choice of django-filter's selects (a filter left empty keeps every row), not "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("Tất cả")
# A refused CSRF check answers the portal's Vietnamese 403 page, not Django's English one.
CSRF_FAILURE_VIEW = "kcn_portal.core.errors.csrf_failure"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Vietnamese number style: 1.234.567,89 (the "vi" locale formats; grouping switched on).
USE_THOUSAND_SEPARATOR = True
# Typed dates: ISO (what date inputs send) or day first as Vietnamese write them. The "vi" locale defines
# no input formats, so Django's default list (month first: 01/06/2019 read as 6 January) applied before.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("KCN_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise serves static files from the apps and packages directly in development, so
# `make run` needs no collectstatic; production serves the collected, hashed files.
WHITENOISE_USE_FINDERS = True
# STATIC_ROOT only exists after collectstatic (production); WhiteNoise would warn on every start.
warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")

REST_FRAMEWORK = {
    # Token first, so an unauthenticated call answers 401 with WWW-Authenticate: Token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON refused in Vietnamese with a 400: malformed, nested too deep, NaN/Infinity/1e400 (kcn_portal.core.parsers).
    "DEFAULT_PARSER_CLASSES": [
        "kcn_portal.core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Amounts and areas travel as JSON numbers (DOMAIN.md §7), not strings.
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "KCN Portal API",
    "DESCRIPTION": "API của Cổng thông tin các Ban Quản lý KCN/KCX/KKT",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # The schema and its docs page are for signed-in users (a session or a token), like everything else.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

# Celery: with no broker configured, tasks run eagerly in-process (the embedded default).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
# A separate queue name lets CI's worker tests run beside anything else on the same Redis.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "kcn")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Beat (`make beat`): the reports of the current and previous periods are rebuilt every night,
# at KCN_NIGHTLY_REPORTS_HOUR (local time, default 01:30), and anything left stale every 15 minutes.
# One beat per site: a second beat stays idle while the first holds the lock on Redis (kcn_portal.core.beat).
CELERY_BEAT_SCHEDULER = "kcn_portal.core.beat:SingleBeatScheduler"
CELERY_BEAT_SCHEDULE = {
    "reports-nightly": {
        "task": "reports.nightly",
        "schedule": crontab(hour=int(os.environ.get("KCN_NIGHTLY_REPORTS_HOUR", "1")), minute=30),
    },
    "reports-stale": {"task": "reports.rebuild_stale", "schedule": 15 * 60},
    # Reporting-deadline reminders to the board leaders, every morning at KCN_REMINDER_HOUR (local, default 07:00).
    "reports-reminders": {
        "task": "reports.send_reminders",
        "schedule": crontab(hour=int(os.environ.get("KCN_REMINDER_HOUR", "7")), minute=0),
    },
    # A reopened period locks again when its time runs out; this records it and re-pins the approval.
    "reports-expire-reopens": {"task": "reports.expire_reopens", "schedule": 10 * 60},
    # Jobs whose task was lost (a worker gone past redelivery, a database away for longer than the retries).
    "core-fail-stuck-runs": {"task": "core.fail_stuck_runs", "schedule": 10 * 60},
}
# A task that loses the database (a restart, a failover) is sent again after 5, 10, 20, 40 s, then
# every 60 s, this many times (kcn_portal.core.tasks.RELIABLE); 12 is about 10 minutes.
KCN_TASK_DB_RETRIES = int(os.environ.get("KCN_TASK_DB_RETRIES", "12"))
# A job still waiting or running this long after it was queued or started is failed (core.fail_stuck_runs).
KCN_TASK_STUCK_AFTER_MINUTES = int(os.environ.get("KCN_TASK_STUCK_AFTER_MINUTES", "60"))

# Project rules (DOMAIN.md): project codes are digits, 10 long in practice.
KCN_PROJECT_CODE_LENGTH = int(os.environ.get("KCN_PROJECT_CODE_LENGTH", "10"))
# Uploaded workbooks: limits checked before any parsing.
KCN_UPLOAD_MAX_BYTES = int(os.environ.get("KCN_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
KCN_XLSX_MAX_ENTRIES = 200
KCN_XLSX_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
KCN_XLSX_MAX_ROWS = 500_000
# Evidence and movement attachments (core.files): size per file and files per score.
KCN_ATTACHMENT_MAX_BYTES = int(os.environ.get("KCN_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
# How long a board leader may reopen an approved period (days); it locks again by itself (reports.locks).
KCN_REOPEN_MAX_DAYS = int(os.environ.get("KCN_REOPEN_MAX_DAYS", "14"))
# Data-quality warnings (reports.quality): an enterprise figure more than this many times the largest of the
# project's earlier reports, or less than the smallest divided by it, is flagged for the board leader to check.
KCN_QUALITY_OUTLIER_FACTOR = int(os.environ.get("KCN_QUALITY_OUTLIER_FACTOR", "10"))
KCN_ATTACHMENTS_PER_ITEM = 10


def env_deadline_days(name: str, default: str) -> dict[str, int]:
    """Days after a period's end by kind of period code: "Q=15,H=15,Y=20" → {"Q": 15, "H": 15, "Y": 20}.

    A kind left out keeps its default; anything else than Q, H or Y, or a day count that is not a
    whole number from 0 to 366, stops the start.
    """
    days = {}
    for text in (default, os.environ.get(name, "")):
        for item in text.split(","):
            if not item.strip():
                continue
            kind, _sep, value = item.partition("=")
            kind, value = kind.strip().upper(), value.strip()
            if kind not in {"Q", "H", "Y"} or not value.isdigit() or int(value) > 366:
                raise ImproperlyConfigured(f"{name}: '{item.strip()}' — dùng dạng Q=15,H=15,Y=20 / use Q=15,H=15,Y=20")
            days[kind] = int(value)
    return days


# Reporting deadlines (reports.deadlines): a board's data for a quarter, half year or year must be complete
# by the end of this many days after the period's end (the ministry asks for the annual forms by 20 January).
KCN_REPORT_DEADLINE_DAYS = env_deadline_days("KCN_REPORT_DEADLINE_DAYS", "Q=15,H=15,Y=20")
# Reminders to the board leaders (reports.reminders): once this many days before the deadline, then the
# day after it and every KCN_REMINDER_REPEAT_DAYS days while the data is still incomplete.
KCN_REMINDER_DAYS_BEFORE = int(os.environ.get("KCN_REMINDER_DAYS_BEFORE", "5"))
KCN_REMINDER_REPEAT_DAYS = max(1, int(os.environ.get("KCN_REMINDER_REPEAT_DAYS", "7")))
# The portal's address as people open it (links in e-mails, which are sent without a request).
KCN_SITE_URL = os.environ.get("KCN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# E-mail: printed to the console unless a backend is configured (`make run`); the tests use locmem.
# EMAIL_BACKEND and DEFAULT_FROM_EMAIL also accept the older DJANGO_-prefixed names.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "kcn-portal@localhost")
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
