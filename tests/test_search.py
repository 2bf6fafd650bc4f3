"""Full-text search: the stored vector on PostgreSQL, the text fallback elsewhere."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from recommendations.models import Recommendation
from responses.models import Response
from tests.factories import make_tracked_audit

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the stored vector is PostgreSQL only"
)


def found(words):
    return list(Recommendation.objects.search(words).values_list("pk", flat=True))


# Vectors are rebuilt when a save commits: the tests run the on-commit callbacks.


def test_publishing_a_draft_makes_its_narrative_searchable(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world = make_tracked_audit(n_recommendations=1, with_draft=True)
    assert found("hemligt") == []
    with django_capture_on_commit_callbacks(execute=True):
        world.draft.state = Response.State.PUBLISHED
        world.draft.save()
    assert found("hemligt") == [world.recommendations[0].pk]


def test_search_matches_the_wording_and_needs_every_word(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world = make_tracked_audit(n_recommendations=2)
    everyone = [r.pk for r in world.recommendations]
    assert sorted(found("insatserna följs")) == everyone
    assert found("insatserna ostronodling") == []


@on_postgres
def test_the_vector_is_indexed_with_gin():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'recommendation_search_vector_gin'"
        )
        (definition,) = cursor.fetchone()
    assert "gin" in definition.lower() and "search_vector" in definition


@on_postgres
def test_swedish_stemming_finds_other_forms_of_a_word(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world = make_tracked_audit(n_recommendations=1)
    # The narratives say "arbetsgrupp" and "Arbetsgruppen"; the plural finds them.
    assert found("arbetsgrupper") == [world.recommendations[0].pk]


@on_postgres
def test_a_recommendation_edited_in_the_admin_is_found_by_its_new_wording(
    client, django_capture_on_commit_callbacks
):
    from tests.factories import admin_page_data, make_user

    with django_capture_on_commit_callbacks(execute=True):
        world = make_tracked_audit(n_recommendations=1)
    recommendation = world.recommendations[0]
    client.force_login(make_user("root", superuser=True))
    url = reverse("admin:recommendations_recommendation_change", args=[recommendation.pk])
    data = admin_page_data(client.get(url))
    data["text"] = "Inför ostronodling i stadsparken."

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302

    assert found("ostronodling") == [recommendation.pk]


@on_postgres
def test_the_management_command_rebuilds_every_vector():
    world = make_tracked_audit(n_recommendations=2)  # no commit: no vectors yet
    assert found("arbetsgruppen") == []
    call_command("refresh_search_vectors", verbosity=0)
    assert sorted(found("arbetsgruppen")) == [r.pk for r in world.recommendations]


def test_search_finds_recommendations_by_their_audits_title_and_reference(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        it = make_tracked_audit(reference="SR-2023-12", title="Granskning av IT-säkerhet")
        make_tracked_audit(reference="SR-2019-3")
    its_recommendations = sorted(r.pk for r in it.recommendations)
    assert sorted(found("IT-säkerhet")) == its_recommendations
    assert sorted(found("SR-2023-12")) == its_recommendations


def test_search_finds_recommendations_by_a_published_responses_diary_number(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        world = make_tracked_audit(n_recommendations=2, with_draft=True)
        published = world.responses[0]
        published.diary_number = "ASN-2019-4711"
        published.save()
        world.draft.diary_number = "ASN-2026-999"
        world.draft.save()
        make_tracked_audit()
    assert sorted(found("ASN-2019-4711")) == sorted(r.pk for r in world.recommendations)
    assert found("ASN-2026-999") == []  # a draft's number stays out of search


def test_renaming_an_audit_makes_the_new_title_searchable(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world = make_tracked_audit(n_recommendations=1)
    with django_capture_on_commit_callbacks(execute=True):
        world.audit.title = "Granskning av informationssäkerhet"
        world.audit.save()
    assert found("informationssäkerhet") == [world.recommendations[0].pk]
