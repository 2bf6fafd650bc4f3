"""What a draft reports about an existing measure stays with the draft: the public (and
other boards' staff) keep seeing the measure as last published on every page, export and
API, until the response is published; the author sees the draft's values meanwhile."""

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse

from auditfollowup.lib.dates import FuzzyDate
from recommendations.status import Status
from responses.models import DueDateChange, Measure, MeasureUpdate

from .factories import save_edit_page

REASON = "Upphandlingen blev klar tidigare än väntat."


@pytest.fixture
def world(world):
    # Due long ago, so the measure is overdue whatever today is.
    world.open_measure.due = FuzzyDate.parse("maj 2020")
    world.open_measure.save()
    return world


def save_draft(client, world, draft):
    """Staff A mark the open measure implemented and move its due date, in a draft."""
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
            f"{prefix}-effect": "Alla enheter följer rutinen.",
            f"{prefix}-due": "hösten 2021",
            f"{prefix}-due_reason": REASON,
        },
    )


def publish(client, world, draft):
    draft.refresh_from_db()
    client.force_login(world.staff_a)
    page = client.post(
        reverse("responses:response_publish", args=[draft.pk]),
        {"version": draft.version, "decision_date": "2021-11-01", "diary_number": "ASN-2021-9"},
    )
    assert page.status_code == 302
    client.logout()


def both_answered(world) -> dict:
    """The edit page's answers to both recommendations, "Pågående", for a save to take."""
    return {
        f"rec-{world.rec1.pk}-status": Status.IN_PROGRESS,
        f"rec-{world.rec2.pk}-status": Status.IN_PROGRESS,
    }


def undated_measure(world) -> Measure:
    """A published measure of the first recommendation that has no due date yet."""
    return Measure.objects.create(
        recommendation=world.rec1,
        board=world.board_a,
        title="Odaterad åtgärd",
        announced_in=world.published_a.entries.get(recommendation=world.rec1),
    )


def api_measure(client, world):
    data = client.get(reverse("recommendations:api_recommendations")).json()
    recommendation = next(r for r in data["results"] if r["id"] == world.rec1.pk)
    return next(m for m in recommendation["measures"] if m["id"] == world.open_measure.pk)


def overdue_csv_ids(client):
    export = client.get(reverse("recommendations:recommendation_list_csv"), {"overdue": "true"})
    rows = list(csv.reader(io.StringIO(export.getvalue().decode("utf-8-sig")), delimiter=";"))
    return {int(row[0]) for row in rows[1:]}


def what_others_see(client, world):
    detail = client.get(world.rec1.get_absolute_url())
    home = client.get(reverse("recommendations:home"), follow=True)
    return {
        "detail_overdue": [
            state.measure.pk for state in detail.context["timeline"].overdue_measures
        ],
        "detail_reason": REASON in detail.text,
        "detail_effect": "Alla enheter följer rutinen." in detail.text,
        "api": api_measure(client, world),
        "csv_overdue": world.rec1.pk in overdue_csv_ids(client),
        "home_overdue": "Ny rutin för uppföljning" in home.text,
    }


@pytest.mark.parametrize("who", ["public", "staff_b"])
def test_a_draft_changes_nothing_others_see_until_it_is_published(client, world, draft, who):
    viewer = Client()
    if who == "staff_b":
        viewer.force_login(world.staff_b)
    before = what_others_see(viewer, world)
    assert before["detail_overdue"] == [world.open_measure.pk]
    assert before["api"]["status"]["value"] == Status.PLANNED
    assert before["csv_overdue"] and before["home_overdue"]

    save_draft(client, world, draft)

    assert what_others_see(viewer, world) == before
    world.open_measure.refresh_from_db()
    assert world.open_measure.status == Status.PLANNED
    assert world.open_measure.due == FuzzyDate.parse("maj 2020")

    publish(client, world, draft)

    after = what_others_see(viewer, world)
    assert after["detail_overdue"] == []
    assert after["detail_reason"] and after["detail_effect"]
    assert after["api"]["status"]["value"] == Status.IMPLEMENTED
    assert after["api"]["due"]["start"] == "2021-07-01"
    assert after["api"]["due_date_changes"][0]["reason"] == REASON
    assert not after["csv_overdue"] and not after["home_overdue"]


