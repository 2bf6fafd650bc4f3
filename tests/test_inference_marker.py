"""The "tolkning" marker: a value the documents do not state shows its reason, on the page
(keyboard-operable disclosure), in print and in the exports. Data: the seed documents."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from recommendations.models import Audit, Recommendation
from responses.models import Measure, Response
from tests.test_seed_fixtures import IN_DEPTH_2025, SR_2018_71, audit

MARKER = "<summary>tolkning</summary>"


def markers(html: str) -> int:
    return html.count(MARKER)


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def sr_rec(position):
    return Recommendation.objects.get(audit__reference=SR_2018_71, position=position)


def test_a_passively_worded_recommendation_shows_its_board_as_an_interpretation(client, seeded):
    rec = sr_rec(3)
    html = get(client, rec.get_absolute_url())
    riktad = html.split("Riktad till</dt>")[1].split("</dd>")[0]
    assert MARKER in riktad
    assert "Meningen är passiv" in riktad


def test_a_recommendation_that_names_its_board_shows_no_marker_there(client, seeded):
    html = get(client, sr_rec(4).get_absolute_url())
    riktad = html.split("Riktad till</dt>")[1].split("</dd>")[0]
    assert MARKER not in riktad


def test_the_reason_is_also_there_for_print(client, seeded):
    html = get(client, sr_rec(3).get_absolute_url())
    # print.css hides the closed disclosure and shows this copy of the reason instead.
    print_copy = html.split('<span class="inference-print">(tolkning: ')[1].split("</span>")[0]
    assert print_copy.startswith("Meningen är passiv")


def test_inferred_completion_and_due_dates_are_marked_in_the_measures_table(client, seeded):
    dialogue = Measure.objects.get(title__startswith="Modell för kontinuerliga dialogmöten")
    html = get(client, dialogue.recommendation.get_absolute_url())
    measures = html.split('id="atgarder"')[1]
    # The day is a <time>, kept on one line (``time_element``).
    assert 'genomförd <time datetime="2019-01-01">2019</time>' in measures
    assert "enligt konventionen" in measures

    risk = Measure.objects.get(title__startswith="Riskanalyser inom förvaltningens")
    html = get(client, risk.recommendation.get_absolute_url())
    assert "I oktober 2019" in html.split('id="atgarder"')[1]

    target_groups = Measure.objects.get(title__startswith="Fördjupad målgrupps- och konsekvens")
    html = get(client, target_groups.recommendation.get_absolute_url())
    assert "ska färdigställas inför" in html.split('id="atgarder"')[1]


def test_the_2026_proposal_shows_no_decision_and_planned_steps(client, seeded):
    proposal = Response.objects.get(round__audit=audit(IN_DEPTH_2025), round__sequence=2)
    html = get(client, proposal.get_absolute_url())
    assert "beslutat" not in html
    assert "Inget beslut känt." in html
    steps = html.split('id="steps-heading"')[1].split("</section>")[0]
    assert steps.count(">planerat</span>") == 3
    datum = html.split("Datum</dt>")[1].split("</dd></div>")[0]
    assert "2026" in datum and MARKER in datum and "Förslag till beslut" in datum
    # The title the document does not give, right below the heading.
    assert MARKER in html.split("</h1>")[1].split("<dl")[0]


def test_a_response_with_a_stated_decision_shows_it_without_a_marker(client, seeded):
    service = Response.objects.get(board__short_code="SN")
    html = get(client, service.get_absolute_url())
    datum = html.split("Datum</dt>")[1].split("</dd></div>")[0]
    assert "beslutat 2022-02-16" in datum
    assert MARKER not in datum


def test_the_audit_page_marks_an_inferred_title_and_period(client, seeded):
    html = get(client, audit(SR_2018_71).get_absolute_url())
    assert MARKER in html.split("</h1>")[1].split("<dl")[0]
    stk = Audit.objects.get(reference="STK-2020-438")
    html = get(client, stk.get_absolute_url())
    assert MARKER not in html.split("</h1>")[1].split("<dl")[0]
    genomford = html.split("Genomförd</dt>")[1].split("</dd>")[0]
    assert MARKER in genomford and "200212 § 43" in genomford


def test_the_timeline_marks_inferred_response_titles_and_dates(client, seeded):
    html = get(client, sr_rec(1).get_absolute_url())
    entries = html.split('id="entries-heading"')[1].split('id="atgarder"')[0]
    reports = re.findall(r"<table.*?</table>", entries, flags=re.S)
    headings = re.sub(r"<table.*?</table>", "", entries, flags=re.S)
    # Round 1 (title inferred), round 2 (001's own heading), round 3 (title and date inferred).
    assert markers(headings) == 3
    assert "Dokumentet saknar datum" in headings
    # The answers that report a measure done, which the document gives no date for, show
    # the measure's completion with its reason.
    done = [table for table in reports if "Rapporterad klar:" in table]
    assert done and all(markers(table) for table in done)


def test_a_recommendation_that_names_its_board_marks_only_the_proposals_title_and_date(
    client, seeded
):
    html = get(
        client,
        Recommendation.objects.get(audit__title=IN_DEPTH_2025, position=4).get_absolute_url(),
    )
    # Rec 4 of 2025: its board is named and its round-2 answer has no inferred value except
    # the 2026 proposal's title and date.
    entries = html.split('id="entries-heading"')[1].split('id="atgarder"')[0]
    assert markers(entries) == 2
    assert markers(html.split('id="atgarder"')[1]) == 0


def export_rows(client, name):
    response = client.get(reverse(f"recommendations:{name}"))
    assert response.status_code == 200
    if name.endswith("csv"):
        text = response.getvalue().decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    else:
        sheet = load_workbook(io.BytesIO(response.getvalue())).active
        rows = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    header = rows[0]
    return {int(row[0]): dict(zip(header, row, strict=True)) for row in rows[1:]}


@pytest.mark.parametrize("name", ["recommendation_list_csv", "recommendation_list_xlsx"])
def test_the_list_exports_have_the_reasons_in_their_own_columns(client, seeded, name):
    by_id = export_rows(client, name)
    passive = by_id[sr_rec(3).pk]
    assert passive["Tolkning: riktad till"].startswith("Meningen är passiv")
    assert passive["Tolkning: granskningens titel"].startswith("Revisionsrapporten finns inte")
    named = by_id[sr_rec(4).pk]
    assert named["Tolkning: riktad till"] == ""
