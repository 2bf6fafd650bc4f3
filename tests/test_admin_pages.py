"""Every admin list, add and change page opens for an administrator."""

import datetime as dt

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from auditfollowup.lib.dates import FuzzyDate
from recommendations.models import Audit, Recommendation
from recommendations.status import Status
from responses.models import DueDateChange, Measure, MeasureUpdate, Response

from .factories import (
    admin_page_data,
    make_assessment,
    make_audit,
    make_entry,
    make_measure,
    make_measure_update,
    make_recommendation,
    make_response,
    make_round,
    save_edit_page,
)

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"recommendations", "responses"}
PROJECT_MODELS = [model for model in admin.site._registry if model._meta.app_label in PROJECT_APPS]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda m: m._meta.label)
def test_the_list_add_and_change_pages_open(admin_client, minimal_data, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "add")).status_code == 200
    obj = model._default_manager.first()
    if obj is not None:
        assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200


def test_every_model_of_the_domain_is_in_the_admin():
    registered = {m._meta.model_name for m in PROJECT_MODELS}

    assert registered >= {
        "municipality",
        "board",
        "sourcedocument",
        "audit",
        "followupround",
        "recommendation",
        "auditorassessment",
        "response",
        "responseentry",
        "measure",
        "measureupdate",
        "duedatechange",
    }


def test_the_admin_search_finds_a_recommendation_by_its_wording(admin_client, minimal_data):
    page = admin_client.get(admin_url(Recommendation, "changelist"), {"q": "ansvarsfördelningen"})

    assert "1 rekommendation" in page.content.decode()


def test_the_admin_change_history_page_opens(admin_client, minimal_data):
    url = admin_url(Recommendation, "history", 9001)

    assert admin_client.get(url).status_code == 200


def test_the_admin_is_closed_to_anonymous_visitors(client):
    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_measure_update_inline_has_the_reported_dates_and_effect(client, world):
    client.force_login(world.admin)
    entry = world.published_a.entries.get(recommendation=world.rec1)
    page = client.get(admin_url(entry.__class__, "change", entry.pk)).text
    for field in ("due_date", "due_precision", "completed_date", "completed_precision", "effect"):
        assert f'name="measure_updates-0-{field}"' in page, field


