"""Helpers the browser tests share: logging in through the real form, and axe-core."""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

PASSWORD = "ett-långt-lösenord-för-test-7"
CHROMIUM = Path("/usr/bin/chromium")

# WCAG 2.1 level A and AA: what the Swedish DOS law (lagen om tillgänglighet till digital
# offentlig service) requires.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_axe = Axe()  # axe-core ships inside the package: no network needed


def login(page, username, password=PASSWORD, *, url=None):
    """Log in through the real login form, as a person would, and wait for the next page."""
    page.goto(url or reverse("login"))
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("form:has(input[name=password]) [type=submit]").click()


def axe_violations(page) -> list[str]:
    """The WCAG 2.1 A/AA violations axe-core finds on the current page, one line per node."""
    results = _axe.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_21_AA},
            "resultTypes": ["violations"],
        },
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at {node['target']}"
        for violation in results.response["violations"]
        for node in violation["nodes"]
    ]


def assert_accessible(page):
    violations = axe_violations(page)
    assert not violations, f"axe found on {page.url}:\n" + "\n".join(violations)


def require_chromium(path: Path = CHROMIUM, environ=os.environ) -> None:
    """Skip without chromium on a developer's machine; fail in CI, which must run them."""
    if path.exists():
        return
    message = (
        f"Browser tests need Debian's chromium at {path}: "
        "run `make browser` (apt-get install chromium)."
    )
    if environ.get("CI", "").lower() == "true":
        pytest.fail(message + " CI must run the browser tests, not skip them.")
    pytest.skip(message)
