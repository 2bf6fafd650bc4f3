"""Each board's own standing, kept on write, and the recommendation's status derived from it.

After every kind of write the maintained rows must equal a rebuild from scratch.
"""

import datetime as dt
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from auditfollowup.lib.dates import FuzzyDate
from dataimport.synthetic.generator import Generator
from dataimport.synthetic.scale import Scale
from recommendations.models import Audit, AuditorAssessment, Municipality, Recommendation
from recommendations.status import Status
from responses import services, standings
from responses.models import BoardStanding, Measure, Response, ResponseEntry
from responses.standing_signals import rederive_after_migrations
from tests.factories import (
    make_assessment,
    make_audit,
    make_board,
    make_entry,
    make_measure,
    make_measure_update,
    make_municipality,
    make_recommendation,
    make_response,
    make_round,
    make_tracked_audit,
    make_user,
)

pytestmark = pytest.mark.django_db

STANDING_FIELDS = ["recommendation_id", "board_id", *standings._STANDING_FIELDS]


MUNICIPALITY_COUNTS = ["pk", "audit_count", "recommendation_count", "implemented_count"]


def snapshot():
    return (
        set(BoardStanding.objects.values_list(*STANDING_FIELDS)),
        set(Recommendation.objects.values_list("pk", *standings._RECOMMENDATION_FIELDS)),
        set(Municipality.objects.values_list(*MUNICIPALITY_COUNTS)),
    )


def assert_maintained_rows_equal_a_rebuild():
    maintained = snapshot()
    BoardStanding.objects.all().delete()
    Recommendation.objects.update(
        current_status="", current_status_rank=len(Status), boards_answered=0, boards_required=0
    )
    Municipality.objects.update(audit_count=0, recommendation_count=0, implemented_count=0)
    standings.rebuild()
    assert snapshot() == maintained


def standing(recommendation, board):
    return BoardStanding.objects.get(recommendation=recommendation, board=board)


@pytest.fixture
def three_boards():
    """SR-2018-71's recommendation 7 in miniature: addressed to ASN, GVN and KS."""
    asn, gvn, ks = (make_board(short_code=code) for code in ("ASN", "GVN", "KS"))
    audit = make_audit(boards=[asn, gvn, ks])
    first = make_round(audit, sequence=1, deadline="2019-09-30")
    recommendation = make_recommendation(audit, addressed_to=[asn, gvn, ks])
    return audit, first, recommendation, (asn, gvn, ks)


def publish_answer(board, round_, recommendation, status, decided):
    response = make_response(board=board, round=round_, decision_date=decided)
    return make_entry(response, recommendation, status=status)


def test_each_board_has_its_own_standing_and_a_board_that_never_answered_has_none(three_boards):
    _audit, first, recommendation, (asn, gvn, ks) = three_boards
    publish_answer(asn, first, recommendation, Status.PLANNED, dt.date(2019, 9, 24))
    publish_answer(gvn, first, recommendation, Status.IMPLEMENTED, dt.date(2019, 9, 25))

    assert standing(recommendation, asn).status == Status.PLANNED
    assert standing(recommendation, gvn).status == Status.IMPLEMENTED
    assert standing(recommendation, ks).status == ""
    assert standing(recommendation, asn).round == first
    assert_maintained_rows_equal_a_rebuild()


def test_the_recommendations_status_is_the_least_advanced_of_the_boards_that_answered(
    three_boards,
):
    _audit, first, recommendation, (asn, gvn, _ks) = three_boards
    publish_answer(gvn, first, recommendation, Status.IMPLEMENTED, dt.date(2019, 9, 25))
    publish_answer(asn, first, recommendation, Status.PLANNED, dt.date(2019, 9, 24))

    recommendation.refresh_from_db()
    assert recommendation.current_status == Status.PLANNED
    assert (recommendation.boards_answered, recommendation.boards_required) == (2, 3)


