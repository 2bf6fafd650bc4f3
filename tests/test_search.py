"""Full-text search: the stored vector on PostgreSQL, the text fallback elsewhere."""

import pytest
from django.core.management import call_command
from django.db import connection

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
def test_the_management_command_rebuilds_every_vector():
    world = make_tracked_audit(n_recommendations=2)  # no commit: no vectors yet
    assert found("arbetsgruppen") == []
    call_command("refresh_search_vectors", verbosity=0)
    assert sorted(found("arbetsgruppen")) == [r.pk for r in world.recommendations]