def test_the_author_sees_the_draft_values_in_the_form_and_the_preview(client, world, draft):
    save_draft(client, world, draft)
    client.force_login(world.staff_a)
    edit = client.get(reverse("responses:response_edit", args=[draft.pk]))
    form = next(
        row.form
        for row in edit.context["page"].sections[0]["measure_forms"]
        if row.measure.pk == world.open_measure.pk
    )
    assert form.initial["status"] == Status.IMPLEMENTED
    assert form.initial["due"] == FuzzyDate.parse("hösten 2021")
    assert form.initial["due_reason"] == REASON
    assert form.initial["completed"] == FuzzyDate.parse("oktober 2021")
    assert form.initial["effect"] == "Alla enheter följer rutinen."
    assert 'value="hösten 2021"' in edit.text and REASON in edit.text
    preview = client.get(reverse("responses:response_preview", args=[draft.pk]))
    assert "hösten 2021" in preview.text
    assert "oktober 2021" in preview.text
    assert "Alla enheter följer rutinen." in preview.text
    assert f"flyttat från maj 2020 till hösten 2021: {REASON}" in preview.text


def test_saving_the_draft_again_keeps_one_due_date_change_in_step(client, world, draft):
    save_draft(client, world, draft)
    prefix = f"measure-{world.open_measure.pk}"
    save_edit_page(
        client, world.staff_a, draft, **{f"{prefix}-due": "maj 2020", f"{prefix}-due_reason": ""}
    )
    assert not DueDateChange.objects.exists()
    save_edit_page(
        client, world.staff_a, draft, **{f"{prefix}-due": "2022", f"{prefix}-due_reason": REASON}
    )
    change = DueDateChange.objects.get()
    assert (change.previous, change.new) == (FuzzyDate.parse("maj 2020"), FuzzyDate.parse("2022"))


def test_publishing_records_each_measure_change_once_in_its_history(client, world, draft):
    save_draft(client, world, draft)
    assert Measure.history.filter(id=world.open_measure.pk).count() == 2  # created, moved
    assert Measure.history.filter(id=world.done_measure.pk).count() == 1
    publish(client, world, draft)
    records = Measure.history.filter(id=world.open_measure.pk).order_by("-history_date")
    assert records.count() == 3
    latest = records.first()
    assert (latest.status, latest.due_date) == (Status.IMPLEMENTED, dt.date(2021, 7, 1))
    assert latest.history_user == world.staff_a


def document_part(page) -> str:
    """The response as a document: the part of the page the preview promises to show."""
    text = page.content.decode()
    return text[text.index('<article class="document">') : text.index("</article>") + 10]


def test_the_preview_shows_exactly_what_the_public_page_shows(client, world, draft):
    """One template for both: after publishing, the author's preview and the public page
    hold the same document, with the responsible, moved due date and effect in both."""
    world.open_measure.responsible = "Enhetschefen"
    world.open_measure.save()
    save_draft(client, world, draft)
    publish(client, world, draft)
    client.force_login(world.staff_a)
    preview = client.get(reverse("responses:response_preview", args=[draft.pk]))
    public_view_for_staff = client.get(draft.get_absolute_url())
    assert document_part(preview) == document_part(public_view_for_staff)
    public = Client().get(draft.get_absolute_url())
    for shown in (
        "Ansvarig: Enhetschefen",
        f"flyttat från maj 2020 till hösten 2021: {REASON}",
        "Rapporterad klar: oktober 2021",
        "Effekt: Alla enheter följer rutinen.",
    ):
        assert shown in document_part(preview)
        assert shown in document_part(public)


