"""Attachments: an Office file carrying macros is refused whatever its extension says."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kcn_portal.core.files import check_attachment


def office_zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<document/>"}


def test_a_plain_docx_is_accepted():
    assert check_attachment(SimpleUploadedFile("to-trinh.docx", office_zip(DOCX))).zip_part == "word/document.xml"


def test_a_macro_enabled_document_renamed_docx_is_refused():
    upload = SimpleUploadedFile("to-trinh.docx", office_zip({**DOCX, "word/vbaProject.bin": b"\x00" * 32}))
    with pytest.raises(ValidationError) as refused:
        check_attachment(upload)
    assert refused.value.messages == [
        "'to-trinh.docx': Tệp có chứa macro (VBA) hoặc điều khiển ActiveX nên không được nhận; "
        "hãy lưu lại dạng không có macro (.xlsx hoặc .docx) rồi tải lên."
    ]
