"""One municipality's objects link only to its own (``municipal_links.links_elsewhere``): a
superuser, offered every municipality's boards and recommendations in the admin, is told
beside the field when a choice belongs to another municipality, and nothing is saved.
Users belong to no municipality: a case officer may serve boards of two. (The import:
tests/test_import_fixtures.py.)"""

import json
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models.signals import m2m_changed
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


def test_a_round_with_responses_cannot_move_into_another_municipalitys_audit(
    superuser_client, towns
):
    """A round belongs to its audit's municipality: given Exempelby's audit, Malmö's
    response in it would answer in a round of Exempelby's."""
    round_ = towns["malmo_round"]
    exempelby_audit = make_audit(
        municipality=towns["exempelby_board"].municipality, boards=[towns["exempelby_board"]]
    )

    page = post_changed(superuser_client, round_, audit=exempelby_audit.pk, asks=[])

    [message] = errors_of(page)["audit"]
    assert "kan inte flyttas till en annan kommun: yttranden i Malmö stad" in message
    assert FollowUpRound.objects.get(pk=round_.pk).audit == towns["malmo_audit"]


def test_an_answered_recommendation_cannot_move_into_another_municipalitys_audit(
    superuser_client, towns
):
    recommendation = towns["malmo_recommendation"]
    exempelby_audit = make_audit(
        municipality=towns["exempelby_board"].municipality, boards=[towns["exempelby_board"]]
    )

    page = post_changed(
        superuser_client,
        recommendation,
        audit=exempelby_audit.pk,
        addressed_to=[towns["exempelby_board"].pk],
    )

    assert "kan inte flyttas till en annan kommun" in errors_of(page)["audit"][0]
    assert Recommendation.objects.get(pk=recommendation.pk).audit == towns["malmo_audit"]


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


# Links added through the ORM, outside the admin's forms and the importer (the shell, code):
# the same rule, asked as each link is added (``municipal_links.refuse_links_added``).


@pytest.mark.parametrize(
    ("owner", "field", "stranger"),
    [
        ("malmo_audit", "audited_boards", "exempelby_board"),
        ("malmo_round", "asks", "exempelby_board"),
        ("malmo_recommendation", "addressed_to", "exempelby_board"),
        ("malmo_recommendation", "answered_by", "exempelby_board"),
        ("entry", "references", "exempelby_recommendation"),
    ],
)
def test_a_link_added_in_code_to_another_municipalitys_object_is_refused(
    towns, owner, field, stranger
):
    owner, stranger = towns[owner], towns[stranger]
    links = getattr(type(owner).objects.get(pk=owner.pk), field)

    # Raised where Django writes the link, as a database constraint would be: the
    # transaction it is raised in is broken, as by an IntegrityError.
    with pytest.raises(ValidationError) as refused, transaction.atomic():
        links.add(stranger)

    assert refused.value.message_dict == {
        field: [
            f"”{stranger}” (id {stranger.pk}) hör till en annan kommun: Exempelby, inte Malmö stad."
        ]
    }
    assert not getattr(owner, field).filter(pk=stranger.pk).exists()


def test_a_link_added_from_the_other_side_or_by_id_is_refused_too(towns):
    board, round_ = towns["exempelby_board"], towns["malmo_round"]

    refused = "Exempelbynämnden” .* hör till en annan kommun: Exempelby, inte Malmö stad."
    with pytest.raises(ValidationError, match=refused), transaction.atomic():
        board.asked_rounds.add(round_)
    with pytest.raises(ValidationError, match="hör till en annan kommun"), transaction.atomic():
        towns["malmo_recommendation"].addressed_to.set([towns["malmo_board"].pk, board.pk])

    assert not round_.asks.exists()
    assert list(towns["malmo_recommendation"].addressed_to.all()) == [towns["malmo_board"]]


def test_a_link_added_in_code_within_the_municipality_is_kept(towns):
    other = make_board(short_code="SN", municipality=towns["malmo_board"].municipality)

    towns["malmo_round"].asks.add(other)
    other.addressed_recommendations.add(towns["malmo_recommendation"])

    assert list(towns["malmo_round"].asks.all()) == [other]
    assert other in towns["malmo_recommendation"].addressed_to.all()