DUE_GUESS = "Dokumentet säger bara att rutinen ska vara klar under våren."
COMPLETED_GUESS = "Dokumentet säger bara att utbildningen genomfördes under året."


def test_a_date_the_board_states_on_publishing_is_no_longer_marked_as_an_inference(
    client, world, draft
):
    """Dates read off an old document carry the reason they are a guess (tolkning). Once
    a published response moves the due date or states when the measure was done, the
    board has said it: the old reason no longer stands beside the new date. A date the
    report carries over unchanged keeps its reason."""
    world.open_measure.due_inference = DUE_GUESS
    world.open_measure.save()
    world.done_measure.completed_inference = COMPLETED_GUESS
    world.done_measure.save()
    public = Client()
    assert DUE_GUESS in public.get(world.rec1.get_absolute_url()).text

    save_draft(client, world, draft)
    publish(client, world, draft)

    world.open_measure.refresh_from_db()
    world.done_measure.refresh_from_db()
    assert (str(world.open_measure.due), world.open_measure.due_inference) == ("hösten 2021", "")
    assert (str(world.open_measure.completed), world.open_measure.completed_inference) == (
        "oktober 2021",
        "",
    )
    assert world.done_measure.completed_inference == COMPLETED_GUESS
    page = public.get(world.rec1.get_absolute_url()).text
    # The guess stands only where the 2019 answer (which showed that date) is quoted.
    earlier_answer = public.get(world.published_a.get_absolute_url()).text
    assert page.count(DUE_GUESS) == earlier_answer.count(DUE_GUESS) > 0
    assert COMPLETED_GUESS in page
    assert api_measure(public, world)["due_inference"] == ""
    response_page = public.get(draft.get_absolute_url()).text
    assert "hösten 2021" in response_page
    assert DUE_GUESS not in response_page


def test_a_report_that_carries_an_inferred_date_over_unchanged_keeps_its_reason(
    client, world, draft
):
    """The edit page offers the measure's date; sent back as it was, it is still the old
    document's guess, on the measure and in what the response reports."""
    world.open_measure.due_inference = DUE_GUESS
    world.open_measure.save()
    prefix = f"measure-{world.open_measure.pk}"
    save_edit_page(
        client,
        world.staff_a,
        draft,
        **both_answered(world),
        **{
            f"{prefix}-status": Status.IN_PROGRESS,
        },
    )
    publish(client, world, draft)

    world.open_measure.refresh_from_db()
    assert (str(world.open_measure.due), world.open_measure.due_inference) == (
        "maj 2020",
        DUE_GUESS,
    )
    assert DUE_GUESS in Client().get(draft.get_absolute_url()).text


def test_deleting_a_draft_deletes_what_it_wrote_and_never_publishes_it(client, world, draft):
    """Without the entry they were written in, a measure and a moved due date read as
    imported, that is public: a draft's new measure and its moved date go with the draft,
    never stay behind on public pages."""
    save_draft(client, world, draft)
    save_edit_page(
        client,
        world.staff_a,
        draft,
        **{
            f"new-{world.rec1.pk}-0-title": "Intern utkaståtgärd",
            f"new-{world.rec1.pk}-0-responsible": "Intern person",
        },
    )
    assert Measure.objects.filter(title="Intern utkaståtgärd").exists()
    assert DueDateChange.objects.filter(reason=REASON).exists()

    draft.delete()

    assert not Measure.objects.filter(title="Intern utkaståtgärd").exists()
    assert not DueDateChange.objects.filter(reason=REASON).exists()
    page = Client().get(world.rec1.get_absolute_url()).text
    assert "Intern utkaståtgärd" not in page and REASON not in page


def test_deleting_a_published_response_keeps_its_measures_as_imported(world):
    """Published measures were public already: an admin deleting the response they were
    announced in does not take them away."""
    world.published_a.delete()

    world.open_measure.refresh_from_db()
    assert world.open_measure.announced_in is None
    assert "Ny rutin för uppföljning" in Client().get(world.rec1.get_absolute_url()).text


