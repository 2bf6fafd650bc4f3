"""An auditor disagrees with a board, sees it flagged, and looks back in time in the matrix."""

import pytest

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
    page.get_by_label("Omgång (obligatoriskt)").select_option(
        label="2. Uppföljning av vidtagna åtgärder"
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
