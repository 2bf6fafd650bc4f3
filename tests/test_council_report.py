"""The annual follow-up report for the council: its figures, as of today and of a past
day, and the page."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from auditfollowup.lib.dates import YEARS, FuzzyDate
from recommendations.models import Audit, Recommendation
from recommendations.status import Status
from reports.figures import build_report
from responses.models import BoardStanding, Measure, Response
from responses.standings import _STANDING_FIELDS, known_measures, standings_as_of
from tests.factories import (
    make_audit,
    make_board,
    make_due_date_change,
    make_entry,
    make_measure,
    make_measure_update,
    make_municipality,
    make_recommendation,
    make_response,
    make_round,
    make_tracked_audit,
)

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year


def url(year=THIS_YEAR, slug="malmo"):
    return reverse("reports:council_report", args=[slug, year])


def stored_standings():
    return {
        (s.recommendation_id, s.board_id): {name: getattr(s, name) for name in _STANDING_FIELDS}
        for s in BoardStanding.objects.all()
    }


def test_the_standings_derived_as_of_today_equal_the_stored_ones():
    world = make_tracked_audit(n_recommendations=2, board="SN")
    shared = make_recommendation(world.audit, addressed_to=["SN", "KS"])
    make_entry(world.responses[1], shared, status=Status.NOT_ACCEPTED)
    ids = Recommendation.objects.values_list("pk", flat=True)
    assert standings_as_of(ids, timezone.localdate()) == stored_standings()


def test_as_of_a_past_day_a_board_stands_where_its_answers_then_put_it():
    world = make_tracked_audit(n_recommendations=1)
    rec = world.recommendations[0]
    pair = (rec.pk, world.board.pk)

    before_any = standings_as_of([rec.pk], dt.date(2019, 6, 1))[pair]
    assert before_any["status"] == "" and before_any["open_measures"] == 0

    after_first = standings_as_of([rec.pk], dt.date(2019, 12, 31))[pair]
    assert after_first["status"] == Status.PLANNED
    assert after_first["assessment_status"] == ""  # assessed only on 2020-12-01
    # The measure was due in March 2020 then: it was moved to June in the 2020 answer.
    assert after_first["next_due_date"] == dt.date(2020, 3, 1)

    after_second = standings_as_of([rec.pk], dt.date(2020, 12, 31))[pair]
    assert after_second["status"] == Status.IN_PROGRESS
    assert after_second["assessment_status"] == Status.PARTLY_IMPLEMENTED
    assert after_second["next_due_date"] == dt.date(2020, 6, 1)


def test_a_measure_reported_done_later_was_still_open_on_an_earlier_day():
    world = make_tracked_audit(n_recommendations=1)
    rec = world.recommendations[0]
    (measure,) = rec.measures.all()
    third = make_round(world.audit, sequence=3)
    later = make_response(board=world.board, round=third, decision_date=dt.date(2021, 5, 4))
    entry = make_entry(later, rec, status=Status.IMPLEMENTED)
    make_measure_update(measure, entry, status=Status.IMPLEMENTED)
    measure.status, measure.completed = Status.IMPLEMENTED, None
    measure.completed_date = dt.date(2021, 5, 1)
    measure.save()

    (then,) = known_measures([rec.pk], dt.date(2020, 12, 31))
    assert then.status == Status.IN_PROGRESS and then.is_overdue(dt.date(2020, 12, 31))
    (now,) = known_measures([rec.pk])
    assert not now.is_open() and not now.is_unsettled


def test_a_measures_due_date_on_a_past_day_is_the_one_its_latest_known_move_gave():
    """Announced in 2023, due 2025. Round 3's answer (February 2024) moved it to 2026;
    round 2's, decided in March but recorded after it, moved it to June 2025 and, an
    earlier round's, moves nothing. Known in mid-February: only round 3's move, so 2026,
    in the order the measure's own page gives its moves (``DueDateChange.in_order``)."""
    board = make_board(short_code="ASN")
    audit = make_audit(boards=[board])
    rec = make_recommendation(audit, addressed_to=[board])
    first, second, third = (make_round(audit, sequence=n) for n in (1, 2, 3))

    def entry_in(round_, decided):
        return make_entry(make_response(board=board, round=round_, decision_date=decided), rec)

    announcing = entry_in(first, dt.date(2023, 6, 1))
    in_round_2, in_round_3 = (
        entry_in(second, dt.date(2024, 3, 1)),
        entry_in(third, dt.date(2024, 2, 1)),
    )
    measure = make_measure(rec, board=board, due="2025", announced_in=announcing)
    make_due_date_change(measure, previous="2025", new="2026", entry=in_round_3)
    make_due_date_change(measure, previous="2025", new="juni 2025", entry=in_round_2)
    measure.refresh_from_db()
    assert measure.due == FuzzyDate.parse("2026")

    (then,) = known_measures([rec.pk], dt.date(2024, 2, 15))
    assert then.due == FuzzyDate.parse("2026")
    (before_both,) = known_measures([rec.pk], dt.date(2024, 1, 15))
    assert before_both.due == FuzzyDate.parse("2025")


