"""Links people give (a recording, a video shared with a testimony): which are safe to print, and the player
address of the few video services the site's Content-Security-Policy lets pages frame."""

from __future__ import annotations

import re
from urllib.parse import SplitResult, parse_qs, urlsplit

_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_VIMEO_ID = re.compile(r"[0-9]{1,12}")
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com", "www.youtube-nocookie.com"}
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
MAX_LINK_LENGTH = 2000


def _parts(link: str | None) -> SplitResult | None:
    """The link's parts when it is a plain http(s) address (no credentials, a standard port); else None."""
    if not link or not isinstance(link, str) or len(link) > MAX_LINK_LENGTH:
        return None
    try:
        parts = urlsplit(link.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or parts.username or parts.password or port not in (None, 80, 443):
        return None
    return parts


def safe_link(link: str | None) -> str:
    """The link itself when it is a plain http(s) address (safe in an href), else ""."""
    return link.strip() if _parts(link) else ""


def _youtube_id(host: str, segments: list[str], query: str) -> str | None:
    if host == "youtu.be":
        return segments[0] if len(segments) == 1 else None
    if segments == ["watch"]:
        values = parse_qs(query).get("v", [])
        return values[0] if len(values) == 1 else None
    if len(segments) == 2 and segments[0] in ("embed", "live", "shorts", "v"):
        return segments[1]
    return None


def embed_url(link: str | None) -> str | None:
    """The privacy-enhanced player address of a YouTube or Vimeo link; None for anything else.

    Only ids matching the services' own formats are kept, and the address is rebuilt from them: whatever the link
    says, an iframe's src can only ever be https://www.youtube-nocookie.com/embed/<id> or
    https://player.vimeo.com/video/<id>.
    """
    parts = _parts(link)
    if parts is None:
        return None
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    if host == "youtu.be" or host in _YOUTUBE_HOSTS:
        candidate = _youtube_id(host, segments, parts.query)
        if candidate is not None and _YOUTUBE_ID.fullmatch(candidate):
            return f"https://www.youtube-nocookie.com/embed/{candidate}"
    elif host in _VIMEO_HOSTS:
        if host == "player.vimeo.com":
            candidate = segments[1] if len(segments) == 2 and segments[0] == "video" else None
        else:
            candidate = segments[0] if len(segments) == 1 else None
        if candidate is not None and _VIMEO_ID.fullmatch(candidate):
            return f"https://player.vimeo.com/video/{candidate}"
    return None


def is_video_service(link: str | None) -> bool:
    """Whether the link points at YouTube or Vimeo (a video, even where no player address can be made of it)."""
    parts = _parts(link)
    host = (parts.hostname or "").lower() if parts else ""
    return host == "youtu.be" or host in _YOUTUBE_HOSTS or host in _VIMEO_HOSTS or host.endswith(".vimeo.com")
