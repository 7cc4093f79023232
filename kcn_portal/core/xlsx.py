"""Safe reading and writing of .xlsx workbooks.

Files users upload are hostile: `open_workbook` checks size, magic bytes and the zip
directory (entry count, declared uncompressed size, required parts) before openpyxl
parses anything, and openpyxl parses XML through defusedxml. The writer helpers store
text as text, never as a formula (formula injection), and dates as real Excel dates.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import zipfile
import zlib
from decimal import Decimal
from typing import IO

import openpyxl
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook

ZIP_MAGIC = b"PK\x03\x04"
# Old binary Excel (.xls) and password-protected .xlsx are OLE compound files.
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
# Text starting with one of these is a formula to Excel, LibreOffice or a CSV reader.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True)
TITLES_FONT = Font(italic=True, color="555555")  # the data-exchange sheets' row of Vietnamese column titles


class WorkbookError(Exception):
    """The file cannot be read as a workbook; the message is for the user (Vietnamese)."""


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def _size_of(stream: IO[bytes]) -> int:
    position = stream.tell()
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(position)
    return size


def _as_stream(file) -> IO[bytes]:
    """A seekable binary stream for an uploaded or opened file."""
    # Django's UploadedFile wraps the real file; zipfile and openpyxl want the file itself.
    stream = getattr(file, "file", file)
    if not (hasattr(stream, "seek") and hasattr(stream, "read")):
        raise WorkbookError(_("Tệp không phải là bảng tính Excel (.xlsx)."))
    if not stream.seekable():
        stream = io.BytesIO(stream.read(settings.KCN_UPLOAD_MAX_BYTES + 1))
    return stream


MACROS_REFUSED = gettext_lazy(
    "Tệp có chứa macro (VBA) hoặc điều khiển ActiveX nên không được nhận; "
    "hãy lưu lại dạng không có macro (.xlsx hoặc .docx) rồi tải lên."
)


def has_macros(names) -> bool:
    """Whether an Office zip's entry names hold a VBA project or ActiveX controls (a .xlsm/.docm renamed)."""
    for name in names:
        lowered = name.lower()
        if lowered.rsplit("/", 1)[-1].startswith("vbaproject") or "/activex/" in f"/{lowered}":
            return True
    return False


def check_workbook_file(stream: IO[bytes]) -> None:
    """Refuse a file that is too big, not a zip, a zip bomb or a zip without a workbook in it.

    Reads only the first bytes and the zip's central directory: nothing is decompressed.
    """
    size = _size_of(stream)
    limit = settings.KCN_UPLOAD_MAX_BYTES
    if size > limit:
        raise WorkbookError(
            _("Tệp quá lớn: %(size)s MB, tối đa %(limit)s MB.") % {"size": _mb(size), "limit": _mb(limit)}
        )
    stream.seek(0)
    magic = stream.read(4)
    stream.seek(0)
    if size == 0:
        raise WorkbookError(_("Tệp rỗng."))
    if magic == OLE_MAGIC:
        raise WorkbookError(
            _("Tệp Excel 97-2003 (.xls) hoặc tệp có mật khẩu chưa được hỗ trợ; hãy lưu lại thành .xlsx không mật khẩu.")
        )
    if magic != ZIP_MAGIC:
        raise WorkbookError(_("Tệp không phải là bảng tính Excel (.xlsx)."))
    try:
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise WorkbookError(_("Tệp .xlsx bị hỏng, không đọc được.")) from exc
    finally:
        stream.seek(0)
    if len(entries) > settings.KCN_XLSX_MAX_ENTRIES:
        raise WorkbookError(
            _("Tệp có quá nhiều thành phần: %(count)s, tối đa %(limit)s.")
            % {"count": len(entries), "limit": settings.KCN_XLSX_MAX_ENTRIES}
        )
    # The declared sizes bind: Python's zipfile never inflates an entry past its declared
    # file_size, so summing them bounds what openpyxl can ever decompress.
    uncompressed = sum(entry.file_size for entry in entries)
    if uncompressed > settings.KCN_XLSX_MAX_UNCOMPRESSED_BYTES:
        raise WorkbookError(
            _("Tệp giải nén quá lớn: %(size)s MB, tối đa %(limit)s MB.")
            % {"size": _mb(uncompressed), "limit": _mb(settings.KCN_XLSX_MAX_UNCOMPRESSED_BYTES)}
        )
    names = {entry.filename for entry in entries}
    if not all(part in names for part in REQUIRED_PARTS):
        raise WorkbookError(_("Tệp nén không chứa bảng tính Excel (.xlsx)."))
    if has_macros(names):
        raise WorkbookError(MACROS_REFUSED)


