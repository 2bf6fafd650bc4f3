"""WCAG 2.1 A and AA (the DOS law's level), checked with axe-core on every page type.

Each test visits the pages one kind of user sees and reports every violation on every page
at once. Every page must also have exactly one h1 and the footer link to the accessibility
statement.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations.models import Audit, Board, Recommendation
from recommendations.roles import AUDITOR_GROUP, STAFF_GROUP
from responses.models import Response
from tests.browser.helpers import axe_violations, login
from tests.factories import build_sample

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


def public_urls() -> list[str]:
    """One page of every public type, with filters applied where a page has them."""
    recommendation = Recommendation.objects.get(audit__reference="SR-2018-71", position=10)
    # The municipality's matrix: the national one waits for a municipality to be chosen.
    matrix = reverse("municipal:matrix", args=["malmo-stad"])
    listing = reverse("recommendations:recommendation_list")
    return [
        reverse("recommendations:home"),
        listing,
        f"{listing}?board={Board.objects.get(short_code='ASN').pk}&status=in_progress",
        f"{listing}?q=samkörts",
        f"{listing}?q=ordsomintefinns",
        recommendation.get_absolute_url(),
        Audit.objects.get(reference="SR-2018-71").get_absolute_url(),
        Board.objects.get(short_code="ASN").get_absolute_url(),
        Response.objects.published().order_by("pk").first().get_absolute_url(),
        matrix,
        f"{matrix}?per=2020-01-01",
        reverse("accessibility"),
        reverse("login"),
        reverse("recommendations:open_data"),
        reverse("recommendations:api_documentation"),
        reverse("reports:index"),
        reverse("reports:council_report", args=["malmo-stad", timezone.localdate().year]),
        reverse("reports:council_report", args=["malmo-stad", 2021]),
    ]


def test_public_pages_meet_wcag_21_aa(page, seeds):
    assert check_pages(page, public_urls()) == {}


def test_the_admin_pages_an_administrator_starts_from_meet_wcag_21_aa(page, seeds, make_user):
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


def test_staff_pages_meet_wcag_21_aa(page, make_user):
    sample = build_sample()
    make_user("handlaggare", groups=[STAFF_GROUP], boards=[sample.asn])
    draft = Response.objects.create(board=sample.asn, round=sample.open_round, title="Utkast")
    login(page, "handlaggare")
    edit = reverse("responses:response_edit", args=[draft.pk])
    urls = [
        reverse("responses:response_start"),
        edit,
        reverse("responses:response_preview", args=[draft.pk]),
        reverse("responses:response_publish", args=[draft.pk]),
        reverse("responses:response_submit", args=[draft.pk]),
        reverse("responses:response_history", args=[draft.pk]),
        reverse("responses:response_preview", args=[sample.second_response.pk]),
        reverse("password_change"),
    ]
    problems = check_pages(page, urls)

    page.goto(edit)
    page.locator(f"#id_measure-{sample.measure.pk}-due").fill("snart")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara utkast").click()
    assert page.locator(".error-summary").count() == 1
    if found := axe_violations(page):
        problems["edit page with errors"] = found

    assert problems == {}


def test_auditor_pages_meet_wcag_21_aa(page, make_user):
    sample = build_sample()
    make_user("revisor", groups=[AUDITOR_GROUP])
    login(page, "revisor")
    urls = [
        reverse("auditors:attention"),
        reverse("auditors:assess", args=[sample.rec_1.pk]),
        reverse("auditors:close", args=[sample.rec_1.pk]),
        reverse("auditors:recommendation_history", args=[sample.rec_1.pk]),
        reverse("responses:response_preview", args=[sample.second_response.pk]),
        sample.rec_1.get_absolute_url(),
    ]
    problems = check_pages(page, urls)

    page.goto(reverse("auditors:assess", args=[sample.rec_1.pk]))
    page.get_by_role("button", name="Spara bedömning").click()
    page.wait_for_load_state()
    if found := axe_violations(page):
        problems["assessment form with errors"] = found

    assert problems == {}


def test_the_admin_import_pages_meet_wcag_21_aa(page, make_user, tmp_path):
    from tests.conftest import DATA

    make_user("admin", is_staff=True, is_superuser=True)
    login(page, "admin")
    problems = {}
    page.goto(reverse("fixture_import"))
    if found := axe_violations(page):
        problems["import page"] = found
    broken = tmp_path / "trasig.json"
    broken.write_text("[{", encoding="utf-8")
    for name, path in (("errors", broken), ("dry run", DATA / "minimal.json")):
        page.goto(reverse("fixture_import"))
        page.get_by_label("Fixturfil (JSON)").set_input_files(str(path))
        page.get_by_role("button", name="Granska filen").click()
        if found := axe_violations(page):
            problems[name] = found

    assert problems == {}
