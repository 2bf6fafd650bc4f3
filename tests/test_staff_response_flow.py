"""Board staff log a response: start, edit on one page, save a draft, preview, publish."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from auditfollowup.lib.dates import FuzzyDate, Precision
from recommendations.models import FollowUpRound, Recommendation
from recommendations.roles import STAFF_GROUP
from recommendations.status import Status
from responses.models import BoardStanding, DueDateChange, Measure, MeasureUpdate, Response

from .factories import (
    PDF_BYTES,
    edit_page_data,
    make_audit,
    make_board,
    make_municipality,
    make_recommendation,
    make_round,
    make_user,
    save_edit_page,
)


def filled(draft, world, **overrides):
    data = edit_page_data(
        draft,
        **{
            f"rec-{world.rec1.pk}-status": Status.IN_PROGRESS,
            f"rec-{world.rec1.pk}-narrative": "Rutinen införs under våren.",
            f"rec-{world.rec2.pk}-status": Status.IMPLEMENTED,
            f"measure-{world.open_measure.pk}-status": Status.IN_PROGRESS,
            f"measure-{world.open_measure.pk}-note": "Pågår i två enheter.",
        },
    )
    data.update(overrides)
    return data


def test_staff_start_a_draft_for_their_board_and_an_open_round(client, world):
    client.force_login(world.staff_a)
    page = client.get(reverse("responses:response_start"))
    assert page.status_code == 200
    assert world.round2.title in page.text
    response = client.post(
        reverse("responses:response_start"),
        {"board": world.board_a.pk, "round": world.round2.pk},
    )
    draft = Response.objects.get(board=world.board_a, round=world.round2)
    assert response.url == reverse("responses:response_edit", args=[draft.pk])
    assert draft.state == Response.State.DRAFT
    assert draft.created_by == world.staff_a


def test_staff_cannot_start_a_response_for_another_board_or_a_closed_round(client, world):
    client.force_login(world.staff_a)
    other_board = client.post(
        reverse("responses:response_start"),
        {"board": world.board_b.pk, "round": world.round2.pk},
    )
    closed_round = client.post(
        reverse("responses:response_start"),
        {"board": world.board_a.pk, "round": world.round1.pk},
    )
    assert other_board.status_code == closed_round.status_code == 400
    assert not Response.objects.filter(round=world.round2).exists()
    assert "Du skriver inte yttranden för den nämnden." in other_board.text
    assert "Omgången är inte längre öppen för yttranden." in closed_round.text
    assert Response.objects.filter(round=world.round1, board=world.board_a).count() == 1


def test_staff_are_offered_only_open_rounds_where_their_board_answers(client, world):
    elsewhere = make_municipality(name="Exempelby kommun", slug="exempelby")
    their_audit = make_audit(
        title="Granskning i Exempelby", boards=[make_board(municipality=elsewhere)]
    )
    make_recommendation(their_audit)
    make_round(their_audit, title="Exempelbys omgång", is_open=True)
    not_ours = make_audit(title="Granskning av en annan nämnd", boards=[world.board_b])
    make_recommendation(not_ours, addressed_to=[world.board_b])
    make_round(not_ours, title="Den andra nämndens omgång", is_open=True)
    client.force_login(world.staff_a)

    page = client.get(reverse("responses:response_start"))

    assert [item.round for item in page.context["owed"]] == [world.round2]
    assert "Exempelbys omgång" not in page.text
    assert "Den andra nämndens omgång" not in page.text
    assert "Påbörja yttrandet" in page.text


def test_staff_are_told_when_no_round_is_open_for_their_boards(client, world):
    world.round2.is_open = False
    world.round2.save()
    client.force_login(world.staff_a)

    page = client.get(reverse("responses:response_start"))

    assert "Ingen uppföljningsomgång är öppen för dina nämnder just nu" in page.text
    assert "Påbörja yttrandet" not in page.text


def test_the_edit_page_lists_every_recommendation_and_carries_over_open_measures(
    client, world, draft
):
    client.force_login(world.staff_a)
    page = client.get(reverse("responses:response_edit", args=[draft.pk]))
    assert page.status_code == 200
    assert "Rekommendation 1" in page.text and "Rekommendation 2" in page.text
    assert "Rekommendation 3" not in page.text  # answered by the other board
    assert world.open_measure.title in page.text
    assert world.done_measure.title not in page.text  # settled in an earlier round
    assert 'value="maj 2026"' in page.text


def _due(measure, day):
    measure.due = FuzzyDate(day, Precision.DAY)
    measure.save()


def _measure_fieldset(page, measure) -> str:
    """The fieldset of ``measure`` on the edit page (its leading one, for a shared measure)."""
    start = page.index(f"<legend>Åtgärd: {measure.title}")
    return page[start : page.index("</fieldset>", start)]


def _overdue_unreported(page: str) -> str:
    if 'id="overdue-unreported-heading"' not in page:
        return ""
    return page.split('id="overdue-unreported-heading"')[1].split("</section>")[0]


def test_handing_in_names_an_overdue_measure_the_draft_says_nothing_new_about(client, world, draft):
    _due(world.open_measure, timezone.localdate() - dt.timedelta(days=40))
    client.force_login(world.staff_a)
    no_word = filled(draft, world, **{f"measure-{world.open_measure.pk}-note": ""})
    client.post(reverse("responses:response_edit", args=[draft.pk]), no_word)

    page = client.get(reverse("responses:response_submit", args=[draft.pk])).text

    note = _overdue_unreported(page)
    assert world.open_measure.title in note
    edit = reverse("responses:response_edit", args=[draft.pk])
    assert f'href="{edit}#id_measure-{world.open_measure.pk}-status"' in note
    assert "Lämna in till revisionen" in page  # a note, not a refusal
    publish = client.get(reverse("responses:response_publish", args=[draft.pk])).text
    assert world.open_measure.title in _overdue_unreported(publish)


@pytest.mark.parametrize(
    "report",
    [
        {"note": "Pågår i två enheter."},
        {"status": Status.IMPLEMENTED, "completed": "2026-01-15", "note": ""},
        {"due": "hösten 2099", "due_reason": "Leverantören är sen.", "note": ""},
    ],
    ids=["a word of how it stands", "reported done", "a new due date"],
)
def test_an_overdue_measure_the_draft_reports_on_is_not_named(client, world, draft, report):
    _due(world.open_measure, timezone.localdate() - dt.timedelta(days=40))
    client.force_login(world.staff_a)
    data = filled(
        draft, world, **{f"measure-{world.open_measure.pk}-{k}": v for k, v in report.items()}
    )
    saved = client.post(reverse("responses:response_edit", args=[draft.pk]), data)
    assert saved.status_code == 302

    for url in ("responses:response_submit", "responses:response_publish"):
        page = client.get(reverse(url, args=[draft.pk])).text
        assert _overdue_unreported(page) == ""


def test_each_recommendation_shows_what_the_board_last_published_on_it(client, world, draft):
    client.force_login(world.staff_a)

    page = client.get(reverse("responses:response_edit", args=[draft.pk])).text

    section = page.split(f'id="rekommendation-{world.rec1.pk}"')[1].split("</details>")[0]
    assert "Nämndens senaste publicerade svar" in section
    assert "Planerad" in section and "omgång 1" in section
    assert "Planerat." in section  # its text, behind the summary
    entry = world.rec1.entries.get(response__state=Response.State.PUBLISHED)
    assert f"{entry.response.get_absolute_url()}#entry-{entry.pk}" in section


def test_a_recommendation_never_answered_shows_no_earlier_answer(client, world, draft):
    world.rec1.entries.all().delete()
    assert not BoardStanding.objects.get(board=world.board_a, recommendation=world.rec1).entry
    client.force_login(world.staff_a)

    page = client.get(reverse("responses:response_edit", args=[draft.pk])).text

    section = page.split(f'id="rekommendation-{world.rec1.pk}"')[1].split("</fieldset>")[0]
    assert "Nämndens senaste publicerade svar" not in section


def test_the_edit_page_marks_an_overdue_measure_as_the_public_pages_do(
    client, world, draft, django_assert_num_queries
):
    """A symbol and the word with how long and since when, never colour alone; the page's
    queries stay the same twelve (``test_edit_page_query_count_does_not_grow_with_measures``)."""
    today = timezone.localdate()
    _due(world.open_measure, today - dt.timedelta(days=10))
    later = Measure.objects.create(
        recommendation=world.rec1, board=world.board_a, title="Ny blankett"
    )
    _due(later, today + dt.timedelta(days=30))
    client.force_login(world.staff_a)

    with django_assert_num_queries(12):
        page = client.get(reverse("responses:response_edit", args=[draft.pk])).text

    ended = (today - dt.timedelta(days=10)).isoformat()
    overdue = _measure_fieldset(page, world.open_measure)
    assert (
        '<strong class="flag-inline flag-overdue"><span aria-hidden="true">⚠</span> '
        f'Försenad 10 dagar (sedan <time datetime="{ended}">{ended}</time>)</strong>'
    ) in overdue
    assert "Försenad" not in _measure_fieldset(page, later)
    assert page.count("Försenad") == 1


def test_the_edit_page_marks_a_shared_measure_overdue_only_under_the_open_recommendations(
    client, world, draft
):
    """The one overdue rule, for the recommendation the measure is shown under
    (``Measure.is_overdue(today, under=...)``): a closed recommendation no longer follows
    its measures up, as on its public page."""
    today = timezone.localdate()
    _due(world.open_measure, today - dt.timedelta(days=1))
    world.open_measure.also_serves.add(world.rec2)
    client.force_login(world.staff_a)
    url = reverse("responses:response_edit", args=[draft.pk])

    page = client.get(url).text

    assert page.count("Försenad 1 dag (sedan") == 2  # in full under rec1, status under rec2
    # Answered before the closing, so rec1 stays on the page (a closed one otherwise goes).
    save_edit_page(client, world.staff_a, draft, **{f"rec-{world.rec1.pk}-status": Status.PLANNED})
    client.force_login(world.staff_a)
    world.rec1.closed_on = today
    world.rec1.closed_reason = "Åtgärdat."
    world.rec1.save()
    page = client.get(url).text
    rec1_section = page[page.index(f'id="rekommendation-{world.rec1.pk}"') :]
    rec2_start = rec1_section.index(f'id="rekommendation-{world.rec2.pk}"')
    assert "Försenad" not in rec1_section[:rec2_start]
    assert "Försenad 1 dag (sedan" in rec1_section[rec2_start:]


def test_one_save_writes_entries_measure_updates_and_new_measures(client, world, draft):
    client.force_login(world.staff_a)
    data = filled(
        draft,
        world,
        **{
            f"new-{world.rec1.pk}-0-title": "Digital uppföljning",
            f"new-{world.rec1.pk}-0-responsible": "IT-enheten",
            f"new-{world.rec1.pk}-0-due": "hösten 2026",
            f"new-{world.rec1.pk}-0-status": Status.PLANNED,
        },
    )
    response = client.post(reverse("responses:response_edit", args=[draft.pk]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.version == 2
    entries = {entry.recommendation_id: entry for entry in draft.entries.all()}
    assert entries[world.rec1.pk].status == Status.IN_PROGRESS
    assert entries[world.rec1.pk].narrative == "Rutinen införs under våren."
    assert entries[world.rec2.pk].status == Status.IMPLEMENTED
    update = MeasureUpdate.objects.get(measure=world.open_measure, entry=entries[world.rec1.pk])
    assert (update.status, update.note) == (Status.IN_PROGRESS, "Pågår i två enheter.")
    new = Measure.objects.get(title="Digital uppföljning")
    assert new.due == FuzzyDate.parse("hösten 2026")
    assert (new.responsible, new.board, new.announced_in) == (
        "IT-enheten",
        world.board_a,
        entries[world.rec1.pk],
    )


@pytest.mark.parametrize("text", ["maj 2026", "hösten 2026", "2026-05-31", "2027"])
def test_new_measures_accept_due_dates_of_real_precision(client, world, draft, text):
    client.force_login(world.staff_a)
    data = filled(
        draft,
        world,
        **{f"new-{world.rec2.pk}-0-title": "Åtgärd", f"new-{world.rec2.pk}-0-due": text},
    )
    client.post(reverse("responses:response_edit", args=[draft.pk]), data)
    assert Measure.objects.get(title="Åtgärd").due == FuzzyDate.parse(text)


def test_invalid_input_is_shown_next_to_the_field_in_swedish_and_nothing_is_saved(
    client, world, draft
):
    client.force_login(world.staff_a)
    data = filled(
        draft,
        world,
        **{
            f"rec-{world.rec2.pk}-status": "",
            f"rec-{world.rec2.pk}-narrative": "Ett svar utan status.",
            f"new-{world.rec1.pk}-0-title": "Åtgärd med fel datum",
            f"new-{world.rec1.pk}-0-due": "snart",
        },
    )
    response = client.post(reverse("responses:response_edit", args=[draft.pk]), data)
    assert response.status_code == 400
    assert "Välj nämndens status, annars kan svaret och åtgärderna under den inte" in (
        response.text
    )
    assert "Skriv ett datum som 2026-05-31, 31 maj 2026, maj 2026" in response.text
    assert f'id="id_new-{world.rec1.pk}-0-due_error"' in response.text
    assert not draft.entries.exists()
    assert not Measure.objects.filter(title="Åtgärd med fel datum").exists()
    draft.refresh_from_db()
    assert draft.version == 1


def test_marking_a_measure_done_requires_the_date_it_was_done(client, world, draft):
    client.force_login(world.staff_a)
    prefix = f"measure-{world.open_measure.pk}"
    data = filled(draft, world, **{f"{prefix}-status": Status.IMPLEMENTED})
    response = client.post(reverse("responses:response_edit", args=[draft.pk]), data)
    assert response.status_code == 400
    assert "Ange när åtgärden genomfördes." in response.text
    data.update({f"{prefix}-completed": "april 2026", f"{prefix}-effect": "Färre avbrott."})
    response = client.post(reverse("responses:response_edit", args=[draft.pk]), data)
    assert response.status_code == 302
    update = MeasureUpdate.objects.get(measure=world.open_measure, entry__response=draft)
    assert update.status == Status.IMPLEMENTED
    assert update.completed == FuzzyDate.parse("april 2026")
    assert update.effect == "Färre avbrott."
    world.open_measure.refresh_from_db()
    assert world.open_measure.status != Status.IMPLEMENTED  # until the response is published


def test_a_measure_not_done_cannot_be_given_the_date_it_was_done(client, world, draft):
    """Public pages would read "Pågående, genomförd april 2026"."""
    client.force_login(world.staff_a)
    prefix = f"measure-{world.open_measure.pk}"
    data = filled(draft, world, **{f"{prefix}-completed": "april 2026"})
    response = client.post(reverse("responses:response_edit", args=[draft.pk]), data)
    assert response.status_code == 400
    assert "Bara en genomförd åtgärd har ett datum då den genomfördes" in response.text
    assert not MeasureUpdate.objects.filter(entry__response=draft).exists()


def test_a_measure_cannot_be_reported_done_in_the_future(client, world, draft):
    client.force_login(world.staff_a)
    prefix = f"measure-{world.open_measure.pk}"
    next_year = str(dt.date.today().year + 1)
    data = filled(
        draft,
        world,
        **{f"{prefix}-status": Status.IMPLEMENTED, f"{prefix}-completed": next_year},
    )
    response = client.post(reverse("responses:response_edit", args=[draft.pk]), data)
    assert response.status_code == 400
    assert "En åtgärd kan inte ha genomförts i framtiden." in response.text
    assert not MeasureUpdate.objects.filter(entry__response=draft).exists()


def test_a_new_measure_given_only_a_status_and_a_date_asks_for_its_title(client, world, draft):
    """Nothing typed is silently dropped: the missing title is said."""
    client.force_login(world.staff_a)
    data = filled(
        draft,
        world,
        **{
            f"new-{world.rec1.pk}-0-status": Status.IMPLEMENTED,
            f"new-{world.rec1.pk}-0-completed": "oktober 2025",
        },
    )
    response = client.post(reverse("responses:response_edit", args=[draft.pk]), data)
    assert response.status_code == 400
    # What to do either way: name the measure, or empty what was typed if none was meant.
    assert (
        "Ny åtgärd: Skriv vad åtgärden är, eller töm de andra fälten under Ny åtgärd om "
        "ingen ny åtgärd ska läggas till."
    ) in response.text
    assert not Measure.objects.filter(announced_in__response=draft).exists()


def test_a_failure_late_in_the_save_leaves_nothing_half_saved(world, draft, monkeypatch):
    """The service is one transaction: a failing measure rolls back the entries too."""
    from django.core.exceptions import ValidationError

    from responses import services

    def fail(*args, **kwargs):
        raise ValidationError("boom")

    monkeypatch.setattr(services, "_update_measure", fail)
    with pytest.raises(ValidationError):
        services.save_response(
            response=draft,
            expected_version=1,
            user=world.staff_a,
            title="Ny rubrik",
            addressed_to="",
            summary="",
            entries=[services.EntryInput(world.rec1, Status.PLANNED, "")],
            measure_updates=[
                services.MeasureInput(
                    world.open_measure, world.rec1, Status.PLANNED, "", None, "", None, ""
                )
            ],
            new_measures=[],
        )
    draft.refresh_from_db()
    assert (draft.title, draft.version) == ("Utkast", 1)
    assert not draft.entries.exists()


def test_moving_a_due_date_without_a_reason_is_refused(client, world, draft):
    client.force_login(world.staff_a)
    prefix = f"measure-{world.open_measure.pk}"
    data = filled(draft, world, **{f"{prefix}-due": "hösten 2026"})
    response = client.post(reverse("responses:response_edit", args=[draft.pk]), data)
    assert response.status_code == 400
    assert "Ange varför slutdatumet ändras (tidigare maj 2026)." in response.text
    assert f'id="id_{prefix}-due_reason_error"' in response.text
    world.open_measure.refresh_from_db()
    assert world.open_measure.due == FuzzyDate.parse("maj 2026")
    assert not DueDateChange.objects.exists()


def test_moving_a_due_date_with_a_reason_records_the_change(client, world, draft):
    client.force_login(world.staff_a)
    prefix = f"measure-{world.open_measure.pk}"
    data = filled(
        draft,
        world,
        **{f"{prefix}-due": "hösten 2026", f"{prefix}-due_reason": "Upphandlingen drog ut."},
    )
    assert client.post(reverse("responses:response_edit", args=[draft.pk]), data).status_code == 302
    change = DueDateChange.objects.get()
    assert (change.previous, change.new) == (
        FuzzyDate.parse("maj 2026"),
        FuzzyDate.parse("hösten 2026"),
    )
    assert (change.reason, change.changed_by) == ("Upphandlingen drog ut.", world.staff_a)
    assert change.entry.response == draft
    world.open_measure.refresh_from_db()
    assert world.open_measure.due == FuzzyDate.parse("maj 2026")  # until published
    again = client.get(reverse("responses:response_edit", args=[draft.pk]))
    assert again.context["page"].sections[0]["measure_forms"][0][1].initial["due"] == (
        FuzzyDate.parse("hösten 2026")
    )
    assert "Upphandlingen drog ut." in again.text
    preview = client.get(reverse("responses:response_preview", args=[draft.pk]))
    assert "flyttat från maj 2026 till hösten 2026: Upphandlingen drog ut." in preview.text


def test_a_draft_can_be_saved_reopened_and_previewed(client, world, draft):
    client.force_login(world.staff_a)
    client.post(reverse("responses:response_edit", args=[draft.pk]), filled(draft, world))
    again = client.get(reverse("responses:response_edit", args=[draft.pk]))
    assert "Rutinen införs under våren." in again.text
    assert "Pågår i två enheter." in again.text
    preview = client.get(reverse("responses:response_preview", args=[draft.pk]))
    assert preview.status_code == 200
    assert "Förhandsgranskning" in preview.text
    assert "◑" in preview.text and "Pågående" in preview.text  # symbol and text, not colour


def test_the_second_of_two_concurrent_saves_is_refused_and_keeps_its_input(client, world, draft):
    colleague = make_user("kollega", groups=[STAFF_GROUP], boards=[world.board_a])
    mine = filled(draft, world, title="Min rubrik")
    theirs = filled(draft, world, title="Kollegans rubrik")  # both loaded version 1
    other = client.__class__()
    other.force_login(colleague)
    assert (
        other.post(reverse("responses:response_edit", args=[draft.pk]), theirs).status_code == 302
    )
    client.force_login(world.staff_a)
    response = client.post(reverse("responses:response_edit", args=[draft.pk]), mine)
    assert response.status_code == 409
    # Two tabs of one's own read as well as a colleague: not only "someone else".
    assert "Yttrandet har sparats av någon annan, eller i en annan flik," in response.text
    assert 'value="Min rubrik"' in response.text  # the input is kept on the page to copy
    draft.refresh_from_db()
    assert (draft.title, draft.version) == ("Kollegans rubrik", 2)


def test_the_decision_day_cannot_lie_in_the_future_and_its_input_offers_no_later_day(
    client, world, draft
):
    client.force_login(world.staff_a)
    client.post(reverse("responses:response_edit", args=[draft.pk]), filled(draft, world))
    draft.refresh_from_db()
    url = reverse("responses:response_publish", args=[draft.pk])
    today = timezone.localdate()

    form = client.get(url).text
    refused = client.post(
        url,
        {
            "version": draft.version,
            "decision_date": (today + dt.timedelta(days=1)).isoformat(),
            "diary_number": "ASN-2026-77",
        },
    )

    assert f'max="{today.isoformat()}"' in form
    assert "Beslutsdatumet kan inte ligga i framtiden." in refused.text
    draft.refresh_from_db()
    assert draft.state != Response.State.PUBLISHED


def test_publishing_makes_the_new_round_public_and_the_draft_read_only(client, world, draft):
    client.force_login(world.staff_a)
    client.post(reverse("responses:response_edit", args=[draft.pk]), filled(draft, world))
    draft.refresh_from_db()
    public_before = client.__class__().get(world.rec1.get_absolute_url())
    assert "Rutinen införs under våren." not in public_before.text
    before = BoardStanding.objects.get(recommendation=world.rec1, board=world.board_a)
    assert (before.status, before.round.sequence) == (Status.PLANNED, 1)
    response = client.post(
        reverse("responses:response_publish", args=[draft.pk]),
        {"version": draft.version, "decision_date": "2026-03-18", "diary_number": "ASN-2026-77"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == Response.State.PUBLISHED
    assert draft.published_at is not None
    assert (str(draft.decision_date), draft.diary_number) == ("2026-03-18", "ASN-2026-77")
    after = BoardStanding.objects.get(recommendation=world.rec1, board=world.board_a)
    assert (after.status, after.round.sequence) == (Status.IN_PROGRESS, 2)
    assert Response.objects.visible_to(AnonymousUser()).filter(pk=draft.pk).exists()
    assert response.url == draft.get_absolute_url()
    public = client.__class__().get(world.rec1.get_absolute_url())
    assert "Rutinen införs under våren." in public.text
    locked = client.get(reverse("responses:response_edit", args=[draft.pk]), follow=True)
    assert locked.redirect_chain[-1][0] == reverse("responses:response_preview", args=[draft.pk])
    assert "Yttrandet är redan publicerat och kan inte längre ändras" in locked.text
    data = filled(draft, world, title="Ändrat i efterhand")
    assert client.post(reverse("responses:response_edit", args=[draft.pk]), data).status_code == 302
    draft.refresh_from_db()
    assert draft.title != "Ändrat i efterhand"
    again = client.get(reverse("responses:response_publish", args=[draft.pk]), follow=True)
    assert again.redirect_chain == [(reverse("responses:response_preview", args=[draft.pk]), 302)]
    assert "Yttrandet är redan publicerat" in again.text


# What the board's staff are told when a response is no longer in the state an old tab,
# the back button or a bookmark opened it in.
ALREADY = {
    Response.State.SUBMITTED: "Yttrandet är redan inlämnat till revisionen",
    Response.State.PUBLISHED: "Yttrandet är redan publicerat",
}


@pytest.mark.parametrize(
    ("state", "action", "method"),
    [
        (state, action, method)
        for state in (Response.State.SUBMITTED, Response.State.PUBLISHED)
        for action in ("response_edit", "response_submit", "response_publish")
        for method in ("get", "post")
        # A submitted response is still published from its publish page.
        if (state, action) != (Response.State.SUBMITTED, "response_publish")
    ],
)
def test_an_action_the_responses_state_no_longer_allows_shows_the_response_and_says_its_state(
    client, world, draft, state, action, method
):
    draft.state = state
    draft.save()
    client.force_login(world.staff_a)
    data = {"version": draft.version, "decision_date": "2026-03-18", "diary_number": "ASN-9"}

    page = getattr(client, method)(
        reverse(f"responses:{action}", args=[draft.pk]), data, follow=True
    )

    assert page.redirect_chain == [(reverse("responses:response_preview", args=[draft.pk]), 302)]
    assert ALREADY[state] in page.text
    assert "inte den roll som sidan kräver" not in page.text
    draft.refresh_from_db()
    assert (draft.state, draft.version, draft.diary_number) == (state, 1, "")


def _save(response, world):
    from responses import services

    return services.save_response(
        response=response,
        expected_version=response.version,
        user=world.staff_a,
        title="Ändrat efteråt",
        addressed_to="",
        summary="",
        entries=[],
        measure_updates=[],
        new_measures=[],
    )


def _submit(response, world):
    from responses import services

    return services.submit_response(
        response=response, expected_version=response.version, user=world.staff_a
    )


def _publish(response, world):
    from responses import services

    return services.publish_response(
        response=response,
        expected_version=response.version,
        user=world.staff_a,
        decision_date=dt.date(2026, 3, 18),
        diary_number="ASN-9",
    )


@pytest.mark.parametrize(
    ("state", "action", "refusal"),
    [
        (Response.State.SUBMITTED, _save, "Bara utkast kan ändras."),
        (Response.State.PUBLISHED, _save, "Bara utkast kan ändras."),
        (Response.State.SUBMITTED, _submit, "Bara utkast kan lämnas in."),
        (Response.State.PUBLISHED, _submit, "Bara utkast kan lämnas in."),
        (Response.State.PUBLISHED, _publish, "Yttrandet är redan publicerat."),
    ],
)
def test_a_response_handed_in_after_its_page_was_opened_is_not_changed_by_that_page(
    world, draft, state, action, refusal
):
    """The services ask the response's own rule (``Response.is_editable`` /
    ``is_publishable``), as the views do, so a tab opened on the draft before a colleague
    handed it in or published it changes nothing."""
    from django.core.exceptions import ValidationError

    draft.state = state
    draft.save()

    with pytest.raises(ValidationError) as refused:
        action(draft, world)

    assert refusal in refused.value.messages
    draft.refresh_from_db()
    assert (draft.state, draft.version, draft.title) == (state, 1, "Utkast")


def test_attaching_a_document_to_a_handed_in_response_shows_it_and_says_it_is_handed_in(
    client, world, draft
):
    draft.state = Response.State.SUBMITTED
    draft.save()
    client.force_login(world.staff_a)
    upload = SimpleUploadedFile("beslut.pdf", PDF_BYTES, content_type="application/pdf")

    page = client.post(
        reverse("responses:response_document_upload", args=[draft.pk]),
        {"decision_document": upload},
        follow=True,
    )

    assert page.redirect_chain == [(reverse("responses:response_preview", args=[draft.pk]), 302)]
    assert ALREADY[Response.State.SUBMITTED] in page.text
    draft.refresh_from_db()
    assert not draft.decision_document


@pytest.mark.parametrize("who", ["staff_b", "auditor"])
@pytest.mark.parametrize("action", ["response_edit", "response_submit", "response_publish"])
def test_who_may_not_write_for_the_board_still_gets_403_on_a_published_responses_actions(
    client, world, who, action
):
    client.force_login(getattr(world, who))
    url = reverse(f"responses:{action}", args=[world.published_a.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"version": world.published_a.version}).status_code == 403


def test_publishing_needs_an_answer_on_every_recommendation(client, world, draft):
    client.force_login(world.staff_a)
    response = client.post(
        reverse("responses:response_publish", args=[draft.pk]),
        {"version": draft.version, "decision_date": "2026-03-18", "diary_number": "ASN-2026-77"},
    )
    assert response.status_code == 400
    assert "Yttrandet kan inte publiceras än: 2 rekommendationer saknar svar" in response.text
    draft.refresh_from_db()
    assert (draft.state, draft.version) == (Response.State.DRAFT, 1)


def test_the_publish_page_names_each_unanswered_recommendation_before_anything_is_typed(
    client, world, draft
):
    client.force_login(world.staff_a)
    client.post(
        reverse("responses:response_edit", args=[draft.pk]),
        edit_page_data(draft, **{f"rec-{world.rec1.pk}-status": Status.PLANNED}),
    )

    page = client.get(reverse("responses:response_publish", args=[draft.pk]))

    assert "Yttrandet kan inte publiceras än: 1 rekommendation saknar svar" in page.text
    edit = reverse("responses:response_edit", args=[draft.pk])
    assert f'href="{edit}#rekommendation-{world.rec2.pk}"' in page.text
    assert f'href="{edit}#rekommendation-{world.rec1.pk}"' not in page.text
    # Nothing to type in vain: the date and diary number are asked once all is answered.
    assert 'name="decision_date"' not in page.text


def test_a_measure_reported_done_after_the_decision_date_stops_the_publication(
    client, world, draft
):
    client.force_login(world.staff_a)
    prefix = f"measure-{world.open_measure.pk}"
    data = filled(
        draft,
        world,
        **{f"{prefix}-status": Status.IMPLEMENTED, f"{prefix}-completed": "april 2026"},
    )
    assert client.post(reverse("responses:response_edit", args=[draft.pk]), data).status_code == 302
    draft.refresh_from_db()

    response = client.post(
        reverse("responses:response_publish", args=[draft.pk]),
        {"version": draft.version, "decision_date": "2026-03-18", "diary_number": "ASN-2026-77"},
    )

    assert response.status_code == 400
    refusal = (
        "Åtgärden ”Ny rutin för uppföljning” rapporteras genomförd april 2026, efter "
        "beslutsdatumet 2026-03-18. Rätta datumet i utkastet eller beslutsdatumet."
    )
    # Beside the decision date, which it names, and in the summary that leads to it.
    assert response.context["form"].errors["decision_date"] == [refusal]
    assert f'<ul class="errorlist" id="id_decision_date_error"><li>{refusal}' in response.text
    assert f'<a href="#id_decision_date">Beslutsdatum: {refusal}</a>' in response.text
    draft.refresh_from_db()
    assert draft.state == Response.State.DRAFT


def test_publishing_requires_decision_date_and_diary_number(client, world, draft):
    client.force_login(world.staff_a)
    client.post(reverse("responses:response_edit", args=[draft.pk]), filled(draft, world))
    draft.refresh_from_db()
    response = client.post(
        reverse("responses:response_publish", args=[draft.pk]), {"version": draft.version}
    )
    assert response.status_code == 400
    # Beside each field, and in the summary at the top that a screen reader reads first.
    assert response.text.count("Detta fält måste fyllas i.") == 4
    assert 'href="#id_decision_date">Beslutsdatum: Detta fält måste fyllas i.' in response.text
    # The summary's heading says the response was not published, as the edit page's says
    # it was not saved: "2 fel att rätta" alone left that to be guessed.
    assert "Yttrandet är inte publicerat: 2 fel att rätta" in response.text
    draft.refresh_from_db()
    assert draft.state == Response.State.DRAFT


def test_edit_page_query_count_does_not_grow_with_measures(
    client, world, draft, django_assert_num_queries
):
    """Session, user, groups, boards, response, recommendations, entries, measure updates,
    the draft's due-date changes, measures, the other recommendations they serve, the
    board's standings (its latest published answers): twelve queries for any number of
    recommendations and measures, shared or not."""
    world.open_measure.also_serves.add(world.rec2)
    client.force_login(world.staff_a)
    url = reverse("responses:response_edit", args=[draft.pk])
    with django_assert_num_queries(12):
        client.get(url)
    for number in range(5):
        measure = Measure(recommendation=world.rec2, board=world.board_a, title=f"Extra {number}")
        measure.save()
        measure.also_serves.add(world.rec1)
    with django_assert_num_queries(12):
        assert "Extra 4" in client.get(url).text


def _answer_every_recommendation(client, world, draft, recommendations):
    """Save the draft once with an answer on each recommendation, a report on each measure
    it carries over and a moved due date, so every part of the page has rows."""
    draft.refresh_from_db()
    overrides = {f"rec-{r.pk}-status": Status.IN_PROGRESS for r in recommendations}
    overrides.update({f"rec-{r.pk}-narrative": f"Svar {r.pk}." for r in recommendations})
    prefix = f"measure-{world.open_measure.pk}"
    overrides.update({f"{prefix}-due": "hösten 2026", f"{prefix}-due_reason": "Försenat."})
    for measure in Measure.objects.filter(board=world.board_a):
        overrides[f"measure-{measure.pk}-note"] = f"Läget för {measure.pk}."
    url = reverse("responses:response_edit", args=[draft.pk])
    assert client.post(url, edit_page_data(draft, **overrides)).status_code == 302


def _six_more_recommendations_with_measures(world):
    """Eight recommendations for board A in all, each new one with two open measures, one
    of them shared with the first recommendation."""
    for position in range(4, 10):
        recommendation = make_recommendation(
            world.audit,
            position=position,
            addressed_to=[world.board_a],
            answered_by=[world.board_a],
        )
        for number in range(2):
            measure = Measure.objects.create(
                recommendation=recommendation, board=world.board_a, title=f"Åtgärd {number}"
            )
        measure.also_serves.add(world.rec1)
    return list(Recommendation.objects.filter(answered_by=world.board_a))


def test_the_edit_page_costs_the_same_queries_for_two_or_eight_recommendations_with_measures(
    client, world, draft, django_assert_num_queries
):
    """The same twelve queries as the page with two recommendations, however many
    recommendations, entries, measures, shared measures and reports it shows."""
    client.force_login(world.staff_a)
    url = reverse("responses:response_edit", args=[draft.pk])
    _answer_every_recommendation(client, world, draft, [world.rec1, world.rec2])
    with django_assert_num_queries(12):
        small = client.get(url)
    recommendations = _six_more_recommendations_with_measures(world)
    _answer_every_recommendation(client, world, draft, recommendations)
    with django_assert_num_queries(12):
        large = client.get(url)
    assert len(large.context["page"].sections) == 8 > len(small.context["page"].sections)
    assert large.text.count('class="measure"') == 1 + 12 + 6  # the shared ones twice


def test_saving_the_page_unchanged_costs_the_same_queries_for_two_or_eight_recommendations(
    client, world, draft, django_assert_num_queries
):
    """A save writes only what changed: sent back unchanged, the page costs the same
    queries (the page's own, the version claim, the response and its history row, the
    rows to compare with, the moved due date kept in step) for two recommendations or
    eight with their measures, and records no history rows that change nothing."""
    client.force_login(world.staff_a)
    url = reverse("responses:response_edit", args=[draft.pk])
    _answer_every_recommendation(client, world, draft, [world.rec1, world.rec2])
    draft.refresh_from_db()
    unchanged = edit_page_data(draft)
    with django_assert_num_queries(26):
        assert client.post(url, unchanged).status_code == 302
    recommendations = _six_more_recommendations_with_measures(world)
    _answer_every_recommendation(client, world, draft, recommendations)
    draft.refresh_from_db()
    history_rows = MeasureUpdate.history.count()
    unchanged = edit_page_data(draft)
    with django_assert_num_queries(26):
        assert client.post(url, unchanged).status_code == 302
    assert MeasureUpdate.history.count() == history_rows
    assert MeasureUpdate.objects.filter(entry__response=draft).count() == 1 + 12 + 6


def test_preview_query_count_does_not_grow_with_entries_and_measures(
    client, world, draft, django_assert_num_queries
):
    """Session, user, groups, boards, then the public page's queries (the response,
    referencing documents, decision steps, signatories, entries with recommendations, their
    measure updates with measures, the due dates this response moved): eleven."""
    client.force_login(world.staff_a)
    client.post(reverse("responses:response_edit", args=[draft.pk]), filled(draft, world))
    url = reverse("responses:response_preview", args=[draft.pk])
    with django_assert_num_queries(11):
        client.get(url)
    draft.refresh_from_db()
    data = filled(
        draft,
        world,
        **{f"new-{world.rec2.pk}-{number}-title": f"Extra {number}" for number in range(2)},
        **{f"new-{world.rec2.pk}-TOTAL_FORMS": "2", f"new-{world.rec2.pk}-1-status": "planned"},
    )
    assert client.post(reverse("responses:response_edit", args=[draft.pk]), data).status_code == 302
    with django_assert_num_queries(11):
        assert "Extra 1" in client.get(url).text


def test_each_recommendation_offers_one_blank_new_measure_and_saving_it_offers_the_next(
    client, world, draft
):
    client.force_login(world.staff_a)
    url = reverse("responses:response_edit", args=[draft.pk])
    page = client.get(url).text
    for rec in (world.rec1, world.rec2):
        assert f'id="id_new-{rec.pk}-0-title"' in page
        assert f'id="id_new-{rec.pk}-1-title"' not in page
    assert "Spara utkastet, så visas en tom åtgärd till." in page

    data = filled(draft, world, **{f"new-{world.rec1.pk}-0-title": "Digital uppföljning"})
    assert client.post(url, data).status_code == 302
    page = client.get(url).text
    assert "Digital uppföljning" in page
    blank = re.search(rf'<input[^>]*name="new-{world.rec1.pk}-0-title"[^>]*>', page).group()
    assert "value=" not in blank


def test_starting_a_response_that_exists_opens_the_existing_draft(client, world, draft):
    client.force_login(world.staff_a)
    response = client.post(
        reverse("responses:response_start"),
        {"board": world.board_a.pk, "round": world.round2.pk},
    )
    assert response.url == reverse("responses:response_edit", args=[draft.pk])
    assert Response.objects.filter(round=world.round2).count() == 1


def test_handing_in_from_the_edit_page_saves_what_was_typed_first(client, world, draft):
    """The hand-in button is part of the edit form: text typed and not yet saved is
    saved, then the response is handed in with it."""
    client.force_login(world.staff_a)
    data = filled(draft, world, then="submit")

    saved = client.post(reverse("responses:response_edit", args=[draft.pk]), data)

    # Saved, then the hand-in is confirmed on its own page: it cannot be undone.
    assert saved.url == reverse("responses:response_submit", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.state == Response.State.DRAFT
    assert draft.entries.get(recommendation=world.rec1).narrative == "Rutinen införs under våren."
    confirm = client.get(saved.url)
    assert "Lämna in till revisionen" in confirm.text
    assert "det går inte längre att ändra här" in confirm.text
    handed_in = client.post(saved.url, {"version": draft.version})
    assert handed_in.url == reverse("responses:response_preview", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.state == Response.State.SUBMITTED


def test_the_hand_in_page_lists_what_is_missing_with_links_and_offers_no_button(
    client, world, draft
):
    client.force_login(world.staff_a)
    client.post(
        reverse("responses:response_edit", args=[draft.pk]),
        filled(draft, world, **{f"rec-{world.rec2.pk}-status": ""}),
    )

    page = client.get(reverse("responses:response_submit", args=[draft.pk]))

    assert "1 rekommendation saknar svar" in page.text
    edit = reverse("responses:response_edit", args=[draft.pk])
    assert f'href="{edit}#rekommendation-{world.rec2.pk}"' in page.text
    assert "Lämna in till revisionen</button>" not in page.text


def test_handing_in_a_page_with_errors_hands_in_nothing_and_keeps_what_was_typed(
    client, world, draft
):
    client.force_login(world.staff_a)
    data = filled(
        draft,
        world,
        then="submit",
        **{f"rec-{world.rec2.pk}-status": "", f"rec-{world.rec2.pk}-narrative": "Utan status."},
    )

    page = client.post(reverse("responses:response_edit", args=[draft.pk]), data)

    assert page.status_code == 400
    assert "Rutinen införs under våren." in page.text
    draft.refresh_from_db()
    assert draft.state == Response.State.DRAFT


def test_a_draft_is_saved_a_part_at_a_time_and_handed_in_only_when_every_answer_is_there(
    client, world, draft
):
    """A recommendation left without a status (nothing typed under it) waits for later:
    the rest is saved; handing in asks for the missing answer, keeping what was saved."""
    client.force_login(world.staff_a)
    data = filled(draft, world, then="submit", **{f"rec-{world.rec2.pk}-status": ""})

    page = client.post(reverse("responses:response_edit", args=[draft.pk]), data, follow=True)

    draft.refresh_from_db()
    assert draft.state == Response.State.DRAFT
    assert [entry.recommendation for entry in draft.entries.all()] == [world.rec1]
    assert "Yttrandet kan inte lämnas in än: 1 rekommendation saknar svar" in page.text
    handed_in = client.post(
        reverse("responses:response_submit", args=[draft.pk]),
        {"version": draft.version},
        follow=True,
    )
    assert "Spara ett svar på varje rekommendation innan yttrandet lämnas in." in handed_in.text
    edit = client.get(reverse("responses:response_edit", args=[draft.pk])).text
    assert "Rutinen införs under våren." in edit
    assert "Kan lämnas tom tills vidare" in edit
    # The list at the top says which are answered so far, and leads to each.
    toc = edit[
        edit.index('<nav class="toc"') : edit.index("</nav>", edit.index('<nav class="toc"'))
    ]
    assert f'href="#rekommendation-{world.rec1.pk}"' in toc and "Pågående" in toc
    assert "inte besvarad ännu" in toc


def test_an_answer_once_saved_cannot_be_left_without_a_status_again(client, world, draft):
    client.force_login(world.staff_a)
    client.post(reverse("responses:response_edit", args=[draft.pk]), filled(draft, world))
    draft.refresh_from_db()
    data = filled(draft, world, **{f"rec-{world.rec1.pk}-status": ""})

    page = client.post(reverse("responses:response_edit", args=[draft.pk]), data)

    assert page.status_code == 400
    assert draft.entries.get(recommendation=world.rec1).status == Status.IN_PROGRESS


def test_going_on_to_publish_from_the_edit_page_saves_what_was_typed_first(client, world, draft):
    client.force_login(world.staff_a)
    data = filled(draft, world, then="publish")

    page = client.post(reverse("responses:response_edit", args=[draft.pk]), data)

    assert page.url == reverse("responses:response_publish", args=[draft.pk])
    assert draft.entries.get(recommendation=world.rec1).narrative == "Rutinen införs under våren."


def test_submitting_hands_the_draft_to_the_auditors_and_it_can_be_published_later(
    client, world, draft
):
    client.force_login(world.staff_a)
    client.post(reverse("responses:response_edit", args=[draft.pk]), filled(draft, world))
    draft.refresh_from_db()
    auditor = client.__class__()
    auditor.force_login(world.auditor)
    preview = reverse("responses:response_preview", args=[draft.pk])
    assert auditor.get(preview).status_code == 404  # a draft is the board's own
    submitted = client.post(
        reverse("responses:response_submit", args=[draft.pk]), {"version": draft.version}
    )
    assert submitted.url == preview
    draft.refresh_from_db()
    assert draft.state == Response.State.SUBMITTED
    assert auditor.get(preview).status_code == 200
    attention = auditor.get(reverse("auditors:attention"))
    assert draft in list(attention.context["arrived"])
    assert not Response.objects.visible_to(AnonymousUser()).filter(pk=draft.pk).exists()
    locked = client.get(reverse("responses:response_edit", args=[draft.pk]))
    assert locked.url == reverse("responses:response_preview", args=[draft.pk])
    # The handed-in answer's page leads its board's staff on to publishing it.
    publish = reverse("responses:response_publish", args=[draft.pk])
    assert f'href="{publish}"' in client.get(preview).text
    published = client.post(
        reverse("responses:response_publish", args=[draft.pk]),
        {"version": draft.version, "decision_date": "2026-03-18", "diary_number": "ASN-2026-77"},
    )
    assert published.status_code == 302
    draft.refresh_from_db()
    assert draft.state == Response.State.PUBLISHED


def test_submitting_needs_every_answer_and_the_current_version(client, world, draft):
    client.force_login(world.staff_a)
    url = reverse("responses:response_submit", args=[draft.pk])
    incomplete = client.post(url, {"version": 1}, follow=True)
    assert "Spara ett svar på varje rekommendation innan yttrandet lämnas in." in incomplete.text
    client.post(reverse("responses:response_edit", args=[draft.pk]), filled(draft, world))
    stale = client.post(url, {"version": 1}, follow=True)
    assert "Yttrandet har sparats av någon annan, eller i en annan flik" in stale.text
    draft.refresh_from_db()
    assert (draft.state, draft.version) == (Response.State.DRAFT, 2)


def test_no_template_comment_leaks_into_the_page(client, world, draft):
    client.force_login(world.staff_a)
    page = client.get(reverse("responses:response_edit", args=[draft.pk]))
    assert "{#" not in page.text and "{%" not in page.text


def test_a_decision_date_after_today_in_swedish_time_is_refused():
    from responses.forms import PublishForm

    late_evening_utc = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=late_evening_utc):
        # 00:30 on 2 March in Stockholm: the 2nd is today there, not yet in UTC.
        today_in_sweden = {"version": 1, "diary_number": "D-1", "decision_date": "2026-03-02"}
        assert PublishForm(today_in_sweden).is_valid()
        tomorrow = {**today_in_sweden, "decision_date": "2026-03-03"}
        assert not PublishForm(tomorrow).is_valid()


def in_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


def test_a_draft_started_in_english_gets_the_swedish_default_title(client, world):
    client.force_login(world.staff_a)
    in_english(client)
    client.post(
        reverse("responses:response_start"),
        {"board": world.board_a.pk, "round": world.round2.pk},
    )
    draft = Response.objects.get(board=world.board_a, round=world.round2)
    # Swedish, the document's language; the board's name is shown beside it everywhere.
    assert draft.title == f"Yttrande – {world.round2.title}"


def test_in_english_the_form_gives_english_date_examples_and_shows_dates_back_in_english(
    client, world, draft
):
    client.force_login(world.staff_a)
    prefix = f"measure-{world.open_measure.pk}"
    data = filled(
        draft, world, **{f"{prefix}-due": "autumn 2022", f"{prefix}-due_reason": "Försenat."}
    )
    in_english(client)
    assert client.post(reverse("responses:response_edit", args=[draft.pk]), data).status_code == 302
    page = client.get(reverse("responses:response_edit", args=[draft.pk])).text
    assert 'value="autumn 2022"' in page
    assert "As precisely as it is known: 2026-05-31, May 2026, autumn 2026 or 2027." in page
    assert "hösten" not in page


def _report_every_measure_in_progress(client, world, draft):
    draft.refresh_from_db()
    reports = {
        f"measure-{measure.pk}-status": Status.IN_PROGRESS
        for measure in Measure.objects.filter(board=world.board_a)
    }
    url = reverse("responses:response_edit", args=[draft.pk])
    assert client.post(url, edit_page_data(draft, **reports)).status_code == 302
    draft.refresh_from_db()


def _publish(client, draft):
    return client.post(
        reverse("responses:response_publish", args=[draft.pk]),
        {"version": draft.version, "decision_date": "2026-03-18", "diary_number": "ASN-2026-77"},
    )


@pytest.mark.parametrize("more_recommendations", [False, True])
def test_publishing_costs_the_same_queries_for_one_changed_measure_or_thirteen(
    client, world, draft, django_assert_num_queries, more_recommendations
):
    """The measures a publication changes are written together: their rows, their
    history, their shared recommendations' history and the standings, in the same
    queries for one changed measure (two recommendations) or thirteen (eight), shared
    with another recommendation in both."""
    client.force_login(world.staff_a)
    world.open_measure.also_serves.add(world.rec2)
    recommendations = [world.rec1, world.rec2]
    if more_recommendations:
        recommendations = _six_more_recommendations_with_measures(world)
    _answer_every_recommendation(client, world, draft, recommendations)
    _report_every_measure_in_progress(client, world, draft)
    # 38, 2 where a moved due date is kept on the earlier answers that showed it, 1
    # reading the measures' other published reports (is this one their latest?) and 1
    # dating the answer's moves at its publication.
    with django_assert_num_queries(42):
        assert _publish(client, draft).status_code == 302
    changed = Measure.objects.filter(board=world.board_a, status=Status.IN_PROGRESS)
    assert changed.count() == (13 if more_recommendations else 1)


def test_each_measure_a_publication_changes_gets_one_version_by_its_publisher(client, world, draft):
    """Its history records the published state, who published it and the other
    recommendations it serves, as a save in the admin would."""
    client.force_login(world.staff_a)
    world.open_measure.also_serves.add(world.rec2)
    _answer_every_recommendation(client, world, draft, [world.rec1, world.rec2])
    _report_every_measure_in_progress(client, world, draft)
    versions_before = world.open_measure.history.count()
    assert _publish(client, draft).status_code == 302
    assert world.open_measure.history.count() == versions_before + 1
    latest = world.open_measure.history.latest()
    assert (latest.status, latest.history_type, latest.history_user) == (
        Status.IN_PROGRESS,
        "~",
        world.staff_a,
    )
    assert str(latest.instance.due) == "hösten 2026"
    assert [row.recommendation for row in latest.also_serves.all()] == [world.rec2]
    standing = BoardStanding.objects.get(recommendation=world.rec2, board=world.board_a)
    assert standing.round.sequence == 2  # the shared recommendation's standing follows


def _announce_a_measure(client, world, draft, title="Digital uppföljning"):
    client.force_login(world.staff_a)
    data = filled(
        draft,
        world,
        **{
            f"new-{world.rec1.pk}-0-title": title,
            f"new-{world.rec1.pk}-0-responsible": "IT-enheten",
            f"new-{world.rec1.pk}-0-due": "hösten 2026",
        },
    )
    assert client.post(reverse("responses:response_edit", args=[draft.pk]), data).status_code == 302
    draft.refresh_from_db()
    return Measure.objects.get(title=title)


def test_staff_correct_a_measure_their_draft_announced_without_a_recorded_move(
    client, world, draft
):
    """Nobody else has seen it: its title, responsible and due date are corrected in
    place, with no reason asked and no "moved" line for the public to read."""
    measure = _announce_a_measure(client, world, draft, title="Digtal uppföljning")
    url = reverse("responses:response_edit", args=[draft.pk])
    page = client.get(url).text
    assert f'name="measure-{measure.pk}-title"' in page
    assert f'name="measure-{measure.pk}-remove"' in page
    assert f'name="measure-{world.open_measure.pk}-title"' not in page  # published earlier

    data = edit_page_data(
        draft,
        **{
            f"measure-{measure.pk}-title": "Digital uppföljning",
            f"measure-{measure.pk}-responsible": "Digitaliseringsenheten",
            f"measure-{measure.pk}-due": "våren 2027",
        },
    )
    assert client.post(url, data).status_code == 302

    measure.refresh_from_db()
    assert (measure.title, measure.responsible, str(measure.due)) == (
        "Digital uppföljning",
        "Digitaliseringsenheten",
        "våren 2027",
    )
    assert not DueDateChange.objects.filter(measure=measure).exists()


def test_staff_take_a_measure_out_of_their_draft(client, world, draft):
    measure = _announce_a_measure(client, world, draft)
    data = edit_page_data(draft, **{f"measure-{measure.pk}-remove": "on"})

    response = client.post(reverse("responses:response_edit", args=[draft.pk]), data)

    assert response.status_code == 302
    assert not Measure.objects.filter(pk=measure.pk).exists()
    assert (
        "Digital uppföljning"
        not in client.get(reverse("responses:response_edit", args=[draft.pk])).text
    )


def test_a_shared_measure_taken_out_of_the_draft_leaves_no_report_under_the_other_section(
    client, world, draft
):
    measure = _announce_a_measure(client, world, draft)
    measure.also_serves.add(world.rec2)
    data = edit_page_data(draft, **{f"measure-{measure.pk}-remove": "on"})

    assert client.post(reverse("responses:response_edit", args=[draft.pk]), data).status_code == 302
    assert not Measure.objects.filter(pk=measure.pk).exists()
    assert not MeasureUpdate.objects.filter(entry__response=draft, measure_id=measure.pk).exists()


def test_staff_land_on_a_list_of_their_boards_overdue_measures(client, world):
    world.open_measure.due = FuzzyDate.parse("maj 2020")
    world.open_measure.save()
    client.force_login(world.staff_a)

    page = client.get(reverse("responses:response_start"))

    overdue = page.text[page.text.index('id="overdue-heading"') :]
    assert "Ny rutin för uppföljning" in overdue
    assert "skulle vara klar maj 2020" in overdue
    assert f'href="{world.rec1.get_absolute_url()}#atgarder"' in overdue
    assert "Utbildning av handläggare" not in overdue  # done long ago

    client.force_login(world.staff_b)
    other = client.get(reverse("responses:response_start")).text
    assert "Ny rutin för uppföljning" not in other
    assert "Inga försenade åtgärder." in other


def test_staff_see_their_handed_in_response_above_the_published_ones(client, world, draft):
    Response.objects.filter(pk=draft.pk).update(state=Response.State.SUBMITTED)
    later_round = FollowUpRound.objects.create(
        audit=world.audit, sequence=3, kind=FollowUpRound.Kind.STATUS_DESCRIPTION, title="Nästa"
    )
    newer_draft = Response.objects.create(
        board=world.board_a, round=later_round, title="Ett nytt utkast"
    )
    client.force_login(world.staff_a)

    page = client.get(reverse("responses:response_start"))

    assert list(page.context["responses"]) == [newer_draft, draft, world.published_a]


def test_staff_see_by_when_their_draft_is_asked_for_among_their_responses(client, world, draft):
    client.force_login(world.staff_a)

    page = client.get(reverse("responses:response_start")).text

    row = page[page.index(f">{draft.title}</a>") :]
    row = row[: row.index("</tr>")]
    assert "(senast 2099-09-30)" in row
    published = page[page.index(f">{world.published_a.title}</a>") :]
    assert "senast" not in published[: published.index("</tr>")]


def test_a_recommendation_the_auditors_closed_is_not_asked_about_and_does_not_hold_back_the_hand_in(
    client, world, draft
):
    """The auditors closed rec2: it is no longer followed up, so the round owes it nothing
    (the reminders and *Att granska* already said so, ``attention.missing_responses``).
    The edit page asked for its status all the same and refused the hand-in without it."""
    world.rec2.close(timezone.localdate(), "Ersatt av ny styrmodell.", None)
    client.force_login(world.staff_a)
    url = reverse("responses:response_edit", args=[draft.pk])

    page = client.get(url).text

    assert f'id="rekommendation-{world.rec1.pk}"' in page
    assert f'id="rekommendation-{world.rec2.pk}"' not in page
    saved = client.post(
        url,
        edit_page_data(
            draft,
            **{
                f"rec-{world.rec1.pk}-status": Status.IN_PROGRESS,
                f"measure-{world.open_measure.pk}-status": Status.IN_PROGRESS,
            },
        ),
    )
    assert saved.status_code == 302
    draft.refresh_from_db()
    client.post(reverse("responses:response_submit", args=[draft.pk]), {"version": draft.version})
    draft.refresh_from_db()
    assert draft.state == Response.State.SUBMITTED


def test_a_closed_recommendation_the_draft_answered_before_the_closing_stays_on_its_page(
    client, world, draft
):
    """Nothing typed is lost: an answer saved before the auditors closed the
    recommendation is still shown, and may be changed."""
    save_edit_page(client, world.staff_a, draft, **{f"rec-{world.rec2.pk}-status": Status.PLANNED})
    world.rec2.close(timezone.localdate(), "Ersatt av ny styrmodell.", None)
    client.force_login(world.staff_a)

    page = client.get(reverse("responses:response_edit", args=[draft.pk])).text

    assert f'id="rekommendation-{world.rec2.pk}"' in page


def test_a_draft_whose_recommendations_are_all_closed_says_so(client, world, draft):
    """Not "the board answers no recommendations in this audit": it does, and the
    auditors have closed each of them."""
    for recommendation in (world.rec1, world.rec2):
        recommendation.close(timezone.localdate(), "Ersatt av ny styrmodell.", None)
    client.force_login(world.staff_a)

    page = client.get(reverse("responses:response_edit", args=[draft.pk])).text

    assert "Revisionen har avslutat varje rekommendation som nämnden besvarar" in page
    assert "Nämnden besvarar inga rekommendationer i den här granskningen." not in page
