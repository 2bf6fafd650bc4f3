"""A source document belongs to one municipality (or to none: a superuser's), whatever
made it: the migration that gave the stored documents theirs, the import, the admin's
superusers. (Who may manage whose document: test_tenancy_admin.py.)"""

import importlib
import json

import pytest
from django.apps import apps
from django.urls import reverse

from dataimport.importer import ImportFailed, import_texts
from recommendations.models import SourceDocument
from responses.models import Response

from .conftest import SEED_FIXTURES
from .factories import admin_page_data, make_source_document, make_user

migration = importlib.import_module("recommendations.migrations.0013_source_document_municipality")


def _named_by(town, document):
    """``document`` named by ``town``'s audit (``towns`` in conftest)."""
    _municipality, _board, audit, *_rest = town
    audit.source_documents.add(document)


def _import(records, user=None):
    return import_texts([("import.json", json.dumps(records))], user=user)


def _document(pk, **fields):
    return {
        "model": "recommendations.sourcedocument",
        "pk": pk,
        "fields": {"file_name": f"{pk}.pdf", "title": f"Dokument {pk}", "kind": "memo", **fields},
    }


def _audit_naming(town, documents):
    municipality, board, audit, *_rest = town
    return {
        "model": "recommendations.audit",
        "pk": audit.pk,
        "fields": {
            "municipality": municipality.pk,
            "title": audit.title,
            "auditor": audit.auditor_id,
            "audited_boards": [board.pk],
            "source_documents": documents,
        },
    }


@pytest.mark.parametrize("fill", ["migration", "queryset"])
def test_a_stored_document_belongs_to_the_one_municipality_naming_it_or_to_none(towns, fill):
    malmo, lund = towns
    by_audit, by_response, by_reference, shared, _unnamed = (
        make_source_document(title=title)
        for title in ("granskning", "yttrande", "hänvisning", "delat", "onämnt")
    )
    _named_by(malmo, by_audit)
    Response.objects.filter(pk=lund[5].pk).update(source_document=by_response)
    malmo[5].referenced_in.add(by_reference)
    _named_by(malmo, shared)
    lund[5].referenced_in.add(shared)

    if fill == "migration":
        migration.give_owners_from_links(apps, None)
    else:
        assert SourceDocument.objects.give_owners_from_links() == 3

    owners = dict(SourceDocument.objects.values_list("title", "municipality"))
    assert owners == {
        "granskning": malmo[0].pk,
        "yttrande": lund[0].pk,
        "hänvisning": malmo[0].pk,
        "delat": None,
        "onämnt": None,
    }


def test_giving_owners_from_links_leaves_a_documents_own_municipality_alone(towns):
    _malmo, lund = towns
    document = make_source_document(municipality=lund[0])
    lund[2].source_documents.add(document)

    assert SourceDocument.objects.give_owners_from_links() == 0
    document.refresh_from_db()
    assert document.municipality == lund[0]


def test_a_document_named_as_one_its_municipality_has_stays_without_one(towns):
    """File names are unique within a municipality: given Malmö, it would break the rule."""
    malmo, _lund = towns
    make_source_document(file_name="yttrande.pdf", municipality=malmo[0])
    twin = make_source_document(file_name="yttrande.pdf")
    other = make_source_document(file_name="eget.pdf")
    _named_by(malmo, twin)
    _named_by(malmo, other)

    assert SourceDocument.objects.give_owners_from_links() == 1

    twin.refresh_from_db()
    other.refresh_from_db()
    assert twin.municipality is None and other.municipality == malmo[0]


def test_the_seed_files_import_unchanged_each_document_malmos(db):
    from django.core.management import call_command

    call_command("import_fixtures", str(SEED_FIXTURES), verbosity=0)
    malmo = SourceDocument.objects.values_list("municipality__slug", flat=True)

    assert set(malmo) == {"malmo-stad"} and len(malmo) == 5
    again = import_texts(
        [(str(path), path.read_text()) for path in sorted(SEED_FIXTURES.glob("*.json"))]
    )
    assert not again.changes_anything


def test_a_superusers_import_gives_a_new_document_the_municipality_whose_audit_names_it(towns):
    malmo, lund = towns

    _import([_document(901), _document(902), _audit_naming(malmo, [901])])
    with pytest.raises(ImportFailed) as failed:
        _import([_audit_naming(lund, [901])])

    assert SourceDocument.objects.get(pk=901).municipality == malmo[0]
    assert "hör till en annan kommun: Malmö stad" in str(failed.value.problems[0])
    assert SourceDocument.objects.get(pk=902).municipality is None  # named by none


