"""The data-exchange workbook (DOMAIN.md §6): a registry of sheet handlers, import and export.

Each app describes its sheets with a `SheetHandler` in its own `workbook.py` module and
registers it with `register()`; those modules are found with Django's autodiscovery (like
admin.py), so no app config needs to know about them. `order` fixes the order in which
sheets are applied: boards 10, zones 20, licences 30, enterprise_reports 40, plans 50.

An import is all-or-nothing: every sheet and row is validated and written inside one
transaction, every error is collected, and the transaction is rolled back when there is
any error or when it is a dry run.
"""

from __future__ import annotations

import copy
import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from . import amounts, xlsx
from .enums import AuditSource

TEXT, DECIMAL, INTEGER, DATE = "text", "decimal", "integer", "date"
NUMBER_FORMATS = {DECIMAL: "#,##0.00", INTEGER: "#,##0", DATE: xlsx.DATE_FORMAT}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
# import_row's answer for a row it accepted but writes later, in finish() (counted there).
DEFERRED = "deferred"
PROGRESS_EVERY = 500
# How many added or changed rows per sheet a preview lists (the counts give the rest).
PREVIEW_LIMIT = 200


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its key in the header row, how its cells are read, its form field."""

    key: str
    kind: str = TEXT
    required: bool = True  # must the column be present in the header row
    field: str | None = None  # the form field it fills; the key itself when None
    min_value: Decimal | None = None
    width: int = 18
    title: str = ""  # the Vietnamese title of the blank template's second row (a lazy translation)

    @property
    def form_field(self) -> str:
        return self.field or self.key

    @property
    def number_format(self) -> str | None:
        return NUMBER_FORMATS.get(self.kind)


@dataclass(frozen=True)
class RowError:
    """One problem found in the file. `row` is the row number Excel shows (the header is 1)."""

    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.row}" if self.row else self.sheet
        return f"{where} {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


@dataclass(frozen=True)
class RowChange:
    """One row the file adds or changes: its natural key and, per changed column, before → after.

    Values are given as the file holds them (text, ISO dates, plain numbers); `before` is None on an
    added row and for an empty stored value.
    """

    sheet: str
    row: int
    action: str  # CREATED or UPDATED
    key: str
    fields: tuple[tuple[str, Any, Any], ...] = ()

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "action": self.action,
            "key": self.key,
            "fields": [{"column": c, "before": b, "after": a} for c, b, a in self.fields],
        }

    def __str__(self) -> str:
        label = _("thêm") if self.action == CREATED else _("sửa")
        parts = ", ".join(
            f"{column}: {_shown(before)} → {_shown(after)}" if self.action == UPDATED else f"{column}={_shown(after)}"
            for column, before, after in self.fields
        )
        return f"{self.sheet}!{self.row} {label} {self.key}" + (f" ({parts})" if parts else "")


def _shown(value) -> str:
    return "–" if value is None or value == "" else str(value)


def cell_text(value) -> Any:
    """A value as the preview shows it: the cell's own form (ISO date, plain number, text); None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