def test_drafts_and_submitted_answers_never_count():
    world = make_tracked_audit(n_recommendations=1, with_draft=True)
    rec = world.recommendations[0]
    fourth = make_round(world.audit, sequence=4)
    submitted = make_response(board=world.board, round=fourth, state=Response.State.SUBMITTED)
    make_entry(submitted, rec, status=Status.IMPLEMENTED)
    rec.assessments.all().delete()
    for as_of in (None, dt.date(2025, 1, 1)):
        report = build_report(make_municipality(), THIS_YEAR, as_of)
        assert report.total.outcomes == {"not_implemented": 1}


def test_the_outcome_is_the_auditors_assessment_where_there_is_one_else_the_boards_status():
    assessed = make_tracked_audit(n_recommendations=2)  # assessed partly implemented
    own = make_tracked_audit(n_recommendations=1, board="SN")
    own.recommendations[0].assessments.all().delete()

    report = build_report(make_municipality(), THIS_YEAR)
    (cohort,) = report.cohorts
    assert cohort.year == 2018
    rows = {row.board.short_code: row for row in cohort.rows}
    assert rows["ASN"].outcomes == {"partly_implemented": 2}
    assert (rows["ASN"].by_assessment, rows["ASN"].by_board_status) == (2, 0)
    assert rows["SN"].outcomes == {"not_implemented": 1}  # its own status: in progress
    assert (rows["SN"].by_board_status, cohort.total.count) == (1, 3)
    assert cohort.total.outcome_shares[1] == 67  # partly implemented, 2 of 3
    assert assessed.board != own.board


def test_an_addressee_that_leaves_the_answer_to_another_board_has_no_row():
    """The recommendation page says "Besvaras av en annan nämnd" for it: the report does
    not count it as unanswered and open, unless it answered all the same."""
    world = make_tracked_audit(n_recommendations=1)
    recommendation = world.recommendations[0]
    recommendation.addressed_to.add(make_board(short_code="KS"))
    recommendation.answered_by.add(world.board)

    report = build_report(make_municipality(), THIS_YEAR)

    (cohort,) = report.cohorts
    assert [row.board.short_code for row in cohort.rows] == ["ASN"]
    assert [item.board.short_code for item in report.longest_open] == ["ASN"]


