"""Auditors record their assessment per round, close recommendations, and see what needs
their attention."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from auditfollowup.lib.dates import FuzzyDate
from recommendations.models import AuditorAssessment, FollowUpRound
from recommendations.roles import AUDITOR_GROUP
from recommendations.status import Status
from responses.models import Measure, Response, ResponseEntry

from .factories import hand_in, make_recommendation, make_town, make_user


def test_auditors_record_an_assessment_for_a_round(client, world):
    client.force_login(world.auditor)
    url = reverse("auditors:assess", args=[world.rec1.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"round": world.round1.pk, "status": Status.NOT_STARTED, "comment": "Inget gjort."}
    )
    assert response.status_code == 302
    assessment = AuditorAssessment.objects.get(recommendation=world.rec1, round=world.round1)
    assert (assessment.status, assessment.comment) == (Status.NOT_STARTED, "Inget gjort.")
    assert assessment.assessed_by == world.auditor
    assert assessment.assessed_on == timezone.localdate()


def test_a_saved_assessment_shows_the_round_assessed_and_leads_to_the_next_answer(client, world):
    """Going through a round's answers one by one: the page comes back on the round just
    assessed, with a link to the next recommendation a board answered in it."""
    client.force_login(world.auditor)
    url = reverse("auditors:assess", args=[world.rec1.pk])

    saved = client.post(url, {"round": world.round1.pk, "status": Status.PLANNED}, follow=True)

    assert saved.redirect_chain == [(f"{url}?omgang={world.round1.pk}", 302)]
    assert "Revisionens bedömning är sparad." in saved.text
    assert saved.context["answer_round"] == world.round1
    assert saved.context["next_answered"] == world.rec2
    next_url = reverse("auditors:assess", args=[world.rec2.pk])
    assert f'href="{next_url}?omgang={world.round1.pk}"' in saved.text
    assert "Nästa svar i omgång 1: Rekommendation 2" in saved.text


def test_the_auditors_pages_of_a_recommendation_lead_to_its_audit(client, world):
    """Where the boards are asked for a follow-up (Begär uppföljning)."""
    client.force_login(world.auditor)
    audit_url = world.audit.get_absolute_url()

    for name in ("auditors:assess", "auditors:close"):
        page = client.get(reverse(name, args=[world.rec1.pk]))
        assert f'href="{audit_url}"' in page.text, name
    assert (
        reverse("auditors:request_follow_up", args=[world.audit.pk]) in client.get(audit_url).text
    )


def test_the_last_answer_of_a_round_leads_nowhere_further(client, world):
    client.force_login(world.auditor)

    page = client.get(reverse("auditors:assess", args=[world.rec2.pk]), {"omgang": world.round1.pk})

    assert page.context["next_answered"] is None
    assert "Nästa svar i omgång" not in page.text


def test_a_second_assessment_for_the_same_round_updates_the_first(client, world):
    client.force_login(world.auditor)
    url = reverse("auditors:assess", args=[world.rec1.pk])
    client.post(url, {"round": world.round1.pk, "status": Status.NOT_STARTED})
    client.post(url, {"round": world.round1.pk, "status": Status.PLANNED, "comment": "Nu."})
    assessment = AuditorAssessment.objects.get()
    assert (assessment.status, assessment.comment) == (Status.PLANNED, "Nu.")
    assert assessment.history.count() == 2


def test_mending_an_assessments_comment_keeps_the_day_it_was_made(client, world):
    """An assessment of 2019 with its comment corrected today is still the 2019
    assessment: the council report counts the recommendation settled in 2019."""
    AuditorAssessment.objects.create(
        recommendation=world.rec1,
        round=world.round1,
        status=Status.IMPLEMENTED,
        assessed_on=dt.date(2019, 10, 1),
    )
    client.force_login(world.auditor)
    url = reverse("auditors:assess", args=[world.rec1.pk])

    client.post(url, {"round": world.round1.pk, "status": Status.IMPLEMENTED, "comment": "Rättat."})
    assessment = AuditorAssessment.objects.get()
    assert (assessment.comment, assessment.assessed_on) == ("Rättat.", dt.date(2019, 10, 1))

    client.post(url, {"round": world.round1.pk, "status": Status.IN_PROGRESS, "comment": "Nej."})
    assessment = AuditorAssessment.objects.get()
    assert (assessment.status, assessment.assessed_on) == (
        Status.IN_PROGRESS,
        timezone.localdate(),
    )


def test_an_assessment_needs_a_status_and_a_round_of_the_same_audit(client, world):
    client.force_login(world.auditor)
    other_audit_round = FollowUpRound.objects.create(
        audit=world.audit.__class__.objects.create(
            municipality=world.municipality, title="Annan", auditor=world.board_a
        ),
        sequence=1,
        kind=FollowUpRound.Kind.FIRST_RESPONSE,
        title="Annan omgång",
    )
    url = reverse("auditors:assess", args=[world.rec1.pk])
    response = client.post(url, {"round": other_audit_round.pk, "status": ""})
    assert response.status_code == 400
    assert "Välj ett giltigt alternativ." in response.text
    assert "Välj revisionens bedömning av läget." in response.text
    assert not AuditorAssessment.objects.exists()
    nothing_chosen = client.post(url, {"round": "", "status": ""})
    assert "Välj vilken omgång bedömningen gäller." in nothing_chosen.text


@pytest.mark.parametrize("day", ["0001-01-01", "1800-06-30"])
def test_a_recommendation_cannot_be_closed_in_a_year_no_other_date_may_have(client, world, day):
    client.force_login(world.auditor)
    url = reverse("auditors:close", args=[world.rec2.pk])

    refused = client.post(url, {"closed_on": day, "closed_reason": "Ersatt."})

    assert refused.status_code == 400
    assert "Året måste ligga mellan 1900 och 2200." in refused.text
    world.rec2.refresh_from_db()
    assert not world.rec2.is_closed


def test_auditors_close_a_recommendation_with_a_reason(client, world):
    client.force_login(world.auditor)
    url = reverse("auditors:close", args=[world.rec2.pk])
    refused = client.post(url, {"closed_on": "2026-01-15", "closed_reason": ""})
    assert refused.status_code == 400
    assert "Ange varför rekommendationen avslutas." in refused.text
    world.rec2.refresh_from_db()
    assert not world.rec2.is_closed
    assert (
        client.post(
            url, {"closed_on": "2026-01-15", "closed_reason": "Ersatt av ny styrmodell."}
        ).status_code
        == 302
    )
    world.rec2.refresh_from_db()
    assert world.rec2.closed_on == dt.date(2026, 1, 15)
    assert (world.rec2.closed_reason, world.rec2.closed_by) == (
        "Ersatt av ny styrmodell.",
        world.auditor,
    )
    # The recommendation's page says so once, with the day and the reason.
    client.logout()  # (the auditors' change history lists the closing as well)
    page = client.get(world.rec2.get_absolute_url()).text
    assert page.count("Ersatt av ny styrmodell.") == 1
    assert "Rekommendationen avslutades 2026-01-15." in page


def test_board_staff_may_neither_assess_nor_close(client, world):
    client.force_login(world.staff_a)
    assess = reverse("auditors:assess", args=[world.rec1.pk])
    close = reverse("auditors:close", args=[world.rec1.pk])
    assert client.post(assess, {"round": world.round1.pk, "status": "planned"}).status_code == 403
    assert client.post(close, {"closed_on": "2026-01-01", "closed_reason": "x"}).status_code == 403
    assert not AuditorAssessment.objects.exists()


def add_attention_material(world, suffix=""):
    """One of each thing the attention view lists."""
    today = timezone.localdate()
    submitted = Response.objects.create(
        board=world.board_b,
        round=world.round2,
        title=f"SN lägesbeskrivning{suffix}",
        state=Response.State.DRAFT,
    )
    hand_in(submitted)
    overdue = Measure(
        recommendation=world.rec2,
        board=world.board_a,
        title=f"Försenad åtgärd{suffix}",
        status=Status.IN_PROGRESS,
    )
    overdue.due = FuzzyDate.containing(today - dt.timedelta(days=400), "month")
    overdue.save()
    AuditorAssessment.objects.create(
        recommendation=world.rec1,
        round=world.round1,
        status=Status.NOT_STARTED,
        assessed_on=today,
    )
    late_round = FollowUpRound(
        audit=world.audit, sequence=3, kind=FollowUpRound.Kind.MEASURES_TAKEN, title="Sen omgång"
    )
    late_round.deadline = FuzzyDate.containing(today - dt.timedelta(days=40), "day")
    late_round.save()
    ResponseEntry.objects.create(
        response=submitted, recommendation=world.rec_b, status=Status.PLANNED
    )
    return submitted, overdue, late_round


def test_the_attention_view_lists_what_needs_the_auditors(client, world):
    submitted, overdue, late_round = add_attention_material(world)
    draft_measure = Measure(
        recommendation=world.rec2,
        board=world.board_a,
        title="Åtgärd i ett utkast",
        announced_in=ResponseEntry.objects.create(
            response=Response.objects.create(
                board=world.board_a, round=world.round2, title="Utkast"
            ),
            recommendation=world.rec2,
            status=Status.PLANNED,
        ),
    )
    draft_measure.due = FuzzyDate.parse("2020")
    draft_measure.save()
    client.force_login(world.auditor)
    page = client.get(reverse("auditors:attention"))
    assert page.status_code == 200
    arrived = list(page.context["arrived"])
    assert arrived == [submitted]  # the 2019 response is older than 90 days
    # The world's "maj 2026" measure is past too; not the done one, not the draft's.
    assert set(page.context["overdue"]) == {overdue, world.open_measure}
    disagreements = list(page.context["disagreements"])
    # One line per board whose own status differs: board A planned, auditors not started.
    assert [(s.recommendation, s.board) for s in disagreements] == [(world.rec1, world.board_a)]
    # The disagreements name the board as the page's other tables do: by its name.
    disagreeing = page.text.split('id="disagree-heading"', 1)[1].split("</section>", 1)[0]
    assert re.search(rf"<td[^>]*>{world.board_a.name}</td>", disagreeing)
    missing = {(item.round, item.board) for item in page.context["missing"]}
    assert missing == {(late_round, world.board_a), (late_round, world.board_b)}
    assert "Försenad åtgärd" in page.text and "Sen omgång" in page.text


def test_a_closed_recommendations_measures_are_no_longer_chased_as_overdue(client, world):
    """Closing ends the follow-up: Att granska (and with it the auditors' digest and the
    reminders) no longer lists the recommendation's overdue measures."""
    _submitted, overdue, _late_round = add_attention_material(world)
    world.rec2.closed_on = timezone.localdate()
    world.rec2.closed_reason = "Ersatt av ny styrmodell."
    world.rec2.save()
    client.force_login(world.auditor)

    page = client.get(reverse("auditors:attention"))

    assert overdue not in set(page.context["overdue"])
    assert world.open_measure in set(page.context["overdue"])  # rec1 is still open