def open_workbook(path_or_file) -> Workbook:
    """Check the file (see check_workbook_file), then parse it read-only with cached values.

    The caller closes the returned workbook (`wb.close()`): read-only mode keeps the file open.
    Raises WorkbookError with a Vietnamese message when the file is refused.
    """
    if not openpyxl.DEFUSEDXML:
        # Without defusedxml openpyxl parses XML with the standard library (entity expansion).
        raise ImproperlyConfigured("defusedxml must be installed to read uploaded workbooks.")
    if isinstance(path_or_file, (str, os.PathLike)):
        with open(path_or_file, "rb") as stream:
            check_workbook_file(stream)
        source = path_or_file
    else:
        source = _as_stream(path_or_file)
        check_workbook_file(source)
    try:
        return openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a malformed part
        raise damaged(exc, source) from exc


CRC_FAILED = re.compile(r"Bad CRC-32 for file '([^']+)'")
BAD_NUMBER = re.compile(r"(?:invalid literal for int\(\) with base 10|could not convert string to float): '(.*)'$")


def _real_size_exceeds(source, part: str) -> int | None:
    """The declared size of `part` when its data inflates to more than that (else None); reads at most one byte more."""
    try:
        if isinstance(source, (str, os.PathLike)):
            archive = zipfile.ZipFile(source)
        else:
            source.seek(0)
            archive = zipfile.ZipFile(source)
        with archive:
            info = archive.getinfo(part)
            if info.compress_type != zipfile.ZIP_DEFLATED:
                return info.file_size if info.compress_size > info.file_size else None
            raw = archive.fp
            raw.seek(info.header_offset + 26)
            name_length, extra_length = int.from_bytes(raw.read(2), "little"), int.from_bytes(raw.read(2), "little")
            raw.seek(info.header_offset + 30 + name_length + extra_length)
            inflate, produced, left = zlib.decompressobj(-15), 0, info.compress_size
            while left > 0 and produced <= info.file_size:
                chunk = raw.read(min(left, 65536))
                if not chunk:
                    break
                left -= len(chunk)
                produced += len(inflate.decompress(chunk, info.file_size + 1 - produced))
            return info.file_size if produced > info.file_size else None
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, zlib.error):
        return None


def _broken_part(source) -> str | None:
    """The first XML part of the archive that does not parse (read within its declared size), if any."""
    from defusedxml.ElementTree import iterparse

    try:
        if not isinstance(source, (str, os.PathLike)):
            source.seek(0)
        with zipfile.ZipFile(source) as archive:
            for info in archive.infolist():
                if not info.filename.endswith((".xml", ".rels")):
                    continue
                try:
                    with archive.open(info) as part:
                        for _event, _element in iterparse(part):
                            pass
                except Exception:
                    return info.filename
    except (OSError, ValueError, zipfile.BadZipFile):
        return None
    return None


def damaged(
    exc: BaseException, source=None, *, sheet: str | None = None, after_row: int | None = None
) -> WorkbookError:
    """The refusal of a file whose content openpyxl could not read, saying what is wrong where it can.

    Recognised: a part whose real size exceeds the size its zip directory declares, a damaged part
    (CRC), a cell of type number holding text, and truncated or malformed XML.
    """
    chain, error = [], exc
    while error is not None and len(chain) < 10:
        chain.append(error)
        error = error.__cause__ or error.__context__
    where = _("trang tính '%(sheet)s'") % {"sheet": sheet} if sheet else _("một trang tính")
    if after_row:
        where = _("%(where)s, sau dòng %(row)s") % {"where": where, "row": after_row}
    for error in chain:
        match = CRC_FAILED.search(str(error))
        if match:
            declared = _real_size_exceeds(source, match[1]) if source is not None else None
            if declared is not None:
                return WorkbookError(
                    _(
                        "Tệp bị hỏng hoặc đã bị sửa: thành phần %(part)s giải nén ra nhiều hơn kích thước "
                        "%(size)s byte mà thư mục nén khai báo. Không có gì được ghi."
                    )
                    % {"part": match[1], "size": declared}
                )
            return WorkbookError(
                _("Tệp bị hỏng: thành phần %(part)s sai mã kiểm tra (CRC). Không có gì được ghi.") % {"part": match[1]}
            )
    for error in chain:
        match = BAD_NUMBER.search(str(error)) if isinstance(error, ValueError) else None
        if match:
            return WorkbookError(
                _(
                    "Tệp bị hỏng ở %(where)s: một ô kiểu số chứa chữ '%(value)s'. Hãy mở tệp bằng Excel "
                    "hoặc LibreOffice, sửa ô đó, lưu lại rồi tải lên lại. Không có gì được ghi."
                )
                % {"where": where, "value": match[1][:50]}
            )
    for error in chain:
        if type(error).__name__ in ("ParseError", "ExpatError", "XMLSyntaxError") and "EntitiesForbidden" not in {
            type(e).__name__ for e in chain
        }:
            part = None if sheet or source is None else _broken_part(source)
            if part:
                where = _("thành phần %(part)s") % {"part": part}
            return WorkbookError(
                _(
                    "Tệp bị hỏng ở %(where)s: nội dung XML bị cắt cụt hoặc sai cú pháp. Hãy lưu lại tệp bằng "
                    "Excel hoặc LibreOffice rồi tải lên lại. Không có gì được ghi."
                )
                % {"where": where}
            )
    return WorkbookError(_("Không đọc được bảng tính: tệp .xlsx bị hỏng hoặc không đúng định dạng."))