def test_acted_on_within_years_counts_from_the_audit_and_waits_until_the_time_has_passed():
    board = make_board(short_code="KS")
    audit = make_audit(boards=[board], conducted_from="2019-03")
    audit.conducted_to = FuzzyDate.parse("2019-05")
    audit.save()
    quick, slow = make_recommendation(audit), make_recommendation(audit)
    first, second = make_round(audit, sequence=1), make_round(audit, sequence=2)
    r2019 = make_response(board=board, round=first, decision_date=dt.date(2019, 12, 10))
    r2021 = make_response(board=board, round=second, decision_date=dt.date(2021, 11, 2))
    make_entry(r2019, quick, status=Status.IMPLEMENTED)
    make_entry(r2019, slow, status=Status.PLANNED)
    make_entry(r2021, slow, status=Status.NO_LONGER_RELEVANT)

    report = build_report(make_municipality(), THIS_YEAR)
    one, two, three = report.cohorts[0].total.acted
    assert (one.acted, one.measurable) == (1, 2)  # within a year of 2019-05-31
    assert (two.acted, two.measurable) == (1, 2)  # the lapse came on 2021-11-02
    assert (three.acted, three.measurable) == (2, 2)
    assert report.total.open_count == 0

    early = build_report(make_municipality(), 2020, dt.date(2020, 12, 31))
    one, two, three = early.cohorts[0].total.acted
    assert (one.acted, one.measurable, two.measurable, three.measurable) == (1, 2, 0, 0)


def test_overdue_measures_in_progress_are_kept_apart_from_those_not_yet_due():
    world = make_tracked_audit(n_recommendations=1)  # one measure, due 2020-06
    rec = world.recommendations[0]
    rec.measures.update(status=Status.IN_PROGRESS)
    make_measure(rec, board=world.board, due=f"{THIS_YEAR + 1}-06", status=Status.PLANNED)
    make_measure(rec, board=world.board, due="2019-12", status=Status.PLANNED)
    make_measure(rec, board=world.board, status=Status.PLANNED)
    make_measure(
        rec, board=world.board, due="2019-12", status=Status.IMPLEMENTED, completed="2019-11"
    )

    (row,) = build_report(make_municipality(), THIS_YEAR).cohorts[0].rows
    assert row.measures == {
        "past_due_in_progress": 1,
        "past_due_not_started": 1,
        "not_yet_due": 1,
        "no_due_date": 1,
    }


def test_the_measures_of_a_closed_recommendation_are_not_counted_late():
    """A closed recommendation is no longer followed up: its measures are overdue on no
    page, so the report does not count them late either; as of a day before the closing
    they were."""
    world = make_tracked_audit(n_recommendations=1)  # one measure, due 2020-06
    rec = world.recommendations[0]
    rec.measures.update(status=Status.IN_PROGRESS)
    rec.closed_on, rec.closed_reason = dt.date(2024, 1, 10), "Ersatt av ny styrmodell."
    rec.save()

    (row,) = build_report(make_municipality(), THIS_YEAR).cohorts[0].rows
    assert row.measures["past_due_in_progress"] == 0
    (then,) = build_report(make_municipality(), 2023, as_of=dt.date(2023, 12, 31)).cohorts[0].rows
    assert then.measures["past_due_in_progress"] == 1


def test_a_measure_as_known_on_a_past_day_is_late_by_the_rule_its_page_shows():
    """A measure as the report reads it on a day (``KnownMeasure``) is late by
    ``Measure.is_overdue``'s rule: past its whole due period and still followed up, that
    is, not on a recommendation closed by then."""
    world = make_tracked_audit(n_recommendations=1)  # one measure, due 2020-06
    rec = world.recommendations[0]
    rec.measures.update(status=Status.IN_PROGRESS)
    rec.closed_on, rec.closed_reason = dt.date(2024, 1, 10), "Ersatt av ny styrmodell."
    rec.save()
    measure = rec.measures.get()

    (before_closing,) = known_measures([rec.pk], dt.date(2023, 12, 31))
    assert before_closing.is_overdue(dt.date(2023, 12, 31))
    (after_closing,) = known_measures([rec.pk], dt.date(2024, 6, 30))
    assert not after_closing.is_overdue(dt.date(2024, 6, 30))
    (now,) = known_measures([rec.pk])
    today = timezone.localdate()
    assert now.is_overdue(today) is measure.is_overdue(today) is False


