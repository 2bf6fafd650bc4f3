"""The auditors' matrix: recommendations by year, filters, and the as-of-date control."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from auditfollowup.lib.dates import FuzzyDate
from recommendations.roles import AUDITOR_GROUP
from recommendations.status import Status
from responses.models import Response
from tests.factories import (
    make_assessment,
    make_audit_answered_once,
    make_board,
    make_entry,
    make_response,
    make_round,
    make_tracked_audit,
    make_user,
)

pytestmark = pytest.mark.django_db
# A municipality's matrix: the national one waits for a choice (test_national_filters.py).
URL = reverse("municipal:matrix", args=["malmo"])


def cells(response, recommendation):
    for group in response.context["groups"]:
        for row in group.rows:
            if row.recommendation.pk == recommendation.pk:
                years = response.context["years"]
                return {
                    year: entry.status
                    for year, entry in zip(years, row.cells, strict=True)
                    if entry
                }
    raise AssertionError("row missing")


def audits_shown(response):
    return {group.audit for group in response.context["groups"]}


def cell_html_by_year(response, row):
    """What each year's cell of ``row`` says, as HTML."""
    cells = row.html.split('<td class="cell">')[1:]
    return dict(zip(response.context["years"], cells, strict=True))


def test_it_shows_each_years_status_grouped_by_audit(client):
    world = make_tracked_audit(n_recommendations=2)
    response = client.get(URL)
    assert cells(response, world.recommendations[0]) == {2019: "planned", 2020: "in_progress"}
    (group,) = response.context["groups"]
    assert group.audit == world.audit
    page = response.content.decode()
    assert "◔</span> Planerad" in page and "◑</span> Pågående" in page


def test_the_as_of_date_hides_a_later_round(client):
    world = make_tracked_audit(n_recommendations=1)
    response = client.get(URL, {"per": "2020-01-01"})
    assert cells(response, world.recommendations[0]) == {2019: "planned"}
    assert "Visar det som var känt den 2020-01-01" in response.content.decode()


def test_a_response_dated_only_to_a_term_is_known_when_the_term_has_ended(client):
    world = make_tracked_audit(n_recommendations=1)
    late = world.responses[1]
    late.decision_date = None
    late.document_date, late.document_precision = dt.date(2020, 7, 1), "term"
    late.save()
    rec = world.recommendations[0]
    assert 2020 not in cells(client.get(URL, {"per": "2020-09-01"}), rec)
    assert cells(client.get(URL, {"per": "2020-12-31"}), rec)[2020] == "in_progress"


def test_as_of_today_a_response_dated_to_this_year_is_known_as_the_council_report_counts_it(
    client, monkeypatch
):
    # "Today" is fixed inside the matrix's years, so the test means the same every year.
    today = dt.date(2026, 6, 1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: today)
    world = make_tracked_audit(n_recommendations=1)
    latest = world.responses[1]
    latest.decision_date = None
    latest.document_date, latest.document_precision = dt.date(2026, 1, 1), "year"
    latest.save()

    shown = cells(client.get(URL, {"per": today.isoformat()}), world.recommendations[0])

    assert shown.get(2026) == "in_progress"


def test_it_filters_by_board_and_audit(client):
    asn = make_tracked_audit(n_recommendations=1, board="ASN")
    sn = make_tracked_audit(n_recommendations=1, board="SN")
    by_board = client.get(URL, {"board": sn.board.pk}).context["groups"]
    assert [g.audit for g in by_board] == [sn.audit]
    by_audit = client.get(URL, {"audit": asn.audit.pk}).context["groups"]
    assert [g.audit for g in by_audit] == [asn.audit]


def test_a_board_chosen_shows_its_line_for_a_recommendation_it_answers_for_another(client):
    ks = make_board(short_code="KS", name="Kommunstyrelsen")
    world = make_tracked_audit(n_recommendations=1, board="SN")
    recommendation = world.recommendations[0]
    recommendation.addressed_to.set([ks])
    recommendation.answered_by.set([world.board])

    groups = client.get(URL, {"board": world.board.pk}).context["groups"]

    rows = [row for group in groups for row in group.rows]
    assert [(row.recommendation, row.board) for row in rows] == [(recommendation, world.board)]


def test_it_never_shows_drafts(client):
    world = make_tracked_audit(n_recommendations=1, with_draft=True)
    world.draft.decision_date = dt.date(2021, 3, 1)
    world.draft.save()
    assert 2021 not in cells(client.get(URL), world.recommendations[0])