@dataclass
class SheetCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportResult:
    """Counts per sheet (what was, or in a dry run would be, written) and every error found."""

    dry_run: bool = False
    sheets: dict[str, SheetCounts] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    # The first PREVIEW_LIMIT rows each sheet adds or changes (the counts hold how many in all).
    changes: dict[str, list[RowChange]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(counts.created or counts.updated for counts in self.sheets.values())

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def as_dict(self) -> dict:
        """JSON-ready summary (stored on a TaskRun): counts per sheet and every error."""
        return {
            "dry_run": self.dry_run,
            "written": self.written,
            "sheets": {name: vars(counts).copy() for name, counts in self.sheets.items()},
            "errors": [vars(error).copy() for error in self.errors],
            "changes": {name: [change.as_dict() for change in rows] for name, rows in self.changes.items()},
            "preview_limit": PREVIEW_LIMIT,
        }


@dataclass
class Row:
    """One data row: converted values by column key (only the columns the header holds)."""

    sheet: str
    number: int
    values: dict[str, Any]
    # Columns whose cell could not be read; already reported, so the form's own error is not repeated.
    invalid: set[str] = field(default_factory=set)
    first_error: int = 0  # index in the result's errors where this row's errors start


class ImportContext:
    """What handlers share during one import: the user, the audit source and what was seen."""

    def __init__(self, *, user, source, dry_run: bool, progress=None):
        self.user = user
        # progress(rows_read, rows_expected): called every PROGRESS_EVERY rows and at each sheet's end.
        self.progress = progress
        self.rows_read = 0
        self.rows_expected = 0
        self.source = source
        self.result = ImportResult(dry_run=dry_run)
        self.seen: dict[str, dict[tuple, int]] = {}  # sheet -> natural key -> first row number
        self.failed: dict[str, set[tuple]] = {}  # sheet -> natural keys of rows refused
        self.cache: dict[str, Any] = {}  # free for handlers (lookups by code, ...)

    def error(self, sheet: str, row: int | None, column: str, message: str) -> None:
        self.result.errors.append(RowError(sheet, row, column, str(message)))

    def row_error(self, row: Row, column: str, message: str) -> None:
        self.error(row.sheet, row.number, column, message)

    def change(self, sheet: str, row: int, action: str, key, fields=()) -> None:
        """Record a row the file adds (action CREATED) or changes (UPDATED) for the preview.

        `key` is the natural key (a tuple or text); `fields` holds (column, before, after) for each
        changed column (after only, before None, on an added row). Kept up to PREVIEW_LIMIT per sheet.
        """
        rows = self.result.changes.setdefault(sheet, [])
        if len(rows) >= PREVIEW_LIMIT:
            return
        text = " / ".join(cell_text(part) or "" for part in key) if isinstance(key, tuple) else str(key)
        rows.append(
            RowChange(
                sheet,
                row,
                action,
                text,
                tuple((column, cell_text(before), cell_text(after)) for column, before, after in fields),
            )
        )

    def failed_key(self, sheet: str, *key) -> bool:
        """Whether the given natural key was on a refused row of `sheet` in this file."""
        return tuple(key) in self.failed.get(sheet, set())


class SheetHandler:
    """Describes one sheet: its columns, how a row is validated and written, and how it is exported.

    Subclasses set `name`, `label` (the sheet in words, shown beside its name), `order`, `columns`,
    `key_columns` and implement `import_row`
    (return CREATED/UPDATED/UNCHANGED, DEFERRED for a row kept to be written in finish(), or None
    after reporting errors with ctx.row_error)
    and `export_rows` (dicts by column key).
    """

    name: str = ""
    label: str = ""
    order: int = 100
    columns: tuple[Column, ...] = ()
    key_columns: tuple[str, ...] = ()
    example: dict[str, Any] = {}  # the blank template's example row, by column key

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)

    def import_row(self, row: Row, ctx: ImportContext) -> str | None:
        raise NotImplementedError

    def export_rows(self, *, user, boards: list[str] | None) -> Iterable[dict[str, Any]]:
        raise NotImplementedError

    def finish(self, ctx: ImportContext) -> dict[str, int] | None:
        """Called once after every row of the sheet was passed to import_row.

        A handler that validates rows one by one but writes them together (the licence ledger:
        rows in any order, thousands at once) does its writing here, reports errors with
        ctx.error(sheet, row, column, message), and returns the counts to add
        ({"created": n, "updated": n, "unchanged": n}); None adds nothing.
        """
        return None

    # --- helpers for handlers that validate rows with a ModelForm ---

    def column_of(self, form_field: str) -> str:
        if form_field == "__all__":
            return ""
        return next((c.key for c in self.columns if c.form_field == form_field), form_field)

    def form_data(self, form_class, instance, row: Row) -> dict[str, Any]:
        """The form's data: the stored values (or the form's defaults) with the row's cells over them.

        Columns absent from the header keep the stored value, so a sheet without an optional
        column does not blank it.
        """
        form = form_class(instance=instance)
        data = {name: form[name].value() for name in form.fields}
        for column in self.columns:
            if column.key in row.values:
                data[column.form_field] = row.values[column.key]
        return data

    def report_form_errors(self, form, row: Row, ctx: ImportContext) -> None:
        for name, errors in form.errors.as_data().items():
            column = self.column_of(name)
            if column in row.invalid:
                continue
            for error in errors:
                for message in error.messages:
                    ctx.row_error(row, column, message)

    def report_exception(self, exc: Exception, row: Row, ctx: ImportContext) -> None:
        """Report a ValidationError or PermissionDenied raised by a service on this row."""
        if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                for message in messages:
                    ctx.row_error(row, self.column_of(name), message)
        elif isinstance(exc, ValidationError):
            for message in exc.messages:
                ctx.row_error(row, "", message)
        else:
            ctx.row_error(row, "", str(exc) or _("Bạn không có quyền thực hiện thao tác này."))

    def changes(self, instance, cleaned: dict[str, Any], row: Row) -> dict[str, Any]:
        """The form fields of the row's columns whose cleaned value differs from the stored one."""
        changed = {}
        for column in self.columns:
            if column.key not in row.values:
                continue
            name = column.form_field
            model_field = instance._meta.get_field(name)
            new = cleaned.get(name)
            if model_field.is_relation:
                differs = getattr(instance, model_field.attname) != (new.pk if new is not None else None)
            else:
                differs = getattr(instance, name) != new
            if differs:
                changed[name] = new
        return changed

    def record_change(self, ctx: ImportContext, row: Row, instance, changes: dict[str, Any]) -> None:
        """Add a form-validated row to the preview: created when `instance` is None, else before → after."""
        fields = []
        for column in self.columns:
            if column.form_field not in changes:
                continue
            after = changes[column.form_field]
            before = getattr(instance, column.form_field) if instance is not None else None
            if instance is None and after in (None, ""):
                continue
            fields.append((column.key, getattr(before, "code", before), getattr(after, "code", after)))
        key = tuple(row.values.get(column) for column in self.key_columns)
        ctx.change(self.name, row.number, UPDATED if instance is not None else CREATED, key, fields)

    @staticmethod
    def bound_copy(instance):
        # A ModelForm writes the cleaned values into its instance: give it a copy, so the
        # original still holds the stored values to compare with and to hand to the service.
        return copy.copy(instance) if instance is not None else None


