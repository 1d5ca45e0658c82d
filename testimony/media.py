"""How a testimony's media is shown on public pages: a safe player address for links, a kind for files."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_VIMEO_ID = re.compile(r"[0-9]{1,12}")
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com", "www.youtube-nocookie.com"}
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
_FILE_KINDS = {
    "image": {"jpg", "jpeg", "png", "gif", "webp"},
    "audio": {"mp3", "m4a", "ogg", "oga", "wav", "opus"},
    "video": {"mp4", "webm", "ogv", "mov"},
}


def _parts(link: str):
    """The link's scheme-checked parts, or None for anything but a plain http(s) address."""
    if not link or len(link) > 2000:
        return None
    try:
        parts = urlsplit(link.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or parts.username or parts.password or port not in (None, 80, 443):
        return None
    return parts


def safe_link(link: str) -> str:
    """The link itself when it is a plain http(s) address (safe in an href), else ""."""
    return link.strip() if _parts(link) else ""


def embed_url(link: str) -> str:
    """A privacy-enhanced player address for a YouTube or Vimeo link, rebuilt from the id alone; else ""."""
    parts = _parts(link)
    if parts is None:
        return ""
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    if host == "youtu.be" or host in _YOUTUBE_HOSTS:
        if host == "youtu.be":
            candidate = segments[0] if len(segments) == 1 else None
        elif segments == ["watch"]:
            values = parse_qs(parts.query).get("v", [])
            candidate = values[0] if len(values) == 1 else None
        elif len(segments) == 2 and segments[0] in ("embed", "live", "shorts", "v"):
            candidate = segments[1]
        else:
            candidate = None
        if candidate and _YOUTUBE_ID.fullmatch(candidate):
            return f"https://www.youtube-nocookie.com/embed/{candidate}"
    elif host in _VIMEO_HOSTS:
        if host == "player.vimeo.com":
            candidate = segments[1] if len(segments) == 2 and segments[0] == "video" else None
        else:
            candidate = segments[0] if len(segments) == 1 else None
        if candidate and _VIMEO_ID.fullmatch(candidate):
            return f"https://player.vimeo.com/video/{candidate}"
    return ""


def file_kind(name: str) -> str:
    """ "image", "audio" or "video" from an uploaded file's extension; "" for anything else (offered as a link)."""
    extension = name.rsplit(".", 1)[-1].lower() if name and "." in name else ""
    return next((kind for kind, extensions in _FILE_KINDS.items() if extension in extensions), "")
