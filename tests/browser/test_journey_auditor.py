"""An auditor disagrees with a board, sees it flagged, and looks back in time in the matrix."""

import datetime as dt

import pytest
from django.urls import reverse

from recommendations.models import AuditorAssessment
from recommendations.roles import AUDITOR_GROUP
from tests.browser.helpers import login
from tests.factories import build_sample

pytestmark = pytest.mark.browser


@pytest.fixture
def sample():
    return build_sample()


def matrix_cell(page, label, year) -> str:
    """The text of a recommendation's cell for a year in the matrix."""
    row = page.locator("table.matrix tbody tr").filter(
        has=page.get_by_role("rowheader").filter(has_text=label)
    )
    years = [text.strip() for text in page.locator("table.matrix thead th.year").all_inner_texts()]
    return row.locator("td").nth(years.index(str(year))).inner_text()


def test_an_auditor_records_a_disagreeing_assessment_and_uses_the_matrix(page, sample, make_user):
    make_user("revisor", groups=[AUDITOR_GROUP])
    login(page, "revisor")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Att granska").click()

    # The overdue measure leads to its recommendation's assessment form.
    overdue = page.get_by_role("region", name="Försenade åtgärder")
    assert "Införa Stratsys för deltagaruppföljning" in overdue.inner_text()
    overdue.get_by_role("link", name="SR-2018-71, Rekommendation 1").click()

    # The board said "in progress" in round 2; the auditors say it has not started.
    page.get_by_label("Omgång att visa och bedöma").select_option(
        label="2. Uppföljning av vidtagna åtgärder"
    )
    page.get_by_role("button", name="Visa omgången").click()
    assert "Bedömningen gäller omgång 2. Uppföljning av vidtagna åtgärder" in (
        page.locator(".assessed-round").inner_text()
    )
    page.get_by_label("Revisionens bedömning (obligatoriskt)").select_option(label="Ej påbörjad")
    page.get_by_label("Kommentar").fill("Inget system är infört; bara en förstudie finns.")
    page.get_by_role("button", name="Spara bedömning").click()
    assert "Revisionens bedömning är sparad." in page.locator(".messages").inner_text()
    assessment = AuditorAssessment.objects.get(recommendation=sample.rec_1)
    assert (assessment.round, assessment.status) == (sample.second_round, "not_started")

    # Flagged for the auditors, and on the public page.
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Att granska").click()
    disagreements = page.get_by_role("region", name="Nämnden och revisionen är oense")
    assert "Rekommendation 1" in disagreements.inner_text()
    page.goto(sample.rec_1.get_absolute_url())
    flag = page.locator(".flag-disagree")
    assert flag.count() == 1
    assert "nämnden anger Pågående, revisionen Ej påbörjad" in flag.inner_text()

    # The matrix as it was known before the board's second response (2019-09-24).
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Matris").click()
    assert "Pågående" in matrix_cell(page, "Rekommendation 1", 2019)
    page.get_by_label("Som det var känt den").fill("2019-06-01")
    page.get_by_role("button", name="Visa").click()
    assert "Visar det som var känt den 2019-06-01" in page.get_by_role("status").inner_text()
    assert "Planerad" in matrix_cell(page, "Rekommendation 1", 2019)
    assert "Pågående" not in matrix_cell(page, "Rekommendation 1", 2019)


def test_an_auditor_mends_last_rounds_comment_without_retyping_it_or_moving_it_to_another_round(
    page, sample, make_user
):
    """Back a week later to correct an assessment, by keyboard only: the change link of
    the recorded assessment opens its round with the status and the comment as saved;
    choosing another round shows that round's answers and an empty form, so the comment
    stays with the round it was written for."""
    AuditorAssessment.objects.create(
        recommendation=sample.rec_1,
        round=sample.second_round,
        status="not_started",
        comment="Inget system är infört; bara en förstudie finns.",
        assessed_on=dt.date(2019, 10, 1),
    )
    make_user("revisor", groups=[AUDITOR_GROUP])
    login(page, "revisor")
    page.goto(reverse("auditors:assess", args=[sample.rec_1.pk]))

    page.get_by_role("link", name="Ändra för omgång 2").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**?omgang=*")
    assert page.get_by_label("Revisionens bedömning (obligatoriskt)").input_value() == (
        "not_started"
    )
    comment = page.get_by_label("Kommentar")
    assert comment.input_value() == "Inget system är infört; bara en förstudie finns."
    comment.focus()
    page.keyboard.press("End")
    page.keyboard.type(" Förstudien är klar i oktober.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Spara bedömning
    page.wait_for_load_state()
    assert "Revisionens bedömning är sparad." in page.locator(".messages").inner_text()
    assessment = AuditorAssessment.objects.get(recommendation=sample.rec_1)
    assert assessment.comment.endswith("bara en förstudie finns. Förstudien är klar i oktober.")

    chooser = page.get_by_label("Omgång att visa och bedöma")
    chooser.select_option(label="1. Yttrande över revisionsrapporten")
    page.get_by_role("button", name="Visa omgången").click()
    assert "omgång 1" in page.locator(".assessed-round").inner_text()
    assert page.get_by_label("Kommentar").input_value() == ""
    assert page.get_by_label("Revisionens bedömning (obligatoriskt)").input_value() == ""
