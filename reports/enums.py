"""Statuses of the approval workflow (issue 7): reopen requests, corrections, completeness, reminders;
the kinds of records a stale report's changes were made to."""

import enum

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReopenStatus(models.TextChoices):
    REQUESTED = "requested", _("Chờ lãnh đạo quyết định")
    GRANTED = "granted", _("Đang mở lại")
    REFUSED = "refused", _("Không đồng ý")
    EXPIRED = "expired", _("Đã hết hạn, khóa lại")
    CLOSED = "closed", _("Đã khóa lại sớm")


class CorrectionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Chờ lãnh đạo duyệt")
    APPLIED = "applied", _("Đã duyệt và áp dụng")
    REJECTED = "rejected", _("Không duyệt")


class Timeliness(models.TextChoices):
    """A board's data for a period against its deadline (reports.selectors.deadlines)."""

    ON_TIME = "on_time", _("Đủ, đúng hạn")
    LATE = "late", _("Đủ, muộn")
    MISSING = "missing", _("Thiếu, quá hạn")
    PENDING = "pending", _("Chưa đủ, chưa đến hạn")


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Nhắc trước hạn")
    AFTER = "after", _("Nhắc quá hạn")


class StaleRecords(enum.IntFlag):
    """The kinds of records changed since a report was built (ReportState.stale_records, while stale).

    None noted (0) means any: every figure is computed again. Otherwise a rebuild computes only the
    figures those kinds can alter and takes the others from the report's latest snapshot.
    """

    LICENCE_EVENTS = 1  # any event of a ledger: it may change which projects are valid when
    ENTERPRISE_REPORTS = 2
    PLANS = 4
    LICENCE_ADJUSTMENTS = 8  # new adjustments only: the capital they carry, never which projects are valid
