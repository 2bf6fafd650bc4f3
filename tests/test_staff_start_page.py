"""The staff's start page offers the rounds their board may still start an answer in: not
one it has answered already, whose answer stands in the list above the form."""

from django.urls import reverse

from recommendations.roles import STAFF_GROUP
from responses.models import Response

from .factories import make_round, make_user


def offered_rounds(page) -> list:
    return list(page.context["form"].offered_rounds)


def test_a_round_the_board_has_answered_is_not_offered_again(client, world, draft):
    third = make_round(world.audit, sequence=3, title="Tredje omgången", is_open=True)
    client.force_login(world.staff_a)

    page = client.get(reverse("responses:response_start"))

    assert offered_rounds(page) == [third]  # round 2 has the draft already
    assert "Tredje omgången" in page.text
    assert world.round2.title not in page.text.split('id="start-heading"')[1]


def test_staff_whose_board_answered_every_open_round_are_told_where_the_answers_are(
    client, world, draft
):
    client.force_login(world.staff_a)

    page = client.get(reverse("responses:response_start"))

    assert "Nämnden har redan ett yttrande i varje öppen omgång" in page.text
    assert "Skapa utkast" not in page.text
    assert draft.title in page.text


def test_another_boards_answer_leaves_the_round_offered(client, world):
    Response.objects.create(board=world.board_b, round=world.round2, title="SN:s utkast")
    client.force_login(world.staff_a)

    assert offered_rounds(client.get(reverse("responses:response_start"))) == [world.round2]


def test_staff_of_two_boards_are_offered_a_round_one_of_them_has_not_answered(client, world, draft):
    both = make_user("båda", groups=[STAFF_GROUP], boards=[world.board_a, world.board_b])
    client.force_login(both)

    page = client.get(reverse("responses:response_start"))

    assert offered_rounds(page) == [world.round2]  # board B may still answer it
    assert "Skapa utkast" in page.text


def test_a_start_without_a_round_is_refused_with_400_and_the_form_says_why(client, world):
    client.force_login(world.staff_a)
    before = Response.objects.count()

    page = client.post(reverse("responses:response_start"), {"board": world.board_a.pk})

    assert page.status_code == 400  # as every form of the product refuses a post
    summary = page.text.split('class="error-summary"')[1].split("</div>")[0]
    assert "Uppföljningsomgång: Detta fält måste fyllas i." in summary
    assert 'href="#id_round"' in summary
    assert "Skapa utkast" in page.text  # the form again, to correct
    assert Response.objects.count() == before


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