def test_the_attention_view_shows_the_day_it_counts_from_in_its_field(client, world):
    client.force_login(world.auditor)
    page = client.get(reverse("auditors:attention"))
    since = (timezone.localdate() - dt.timedelta(days=90)).isoformat()
    assert f'name="since" value="{since}"' in page.text


def test_the_attention_view_names_the_audit_of_each_recommendation(client, world):
    add_attention_material(world)
    world.audit.reference = ""
    world.audit.save()
    client.force_login(world.auditor)
    page = client.get(reverse("auditors:attention"))
    assert f"{world.audit.title}, {world.rec2.display_name}" in page.text


def test_the_attention_view_reads_responses_since_a_chosen_date(client, world):
    client.force_login(world.auditor)
    page = client.get(reverse("auditors:attention"), {"since": "2010-01-01"})
    assert list(page.context["arrived"]) == [world.published_a]


def test_the_attention_view_costs_the_same_queries_at_any_size(
    client, world, django_assert_num_queries
):
    """Session, user, groups with the user's municipality (its id and slug, for the lead's
    link); five each for the awaited and the missing responses (rounds, the boards they
    name, the standings of the boards that must answer, responses given, boards); arrived
    responses, overdue measures, disagreements: sixteen. (An auditor outside the staff
    group has no boards to look up.)"""
    add_attention_material(world)
    client.force_login(world.auditor)
    url = reverse("auditors:attention")
    with django_assert_num_queries(16):
        client.get(url)
    for number in range(4):
        recommendation = make_recommendation(
            world.audit,
            position=10 + number,
            addressed_to=[world.board_b],
            answered_by=[world.board_b],
        )
        measure = Measure(
            recommendation=recommendation,
            board=world.board_b,
            title=f"Sen {number}",
            status=Status.PLANNED,
        )
        measure.due = FuzzyDate.parse("2021")
        measure.save()
        AuditorAssessment.objects.create(
            recommendation=recommendation,
            round=world.round1,
            status=Status.IMPLEMENTED,
            assessed_on=timezone.localdate(),
        )
    with django_assert_num_queries(16):
        page = client.get(url)
    assert len(page.context["overdue"]) == 6