def test_a_closed_recommendations_measure_still_serving_an_open_remark_is_counted_late():
    """A shared measure is followed up while any recommendation it serves is open, an
    "other remark" outside the report's recommendations too, as every page says
    (``MeasureQuerySet.followed_up``): the report counts it late like them."""
    world = make_tracked_audit(n_recommendations=1)  # one measure, due 2020-06
    rec = world.recommendations[0]
    remark = make_recommendation(
        world.audit, addressed_to=[world.board], kind=Recommendation.Kind.OTHER_REMARK
    )
    measure = rec.measures.get()
    measure.also_serves.set([remark])
    rec.measures.update(status=Status.IN_PROGRESS)
    rec.closed_on, rec.closed_reason = dt.date(2024, 1, 10), "Ersatt av ny styrmodell."
    rec.save()
    assert list(Measure.objects.overdue(timezone.localdate())) == [measure]

    (row,) = build_report(make_municipality(), THIS_YEAR).cohorts[0].rows
    assert row.measures["past_due_in_progress"] == 1
    # Once the remark is closed too, nobody follows it up.
    remark.closed_on, remark.closed_reason = dt.date(2024, 2, 1), "Besvarad."
    remark.save()
    (row,) = build_report(make_municipality(), THIS_YEAR).cohorts[0].rows
    assert row.measures["past_due_in_progress"] == 0


def test_the_recommendations_open_the_longest_come_first_with_their_age():
    old = make_tracked_audit(n_recommendations=1)
    newer_audit = make_audit(boards=["ASN"], conducted_from="2023")
    make_recommendation(newer_audit)
    report = build_report(make_municipality(), THIS_YEAR)
    first, second = report.longest_open
    assert first.recommendation_id == old.recommendations[0].pk
    assert first.from_assessment and first.status == Status.PARTLY_IMPLEMENTED
    assert second.status is None  # not answered yet
    assert first.age_days == (timezone.localdate() - dt.date(2018, 12, 31)).days


def test_audits_without_a_date_and_investigations_are_left_out():
    make_tracked_audit(n_recommendations=1)
    undated = make_audit(boards=["ASN"], conducted_from=None)
    make_recommendation(undated)
    investigation = make_audit(boards=["ASN"], kind=Audit.Kind.INVESTIGATION)
    make_recommendation(investigation)
    report = build_report(make_municipality(), THIS_YEAR)
    assert report.total.count == 1 and report.undated_audits == 1


def test_a_past_years_report_shows_what_was_known_at_that_years_end(client):
    make_tracked_audit(n_recommendations=1)
    response = client.get(url(2019))
    report = response.context["report"]
    assert report.as_of == dt.date(2019, 12, 31) and not report.is_today
    assert report.total.outcomes == {"not_implemented": 1}  # planned, not yet assessed
    assert "Visar det som var känt den 2019-12-31" in response.content.decode()


def test_the_page_prints_the_cohort_rule_and_links_the_downloads(client):
    make_tracked_audit(n_recommendations=2)
    page = client.get(url(), {"per": "2020-12-31"}).content.decode()
    assert "Årskull:" in page and "genomförd från" in page
    for name in ("pdf", "xlsx", "csv"):
        assert reverse(f"reports:{name}", args=["malmo", THIS_YEAR]) + "?per=2020-12-31" in page


def test_the_day_to_report_as_of_offers_no_day_after_today(client):
    make_tracked_audit(n_recommendations=1)

    page = client.get(url()).content.decode()

    assert f'name="per" max="{timezone.localdate().isoformat()}"' in page


def test_the_day_to_report_as_of_offers_today_on_a_server_started_the_day_before(
    client, monkeypatch
):
    # The form's fields were built when the server loaded it, yesterday as far as the
    # form knows; the report of today must still offer today, not stop at yesterday.
    make_tracked_audit(n_recommendations=1)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)

    page = client.get(url()).content.decode()

    assert f'name="per" max="{tomorrow.isoformat()}"' in page