def test_an_auditor_sees_a_submitted_answer_of_a_board_not_asked_on_its_own_line(client):
    world = make_tracked_audit(n_recommendations=1)
    recommendation = world.recommendations[0]
    volunteer = make_board(short_code="KS", name="Kommunstyrelsen")
    submitted = make_response(
        board=volunteer,
        round=make_round(world.audit, sequence=3),
        state=Response.State.SUBMITTED,
        decision_date=dt.date(2021, 4, 20),
    )
    make_entry(submitted, recommendation, status="implemented")
    client.force_login(make_user(groups=[AUDITOR_GROUP]))

    response = client.get(URL)

    lines = {
        row.board.short_code: row
        for group in response.context["groups"]
        for row in group.rows
        if row.recommendation.pk == recommendation.pk
    }
    assert set(lines) == {world.board.short_code, "KS"}
    years = response.context["years"]
    ks_cells = {
        year: cell.status for year, cell in zip(years, lines["KS"].cells, strict=True) if cell
    }
    assert ks_cells == {2021: "implemented"}
    assert 2021 not in cells(response, recommendation)  # the addressed board's line
    # The public never sees the submitted answer, nor a line for the board.
    client.logout()
    public = client.get(URL)
    assert all(row.board != volunteer for g in public.context["groups"] for row in g.rows)


def test_an_assessment_of_a_round_the_board_did_not_answer_is_shown_in_the_year_it_was_made(
    client,
):
    """The board never answered round 3; the auditors assessed it in March 2022 all the
    same ("Ej redovisad"). The matrix shows it in 2022, marked as no answer, beside the
    assessment, in the page and the export alike, and not as of a day before it."""
    world = make_tracked_audit(n_recommendations=1)
    recommendation = world.recommendations[0]
    unanswered = make_round(world.audit, sequence=3)
    make_assessment(
        recommendation, unanswered, status=Status.NOT_REPORTED, assessed_on=dt.date(2022, 3, 1)
    )

    page = client.get(URL)

    (row,) = page.context["groups"][0].rows
    by_year = dict(zip(page.context["years"], row.cells, strict=True))
    cell = by_year[2022]
    assert cell.answer is None and cell.assessment_status == Status.NOT_REPORTED
    assert not cell.disagrees
    assert by_year[2020].assessment_status == Status.PARTLY_IMPLEMENTED  # with its answer
    assert by_year[2021] is None
    assert "Ej redovisad" in row.html and "inget svar" in row.html
    export = client.get(reverse("recommendations:matrix_csv"))
    text = export.getvalue().decode("utf-8-sig")
    assert "inget svar / revisionen: Ej redovisad" in text
    before = client.get(URL, {"per": "2022-02-28"})
    (row,) = before.context["groups"][0].rows
    assert dict(zip(before.context["years"], row.cells, strict=True))[2022] is None


def test_an_assessment_of_a_round_that_did_not_ask_the_board_is_not_shown_on_its_line(client):
    """As in STK-2020-438, whose second round asks stadskontoret only: the auditors'
    assessment of it is not a reply the asked-for board owed and left out."""
    world = make_tracked_audit(n_recommendations=1)
    other = make_board(short_code="STK", name="Stadskontoret")
    asking_another = make_round(world.audit, sequence=3)
    asking_another.asks.set([other])
    make_assessment(
        world.recommendations[0],
        asking_another,
        status=Status.NOT_REPORTED,
        assessed_on=dt.date(2022, 3, 1),
    )

    page = client.get(URL)

    (row,) = page.context["groups"][0].rows
    assert dict(zip(page.context["years"], row.cells, strict=True))[2022] is None


def test_an_auditor_assesses_an_unanswered_round_from_its_cell(client):
    world = make_tracked_audit(n_recommendations=1)
    unanswered = make_round(world.audit, sequence=3)
    make_assessment(
        world.recommendations[0],
        unanswered,
        status=Status.NOT_REPORTED,
        assessed_on=dt.date(2022, 3, 1),
    )
    client.force_login(make_user(groups=[AUDITOR_GROUP]))

    (row,) = client.get(URL).context["groups"][0].rows

    assert f"?omgang={unanswered.pk}" in row.html and "omgång 3" in row.html


def test_its_query_count_does_not_grow(client, django_assert_num_queries):
    make_tracked_audit(n_recommendations=2)
    # Queries: the municipality, recommendations+audit, their assessments (+round), the
    # boards the assessed rounds name, the standings+board, their visible answers (as
    # values), and the board and audit choices of the filter form.
    with django_assert_num_queries(8):
        client.get(URL, {"per": "2021-01-01"})
    make_tracked_audit(n_recommendations=8)
    with django_assert_num_queries(8):
        client.get(URL, {"per": "2021-01-01"})


