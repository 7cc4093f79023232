from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmulationConfig(AppConfig):
    name = "emulation"
    verbose_name = _("Thi đua, khen thưởng")

    def ready(self):
        from kcn_portal.core import home

        from .home import home_tasks

        # The home page's shortcuts: scorecards to review, one's own scorecard still in draft.
        home.register(home_tasks)
