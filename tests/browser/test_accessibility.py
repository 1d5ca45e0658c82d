"""axe-core on the portal's public pages, in English and in Spanish: no serious or critical violation."""

from __future__ import annotations

from pathlib import Path

import pytest

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"

# Every public page axe checks, in both languages. Add new pages here.
PAGES = [
    "/",
    "/about-the-upr/",
    "/recommendations/",
    "/cities/",
    "/accounts/login/",
    "/accounts/signup/",
]

LANGUAGES = ["en", "es"]
FAILING_IMPACTS = {"serious", "critical"}


def run_axe(page) -> list[dict]:
    """axe-core's violations on the loaded page (all of axe's default rules)."""
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")


def describe(path: str, violations: list[dict]) -> str:
    lines = [f"{path}: {len(violations)} serious or critical violation(s)"]
    for violation in violations:
        lines.append(f"  {violation['id']} [{violation['impact']}] {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"]:
            lines.append(f"    - {' >> '.join(map(str, node['target']))}")
    return "\n".join(lines)


# The portal's CSP allows only its own scripts with a nonce: let the test inject axe-core.
@pytest.mark.browser_context_args(bypass_csp=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_have_no_serious_or_critical_axe_violations(live_server, page, demo_data, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    failures = []
    for path in PAGES:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, f"{path}: HTTP {response and response.status}"
        assert page.locator("html").get_attribute("lang") == language, f"{path} is not in {language!r}"
        violations = [v for v in run_axe(page) if v["impact"] in FAILING_IMPACTS]
        if violations:
            failures.append(describe(path, violations))
    assert not failures, f"axe-core, language {language!r}:\n" + "\n".join(failures)