def test_a_later_round_replaces_the_boards_status_and_a_draft_changes_nothing(three_boards):
    audit, first, recommendation, (asn, _gvn, _ks) = three_boards
    second = make_round(audit, sequence=2)
    third = make_round(audit, sequence=3)
    publish_answer(asn, first, recommendation, Status.PLANNED, dt.date(2019, 9, 24))
    publish_answer(asn, second, recommendation, Status.IN_PROGRESS, dt.date(2020, 9, 24))
    draft = make_response(board=asn, round=third, state=Response.State.DRAFT)
    make_entry(draft, recommendation, status=Status.IMPLEMENTED)

    assert standing(recommendation, asn).status == Status.IN_PROGRESS
    assert standing(recommendation, asn).round == second


def test_publishing_a_response_updates_the_standing_in_the_same_transaction(three_boards):
    _audit, first, recommendation, (asn, _gvn, _ks) = three_boards
    recommendation.answered_by.add(asn)
    draft = make_response(board=asn, round=first, state=Response.State.DRAFT)
    make_entry(draft, recommendation, status=Status.IN_PROGRESS)
    make_measure(recommendation, board=asn, due="2019-12", announced_in=draft.entries.get())
    assert standing(recommendation, asn).status == ""
    assert standing(recommendation, asn).open_measures == 0  # only the draft knows it

    services.publish_response(
        response=draft,
        expected_version=draft.version,
        user=None,
        decision_date=dt.date(2019, 9, 30),
        diary_number="ASN-1",
    )

    published = standing(recommendation, asn)
    assert published.status == Status.IN_PROGRESS
    assert published.open_measures == 1
    assert published.next_due_end == dt.date(2019, 12, 31)
    assert published.has_overdue_measures(dt.date(2020, 1, 1))
    assert not published.has_overdue_measures(dt.date(2019, 12, 31))
    assert_maintained_rows_equal_a_rebuild()


def test_publishing_a_shared_measure_done_updates_every_recommendation_it_serves(
    three_boards,
):
    """Publishing writes the measures it changes in bulk, without their save signals: the
    standings of the recommendations they also serve follow all the same, even one the
    response does not answer (another board answers it)."""
    audit, first, recommendation, (asn, _gvn, ks) = three_boards
    other = make_recommendation(audit, position=2, addressed_to=[asn], answered_by=[ks])
    entry = publish_answer(asn, first, recommendation, Status.IN_PROGRESS, dt.date(2019, 9, 24))
    measure = make_measure(recommendation, board=asn, due="2019-12", announced_in=entry)
    measure.also_serves.add(other)
    assert standing(other, asn).open_measures == 1
    second = make_round(audit, sequence=2, deadline="2020-09-30")
    draft = make_response(board=asn, round=second, state=Response.State.DRAFT)
    draft_entry = make_entry(draft, recommendation, status=Status.IMPLEMENTED)
    update = make_measure_update(measure, draft_entry, status=Status.IMPLEMENTED)
    update.completed = FuzzyDate.parse("2019-11-20")
    update.save()

    services.publish_response(
        response=draft,
        expected_version=draft.version,
        user=None,
        decision_date=dt.date(2020, 9, 20),
        diary_number="ASN-2",
    )

    assert standing(recommendation, asn).open_measures == 0
    assert standing(other, asn).open_measures == 0
    assert_maintained_rows_equal_a_rebuild()


def test_an_admin_correction_taking_a_response_back_to_draft_removes_its_status(three_boards):
    _audit, first, recommendation, (asn, _gvn, _ks) = three_boards
    entry = publish_answer(asn, first, recommendation, Status.PLANNED, dt.date(2019, 9, 24))
    response = Response.objects.get(pk=entry.response_id)

    response.state = Response.State.DRAFT
    response.save()

    assert standing(recommendation, asn).status == ""
    assert_maintained_rows_equal_a_rebuild()


def test_an_assessment_marks_a_disagreement_with_each_board(three_boards):
    _audit, first, recommendation, (asn, gvn, ks) = three_boards
    publish_answer(asn, first, recommendation, Status.IMPLEMENTED, dt.date(2019, 9, 24))
    publish_answer(gvn, first, recommendation, Status.PARTLY_IMPLEMENTED, dt.date(2019, 9, 24))

    make_assessment(recommendation, first, status=Status.PARTLY_IMPLEMENTED)

    assert standing(recommendation, asn).disagrees
    assert not standing(recommendation, gvn).disagrees
    assert not standing(recommendation, ks).disagrees  # nothing to disagree with
    assert standing(recommendation, ks).assessment_status == Status.PARTLY_IMPLEMENTED
    assert_maintained_rows_equal_a_rebuild()