def test_imported_responses_count_from_their_decision_date(client, world):
    Response.objects.filter(pk=world.published_a.pk).update(published_at=None)
    client.force_login(world.auditor)
    url = reverse("auditors:attention")
    assert list(client.get(url, {"since": "2019-02-22"}).context["arrived"]) == [world.published_a]
    assert list(client.get(url, {"since": "2019-02-23"}).context["arrived"]) == []


def test_an_imported_response_known_by_its_document_arrives_on_that_date(client, world):
    """Imported, with neither a decision date nor a publication time: it arrived on the
    date it is known by (``Response.date_of``), as every other page dates it."""
    imported = world.published_a
    Response.objects.filter(pk=imported.pk).update(
        published_at=None,
        decision_date=None,
        document_date=dt.date(2019, 3, 1),
        document_precision="day",
    )
    client.force_login(world.auditor)
    url = reverse("auditors:attention")
    assert list(client.get(url, {"since": "2019-03-01"}).context["arrived"]) == [imported]
    assert list(client.get(url, {"since": "2019-03-02"}).context["arrived"]) == []


def test_a_response_imported_as_handed_in_arrives_on_its_own_date_not_the_day_it_was_loaded(
    client, world
):
    """An import (or the admin) creates a response already handed in: the day it was loaded
    is no news to the auditors, and Att granska said "Inkom" that day for a 2024 answer."""
    imported = Response.objects.create(
        board=world.board_b,
        round=world.round2,
        title="Inläst lägesbeskrivning",
        state=Response.State.SUBMITTED,
        decision_date=dt.date(2024, 5, 20),
    )
    client.force_login(world.auditor)
    url = reverse("auditors:attention")

    this_week = client.get(url, {"since": timezone.localdate() - dt.timedelta(days=7)})
    assert imported not in this_week.context["arrived"]
    back_then = client.get(url, {"since": "2024-05-20"})
    assert imported in back_then.context["arrived"]
    assert '<time datetime="2024-05-20">2024-05-20</time>' in back_then.text


