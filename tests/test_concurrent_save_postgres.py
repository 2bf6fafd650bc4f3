"""Two saves of the same draft at the same moment on PostgreSQL: the second waits for the
first's row lock, then finds the version moved on and is refused (not last-write-wins)."""

import pytest
from django.db import connection

from responses import services
from responses.models import Response

from .concurrency import second_while_first_holds_its_locks
from .factories import build_world

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def save(response_pk, user, title):
    return services.save_response(
        response=Response.objects.get(pk=response_pk),
        expected_version=1,
        user=user,
        title=title,
        addressed_to="",
        summary="",
        entries=[],
        measure_updates=[],
        new_measures=[],
    )


@pytest.mark.django_db(transaction=True)
def test_of_two_simultaneous_saves_the_second_is_refused():
    world = build_world()
    draft = Response.objects.create(board=world.board_a, round=world.round2, title="Utkast")

    def save_second():
        try:
            save(draft.pk, world.staff_b, "Andra")
        except services.StaleVersion:
            return "refused"
        return "saved"

    _, second = second_while_first_holds_its_locks(
        lambda: save(draft.pk, world.staff_a, "Första"), save_second
    )

    draft.refresh_from_db()
    assert second == "refused"
    assert (draft.title, draft.version) == ("Första", 2)