def test_a_standing_knows_its_audit_year_and_within_how_many_years_it_was_settled(three_boards):
    audit, first, recommendation, (asn, gvn, _ks) = three_boards  # audit conducted in 2018
    second = make_round(audit, sequence=2, deadline="2020-01-31")
    publish_answer(asn, first, recommendation, Status.IN_PROGRESS, dt.date(2019, 3, 1))
    publish_answer(asn, second, recommendation, Status.IMPLEMENTED, dt.date(2020, 2, 1))
    publish_answer(gvn, first, recommendation, Status.PARTLY_IMPLEMENTED, dt.date(2019, 9, 24))
    asn_standing = standing(recommendation, asn)
    assert asn_standing.cohort == 2018
    assert asn_standing.counted_from == dt.date(2018, 12, 31)  # the end of "2018"
    assert asn_standing.settled_on == dt.date(2020, 2, 1)
    assert asn_standing.settled_within_years == 2
    assert standing(recommendation, gvn).settled_on is None  # partly implemented: not settled

    # The auditors' assessment, where there is one, is the outcome's source.
    make_assessment(
        recommendation, first, status=Status.IMPLEMENTED, assessed_on=dt.date(2019, 6, 1)
    )
    assert standing(recommendation, gvn).settled_within_years == 1
    assert standing(recommendation, asn).settled_on == dt.date(2019, 6, 1)

    # An audit's dates decide its year and the day the years are counted from.
    audit.conducted_from_date = dt.date(2017, 11, 1)
    audit.conducted_from_precision = "month"
    audit.save()
    assert standing(recommendation, asn).cohort == 2017
    assert standing(recommendation, asn).counted_from == dt.date(2017, 11, 30)
    assert standing(recommendation, asn).settled_within_years == 2
    assert_maintained_rows_equal_a_rebuild()


def test_closing_and_changing_the_addressees_keep_the_standings_in_step(three_boards, client):
    _audit, _first, recommendation, (asn, _gvn, ks) = three_boards
    client.force_login(make_user(superuser=True))
    page = client.post(
        reverse("auditors:close", args=[recommendation.pk]),
        {"closed_on": "2024-01-10", "closed_reason": "Ersatt av ny styrmodell."},
    )
    assert page.status_code in (200, 302)
    assert not standing(recommendation, asn).is_open

    recommendation.addressed_to.remove(ks)
    assert not BoardStanding.objects.filter(recommendation=recommendation, board=ks).exists()
    assert_maintained_rows_equal_a_rebuild()


def test_a_shared_measure_counts_for_every_recommendation_it_serves(three_boards):
    audit, _first, recommendation, (asn, _gvn, _ks) = three_boards
    other = make_recommendation(audit, addressed_to=[asn])
    measure = make_measure(recommendation, board=asn, due="2020-06")

    measure.also_serves.add(other)

    assert standing(other, asn).open_measures == 1
    assert standing(other, asn).next_due_end == dt.date(2020, 6, 30)
    measure.status = Status.IMPLEMENTED
    measure.completed_date = dt.date(2020, 5, 1)
    measure.save()
    assert standing(other, asn).open_measures == 0
    assert_maintained_rows_equal_a_rebuild()


def test_an_answer_an_admin_moves_to_another_recommendation_leaves_neither_stale(three_boards):
    audit, first, recommendation, (asn, _gvn, _ks) = three_boards
    other = make_recommendation(audit, position=2, addressed_to=[asn])
    entry = publish_answer(asn, first, recommendation, Status.IMPLEMENTED, dt.date(2019, 9, 24))

    moved = ResponseEntry.objects.get(pk=entry.pk)  # as the admin reads it
    moved.recommendation = other
    moved.save()

    assert standing(recommendation, asn).status == ""
    assert standing(other, asn).status == Status.IMPLEMENTED
    assert_maintained_rows_equal_a_rebuild()


