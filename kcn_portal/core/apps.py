from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kcn_portal.core"
    label = "core"
    verbose_name = _("Hệ thống")

    def ready(self):
        # Register core's Celery tasks in every process: services send them by name (core.queue).
        from . import tasks  # noqa: F401
