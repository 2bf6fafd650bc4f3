"""Hostile input: HTML and JavaScript typed into any text field is shown as text, never run.

Every free-text field of the sample data (titles, recommendation wording, narratives,
measures) ends with a payload that would run script if any page printed it unescaped. The
browser checks that no script ran, that no element was injected, and that people see the
characters they typed. (The strict CSP would block an inline script anyway; the page fixture
also fails the test on any CSP violation, so an escaping bug cannot hide behind the CSP.)
"""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from dataimport.importer import import_texts
from recommendations.models import Audit, AuditorAssessment, Recommendation
from recommendations.roles import AUDITOR_GROUP, STAFF_GROUP
from responses.models import DueDateChange, Response, ResponseEntry
from tests.browser.helpers import login
from tests.conftest import DATA
from tests.factories import build_sample

pytestmark = pytest.mark.browser

PAYLOAD = (
    ' <script>window.__xss = "script"</script>'
    '<img src="x" onerror="window.__xss = \'img\'">'
    "\"'><svg onload=\"window.__xss = 'svg'\"></svg>"
)
VISIBLE_PART = '<script>window.__xss = "script"</script>'


@pytest.fixture
def hostile():
    """The sample with the payload in every text, plus a draft, a moved date, an assessment."""
    sample = build_sample(text=PAYLOAD)
    sample.draft = Response.objects.create(
        board=sample.asn,
        round=sample.open_round,
        title="Lägesbeskrivning" + PAYLOAD,
        summary="Sammanfattning" + PAYLOAD,
    )
    ResponseEntry.objects.create(
        response=sample.draft,
        recommendation=sample.rec_1,
        status="in_progress",
        narrative="Utkast" + PAYLOAD,
    )
    DueDateChange.objects.create(
        measure=sample.measure,
        previous_date=datetime.date(2020, 1, 1),
        previous_precision="term",
        new_date=datetime.date(2021, 1, 1),
        new_precision="year",
        reason="Försenat" + PAYLOAD,
        changed_at=timezone.now(),
        entry=sample.measure.announced_in,
    )
    AuditorAssessment.objects.create(
        recommendation=sample.rec_1,
        round=sample.second_round,
        status="not_started",
        comment="Revisionen ser inget system" + PAYLOAD,
        assessed_on=datetime.date(2019, 10, 1),
    )
    return sample


def assert_nothing_ran(page):
    assert page.evaluate("window.__xss") is None
    assert (
        page.locator(
            "img[src='x'], svg[onload], script:not([src]):not([type='application/json'])"
        ).count()
        == 0
    )


def assert_shown_as_text(page, url):
    page.goto(url)
    assert_nothing_ran(page)
    assert page.get_by_text(VISIBLE_PART).count() >= 1, f"the typed text is not shown on {url}"


def test_public_pages_show_hostile_text_as_text(page, hostile):
    dialogs = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message) or dialog.dismiss())

    for url in (
        reverse("recommendations:home"),
        reverse("recommendations:recommendation_list"),
        reverse("recommendations:recommendation_list") + "?q=uppföljningssystem",
        hostile.rec_1.get_absolute_url(),
        hostile.audit.get_absolute_url(),
        hostile.asn.get_absolute_url(),
        hostile.second_response.get_absolute_url(),
    ):
        assert_shown_as_text(page, url)
    # Shows the wording cut short (beneath the municipality: the national matrix waits).
    page.goto(reverse("municipal:matrix", args=[hostile.audit.municipality.slug]))
    assert_nothing_ran(page)

    assert dialogs == []


def test_admin_pages_show_hostile_text_as_text(page, hostile, make_user):
    make_user("admin", is_staff=True, is_superuser=True)
    login(page, "admin", url=reverse("admin:login"))

    for url in (
        reverse("admin:recommendations_recommendation_changelist"),
        reverse("admin:responses_measure_changelist"),
    ):
        assert_shown_as_text(page, url)
    for url in (
        reverse("admin:recommendations_recommendation_change", args=[hostile.rec_1.pk]),
        reverse("admin:responses_response_change", args=[hostile.second_response.pk]),
    ):
        page.goto(url)
        assert_nothing_ran(page)
        # In its field as typed (the first textarea may be another field, e.g. an inference's).
        values = [textarea.input_value() for textarea in page.locator("textarea").all()]
        assert any(VISIBLE_PART in value for value in values)


def test_staff_pages_show_hostile_text_as_text(page, hostile, make_user):
    make_user("handlaggare", groups=[STAFF_GROUP], boards=[hostile.asn])
    login(page, "handlaggare")

    for url in (
        reverse("responses:response_start"),
        reverse("responses:response_preview", args=[hostile.draft.pk]),
        reverse("responses:response_publish", args=[hostile.draft.pk]),
        reverse("responses:response_history", args=[hostile.draft.pk]),
    ):
        assert_shown_as_text(page, url)
    page.goto(reverse("responses:response_edit", args=[hostile.draft.pk]))
    assert_nothing_ran(page)
    narrative = page.locator(f"#id_rec-{hostile.rec_1.pk}-narrative")
    assert narrative.input_value().endswith(PAYLOAD)
    assert page.locator("#id_title").input_value().endswith(PAYLOAD)


def test_auditor_pages_show_hostile_text_as_text(page, hostile, make_user):
    make_user("revisor", groups=[AUDITOR_GROUP])
    login(page, "revisor")

    for url in (
        reverse("auditors:attention"),
        reverse("auditors:assess", args=[hostile.rec_1.pk]),
        reverse("auditors:recommendation_history", args=[hostile.rec_1.pk]),
        hostile.rec_1.get_absolute_url(),
    ):
        assert_shown_as_text(page, url)
    page.goto(reverse("auditors:close", args=[hostile.rec_1.pk]))
    assert_nothing_ran(page)


FREE_TEXT = {"name", "title", "text", "summary", "narrative", "note", "responsible"}


def test_imported_fixtures_show_hostile_text_as_text(page):
    data = json.loads((DATA / "minimal.json").read_text(encoding="utf-8"))
    for item in data:
        if item["model"] == "recommendations.municipality":
            continue  # a name of at most 100 characters
        for name in FREE_TEXT & item["fields"].keys():
            item["fields"][name] += PAYLOAD
    import_texts([("fientlig.json", json.dumps(data, ensure_ascii=False))])
    recommendation = Recommendation.objects.get()

    for url in (
        reverse("recommendations:home"),
        reverse("recommendations:recommendation_list"),
        recommendation.get_absolute_url(),
        Audit.objects.get().get_absolute_url(),
        recommendation.addressed_to.get().get_absolute_url(),
        Response.objects.get().get_absolute_url(),
    ):
        assert_shown_as_text(page, url)