def test_an_assessment_or_a_measure_an_admin_moves_leaves_the_old_recommendation_right(
    three_boards,
):
    audit, first, recommendation, (asn, _gvn, _ks) = three_boards
    other = make_recommendation(audit, position=2, addressed_to=[asn])
    publish_answer(asn, first, recommendation, Status.PLANNED, dt.date(2019, 9, 24))
    assessment = make_assessment(recommendation, first, status=Status.IMPLEMENTED)
    measure = make_measure(recommendation, board=asn, due="2020-06")
    assert standing(recommendation, asn).disagrees
    assert standing(recommendation, asn).open_measures == 1

    for model, pk in ((AuditorAssessment, assessment.pk), (Measure, measure.pk)):
        moved = model.objects.get(pk=pk)
        moved.recommendation = other
        moved.save()

    assert not standing(recommendation, asn).disagrees
    assert standing(recommendation, asn).open_measures == 0
    assert_maintained_rows_equal_a_rebuild()


def test_deleting_a_shared_measure_updates_every_recommendation_it_served(three_boards):
    audit, _first, recommendation, (asn, _gvn, _ks) = three_boards
    other = make_recommendation(audit, position=2, addressed_to=[asn])
    measure = make_measure(recommendation, board=asn, due="2020-06")
    measure.also_serves.add(other)
    assert standing(other, asn).open_measures == 1

    Measure.objects.get(pk=measure.pk).delete()

    assert standing(other, asn).open_measures == 0
    assert_maintained_rows_equal_a_rebuild()


def test_deleting_a_board_updates_the_recommendations_it_was_to_answer(three_boards):
    _audit, _first, recommendation, _boards = three_boards
    board = make_board(short_code="TN")
    recommendation.answered_by.add(board)
    assert Recommendation.objects.get(pk=recommendation.pk).boards_required == 1

    board.delete()

    # Answered by nobody named any more: its three addressees answer again.
    assert Recommendation.objects.get(pk=recommendation.pk).boards_required == 3
    assert_maintained_rows_equal_a_rebuild()


def test_an_audit_moved_to_another_municipality_is_counted_there_only(three_boards):
    audit, _first, _recommendation, _boards = three_boards
    elsewhere = make_municipality(name="Exempelby", slug="exempelby", organisation_number="1")

    moved = Audit.objects.get(pk=audit.pk)
    moved.municipality = elsewhere
    moved.save()

    counts = dict(Municipality.objects.values_list("slug", "audit_count"))
    assert (counts["malmo"], counts["exempelby"]) == (0, 1)
    assert_maintained_rows_equal_a_rebuild()


def test_the_seed_import_derives_the_standings_it_would_get_from_a_rebuild():
    call_command("import_fixtures", str(Path(settings.BASE_DIR) / "fixtures"), verbosity=0)

    assert BoardStanding.objects.exists()
    assert_maintained_rows_equal_a_rebuild()


def test_the_synthetic_data_generator_derives_the_standings_it_writes():
    Generator(scale=Scale.parse("1"), seed=3).run()

    assert BoardStanding.objects.answered().exists()
    assert_maintained_rows_equal_a_rebuild()


def test_the_rebuild_command_restores_deleted_standings():
    world = make_tracked_audit(n_recommendations=2)
    BoardStanding.objects.all().delete()

    call_command("rebuild_standings", verbosity=0)

    assert standing(world.recommendations[0], world.board).status == Status.IN_PROGRESS


def test_renumbering_the_rounds_makes_the_other_answer_the_latest():
    # An admin finds that 2019's round was really the later one.
    world = make_tracked_audit(n_recommendations=1)
    rec = world.recommendations[0]
    first = world.rounds[0]
    first.sequence = 3
    first.save()

    assert standing(rec, world.board).status == Status.PLANNED
    assert_maintained_rows_equal_a_rebuild()


def test_an_answer_an_admin_moves_into_a_draft_leaves_the_public_standing():
    world = make_tracked_audit(n_recommendations=1)
    rec = world.recommendations[0]
    draft = make_response(
        board=world.board, round=make_round(world.audit, sequence=3), state=Response.State.DRAFT
    )
    answer = ResponseEntry.objects.get(response=world.responses[1], recommendation=rec)
    answer.response = draft
    answer.save()

    assert standing(rec, world.board).status == Status.PLANNED  # 2019's, the public one
    assert_maintained_rows_equal_a_rebuild()


