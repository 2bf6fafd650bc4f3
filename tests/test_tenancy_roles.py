"""Auditors and board staff act for one municipality: an auditor of Malmö reads Malmö's
submitted responses and assesses Malmö's recommendations, never Lund's; a user on a
board's staff list but outside the staff group writes nothing."""

import pytest
from django.urls import reverse

from recommendations.models import AuditorAssessment
from recommendations.roles import ADMIN_GROUP, AUDITOR_GROUP, STAFF_GROUP
from responses.models import Response

from .factories import make_response, make_round, make_user


@pytest.fixture
def malmo_auditor(towns):
    return make_user("malmo-revisor", groups=[AUDITOR_GROUP], municipality=towns[0][0])


def test_an_auditor_reads_their_own_municipalitys_submitted_response(client, towns, malmo_auditor):
    client.force_login(malmo_auditor)
    page = client.get(towns[0][5].get_absolute_url())
    assert page.status_code == 200
    assert "Inlämnad text MALMOMARK" in page.text


def test_an_auditor_gets_404_for_another_municipalitys_submitted_response(
    client, towns, malmo_auditor
):
    client.force_login(malmo_auditor)
    page = client.get(towns[1][5].get_absolute_url())
    assert page.status_code == 404


def test_another_municipalitys_submitted_answer_stays_out_of_the_auditors_timeline(
    client, towns, malmo_auditor
):
    client.force_login(malmo_auditor)
    page = client.get(towns[1][4].get_absolute_url())
    assert page.status_code == 200
    assert "LUNDMARK" not in page.text
    assert reverse("auditors:assess", args=[towns[1][4].pk]) not in page.text
    history = client.get(reverse("auditors:recommendation_history", args=[towns[1][4].pk]))
    assert history.status_code == 200
    assert "LUNDMARK" not in history.text


def test_the_history_page_shows_an_auditor_their_own_municipalitys_submitted_answer(
    client, towns, malmo_auditor
):
    client.force_login(malmo_auditor)
    history = client.get(reverse("auditors:recommendation_history", args=[towns[0][4].pk]))
    assert "MALMOMARK" in history.text


def test_an_auditor_cannot_assess_or_close_another_municipalitys_recommendation(
    client, towns, malmo_auditor
):
    client.force_login(malmo_auditor)
    lund_recommendation, lund_round = towns[1][4], towns[1][3]
    assess = reverse("auditors:assess", args=[lund_recommendation.pk])
    assert client.get(assess).status_code == 404
    posted = client.post(assess, {"round": lund_round.pk, "status": "implemented"})
    assert posted.status_code == 404
    close = reverse("auditors:close", args=[lund_recommendation.pk])
    assert client.post(close, {"closed_on": "2024-01-01", "closed_reason": "x"}).status_code == 404
    lund_recommendation.refresh_from_db()
    assert lund_recommendation.closed_on is None
    assert not AuditorAssessment.objects.filter(recommendation=lund_recommendation).exists()


def test_an_auditor_assesses_their_own_municipalitys_recommendation(client, towns, malmo_auditor):
    client.force_login(malmo_auditor)
    recommendation, round_ = towns[0][4], towns[0][3]
    posted = client.post(
        reverse("auditors:assess", args=[recommendation.pk]),
        {"round": round_.pk, "status": "implemented"},
    )
    assert posted.status_code == 302
    assert AuditorAssessment.objects.filter(recommendation=recommendation).exists()


def test_the_attention_page_lists_only_the_auditors_own_municipality(client, towns, malmo_auditor):
    client.force_login(malmo_auditor)
    page = client.get(reverse("auditors:attention"), {"since": "2000-01-01"})
    arrived = {response.pk for response in page.context["arrived"]}
    assert towns[0][5].pk in arrived
    assert towns[1][5].pk not in arrived
    assert all(m.round.audit.municipality_id == towns[0][0].pk for m in page.context["missing"])


def test_an_auditor_in_no_municipality_reads_only_what_is_published(client, towns):
    stray = make_user("utan-kommun", groups=[AUDITOR_GROUP])
    stray.membership.delete()
    client.force_login(stray)
    for town in towns:
        response = town[5]
        assert client.get(response.get_absolute_url()).status_code == 404
        assess = reverse("auditors:assess", args=[town[4].pk])
        assert client.get(assess).status_code == 404


def test_a_superuser_reads_and_assesses_every_municipality(client, towns):
    client.force_login(make_user("root", superuser=True))
    for town in towns:
        assert client.get(town[5].get_absolute_url()).status_code == 200
        assert client.get(reverse("auditors:assess", args=[town[4].pk])).status_code == 200


def test_an_admin_of_one_municipality_cannot_write_another_municipalitys_draft(client, towns):
    admin = make_user("malmo-admin", groups=[ADMIN_GROUP], municipality=towns[0][0])
    lund_draft = make_response(
        board=towns[1][1], round=make_round(towns[1][2], sequence=2), state=Response.State.DRAFT
    )
    malmo_draft = make_response(
        board=towns[0][1], round=make_round(towns[0][2], sequence=2), state=Response.State.DRAFT
    )
    client.force_login(admin)
    assert client.get(reverse("responses:response_edit", args=[lund_draft.pk])).status_code == 404
    assert client.get(reverse("responses:response_edit", args=[malmo_draft.pk])).status_code == 200
    start = client.get(reverse("responses:response_start"))
    offered = set(start.context["form"].fields["board"].queryset)
    assert towns[0][1] in offered
    assert towns[1][1] not in offered


def test_a_user_on_a_boards_staff_list_but_in_no_group_cannot_edit_its_drafts(client, towns):
    board = towns[0][1]
    draft = make_response(
        board=board, round=make_round(towns[0][2], sequence=2), state=Response.State.DRAFT
    )
    listed = make_user("bara-listad", boards=[board])
    client.force_login(listed)
    assert client.get(reverse("responses:response_edit", args=[draft.pk])).status_code == 404
    assert client.get(reverse("responses:response_start")).status_code == 403
    listed.groups.add(make_user("mall", groups=[STAFF_GROUP]).groups.get())
    client.force_login(listed)
    assert client.get(reverse("responses:response_edit", args=[draft.pk])).status_code == 200
