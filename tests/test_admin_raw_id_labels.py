"""A raw-id input in the admin names the object whose id it holds only when that object
is in the admin's municipality: another municipality's id, typed into the address or
posted, shows no label, so neither its draft titles nor its usernames leak
(recommendations/admin_scope.py)."""

import pytest
from django.urls import reverse

from recommendations.roles import AUDITOR_GROUP
from responses.models import Response

from .factories import make_entry, make_measure, make_response, make_round, make_user


def _objects(town, marker):
    municipality, board, audit, _round, recommendation, _submitted = town
    draft = make_response(
        board=board,
        round=make_round(audit, sequence=2),
        state=Response.State.DRAFT,
        title=f"Utkast {marker}",
    )
    entry = make_entry(draft, recommendation)
    return {
        "response": draft,
        "entry": entry,
        "measure": make_measure(recommendation, board=board, title=f"Åtgärd {marker}"),
        "user": make_user(
            f"revisor{marker.lower()}", groups=[AUDITOR_GROUP], municipality=municipality
        ),
    }


@pytest.fixture
def objects(towns):
    return {"malmo": _objects(towns[0], "MALMOMARK"), "lund": _objects(towns[1], "LUNDMARK")}


# (add page, raw-id field, which object its id names, what its label would show)
RAW_ID_FIELDS = [
    ("admin:responses_responseentry_add", "response", "response", "Utkast {}"),
    ("admin:responses_measure_add", "announced_in", "entry", "Utkast {}"),
    ("admin:responses_measureupdate_add", "measure", "measure", "Åtgärd {}"),
    ("admin:responses_duedatechange_add", "measure", "measure", "Åtgärd {}"),
    ("admin:responses_duedatechange_add", "changed_by", "user", "revisor{}"),
    ("admin:responses_response_add", "created_by", "user", "revisor{}"),
    ("admin:recommendations_board_add", "contact", "user", "revisor{}"),
    ("admin:recommendations_recommendation_add", "closed_by", "user", "revisor{}"),
    ("admin:recommendations_auditorassessment_add", "assessed_by", "user", "revisor{}"),
    ("admin:notifications_profile_add", "user", "user", "revisor{}"),
    ("admin:notifications_preference_add", "user", "user", "revisor{}"),
]


def _label(marker, shown):
    return shown.format(marker if not shown.startswith("revisor") else marker.lower())


@pytest.mark.parametrize("url, field, key, shown", RAW_ID_FIELDS)
def test_another_municipalitys_id_in_a_raw_id_field_shows_no_name(
    client, malmo_admin, objects, url, field, key, shown
):
    page = client.get(reverse(url), {field: objects["lund"][key].pk})

    assert page.status_code == 200
    assert _label("LUNDMARK", shown) not in page.text


@pytest.mark.parametrize("url, field, key, shown", RAW_ID_FIELDS)
def test_an_own_id_in_a_raw_id_field_is_named(client, malmo_admin, objects, url, field, key, shown):
    page = client.get(reverse(url), {field: objects["malmo"][key].pk})

    assert page.status_code == 200
    assert _label("MALMOMARK", shown) in page.text


def test_a_posted_id_of_another_municipality_is_refused_without_its_name(
    client, malmo_admin, objects
):
    lund_draft = objects["lund"]["response"]

    page = client.post(
        reverse("admin:responses_responseentry_add"),
        {"response": lund_draft.pk, "status": "in_progress"},
    )

    assert page.status_code == 200  # the form comes back with an error
    assert "Utkast LUNDMARK" not in page.text


def test_a_superuser_sees_every_municipalitys_names(client, objects):
    client.force_login(make_user("huvudadmin", superuser=True))

    page = client.get(
        reverse("admin:responses_responseentry_add"), {"response": objects["lund"]["response"].pk}
    )

    assert "Utkast LUNDMARK" in page.text