def test_the_change_page_of_a_response_with_a_decision_document_opens(
    admin_client, minimal_data, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    response = Response.objects.get(pk=9001)
    response.decision_document.save("beslut.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))

    page = admin_client.get(admin_url(Response, "change", response.pk))

    assert page.status_code == 200
    # The link goes through the view that checks who may read the response.
    assert reverse("responses:response_document", args=[response.pk]) in page.text
    assert "beslut" in page.text


@pytest.mark.parametrize(
    "query", [{"state": "\x00"}, {"q": "a\x00b"}, {"board__id__exact": "\x00"}]
)
def test_a_nul_character_in_an_admin_list_filter_is_a_400_not_a_500(
    admin_client, minimal_data, query
):
    page = admin_client.get(admin_url(Response, "changelist"), query)

    assert page.status_code == 400
    assert "Förfrågan kunde inte behandlas" in page.text


def test_an_admin_reopening_a_done_measure_is_asked_to_remove_its_completion_date(client, world):
    client.force_login(world.admin)
    url = admin_url(Measure, "change", world.done_measure.pk)
    data = admin_page_data(client.get(url))
    data["status"] = Status.IN_PROGRESS

    page = client.post(url, data)

    assert page.status_code == 200
    assert "Bara en genomförd åtgärd har ett datum då den genomfördes" in page.text
    world.done_measure.refresh_from_db()
    assert world.done_measure.status == Status.IMPLEMENTED
    data["completed"] = ""
    assert client.post(url, data).status_code == 302
    world.done_measure.refresh_from_db()
    assert (world.done_measure.status, world.done_measure.completed) == (Status.IN_PROGRESS, None)


def test_an_admin_marking_a_measure_done_without_its_date_is_told_beside_the_field(client, world):
    """The model names the stored pair (completed_date); the admin form edits it as one
    typed field (completed), where the message is shown: not a server error. (A measure
    no answer has reported on: one that has is marked done through its report,
    ``Measure.fields_its_answers_decide``.)"""
    MeasureUpdate.objects.filter(measure=world.open_measure).delete()
    client.force_login(world.admin)
    url = admin_url(Measure, "change", world.open_measure.pk)
    data = admin_page_data(client.get(url))
    data["status"] = Status.IMPLEMENTED

    page = client.post(url, data)

    assert page.status_code == 200
    assert page.context["adminform"].form.errors["completed"] == ["Ange när åtgärden genomfördes."]


def test_an_admin_refused_a_measures_status_is_told_which_responses_report_to_correct(
    client, world
):
    """The status comes from the measure's latest published report, one of several
    listed under the measure: the message names the response it was given in, so the
    admin finds the report to correct among them."""
    report = MeasureUpdate.objects.latest_public_of(world.open_measure.pk)
    assert report is not None, "the world's open measure has a published report"
    client.force_login(world.admin)
    url = admin_url(Measure, "change", world.open_measure.pk)
    data = admin_page_data(client.get(url))
    data["status"] = Status.NO_LONGER_RELEVANT

    page = client.post(url, data)

    assert page.status_code == 200
    assert page.context["adminform"].form.errors["status"] == [
        "Kommer från åtgärdens senaste publicerade lägesrapport, i yttrandet "
        f"”{report.entry.response}”: rätta den bland åtgärdens lägesrapporter, "
        "så följer åtgärden med."
    ]


def test_the_measure_lists_filter_by_how_exact_the_due_date_is_says_so(client, world):
    """It was titled by the stored field's name alone, 'På precision' (dag, månad, …),
    which said nothing of which date."""
    client.force_login(world.admin)

    page = client.get(admin_url(Measure, "changelist"))

    titles = [str(spec.title) for spec in page.context["cl"].filter_specs]
    assert "slutdatumets precision" in titles
    assert "precision" not in titles


def test_an_admin_cannot_close_a_recommendation_on_a_day_to_come(client, world):
    """The auditors' form refuses it, and so does the admin: the rule is the model's."""
    client.force_login(world.admin)
    url = admin_url(Recommendation, "change", world.rec1.pk)
    data = admin_page_data(client.get(url))
    data.update(closed_on="2099-01-01", closed_reason="Ersatt.")

    page = client.post(url, data)

    assert page.status_code == 200
    assert page.context["adminform"].form.errors["closed_on"] == [
        "Datumet kan inte ligga i framtiden."
    ]


def test_an_admin_adds_a_report_on_the_measures_own_page(client, world, draft):
    """A report names the answer it was given in; adding one here was a server error."""
    client.force_login(world.admin)
    url = admin_url(Measure, "change", world.open_measure.pk)
    data = admin_page_data(client.get(url))
    entry = draft.entries.create(recommendation=world.rec1, status=Status.IN_PROGRESS)
    row = int(data["updates-TOTAL_FORMS"])
    data.update(
        {
            "updates-TOTAL_FORMS": row + 1,
            f"updates-{row}-entry": entry.pk,
            f"updates-{row}-status": Status.IN_PROGRESS,
            f"updates-{row}-note": "Rättat i efterhand.",
            # The date pairs as the page's blank row sends them (a precision is chosen).
            f"updates-{row}-due_precision": data["updates-0-due_precision"],
            f"updates-{row}-completed_precision": data["updates-0-completed_precision"],
        }
    )

    assert client.post(url, data).status_code == 302
    assert world.open_measure.updates.filter(entry=entry, note="Rättat i efterhand.").exists()


def test_moving_a_reported_measure_to_a_recommendation_its_reports_do_not_concern_is_explained(
    client, world
):
    client.force_login(world.admin)
    url = admin_url(Measure, "change", world.open_measure.pk)
    data = admin_page_data(client.get(url))
    data["recommendation"] = world.rec2.pk

    page = client.post(url, data)

    assert page.status_code == 200
    assert "Svaret gäller en annan rekommendation än åtgärden." in page.text


def _answered_draft(client, world, draft):
    """The draft answers both recommendations and reports the open measure done."""
    prefix = f"measure-{world.open_measure.pk}"
    save_edit_page(
        client,
        world.staff_a,
        draft,
        **{
            f"rec-{world.rec1.pk}-status": Status.IMPLEMENTED,
            f"rec-{world.rec2.pk}-status": Status.IN_PROGRESS,
            f"{prefix}-status": Status.IMPLEMENTED,
            f"{prefix}-completed": "oktober 2021",
        },
    )


def test_an_admin_publishing_a_response_publishes_what_it_reports_on_its_measures(
    client, world, draft
):
    """Setting the state to published in the admin is publishing: the measures take the
    response's reports, and the response gets its day of publication."""
    _answered_draft(client, world, draft)
    client.force_login(world.admin)
    url = admin_url(Response, "change", draft.pk)
    data = admin_page_data(client.get(url))
    data["state"] = Response.State.PUBLISHED

    assert client.post(url, data).status_code == 302

    draft.refresh_from_db()
    world.open_measure.refresh_from_db()
    assert draft.state == Response.State.PUBLISHED and draft.published_at is not None
    assert (world.open_measure.status, str(world.open_measure.completed)) == (
        Status.IMPLEMENTED,
        "oktober 2021",
    )


def test_an_admin_cannot_publish_a_response_that_lacks_an_answer(client, world, draft):
    client.force_login(world.admin)
    url = admin_url(Response, "change", draft.pk)
    data = admin_page_data(client.get(url))
    data["state"] = Response.State.PUBLISHED

    page = client.post(url, data)

    assert page.status_code == 200
    assert page.context["adminform"].form.errors["state"] == [
        "Spara ett svar på varje rekommendation innan yttrandet publiceras."
    ]
    draft.refresh_from_db()
    assert draft.state == Response.State.DRAFT


def test_an_admin_cannot_publish_a_measure_done_after_the_day_the_board_decided(
    client, world, draft
):
    """The admin asks what the publish page asks: a board cannot have decided on a measure
    done after the day it decided."""
    _answered_draft(client, world, draft)
    client.force_login(world.admin)
    url = admin_url(Response, "change", draft.pk)
    data = admin_page_data(client.get(url))
    data.update(state=Response.State.PUBLISHED, decision_date="2021-09-30")

    page = client.post(url, data)

    assert page.status_code == 200
    [error] = page.context["adminform"].form.errors["decision_date"]
    assert "rapporteras genomförd oktober 2021, efter beslutsdatumet 2021-09-30" in error
    draft.refresh_from_db()
    world.open_measure.refresh_from_db()
    assert draft.state == Response.State.DRAFT
    assert world.open_measure.status != Status.IMPLEMENTED


def test_an_admin_cannot_set_a_published_response_back_to_a_draft(client, world):
    """Its reports are on the measures and the public has read it: hiding it again would
    leave what it reported on public pages with no answer saying it."""
    client.force_login(world.admin)
    url = admin_url(Response, "change", world.published_a.pk)
    data = admin_page_data(client.get(url))
    data["state"] = Response.State.DRAFT

    page = client.post(url, data)

    assert page.status_code == 200
    [error] = page.context["adminform"].form.errors["state"]
    assert error.startswith("Ett publicerat yttrande kan inte bli utkast")
    world.published_a.refresh_from_db()
    assert world.published_a.state == Response.State.PUBLISHED


def _report(world, measure):
    return MeasureUpdate.objects.get(measure=measure, entry__response=world.published_a)


def _correct_report_status(client, world, report, status):
    """An admin sets the report's status on its own admin page; the page's answer."""
    client.force_login(world.admin)
    url = admin_url(MeasureUpdate, "change", report.pk)
    data = admin_page_data(client.get(url))
    data["status"] = status
    return client.post(url, data)


def test_correcting_a_measures_latest_published_report_in_the_admin_corrects_the_measure(
    client, world
):
    """Publishing passed the report on to the measure; so does an admin's correction of
    it: the public pages then agree with the corrected answer."""
    report = _report(world, world.open_measure)

    assert _correct_report_status(client, world, report, Status.IN_PROGRESS).status_code == 302

    world.open_measure.refresh_from_db()
    assert world.open_measure.status == Status.IN_PROGRESS
    assert world.open_measure.history.first().status == Status.IN_PROGRESS


def test_a_correction_that_would_make_a_measure_done_asks_when(client, world):
    report = _report(world, world.open_measure)

    page = _correct_report_status(client, world, report, Status.IMPLEMENTED)

    assert page.status_code == 200
    [error] = page.context["adminform"].form.errors["completed"]
    assert error.startswith("Ange när åtgärden genomfördes")
    world.open_measure.refresh_from_db()
    assert world.open_measure.status == Status.PLANNED


def _publish_round_two(client, world, draft):
    """Round 2's answer, published by the board, reports the open measure done."""
    _answered_draft(client, world, draft)
    client.force_login(world.staff_a)
    draft.refresh_from_db()
    published = client.post(
        reverse("responses:response_publish", args=[draft.pk]),
        {"version": draft.version, "decision_date": "2021-11-01", "diary_number": "D-1"},
    )
    assert published.status_code == 302
    world.open_measure.refresh_from_db()
    assert world.open_measure.status == Status.IMPLEMENTED


def test_correcting_an_earlier_report_leaves_the_measure_as_the_later_one_says(
    client, world, draft
):
    _publish_round_two(client, world, draft)
    report = _report(world, world.open_measure)  # the 2019 report, round 1

    assert _correct_report_status(client, world, report, Status.IN_PROGRESS).status_code == 302

    world.open_measure.refresh_from_db()
    assert world.open_measure.status == Status.IMPLEMENTED


def test_a_correction_made_under_the_measure_itself_reaches_it_too(client, world):
    """The measure's page lists its reports (inline): correcting the latest there is the
    same correction."""
    report = _report(world, world.open_measure)
    client.force_login(world.admin)
    url = admin_url(Measure, "change", world.open_measure.pk)
    data = admin_page_data(client.get(url))
    assert data["updates-0-id"] == report.pk  # its one report
    data["updates-0-status"] = Status.IN_PROGRESS

    assert client.post(url, data).status_code == 302

    world.open_measure.refresh_from_db()
    assert world.open_measure.status == Status.IN_PROGRESS


def test_adding_a_later_report_that_would_make_a_measure_done_asks_when(client, world):
    """A report added to a later published answer will be the measure's latest: the form
    asks for the day it was done, rather than failing once saved."""
    from .factories import make_entry, make_response

    later = make_response(board=world.board_a, round=world.round2)
    entry = make_entry(later, world.rec1)
    client.force_login(world.admin)
    url = admin_url(MeasureUpdate, "add")
    data = admin_page_data(client.get(url))
    data.update(measure=world.open_measure.pk, entry=entry.pk, status=Status.IMPLEMENTED)

    page = client.post(url, data)

    assert page.status_code == 200
    [error] = page.context["adminform"].form.errors["completed"]
    assert error.startswith("Ange när åtgärden genomfördes")
    data["completed"] = "oktober 2026"
    assert client.post(url, data).status_code == 302
    world.open_measure.refresh_from_db()
    assert (world.open_measure.status, str(world.open_measure.completed)) == (
        Status.IMPLEMENTED,
        "oktober 2026",
    )


def _assert_measure_says_the_2019_report(world):
    earlier = _report(world, world.open_measure)
    world.open_measure.refresh_from_db()
    assert world.open_measure.status == earlier.status != Status.IMPLEMENTED
    assert world.open_measure.completed is None


def test_deleting_a_measures_latest_report_returns_it_to_the_report_before(client, world, draft):
    """The public pages then read what the remaining latest answer says, not a status
    nobody states any more."""
    _publish_round_two(client, world, draft)
    later = MeasureUpdate.objects.get(measure=world.open_measure, entry__response=draft)
    client.force_login(world.admin)

    deleted = client.post(admin_url(MeasureUpdate, "delete", later.pk), {"post": "yes"})

    assert deleted.status_code == 302
    _assert_measure_says_the_2019_report(world)


def test_deleting_the_latest_published_answer_returns_its_measures_to_the_answer_before(
    client, world, draft
):
    _publish_round_two(client, world, draft)
    client.force_login(world.admin)

    deleted = client.post(admin_url(Response, "delete", draft.pk), {"post": "yes"})

    assert deleted.status_code == 302
    assert not Response.objects.filter(pk=draft.pk).exists()
    _assert_measure_says_the_2019_report(world)


def test_deleting_an_earlier_report_leaves_the_measure_as_the_later_one_says(client, world, draft):
    _publish_round_two(client, world, draft)
    client.force_login(world.admin)

    deleted = client.post(
        admin_url(MeasureUpdate, "delete", _report(world, world.open_measure).pk), {"post": "yes"}
    )

    assert deleted.status_code == 302
    world.open_measure.refresh_from_db()
    assert world.open_measure.status == Status.IMPLEMENTED


def test_deleting_a_measure_with_its_reports_leaves_no_change_of_it_in_its_history(
    client, world, draft
):
    _publish_round_two(client, world, draft)
    measure = world.open_measure
    versions_before = measure.history.count()
    client.force_login(world.admin)

    assert client.post(admin_url(Measure, "delete", measure.pk), {"post": "yes"}).status_code == 302

    # Only the deletion was recorded: the measure was not re-derived on its way out.
    assert Measure.history.filter(id=measure.pk).count() == versions_before + 1


def _moved_measure():
    """A measure due in June 2020 after its 2020 answer moved it from March."""
    from tests.factories import make_tracked_audit

    world = make_tracked_audit(n_recommendations=1)
    measure = Measure.objects.get(recommendation=world.recommendations[0])
    assert measure.due == FuzzyDate.parse("2020-06")
    return measure, measure.due_date_changes.get()


def test_correcting_a_moved_due_date_in_the_admin_moves_the_measure(admin_client):
    measure, move = _moved_measure()
    url = admin_url(DueDateChange, "change", move.pk)
    data = admin_page_data(admin_client.get(url))
    data["new"] = "2020-09"

    assert admin_client.post(url, data).status_code == 302

    measure.refresh_from_db()
    assert measure.due == FuzzyDate.parse("2020-09")


def test_deleting_the_only_move_returns_the_measure_to_the_date_it_moved_from(admin_client):
    measure, move = _moved_measure()

    deleted = admin_client.post(admin_url(DueDateChange, "delete", move.pk), {"post": "yes"})

    assert deleted.status_code == 302
    measure.refresh_from_db()
    assert measure.due == FuzzyDate.parse("2020-03")


def _measure_as_2020_says():
    """A measure reported planned in 2019's answer and in progress in 2020's, as it says."""
    from tests.factories import make_tracked_audit

    world = make_tracked_audit(n_recommendations=1)
    measure = Measure.objects.get(recommendation=world.recommendations[0])
    measure.status = Status.IN_PROGRESS
    measure.save()
    return world, measure


def test_renumbering_the_rounds_in_the_admin_gives_the_measure_its_new_latest_report(
    admin_client,
):
    world, measure = _measure_as_2020_says()
    first = world.rounds[0]
    # On the round's own page: the audit's page shows its stored rounds read-only.
    url = admin_url(type(first), "change", first.pk)
    data = admin_page_data(admin_client.get(url))
    data["sequence"] = 3  # 2019's round was really the later one

    assert admin_client.post(url, data).status_code == 302

    measure.refresh_from_db()
    assert measure.status == Status.PLANNED


def test_moving_a_published_answer_to_a_later_round_gives_the_measure_its_report(admin_client):
    world, measure = _measure_as_2020_says()
    r2019 = world.responses[0]
    later = make_round(world.audit, sequence=3)
    r2019.round = later
    r2019.save()

    measure.refresh_from_db()
    assert measure.status == Status.PLANNED


def test_deleting_every_move_returns_the_measure_to_its_first_date(admin_client):
    from tests.factories import make_due_date_change

    measure, _move = _moved_measure()  # 2020-03 -> 2020-06
    make_due_date_change(measure, previous="2020-06", new="2020-12")
    measure.refresh_from_db()
    assert measure.due == FuzzyDate.parse("2020-12")

    DueDateChange.objects.filter(measure=measure).delete()  # the list's "delete selected"

    measure.refresh_from_db()
    assert measure.due == FuzzyDate.parse("2020-03")


def test_a_move_added_in_the_admin_leaves_what_earlier_answers_showed(admin_client):
    measure, _move = _moved_measure()
    report_2019 = measure.updates.get(entry__response__round__sequence=1)
    assert report_2019.reported_due == FuzzyDate.parse("2020-06")
    url = admin_url(DueDateChange, "add")
    data = admin_page_data(admin_client.get(url))
    data.update(
        measure=measure.pk,
        previous="2020-06",
        new="2021-12",
        reason="Upphandlingen gjordes om.",
        # Recorded now: after the 2020 answer's move, which it corrects.
        changed_at=(timezone.localtime() + dt.timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M"),
    )

    added = admin_client.post(url, data)
    assert added.status_code == 302, added.context["adminform"].form.errors

    measure.refresh_from_db()
    report_2019.refresh_from_db()
    assert measure.due == FuzzyDate.parse("2021-12")
    assert report_2019.reported_due == FuzzyDate.parse("2020-06")


def test_an_earlier_rounds_move_published_late_moves_nothing(admin_client):
    """Its answer is not the latest, so neither is its move: re-saving it later (a typo in
    its reason corrected) leaves the measure as the later answer says."""
    from responses import services
    from tests.factories import make_due_date_change, make_entry, make_response

    measure, _move = _moved_measure()
    world_audit = measure.recommendation.audit
    paper = make_response(
        board=measure.board, round=make_round(world_audit, sequence=0), state=Response.State.DRAFT
    )
    entry = make_entry(paper, measure.recommendation)
    late = make_due_date_change(measure, previous="2020-06", new="2021-12", entry=entry)
    services.publish_response(
        response=paper,
        expected_version=paper.version,
        user=None,
        decision_date=dt.date(2019, 3, 1),
        diary_number="ASN-2019-2",
    )
    late.reason = "Försenad upphandling."
    late.save()

    measure.refresh_from_db()
    assert measure.due == FuzzyDate.parse("2020-06")


def _tracked_with_draft():
    """A measure as 2020's answer says (in progress, moved to June 2020), and a draft for
    round 3 answering the same recommendation."""
    from tests.factories import make_tracked_audit

    world = make_tracked_audit(n_recommendations=1, with_draft=True)
    measure = Measure.objects.get(recommendation=world.recommendations[0])
    measure.status = Status.IN_PROGRESS
    measure.save()
    draft_entry = world.draft.entries.get()
    return world, measure, draft_entry


def test_moving_the_latest_report_into_a_draft_returns_the_measure_to_the_report_before(
    admin_client,
):
    """The draft is not public: the measure says what its latest public report says."""
    world, measure, draft_entry = _tracked_with_draft()
    report_2020 = measure.updates.get(entry__response=world.responses[1])
    url = admin_url(MeasureUpdate, "change", report_2020.pk)
    data = admin_page_data(admin_client.get(url))
    data["entry"] = draft_entry.pk

    assert admin_client.post(url, data).status_code == 302

    measure.refresh_from_db()
    assert measure.status == Status.PLANNED  # as 2019's answer says


def test_moving_the_latest_move_into_a_draft_returns_the_measure_to_the_date_before(
    admin_client,
):
    _world, measure, draft_entry = _tracked_with_draft()
    assert measure.due == FuzzyDate.parse("2020-06")
    move = measure.due_date_changes.get()
    url = admin_url(DueDateChange, "change", move.pk)
    data = admin_page_data(admin_client.get(url))
    data["entry"] = draft_entry.pk

    assert admin_client.post(url, data).status_code == 302

    measure.refresh_from_db()
    assert measure.due == FuzzyDate.parse("2020-03")


def _assert_due_as_its_latest_public_move_says(measure):
    measure.refresh_from_db()
    latest = DueDateChange.objects.latest_public_of(measure.pk)
    assert measure.due == latest.new
    return measure.due


def test_renumbering_a_round_that_moved_the_date_gives_the_measure_its_new_latest_move(
    admin_client,
):
    from tests.factories import make_due_date_change, make_entry, make_response

    measure, _move = _moved_measure()  # round 2's answer: 2020-03 -> 2020-06
    audit = measure.recommendation.audit
    third = make_round(audit, sequence=3)
    answer = make_response(board=measure.board, round=third, decision_date=dt.date(2021, 3, 1))
    make_due_date_change(
        measure, previous="2020-06", new="2020-12", entry=make_entry(answer, measure.recommendation)
    )
    assert _assert_due_as_its_latest_public_move_says(measure) == FuzzyDate.parse("2020-12")

    third.sequence = 0  # it was really the first round
    third.save()

    assert _assert_due_as_its_latest_public_move_says(measure) == FuzzyDate.parse("2020-06")


def test_an_answer_published_after_an_admins_move_moves_the_date_last():
    """The draft moved the date before an admin corrected it; published afterwards, the
    draft's move is the latest: it takes effect when its answer is published."""
    from responses import services
    from tests.factories import make_due_date_change

    world, measure, draft_entry = _tracked_with_draft()
    make_due_date_change(measure, previous="2020-06", new="2021-06", entry=draft_entry)
    make_due_date_change(measure, previous="2020-06", new="2020-09")  # the admin's
    assert _assert_due_as_its_latest_public_move_says(measure) == FuzzyDate.parse("2020-09")

    world.draft.refresh_from_db()
    services.publish_response(
        response=world.draft,
        expected_version=world.draft.version,
        user=None,
        decision_date=dt.date(2021, 2, 1),
        diary_number="ASN-2021-3",
    )

    assert _assert_due_as_its_latest_public_move_says(measure) == FuzzyDate.parse("2021-06")


def test_an_earlier_rounds_answer_published_late_moves_a_date_no_later_answer_moved():
    """Round 2's answer reported the measure without moving it; round 1's paper answer,
    published afterwards, moved it. The move is the measure's only one: it is due as
    the move says, and keeps the status round 2's answer gave it."""
    from responses import services
    from tests.factories import (
        make_audit,
        make_board,
        make_due_date_change,
        make_entry,
        make_measure,
        make_measure_update,
        make_recommendation,
        make_response,
    )

    board = make_board(short_code="ASN")
    audit = make_audit(boards=[board])
    rec = make_recommendation(audit, addressed_to=[board])
    first, second = make_round(audit, sequence=1), make_round(audit, sequence=2)
    later = make_entry(
        make_response(board=board, round=second, decision_date=dt.date(2024, 5, 1)), rec
    )
    measure = make_measure(rec, board=board, due="2025", status=Status.IN_PROGRESS)
    make_measure_update(measure, later, status=Status.IN_PROGRESS)
    paper = make_response(board=board, round=first, state=Response.State.DRAFT)
    earlier = make_entry(paper, rec)
    make_measure_update(measure, earlier, status=Status.PLANNED)
    make_due_date_change(measure, previous="2025", new="2026", entry=earlier)

    services.publish_response(
        response=paper,
        expected_version=paper.version,
        user=None,
        decision_date=dt.date(2024, 2, 1),
        diary_number="ASN-2024-1",
    )

    assert _assert_due_as_its_latest_public_move_says(measure) == FuzzyDate.parse("2026")
    assert measure.status == Status.IN_PROGRESS


def test_an_audits_page_asks_as_many_queries_for_many_recommendations_as_for_few(
    client, world, django_assert_max_num_queries
):
    # Each recommendation's two board lists and each round's were read once per row.
    client.force_login(world.admin)
    url = admin_url(Audit, "change", world.audit.pk)
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    for position in range(4, 10):
        make_recommendation(world.audit, position=position, addressed_to=[world.board_b])
    make_round(world.audit)

    with django_assert_max_num_queries(len(few)):
        page = client.get(url)

    assert 'name="recommendations-8-addressed_to"' in page.text
    board_b = f'<option value="{world.board_b.pk}" selected>Servicenämnden</option>'
    assert board_b in page.text.replace("\n", "")


def _more_rows(world, page):
    """Five more rows under the object of ``page``: answers, measures or reports."""
    entry1 = world.published_a.entries.get(recommendation=world.rec1)
    for position in range(4, 9):
        recommendation = make_recommendation(
            world.audit, position=position, addressed_to=[world.board_a]
        )
        if page == "response":
            make_entry(world.published_a, recommendation)
        elif page == "recommendation":  # its measures, and its assessments in more rounds
            make_measure(world.rec1, board=world.board_a, announced_in=entry1)
            make_assessment(world.rec1, make_round(world.audit))
        else:  # a measure's reports, each in an answer of its own round
            follow_up = make_round(world.audit)
            answer = make_response(board=world.board_a, round=follow_up)
            make_measure_update(world.open_measure, make_entry(answer, world.rec1))


@pytest.mark.parametrize("page", ["response", "recommendation", "measure"])
def test_a_change_page_asks_as_many_queries_for_many_inline_rows_as_for_few(
    client, world, page, django_assert_max_num_queries
):
    # Each row's raw-id input looked its object up twice, and named it with more queries.
    client.force_login(world.admin)
    obj = {
        "response": world.published_a,
        "recommendation": world.rec1,
        "measure": world.open_measure,
    }[page]
    url = admin_url(type(obj), "change", obj.pk)
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    _more_rows(world, page)

    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("model", ["audit", "recommendation", "response"])
def test_the_page_before_a_deletion_names_the_links_it_takes_along(client, world, model):
    # Django named each link as a row of its join table: "Recommendation_addressed_to
    # object (37)", under "Recommendation-board relationer".
    client.force_login(world.admin)
    audit = make_audit(municipality=world.municipality, boards=[world.board_b])
    recommendation = make_recommendation(audit, addressed_to=[world.board_b])
    draft = make_response(board=world.board_a, round=world.round2, state=Response.State.DRAFT)
    make_entry(draft, world.rec1).references.add(world.rec2)
    obj = {"audit": audit, "recommendation": recommendation, "response": draft}[model]

    page = client.get(admin_url(type(obj), "delete", obj.pk)).text

    assert "Är du säker" in page
    assert " object (" not in page and "relation" not in page
    if model == "response":
        assert "Rekommendation 2" in page
    else:
        assert "Riktad till: Servicenämnden" in page