# --- writing ---------------------------------------------------------------------------


def new_workbook() -> Workbook:
    """An empty streaming (write-only) workbook; add sheets with `add_sheet`."""
    return Workbook(write_only=True)


def add_sheet(wb: Workbook, title: str, header: list[str], widths: list[int] | None = None):
    """A new sheet with a bold, frozen header row and the given column widths."""
    ws = wb.create_sheet(title=title)
    for index, width in enumerate(widths or [], start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    row = []
    for key in header:
        cell = safe_cell(ws, key)
        cell.font = HEADER_FONT
        row.append(cell)
    ws.append(row)
    return ws


def safe_cell(ws, value, *, number_format: str | None = None) -> WriteOnlyCell:
    """A cell for a write-only sheet: text is always text, dates are Excel dates.

    Text that a spreadsheet would take as a formula (= + - @, tab, CR first) is stored as
    a string cell with the quote prefix, so it is shown, edited and read back as text.
    """
    if isinstance(value, str):
        # openpyxl refuses control characters; a stray one must not break an export.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell = WriteOnlyCell(ws, value)
        cell.data_type = "s"
        if value.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
        return cell
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            # Excel has no time zones: write the local wall-clock time.
            value = timezone.localtime(value).replace(tzinfo=None)
        cell = WriteOnlyCell(ws, value)
        cell.number_format = number_format or DATETIME_FORMAT
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(ws, value)
        cell.number_format = number_format or DATE_FORMAT
        return cell
    if value is not None and not isinstance(value, (bool, int, float, Decimal)):
        return safe_cell(ws, str(value), number_format=number_format)
    cell = WriteOnlyCell(ws, value)
    if number_format and value is not None:
        cell.number_format = number_format
    return cell


def save_workbook(wb: Workbook, path_or_file) -> None:
    """Write the workbook to a path or a binary file object."""
    wb.save(path_or_file)


# --- the look of the workbooks written for people (reports' summaries, emulation's score sheets) --------

INTEGER_FORMAT = "#,##0"  # counts, people, đồng
DECIMAL_FORMAT = "#,##0.00"  # USD, hectares, points
TITLE_FONT = Font(bold=True, size=13)
NOTE_FONT = Font(italic=True, color="595959")
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP = Alignment(wrap_text=True, vertical="top")
# A cover sheet's label and value columns: both top-aligned, values to the left whatever their type.
COVER_LABEL = Alignment(vertical="top")
COVER_VALUE = Alignment(wrap_text=True, vertical="top", horizontal="left")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")


def header_cells(ws, titles: list[str]) -> list:
    """A table's header row: bold, filled, wrapped and centred cells (text kept as text)."""
    cells = []
    for title in titles:
        cell = safe_cell(ws, title)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, HEADER_ALIGN
        cells.append(cell)
    return cells


def styled_cell(ws, value, font=None, fill=None, alignment=None, number_format=None):
    """`safe_cell` with the font, fill and alignment given (None leaves the default)."""
    cell = safe_cell(ws, value, number_format=number_format)
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if alignment is not None:
        cell.alignment = alignment
    return cell


def set_widths(ws, widths: list[int]) -> None:
    """Column widths from column A on."""
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def print_landscape(ws) -> None:
    """Print on A4 landscape, as wide as one page (the boards file these reports on paper too)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
