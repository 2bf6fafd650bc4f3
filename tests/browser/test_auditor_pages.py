"""The auditors' pages as a new auditor meets them, at a desktop's width and a phone's
(320 px): a refused filter (a day refused, a day that is no day), the way to ask for a
follow-up, an overdue measure flagged."""

import pytest
from django.urls import reverse

from recommendations.roles import AUDITOR_GROUP
from tests.browser import SCREENSHOT_DIR
from tests.browser.helpers import login
from tests.factories import build_sample

pytestmark = pytest.mark.browser

WIDTHS = (1280, 320)


@pytest.fixture
def sample():
    return build_sample()


@pytest.fixture
def auditor(page, sample, make_user):
    make_user("revisor", groups=[AUDITOR_GROUP])
    login(page, "revisor")
    return page


def shoot(page, name: str) -> None:
    """The page at each width, and as printed, saved for a person to look at."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOT_DIR / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="print")
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}-print.png"), full_page=True)
    page.emulate_media(media="screen")


def test_a_day_the_form_refuses_on_att_granska_shows_its_error_and_no_list(auditor):
    page = auditor
    # A day in the date field's own format: "garbage" the browser itself warns of.
    answer = page.goto(reverse("auditors:attention") + "?since=0001-01-01")
    assert answer.status == 400
    assert "Året måste ligga mellan" in page.locator(".field-error").inner_text()
    arrived = page.get_by_role("region", name="Nya yttranden")
    assert "Rätta datumet ovan" in arrived.inner_text()
    assert page.locator("#arrived-heading + .table-scroll").count() == 0
    shoot(page, "attention-refused-day")


def test_a_day_that_is_no_day_on_att_granska_is_quoted_in_its_error_beside_an_empty_field(
    auditor,
):
    """Typed into the address: the date input cannot hold it (the browser would drop it,
    warning in its console, and show the field empty, unexplained), so the field is left
    empty and its error says what was typed."""
    page = auditor
    answer = page.goto(reverse("auditors:attention") + "?since=2026-13-45")
    assert answer.status == 400
    error = page.locator(".field-error .errorlist")
    assert error.is_visible()
    assert "”2026-13-45” är inget giltigt datum" in error.inner_text()
    field = page.get_by_label("Inlämnade eller publicerade sedan")
    assert field.input_value() == ""
    assert field.get_attribute("aria-describedby") == error.get_attribute("id")
    assert page.problems.console == []
    shoot(page, "attention-no-day")
    # A long value, quoted by its beginning, wraps on a phone rather than widening the page.
    page.set_viewport_size({"width": 320, "height": 900})
    page.goto(reverse("auditors:attention") + "?since=" + "9" * 200)
    assert "”" + "9" * 39 + "…”" in page.locator(".field-error .errorlist").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_round_the_audit_lacks_is_refused_on_the_assessment_page(auditor, sample):
    page = auditor
    url = reverse("auditors:assess", args=[sample.rec_1.pk])
    answer = page.goto(url + "?omgang=garbage")
    assert answer.status == 400
    assert "Välj ett giltigt alternativ." in page.locator(".field-error").inner_text()
    assert page.locator("article.entry").count() == 0
    page.get_by_role("link", name="Välj en av granskningens omgångar").click()
    assert page.evaluate("document.activeElement.id") == "id_omgang"
    shoot(page, "assess-refused-round")
    # Choosing a round shows it again.
    page.get_by_label("Omgång att visa och bedöma").select_option(index=0)
    with page.expect_navigation():
        page.get_by_role("button", name="Visa omgången").click()
    assert page.locator(".field-error").count() == 0


def test_att_granska_leads_a_new_auditor_to_begar_uppfoljning(auditor, sample):
    page = auditor
    page.goto(reverse("auditors:attention"))
    lead = page.locator("p.lead")
    assert "Begär uppföljning" in lead.inner_text()
    shoot(page, "attention-follow-up-pointer")
    with page.expect_navigation():
        lead.get_by_role("link", name="startsidans granskningar").click()
    audits = page.get_by_role("region", name="Status per granskning")
    with page.expect_navigation():
        audits.get_by_role("link", name="SR-2018-71").first.click()
    assert page.get_by_role("link", name="Begär uppföljning").is_visible()


def test_the_assessment_page_flags_an_overdue_measure_in_the_answers_report(auditor, sample):
    from responses.models import Measure, MeasureUpdate, ResponseEntry

    measure = Measure.objects.get(title="Införa Stratsys för deltagaruppföljning")
    entry = ResponseEntry.objects.get(
        recommendation=sample.rec_1, response__round=sample.second_round
    )
    MeasureUpdate.objects.create(
        measure=measure, entry=entry, status="in_progress", note="Upphandlingen pågår."
    )
    page = auditor
    url = reverse("auditors:assess", args=[sample.rec_1.pk])
    page.goto(f"{url}?omgang={sample.second_round.pk}")
    report = page.get_by_role("table", name="Åtgärder i detta svar")
    row = report.get_by_role("row").filter(has_text="Införa Stratsys")
    assert "Försenad" in row.inner_text() and "(sedan 2020-06-30)" in row.inner_text()
    row.scroll_into_view_if_needed()
    shoot(page, "assess-overdue-measure")


def test_the_day_field_on_att_granska_is_as_wide_as_a_day_as_on_the_matrix(auditor):
    """The field took the page's whole width (the list's filter column rule), a
    1,100 px box for ten characters; it sits in a filter panel like the matrix's, with its
    button beside it."""
    page = auditor
    page.goto(reverse("auditors:attention"))
    field = page.locator("#id_since").bounding_box()
    button = page.locator("main form button[type=submit]").bounding_box()
    assert field["width"] < 320
    assert button["y"] < field["y"] + field["height"]  # beside the field, not below it
    shoot(page, "attention-day-field")
