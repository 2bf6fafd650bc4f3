"""One municipality's objects link only to its own (``municipal_links.links_elsewhere``): a
superuser, offered every municipality's boards and recommendations in the admin, is told
beside the field when a choice belongs to another municipality, and nothing is saved.
Users belong to no municipality: a case officer may serve boards of two. (The import:
tests/test_import_fixtures.py.)"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations import municipal_links
from recommendations.models import Audit, Board, FollowUpRound, Recommendation
from responses.models import Measure, Response, ResponseEntry

from .factories import (
    admin_page_data,
    make_audit,
    make_board,
    make_entry,
    make_municipality,
    make_recommendation,
    make_response,
    make_round,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def towns(db):
    malmo = make_municipality(name="Malmö stad", slug="malmo")
    exempelby = make_municipality(name="Exempelby", slug="exempelby")
    malmo_board = make_board(short_code="ASN", name="Malmönämnden", municipality=malmo)
    exempelby_board = make_board(short_code="KFN", name="Exempelbynämnden", municipality=exempelby)
    malmo_audit = make_audit(municipality=malmo, boards=[malmo_board], title="Malmögranskning")
    exempelby_audit = make_audit(
        municipality=exempelby, boards=[exempelby_board], title="Exempelbygranskning"
    )
    malmo_round = make_round(malmo_audit, sequence=1)
    malmo_recommendation = make_recommendation(malmo_audit, addressed_to=[malmo_board])
    exempelby_recommendation = make_recommendation(exempelby_audit, addressed_to=[exempelby_board])
    response = make_response(board=malmo_board, round=malmo_round, state=Response.State.DRAFT)
    return {
        "malmo_board": malmo_board,
        "exempelby_board": exempelby_board,
        "malmo_audit": malmo_audit,
        "malmo_round": malmo_round,
        "malmo_recommendation": malmo_recommendation,
        "exempelby_recommendation": exempelby_recommendation,
        "entry": make_entry(response, malmo_recommendation),
        "response": response,
    }


@pytest.fixture
def superuser_client(client, towns):
    client.force_login(make_user("root", superuser=True))
    return client


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def post_changed(client, obj, **changes):
    """The change page of ``obj`` posted as it is, but for ``changes``."""
    url = change_url(obj)
    data = admin_page_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def errors_of(page) -> dict:
    return page.context["adminform"].form.errors


REFUSED = "Exempelbynämnden” (id {pk}) hör till en annan kommun: Exempelby, inte Malmö stad."


@pytest.mark.parametrize("field", ["addressed_to", "answered_by"])
def test_a_recommendation_cannot_be_answered_by_another_municipalitys_board(
    superuser_client, towns, field
):
    recommendation = towns["malmo_recommendation"]
    stranger = towns["exempelby_board"]

    page = post_changed(
        superuser_client, recommendation, **{field: [towns["malmo_board"].pk, stranger.pk]}
    )

    assert page.status_code == 200
    assert errors_of(page)[field] == ["”" + REFUSED.format(pk=stranger.pk)]
    assert not getattr(recommendation, field).filter(pk=stranger.pk).exists()


@pytest.mark.parametrize(("field", "value"), [("audited_boards", "list"), ("auditor", "id")])
def test_an_audit_cannot_audit_or_be_audited_by_another_municipalitys_board(
    superuser_client, towns, field, value
):
    audit = towns["malmo_audit"]
    stranger = towns["exempelby_board"].pk

    page = post_changed(
        superuser_client, audit, **{field: [stranger] if value == "list" else stranger}
    )

    assert REFUSED.format(pk=stranger) in errors_of(page)[field][0]
    audit.refresh_from_db()
    assert audit.auditor.municipality == audit.municipality
    assert not audit.audited_boards.filter(pk=stranger).exists()


def test_moving_an_audit_to_another_municipality_is_refused_while_its_boards_stay(
    superuser_client, towns
):
    audit = towns["malmo_audit"]
    exempelby = towns["exempelby_board"].municipality

    page = post_changed(superuser_client, audit, municipality=exempelby.pk)

    message = "hör till en annan kommun: Malmö stad, inte Exempelby."
    assert message in errors_of(page)["audited_boards"][0]
    assert message in errors_of(page)["auditor"][0]
    assert Audit.objects.get(pk=audit.pk).municipality.slug == "malmo"


def test_a_follow_up_round_cannot_ask_another_municipalitys_board(superuser_client, towns):
    round_ = towns["malmo_round"]
    stranger = towns["exempelby_board"].pk

    page = post_changed(superuser_client, round_, asks=[stranger])

    assert errors_of(page)["asks"] == ["”" + REFUSED.format(pk=stranger)]
    assert not FollowUpRound.objects.get(pk=round_.pk).asks.exists()


def test_a_recommendation_row_on_an_audits_page_is_told_beside_its_own_field(
    superuser_client, towns
):
    audit = towns["malmo_audit"]
    stranger = towns["exempelby_board"].pk

    page = post_changed(superuser_client, audit, **{"recommendations-0-addressed_to": [stranger]})

    inline = next(
        i for i in page.context["inline_admin_formsets"] if i.formset.model is Recommendation
    )
    assert inline.formset.forms[0].errors["addressed_to"] == ["”" + REFUSED.format(pk=stranger)]
    assert not towns["malmo_recommendation"].addressed_to.filter(pk=stranger).exists()


def test_an_answer_cannot_refer_to_another_municipalitys_recommendation(superuser_client, towns):
    entry = towns["entry"]
    elsewhere = towns["exempelby_recommendation"]

    page = post_changed(superuser_client, entry, references=str(elsewhere.pk))

    assert (
        f"(id {elsewhere.pk}) hör till en annan kommun: Exempelby, inte Malmö stad."
        in (errors_of(page)["references"][0])
    )
    assert not ResponseEntry.objects.get(pk=entry.pk).references.exists()


def test_a_response_in_another_municipalitys_round_is_told_once(superuser_client, towns):
    # The model's clean() asks the same rule: the form does not say it twice.
    response = towns["response"]

    page = post_changed(superuser_client, response, board=towns["exempelby_board"].pk)

    assert errors_of(page)["round"] == [
        f"”{towns['malmo_round']}” (id {towns['malmo_round'].pk}) hör till en annan kommun: "
        "Malmö stad, inte Exempelby."
    ]


def test_a_measure_of_one_municipalitys_board_cannot_serve_anothers_recommendation(towns):
    measure = Measure(
        recommendation=towns["exempelby_recommendation"], board=towns["malmo_board"], title="x"
    )

    with pytest.raises(Exception) as refused:
        measure.full_clean()

    assert "hör till en annan kommun: Exempelby, inte Malmö stad." in str(refused.value)


def test_links_within_the_municipality_save_as_before(superuser_client, towns):
    audit = towns["malmo_audit"]
    other = make_board(short_code="SN", name="Servicenämnden", municipality=audit.municipality)

    page = post_changed(superuser_client, audit, audited_boards=[towns["malmo_board"].pk, other.pk])

    assert page.status_code == 302
    assert set(audit.audited_boards.all()) == {towns["malmo_board"], other}


def test_a_case_officer_may_be_on_the_staff_of_boards_of_two_municipalities(
    superuser_client, towns
):
    officer = make_user("handlaggare", boards=[towns["malmo_board"]])
    board = towns["exempelby_board"]

    page = post_changed(superuser_client, board, staff=[officer.pk], contact=officer.pk)

    assert page.status_code == 302
    assert set(officer.boards.all()) == {towns["malmo_board"], board}
    assert Board.objects.get(pk=board.pk).contact == officer


def test_the_check_asks_no_query_per_row_of_a_responses_page(superuser_client, towns, monkeypatch):
    """Each answer's recommendation, and those it refers to, are read with their
    municipality by the query that checks the choice: the rule itself reads nothing,
    however many rows."""
    response, audit = towns["response"], towns["malmo_audit"]
    towns["entry"].references.add(make_recommendation(audit, addressed_to=[]))

    def queries_of_saving(page_data, *, checked):
        if not checked:
            monkeypatch.setattr(municipal_links, "links_elsewhere", lambda *args, **kwargs: {})
        with CaptureQueriesContext(connection) as queries:
            assert superuser_client.post(change_url(response), page_data).status_code == 302
        monkeypatch.undo()
        return len(queries)

    def added_by_the_check():
        data = admin_page_data(superuser_client.get(change_url(response)))
        return queries_of_saving(data, checked=True) - queries_of_saving(data, checked=False)

    assert added_by_the_check() == 0
    for _ in range(5):
        entry = make_entry(response, make_recommendation(audit, addressed_to=[]))
        entry.references.add(towns["malmo_recommendation"])

    assert added_by_the_check() == 0


def test_a_board_that_recommendations_are_addressed_to_cannot_move_to_another_municipality(
    superuser_client, towns
):
    board = towns["malmo_board"]
    exempelby = towns["exempelby_board"].municipality

    page = post_changed(superuser_client, board, municipality=exempelby.pk)

    [message] = errors_of(page)["municipality"]
    assert message.startswith("”Malmönämnden")
    assert "kan inte flyttas till en annan kommun" in message
    assert "rekommendationer" in message and "i Malmö stad" in message
    assert Board.objects.get(pk=board.pk).municipality.slug == "malmo"


def test_an_audit_with_recommendations_cannot_move_with_its_boards_left_behind(
    superuser_client, towns
):
    audit = towns["malmo_audit"]
    exempelby = towns["exempelby_board"].municipality

    page = post_changed(superuser_client, audit, municipality=exempelby.pk)

    assert "kan inte flyttas till en annan kommun" in errors_of(page)["municipality"][0]
    assert Audit.objects.get(pk=audit.pk).municipality.slug == "malmo"


def test_a_board_nothing_links_to_yet_moves_to_another_municipality(superuser_client, towns):
    """A board created in the wrong municipality is put right, staff list and all: its
    staff are users, who belong to no municipality."""
    malmo = towns["malmo_board"].municipality
    exempelby = towns["exempelby_board"].municipality
    board = make_board(short_code="NY", name="Ny nämnd", municipality=malmo)
    board.staff.add(make_user("handlaggare"))

    page = post_changed(superuser_client, board, municipality=exempelby.pk)

    assert page.status_code == 302
    assert Board.objects.get(pk=board.pk).municipality == exempelby
