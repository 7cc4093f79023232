"""Production settings: refuse to start without a secret key, a database and a broker.

Everything else comes from base.py; this module only tightens it (HTTPS cookies, HSTS,
no demo data) and checks that the environment is complete.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEV_SECRET_KEY, env_bool

_missing = [
    name
    for name in ("DJANGO_SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_ALLOWED_HOSTS")
    if not os.environ.get(name)
]
if _missing:
    raise ImproperlyConfigured(
        "Thiếu biến môi trường bắt buộc / missing required environment variables: " + ", ".join(_missing)
    )
if os.environ["DJANGO_SECRET_KEY"] == DEV_SECRET_KEY or len(os.environ["DJANGO_SECRET_KEY"]) < 50:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY phải là khóa ngẫu nhiên dài ≥ 50 ký tự / must be a random key of 50+ chars"
    )

DEBUG = False
KCN_DEMO_ALLOWED = False
CELERY_TASK_ALWAYS_EAGER = False

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
WHITENOISE_USE_FINDERS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
