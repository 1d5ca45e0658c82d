"""Hostile and revealing uploads: an image whose header declares too many pixels is refused before any pixel is
decoded; location, author and tag metadata leave every accepted type (MP4/MOV, M4A, MP3, WAV, PDF) and are read
back after upload; a type we cannot clean (Ogg, WebM) is refused with a plain message."""

import io
import struct
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from testimony import metadata, uploads
from testimony.models import Testimony as Story
from tests.testimony.test_submit import GOOD, URL

GPS = b"+40.4406-079.9959/"
NAME = "Ana P\u00e9rez"


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def phone_video(brand: bytes = b"isom") -> bytes:
    """An MP4 laid out as phones write it: ftyp, moov (movie header, the place filmed in udta/©xyz, a track with its
    own user data and an XMP uuid box), then the media data the sample tables point into."""
    xyz = box(b"\xa9xyz", struct.pack(">HH", len(GPS), 0x15C7) + GPS)
    author = box(b"\xa9ART", struct.pack(">HH", len(NAME.encode()), 0) + NAME.encode())
    trak = box(b"trak", box(b"tkhd", bytes(84)) + box(b"udta", author))
    xmp = box(b"uuid", bytes(16) + f"<x:xmpmeta><dc:creator>{NAME}</dc:creator></x:xmpmeta>".encode())
    moov = box(b"moov", box(b"mvhd", bytes(100)) + box(b"udta", xyz) + trak + xmp)
    return box(b"ftyp", brand + b"\x00\x00\x02\x00" + brand + b"mp41") + moov + box(b"mdat", b"\x00\x11" * 512)


def id3_frame(frame_id: bytes, text: str) -> bytes:
    payload = b"\x03" + text.encode()  # UTF-8
    return frame_id + struct.pack(">I", len(payload)) + b"\x00\x00" + payload


def syncsafe(n: int) -> bytes:
    return bytes([(n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F, n & 0x7F])


def tagged_mp3() -> bytes:
    frames = id3_frame(b"TPE1", NAME) + id3_frame(b"TXXX", f"\x00GPS {GPS.decode()}")
    id3v2 = b"ID3\x04\x00\x00" + syncsafe(len(frames)) + frames
    mpeg = (b"\xff\xfb\x90\x64" + bytes(413)) * 4  # four MPEG-1 layer III frames
    id3v1 = b"TAG" + "Zqtitle".ljust(30).encode() + "AnaP".ljust(30).encode() + bytes(65)
    return id3v2 + mpeg + id3v1


def tagged_wav() -> bytes:
    fmt = box_le(b"fmt ", struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16))
    info = box_le(b"LIST", b"INFO" + box_le(b"IART", NAME.encode() + b"\x00"))
    data = box_le(b"data", bytes(1600))
    body = fmt + info + data
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body


def box_le(kind: bytes, payload: bytes) -> bytes:
    return kind + struct.pack("<I", len(payload)) + payload + (b"\x00" if len(payload) % 2 else b"")


