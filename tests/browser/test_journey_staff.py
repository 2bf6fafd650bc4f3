"""A board's case officer writes the response for the next round, from login to publication."""

import datetime

import pytest

from auditfollowup.lib.dates import FuzzyDate
from recommendations.roles import STAFF_GROUP
from responses.models import DueDateChange, Measure, Response
from tests.browser.helpers import login
from tests.browser.test_print import PRINTS
from tests.factories import build_sample

pytestmark = pytest.mark.browser


@pytest.fixture
def sample():
    return build_sample()


def test_staff_write_save_reload_and_publish_a_response(page, sample, make_user):
    make_user("handlaggare", groups=[STAFF_GROUP], boards=[sample.asn])
    rec_1, rec_2, measure = sample.rec_1, sample.rec_2, sample.measure

    login(page, "handlaggare")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Nämndens yttranden"
    ).click()

    # What the board owes leads the page: the open round, with a button to start it.
    owed = page.locator(".owed").filter(has_text="omgång 3, Lägesbeskrivning")
    assert owed.is_visible()
    owed.get_by_role("button", name="Påbörja yttrandet").click()
    assert page.locator("h1").inner_text().startswith("Redigera yttrande")
    response = Response.objects.get(board=sample.asn, round=sample.open_round)
    assert response.state == Response.State.DRAFT

    # Two entries, a moved due date with its reason, and a new measure.
    page.locator(f"#id_rec-{rec_1.pk}-status").select_option(label="Delvis genomförd")
    page.locator(f"#id_rec-{rec_1.pk}-narrative").fill(
        "Stratsys används i två av tre enheter; resten under våren."
    )
    page.locator(f"#id_rec-{rec_2.pk}-status").select_option(label="Genomförd")
    page.locator(f"#id_rec-{rec_2.pk}-narrative").fill("Ansvarsfördelningen gäller sedan 2025.")
    page.locator(f"#id_measure-{measure.pk}-due").fill("våren 2027")
    page.locator(f"#id_measure-{measure.pk}-due_reason").fill(
        "Leverantören blev försenad med integrationen."
    )
    page.locator(f"#id_new-{rec_1.pk}-0-title").fill("Utbildning i Stratsys för enhetscheferna")
    page.locator(f"#id_new-{rec_1.pk}-0-responsible").fill("Avdelningen för arbetsmarknad")
    page.locator(f"#id_new-{rec_1.pk}-0-due").fill("maj 2027")
    page.get_by_role("button", name="Spara utkast").click()
    assert "Utkastet är sparat." in page.locator(".messages").inner_text()

    # Reload: everything typed is still there.
    page.reload()
    assert page.locator(f"#id_rec-{rec_1.pk}-status").input_value() == "partly_implemented"
    assert page.locator(f"#id_rec-{rec_2.pk}-narrative").input_value() == (
        "Ansvarsfördelningen gäller sedan 2025."
    )
    assert page.locator(f"#id_measure-{measure.pk}-due").input_value() == "våren 2027"
    assert page.get_by_text("Utbildning i Stratsys för enhetscheferna").count() >= 1
    change = DueDateChange.objects.get(measure=measure)
    # Compared as dates: str() speaks the thread's language, which an English page in an
    # earlier test of the run may have left active.
    assert change.new == FuzzyDate.parse("våren 2027")
    assert change.reason == "Leverantören blev försenad med integrationen."
    assert Measure.objects.filter(title="Utbildning i Stratsys för enhetscheferna").exists()

    # Printed for the board's meeting, the draft reads as its text, without the controls.
    page.emulate_media(media="print")
    narrative = page.locator(f"#id_rec-{rec_1.pk}-narrative")
    assert narrative.is_visible()
    # The whole answer shows: the field is as tall as its text, nothing is cut off.
    assert narrative.evaluate("e => e.scrollHeight <= e.clientHeight + 1")
    assert not page.get_by_role("button", name="Spara utkast").is_visible()
    assert not page.get_by_role("button", name="Spara och gå till inlämning").is_visible()
    assert not page.get_by_role("heading", name="Beslutat dokument").is_visible()
    PRINTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(PRINTS / "staff-draft-print-media.png"), full_page=True)
    page.emulate_media(media="screen")

    # Publish with the board's decision: the link at the top leads to the buttons that save
    # what was typed first.
    page.get_by_role("link", name="Lämna in eller publicera").click()
    page.get_by_role("button", name="Spara och gå till publicering").click()
    page.get_by_label("Beslutsdatum (obligatoriskt)").fill((datetime.date.today()).isoformat())
    page.get_by_label("Diarienummer (obligatoriskt)").fill("ASN-2026-4711")
    page.get_by_role("button", name="Publicera yttrandet").click()
    response.refresh_from_db()
    assert response.state == Response.State.PUBLISHED

    # The public recommendation page now shows the third round.
    page.goto(rec_1.get_absolute_url())
    steps = page.locator(".timeline .axis-step")
    assert steps.count() == 3
    assert "Delvis genomförd" in steps.nth(2).inner_text()
    answers = page.locator(".entries").inner_text()
    assert "Stratsys används i två av tre enheter" in answers
    assert page.url.endswith(rec_1.get_absolute_url())


def test_publishing_looks_like_the_second_choice_beside_handing_in(page, sample, make_user):
    from django.urls import reverse

    make_user("handlaggare", groups=[STAFF_GROUP], boards=[sample.asn])
    response = Response.objects.create(board=sample.asn, round=sample.open_round, title="Utkast")
    login(page, "handlaggare")
    page.goto(reverse("responses:response_edit", args=[response.pk]))

    def background(name):
        button = page.get_by_role("button", name=name)
        return button.evaluate("b => getComputedStyle(b).backgroundColor")

    assert background("Spara och gå till publicering") == "rgb(255, 255, 255)"
    assert background("Spara och gå till inlämning") != "rgb(255, 255, 255)"
