"""Hidden details removed from uploaded audio, video and PDF files (DESIGN.md section 5: do no harm).

A phone's video carries where it was filmed (an ISO `©xyz` atom), an MP3 the name of whoever tagged it, a PDF its
author and the program's XMP packet. Each function returns the file's bytes without them, changing nothing else
that a player needs; a file whose structure is not what its type promises raises `CannotStrip`, and the upload is
refused rather than kept with its metadata. Formats we cannot clean safely (Ogg, WebM) are refused at upload.
"""

from __future__ import annotations

import io
import struct


class CannotStrip(ValueError):
    """The file does not have the structure its type announces, so its metadata cannot be removed safely."""


# --- ISO base media (MP4, MOV, M4A) ---------------------------------------------------------------------------

# Boxes that hold descriptions, not media: user data (©xyz location, ©ART, ©day...), iTunes-style metadata and
# vendor `uuid` boxes (XMP). Each is turned into a `free` box of the same size with its bytes zeroed, so every
# offset in the file (the sample tables point into `mdat` by absolute offset) stays valid.
_METADATA_BOXES = {b"udta", b"meta", b"uuid", b"XMP_"}
# Containers walked to find them.
_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"edts", b"dinf", b"stbl", b"moof", b"traf", b"mvex"}


def _boxes(data: bytearray, start: int, end: int):
    offset = start
    while offset < end:
        if end - offset < 8:
            raise CannotStrip("truncated box header")
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        header = 8
        if size == 1:
            if end - offset < 16:
                raise CannotStrip("truncated large box header")
            size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
            header = 16
        elif size == 0:
            size = end - offset  # to the end of the file
        if size < header or offset + size > end:
            raise CannotStrip(f"box {kind!r} overruns its container")
        yield offset, size, header, kind
        offset += size


def _blank_iso(data: bytearray, start: int, end: int) -> None:
    for offset, size, header, kind in _boxes(data, start, end):
        if kind in _METADATA_BOXES:
            data[offset + 4 : offset + 8] = b"free"
            data[offset + header : offset + size] = bytes(size - header)
        elif kind in _CONTAINERS:
            _blank_iso(data, offset + header, offset + size)


def strip_iso_media(content: bytes) -> bytes:
    data = bytearray(content)
    if data[4:8] != b"ftyp":
        raise CannotStrip("no ftyp box")
    _blank_iso(data, 0, len(data))
    return bytes(data)


# --- MP3 ------------------------------------------------------------------------------------------------------


def _syncsafe(raw: bytes) -> int:
    return (raw[0] << 21) | (raw[1] << 14) | (raw[2] << 7) | raw[3]


def strip_mp3(content: bytes) -> bytes:
    """The MPEG audio frames alone: every ID3v2 tag at the start, the ID3v1 tag and any APEv2 tag at the end go."""
    data = content
    while data.startswith(b"ID3"):
        if len(data) < 10:
            raise CannotStrip("truncated ID3 tag")
        footer = 10 if data[5] & 0x10 else 0
        data = data[10 + _syncsafe(data[6:10]) + footer :]
    if len(data) >= 128 and data[-128:-125] == b"TAG":
        data = data[:-128]
    if len(data) >= 32 and data[-32:-24] == b"APETAGEX":
        tag_size = struct.unpack("<I", data[-20:-16])[0] + 32  # the footer's size excludes the 32-byte header
        data = data[: max(0, len(data) - tag_size)]
    if not data or not (data[0] == 0xFF and (data[1] & 0xE0) == 0xE0):
        raise CannotStrip("no MPEG audio frame after the tags")
    return data


# --- WAV ------------------------------------------------------------------------------------------------------

# A player needs only the format and the samples; LIST/INFO (artist, comments), id3, bext (originator), iXML...
# are descriptions.
_WAV_KEEP = {b"fmt ", b"data", b"fact", b"cue ", b"smpl"}


def strip_wav(content: bytes) -> bytes:
    if content[:4] != b"RIFF" or content[8:12] != b"WAVE":
        raise CannotStrip("not a RIFF WAVE file")
    out = io.BytesIO()
    offset, end = 12, min(len(content), 8 + struct.unpack("<I", content[4:8])[0])
    kept = []
    while offset + 8 <= end:
        kind, size = struct.unpack("<4sI", content[offset : offset + 8])
        chunk = content[offset : offset + 8 + size + (size & 1)]
        if offset + 8 + size > len(content):
            raise CannotStrip(f"chunk {kind!r} overruns the file")
        if kind in _WAV_KEEP:
            kept.append(chunk)
        offset += 8 + size + (size & 1)
    if not any(chunk[:4] == b"data" for chunk in kept):
        raise CannotStrip("no data chunk")
    body = b"".join(kept)
    out.write(b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body)
    return out.getvalue()


# --- PDF ------------------------------------------------------------------------------------------------------


def strip_pdf(content: bytes) -> bytes:
    """The pages again, without the document information (author, producer, title...) or any XMP packet."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError
    from pypdf.generic import NameObject

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise CannotStrip("encrypted PDF")
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        for page in writer.pages:
            for key in ("/Metadata", "/PieceInfo"):
                if key in page:
                    del page[NameObject(key)]
        writer.metadata = None
        root = writer._root_object
        for key in ("/Metadata", "/PieceInfo"):
            if key in root:
                del root[NameObject(key)]
        out = io.BytesIO()
        writer.write(out)
    except CannotStrip:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, struct.error) as exc:
        raise CannotStrip(str(exc)) from exc
    return out.getvalue()