def test_an_import_leaves_a_document_two_municipalities_name_without_one(towns):
    malmo, lund = towns

    _import([_document(901), _audit_naming(malmo, [901]), _audit_naming(lund, [901])])

    assert SourceDocument.objects.get(pk=901).municipality is None


def test_a_file_giving_a_documents_municipality_or_none_is_followed(towns):
    malmo, lund = towns

    _import(
        [
            _document(901, municipality=lund[0].pk),
            _document(902, municipality=None),
            _audit_naming(malmo, [902]),
        ]
    )

    assert SourceDocument.objects.get(pk=901).municipality == lund[0]
    assert SourceDocument.objects.get(pk=902).municipality is None


def test_a_file_without_the_documents_municipality_keeps_the_one_stored(towns):
    _malmo, lund = towns
    _import([_document(901, municipality=lund[0].pk)])

    again = _import([_document(901)])

    assert not again.changes_anything
    assert SourceDocument.objects.get(pk=901).municipality == lund[0]


def test_a_municipalitys_admin_imports_new_documents_as_their_own(towns, malmo_admin):
    malmo, _lund = towns

    _import([_document(901), _audit_naming(malmo, [901])], user=malmo_admin)

    assert SourceDocument.objects.get(pk=901).municipality == malmo[0]


def test_an_import_refuses_an_audit_naming_another_municipalitys_document(towns):
    malmo, lund = towns
    make_source_document(file_name="lunds.pdf", municipality=lund[0])
    lunds = SourceDocument.objects.get(file_name="lunds.pdf")

    with pytest.raises(ImportFailed) as failed:
        _import([_audit_naming(malmo, [lunds.pk])])

    assert "hör till en annan kommun" in str(failed.value.problems[0])
    assert not malmo[2].source_documents.exists()


# A superuser gives a document a municipality in the admin.


def _give(client, document, municipality):
    page = reverse("admin:recommendations_sourcedocument_change", args=[document.pk])
    data = admin_page_data(client.get(page))
    data["municipality"] = "" if municipality is None else municipality.pk
    return client.post(page, data)


@pytest.fixture
def superuser(client, db):
    user = make_user("root", superuser=True)
    client.force_login(user)
    return user


def test_a_superuser_gives_a_document_of_none_the_municipality_naming_it(client, towns, superuser):
    malmo, _lund = towns
    document = make_source_document()
    _named_by(malmo, document)

    saved = _give(client, document, malmo[0])

    assert saved.status_code == 302
    document.refresh_from_db()
    assert document.municipality == malmo[0]


def test_a_superuser_cannot_give_a_document_two_municipalities_name_to_either(
    client, towns, superuser
):
    malmo, lund = towns
    document = make_source_document()
    _named_by(malmo, document)
    _named_by(lund, document)

    refused = _give(client, document, malmo[0])

    assert refused.status_code == 200
    assert "kan inte ges en kommun" in refused.text
    document.refresh_from_db()
    assert document.municipality is None


def test_a_superuser_cannot_move_a_named_document_to_another_municipality_but_to_none(
    client, towns, superuser
):
    malmo, lund = towns
    document = make_source_document(municipality=malmo[0])
    _named_by(malmo, document)

    refused = _give(client, document, lund[0])
    released = _give(client, document, None)

    assert refused.status_code == 200 and "kan inte flyttas" in refused.text
    assert released.status_code == 302
    document.refresh_from_db()
    assert document.municipality is None


def test_a_document_of_none_gets_the_municipality_a_later_file_names_it_by(towns):
    malmo, _lund = towns
    _import([_document(901)])

    _import([_audit_naming(malmo, [901])])

    assert SourceDocument.objects.get(pk=901).municipality == malmo[0]


def test_an_import_cannot_give_a_document_another_municipality_names_to_its_own(towns):
    malmo, lund = towns
    document = make_source_document(file_name="delat.pdf")
    _named_by(malmo, document)
    _named_by(lund, document)

    with pytest.raises(ImportFailed) as failed:
        _import([_document(document.pk, file_name="delat.pdf", municipality=malmo[0].pk)])

    assert "kan inte ges en kommun" in str(failed.value.problems[0])
    document.refresh_from_db()
    assert document.municipality is None