def authored_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": NAME, "/Title": "Letter from the landlord", "/Producer": "Scanner 3000"})
    xmp = DecodedStreamObject()
    xmp.set_data(f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>{NAME}</dc:creator></x:xmpmeta>'.encode())
    xmp[NameObject("/Type")] = NameObject("/Metadata")
    xmp[NameObject("/Subtype")] = NameObject("/XML")
    writer._root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def cleaned(name: str, content: bytes) -> bytes:
    _media, stored = uploads.prepare(SimpleUploadedFile(name, content))
    return stored.read()


def test_the_fixtures_really_carry_the_details():
    assert GPS in phone_video() and NAME.encode() in phone_video()
    assert NAME.encode() in tagged_mp3() and NAME.encode() in tagged_wav()
    assert PdfReader(io.BytesIO(authored_pdf())).metadata["/Author"] == NAME


@pytest.mark.parametrize("brand", [b"isom", b"qt  "], ids=["mp4", "mov"])
def test_video_location_and_names_are_removed_and_offsets_kept(brand):
    original = phone_video(brand)
    clean = cleaned("VID_0001.mov", original)
    assert GPS not in clean and NAME.encode() not in clean and b"xmpmeta" not in clean
    # Same length, the media data where it was: the sample tables' absolute offsets still point into it.
    assert len(clean) == len(original)
    assert clean.index(b"mdat") == original.index(b"mdat")
    assert clean[-1024:] == original[-1024:]


def test_m4a_is_cleaned_like_a_video():
    clean = cleaned("voice.m4a", phone_video(b"M4A "))
    assert GPS not in clean and NAME.encode() not in clean


def test_mp3_tags_are_removed():
    clean = cleaned("voice.mp3", tagged_mp3())
    assert clean.startswith(b"\xff\xfb") and b"TAG" not in clean[-128:]
    assert NAME.encode() not in clean and GPS not in clean


def test_wav_info_chunk_is_removed():
    clean = cleaned("voice.wav", tagged_wav())
    assert NAME.encode() not in clean and b"LIST" not in clean
    assert clean[:4] == b"RIFF" and struct.unpack("<I", clean[4:8])[0] == len(clean) - 8
    assert b"fmt " in clean and b"data" in clean


def test_pdf_author_and_xmp_are_removed():
    clean = cleaned("letter.pdf", authored_pdf())
    reader = PdfReader(io.BytesIO(clean))
    assert len(reader.pages) == 1
    assert not reader.metadata or "/Author" not in reader.metadata
    assert "/Metadata" not in reader.trailer["/Root"]
    assert NAME.encode() not in clean and b"Scanner 3000" not in clean and b"xmpmeta" not in clean


@pytest.mark.parametrize(
    "head", [b"OggS\x00\x02" + bytes(58), b"\x1a\x45\xdf\xa3\x9f\x42\x86" + bytes(57)], ids=["ogg", "webm"]
)
def test_types_we_cannot_clean_are_refused_with_a_reason(head):
    with pytest.raises(ValidationError) as caught:
        uploads.check_upload(SimpleUploadedFile("clip", head))
    assert "We cannot yet remove hidden details" in caught.value.messages[0]


def test_a_damaged_file_is_refused_not_kept_with_its_details():
    with pytest.raises(ValidationError) as caught:
        uploads.check_upload(SimpleUploadedFile("v.mp4", phone_video()[:-600] + b"\xff" * 3))
    assert "could not read it to remove its hidden details" in caught.value.messages[0]
    with pytest.raises(metadata.CannotStrip):
        metadata.strip_mp3(b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(100))


def test_an_image_declaring_too_many_pixels_is_refused_before_decoding():
    image = Image.new("1", (8000, 6000))  # 48 megapixels of one colour: a tiny file
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    assert len(out.getvalue()) < 200_000
    started = time.perf_counter()
    with pytest.raises(ValidationError) as caught:
        uploads.check_upload(SimpleUploadedFile("bomb.png", out.getvalue()))
    assert time.perf_counter() - started < 1  # the header alone decided; no pixel was decoded
    assert caught.value.messages == ["This image is 8000 × 6000 pixels: images may have at most 40 million."]


def test_a_video_through_the_form_is_stored_without_its_location(client, personas):
    upload = SimpleUploadedFile("IMG_0042.MOV", phone_video(b"qt  "), content_type="video/quicktime")
    assert client.post(URL, {**GOOD, "media_file": upload}).status_code == 302
    stored = Story.objects.get().media_file
    with stored.open("rb") as handle:
        data = handle.read()
    assert GPS not in data and NAME.encode() not in data


def test_an_ogg_through_the_form_keeps_the_rest_and_says_why(client, personas):
    upload = SimpleUploadedFile("voice.ogg", b"OggS\x00\x02" + bytes(200), content_type="audio/ogg")
    response = client.post(URL, {**GOOD, "media_file": upload})
    assert response.status_code == 400
    assert "We cannot yet remove hidden details" in response.text
    assert "Our landlord evicted us in January" in response.text  # what was valid is kept
    assert not Story.objects.exists()