def test_a_public_measure_an_admin_points_at_a_drafts_answer_is_no_longer_counted():
    world = make_tracked_audit(n_recommendations=1)
    rec = world.recommendations[0]
    draft = make_response(
        board=world.board, round=make_round(world.audit, sequence=3), state=Response.State.DRAFT
    )
    measure = Measure.objects.get(recommendation=rec)
    measure.announced_in = make_entry(draft, rec)
    measure.save()

    assert standing(rec, world.board).open_measures == 0
    assert_maintained_rows_equal_a_rebuild()


def test_an_imported_measure_an_admin_points_at_a_drafts_answer_is_no_longer_counted():
    world = make_tracked_audit(n_recommendations=1)
    rec = world.recommendations[0]
    imported = make_measure(rec, board=world.board, due="2020-06")  # announced nowhere
    assert standing(rec, world.board).open_measures == 2
    draft = make_response(
        board=world.board, round=make_round(world.audit, sequence=3), state=Response.State.DRAFT
    )
    imported = Measure.objects.get(pk=imported.pk)
    imported.announced_in = make_entry(draft, rec)
    imported.save()

    assert standing(rec, world.board).open_measures == 1
    assert_maintained_rows_equal_a_rebuild()


def test_a_recommendation_moved_to_another_municipality_is_counted_there_only():
    malmo = make_municipality()
    lund = make_municipality(name="Lunds kommun", slug="lund", organisation_number="")
    rec = make_recommendation(make_audit(boards=[make_board(municipality=malmo)]))
    moved = Recommendation.objects.get(pk=rec.pk)
    moved.audit = make_audit(boards=[make_board(short_code="KS", municipality=lund)])
    moved.audit.municipality = lund
    moved.audit.save()
    moved.save()

    counts = dict(Municipality.objects.values_list("slug", "recommendation_count"))
    assert counts == {"malmo": 0, "lund": 1}
    assert_maintained_rows_equal_a_rebuild()


def test_publishing_an_earlier_rounds_answer_late_leaves_the_measure_as_the_later_says():
    """A paper answer of 2019 entered and published after 2020's: the measure keeps what
    its latest answer says, as its standing does."""
    world = make_tracked_audit(n_recommendations=1)
    rec = world.recommendations[0]
    measure = Measure.objects.get(recommendation=rec)
    measure.status = Status.IN_PROGRESS  # as 2020's answer says
    measure.save()
    earlier = make_round(world.audit, sequence=0)
    paper = make_response(board=world.board, round=earlier, state=Response.State.DRAFT)
    make_measure_update(
        measure, make_entry(paper, rec, status=Status.PLANNED), status=Status.PLANNED
    )

    services.publish_response(
        response=paper,
        expected_version=paper.version,
        user=None,
        decision_date=dt.date(2019, 3, 1),
        diary_number="ASN-2019-1",
    )

    measure.refresh_from_db()
    assert measure.status == Status.IN_PROGRESS
    assert standing(rec, world.board).status == Status.IN_PROGRESS
    assert_maintained_rows_equal_a_rebuild()


def _applied(migration_name, *, backwards=False):
    """What ``migrate`` tells post_migrate it applied: the migration and its direction."""
    module = import_module(f"responses.migrations.{migration_name}")
    return [(module.Migration(migration_name, "responses"), backwards)]


def test_migrating_past_a_change_of_what_standings_hold_derives_them_again():
    # 0009 added ``must_answer``: an existing database's standings are derived again by
    # the application's code, once every migration of the run is applied.
    world = make_tracked_audit(n_recommendations=2)
    BoardStanding.objects.all().delete()

    rederive_after_migrations(sender=None, plan=_applied("0009_standing_must_answer"))

    assert standing(world.recommendations[0], world.board).status == Status.IN_PROGRESS
    assert_maintained_rows_equal_a_rebuild()


def test_other_migrations_and_migrating_backwards_leave_the_standings_alone():
    make_tracked_audit(n_recommendations=2)
    BoardStanding.objects.all().delete()

    rederive_after_migrations(
        sender=None, plan=_applied("0010_what_a_deleted_draft_wrote_goes_with_it")
    )
    rederive_after_migrations(
        sender=None, plan=_applied("0009_standing_must_answer", backwards=True)
    )
    rederive_after_migrations(sender=None)  # flush sends no plan

    assert not BoardStanding.objects.exists()