def test_an_invalid_as_of_date_is_a_400_with_the_error_shown(client):
    make_tracked_audit(n_recommendations=1)
    page = client.get(reverse("recommendations:matrix"), {"per": "2020-13-45"})
    assert page.status_code == 400
    assert "”2020-13-45” är inget giltigt datum." in page.text
    assert 'value="2020-13-45"' not in page.text  # a date input cannot show it


def test_an_invalid_filter_shows_no_rows_and_asks_to_correct_it(client):
    world = make_tracked_audit(n_recommendations=1)
    page = client.get(URL, {"audit": world.audit.pk, "board": "nämnden"})
    assert page.status_code == 400
    assert world.recommendations[0].display_name not in page.text
    assert "Rätta det markerade fältet i filtret för att se matrisen." in page.text
    # No download of a selection the exports would refuse (400) either, as on the list.
    assert "Ladda ner matrisen" not in page.text
    assert "Ladda ner matrisen" in client.get(URL, {"audit": world.audit.pk}).text


def test_an_addressee_that_leaves_the_answer_to_another_board_gets_no_line(client):
    ks = make_board(short_code="KS", name="Kommunstyrelsen")
    world = make_tracked_audit(n_recommendations=1, board="SN")
    recommendation = world.recommendations[0]
    recommendation.addressed_to.set([ks, world.board])
    recommendation.answered_by.set([world.board])

    groups = client.get(URL, {"audit": world.audit.pk}).context["groups"]
    by_ks = client.get(URL, {"board": ks.pk}).context["groups"]

    rows = [row for group in groups for row in group.rows]
    assert [row.board for row in rows] == [world.board]
    assert [row.board for group in by_ks for row in group.rows] == [ks]


def test_a_boards_line_names_it_by_its_code_with_its_full_name(client):
    world = make_tracked_audit(n_recommendations=1, board="ASN")
    page = client.get(URL, {"board": world.board.pk})
    assert '<abbr title="ASN-nämnden">ASN</abbr>' in page.text


def test_a_closed_recommendation_says_so_in_its_row(client):
    world = make_tracked_audit(n_recommendations=2)
    closed = world.recommendations[0]
    closed.closed_on, closed.closed_reason = dt.date(2024, 1, 10), "Ersatt av ny styrmodell."
    closed.save()

    page = client.get(URL).content.decode()

    assert page.count("Avslutad 2024-01-10") == 1


def test_as_of_a_day_before_the_auditors_assessed_a_round_its_answer_stands_alone(client):
    """Round 2 was answered on 2020-10-20 and assessed on 2020-12-01: as known on
    2020-11-15 the answer has no assessment beside it and no disagreement, in the page
    and the export, as the council report counts that day (``standings_as_of``)."""
    make_tracked_audit(n_recommendations=1)

    page = client.get(URL, {"per": "2020-11-15"})

    (row,) = page.context["groups"][0].rows
    cell = dict(zip(page.context["years"], row.cells, strict=True))[2020]
    assert cell.status == Status.IN_PROGRESS
    assert cell.assessment is None and not cell.disagrees
    assert "Delvis genomförd" not in row.html and "Annan bedömning" not in row.html
    export = client.get(reverse("recommendations:matrix_csv"), {"per": "2020-11-15"})
    assert "revisionen" not in export.getvalue().decode("utf-8-sig")
    later = client.get(URL, {"per": "2020-12-01"})
    (row,) = later.context["groups"][0].rows
    cell = dict(zip(later.context["years"], row.cells, strict=True))[2020]
    assert cell.assessment_status == Status.PARTLY_IMPLEMENTED and cell.disagrees


def test_as_of_a_day_before_a_recommendation_was_closed_its_row_is_not_marked_closed(client):
    world = make_tracked_audit(n_recommendations=1)
    closed = world.recommendations[0]
    closed.closed_on, closed.closed_reason = dt.date(2024, 1, 10), "Ersatt av ny styrmodell."
    closed.save()

    assert "Avslutad 2024-01-10" not in client.get(URL, {"per": "2023-12-31"}).text
    assert "Avslutad 2024-01-10" in client.get(URL, {"per": "2024-01-10"}).text


def test_a_day_to_come_is_refused_on_its_field_with_a_400(client):
    world = make_tracked_audit(n_recommendations=1)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    page = client.get(URL, {"per": tomorrow.isoformat()})

    assert page.status_code == 400
    (error,) = page.context["filter"].form.errors["per"]
    assert error.startswith("Dagen har inte kommit än")
    assert 'class="field field-error"' in page.text and error in page.text
    assert world.recommendations[0].display_name not in page.text
    assert "Visar det som var känt den" not in page.text


def test_today_may_be_chosen_as_the_day(client):
    make_tracked_audit(n_recommendations=1)
    page = client.get(URL, {"per": timezone.localdate().isoformat()})
    assert page.status_code == 200
    assert f'max="{timezone.localdate().isoformat()}"' in page.text


