from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("Tạo mới")
    UPDATE = "update", _("Sửa")
    DELETE = "delete", _("Xóa")


class AuditSource(models.TextChoices):
    WEB = "web", _("Trang web")
    API = "api", _("API")
    ADMIN = "admin", _("Quản trị")
    IMPORT = "import", _("Nhập tệp")
    COMMAND = "command", _("Lệnh hệ thống")


class TaskStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ")
    RUNNING = "running", _("Đang chạy")
    SUCCEEDED = "succeeded", _("Hoàn thành")
    FAILED = "failed", _("Lỗi")
