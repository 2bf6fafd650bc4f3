"""A source document's file name is unique within its municipality (and among the
documents of none, a superuser's), not across the database: refusing a name another
municipality had used told its admin that that municipality held a document so named,
perhaps of unpublished work. In the admin, an admin's import and the command line's.
(Who may manage whose document: test_tenancy_admin.py; who owns one:
test_source_document_owner.py.)"""

import importlib
import json

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.migrations.exceptions import IrreversibleError
from django.urls import reverse

from dataimport.importer import ImportFailed, import_texts
from recommendations.models import SourceDocument

from .conftest import SEED_FIXTURES
from .factories import admin_page_data, make_source_document, make_town, make_user

migration = importlib.import_module(
    "recommendations.migrations.0014_source_document_file_name_per_municipality"
)

TAKEN_HERE = "Kommunen har redan ett källdokument med det här filnamnet."
TAKEN_BY_NONE = "Ett källdokument utan kommun har redan det här filnamnet."


@pytest.fixture
def malmos_draft(towns):
    """Malmö's document, named by nothing published: unpublished work."""
    return make_source_document(
        file_name="yttrande-2026.pdf",
        title="Malmös utkast om hemtjänsten",
        notes="Ännu inte beslutat.",
        municipality=towns[0][0],
    )


def _add(client, file_name, title="Lunds yttrande", **fields):
    """The admin's add page of a source document, filled in and saved."""
    add = reverse("admin:recommendations_sourcedocument_add")
    data = admin_page_data(client.get(add))
    data.update(file_name=file_name, title=title, kind="response", **fields)
    return client.post(add, data)


def _as_it_stands(document):
    return SourceDocument.objects.filter(pk=document.pk).values().get()


def test_lunds_admin_adds_a_document_named_as_malmos_and_malmos_stays_as_it_was(
    client, towns, malmos_draft, lund_admin
):
    before = _as_it_stands(malmos_draft)

    saved = _add(client, "yttrande-2026.pdf")
    listed = client.get(
        reverse("admin:recommendations_sourcedocument_changelist"), {"q": "yttrande-2026"}
    )

    assert saved.status_code == 302, saved.context["adminform"].form.errors
    lunds = SourceDocument.objects.get(file_name="yttrande-2026.pdf", municipality=towns[1][0])
    assert lunds.title == "Lunds yttrande"
    assert _as_it_stands(malmos_draft) == before
    # Lund's search by the name finds Lund's document alone.
    assert listed.context["cl"].result_count == 1
    assert "Lunds yttrande" in listed.text and "Malmös utkast" not in listed.text


def test_a_name_the_own_municipality_has_is_refused_on_the_file_name_in_swedish(
    client, towns, malmos_draft, malmo_admin
):
    refused = _add(client, "yttrande-2026.pdf", title="Ett till")

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors == {"file_name": [TAKEN_HERE]}
    assert TAKEN_HERE in refused.text
    assert SourceDocument.objects.filter(file_name="yttrande-2026.pdf").count() == 1


def test_a_superuser_gives_documents_of_none_names_of_their_own_not_those_of_municipalities(
    client, towns, malmos_draft
):
    client.force_login(make_user("root", superuser=True))
    make_source_document(file_name="delat.pdf")

    beside_malmos = _add(client, "yttrande-2026.pdf", municipality="")
    twice = _add(client, "delat.pdf", municipality="")

    assert beside_malmos.status_code == 302
    assert twice.status_code == 200
    assert twice.context["adminform"].form.errors == {"file_name": [TAKEN_BY_NONE]}


def test_a_superuser_cannot_move_a_document_to_a_municipality_that_has_its_name(
    client, towns, malmos_draft
):
    client.force_login(make_user("root", superuser=True))
    lunds = make_source_document(file_name="yttrande-2026.pdf", municipality=towns[1][0])
    change = reverse("admin:recommendations_sourcedocument_change", args=[lunds.pk])
    data = admin_page_data(client.get(change))
    data["municipality"] = towns[0][0].pk

    refused = client.post(change, data)

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors == {"file_name": [TAKEN_HERE]}
    lunds.refresh_from_db()
    assert lunds.municipality == towns[1][0]


# The admin's import and the command line.


def _document(pk, file_name, **fields):
    return {
        "model": "recommendations.sourcedocument",
        "pk": pk,
        "fields": {"file_name": file_name, "title": f"Dokument {pk}", "kind": "memo", **fields},
    }


