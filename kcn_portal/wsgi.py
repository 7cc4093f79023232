"""WSGI entry point (gunicorn kcn_portal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kcn_portal.settings.production")
application = get_wsgi_application()