def test_the_list_sorts_by_status_in_the_vocabularys_order(client):
    board = make_board()
    audit = make_audit(boards=[board])
    first = make_round(audit, sequence=1)
    response = make_response(board=board, round=first, decision_date=dt.date(2019, 9, 1))
    for status in (Status.IMPLEMENTED, Status.IN_PROGRESS, Status.NO_LONGER_RELEVANT):
        make_entry(response, make_recommendation(audit, addressed_to=[board]), status=status)

    page = client.get(reverse("recommendations:recommendation_list"), {"sort": "status"})

    shown = [rec.current_status for rec in page.context["page"].object_list]
    assert shown == [Status.IN_PROGRESS, Status.IMPLEMENTED, Status.NO_LONGER_RELEVANT]


def test_the_list_filtered_by_board_and_status_uses_that_boards_own_status(three_boards, client):
    _audit, first, recommendation, (_asn, gvn, ks) = three_boards
    publish_answer(gvn, first, recommendation, Status.PLANNED, dt.date(2019, 9, 25))
    url = reverse("recommendations:recommendation_list")

    for_ks = client.get(url, {"board": ks.pk, "status": Status.PLANNED})
    for_gvn = client.get(url, {"board": gvn.pk, "status": Status.PLANNED})

    assert list(for_ks.context["page"].object_list) == []
    assert list(for_gvn.context["page"].object_list) == [recommendation]


def test_the_board_page_shows_only_the_boards_own_status(three_boards, client):
    _audit, first, recommendation, (_asn, gvn, ks) = three_boards
    publish_answer(gvn, first, recommendation, Status.PLANNED, dt.date(2019, 9, 25))

    page = client.get(ks.get_absolute_url())

    text = page.content.decode()
    assert "Har inte svarat än" in text
    assert "Planerad" not in text


def test_the_start_page_counts_each_boards_own_status(three_boards, client):
    _audit, first, recommendation, (_asn, gvn, ks) = three_boards
    publish_answer(gvn, first, recommendation, Status.PLANNED, dt.date(2019, 9, 25))

    page = client.get(reverse("recommendations:home"), follow=True)

    rows = {row.pk: row for row in page.context["by_board"]}
    assert rows[ks.pk].unanswered == 1 and rows[ks.pk].total == 1
    assert rows[gvn.pk].unanswered == 0


def test_which_responses_were_known_on_a_day_is_the_same_rule_in_sql_and_python(db):
    """``ResponseQuerySet.known_on`` (the matrix's audits as of a day) and
    ``standings.known_on`` (its cells, the council report) agree, for decided and
    imported answers of every precision, published here or not, today included."""
    from django.utils import timezone

    from responses.models import Response
    from responses.standings import known_on
    from tests.factories import make_audit, make_board, make_response, make_round

    today = timezone.localdate()
    # Half past midnight in Sweden, still the day before in UTC: known from the Swedish day.
    published_here = timezone.make_aware(dt.datetime(2021, 3, 2, 0, 30))
    board = make_board(short_code="ASN")
    audit = make_audit(boards=[board])

    def answer(**fields):  # one response per round
        return make_response(board=board, round=make_round(audit), **fields)

    responses = [
        answer(decision_date=dt.date(2021, 3, 2), published_at=published_here),
        answer(decision_date=dt.date(2020, 9, 30)),
        *(
            answer(document=document, state="submitted")
            for document in ["2020-09-30", "september 2020", "hösten 2020", "2020", str(today.year)]
        ),
    ]
    stored = Response.objects.filter(pk__in=[r.pk for r in responses])  # times as read: UTC
    days = [
        dt.date(2020, 9, 29),
        dt.date(2020, 9, 30),
        dt.date(2020, 12, 30),
        dt.date(2020, 12, 31),
        dt.date(2021, 3, 1),
        dt.date(2021, 3, 2),
        today,
    ]
    for day in days:
        in_sql = set(Response.objects.known_on(day).values_list("pk", flat=True))
        in_python = {r.pk for r in stored if known_on(r.date, day, r.published_at)}
        assert in_sql == in_python, day


