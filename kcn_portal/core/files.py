"""Files users upload as evidence, with a movement or with a correction: hostile until checked.

A file is accepted only when its size is within KCN_ATTACHMENT_MAX_BYTES, its extension is one of
the kinds below and its first bytes are that kind's signature (a renamed executable is refused);
Office files must be zips holding the part their format needs (no entry is decompressed here).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from .xlsx import MACROS_REFUSED, has_macros


@dataclass(frozen=True)
class Kind:
    content_type: str
    magic: tuple[bytes, ...]
    zip_part: str = ""  # an Office file: the zip entry that must be there


KINDS = {
    ".pdf": Kind("application/pdf", (b"%PDF-",)),
    ".jpg": Kind("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": Kind("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": Kind("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".docx": Kind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",), "word/document.xml"
    ),
    ".xlsx": Kind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",), "xl/workbook.xml"
    ),
}


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


def check_attachment(upload) -> Kind:
    """The Kind of an uploaded file, or ValidationError saying (in Vietnamese) why it is refused."""
    name = PurePath(upload.name or "").name
    kind = KINDS.get(PurePath(name).suffix.lower())
    if kind is None:
        raise ValidationError(
            _("Tệp '%(name)s' không được nhận: chỉ nhận PDF, JPG, PNG, DOCX, XLSX.") % {"name": name}, code="type"
        )
    limit = settings.KCN_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("Tệp '%(name)s' quá lớn: %(size)s MB, tối đa %(limit)s MB.")
            % {"name": name, "size": _mb(upload.size), "limit": _mb(limit)},
            code="size",
        )
    if upload.size == 0:
        raise ValidationError(_("Tệp '%(name)s' rỗng.") % {"name": name}, code="empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    wrong = ValidationError(
        _("Nội dung tệp '%(name)s' không đúng định dạng %(ext)s.") % {"name": name, "ext": PurePath(name).suffix},
        code="content",
    )
    if not any(head.startswith(magic) for magic in kind.magic):
        raise wrong
    if kind.zip_part:
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError) as exc:
            raise wrong from exc
        finally:
            upload.seek(0)
        if kind.zip_part not in names:
            raise wrong
        if has_macros(names):
            raise ValidationError(f"'{name}': {MACROS_REFUSED}", code="macros")
    return kind


def download(stored, filename: str, content_type: str | None = None) -> FileResponse:
    """A stored attachment as a download, never rendered inline by the browser; 404 when the file is gone."""
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("Không tìm thấy tệp.")) from exc
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
