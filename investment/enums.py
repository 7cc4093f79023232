from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectKind(models.TextChoices):
    FDI = "fdi", _("FDI (vốn nước ngoài)")
    DDI = "ddi", _("DDI (vốn trong nước)")


class ProjectStatus(models.TextChoices):
    # Derived from the ledger. DOMAIN.md also names `suspended`, but the ledger has no
    # suspension event yet, so no project can reach it; it is left out until it has one.
    ACTIVE = "active", _("Còn hiệu lực")
    TERMINATED = "terminated", _("Đã chấm dứt")


class InvestorKind(models.TextChoices):
    ORGANISATION = "organisation", _("Tổ chức")
    INDIVIDUAL = "individual", _("Cá nhân")


class EventKind(models.TextChoices):
    ISSUE = "issue", _("Cấp mới")
    ADJUST = "adjust", _("Điều chỉnh")
    TERMINATE = "terminate", _("Chấm dứt")


class TerminationGround(models.TextChoices):
    # Law on Investment 61/2020/QH14, Art. 48: clause 1 by the investor, clause 2 by the board.
    INVESTOR = "investor", _("Nhà đầu tư chấm dứt (khoản 1 Điều 48)")
    BOARD = "board", _("Ban Quản lý chấm dứt (khoản 2 Điều 48)")
