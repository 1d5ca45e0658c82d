"""Uploaded media: what a file really is (its first bytes, never its name), how large it may be, and every file
kept without its metadata (DESIGN.md section 5): images re-saved from their pixels (EXIF, GPS), audio, video and
PDF files cleaned by `testimony.metadata` (location atoms, ID3 tags, PDF author and XMP); a type we cannot clean
is refused with a plain reason."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from testimony import metadata

MB = 1024 * 1024
# Checked from the image's header, before any pixel is decoded: a small PNG can declare a picture whose pixels
# take gigabytes. 40 megapixels is more than any phone camera takes.
MAX_IMAGE_PIXELS = 40_000_000


@dataclass(frozen=True)
class MediaType:
    category: str  # "image", "audio", "video" or "pdf"
    extension: str  # the extension the stored file gets, from what the bytes are
    pil_format: str = ""  # for images: the format Pillow writes back


LIMITS = {"image": 10 * MB, "audio": 50 * MB, "video": 200 * MB, "pdf": 20 * MB}
LARGEST = max(LIMITS.values())
CATEGORY_LABELS = {"image": _("images"), "audio": _("audio"), "video": _("videos"), "pdf": _("PDF documents")}
ACCEPT = "image/jpeg,image/png,image/webp,audio/mpeg,audio/mp4,audio/wav,video/mp4,video/quicktime,application/pdf"
HEAD_BYTES = 64

JPEG = MediaType("image", "jpg", "JPEG")
PNG = MediaType("image", "png", "PNG")
WEBP = MediaType("image", "webp", "WEBP")
MP3 = MediaType("audio", "mp3")
M4A = MediaType("audio", "m4a")
OGG = MediaType("audio", "ogg")
WAV = MediaType("audio", "wav")
MP4 = MediaType("video", "mp4")
WEBM = MediaType("video", "webm")
PDF = MediaType("pdf", "pdf")

_AUDIO_MP4_BRANDS = {b"M4A ", b"M4B ", b"F4A "}
# How each kept type loses its metadata; a type with no stripper here is refused (Ogg and WebM: their tags sit
# inside checksummed pages and EBML elements we do not rewrite).
STRIPPERS = {
    MP3: metadata.strip_mp3,
    M4A: metadata.strip_iso_media,
    MP4: metadata.strip_iso_media,
    WAV: metadata.strip_wav,
    PDF: metadata.strip_pdf,
}


def sniff(head: bytes) -> MediaType | None:
    """The type the first bytes of a file announce, among the ones we accept; None for anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return WAV
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"OggS"):
        return OGG
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return WEBM
    if head[4:8] == b"ftyp":
        return M4A if head[8:12] in _AUDIO_MP4_BRANDS else MP4
    # MP3: an ID3 tag, or an MPEG audio frame header (11 sync bits, layer III).
    if head.startswith(b"ID3") or (len(head) >= 2 and head[0] == 0xFF and (head[1] & 0xE6) == 0xE2):
        return MP3
    return None


def _megabytes(size: int) -> str:
    return f"{size / MB:.1f}"


def check_upload(upload: UploadedFile) -> MediaType:
    """The file's real type, or a ValidationError saying plainly why it is refused.

    The size is checked first, on what the upload handler already counted, before reading any of the file."""
    if upload.size is not None and upload.size > LARGEST:
        raise ValidationError(
            _("This file is %(size)s MB: the largest file accepted is %(limit)s MB (a video)."),
            code="too_large",
            params={"size": _megabytes(upload.size), "limit": LARGEST // MB},
        )
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    media = sniff(head)
    if media is None:
        raise ValidationError(
            _(
                "This file is not one we accept, whatever its name says. Please send an image (JPEG, PNG, WebP), "
                "audio (MP3, M4A, WAV), a video (MP4, MOV) or a PDF."
            ),
            code="bad_type",
        )
    limit = LIMITS[media.category]
    if upload.size > limit:
        raise ValidationError(
            _("This file is %(size)s MB: %(kind)s may be at most %(limit)s MB."),
            code="too_large",
            params={"size": _megabytes(upload.size), "kind": CATEGORY_LABELS[media.category], "limit": limit // MB},
        )
    if media.category == "image":
        _check_image(upload, media)
    elif media not in STRIPPERS:
        raise ValidationError(
            _(
                "We cannot yet remove hidden details (such as where it was recorded) from Ogg and WebM files, so "
                "we do not accept them. Please send MP3, M4A or WAV audio, or an MP4 video."
            ),
            code="cannot_clean",
        )
    else:
        upload.seek(0)
        try:
            # Cleaned once here; `prepare` stores these bytes.
            upload.content_without_metadata = STRIPPERS[media](upload.read())
        except metadata.CannotStrip as exc:
            raise ValidationError(
                _("This file seems damaged: we could not read it to remove its hidden details. Please try another."),
                code="cannot_clean",
            ) from exc
        finally:
            upload.seek(0)
    return media


def _check_image(upload: UploadedFile, media: MediaType) -> None:
    try:
        with Image.open(upload) as image:
            if image.format != media.pil_format:
                raise ValueError(image.format)
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("This image is %(width)s × %(height)s pixels: images may have at most %(limit)s million."),
                    code="too_many_pixels",
                    params={"width": width, "height": height, "limit": MAX_IMAGE_PIXELS // 1_000_000},
                )
            image.verify()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("This image cannot be read. Please try another file."), code="bad_image") from exc
    finally:
        upload.seek(0)


def without_metadata(upload: UploadedFile, media: MediaType) -> ContentFile:
    """An image re-saved with its pixels only: no EXIF, GPS, XMP or comments. The EXIF orientation is applied to
    the pixels first, so the picture still stands the right way up."""
    upload.seek(0)
    with Image.open(upload) as image:
        image.load()
        upright = ImageOps.exif_transpose(image)
    # A new image from the raw pixels carries none of the original's `info` (EXIF, XMP, text chunks, comments).
    clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    if upright.mode in {"P", "PA"} and upright.getpalette():
        clean.putpalette(upright.getpalette(rawmode="RGBA"), rawmode="RGBA")
    out = io.BytesIO()
    options = {"quality": 90} if media.pil_format in {"JPEG", "WEBP"} else {}
    if media.pil_format == "PNG" and "transparency" in upright.info:
        options["transparency"] = upright.info["transparency"]  # a palette's transparent colour, not metadata
    clean.save(out, format=media.pil_format, **options)
    return ContentFile(out.getvalue(), name=f"upload.{media.extension}")


def prepare(upload: UploadedFile) -> tuple[MediaType, object]:
    """Check an upload and return its type and the file to store: images cleaned, other files renamed so the
    stored name carries only the real type's extension (the model adds a random name)."""
    media = check_upload(upload)
    if media.category == "image":
        return media, without_metadata(upload, media)
    return media, ContentFile(upload.content_without_metadata, name=f"upload.{media.extension}")
