"""How a testimony's uploaded media is shown on public pages (links go through portal.links)."""

from __future__ import annotations

_FILE_KINDS = {
    "image": {"jpg", "jpeg", "png", "gif", "webp"},
    "audio": {"mp3", "m4a", "ogg", "oga", "wav", "opus"},
    "video": {"mp4", "webm", "ogv", "mov"},
}


def file_kind(name: str) -> str:
    """ "image", "audio" or "video" from an uploaded file's extension; "" for anything else (offered as a link)."""
    extension = name.rsplit(".", 1)[-1].lower() if name and "." in name else ""
    return next((kind for kind, extensions in _FILE_KINDS.items() if extension in extensions), "")
