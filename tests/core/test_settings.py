"""Settings come from the environment; production refuses to start on an incomplete one."""

import os
import subprocess
import sys
from pathlib import Path

from kcn_portal.settings import base

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "kcn_portal.settings.production",
    "DJANGO_SECRET_KEY": "x7#kq2!vz9@mP4$wL8^nR1&tY6*uB3(eC5)oD0_fG2+hJ9-iK4=lM7~sN1|aQ8",
    "DATABASE_URL": "postgres://kcn@db.example.vn:5432/kcn",
    "CELERY_BROKER_URL": "redis://redis.example.vn:6379/0",
    "DJANGO_ALLOWED_HOSTS": "kcn.example.vn",
}


def _run(args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_"))}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_secret_database_and_broker():
    result = _run(["manage.py", "check"], {"DJANGO_SETTINGS_MODULE": "kcn_portal.settings.production"})
    assert result.returncode != 0
    assert (
        "missing required environment variables: DJANGO_SECRET_KEY, DATABASE_URL, CELERY_BROKER_URL, "
        "DJANGO_ALLOWED_HOSTS" in result.stderr
    )


def test_production_refuses_the_development_key():
    result = _run(["manage.py", "check"], {**PROD_ENV, "DJANGO_SECRET_KEY": base.DEV_SECRET_KEY})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_settings_pass_the_deploy_check_at_warning_level():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PROD_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_demo_data():
    result = _run(["manage.py", "seed_demo"], PROD_ENV)
    assert result.returncode != 0
    assert "Không được nạp dữ liệu mẫu trên hệ thống này" in result.stderr


def test_base_settings_defaults():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert (base.TIME_ZONE, base.LANGUAGE_CODE) == ("Asia/Ho_Chi_Minh", "vi")
    assert [code for code, _ in base.LANGUAGES] == ["vi", "en"]
    assert base.AXES_FAILURE_LIMIT == 5


def _celery_mode(env):
    code = "import django; django.setup(); from django.conf import settings as s; print(s.CELERY_TASK_ALWAYS_EAGER)"
    return _run(["-c", code], {"DJANGO_SETTINGS_MODULE": "kcn_portal.settings.base", **env}).stdout.strip()


def test_tasks_run_eagerly_without_a_broker_and_on_the_broker_with_one():
    assert _celery_mode({}) == "True"
    assert _celery_mode({"CELERY_BROKER_URL": "redis://127.0.0.1:6379/0"}) == "False"