_registry: dict[str, SheetHandler] = {}
_discovered = False


def register(handler: SheetHandler) -> SheetHandler:
    """Add a sheet handler (an instance) to the registry; a name may be registered once."""
    if handler.name in _registry and type(_registry[handler.name]) is not type(handler):
        raise ValueError(f"sheet {handler.name!r} is already registered")
    _registry[handler.name] = handler
    return handler


def handlers() -> list[SheetHandler]:
    """Every registered handler in the order sheets are applied."""
    global _discovered
    if not _discovered:
        # Import `<app>.workbook` of every installed app, as the admin does with admin.py.
        autodiscover_modules("workbook")
        _discovered = True
    return sorted(_registry.values(), key=lambda handler: (handler.order, handler.name))


# --- reading cells ---------------------------------------------------------------------


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # A code typed as a number (123) comes back from Excel as 123.0.
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _number(value, column: Column):
    """(value, error message or None) for a decimal or integer cell."""
    if _blank(value):
        return None, None
    if isinstance(value, (bool, datetime.date, datetime.datetime)):
        return None, _("Phải là một số, không phải '%(value)s'.") % {"value": _text(value)}
    try:
        # A text cell is read as the pages read it ("1.234.567", "1234567,5": core.amounts); a number cell
        # through str() first: Decimal(0.1) would carry the float's binary noise.
        number = amounts.parse(value) if isinstance(value, str) else Decimal(str(value))
    except (InvalidOperation, amounts.AmountError):
        return None, _("Phải là một số, ví dụ 1.234.567,89 hoặc 1234567.89, không phải '%(value)s'.") % {
            "value": _text(value)
        }
    if not number.is_finite():
        return None, _("Phải là một số, không phải '%(value)s'.") % {"value": _text(value)}
    if column.kind == INTEGER:
        if number != number.to_integral_value():
            return None, _("Phải là một số nguyên, không phải '%(value)s'.") % {"value": _text(value)}
        number = int(number)
    if column.min_value is not None and number < column.min_value:
        return None, _("Không được nhỏ hơn %(limit)s (đang là %(value)s).") % {
            "limit": column.min_value,
            "value": _text(value),
        }
    return number, None


