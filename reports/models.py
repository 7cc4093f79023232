"""Annual plans (kế hoạch năm): a board's target per indicator per year (DOMAIN.md §3)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from zones.models import Board


class Plan(models.Model):
    """A board's target value for one indicator code (reports.indicators) in one year."""

    board = models.ForeignKey(Board, verbose_name=_("Ban quản lý"), on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField(_("năm"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    indicator = models.CharField(_("chỉ tiêu"), max_length=60)
    value = models.DecimalField(_("giá trị kế hoạch"), max_digits=24, decimal_places=2)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cập nhật"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("kế hoạch năm")
        verbose_name_plural = _("kế hoạch năm")
        ordering = ["board__code", "year", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["board", "year", "indicator"], name="plan_board_year_indicator_unique")
        ]

    def __str__(self):
        return f"{self.board.code} {self.year} {self.indicator} = {self.value}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from .indicators import INDICATOR_CODES

        if self.indicator and self.indicator not in INDICATOR_CODES:
            raise ValidationError(
                {"indicator": _("Không có chỉ tiêu mã '%(code)s' trong danh mục.") % {"code": self.indicator}}
            )
