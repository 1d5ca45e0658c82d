import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from PIL import Image

from testimony import models, uploads
from testimony.enums import Kind
from tests.testimony.test_submit import GOOD, URL

MB = 1024 * 1024
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 57


def image_bytes(fmt: str, *, gps: bool = False, orientation: int | None = None, size=(40, 20)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    image.putpixel((0, 0), (0, 0, 255))
    exif = Image.Exif()
    if gps:
        exif[0x8825] = {1: "N", 2: (40.0, 26.0, 46.0), 3: "W", 4: (79.0, 58.0, 56.0)}
        exif[0x010F] = "PhoneMaker"
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif.tobytes() if (gps or orientation) else b"")
    return out.getvalue()


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", uploads.JPEG),
        (b"\x89PNG\r\n\x1a\n\x00\x00", uploads.PNG),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", uploads.WEBP),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", uploads.WAV),
        (b"ID3\x04\x00\x00\x00", uploads.MP3),
        (b"\xff\xfb\x90\x64", uploads.MP3),
        (b"OggS\x00\x02", uploads.OGG),
        (b"\x00\x00\x00\x20ftypM4A \x00\x00", uploads.M4A),
        (b"\x00\x00\x00\x20ftypisom\x00\x00", uploads.MP4),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86", uploads.WEBM),
        (PDF, uploads.PDF),
        (EXE, None),
        (ELF, None),
        (b"#!/bin/sh\nrm -rf /", None),
        (b"<html><script>", None),
        (b"", None),
    ],
)
def test_sniff_reads_the_bytes(head, expected):
    assert uploads.sniff(head) == expected


def test_an_executable_named_jpg_is_refused():
    with pytest.raises(ValidationError) as caught:
        uploads.check_upload(SimpleUploadedFile("holiday.jpg", EXE, content_type="image/jpeg"))
    assert caught.value.code == "bad_type"


def test_a_fake_jpeg_with_the_magic_but_no_image_is_refused():
    with pytest.raises(ValidationError) as caught:
        uploads.check_upload(SimpleUploadedFile("x.jpg", b"\xff\xd8\xff" + b"\x00" * 200))
    assert caught.value.code == "bad_image"


class HugeUpload(UploadedFile):
    """Announces a size without holding the bytes: reading it would fail the test."""

    def __init__(self, size):
        super().__init__(file=io.BytesIO(), name="big.mp4", size=size)

    def read(self, *args, **kwargs):
        raise AssertionError("the file was read before its size was checked")


def test_oversize_is_refused_before_reading():
    with pytest.raises(ValidationError) as caught:
        uploads.check_upload(HugeUpload(200 * MB + 1))
    assert caught.value.code == "too_large"
    assert caught.value.messages == ["This file is 200.0 MB: the largest file accepted is 200 MB (a video)."]


@pytest.mark.parametrize(
    ("head", "limit_mb", "kind"),
    [
        (b"\xff\xd8\xff\xe0", 10, "images"),
        (b"ID3\x04", 50, "audio"),
        (b"%PDF-1.4", 20, "PDF documents"),
    ],
)
def test_each_kind_has_its_limit(head, limit_mb, kind):
    upload = SimpleUploadedFile("f", head)
    upload.size = limit_mb * MB + 1
    with pytest.raises(ValidationError) as caught:
        uploads.check_upload(upload)
    assert caught.value.messages == [f"This file is {limit_mb:.1f} MB: {kind} may be at most {limit_mb} MB."]


def test_files_at_the_limit_pass():
    upload = SimpleUploadedFile("f.mp4", b"\x00\x00\x00\x10ftypisom\x00\x00\x02\x00")  # a whole ftyp box
    upload.size = 200 * MB
    assert uploads.check_upload(upload) == uploads.MP4