def _date(value):
    """(date, error message or None) for a date cell: an Excel date or ISO YYYY-MM-DD text."""
    if _blank(value):
        return None, None
    if isinstance(value, datetime.datetime):
        return value.date(), None
    if isinstance(value, datetime.date):
        return value, None
    text = _text(value)
    if ISO_DATE.match(text):
        try:
            return datetime.date.fromisoformat(text), None
        except ValueError:
            pass
    return None, _("Ngày không hợp lệ '%(value)s': cần ngày Excel hoặc dạng YYYY-MM-DD.") % {"value": text}


def convert_cell(value, column: Column):
    """(converted value, error message or None) for one cell of `column`."""
    if column.kind in (DECIMAL, INTEGER):
        return _number(value, column)
    if column.kind == DATE:
        return _date(value)
    return _text(value), None


# --- import ----------------------------------------------------------------------------


def _read_header(ws, handler: SheetHandler, ctx: ImportContext) -> list[Column | None] | None:
    """The columns in header order (None for a trailing blank), or None when the header is wrong."""
    first = next(_read(ws, handler, ctx, max_row=1), (None, None))[1]
    cells = [_text(value) for value in (first or ())]
    while cells and not cells[-1]:
        cells.pop()
    if not cells:
        ctx.error(handler.name, 1, "", _("Trang tính không có dòng tiêu đề (tên cột ở dòng 1)."))
        return None
    known = {column.key: column for column in handler.columns}
    ok, seen, layout = True, set(), []
    for index, key in enumerate(cells, start=1):
        if not key:
            ctx.error(
                handler.name, 1, "", _("Ô tiêu đề ở cột %(letter)s bị trống.") % {"letter": get_column_letter(index)}
            )
            ok = False
        elif key in seen:
            ctx.error(handler.name, 1, key, _("Cột '%(key)s' bị lặp lại.") % {"key": key})
            ok = False
        elif key not in known:
            ctx.error(
                handler.name,
                1,
                key,
                _("Cột '%(key)s' không thuộc trang tính '%(sheet)s'; các cột hợp lệ: %(keys)s.")
                % {"key": key, "sheet": handler.name, "keys": ", ".join(known)},
            )
            ok = False
        seen.add(key)
        layout.append(known.get(key))
    for column in handler.columns:
        if column.required and column.key not in seen:
            ctx.error(handler.name, 1, column.key, _("Thiếu cột bắt buộc '%(key)s'.") % {"key": column.key})
            ok = False
    return layout if ok else None


def _read(ws, handler: SheetHandler, ctx: ImportContext, *, min_row: int = 1, max_row: int | None = None):
    """(row number, cell values) of a sheet; a part openpyxl cannot parse refuses the whole file.

    A truncated sheet, text in a number cell or a part larger than its zip entry declares is only
    seen here, while the rows are parsed: it becomes a WorkbookError naming the sheet and the last
    row read, never an exception of the parser.
    """
    rows = ws.iter_rows(min_row=min_row, max_row=max_row, values_only=True)
    number = min_row - 1
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # the XML parser, openpyxl's casts and zipfile raise many kinds
            raise xlsx.damaged(exc, ctx.cache.get("source"), sheet=handler.name, after_row=number or None) from exc
        number += 1
        yield number, cells


