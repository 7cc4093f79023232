"""The `boards` and `zones` sheets of the data-exchange workbook (DOMAIN.md §6).

Rows are validated with BoardForm / ZoneForm (the forms the pages use), matched to stored
rows by code, and written through zones.services only when a value differs, so
re-importing a file changes nothing. Found and registered by kcn_portal.core.workbook.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

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
from .models import Zone

ZERO = Decimal("0")


class _RowFormMixin:
    """The page's form for one workbook row, minus its per-row database round trips.

    The code's uniqueness comes from the import's index (built once per sheet), and the land
    rules from Zone.clean() and the field validators, which the form still runs; only the
    database check constraints mirroring them are not queried for every row. The services'
    full_clean() runs every check again, database included, for each row they write.
    """

    def validate_unique(self):
        pass

    def _post_clean(self):
        # Model.full_clean() would run one "SELECT 1 WHERE …" per check constraint and row.
        self.instance.validate_constraints = lambda exclude=None: None
        super()._post_clean()


class BoardRowForm(_RowFormMixin, BoardForm):
    pass


class ZoneRowForm(_RowFormMixin, ZoneForm):
    pass


def _index(ctx: ImportContext, name: str, build):
    # Built on a sheet's first row, so the zones sheet sees the boards this file created.
    if name not in ctx.cache:
        ctx.cache[name] = build()
    return ctx.cache[name]


class BoardsSheet(SheetHandler):
    name = "boards"
    order = 10
    label = _l("Ban quản lý")
    columns = (
        Column("code", width=10, title=_l("Mã Ban")),
        Column("name", width=48, title=_l("Tên Ban quản lý")),
        Column("province", width=20, title=_l("Tỉnh/thành phố")),
        Column("bloc_code", required=False, width=12, title=_l("Mã khối thi đua")),
    )
    key_columns = ("code",)
    example = {"code": "VD", "name": "Ban Quản lý các KCN tỉnh Ví Dụ", "province": "Ví Dụ", "bloc_code": None}

    def import_row(self, row: Row, ctx: ImportContext) -> str | None:
        # Boards the user may not read count as new: the import must not reveal them.
        boards = _index(ctx, "boards.by_code", lambda: selectors.board_index(user=ctx.user))
        board = boards.get(row.values.get("code"))
        form = BoardRowForm(self.form_data(BoardForm, board, row), instance=self.bound_copy(board))
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
        self.record_change(ctx, row, board, changes)
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
    label = _l("Khu")
    columns = (
        Column("code", width=14, title=_l("Mã khu")),
        Column("name", width=40, title=_l("Tên khu")),
        Column("board_code", field="board", width=12, title=_l("Mã Ban quản lý")),
        Column("kind", width=16, title=_l("Loại khu")),
        Column("status", width=20, title=_l("Tình trạng")),
        Column("natural_area_ha", kind=DECIMAL, min_value=ZERO, width=16, title=_l("Diện tích tự nhiên (ha)")),
        Column("industrial_land_ha", kind=DECIMAL, min_value=ZERO, width=18, title=_l("Đất công nghiệp (ha)")),
        Column("leased_land_ha", kind=DECIMAL, min_value=ZERO, width=16, title=_l("Đất đã cho thuê (ha)")),
        Column("developer", required=False, width=40, title=_l("Chủ đầu tư hạ tầng")),
        Column("established_on", kind=DATE, required=False, width=14, title=_l("Ngày thành lập")),
    )
    key_columns = ("code",)
    example = {
        "code": "VD-KCN1",
        "name": "KCN Ví Dụ I",
        "board_code": "VD",
        "kind": "KCN",
        "status": "operating",
        "natural_area_ha": Decimal("150.5"),
        "industrial_land_ha": Decimal("110"),
        "leased_land_ha": Decimal("42.25"),
        "developer": "Công ty Phát triển hạ tầng Ví Dụ",
        "established_on": datetime.date(2015, 6, 1),
    }

    def import_row(self, row: Row, ctx: ImportContext) -> str | None:
        code, board_code = row.values.get("code"), row.values.get("board_code")
        boards = _index(ctx, "zones.boards", lambda: selectors.board_index(user=ctx.user))
        zones, taken = _index(ctx, "zones.zones", lambda: selectors.zone_index(user=ctx.user))
        writable = _index(ctx, "zones.writable", lambda: access.writable_board_ids(ctx.user))
        zone = zones.get(code)
        if zone is None and code in taken:
            ctx.row_error(row, "code", _("Mã khu '%(code)s' đã được một Ban khác sử dụng.") % {"code": code})
            return None
        board = boards.get(board_code) if board_code else None
        # The board comes from the index: the form gets no board field, so neither its choice
        # field nor ForeignKey.validate() queries it again for every row.
        instance = self.bound_copy(zone) or Zone()
        instance.board = board
        form = ZoneRowForm(self.form_data(ZoneForm, zone, row), instance=instance)
        del form.fields["board"]
        valid = form.is_valid()
        if not valid:
            self.report_form_errors(form, row, ctx)
        if board is None:  # board_code is a required column: a missing board is an empty or unknown code
            if not board_code:
                ctx.row_error(row, "board_code", _("Cần nhập mã Ban quản lý."))
            elif not ctx.failed_key("boards", board_code):
                ctx.row_error(row, "board_code", _("Không có Ban quản lý mã '%(code)s'.") % {"code": board_code})
            return None
        if not valid:
            return None
        form.cleaned_data["board"] = board
        fields = [column.form_field for column in self.columns if column.key in row.values]
        changes = self.changes(zone, form.cleaned_data, row) if zone else {f: form.cleaned_data[f] for f in fields}
        if not changes:
            return UNCHANGED
        # Moving a zone needs write access to the board it leaves as well as the one it joins.
        denied = board if board.pk not in writable else zone.board if zone and zone.board_id not in writable else None
        if denied is not None:
            ctx.row_error(
                row, "board_code", _("Bạn không có quyền ghi dữ liệu của Ban '%(code)s'.") % {"code": denied.code}
            )
            return None
        self.record_change(ctx, row, zone, changes)
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
