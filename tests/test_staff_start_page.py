"""The staff's start page leads with what their boards owe: each open round asking them
for an answer not handed in yet, with its last day, what the auditors ask, and a button
to start the answer or a link to the draft begun. Their earlier responses follow."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from auditfollowup.lib.dates import FuzzyDate
from recommendations.roles import STAFF_GROUP
from recommendations.status import Status
from responses.models import Response, ResponseEntry

from .factories import make_round, make_user


def owed(page) -> list[tuple]:
    return [(item.round, item.board, item.draft) for item in page.context["owed"]]


def owed_section(page) -> str:
    return page.text.split('id="owed-heading"')[1].split("</section>")[0]


def test_the_answer_owed_comes_first_with_its_last_day_and_a_button_to_start_it(client, world):
    world.round2.deadline = FuzzyDate.parse("2099-12-31")
    world.round2.request = "Redovisa vidtagna åtgärder och deras effekt."
    world.round2.save()
    client.force_login(world.staff_a)

    page = client.get(reverse("responses:response_start"))

    assert owed(page) == [(world.round2, world.board_a, None)]
    section = owed_section(page)
    assert world.round2.title in section
    assert "senast 2099-12-31" in section
    assert "Redovisa vidtagna åtgärder och deras effekt." in section
    assert "Påbörja yttrandet" in section
    # Above the board's earlier responses, not at the foot of the page under them.
    assert page.text.index('id="owed-heading"') < page.text.index('id="own-heading"')


def test_a_draft_begun_is_offered_to_continue_not_to_start_again(client, world, draft):
    client.force_login(world.staff_a)

    page = client.get(reverse("responses:response_start"))

    assert owed(page) == [(world.round2, world.board_a, draft)]
    section = owed_section(page)
    assert "Fortsätt med utkastet" in section
    assert reverse("responses:response_edit", args=[draft.pk]) in section
    assert "Påbörja yttrandet" not in section


def test_an_answer_handed_in_is_no_longer_owed_and_the_page_says_where_it_is(client, world, draft):
    draft.state = Response.State.SUBMITTED
    draft.save()
    client.force_login(world.staff_a)

    page = client.get(reverse("responses:response_start"))

    assert owed(page) == []
    assert "lämnat in ett yttrande i varje öppen omgång" in owed_section(page)
    assert draft.title in page.text


def test_a_passed_last_day_is_said_beside_it(client, world):
    world.round2.deadline = FuzzyDate.parse("2020-01-31")
    world.round2.save()
    client.force_login(world.staff_a)

    page = client.get(reverse("responses:response_start"))

    assert "sista dagen har passerat" in owed_section(page)


def test_another_boards_answer_leaves_the_round_owed(client, world):
    Response.objects.create(board=world.board_b, round=world.round2, title="SN:s utkast")
    client.force_login(world.staff_a)

    assert owed(client.get(reverse("responses:response_start"))) == [
        (world.round2, world.board_a, None)
    ]


def test_staff_of_two_boards_see_each_boards_answer_owed(client, world, draft):
    both = make_user("båda", groups=[STAFF_GROUP], boards=[world.board_a, world.board_b])
    client.force_login(both)

    page = client.get(reverse("responses:response_start"))

    assert sorted(owed(page), key=lambda item: item[1].name) == sorted(
        [(world.round2, world.board_a, draft), (world.round2, world.board_b, None)],
        key=lambda item: item[1].name,
    )


def test_the_button_starts_the_draft_and_opens_it(client, world):
    client.force_login(world.staff_a)

    page = client.post(
        reverse("responses:response_start"),
        {"board": world.board_a.pk, "round": world.round2.pk},
    )

    response = Response.objects.get(board=world.board_a, round=world.round2)
    assert page.status_code == 302
    assert page.url == reverse("responses:response_edit", args=[response.pk])


def test_a_round_closed_since_the_page_opened_is_refused_with_what_to_do(client, world):
    client.force_login(world.staff_a)
    world.round2.is_open = False
    world.round2.save()

    page = client.post(
        reverse("responses:response_start"),
        {"board": world.board_a.pk, "round": world.round2.pk},
    )

    assert page.status_code == 400  # as every form of the product refuses a post
    summary = page.text.split('class="error-summary"')[1].split("</div>")[0]
    assert "Yttrandet kunde inte påbörjas" in summary
    assert "Omgången är inte längre öppen för yttranden." in summary
    assert not Response.objects.filter(round=world.round2).exists()


def test_a_start_in_a_round_the_board_is_not_asked_is_refused_with_400(client, world):
    only_b = make_round(world.audit, sequence=3, title="Bara SN", is_open=True)
    only_b.asks.set([world.board_b])
    both = make_user("båda", groups=[STAFF_GROUP], boards=[world.board_a, world.board_b])
    client.force_login(both)

    page = client.post(
        reverse("responses:response_start"), {"board": world.board_a.pk, "round": only_b.pk}
    )

    assert page.status_code == 400
    assert "Omgången begär inget svar av" in page.text
    assert not Response.objects.filter(round=only_b).exists()


def test_the_start_page_reads_a_fixed_number_of_queries_however_many_rounds(
    client, world, django_assert_max_num_queries
):
    for sequence in range(3, 9):
        make_round(world.audit, sequence=sequence, title=f"Omgång {sequence}", is_open=True)
    client.force_login(world.staff_a)
    client.get(reverse("responses:response_start"))  # the session, once

    # Session and user, the user's groups and boards, the open rounds and whom they ask
    # (owed_responses, five), the responses, the overdue measures and the board ids.
    with django_assert_max_num_queries(14):
        page = client.get(reverse("responses:response_start"))

    assert len(page.context["owed"]) == 7


def progress(page) -> list[str]:
    return re.findall(r"\d+ av \d+ rekommendation(?:er)? besvarad(?:e)?", page.text)


def test_a_draft_says_how_many_of_its_recommendations_are_answered_so_far(client, world, draft):
    """As the draft's edit page lists them (recommendations_to_answer, answered where
    the draft has an answer): in the answer owed and in the list of responses."""
    client.force_login(world.staff_a)
    url = reverse("responses:response_start")
    assert progress(client.get(url)) == ["0 av 2 rekommendationer besvarade"] * 2

    ResponseEntry.objects.create(response=draft, recommendation=world.rec1, status=Status.PLANNED)
    page = client.get(url)
    assert "Utkastet är påbörjat. 1 av 2 rekommendationer besvarade." in owed_section(page)
    assert progress(page) == ["1 av 2 rekommendationer besvarade"] * 2

    # A recommendation the auditors close is no longer asked about, as on the edit page.
    world.rec2.close(timezone.localdate(), "Inaktuell.", world.auditor)
    assert progress(client.get(url)) == ["1 av 1 rekommendation besvarad"] * 2
    edit = client.get(reverse("responses:response_edit", args=[draft.pk]))
    assert [section["recommendation"] for section in edit.context["page"].sections] == [world.rec1]


def test_a_response_handed_in_says_nothing_of_its_progress(client, world, draft):
    ResponseEntry.objects.create(response=draft, recommendation=world.rec1, status=Status.PLANNED)
    Response.objects.filter(pk=draft.pk).update(state=Response.State.SUBMITTED)
    client.force_login(world.staff_a)
    assert progress(client.get(reverse("responses:response_start"))) == []


def test_the_start_page_counts_each_drafts_answers_in_the_same_queries_however_many(
    client, world, django_assert_num_queries
):
    """The progress of every draft is read with the responses, in the same query."""
    client.force_login(world.staff_a)
    url = reverse("responses:response_start")
    Response.objects.create(board=world.board_a, round=world.round2, title="Utkast")
    client.get(url)  # the session, once
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for sequence in range(3, 7):
        round_ = make_round(world.audit, sequence=sequence, title=f"Omgång {sequence}")
        draft = Response.objects.create(
            board=world.board_a, round=round_, title=f"Utkast {sequence}"
        )
        ResponseEntry.objects.create(
            response=draft, recommendation=world.rec1, status=Status.PLANNED
        )
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url)
    assert progress(page).count("1 av 2 rekommendationer besvarade") == 4