def _titles(column: Column) -> set[str]:
    if not column.title:
        return set()
    titles = {str(column.title)}
    with translation.override("vi"):
        titles.add(str(column.title))
    return titles


def _is_titles_row(cells, layout: list[Column | None]) -> bool:
    """Whether a row holds the columns' titles (the template's second row), which carries no data."""
    shown = [(_text(value), column) for value, column in zip(cells, layout, strict=False) if not _blank(value)]
    return bool(shown) and all(column is not None and text in _titles(column) for text, column in shown)


def _rows(ws, handler: SheetHandler, layout: list[Column | None], ctx: ImportContext) -> Iterator[Row]:
    """The non-empty data rows of a sheet, converted; cell errors are reported on the way."""
    limit = settings.KCN_XLSX_MAX_ROWS
    count = 0
    for number, cells in _read(ws, handler, ctx, min_row=2):
        if all(_blank(value) for value in cells):
            continue  # empty rows (often trailing ones Excel keeps) carry nothing
        if number == 2 and _is_titles_row(cells, layout):
            continue  # the blank template's row of Vietnamese column titles
        count += 1
        if count > limit:
            ctx.error(handler.name, number, "", _("Trang tính có quá %(limit)s dòng.") % {"limit": limit})
            return
        row = Row(sheet=handler.name, number=number, values={}, first_error=len(ctx.result.errors))
        for index, value in enumerate(cells):
            column = layout[index] if index < len(layout) else None
            if column is None:
                if not _blank(value):
                    ctx.row_error(
                        row,
                        "",
                        _("Ô %(cell)s có dữ liệu nhưng cột không có tên ở dòng 1.")
                        % {"cell": f"{get_column_letter(index + 1)}{number}"},
                    )
                continue
            converted, message = convert_cell(value, column)
            if message:
                ctx.row_error(row, column.key, message)
                row.invalid.add(column.key)
            row.values[column.key] = converted
        yield row


def _duplicate(row: Row, handler: SheetHandler, ctx: ImportContext) -> bool:
    """Report and return True when the row's natural key already appeared in this sheet."""
    if not handler.key_columns:
        return False
    key = tuple(row.values.get(column) for column in handler.key_columns)
    if any(_blank(part) for part in key):
        return False  # an empty key is the form's error ("required"), not a duplicate
    seen = ctx.seen.setdefault(handler.name, {})
    if key in seen:
        ctx.row_error(
            row,
            handler.key_columns[0],
            _("'%(value)s' bị trùng với dòng %(row)s.") % {"value": " / ".join(map(str, key)), "row": seen[key]},
        )
        return True
    seen[key] = row.number
    return False


def _import_sheet(ws, handler: SheetHandler, ctx: ImportContext) -> None:
    counts = ctx.result.sheets.setdefault(handler.name, SheetCounts())
    # Read the rows that are in the file, not the size the sheet declares: a wrong <dimension>
    # would silently cut columns or rows off, or pad a tiny sheet to a million rows.
    ws.reset_dimensions()
    layout = _read_header(ws, handler, ctx)
    if layout is None:
        return
    order = {column.key: index for index, column in enumerate(handler.columns)}

    def position(error: RowError) -> int:
        return order.get(error.column, -1)

    for row in _rows(ws, handler, layout, ctx):
        ctx.rows_read += 1
        if ctx.progress and ctx.rows_read % PROGRESS_EVERY == 0:
            ctx.progress(ctx.rows_read, ctx.rows_expected)
        outcome = None if _duplicate(row, handler, ctx) else handler.import_row(row, ctx)
        errors = ctx.result.errors
        if len(errors) > row.first_error:
            # List a row's errors left to right, as the user reads the row.
            errors[row.first_error :] = sorted(errors[row.first_error :], key=position)
        if outcome is None or len(errors) > row.first_error:
            key = tuple(row.values.get(column) for column in handler.key_columns)
            ctx.failed.setdefault(handler.name, set()).add(key)
            continue
        if outcome != DEFERRED:
            setattr(counts, outcome, getattr(counts, outcome) + 1)
    for name, count in (handler.finish(ctx) or {}).items():
        setattr(counts, name, getattr(counts, name) + count)
    if handler.name in ctx.result.changes:
        ctx.result.changes[handler.name].sort(key=lambda change: change.row)
    if ctx.progress:
        ctx.progress(ctx.rows_read, ctx.rows_expected)


