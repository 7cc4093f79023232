"""The 403, 404 and 500 answers when DEBUG is off, and a refused CSRF check: JSON `{"detail": …}` under /api/
(what API clients parse), the portal's Vietnamese pages (templates/403.html, 404.html, 500.html) elsewhere.
Never a traceback: it goes to the log."""

from django.http import HttpResponseForbidden, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults


def _api(request) -> bool:
    return request.path.startswith("/api/")


def permission_denied(request, exception):
    if _api(request):
        return JsonResponse({"detail": _("Bạn không có quyền thực hiện thao tác này.")}, status=403)
    return defaults.permission_denied(request, exception)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the Vietnamese 403 page saying what to do (reload, allow cookies), not Django's."""
    if _api(request):
        return JsonResponse(
            {"detail": _("Yêu cầu bị từ chối vì thiếu mã xác thực CSRF; hãy tải lại trang và gửi lại.")}, status=403
        )
    return HttpResponseForbidden(loader.render_to_string("403.html", {"csrf_failure": True}, request=request))


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
