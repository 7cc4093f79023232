"""Shared models: the user, the audit trail and the progress of long-running jobs."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import AuditAction, AuditSource, TaskStatus


class User(AbstractUser):
    """A person who signs in. Board roles live in zones.Membership; ministry officials are flagged here."""

    is_ministry = models.BooleanField(
        _("cán bộ Bộ"),
        default=False,
        help_text=_("Đọc dữ liệu của mọi Ban, không sửa dữ liệu của Ban."),
    )

    def get_full_name(self):
        # Vietnamese order: family and middle names (last_name) before the given name (first_name).
        return f"{self.last_name} {self.first_name}".strip()

    class Meta(AbstractUser.Meta):
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        swappable = "AUTH_USER_MODEL"


class ImmutableError(Exception):
    """Raised when code tries to change or delete an audit record."""


class AuditRecord(models.Model):
    """Who changed what, when, from where, with the values before and after. Append-only."""

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("tên người thực hiện"), max_length=150, blank=True)
    source = models.CharField(_("nguồn"), max_length=10, choices=AuditSource.choices)
    action = models.CharField(_("thao tác"), max_length=10, choices=AuditAction.choices)
    model = models.CharField(_("đối tượng"), max_length=60)
    object_id = models.CharField(_("mã bản ghi"), max_length=40)
    object_repr = models.CharField(_("tên bản ghi"), max_length=255)
    # The board the change belongs to, so a board's page lists its history in one query.
    board = models.ForeignKey(
        "zones.Board",
        verbose_name=_("Ban quản lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_records",
    )
    changes = models.JSONField(_("thay đổi"), default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("nhật ký thay đổi")
        verbose_name_plural = _("nhật ký thay đổi")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["board", "-at"], name="audit_board_at_idx"),
            models.Index(fields=["model", "object_id"], name="audit_object_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or '-'} {self.action} {self.model} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("Audit records cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("Audit records cannot be deleted.")


class TaskRun(models.Model):
    """One run of a long job (import, rollup, export): its status, progress and result."""

    kind = models.CharField(_("loại công việc"), max_length=40)
    status = models.CharField(_("trạng thái"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    params = models.JSONField(_("tham số"), default=dict, encoder=DjangoJSONEncoder)
    result = models.JSONField(_("kết quả"), default=dict, encoder=DjangoJSONEncoder)
    error = models.TextField(_("lỗi"), blank=True)
    input_file = models.FileField(_("tệp đầu vào"), upload_to="task-inputs/%Y/%m/", blank=True)
    output_file = models.FileField(_("tệp kết quả"), upload_to="task-outputs/%Y/%m/", blank=True)

    class Meta:
        verbose_name = _("công việc nền")
        verbose_name_plural = _("công việc nền")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="taskrun_progress_lte_100"),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.status})"