def test_the_assessment_form_can_be_opened_for_a_given_round(client, world):
    client.force_login(world.auditor)
    page = client.get(reverse("auditors:assess", args=[world.rec1.pk]), {"omgang": world.round2.pk})
    assert f'<option value="{world.round2.pk}" selected>' in page.text


def test_the_assessment_page_shows_what_the_boards_answered_in_the_round(client, world):
    """The auditors judge with the answer in view: its status, its text and the measures
    it reports, for the round chosen (else the latest answered)."""
    client.force_login(world.auditor)
    url = reverse("auditors:assess", args=[world.rec1.pk])

    page = client.get(url, {"omgang": world.round1.pk})

    assert "Nämndernas svar i omgång 1" in page.text
    assert "Planerat." in page.text  # the 2019 answer's text
    assert "Ny rutin för uppföljning" in page.text  # the measure it reports
    opened = client.get(url)
    assert opened.context["answer_round"] == world.round1
    # The round whose answers are shown is the one the form assesses.
    assert f'<option value="{world.round1.pk}" selected>' in opened.text
    unanswered = client.get(url, {"omgang": world.round2.pk})
    assert "Inget svar att visa i omgången." in unanswered.text


def test_the_assessment_page_costs_the_same_queries_with_more_answers(
    client, world, django_assert_max_num_queries
):
    from .factories import make_entry, make_response

    client.force_login(world.auditor)
    url = reverse("auditors:assess", args=[world.rec1.pk])
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    answer = make_response(
        board=world.board_a, round=world.round2, decision_date=dt.date(2026, 3, 1)
    )
    make_entry(answer, world.rec1, status=Status.IN_PROGRESS, narrative="Mer text.")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_menu_shows_each_role_its_own_work(client, world):
    client.force_login(world.auditor)
    page = client.get(reverse("recommendations:home"), follow=True)
    assert reverse("auditors:attention") in page.text
    assert reverse("responses:response_start") not in page.text
    client.force_login(world.staff_a)
    page = client.get(reverse("recommendations:home"), follow=True)
    assert reverse("responses:response_start") in page.text
    assert reverse("auditors:attention") not in page.text


