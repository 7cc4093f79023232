"""Statuses and kinds of the emulation app (DOMAIN.md §2, §8)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LaunchLevel(models.TextChoices):
    MINISTRY = "ministry", _("Bộ")
    PROVINCE = "province", _("Tỉnh")
    BLOC = "bloc", _("Khối thi đua")
    BOARD = "board", _("Ban quản lý")


class MovementKind(models.TextChoices):
    REGULAR = "regular", _("Thường xuyên")
    THEMATIC = "thematic", _("Theo chuyên đề")


class MovementStatus(models.TextChoices):
    LAUNCHED = "launched", _("Đã phát động")
    REVIEWING = "reviewing", _("Đang sơ kết, tổng kết")
    AWARDED = "awarded", _("Đã khen thưởng")


class SubmissionStatus(models.TextChoices):
    """A registration or a scorecard: drafted by the board's staff, submitted by its leader."""

    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi")


class RoundKind(models.TextChoices):
    MID_YEAR = "mid_year", _("Sơ kết 6 tháng")
    YEAR_END = "year_end", _("Tổng kết năm")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Chưa mở")
    OPEN = "open", _("Đang chấm")
    CLOSED = "closed", _("Đã khóa chấm")
    PUBLISHED = "published", _("Đã công bố")


class RuleKind(models.TextChoices):
    BONUS = "bonus", _("Điểm thưởng")
    PENALTY = "penalty", _("Điểm trừ")


class TieBreak(models.TextChoices):
    """Ways to order members with equal totals, applied in the order the bloc lists them."""

    GROUPS = "groups", _("Điểm thẩm định cao hơn ở nhóm tiêu chí trước (theo thứ tự nhóm)")
    LESS_PENALTY = "less_penalty", _("Ít điểm trừ hơn")
    MORE_BONUS = "more_bonus", _("Nhiều điểm thưởng hơn")
    SMALLER_GAP = "smaller_gap", _("Chênh lệch giữa tự chấm và thẩm định nhỏ hơn")


class AwardKind(models.TextChoices):
    TITLE = "title", _("Danh hiệu thi đua")
    COMMENDATION = "commendation", _("Hình thức khen thưởng")
    EVALUATION = "evaluation", _("Kết quả đánh giá, xếp loại")


class AwardLevel(models.TextChoices):
    BASE = "base", _("Cơ sở")
    PROVINCE = "province", _("Bộ, ngành, tỉnh")
    GOVERNMENT = "government", _("Chính phủ")
    STATE = "state", _("Nhà nước")


class RecipientKind(models.TextChoices):
    BOARD = "board", _("Ban quản lý")
    UNIT = "unit", _("Đơn vị thuộc Ban")
    PERSON = "person", _("Cá nhân")


class AwardFor(models.TextChoices):
    COLLECTIVE = "collective", _("Tập thể")
    INDIVIDUAL = "individual", _("Cá nhân")
    BOTH = "both", _("Tập thể và cá nhân")
