from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestmentConfig(AppConfig):
    name = "investment"
    verbose_name = _("Dự án đầu tư")

    def ready(self):
        from kcn_portal.core import locks

        from .locks import zone_projects

        # A zone moved to another board takes its projects along; zones asks core.locks, which asks this.
        locks.register_in_zone("project", zone_projects)
