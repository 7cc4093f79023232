"""Login form and the home page, which shows each role the boards it works with."""

from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from zones import access, selectors


class LoginForm(AuthenticationForm):
    """Django's login form with Vietnamese labels and messages that do not depend on a catalogue."""

    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa và chữ thường."),
        "inactive": _("Tài khoản này đã bị vô hiệu hóa."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["password"].label = _("Mật khẩu")


class HomeView(LoginRequiredMixin, TemplateView):
    """Board people see their boards; ministry officials and administrators a table of every board."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        boards = list(selectors.board_list(user=user))
        overview = access.reads_everything(user)
        context = super().get_context_data(**kwargs)
        context.update(
            boards=boards,
            overview=overview,
            # Nobody gave this account a board or a ministry role yet: say so instead of an empty page.
            no_role=not overview and not boards,
            can_write=access.can_write_any_board(user),
            totals=selectors.zone_totals(user=user) if overview else None,
        )
        return context
