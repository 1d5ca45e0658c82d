"""Open data in a real browser: a researcher downloads a dataset from /open-data/ and reads the API reference page,
which loads nothing from another site; the JSON it documents answers a request from another origin (CORS)."""

from __future__ import annotations

import csv
import io
import json

from playwright.sync_api import expect


def test_download_a_dataset_and_read_the_api_reference(live_server, page, demo_data, settings):
    settings.SITE_URL = live_server.url
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)

    page.goto(f"{live_server.url}/open-data/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Open data")
    section = page.get_by_role("region", name="Recommendations")
    expect(section).to_contain_text("575 rows")
    with page.expect_download() as info:
        section.get_by_role("link", name="Download recommendations.csv").click()
    download = info.value
    assert download.suggested_filename == "recommendations.csv"
    with open(download.path(), "rb") as handle:
        content = handle.read()
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(rows) == 575
    assert {row["cycle"] for row in rows} == {"1", "3"}

    page.get_by_role("link", name="The JSON API").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API reference")
    expect(page.get_by_role("heading", name="GET /api/v1/recommendations/", exact=True)).to_be_visible()
    expect(page.get_by_role("table", name="Parameters of /api/v1/recommendations/", exact=True)).to_contain_text(
        "theme"
    )
    assert outside == []  # no CDN, no script from elsewhere

    # The schema it is rendered from, fetched by a script as another site's page would.
    body = page.evaluate(
        "async (url) => (await fetch(url, {mode: 'cors'})).text()", f"{live_server.url}/api/v1/recommendations/?limit=1"
    )
    assert json.loads(body)["count"] == 575