def test_the_auditors_pages_lead_back_to_the_recommendation_and_mark_where_one_is(client, world):
    client.force_login(world.auditor)
    back = f'<a href="{world.rec1.get_absolute_url()}">Till rekommendationens sida</a>'
    for name, current in [("assess", "Bedömning"), ("close", "Avsluta")]:
        page = client.get(reverse(f"auditors:{name}", args=[world.rec1.pk]))
        assert back in page.text
        assert f'aria-current="page">{current}</a>' in page.text
    history = client.get(reverse("auditors:recommendation_history", args=[world.rec1.pk]))
    assert back in history.text


def test_a_since_date_in_a_year_no_one_means_is_refused_with_its_message(client, world):
    """As the list answers an invalid filter: 400, the field's error, and no arrivals
    counted from the default ninety days under it."""
    client.force_login(world.auditor)
    page = client.get(reverse("auditors:attention"), {"since": "0001-01-01"})
    assert page.status_code == 400
    assert "Året måste ligga mellan 1900 och 2200." in page.text
    assert "Rätta datumet ovan för att se yttrandena som har kommit in sedan dess." in page.text
    assert "Yttranden inlämnade eller publicerade sedan" not in page.text
    assert page.context["arrived"] is None


@pytest.mark.parametrize("since", ["garbage", "2026-02-30", "2026-13-45"])
def test_a_since_that_is_no_day_is_refused_and_lists_no_arrivals(client, world, since):
    client.force_login(world.auditor)
    page = client.get(reverse("auditors:attention"), {"since": since})
    assert page.status_code == 400
    # Quoted in the error, where the person sees it: the date input cannot hold it.
    assert f"”{since}” är inget giltigt datum. Skriv datumet som ÅÅÅÅ-MM-DD" in page.text
    assert '<input type="date" name="since" aria-invalid="true"' in page.text
    assert page.context["arrived"] is None
    assert 'aria-current="true"' not in page.text  # no shortcut said to be the day shown
    # What reads no day is still there.
    assert "Försenade åtgärder" in page.text and "Nämnden och revisionen är oense" in page.text


def test_a_round_the_audit_does_not_have_is_refused_on_the_assessment_page(client, world):
    """``?omgang=`` naming no round of the audit: 400, the chooser's error beside the
    audit's rounds, and no round's answers in place of the one asked for."""
    client.force_login(world.auditor)
    url = reverse("auditors:assess", args=[world.rec1.pk])
    for garbage in ("garbage", "999999"):
        page = client.get(url, {"omgang": garbage})
        assert page.status_code == 400
        assert "Välj ett giltigt alternativ." in page.text
        assert '<select name="omgang"' in page.text
        assert page.context["answers"] == [] and page.context["answer_round"] is None
        assert "Välj en av granskningens omgångar för att se nämndernas svar." in page.text
        assert "Spara bedömning" not in page.text
    assert client.get(url, {"omgang": world.round1.pk}).status_code == 200
    assert client.get(url, {"omgang": ""}).status_code == 200


def test_closing_a_recommendation_stops_every_page_calling_its_measures_overdue(client, world):
    """A closed recommendation is no longer followed up: its measure, past its due date,
    is overdue nowhere (start page, board page, list, timeline, API), as Att granska and
    the reminders already said."""
    from django.test import Client

    public = Client()
    list_url = reverse("recommendations:recommendation_list")

    def overdue_everywhere():
        home = public.get(reverse("recommendations:home"), follow=True)
        board = public.get(world.board_a.get_absolute_url())
        listed = public.get(list_url, {"overdue": "true"})
        detail = public.get(world.rec1.get_absolute_url())
        api = public.get(reverse("recommendations:api_recommendations")).json()
        (rec1,) = [r for r in api["results"] if r["id"] == world.rec1.pk]
        return {
            "home": world.open_measure in list(home.context["overdue"]),
            "board": world.open_measure in list(board.context["overdue"]),
            "list": world.rec1 in list(listed.context["page"].object_list),
            "timeline": bool(detail.context["timeline"].overdue_measures),
            "api": any(standing["overdue"] for standing in rec1["standings"])
            or any(measure["overdue"] for measure in rec1["measures"]),
        }

    assert set(overdue_everywhere().values()) == {True}
    client.force_login(world.auditor)
    closed = client.post(
        reverse("auditors:close", args=[world.rec1.pk]),
        {"closed_on": "2026-06-15", "closed_reason": "Ersatt av ny styrmodell."},
    )
    assert closed.status_code == 302

    assert set(overdue_everywhere().values()) == {False}


