"""portal.links: the one rule for which links are printed and which become a video player (recordings of events,
videos shared with testimony)."""

import pytest

from portal.links import embed_url, is_video_service, safe_link

# --- embed_url --------------------------------------------------------------------------------------------

YT = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", YT),
        ("https://youtube.com/watch?v=dQw4w9WgXcQ&list=PL123&t=42s", YT),
        ("http://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ", YT),
        ("https://youtu.be/dQw4w9WgXcQ", YT),
        ("https://youtu.be/dQw4w9WgXcQ?t=30", YT),
        ("https://www.youtube.com/embed/dQw4w9WgXcQ", YT),
        ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1", YT),
        ("https://www.youtube.com/live/dQw4w9WgXcQ", YT),
        ("  https://www.youtube.com/watch?v=dQw4w9WgXcQ  ", YT),
        ("https://vimeo.com/123456789", "https://player.vimeo.com/video/123456789"),
        ("https://player.vimeo.com/video/123456789?h=abc", "https://player.vimeo.com/video/123456789"),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://www.youtube.com/watch?v=bad", None),
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&v=dQw4w9WgXcQ", None),
        ("https://evil.example/watch?v=dQw4w9WgXcQ", None),
        ("javascript:alert(1)", None),
        ("https://user:pw@youtu.be/dQw4w9WgXcQ", None),
        ("https://youtu.be:8080/dQw4w9WgXcQ", None),
        ("https://vimeo.com/76979871/x", None),
        # Not a recognised recording: never an iframe.
        ("", None),
        (None, None),
        ("not a url", None),
        ("javascript:alert(1)", None),
        ("https://evil.example/embed/dQw4w9WgXcQ", None),
        ("https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ", None),
        ("https://evil.example/?u=https://youtu.be/dQw4w9WgXcQ", None),
        ("https://user:pw@www.youtube.com/watch?v=dQw4w9WgXcQ", None),
        ("https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ", None),
        ("https://www.youtube.com/watch?v=short", None),
        ('https://www.youtube.com/watch?v=dQw4w9WgXcQ"><script>', None),
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&v=aaaaaaaaaaa", None),
        ("https://www.youtube.com/watch", None),
        ("https://www.youtube.com/channel/UCabcdefghij", None),
        ("https://youtu.be/", None),
        ("https://youtu.be/dQw4w9WgXcQ/extra", None),
        ("ftp://youtu.be/dQw4w9WgXcQ", None),
        ("https://vimeo.com/channels/staffpicks", None),
        ("https://vimeo.com/12345abc", None),
        ("https://player.vimeo.com/video/../../evil", None),
        ("https://[::1/", None),
        ("https://www.youtube.com/watch?v=" + "a" * 3000, None),
    ],
)
def test_embed_url(link, expected):
    assert embed_url(link) == expected


def test_safe_link_keeps_only_plain_web_addresses():
    assert safe_link("javascript:alert(1)") == ""
    assert safe_link(" https://example.org/a ") == "https://example.org/a"
    assert safe_link("https://user:pw@example.org/") == ""
    assert safe_link(None) == ""


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", True),
        ("https://m.youtube.com/channel/UCabcdefghij", True),
        ("https://youtu.be/x", True),
        ("https://vimeo.com/76979871", True),
        ("https://player.vimeo.com/video/1", True),
        ("https://archive.example.org/talk", False),
        ("https://www.youtube.com.evil.example/watch", False),
        ("javascript:alert(1)", False),
        ("", False),
    ],
)
def test_is_video_service(link, expected):
    assert is_video_service(link) is expected