def test_an_earlier_answer_never_shows_a_completion_or_effect_reported_later(client, world, draft):
    """The 2019 answer reported the measure planned: once a later round reports it done,
    the 2019 answer still reads "Planerad", without the later completion date and effect
    beside it."""
    save_draft(client, world, draft)
    publish(client, world, draft)

    earlier = Client().get(world.published_a.get_absolute_url()).text
    assert "Ny rutin för uppföljning" in earlier
    assert "oktober 2021" not in earlier
    assert "Alla enheter följer rutinen." not in earlier
    later = Client().get(draft.get_absolute_url()).text
    assert "oktober 2021" in later and "Alla enheter följer rutinen." in later


def test_an_imported_report_of_a_measure_done_shows_its_completion_with_its_reason(world):
    """Imported reports name no date: one that says the measure is done shows the
    measure's completion, marked as an inference where it is one."""
    entry = world.published_a.entries.get(recommendation=world.rec1)
    world.done_measure.completed_inference = COMPLETED_GUESS
    world.done_measure.save()
    MeasureUpdate.objects.create(measure=world.done_measure, entry=entry, status=Status.IMPLEMENTED)

    page = Client().get(world.published_a.get_absolute_url()).text

    assert "Rapporterad klar: 2019" in page
    assert COMPLETED_GUESS in page


def test_a_cleared_due_date_reads_as_a_dash_never_none(client, world, draft):
    prefix = f"measure-{world.open_measure.pk}"
    save_edit_page(
        client,
        world.staff_a,
        draft,
        **both_answered(world),
        **{
            f"{prefix}-due": "",
            f"{prefix}-due_reason": "Tidplanen omprövas.",
        },
    )
    publish(client, world, draft)

    page = Client().get(world.rec1.get_absolute_url()).text

    assert "maj 2020 → –" in page
    assert "None" not in page


def test_a_measure_without_a_due_date_gets_its_first_one_without_a_reason(client, world, draft):
    """Giving an undated measure a due date moves nothing: no reason is asked and no
    "moved from –" is recorded; publishing gives the measure the date."""
    undated = undated_measure(world)
    save_edit_page(
        client,
        world.staff_a,
        draft,
        **both_answered(world),
        **{
            f"measure-{undated.pk}-due": "2027-03-31",
        },
    )
    publish(client, world, draft)

    undated.refresh_from_db()
    assert str(undated.due) == "2027-03-31"


def test_a_first_due_date_in_a_draft_is_shown_again_and_kept_when_the_draft_is_saved_again(
    client, world, draft
):
    """The draft's own first due date is what its edit page offers next time: saving the
    page again, unchanged, must not clear it."""
    undated = undated_measure(world)
    answers = both_answered(world)
    save_edit_page(client, world.staff_a, draft, **answers, **{f"measure-{undated.pk}-due": "2027"})
    client.force_login(world.staff_a)
    edit = client.get(reverse("responses:response_edit", args=[draft.pk])).text
    assert f'name="measure-{undated.pk}-due" value="2027"' in edit
    save_edit_page(client, world.staff_a, draft)

    report = MeasureUpdate.objects.get(measure=undated, entry__response=draft)
    assert str(report.due) == "2027"
    publish(client, world, draft)
    undated.refresh_from_db()
    assert str(undated.due) == "2027"
    assert not DueDateChange.objects.filter(measure=undated).exists()


