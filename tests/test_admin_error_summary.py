"""An admin change page that refuses a save lists its errors above the fields, each naming
its field (and the inline row it stands in) and linking to it."""

import re

import pytest
from django.urls import reverse

from recommendations.models import Audit
from recommendations.roles import ADMIN_GROUP

from .factories import make_board, make_municipality, make_user


@pytest.fixture
def malmo_admin(db, client):
    malmo = make_municipality(name="Malmö stad", slug="malmo")
    make_board(short_code="ASN", name="Arbetsmarknadsnämnden", municipality=malmo)
    admin = make_user("malmo-admin", groups=[ADMIN_GROUP], municipality=malmo, is_staff=True)
    client.force_login(admin)
    return admin


def audit_with_a_round_lacking_its_number(municipality) -> dict:
    return {
        "municipality": municipality.pk,
        "title": "Granskning av IT-säkerhet",
        "kind": Audit.Kind.AUDIT,
        "rounds-TOTAL_FORMS": "1",
        "rounds-INITIAL_FORMS": "0",
        "rounds-0-title": "Första yttrande",
        "recommendations-TOTAL_FORMS": "0",
        "recommendations-INITIAL_FORMS": "0",
    }


def summary_of(page) -> list[tuple[str, str]]:
    block = page.text.split('<div class="admin-error-summary"', 1)[1].split("</div>", 1)[0]
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', block)


def test_a_refused_audit_names_each_field_to_correct_above_the_form(client, malmo_admin):
    municipality = malmo_admin.membership.municipality
    page = client.post(
        reverse("admin:recommendations_audit_add"),
        audit_with_a_round_lacking_its_number(municipality),
    )

    assert page.status_code == 200 and not Audit.objects.exists()
    summary = summary_of(page)
    assert ("id_auditor", "Granskande organ: Detta fält måste fyllas i.") in summary
    assert ("id_audited_boards", "Granskade nämnder: Detta fält måste fyllas i.") in summary
    assert (
        "id_rounds-0-sequence",
        "Uppföljningsomgång 1, Ordning: Detta fält måste fyllas i.",
    ) in summary
    # Above the fields, under Django's own note.
    assert page.text.index("admin-error-summary") < page.text.index('name="title"')


def test_a_page_without_errors_has_no_summary(client, malmo_admin):
    page = client.get(reverse("admin:recommendations_audit_add"))

    assert "admin-error-summary" not in page.text