def _upload(client, records):
    """The admin's import page: the file uploaded (a dry run) and, if it may, confirmed."""
    content = json.dumps(records).encode()
    page = client.post(
        reverse("fixture_import"), {"fixture": SimpleUploadedFile("lund.json", content)}
    )
    if page.status_code != 200 or "confirmation" not in page.context:
        return page
    return client.post(
        reverse("fixture_import"), {"confirm": "1", "confirmation": page.context["confirmation"]}
    )


def test_lunds_admin_imports_a_document_named_as_malmos(client, towns, malmos_draft, lund_admin):
    before = _as_it_stands(malmos_draft)

    imported = _upload(client, [_document(malmos_draft.pk + 1000, "yttrande-2026.pdf")])

    assert imported.status_code == 302, imported.context.get("problems")
    assert SourceDocument.objects.get(pk=malmos_draft.pk + 1000).municipality == towns[1][0]
    assert _as_it_stands(malmos_draft) == before


def test_an_import_names_the_own_document_whose_file_name_it_repeats(
    client, towns, malmos_draft, malmo_admin
):
    refused = _upload(client, [_document(malmos_draft.pk + 1000, "yttrande-2026.pdf")])

    assert refused.status_code == 400
    assert (
        "fält ”file_name”: värdet för file_name, municipality används redan av "
        f"recommendations.sourcedocument pk={malmos_draft.pk} i databasen."
    ) in refused.text


def test_the_command_line_imports_a_municipalitys_file_using_the_names_of_the_seeds(db, tmp_path):
    """Lund's own file, its documents named as Malmö's seed documents (no municipality
    given: each gets Lund, whose audit names it), beside the seeds."""
    call_command("import_fixtures", str(SEED_FIXTURES), verbosity=0)
    seeds = list(SourceDocument.objects.order_by("pk").values())
    lund, board, audit, *_rest = make_town("Lunds kommun", "lund", "KFN", "LUNDMARK")
    names = [seed["file_name"] for seed in seeds]
    documents = [_document(9000 + number, name) for number, name in enumerate(names)]
    naming = {
        "model": "recommendations.audit",
        "pk": audit.pk,
        "fields": {
            "municipality": lund.pk,
            "title": audit.title,
            "auditor": board.pk,
            "audited_boards": [board.pk],
            "source_documents": [document["pk"] for document in documents],
        },
    }
    path = tmp_path / "lund.json"
    path.write_text(json.dumps([*documents, naming]), encoding="utf-8")

    call_command("import_fixtures", str(path), verbosity=0)

    lunds = SourceDocument.objects.filter(municipality=lund)
    assert sorted(lunds.values_list("file_name", flat=True)) == sorted(names)
    assert list(SourceDocument.objects.exclude(municipality=lund).order_by("pk").values()) == seeds
    again = import_texts(
        [(str(path), path.read_text()) for path in sorted(SEED_FIXTURES.glob("*.json"))]
    )
    assert not again.changes_anything


def test_a_file_giving_two_documents_of_none_one_name_is_refused_on_the_file_name(towns):
    records = [_document(901, "delat.pdf", municipality=None)]
    records.append(_document(902, "delat.pdf", municipality=None))

    with pytest.raises(ImportFailed) as failed:
        import_texts([("delat.json", json.dumps(records))])

    assert [str(problem) for problem in failed.value.problems] == [
        "delat.json, objekt 2 (recommendations.sourcedocument pk=902), fält ”file_name”: "
        "värdet för file_name finns redan i delat.json (objekt 1)."
    ]
    assert not SourceDocument.objects.exists()


def test_a_file_giving_a_document_of_none_a_stored_ones_name_is_refused_on_the_file_name(towns):
    make_source_document(file_name="delat.pdf")

    with pytest.raises(ImportFailed) as failed:
        import_texts([("delat.json", json.dumps([_document(902, "delat.pdf")]))])

    assert f"fält ”file_name”: {TAKEN_BY_NONE}" in str(failed.value.problems[0])


# The migration's way back.


def test_going_back_to_names_unique_everywhere_is_refused_while_two_documents_share_one(
    towns, malmos_draft
):
    migration.refuse_names_shared_across_municipalities(apps, None)  # nothing shared yet
    make_source_document(file_name="yttrande-2026.pdf", municipality=towns[1][0])

    with pytest.raises(IrreversibleError) as refused:
        migration.refuse_names_shared_across_municipalities(apps, None)

    assert str(refused.value).endswith("rename them first: yttrande-2026.pdf")