def test_gps_exif_is_stripped_from_a_jpeg():
    original = image_bytes("JPEG", gps=True)
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(0x8825)  # the fixture really carries GPS
        assert before.getexif()[0x010F] == "PhoneMaker"
    media, clean = uploads.prepare(SimpleUploadedFile("IMG_0001.jpg", original))
    assert media == uploads.JPEG
    assert clean.name == "upload.jpg"
    data = clean.read()
    assert b"Exif" not in data and b"PhoneMaker" not in data
    with Image.open(io.BytesIO(data)) as after:
        assert after.format == "JPEG"
        assert dict(after.getexif()) == {}
        assert "exif" not in after.info
        assert after.size == (40, 20)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_exif_is_stripped_from_png_and_webp(fmt):
    media, clean = uploads.prepare(SimpleUploadedFile("x", image_bytes(fmt, gps=True)))
    assert media.pil_format == fmt
    with Image.open(io.BytesIO(clean.read())) as after:
        assert after.format == fmt
        assert dict(after.getexif()) == {}


def test_orientation_is_applied_to_the_pixels():
    # Orientation 6: the camera was turned; viewers rotate the picture 90° clockwise.
    media, clean = uploads.prepare(SimpleUploadedFile("x.jpg", image_bytes("JPEG", orientation=6)))
    with Image.open(io.BytesIO(clean.read())) as after:
        assert after.size == (20, 40)
        assert dict(after.getexif()) == {}


# --- Through the form ---------------------------------------------------------------------------------------


def test_uploaded_photo_is_stored_without_gps(client, personas):
    upload = SimpleUploadedFile("maria-at-home.jpg", image_bytes("JPEG", gps=True), content_type="image/jpeg")
    response = client.post(URL, {**GOOD, "media_file": upload})
    assert response.status_code == 302
    t = models.Testimony.objects.get()
    assert t.media_file.name.startswith("testimony/") and t.media_file.name.endswith(".jpg")
    assert "maria" not in t.media_file.name
    with t.media_file.open("rb") as stored, Image.open(stored) as image:
        assert dict(image.getexif()) == {}
        assert image.size == (40, 20)


def test_audio_upload_makes_an_audio_testimony_with_the_real_extension(client, personas):
    # An empty ID3 tag, then MPEG audio frames (uploads are cleaned, so they must be real frames).
    frames = (b"\xff\xfb\x90\x64" + b"\x00" * 413) * 2
    upload = SimpleUploadedFile("voice.jpg", b"ID3\x04\x00\x00\x00\x00\x00\x00" + frames)
    assert client.post(URL, {**GOOD, "media_file": upload}).status_code == 302
    t = models.Testimony.objects.get()
    assert (t.kind, t.media_file.name.rsplit(".", 1)[1]) == (Kind.AUDIO, "mp3")


def test_executable_named_jpg_is_refused_by_the_form(client, personas):
    upload = SimpleUploadedFile("photo.jpg", EXE, content_type="image/jpeg")
    response = client.post(URL, {**GOOD, "media_file": upload})
    assert response.status_code == 400
    assert "This file is not one we accept, whatever its name says." in response.text
    assert "please choose your file again" in response.text
    assert not models.Testimony.objects.exists()


def test_oversize_is_refused_by_the_form(client, personas, monkeypatch):
    monkeypatch.setitem(uploads.LIMITS, "pdf", MB)
    response = client.post(URL, {**GOOD, "media_file": SimpleUploadedFile("a.pdf", PDF + b"0" * MB)})
    assert response.status_code == 400
    assert "This file is 1.0 MB: PDF documents may be at most 1 MB." in response.text
    assert not models.Testimony.objects.exists()


def test_palette_png_keeps_its_colours_and_transparency():
    image = Image.new("P", (4, 4), 1)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    out = io.BytesIO()
    image.save(out, format="PNG", transparency=0, pnginfo=None)
    _media, clean = uploads.prepare(SimpleUploadedFile("x.png", out.getvalue()))
    with Image.open(io.BytesIO(clean.read())) as after:
        assert after.mode == "P"
        assert after.convert("RGB").getpixel((0, 0)) == (255, 0, 0)
        assert after.info.get("transparency") == 0


def test_theme_checkboxes_are_a_fieldset(client, personas):
    from upr.models import Theme

    assert "Which themes does it touch?" not in client.get(URL).text
    Theme.objects.create(slug="housing", name="Housing", name_es="Vivienda")
    text = client.get(URL).text
    assert '<legend class="form-label fs-6 fw-semibold">Which themes does it touch? (optional)</legend>' in text
