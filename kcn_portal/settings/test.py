"""Test settings: the base settings with a fast password hasher and isolated media."""

import os
import tempfile

from .base import *  # noqa: F403

# Argon2 is deliberately slow; tests that check the production hasher read base.PASSWORD_HASHERS.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A Celery worker started by the tests is given the same folder, so it finds uploaded files.
MEDIA_ROOT = os.environ.get("KCN_TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="kcn-test-media-")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_ENABLED = True
