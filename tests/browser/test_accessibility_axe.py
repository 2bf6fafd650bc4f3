"""WCAG 2.1 A and AA (the DOS law's level), checked with axe-core on every page type.

Each test visits the pages one kind of user sees and reports every violation on every page
at once. Every page must also have exactly one h1 and the footer link to the accessibility
statement.
"""

import pytest
from django.urls import reverse

from tests.browser.helpers import axe_violations, login
from tests.sample_data import build_sample

pytestmark = pytest.mark.browser


def check_pages(page, urls) -> dict[str, list[str]]:
    """Visit each page; return what is wrong, per page."""
    problems = {}
    for url in urls:
        response = page.goto(url)
        found = [] if response.ok else [f"HTTP {response.status}"]
        found += axe_violations(page)
        if page.locator("h1").count() != 1:
            found.append(f"{page.locator('h1').count()} h1 elements")
        statement = page.locator(f"footer a[href='{reverse('accessibility')}']")
        if statement.count() != 1:
            found.append("no link to the accessibility statement in the footer")
        if found:
            problems[url] = found
    return problems


@pytest.fixture
def sample():
    return build_sample()


def test_public_pages_meet_wcag_21_aa(page, sample):
    urls = [
        reverse("recommendations:home"),
        reverse("accessibility"),
    ]

    assert check_pages(page, urls) == {}


def test_the_admin_pages_an_administrator_starts_from_meet_wcag_21_aa(page, sample, make_user):
    make_user("admin", is_staff=True, is_superuser=True)
    page.goto(reverse("admin:login"))
    assert axe_violations(page) == []
    login(page, "admin", url=reverse("admin:login"))

    problems = {}
    for url in (
        reverse("admin:index"),
        reverse("admin:recommendations_audit_changelist"),
        reverse("admin:recommendations_recommendation_changelist"),
        reverse("admin:responses_response_changelist"),
    ):
        page.goto(url)
        if found := axe_violations(page):
            problems[url] = found

    assert problems == {}