@contextmanager
def without_the_guard():
    """The links added through the ORM unchecked, as before the guard."""
    throughs = [
        field.remote_field.through
        for model in apps.get_models()
        for field in municipal_links.link_fields(model)
        if field.many_to_many
    ]
    uid = "links_within_one_municipality_{}"
    for through in throughs:
        m2m_changed.disconnect(sender=through, dispatch_uid=uid.format(through._meta.label_lower))
    try:
        yield
    finally:
        for through in throughs:
            m2m_changed.connect(
                municipal_links.refuse_links_added,
                sender=through,
                dispatch_uid=uid.format(through._meta.label_lower),
            )


def test_the_guard_reads_nothing_more_on_an_admins_save(superuser_client, towns):
    """The admin's form has read the objects it links to with their municipality, and
    hands them over (``remember_read``): adding links costs the queries it cost before the
    guard, on an audit's, a recommendation's and a round's page."""
    malmo_board = towns["malmo_board"]
    boards = [
        make_board(short_code=f"N{n}", municipality=malmo_board.municipality) for n in range(3)
    ]

    def cost(obj, field, before, chosen):
        getattr(obj, field).set(before)  # links removed: nothing for the guard to check
        data = admin_page_data(superuser_client.get(change_url(obj)))
        data[field] = [board.pk for board in chosen]
        with CaptureQueriesContext(connection) as queries:
            assert superuser_client.post(change_url(obj), data).status_code == 302
        assert set(getattr(obj, field).all()) == set(chosen)
        return len(queries)

    for case in [
        (towns["malmo_audit"], "audited_boards", [malmo_board], [malmo_board, *boards[:2]]),
        (towns["malmo_recommendation"], "addressed_to", [malmo_board], [malmo_board, boards[2]]),
        (towns["malmo_round"], "asks", [], boards),
    ]:
        cost(*case)  # Django's caches filled (the content types of the change log)
        guarded = cost(*case)
        with without_the_guard():
            assert cost(*case) == guarded, case[1]


def test_the_guard_reads_nothing_on_an_import(towns):
    """The importer writes its links in bulk, without the signal, having checked them."""
    from dataimport.importer import import_texts

    audit, board = towns["malmo_audit"], towns["malmo_board"]
    fields = {"audit": audit.pk, "position": 9, "text": "Ny", "addressed_to": [board.pk]}
    text = json.dumps([{"model": "recommendations.recommendation", "pk": 990001, "fields": fields}])

    import_texts([("fil.json", text)], dry_run=True)
    with CaptureQueriesContext(connection) as guarded:
        import_texts([("fil.json", text)], dry_run=True)
    with without_the_guard(), CaptureQueriesContext(connection) as unguarded:
        import_texts([("fil.json", text)], dry_run=True)

    assert len(guarded) == len(unguarded)


def test_the_guard_reads_nothing_more_on_an_auditors_change_of_a_round(client, towns):
    """The auditors' round form offers only the municipality's boards and hands those
    chosen over as the admin's form does."""
    from recommendations.assessment_forms import FollowUpRequestForm
    from recommendations.roles import AUDITOR_GROUP

    round_ = towns["malmo_round"]
    client.force_login(make_user("revisor", groups=[AUDITOR_GROUP]))
    url = reverse("auditors:change_follow_up", args=[round_.audit_id, round_.pk])
    boards = [
        make_board(short_code=f"N{n}", municipality=round_.audit.municipality) for n in range(2)
    ]

    def cost():
        round_.asks.set([])
        data = {
            "kind": round_.kind,
            "title": "Lägesbeskrivning",
            "asks": [board.pk for board in boards],
            "shown_fingerprint": FollowUpRequestForm.fingerprint(
                FollowUpRound.objects.get(pk=round_.pk)
            ),
        }
        with CaptureQueriesContext(connection) as queries:
            assert client.post(url, data).status_code == 302
        assert set(round_.asks.all()) == set(boards)
        return len(queries)

    cost()  # Django's caches filled
    guarded = cost()
    with without_the_guard():
        assert cost() == guarded
