"""Documents fetch nothing they should not: a listener on a local port never hears from a render, whatever hostile
names, titles and texts the document holds; the fetcher serves only the portal's static files; user text never
ends a CSS string."""

from __future__ import annotations

import http.server
import socket
import threading
from pathlib import Path

import pytest

from reports import rendering
from reports.document import Block, Document


@pytest.fixture
def listener():
    """A local HTTP server recording every request it gets."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def hostile(base: str) -> list[str]:
    return [
        f'Pittsburgh\r"; }} @import url("{base}/import.css"); x {{ content: "',
        f"Boston\f}} @page {{ background: url({base}/page.png) }}",
        f'<img src="{base}/img.png"><link rel="stylesheet" href="{base}/link.css">',
        "file:///etc/passwd",
        f'<style>@import "{base}/style.css";</style>',
    ]


def test_a_render_never_fetches_what_user_text_names(listener):
    base, hits = listener
    texts = hostile(base)
    document = Document(
        language="en",
        title=texts[2],
        subtitle=texts[4],
        cover_lines=texts[:2],
        cover_notes=[texts[3]],
        blocks=[Block("heading", text=texts[0], level=2, anchor="x"), Block("paragraph", text=texts[2], number=1)],
        footer_label=texts[0] + texts[1],
    )
    html = rendering.render_html(document)
    # The footer label is a CSS string: none of its quotes, braces or line breaks survive unescaped.
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "@import" not in style.replace("\\40 import", "") and "\r" not in style and "\f" not in style
    data, pages = rendering.render_pdf(document)
    assert data.startswith(b"%PDF") and pages >= 1
    assert hits == []


def test_the_fetcher_serves_only_static_files(listener, tmp_path):
    base, hits = listener
    fetcher = rendering.portal_url_fetcher()
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    for url in (f"{base}/x.css", secret.as_uri(), "file:///etc/passwd", "ftp://127.0.0.1/x"):
        with pytest.raises(ValueError):
            fetcher(url)
    assert hits == []
    print_css = Path(rendering.print_stylesheet()).resolve()
    for url, expected in ((print_css.as_uri(), b"@page"), ("data:text/plain,hello", b"hello")):
        response = fetcher(url)
        try:
            assert expected in response.read()
        finally:
            response.close()


def test_nothing_listens_for_a_render_of_a_report_with_a_hostile_city_name(listener, personas, city_factory):
    from tests.reports.factories import make_report

    base, hits = listener
    city = city_factory("Erie", "PA", coalition_name=hostile(base)[0])
    report = make_report(city, sections=1, recommendations=1, executive_summary=hostile(base)[2])
    rendering.render_pdf(rendering.build_document(report, "report"))
    assert hits == []


def test_no_socket_is_opened_while_rendering(monkeypatch, listener):
    base, _hits = listener
    opened: list[tuple] = []
    real_connect = socket.socket.connect

    def connect(self, address):
        opened.append(address)
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    document = Document(
        language="en", title="T", subtitle="S", cover_lines=[], blocks=[], footer_label=hostile(base)[0]
    )
    rendering.render_pdf(document)
    assert opened == []
