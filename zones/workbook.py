"""The `boards` and `zones` sheets of the data-exchange workbook (DOMAIN.md §6).

Rows are validated with BoardForm / ZoneForm (the forms the pages use), matched to stored
rows by code, and written through zones.services only when a value differs, so
re-importing a file changes nothing. Found and registered by kcn_portal.core.workbook.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from kcn_portal.core.workbook import (
    CREATED,
    DATE,
    DECIMAL,
    UNCHANGED,
    UPDATED,
    Column,
    ImportContext,
    Row,
    SheetHandler,
    register,
)

from . import access, selectors, services
from .forms import BoardForm, ZoneForm
from .models import Board, Zone

ZERO = Decimal("0")


class BoardsSheet(SheetHandler):
    name = "boards"
    order = 10
    columns = (
        Column("code", width=10),
        Column("name", width=48),
        Column("province", width=20),
        Column("bloc_code", required=False, width=12),
    )
    key_columns = ("code",)

    def import_row(self, row: Row, ctx: ImportContext) -> str | None:
        board = Board.objects.filter(code=row.values.get("code")).first() if row.values.get("code") else None
        form = BoardForm(self.form_data(BoardForm, board, row), instance=self.bound_copy(board))
        if not form.is_valid():
            self.report_form_errors(form, row, ctx)
            return None
        changes = (
            self.changes(board, form.cleaned_data, row)
            if board
            else {name: form.cleaned_data[name] for name in form.fields}
        )
        if not changes:
            return UNCHANGED
        if not access.can_manage_boards(ctx.user):
            ctx.row_error(row, "code", _("Chỉ quản trị hệ thống được thêm hoặc sửa Ban quản lý."))
            return None
        try:
            if board is None:
                services.board_create(user=ctx.user, source=ctx.source, **changes)
                return CREATED
            services.board_update(user=ctx.user, board=board, source=ctx.source, **changes)
        except (ValidationError, PermissionDenied) as exc:
            self.report_exception(exc, row, ctx)
            return None
        return UPDATED

    def export_rows(self, *, user, boards):
        queryset = selectors.board_list(user=user)
        if boards is not None:
            queryset = queryset.filter(code__in=boards)
        for board in queryset:
            yield {"code": board.code, "name": board.name, "province": board.province, "bloc_code": board.bloc_code}


class ZonesSheet(SheetHandler):
    name = "zones"
    order = 20
    columns = (
        Column("code", width=14),
        Column("name", width=40),
        Column("board_code", field="board", width=12),
        Column("kind", width=16),
        Column("status", width=20),
        Column("natural_area_ha", kind=DECIMAL, min_value=ZERO, width=16),
        Column("industrial_land_ha", kind=DECIMAL, min_value=ZERO, width=18),
        Column("leased_land_ha", kind=DECIMAL, min_value=ZERO, width=16),
        Column("developer", required=False, width=40),
        Column("established_on", kind=DATE, required=False, width=14),
    )
    key_columns = ("code",)

    def _board(self, code: str, ctx: ImportContext) -> Board | None:
        # Boards the user may not read are "unknown": the import must not reveal them.
        cache = ctx.cache.setdefault("zones.boards", {})
        if code not in cache:
            board = access.readable_boards(ctx.user).filter(code=code).first()
            if board is None:
                return None  # not cached: a later row may follow a board created meanwhile
            cache[code] = board
        return cache[code]

    def import_row(self, row: Row, ctx: ImportContext) -> str | None:
        code, board_code = row.values.get("code"), row.values.get("board_code")
        zone = Zone.objects.select_related("board").filter(code=code).first() if code else None
        if zone is not None and not access.can_read_board(ctx.user, zone.board):
            ctx.row_error(row, "code", _("Mã khu '%(code)s' đã được một Ban khác sử dụng.") % {"code": code})
            return None
        board = self._board(board_code, ctx) if board_code else None
        data = self.form_data(ZoneForm, zone, row)
        if "board_code" in row.values:
            data["board"] = board.pk if board else None
        form = ZoneForm(data, instance=self.bound_copy(zone))
        if board_code and board is None:
            if not ctx.failed_key("boards", board_code):
                ctx.row_error(row, "board_code", _("Không có Ban quản lý mã '%(code)s'.") % {"code": board_code})
            # The board is missing (or its own row was refused): check the rest of the row anyway.
            del form.fields["board"]
            if not form.is_valid():
                self.report_form_errors(form, row, ctx)
            return None
        if not form.is_valid():
            self.report_form_errors(form, row, ctx)
            return None
        fields = [column.form_field for column in self.columns if column.key in row.values]
        changes = self.changes(zone, form.cleaned_data, row) if zone else {f: form.cleaned_data[f] for f in fields}
        if not changes:
            return UNCHANGED
        target = form.cleaned_data.get("board") or zone.board
        if not access.can_write_board(ctx.user, target) or (zone and not access.can_write_board(ctx.user, zone.board)):
            ctx.row_error(
                row,
                "board_code",
                _("Bạn không có quyền ghi dữ liệu của Ban '%(code)s'.") % {"code": target.code},
            )
            return None
        try:
            if zone is None:
                services.zone_create(user=ctx.user, source=ctx.source, **self._with_defaults(form, changes))
                return CREATED
            services.zone_update(user=ctx.user, zone=zone, source=ctx.source, **changes)
        except (ValidationError, PermissionDenied) as exc:
            self.report_exception(exc, row, ctx)
            return None
        return UPDATED

    @staticmethod
    def _with_defaults(form, changes: dict) -> dict:
        # A new zone also takes the form's values of the fields the sheet does not carry
        # (decision number, wastewater plant), i.e. their defaults.
        data = {name: value for name, value in form.cleaned_data.items() if name in services.ZONE_FIELDS}
        data.update(changes)
        return data

    def export_rows(self, *, user, boards):
        queryset = selectors.zone_list(user=user)
        if boards is not None:
            queryset = queryset.filter(board__code__in=boards)
        for zone in queryset:
            yield {
                "code": zone.code,
                "name": zone.name,
                "board_code": zone.board.code,
                "kind": zone.kind,
                "status": zone.status,
                "natural_area_ha": zone.natural_area_ha,
                "industrial_land_ha": zone.industrial_land_ha,
                "leased_land_ha": zone.leased_land_ha,
                "developer": zone.developer or None,
                "established_on": zone.established_on,
            }


register(BoardsSheet())
register(ZonesSheet())