def test_a_day_in_the_future_or_an_unreadable_day_is_refused_with_a_message(client):
    make_tracked_audit(n_recommendations=1)
    page = client.get(url(), {"per": "2999-01-01"}).content.decode()
    assert "Dagen har inte kommit än" in page
    page = client.get(url(), {"per": "31/12/2020"}).content.decode()
    assert "”31/12/2020” är inget giltigt datum. Skriv datumet som ÅÅÅÅ-MM-DD" in page


@pytest.mark.parametrize("day", ["2999-01-01", "31/12/2020", "2020-02-30", "x"])
def test_a_refused_day_is_a_400_showing_no_figures_as_of_another_day(client, day):
    # As the list and the matrix answer an invalid filter: the figures of today under
    # a message that the day asked for was refused would be read as that day's.
    make_tracked_audit(n_recommendations=1)

    response = client.get(url(), {"per": day})

    page = response.content.decode()
    assert response.status_code == 400
    assert 'name="per"' in page and 'class="errorlist' in page
    assert "Utfall per granskningsår" not in page and "(i dag)" not in page


def test_unknown_municipalities_and_future_years_are_not_found(client):
    make_tracked_audit(n_recommendations=1)
    assert client.get(url(slug="ingenstans")).status_code == 404
    assert client.get(url(THIS_YEAR + 1)).status_code == 404
    # Nor a year no date of ours may have (``YEARS``, the rule of every date).
    assert client.get(url(YEARS.start - 1)).status_code == 404
    assert client.get(url(YEARS.start)).status_code == 200


SVG_NUMBER_ATTRIBUTES = re.compile(r'\s(x|y|width|height)="([^"]*)"')


def svg_numbers(page: str) -> list[str]:
    svgs = re.findall(r"<svg.*?</svg>", page, flags=re.S)
    assert svgs
    return [value for svg in svgs for _name, value in SVG_NUMBER_ATTRIBUTES.findall(svg)]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_chart_number_is_written_with_a_decimal_point_in_every_language(client, language):
    make_tracked_audit(n_recommendations=3)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    for page_url in (url(), reverse("recommendations:home")):
        numbers = svg_numbers(client.get(page_url, follow=True).content.decode())
        assert numbers and all(re.fullmatch(r"\d+\.\d\d", n) for n in numbers), numbers


def test_each_chart_has_a_table_with_the_same_numbers(client):
    make_tracked_audit(n_recommendations=3)
    response = client.get(url())
    chart = response.context["outcome_chart"]
    (bar,) = chart.bars
    assert (bar.label, bar.total) == ("2018", 3)
    page = response.content.decode()
    assert "Rekommendationer per granskningsår och utfall (antal)" in page
    assert "◕ 100 %" in page  # the segment's own label: partly implemented, all three


def test_its_query_count_does_not_grow_with_the_data(client, django_assert_num_queries):
    make_tracked_audit(n_recommendations=2)
    # Today: municipality, recommendations, standings (with when each was settled),
    # measures, their shared recommendations, boards.
    with django_assert_num_queries(6):
        client.get(url())
    # A past day: the standings derived instead (recommendations, addressees, answering
    # boards, entries, assessments, measures, shared, their reports and moves: 9), and the
    # measures as known then (measures, shared, reports, moves: 4).
    with django_assert_num_queries(16):
        client.get(url(), {"per": "2020-12-31"})
    make_tracked_audit(n_recommendations=8, board="SN")
    make_tracked_audit(n_recommendations=3, board="KS")
    with django_assert_num_queries(6):
        client.get(url())
    with django_assert_num_queries(16):
        client.get(url(), {"per": "2020-12-31"})


