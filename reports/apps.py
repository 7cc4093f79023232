from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _on_records_changed(sender, *, changes, records=None, **kwargs):
    from .services.staleness import changes_record

    # Only noted in the writer's transaction; marked stale and rebuilt after it commits.
    changes_record(changes=changes, records=records)


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Báo cáo thống kê")

    def ready(self):
        from kcn_portal.core import home, locks
        from kcn_portal.core.signals import records_changed

        from .home import home_tasks
        from .locks import locks_in_force

        # Investment, zones and emulation announce changes; they never import reports.
        records_changed.connect(_on_records_changed, dispatch_uid="reports.mark_stale")
        # Approved periods lock the investment data; investment asks core.locks, which asks this.
        locks.register(locks_in_force)
        # Register the reports' Celery tasks in every process: services send them by name (core.queue).
        from . import tasks  # noqa: F401

        # The home page's shortcuts: missing reports, approvals, reopening requests, corrections.
        home.register(home_tasks)
