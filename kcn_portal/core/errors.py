"""The 404 and 500 answers when DEBUG is off: JSON `{"detail": …}` under /api/ (what API clients parse), the
portal's Vietnamese pages (templates/404.html, 500.html) elsewhere. Never a traceback: it goes to the log."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def _api(request) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request, exception):
    if _api(request):
        return JsonResponse({"detail": _("Không tìm thấy.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _api(request):
        return JsonResponse(
            {"detail": _("Hệ thống gặp lỗi khi xử lý yêu cầu; lỗi đã được ghi lại. Vui lòng thử lại sau ít phút.")},
            status=500,
        )
    return defaults.server_error(request)