def test_every_segment_is_hatched_so_the_chart_reads_without_colour(client):
    """Each category has its own SVG pattern (tint and hatching), and every bar segment
    and legend swatch is filled with its category's pattern, so a black-and-white print
    tells even the narrowest segments apart."""
    make_tracked_audit(n_recommendations=3)
    # One municipality: the national page leads straight to its start page.
    page = client.get(reverse("recommendations:home"), follow=True).content.decode()
    (chart,) = re.findall(r'<figure class="chart" id="status-per-year">.*?</figure>', page, re.S)
    patterns = re.findall(r'<pattern id="(status-per-year-[a-z_]+)".*?</pattern>', chart, re.S)
    hatches = re.findall(
        r'<pattern id="status-per-year-[a-z_]+".*?(?:<path d="([^"]*)"|</pattern>)', chart, re.S
    )
    assert len(patterns) == len(set(patterns)) == 8
    assert len(set(hatches)) == 8  # every category is hatched differently (one plain)
    fills = re.findall(r'<rect [^>]*class="bar"', chart)
    assert fills and all('fill="url(#status-per-year-' in rect for rect in fills)


def test_each_report_link_on_the_reports_page_names_its_municipality(client):
    """Every municipality had its links "Uppföljningsrapport 2026": in a screen reader's
    list of links, the same words to each municipality's report."""
    make_recommendation(make_audit(conducted_from="2024"))
    lund = make_municipality(name="Lunds kommun", slug="lund")
    make_recommendation(make_audit(conducted_from="2024", municipality=lund))
    page = client.get(reverse("reports:index")).content.decode()
    malmo_report = reverse("reports:council_report", args=["malmo", THIS_YEAR])
    lund_report = reverse("reports:council_report", args=["lund", THIS_YEAR])
    hidden = '<span class="visually-hidden">, {}</span></a>'
    assert (
        f'href="{malmo_report}">Uppföljningsrapport {THIS_YEAR}{hidden.format("Malmö stad")}'
        in page
    )
    assert (
        f'href="{lund_report}">Uppföljningsrapport {THIS_YEAR}{hidden.format("Lunds kommun")}'
        in page
    )


def _index_years(client):
    page = client.get(reverse("reports:index")).content.decode()
    return {
        slug: sorted(int(year) for year in years)
        for slug, years in _links_by_municipality(page).items()
    }


def _links_by_municipality(page):
    links = re.findall(r'href="/rapport/([^/]+)/(\d{4})/"', page)
    found = {}
    for slug, year in links:
        found.setdefault(slug, []).append(year)
    return found


def test_the_reports_page_lists_the_years_from_the_first_its_report_counts(client):
    """A year is listed once the report has something to count in it: the recommendations
    of a dated audit, not an investigation's assignments or an audit without
    recommendations, which listed years whose reports were empty."""
    malmo = make_municipality()
    make_audit(conducted_from="2019", kind=Audit.Kind.INVESTIGATION, municipality=malmo)
    investigation = make_audit(
        conducted_from="2020", kind=Audit.Kind.INVESTIGATION, municipality=malmo
    )
    make_recommendation(investigation, kind=Recommendation.Kind.DECISION_POINT)
    make_audit(conducted_from="2021", municipality=malmo)  # no recommendations
    remarked = make_audit(conducted_from="2021", municipality=malmo)
    make_recommendation(remarked, kind=Recommendation.Kind.OTHER_REMARK)
    make_recommendation(make_audit(conducted_from="2022", municipality=malmo))
    lund = make_municipality(name="Lunds kommun", slug="lund")
    make_audit(conducted_from="2020", municipality=lund)

    assert _index_years(client) == {"malmo": list(range(2022, THIS_YEAR + 1))}


def test_the_reports_page_says_when_no_municipality_has_anything_to_report(client):
    make_audit(conducted_from="2020")  # no recommendations

    page = client.get(reverse("reports:index")).content.decode()

    assert "Ingen kommun har rekommendationer att rapportera ännu." in page


def test_the_reports_page_asks_the_same_queries_however_many_municipalities(
    client, django_assert_num_queries
):
    make_recommendation(make_audit(conducted_from="2020"))
    with django_assert_num_queries(2):
        client.get(reverse("reports:index"))
    for n in range(3):
        town = make_municipality(name=f"Kommun {n}", slug=f"kommun-{n}")
        make_recommendation(make_audit(conducted_from=str(2018 + n), municipality=town))
    with django_assert_num_queries(2):
        client.get(reverse("reports:index"))