def test_a_closed_recommendation_is_marked_closed_on_every_page_that_lists_it(client, world):
    from django.test import Client

    client.force_login(world.auditor)
    client.post(
        reverse("auditors:close", args=[world.rec1.pk]),
        {"closed_on": "2026-06-15", "closed_reason": "Ersatt av ny styrmodell."},
    )
    public = Client()
    pages = {
        "list": public.get(reverse("recommendations:recommendation_list")),
        "audit": public.get(world.audit.get_absolute_url()),
        "board": public.get(world.board_a.get_absolute_url()),
    }

    for name, page in pages.items():
        assert page.status_code == 200, name
        assert page.text.count("Avslutad 2026-06-15") == 1, name


def test_an_auditor_reopens_a_recommendation_closed_by_mistake(client, world):
    client.force_login(world.auditor)
    url = reverse("auditors:close", args=[world.rec1.pk])
    client.post(url, {"closed_on": "2026-06-15", "closed_reason": "Fel rekommendation."})
    closed = client.get(url)
    assert "Spara ändrat avslut" in closed.text and "Öppna rekommendationen igen" in closed.text

    reopened = client.post(url, {"reopen": "1"}, follow=True)

    world.rec1.refresh_from_db()
    assert (world.rec1.closed_on, world.rec1.closed_reason, world.rec1.closed_by) == (
        None,
        "",
        None,
    )
    assert "Rekommendationen är öppen igen och följs upp." in reopened.text
    assert "Avsluta rekommendationen" in reopened.text
    listed = client.get(reverse("recommendations:recommendation_list"))
    assert "Avslutad 2026-06-15" not in listed.text
    assert world.open_measure in list(
        client.get(world.board_a.get_absolute_url()).context["overdue"]
    )


def test_only_the_municipalitys_auditors_reopen_a_recommendation(client, world):
    world.rec1.close(dt.date(2026, 6, 15), "Avslutad.", world.auditor)
    client.force_login(world.staff_a)
    refused = client.post(reverse("auditors:close", args=[world.rec1.pk]), {"reopen": "1"})
    world.rec1.refresh_from_db()
    assert refused.status_code in (403, 404)
    assert world.rec1.closed_on == dt.date(2026, 6, 15)


def test_correcting_an_assessment_starts_from_what_was_recorded(client, world):
    """An auditor back to mend a typo in last round's comment finds the status and the
    comment as recorded, not an empty form that would wipe the comment; each recorded
    assessment links to the form opened for its round."""
    AuditorAssessment.objects.create(
        recommendation=world.rec1,
        round=world.round1,
        status=Status.IN_PROGRESS,
        comment="Riskanalysen är inte klar.",
        assessed_on=dt.date(2026, 3, 1),
    )
    client.force_login(world.auditor)
    url = reverse("auditors:assess", args=[world.rec1.pk])

    listed = client.get(url, {"omgang": world.round2.pk})
    assert f'href="?omgang={world.round1.pk}#answers-heading">Ändra' in listed.text
    assert listed.context["form"]["status"].value() is None  # round 2 is not assessed yet

    opened = client.get(url, {"omgang": world.round1.pk})
    form = opened.context["form"]
    assert form["status"].value() == Status.IN_PROGRESS
    assert form["comment"].value() == "Riskanalysen är inte klar."
    assert '<option value="in_progress" selected>' in opened.text
    assert "Riskanalysen är inte klar.</textarea>" in opened.text


def test_a_response_handed_in_opens_from_the_attention_view_on_its_page_not_the_staffs_preview(
    client, world
):
    """The auditor reads the answer on the response's own page, linked as every page
    links a response (``response_link``), not on the board staff's preview, which told
    them how the public would see it once published."""
    from django.template import Context

    from responses.templatetags.response_tags import response_link

    submitted, _overdue, _late = add_attention_material(world)
    client.force_login(world.auditor)

    page = client.get(reverse("auditors:attention")).text

    assert str(response_link(Context(), submitted)) in page
    assert reverse("responses:response_preview", args=[submitted.pk]) not in page
    assert client.get(submitted.get_absolute_url()).status_code == 200