def test_as_of_a_day_it_shows_only_the_audits_issued_by_then(client):
    old = make_tracked_audit(n_recommendations=1)  # conducted in 2018
    later = make_audit_answered_once(conducted="2021", answered_on=dt.date(2022, 3, 1))

    assert audits_shown(client.get(URL, {"per": "2020-06-30"})) == {old.audit}
    assert audits_shown(client.get(URL, {"per": "2021-12-31"})) == {old.audit, later.audit}
    assert audits_shown(client.get(URL)) == {old.audit, later.audit}


def test_an_audit_is_issued_once_the_whole_period_it_ended_in_has_passed(client):
    """Conducted from February to "september 2020": not yet issued on 2020-09-15, as an
    answer dated "hösten 2020" is not yet known on 2020-09-01."""
    make_tracked_audit(n_recommendations=1)
    later = make_audit_answered_once(conducted="2020-02", answered_on=dt.date(2020, 10, 20))
    later.audit.conducted_to = FuzzyDate.parse("september 2020")
    later.audit.save()

    assert later.audit not in audits_shown(client.get(URL, {"per": "2020-09-15"}))
    assert later.audit in audits_shown(client.get(URL, {"per": "2020-09-30"}))


def test_an_audit_without_a_date_is_shown_from_its_first_answer(client):
    """As the seeds' audit of extratjänster, known only through an answer of 2022-02-16."""
    make_tracked_audit(n_recommendations=1)
    undated = make_audit_answered_once(conducted=None, answered_on=dt.date(2022, 2, 16))

    assert undated.audit not in audits_shown(client.get(URL, {"per": "2022-02-15"}))
    assert undated.audit in audits_shown(client.get(URL, {"per": "2022-02-16"}))


@pytest.mark.parametrize(
    ("document", "day"), [("hösten 2020", "2020-09-15"), ("2022-02", "2022-02-10")]
)
def test_an_audit_without_a_date_waits_until_its_first_answer_is_known(client, document, day):
    """An answer dated only by its document is known once that whole period has passed,
    as the cells count it: shown earlier, the audit's row read "inget svar" throughout."""
    undated = make_audit_answered_once(conducted=None, answered_on=None)
    undated.response.document = FuzzyDate.parse(document)
    undated.response.save()
    Response.objects.filter(pk=undated.response.pk).update(published_at=None)  # imported

    assert undated.audit not in audits_shown(client.get(URL, {"per": day}))
    assert undated.audit in audits_shown(client.get(URL, {"per": "2023-01-01"}))


def test_as_of_a_day_the_columns_run_through_that_days_year(client):
    world = make_tracked_audit(n_recommendations=1)

    page = client.get(URL, {"per": "2020-06-30"})

    assert page.context["years"] == [2019, 2020]
    assert '<th scope="col" class="year">2021</th>' not in page.text
    assert cells(page, world.recommendations[0]) == {2019: "planned"}
    nothing_yet = client.get(URL, {"per": "2015-01-01"})
    assert nothing_yet.status_code == 200
    assert nothing_yet.context["years"] == [] and nothing_yet.context["groups"] == []


def test_a_year_before_the_audit_was_issued_is_not_applicable_rather_than_unanswered(client):
    """Issued in 2021, answered in 2022: 2019 and 2020 were never due, so they do not read
    "inget svar" like 2021, the year it was issued and left unanswered."""
    later = make_audit_answered_once(conducted="2021", answered_on=dt.date(2022, 3, 1))

    page = client.get(URL)

    (row,) = page.context["groups"][0].rows
    by_year = cell_html_by_year(page, row)
    for year in (2019, 2020):
        assert "ej aktuellt: före granskningen" in by_year[year]
        assert "inget svar" not in by_year[year]
        assert '<span class="muted" aria-hidden="true">–</span>' in by_year[year]
    assert "inget svar" in by_year[2021] and "ej aktuellt" not in by_year[2021]
    assert "Pågående" in by_year[2022]
    assert cells(page, later.recommendation) == {2022: "in_progress"}


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Följ upp",
        "ett två tre fyra fem sex sju åtta",
        "ett två tre fyra fem sex sju åtta nio",
        "  ett\ttvå\nтри  fyra fem sex sju åtta nio tio ",
        "ett två tre fyra fem sex sju … nio",
        "ett två tre fyra fem sex sju åtta…",
    ],
)
def test_a_rows_wording_is_cut_at_its_eighth_word_as_djangos_truncator_cuts_it(text):
    from django.utils.text import Truncator

    from recommendations.overview import first_words

    assert first_words(text) == Truncator(text).words(8, truncate=" …")
