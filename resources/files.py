"""What an uploaded resource file really is, read from its bytes (never its name), so that it is served with its
real content type and nothing else is stored."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024
MAX_SIZE = 50 * MB


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str


PDF = FileType("pdf", "application/pdf")
DOCX = FileType("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
PPTX = FileType("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation")
XLSX = FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ODT = FileType("odt", "application/vnd.oasis.opendocument.text")
ODP = FileType("odp", "application/vnd.oasis.opendocument.presentation")
ODS = FileType("ods", "application/vnd.oasis.opendocument.spreadsheet")
CSV = FileType("csv", "text/csv; charset=utf-8")
TEXT = FileType("txt", "text/plain; charset=utf-8")

# Office Open XML files are zip archives told apart by their main part.
_OOXML_PARTS = {"word/document.xml": DOCX, "ppt/presentation.xml": PPTX, "xl/workbook.xml": XLSX}
_ODF_TYPES = {t.content_type: t for t in (ODT, ODP, ODS)}
# What the file input offers to pick (a hint for the browser; detect() decides).
ACCEPT = ".pdf,.docx,.pptx,.xlsx,.odt,.odp,.ods,.csv,.txt"


def _zip_type(upload: UploadedFile) -> FileType | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                return _ODF_TYPES.get(archive.read("mimetype").decode("ascii", "replace").strip())
            return next((kind for part, kind in _OOXML_PARTS.items() if part in names), None)
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    finally:
        upload.seek(0)


def _text_type(upload: UploadedFile, name: str) -> FileType | None:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return CSV if name.lower().endswith(".csv") else TEXT


def detect(upload: UploadedFile) -> FileType:
    """The file's real type, or a ValidationError saying plainly why it is refused."""
    if upload.size is not None and upload.size > MAX_SIZE:
        raise ValidationError(
            _("This file is %(size).1f MB: the largest file accepted is %(limit)s MB."),
            code="too_large",
            params={"size": upload.size / MB, "limit": MAX_SIZE // MB},
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    found: FileType | None
    if head.startswith(b"%PDF-"):
        found = PDF
    elif head.startswith(b"PK\x03\x04"):
        found = _zip_type(upload)
    else:
        found = _text_type(upload, upload.name or "")
    if found is None:
        raise ValidationError(
            _(
                "This file is not one we accept, whatever its name says. Please send a PDF, a Word, PowerPoint or "
                "Excel file (or their OpenDocument versions), a CSV or a plain text file."
            ),
            code="bad_type",
        )
    return found