def import_workbook(
    file, *, user=None, dry_run: bool = False, source=AuditSource.IMPORT, progress=None
) -> ImportResult:
    """Validate and apply every known sheet of an uploaded workbook, all or nothing.

    Writes through the apps' services (audited with `source`, acting as `user`; None is the
    system). Nothing is written when any error is found or when `dry_run` is set; the result
    lists every error. Raises xlsx.WorkbookError when the file itself is refused.
    `progress(rows_read, rows_expected)` is called as rows are read (the expected count is what
    the sheets declare, so only an estimate).
    """
    registry = {handler.name: handler for handler in handlers()}
    ctx = ImportContext(user=user, source=source, dry_run=dry_run, progress=progress)
    ctx.cache["source"] = file  # to tell what is wrong with a part that cannot be read
    wb = xlsx.open_workbook(file)
    try:
        ctx.rows_expected = sum(max((wb[name].max_row or 1) - 1, 0) for name in wb.sheetnames if name in registry)
        for name in wb.sheetnames:
            if name not in registry:
                ctx.error(name, None, "", _("Trang tính '%(sheet)s' chưa được hỗ trợ.") % {"sheet": name})
        with transaction.atomic():
            for name, handler in registry.items():
                if name in wb.sheetnames:
                    _import_sheet(wb[name], handler, ctx)
            if ctx.result.errors or dry_run:
                transaction.set_rollback(True)
    finally:
        wb.close()
    return ctx.result


# --- export ----------------------------------------------------------------------------


def export_workbook(file, *, user=None, boards=None, progress=None) -> dict[str, int]:
    """Write every registered sheet for the boards `user` may read (optionally only `boards`).

    `boards` is an iterable of board codes or Board objects. Returns the row count per sheet.
    `progress(sheets_done, sheets)` is called after each sheet.
    """
    codes = None if boards is None else [getattr(board, "code", board) for board in boards]
    wb = xlsx.new_workbook()
    counts = {}
    registered = handlers()
    for done, handler in enumerate(registered):
        if progress and done:
            progress(done, len(registered))
        ws = xlsx.add_sheet(
            wb, handler.name, [column.key for column in handler.columns], [column.width for column in handler.columns]
        )
        counts[handler.name] = 0
        for record in handler.export_rows(user=user, boards=codes):
            ws.append(
                [
                    xlsx.safe_cell(ws, record.get(column.key), number_format=column.number_format)
                    for column in handler.columns
                ]
            )
            counts[handler.name] += 1
    xlsx.save_workbook(wb, file)
    return counts


# --- the blank template ------------------------------------------------------------------


def template_workbook(file) -> None:
    """The import contract as a blank workbook: every sheet with its column keys in row 1 (DOMAIN.md §6),
    the Vietnamese column titles in row 2 (the importer skips a row holding exactly the titles) and
    one example row per sheet; the example rows together import into a database that has none of them.
    """
    wb = xlsx.new_workbook()
    for handler in handlers():
        ws = xlsx.add_sheet(
            wb, handler.name, [column.key for column in handler.columns], [column.width for column in handler.columns]
        )
        titles = []
        for column in handler.columns:
            cell = xlsx.safe_cell(ws, str(column.title or column.key))
            cell.font = xlsx.TITLES_FONT
            titles.append(cell)
        ws.append(titles)
        ws.append(
            [
                xlsx.safe_cell(ws, handler.example.get(column.key), number_format=column.number_format)
                for column in handler.columns
            ]
        )
    xlsx.save_workbook(wb, file)
