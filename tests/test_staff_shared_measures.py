"""Board staff report on a shared measure under every recommendation it serves."""

import pytest
from django.urls import reverse

from recommendations.status import Status
from responses.models import Measure, MeasureUpdate

from .factories import edit_page_data


@pytest.fixture
def world(world):
    world.open_measure.also_serves.add(world.rec2)
    return world


def _filled(draft, world, **overrides):
    measure = world.open_measure.pk
    return edit_page_data(
        draft,
        **{
            f"rec-{world.rec1.pk}-status": Status.IN_PROGRESS,
            f"rec-{world.rec2.pk}-status": Status.IN_PROGRESS,
            f"measure-{measure}-status": Status.IN_PROGRESS,
            f"measure-{measure}-note": "Rutinen prövas i två enheter.",
            f"measure-{measure}-rec-{world.rec2.pk}-status": Status.IN_PROGRESS,
            f"measure-{measure}-rec-{world.rec2.pk}-note": "Rutinen täcker även uppföljningen.",
            **overrides,
        },
    )


def test_a_shared_measure_is_carried_over_under_every_recommendation_it_serves(
    client, world, draft
):
    client.force_login(world.staff_a)
    page = client.get(reverse("responses:response_edit", args=[draft.pk])).text

    assert f'name="measure-{world.open_measure.pk}-status"' in page
    assert f'name="measure-{world.open_measure.pk}-rec-{world.rec2.pk}-status"' in page
    assert "Gemensam åtgärd: slutdatum, genomförande och effekt redovisas under" in page


def test_an_update_is_recorded_once_per_entry_the_shared_measure_is_reported_in(
    client, world, draft
):
    client.force_login(world.staff_a)
    response = client.post(
        reverse("responses:response_edit", args=[draft.pk]), _filled(draft, world)
    )

    assert response.status_code == 302
    notes = {
        update.entry.recommendation_id: update.note
        for update in MeasureUpdate.objects.filter(entry__response=draft).select_related("entry")
    }
    assert notes == {
        world.rec1.pk: "Rutinen prövas i två enheter.",
        world.rec2.pk: "Rutinen täcker även uppföljningen.",
    }


def test_publishing_takes_a_shared_measure_state_from_its_main_recommendation(client, world, draft):
    client.force_login(world.staff_a)
    measure = world.open_measure.pk
    data = _filled(
        draft,
        world,
        **{
            f"measure-{measure}-status": Status.IMPLEMENTED,
            f"measure-{measure}-completed": "2026-03-01",
            f"measure-{measure}-rec-{world.rec2.pk}-status": Status.IN_PROGRESS,
        },
    )
    client.post(reverse("responses:response_edit", args=[draft.pk]), data)
    draft.refresh_from_db()

    client.post(
        reverse("responses:response_publish", args=[draft.pk]),
        {"version": draft.version, "decision_date": "2026-03-18", "diary_number": "ASN-2026-77"},
    )

    published = Measure.objects.get(pk=measure)
    assert published.status == Status.IMPLEMENTED
    assert str(published.completed) == "2026-03-01"


def test_a_due_date_moved_in_the_main_section_shows_under_every_recommendation(
    client, world, draft
):
    """The other sections report status and note only: once published, their rows show
    the measure's moved date, not the date as it stood when the draft was saved."""
    client.force_login(world.staff_a)
    measure = world.open_measure.pk
    data = _filled(
        draft,
        world,
        **{f"measure-{measure}-due": "2027-06-30", f"measure-{measure}-due_reason": "Försenat."},
    )
    assert client.post(reverse("responses:response_edit", args=[draft.pk]), data).status_code == 302
    draft.refresh_from_db()
    client.post(
        reverse("responses:response_publish", args=[draft.pk]),
        {"version": draft.version, "decision_date": "2026-03-18", "diary_number": "ASN-2026-77"},
    )

    reported = {
        update.entry.recommendation_id: str(update.reported_due)
        for update in MeasureUpdate.objects.filter(entry__response=draft).select_related(
            "entry", "measure"
        )
    }
    assert reported == {world.rec1.pk: "2027-06-30", world.rec2.pk: "2027-06-30"}
    assert "maj 2026 flyttat" not in client.get(draft.get_absolute_url()).text
