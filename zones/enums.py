from django.db import models
from django.utils.translation import gettext_lazy as _


class BoardKind(models.TextChoices):
    KCN = "kcn", _("Ban Quản lý các KCN")
    KKT = "kkt", _("Ban Quản lý KKT")


class ZoneKind(models.TextChoices):
    KCN = "KCN", _("Khu công nghiệp")
    KCX = "KCX", _("Khu chế xuất")
    KCN_SUPPORT = "KCN_SUPPORT", _("KCN hỗ trợ")
    KCN_ECO = "KCN_ECO", _("KCN sinh thái")
    KCN_SPECIALISED = "KCN_SPECIALISED", _("KCN chuyên ngành")
    KCN_HIGHTECH = "KCN_HIGHTECH", _("KCN công nghệ cao")
    KKT_COASTAL = "KKT_COASTAL", _("Khu kinh tế ven biển")
    KKT_BORDER = "KKT_BORDER", _("Khu kinh tế cửa khẩu")


class ZoneStatus(models.TextChoices):
    PLANNED = "planned", _("Quy hoạch")
    UNDER_CONSTRUCTION = "under_construction", _("Đang xây dựng")
    OPERATING = "operating", _("Đang hoạt động")
    CLOSED = "closed", _("Đã đóng")


class MembershipRole(models.TextChoices):
    STAFF = "staff", _("Chuyên viên")
    LEADER = "leader", _("Lãnh đạo Ban")
