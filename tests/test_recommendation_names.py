"""A recommendation is called the same everywhere: its label as in the document, else its kind
and position; and the measures an answer reports on read the same on every page."""

import pytest
from django.urls import reverse

from recommendations.models import Recommendation
from responses.models import MeasureUpdate, Response, ResponseEntry


@pytest.fixture
def world(world):
    world.rec2.label = ""
    world.rec2.save()
    return world


def test_the_name_is_the_label_else_the_kind_and_position(world):
    assert world.rec1.display_name == "Rekommendation 1"
    assert world.rec2.display_name == "Rekommendation 2"
    world.rec2.kind = Recommendation.Kind.choices[-1][0]
    assert world.rec2.display_name.endswith(" 2")
    assert world.rec2.display_name.split()[0] != "2"


def test_a_long_text_is_cut_at_a_word_with_an_ellipsis_where_it_names_the_recommendation(
    client, world
):
    world.rec1.text = (
        "Kommunstyrelsen bör säkerställa att kommunstyrelsens strategiska roll inom området "
        "tydliggörs och följs upp."
    )
    world.rec1.save()

    assert str(world.rec1) == (
        "Rekommendation 1: Kommunstyrelsen bör säkerställa att kommunstyrelsens strategiska "
        "roll inom …"
    )
    page = client.get(reverse("notifications:follow", args=["recommendation", world.rec1.pk]))
    assert "roll inom …</h1>" in page.text


def test_an_unlabelled_recommendation_has_the_same_name_on_every_page(client, world):
    client.force_login(world.admin)
    pages = [
        world.rec2.get_absolute_url(),
        reverse("auditors:assess", args=[world.rec2.pk]),
        reverse("auditors:close", args=[world.rec2.pk]),
        reverse("auditors:recommendation_history", args=[world.rec2.pk]),
        world.published_a.get_absolute_url(),
        reverse("responses:response_preview", args=[world.published_a.pk]),
        reverse("municipal:matrix", args=[world.rec2.audit.municipality.slug]),
        reverse("recommendations:recommendation_list_csv"),
        reverse("admin:recommendations_recommendation_changelist"),
    ]
    for url in pages:
        assert "Rekommendation 2" in client.get(url).getvalue().decode("utf-8-sig"), url


def test_the_staff_edit_page_names_the_recommendation_as_the_public_pages_do(client, world):
    draft = Response.objects.create(board=world.board_a, round=world.round2, title="Utkast")
    ResponseEntry.objects.create(response=draft, recommendation=world.rec2, status="planned")
    client.force_login(world.staff_a)
    page = client.get(reverse("responses:response_edit", args=[draft.pk]))
    assert "<legend>Rekommendation 2</legend>" in page.text


def test_the_measures_of_an_answer_read_the_same_on_the_response_timeline_and_preview(
    client, world
):
    update = MeasureUpdate.objects.get(measure=world.open_measure)
    update.note = "Rutinen är antagen."
    update.save()
    client.force_login(world.staff_a)
    pages = [
        world.published_a.get_absolute_url(),
        world.rec1.get_absolute_url(),
        reverse("responses:response_preview", args=[world.published_a.pk]),
    ]
    for url in pages:
        text = client.get(url).text
        for shown in ("Ny rutin för uppföljning", "Ansvarig: Enheten för stöd", "Status i svaret"):
            assert shown in text, (url, shown)
        assert "Rutinen är antagen." in text, url


@pytest.mark.parametrize("label", ["", "Beslutspunkt 3"])
def test_its_page_and_its_name_elsewhere_mark_the_documents_label_alike(client, world, label):
    """On an English page a label is the documents' Swedish text, a name in the page's
    words is not (``name_is_documents``): the recommendation's heading and its name in a
    list say so alike."""
    world.rec1.label = label
    world.rec1.save()
    client.get(reverse("choose_language"), {"language": "en"})
    page = client.get(world.rec1.get_absolute_url()).text
    listed = client.get(reverse("municipal:recommendation_list", args=["malmo"])).text
    name = world.rec1.display_name
    assert (f'<h1 lang="sv">{name}</h1>' in page) is world.rec1.name_is_documents is bool(label)
    assert (f'<span lang="sv">{name}</span></a>' in listed) is bool(label)
