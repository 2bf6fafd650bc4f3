"""Two saves of the same draft at the same moment on PostgreSQL: the second waits for the
first's row lock, then finds the version moved on and is refused (not last-write-wins)."""

import threading

import pytest
from django.db import connection, transaction

from responses import services
from responses.models import Response

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
    first_holds_lock, second_started = threading.Event(), threading.Event()
    outcome = {}

    def first():
        try:
            with transaction.atomic():
                save(draft.pk, world.staff_a, "Första")
                first_holds_lock.set()
                second_started.wait(timeout=10)
        finally:
            connection.close()

    def second():
        try:
            first_holds_lock.wait(timeout=10)
            second_started.set()
            save(draft.pk, world.staff_b, "Andra")
            outcome["second"] = "saved"
        except services.StaleVersion:
            outcome["second"] = "refused"
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    draft.refresh_from_db()
    assert outcome == {"second": "refused"}
    assert (draft.title, draft.version) == ("Första", 2)