def test_a_measure_imported_without_a_report_counts_as_of_today_as_in_the_stored_standing():
    """Nothing dates a measure imported with no report on it: as of today it is counted,
    as the stored standing counts it, and on an earlier day not yet. It had been left out
    of today too, so the standings derived as of today had one open measure fewer."""
    board = make_board(short_code="ASN")
    recommendation = make_recommendation(make_audit(boards=[board]), addressed_to=[board])
    measure = Measure(
        recommendation=recommendation, board=board, title="Översyn", status=Status.PLANNED
    )
    measure.due = FuzzyDate.parse("2030")
    measure.save()
    stored = BoardStanding.objects.get(recommendation=recommendation, board=board)
    today = timezone.localdate()

    assert stored.open_measures == 1
    pair = (recommendation.pk, board.pk)
    assert standings.standings_as_of([recommendation.pk], today)[pair]["open_measures"] == 1
    yesterday = today - dt.timedelta(days=1)
    assert standings.standings_as_of([recommendation.pk], yesterday)[pair]["open_measures"] == 0


def test_a_closed_recommendations_standing_counts_no_open_measures_and_no_due_date():
    """Closed, a recommendation's measures not settled are open nowhere on its page
    (``Measure.is_open`` under it): its standing counts none and keeps no next due date,
    nor an overdue flag, as ``MeasureQuerySet.open`` says of them."""
    world = make_tracked_audit(n_recommendations=1)  # one measure, due 2020-06
    rec = world.recommendations[0]
    assert standing(rec, world.board).open_measures == 1

    rec.closed_on, rec.closed_reason = dt.date(2024, 1, 10), "Ersatt av ny styrmodell."
    rec.save()

    closed = standing(rec, world.board)
    assert (closed.open_measures, closed.next_due, closed.next_due_end) == (0, None, None)
    assert not Measure.objects.serving(rec).open().exists()
    assert_maintained_rows_equal_a_rebuild()


def test_migrating_clears_the_open_measures_a_closed_recommendations_standing_kept():
    """Standings stored before the rule was one counted a closed recommendation's measures
    not settled as open, with their due date: ``migrate`` (0015) writes them as the
    derivation does now, and leaves an open recommendation's standing alone."""
    world = make_tracked_audit(n_recommendations=2)
    closed_rec, open_rec = world.recommendations
    closed_rec.closed_on, closed_rec.closed_reason = dt.date(2024, 1, 10), "Åtgärdad."
    closed_rec.save()
    kept = standing(open_rec, world.board)
    assert kept.open_measures == 1 and kept.next_due is not None
    BoardStanding.objects.filter(recommendation=closed_rec).update(
        open_measures=1,
        next_due_date=kept.next_due_date,
        next_due_precision=kept.next_due_precision,
        next_due_end=kept.next_due_end,
    )
    name = "0015_a_closed_recommendation_has_no_open_measures"
    migration = import_module(f"responses.migrations.{name}")

    migration.closed_recommendations_have_no_open_measures(apps, None)

    fixed = standing(closed_rec, world.board)
    assert (fixed.open_measures, fixed.next_due, fixed.next_due_end) == (0, None, None)
    assert standing(open_rec, world.board).open_measures == 1
    assert_maintained_rows_equal_a_rebuild()


def test_a_recommendation_closed_later_counted_its_measures_open_until_its_closing_day():
    """As of a day before its closing (the council report's past year), a
    recommendation's measure not settled was open there; from the closing day on, none
    is, as its stored standing says today."""
    world = make_tracked_audit(n_recommendations=1)  # one measure, due 2020-06
    rec = world.recommendations[0]
    rec.closed_on, rec.closed_reason = dt.date(2024, 1, 10), "Ersatt av ny styrmodell."
    rec.save()
    pair = (rec.pk, world.board.pk)

    before = standings.standings_as_of([rec.pk], dt.date(2024, 1, 9))[pair]
    after = standings.standings_as_of([rec.pk], dt.date(2024, 1, 10))[pair]

    assert (before["open_measures"], before["next_due_end"]) == (1, dt.date(2020, 6, 30))
    assert (after["open_measures"], after["next_due_end"]) == (0, None)
    stored = standing(rec, world.board)
    assert (stored.open_measures, stored.next_due_end) == (0, None)