def test_a_missing_response_leads_to_the_board_to_chase_and_the_audit_it_owes(client, world):
    """A board late with its response is a link to the board's page, and its audit to
    the audit's page: the auditor goes on from *Att granska* instead of searching."""
    _submitted, _overdue, late_round = add_attention_material(world)
    client.force_login(world.auditor)

    page = client.get(reverse("auditors:attention")).text
    missing = page.split('id="missing-heading"', 1)[1].split("</section>", 1)[0]

    for board in (world.board_a, world.board_b):
        assert f'<a href="{board.get_absolute_url()}">{board.name}</a>' in missing
    assert f'<a href="{late_round.audit.get_absolute_url()}">' in missing


def test_the_assessment_form_assesses_the_round_it_shows_and_a_chooser_opens_another(client, world):
    """The form names the round it assesses and sends it hidden, so round 1's comment
    held in it cannot be saved to round 2 by changing a select; another round is opened
    with the chooser, which shows that round's answers and its own (empty) assessment."""
    AuditorAssessment.objects.create(
        recommendation=world.rec1,
        round=world.round1,
        status=Status.IN_PROGRESS,
        comment="Gäller omgång 1.",
        assessed_on=dt.date(2019, 10, 1),
    )
    client.force_login(world.auditor)
    url = reverse("auditors:assess", args=[world.rec1.pk])

    first = client.get(url, {"omgang": world.round1.pk})
    assert first.context["form"].chosen_round == world.round1
    assert f'<input type="hidden" name="round" value="{world.round1.pk}"' in first.text
    assert '<select name="round"' not in first.text
    assert '<select name="omgang"' in first.text and "Visa omgången" in first.text

    second = client.get(url, {"omgang": world.round2.pk})
    assert second.context["form"].chosen_round == world.round2
    assert second.context["form"]["comment"].value() in (None, "")
    assert "Gäller omgång 1." not in second.text.split('id="assess-heading"', 1)[1]


def test_a_weekly_reader_picks_the_last_week_in_one_click(client, world):
    """Att granska offers the last week, thirty and ninety days as links beside the date
    field, the one the page counts from marked as current, so the weekly visit needs no
    date typed."""
    client.force_login(world.auditor)
    url = reverse("auditors:attention")
    week_ago = (timezone.localdate() - dt.timedelta(days=7)).isoformat()

    page = client.get(url).text
    assert f'<a href="?since={week_ago}">senaste veckan</a>' in page
    ninety = (timezone.localdate() - dt.timedelta(days=90)).isoformat()
    assert f'<a href="?since={ninety}" aria-current="true">senaste 90 dagarna</a>' in page

    week = client.get(url, {"since": week_ago})
    assert week.context["since"] == timezone.localdate() - dt.timedelta(days=7)
    assert f'<a href="?since={week_ago}" aria-current="true">senaste veckan</a>' in week.text


def test_a_recommendation_with_no_answer_yet_is_assessed_with_one_round_select(client, world):
    """With no answer to show, the form asks for the round itself, empty; the page does
    not offer a second select of rounds beside it."""
    unanswered = make_recommendation(
        world.audit, position=9, addressed_to=[world.board_a], answered_by=[world.board_a]
    )
    client.force_login(world.auditor)

    page = client.get(reverse("auditors:assess", args=[unanswered.pk]))

    assert page.context["form"].chosen_round is None
    assert page.text.count("<select") == 2  # the round and the assessment
    assert '<select name="round"' in page.text and 'name="omgang"' not in page.text


def test_att_granska_lists_whom_the_open_rounds_still_wait_for(client, world):
    draft = Response.objects.create(board=world.board_a, round=world.round2, title="Utkast")
    client.force_login(world.auditor)
    url = reverse("auditors:attention")

    awaited = [(item.round, item.board) for item in client.get(url).context["awaited"]]
    assert awaited == [(world.round2, world.board_a), (world.round2, world.board_b)]

    hand_in(draft)
    awaited = [(item.round, item.board) for item in client.get(url).context["awaited"]]
    assert awaited == [(world.round2, world.board_b)]