def test_an_earlier_answer_keeps_the_due_date_it_showed_when_a_later_round_moves_it(
    client, world, draft
):
    """The 2019 answer reported the measure without a date of its own (as imported answers
    do): it showed the measure's "maj 2020" and the reason that date is a guess. A later
    round moving the date does not rewrite what the 2019 answer said."""
    world.open_measure.due_inference = DUE_GUESS
    world.open_measure.save()
    earlier_url = world.published_a.get_absolute_url()
    before = Client().get(earlier_url).text
    assert "maj 2020" in before and DUE_GUESS in before

    save_draft(client, world, draft)
    publish(client, world, draft)

    earlier = Client().get(earlier_url).text
    assert "maj 2020" in earlier and DUE_GUESS in earlier
    assert "hösten 2021" not in earlier
    later = Client().get(draft.get_absolute_url()).text
    assert "hösten 2021" in later and DUE_GUESS not in later
    kept = MeasureUpdate.objects.get(measure=world.open_measure, entry__response=world.published_a)
    assert (str(kept.due), kept.due_inference) == ("maj 2020", DUE_GUESS)
    # Kept, not edited: the 2019 answer's history records no change by the 2021 publisher.
    assert not kept.history.filter(history_type="~").exists()


def test_a_later_answer_that_moves_nothing_leaves_earlier_answers_following_the_measure(
    client, world, draft
):
    """Only a move is kept from: an answer that reports without moving the date writes
    nothing onto earlier answers."""
    save_edit_page(
        client,
        world.staff_a,
        draft,
        **both_answered(world),
    )
    publish(client, world, draft)

    earlier = MeasureUpdate.objects.get(
        measure=world.open_measure, entry__response=world.published_a
    )
    assert earlier.due is None and earlier.due_inference == ""


def test_an_earlier_answer_that_showed_no_due_date_keeps_showing_none(client, world, draft):
    """The 2019 answer reported a measure that had no due date yet ("–"); the 2021 answer
    gives it its first. The 2019 answer still reads "–", the 2021 one the date."""
    undated = undated_measure(world)
    MeasureUpdate.objects.create(
        measure=undated,
        entry=world.published_a.entries.get(recommendation=world.rec1),
        status=Status.PLANNED,
    )
    save_edit_page(
        client,
        world.staff_a,
        draft,
        **both_answered(world),
        **{
            f"measure-{undated.pk}-due": "december 2027",
        },
    )
    publish(client, world, draft)

    earlier = MeasureUpdate.objects.get(measure=undated, entry__response=world.published_a)
    later = MeasureUpdate.objects.get(measure=undated, entry__response=draft)
    assert (earlier.reported_due, str(later.reported_due)) == (None, "december 2027")
    undated.refresh_from_db()
    assert str(undated.due) == "december 2027"


def test_an_overdue_measure_the_draft_moves_says_where_the_draft_moves_it(client, world, draft):
    prefix = f"measure-{world.open_measure.pk}"
    save_edit_page(
        client,
        world.staff_a,
        draft,
        **both_answered(world),
        **{f"{prefix}-due": "hösten 2030", f"{prefix}-due_reason": REASON},
    )
    client.force_login(world.staff_a)

    page = client.get(reverse("responses:response_edit", args=[draft.pk])).text

    # Still overdue as published (the auditors see it so), and the move is not lost.
    assert "Försenad" in page
    assert (
        "Så står det tills yttrandet publiceras: utkastet flyttar slutdatumet till hösten 2030."
        in page
    )


def test_an_overdue_measure_the_draft_reports_done_says_so_beside_its_flag(client, world, draft):
    prefix = f"measure-{world.open_measure.pk}"
    save_edit_page(
        client,
        world.staff_a,
        draft,
        **both_answered(world),
        **{f"{prefix}-status": Status.IMPLEMENTED, f"{prefix}-completed": "oktober 2021"},
    )
    client.force_login(world.staff_a)

    page = client.get(reverse("responses:response_edit", args=[draft.pk])).text

    assert "Försenad" in page
    assert (
        "Så står det tills yttrandet publiceras: utkastet redovisar åtgärden som Genomförd." in page
    )


def test_an_overdue_measure_the_draft_leaves_as_it_was_shows_only_its_flag(client, world, draft):
    save_edit_page(client, world.staff_a, draft, **both_answered(world))
    client.force_login(world.staff_a)

    page = client.get(reverse("responses:response_edit", args=[draft.pk])).text

    assert "Försenad" in page
    assert "Så står det tills yttrandet publiceras" not in page