def test_a_round_past_its_deadline_is_missing_not_awaited_and_a_closed_one_is_neither(
    client, world
):
    world.round2.deadline = FuzzyDate.parse("2020-09-30")
    world.round2.save()
    client.force_login(world.auditor)
    page = client.get(reverse("auditors:attention"))
    assert page.context["awaited"] == []
    assert "Ingen öppen omgång väntar på svar." in page.text
    assert {item.board for item in page.context["missing"]} == {world.board_a, world.board_b}

    world.round2.deadline = FuzzyDate.parse("2099-09-30")
    world.round2.is_open = False
    world.round2.save()
    assert client.get(reverse("auditors:attention")).context["awaited"] == []


def test_att_granska_awaits_only_the_auditors_own_municipalitys_rounds(client, world):
    make_town("Lund", "lund", "LKS", "lund")
    client.force_login(world.auditor)
    awaited = client.get(reverse("auditors:attention")).context["awaited"]
    assert {item.round.audit.municipality for item in awaited} == {world.municipality}


def test_att_granska_tells_a_new_auditor_where_to_ask_the_boards_for_a_follow_up(client, world):
    """Asking for a follow-up lives on each audit's page; Att granska, where an auditor
    lands, says so and leads to the start page's audits (and names them in its tables)."""
    client.force_login(world.auditor)
    page = client.get(reverse("auditors:attention"))
    lead = page.text.split('class="lead no-print">', 1)[1].split("</p>", 1)[0]
    assert "<strong>Begär uppföljning</strong> på granskningens sida" in lead
    home_url = reverse("municipal:home", args=[world.municipality.slug])
    assert f'href="{home_url}#per-granskning-heading">startsidans granskningar</a>' in lead

    home = client.get(home_url)
    assert 'id="per-granskning-heading"' in home.text
    assert f'href="{world.audit.get_absolute_url()}"' in home.text
    audit_page = client.get(world.audit.get_absolute_url()).text
    assert reverse("auditors:request_follow_up", args=[world.audit.pk]) in audit_page


def test_att_granska_leads_an_auditor_to_their_own_municipalitys_audits_not_the_national_page(
    client, world
):
    """With several municipalities ``/`` is the national page, which lists no audits: an
    auditor of Lund is led to Lund's start page, a superuser (of every municipality) to
    ``/``, where they choose one."""
    lund, *_rest = make_town("Lund", "lund", "LKS", "lund")
    lund_auditor = make_user(groups=[AUDITOR_GROUP], municipality=lund)
    link = 'href="{}#per-granskning-heading">startsidans granskningar</a>'

    client.force_login(lund_auditor)
    page = client.get(reverse("auditors:attention")).text
    lund_home = reverse("municipal:home", args=["lund"])
    assert link.format(lund_home) in page
    assert 'id="per-granskning-heading"' in client.get(lund_home).text

    client.force_login(make_user(superuser=True))
    assert link.format("/") in client.get(reverse("auditors:attention")).text


def test_att_granska_says_where_to_ask_for_a_follow_up_in_english_too(client, world):
    client.force_login(world.auditor)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("auditors:attention"))
    assert "Choose <strong>Request a follow-up</strong> on the audit" in page.text
    assert "startsidans" not in page.text


def test_the_assessment_page_flags_a_reported_measure_overdue_today_in_words(client, world):
    """Beside the answer's report on a measure, the page says how late the measure is
    today (Measure.days_overdue, as the recommendation page's measures table says it),
    with a symbol and words; a measure done is not flagged."""
    from auditfollowup.lib.number_tags import grouped_number
    from responses.models import MeasureUpdate

    Measure.objects.filter(pk=world.open_measure.pk).update(due_date=dt.date(2021, 3, 1))
    entry = world.open_measure.updates.get().entry
    MeasureUpdate.objects.create(measure=world.done_measure, entry=entry, status=Status.IMPLEMENTED)
    world.open_measure.refresh_from_db()
    days = world.open_measure.days_overdue(timezone.localdate(), under=world.rec1)
    client.force_login(world.auditor)

    page = client.get(reverse("auditors:assess", args=[world.rec1.pk]), {"omgang": world.round1.pk})

    answers = page.text.split('id="answers-heading"', 1)[1].split('id="assess-heading"', 1)[0]
    rows = answers.split('<tr role="row">')[2:]
    (late,) = [row for row in rows if world.open_measure.title in row]
    (done,) = [row for row in rows if world.done_measure.title in row]
    assert '<span aria-hidden="true">⚠</span>' in late
    since = '(sedan <time datetime="2021-03-31">2021-03-31</time>)'
    assert f"Försenad {grouped_number(days)} dagar {since}" in late
    assert "Försenad" not in done
