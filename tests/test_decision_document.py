"""The signed decision PDF: checked on upload, stored under MEDIA_ROOT, served only to
those who may see the response."""

import json
from pathlib import Path

import pytest
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dataimport.importer import ImportFailed, import_texts
from recommendations.roles import ADMIN_GROUP
from responses import services
from responses.models import Response

from .factories import PDF_BYTES, admin_page_data, make_user


def upload(client, draft, name="beslut.pdf", content=PDF_BYTES):
    url = reverse("responses:response_document_upload", args=[draft.pk])
    return client.post(url, {"decision_document": SimpleUploadedFile(name, content)})


def test_staff_attach_a_pdf_and_it_is_stored_under_media_root(client, world, draft, settings):
    client.force_login(world.staff_a)
    assert upload(client, draft).status_code == 302
    draft.refresh_from_db()
    stored = settings.MEDIA_ROOT / draft.decision_document.name
    assert stored.read_bytes() == PDF_BYTES
    assert "static" not in str(stored)


def test_a_file_that_is_not_a_pdf_is_refused_even_with_a_pdf_name(client, world, draft):
    client.force_login(world.staff_a)
    response = upload(client, draft, content=b"<html><script>alert(1)</script>")
    assert response.status_code == 400
    assert "Filen är inte en PDF" in response.text
    draft.refresh_from_db()
    assert not draft.decision_document


def test_a_pdf_without_the_pdf_extension_is_refused(client, world, draft):
    client.force_login(world.staff_a)
    response = upload(client, draft, name="beslut.exe")
    assert response.status_code == 400
    assert "Filen måste vara en PDF (filändelsen .pdf)." in response.text


def test_a_file_over_the_size_limit_is_refused(client, world, draft, settings):
    settings.MAX_ATTACHMENT_BYTES = 100
    client.force_login(world.staff_a)
    response = upload(client, draft, content=PDF_BYTES + b"0" * 200)
    assert response.status_code == 400
    assert "Filen är för stor" in response.text
    draft.refresh_from_db()
    assert not draft.decision_document


def test_the_pdf_of_a_draft_is_served_only_to_those_who_may_see_the_draft(client, world, draft):
    client.force_login(world.staff_a)
    upload(client, draft)
    url = reverse("responses:response_document", args=[draft.pk])
    served = client.get(url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PDF_BYTES
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith("attachment;")
    assert served["X-Content-Type-Options"] == "nosniff"
    assert Client().get(url).status_code == 404
    other = Client()
    other.force_login(world.staff_b)
    assert other.get(url).status_code == 404
    auditor = Client()
    auditor.force_login(world.auditor)
    assert auditor.get(url).status_code == 404  # auditors see submitted and published only


def test_the_pdf_of_a_published_response_is_public(client, world, draft):
    client.force_login(world.staff_a)
    upload(client, draft)
    Response.objects.filter(pk=draft.pk).update(state=Response.State.PUBLISHED)
    assert Client().get(reverse("responses:response_document", args=[draft.pk])).status_code == 200


def test_a_response_without_a_document_has_none_to_serve(client, world):
    url = reverse("responses:response_document", args=[world.published_a.pk])
    assert client.get(url).status_code == 404


def test_other_boards_staff_cannot_attach_to_a_draft(client, world, draft):
    client.force_login(world.staff_b)
    assert upload(client, draft).status_code == 404
    client.force_login(world.auditor)
    assert upload(client, draft).status_code == 404


def test_saving_the_edit_page_keeps_a_pdf_attached_meanwhile(client, world, draft):
    from recommendations.status import Status

    from .factories import edit_page_data

    client.force_login(world.staff_a)
    data = edit_page_data(  # the page as loaded before the upload
        draft,
        **{
            f"rec-{world.rec1.pk}-status": Status.PLANNED,
            f"rec-{world.rec2.pk}-status": Status.PLANNED,
        },
    )
    upload(client, draft)
    assert client.post(reverse("responses:response_edit", args=[draft.pk]), data).status_code == 302
    draft.refresh_from_db()
    assert draft.decision_document
    assert draft.version == 2


def test_the_pdf_is_offered_as_optional_and_an_upload_without_a_file_is_refused(
    client, world, draft
):
    client.force_login(world.staff_a)
    page = client.get(reverse("responses:response_edit", args=[draft.pk]))
    assert "Beslutat yttrande (PDF)" in page.text
    assert "Beslutat yttrande (PDF) (obligatoriskt)" not in page.text
    assert "Frivilligt: det justerade yttrandet eller protokollsutdraget." in page.text

    url = reverse("responses:response_document_upload", args=[draft.pk])
    refused = client.post(url, {})

    assert refused.status_code == 400
    assert "Välj en PDF-fil att bifoga." in refused.text


def attach_from_the_edit_page(client, draft, *, name="beslut.pdf", content=PDF_BYTES, **typed):
    """ "Bifoga PDF" on the edit page: the whole page, as typed, is sent with the file."""
    from .factories import edit_page_data

    url = reverse("responses:response_document_upload", args=[draft.pk])
    data = edit_page_data(draft, **typed)
    data["decision_document"] = SimpleUploadedFile(name, content)
    return client.post(url, data)


def test_attaching_the_pdf_from_the_edit_page_saves_what_was_typed_first(client, world, draft):
    from recommendations.status import Status

    client.force_login(world.staff_a)

    page = attach_from_the_edit_page(
        client,
        draft,
        **{
            f"rec-{world.rec1.pk}-status": Status.PLANNED,
            f"rec-{world.rec1.pk}-narrative": "Skrivet strax innan PDF:en bifogades.",
        },
    )

    assert page.status_code == 302
    draft.refresh_from_db()
    assert draft.decision_document
    assert draft.entries.get(recommendation=world.rec1).narrative == (
        "Skrivet strax innan PDF:en bifogades."
    )
    shown = client.get(page.url).text
    assert "Utkastet är sparat och det beslutade dokumentet är bifogat." in shown


def test_a_refused_pdf_still_saves_what_was_typed_and_says_the_file_is_not_attached(
    client, world, draft
):
    from recommendations.status import Status

    client.force_login(world.staff_a)

    page = attach_from_the_edit_page(
        client,
        draft,
        content=b"inte en pdf",
        **{f"rec-{world.rec1.pk}-status": Status.PLANNED},
    )

    assert page.status_code == 400
    assert "Utkastet är sparat, men dokumentet är inte bifogat" in page.text
    # At the foot of the page, in a summary that takes focus and leads to the field.
    assert '<div class="error-summary" role="alert" tabindex="-1" autofocus' in page.text
    assert '<a href="#id_decision_document">Beslutat yttrande (PDF): Filen är inte en PDF' in (
        page.text
    )
    draft.refresh_from_db()
    assert not draft.decision_document
    assert draft.entries.get(recommendation=world.rec1).status == Status.PLANNED


def test_an_edit_page_with_errors_attaches_nothing_and_keeps_what_was_typed_on_the_page(
    client, world, draft
):
    client.force_login(world.staff_a)

    page = attach_from_the_edit_page(
        client,
        draft,
        **{f"rec-{world.rec1.pk}-narrative": "Text utan status, som inte får försvinna."},
    )

    assert page.status_code == 400
    assert "Yttrandet är inte sparat och dokumentet är inte bifogat" in page.text
    assert "välj filen igen" in page.text
    assert "Text utan status, som inte får försvinna." in page.text
    draft.refresh_from_db()
    assert not draft.decision_document
    assert draft.version == 1


def attach(response, name, content):
    return services.attach_decision_document(
        response=response, upload=SimpleUploadedFile(name, content)
    )


def folder_of(response) -> str:
    """The folder a response's PDF is stored in this year: its municipality's."""
    return f"responses/{response.board.municipality_id}/{timezone.localdate().year}"


def test_two_municipalities_pdfs_of_one_name_each_keep_that_name_and_their_bytes(
    towns, settings, tmp_path, django_capture_on_commit_callbacks
):
    """In one folder shared by all, Lund's ``protokoll.pdf`` was stored as
    ``protokoll_Ab12Cd3.pdf`` after Malmö's, and Lund was shown that name: each
    municipality's PDFs are stored in a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    (_malmo, *_m, malmos), (_lund, *_l, lunds) = towns
    with django_capture_on_commit_callbacks(execute=True):
        attach(malmos, "protokoll.pdf", PDF_BYTES)
        attach(lunds, "protokoll.pdf", PDF_BYTES + b"% Lund")

    malmos.refresh_from_db()
    lunds.refresh_from_db()
    assert malmos.decision_document.name == f"{folder_of(malmos)}/protokoll.pdf"
    assert lunds.decision_document.name == f"{folder_of(lunds)}/protokoll.pdf"
    assert folder_of(malmos) != folder_of(lunds)
    assert (settings.MEDIA_ROOT / malmos.decision_document.name).read_bytes() == PDF_BYTES
    assert (settings.MEDIA_ROOT / lunds.decision_document.name).read_bytes() == (
        PDF_BYTES + b"% Lund"
    )


def test_a_second_pdf_of_one_name_in_one_municipality_gets_a_name_of_its_own_and_the_first_is_kept(
    world, draft, django_capture_on_commit_callbacks
):
    """Another board of the same municipality: the storage names the second file, in the
    municipality's own folder, which tells Malmö only of Malmö's file."""
    first = draft
    second = Response.objects.create(board=world.board_b, round=world.round2, title="SN:s utkast")
    with django_capture_on_commit_callbacks(execute=True):
        attach(first, "protokoll.pdf", PDF_BYTES)
        attach(second, "protokoll.pdf", PDF_BYTES + b"% andra")

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.decision_document.name == f"{folder_of(first)}/protokoll.pdf"
    assert second.decision_document.name.startswith(f"{folder_of(second)}/protokoll_")
    assert second.decision_document.name.endswith(".pdf")
    media = Path(first.decision_document.storage.location)
    assert (media / first.decision_document.name).read_bytes() == PDF_BYTES
    assert (media / second.decision_document.name).read_bytes() == PDF_BYTES + b"% andra"


def test_a_pdf_attached_by_staff_is_stored_in_their_municipalitys_folder_and_served(
    client, world, draft
):
    client.force_login(world.staff_a)
    assert upload(client, draft, name="protokoll.pdf").status_code == 302
    draft.refresh_from_db()
    assert draft.decision_document.name == f"{folder_of(draft)}/protokoll.pdf"
    served = client.get(reverse("responses:response_document", args=[draft.pk]))
    assert b"".join(served.streaming_content) == PDF_BYTES
    # The download is named for the response, never for where or how it is stored.
    assert served["Content-Disposition"] == f'attachment; filename="yttrande-{draft.pk}.pdf"'


def test_a_pdf_stored_before_in_the_shared_folder_is_still_served_from_there(
    client, world, draft, settings
):
    stored = settings.MEDIA_ROOT / "responses" / "2025" / "gammalt.pdf"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(PDF_BYTES)
    Response.objects.filter(pk=draft.pk).update(decision_document="responses/2025/gammalt.pdf")
    client.force_login(world.staff_a)

    served = client.get(reverse("responses:response_document", args=[draft.pk]))

    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PDF_BYTES


def test_lunds_admin_and_history_name_its_pdf_as_uploaded_though_malmo_has_one_of_that_name(
    towns, settings, tmp_path, client, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    (_malmo, *_m, malmos), (lund, *_l, lunds) = towns
    with django_capture_on_commit_callbacks(execute=True):
        attach(malmos, "protokoll.pdf", PDF_BYTES)
        attach(lunds, "protokoll.pdf", PDF_BYTES + b"% Lund")
    client.force_login(
        make_user("lund-pdf-admin", groups=[ADMIN_GROUP], municipality=lund, is_staff=True)
    )

    admin_page = client.get(reverse("admin:responses_response_change", args=[lunds.pk]))
    history = client.get(reverse("responses:response_history", args=[lunds.pk]))

    assert admin_page.status_code == history.status_code == 200
    assert ">protokoll.pdf</a>" in admin_page.text
    assert "protokoll_" not in admin_page.text
    shown = [
        item.after
        for change in history.context["changes"]
        for item in change.fields
        if item.label == "beslutat dokument"
    ]
    assert shown == ["protokoll.pdf"]


def import_with_document(response, name, user):
    """An import of ``response`` as it is stored (as ``dumpdata`` writes it) but for its
    PDF's stored name: the problems on that field, or None when it is imported."""
    item = json.loads(serializers.serialize("json", [response]))
    item[0]["fields"]["decision_document"] = name
    try:
        import_texts([("yttrande.json", json.dumps(item))], user=user)
    except ImportFailed as failed:
        return [p.message for p in failed.problems if p.field == "decision_document"]
    return None


@pytest.fixture
def malmos_pdf_and_lunds_admin(towns, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path / "media"
    (_malmo, *_m, malmos), (lund, *_l, lunds) = towns
    with django_capture_on_commit_callbacks(execute=True):
        attach(malmos, "hemligt.pdf", PDF_BYTES + b"% Malmo")
    malmos.refresh_from_db()
    admin = make_user("lund-import-admin", groups=[ADMIN_GROUP], municipality=lund, is_staff=True)
    return malmos.decision_document.name, lunds, admin


def test_an_import_cannot_give_a_response_the_pdf_of_another_municipality(
    client, malmos_pdf_and_lunds_admin
):
    """A file gives a stored name only: Malmö's, on Lund's submitted response, served
    Malmö's signed PDF to Lund. Refused, with the message a name nobody has gets."""
    malmos_name, lunds, admin = malmos_pdf_and_lunds_admin
    refused = import_with_document(lunds, malmos_name, admin)
    nobodys = import_with_document(lunds, malmos_name.replace("hemligt", "finns-inte"), admin)

    folder = f"responses/{lunds.board.municipality_id}/"
    assert (
        refused
        == nobodys
        == [
            f"får bara ange ett dokument i den egna kommunens mapp ({folder}) eller det dokument "
            "yttrandet redan har."
        ]
    )
    lunds.refresh_from_db()
    assert not lunds.decision_document
    client.force_login(admin)
    assert client.get(reverse("responses:response_document", args=[lunds.pk])).status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "responses/2026/hemligt.pdf",  # the folder all municipalities shared
        "responses/{own}/../{other}/2026/hemligt.pdf",
        "/responses/{own}/2026/hemligt.pdf",
    ],
)
def test_an_import_cannot_give_a_response_a_pdf_outside_its_municipalitys_folder(
    malmos_pdf_and_lunds_admin, name
):
    malmos_name, lunds, admin = malmos_pdf_and_lunds_admin
    other = malmos_name.split("/")[1]
    name = name.format(own=lunds.board.municipality_id, other=other)
    assert import_with_document(lunds, name, None)  # nor by the command line
    assert import_with_document(lunds, name, admin)


def test_an_import_keeps_the_pdf_a_response_has_and_may_name_one_in_its_own_folder(
    malmos_pdf_and_lunds_admin,
):
    """A file written by ``dumpdata`` imports again: a PDF stored before in the shared
    folder stays the response's."""
    _malmos_name, lunds, admin = malmos_pdf_and_lunds_admin
    Response.objects.filter(pk=lunds.pk).update(decision_document="responses/2025/beslut.pdf")
    lunds.refresh_from_db()

    assert import_with_document(lunds, "responses/2025/beslut.pdf", admin) is None
    own = f"responses/{lunds.board.municipality_id}/2026/beslut.pdf"
    assert import_with_document(lunds, own, admin) is None
    lunds.refresh_from_db()
    assert lunds.decision_document.name == own


def test_a_pdf_attached_in_the_admin_is_stored_in_the_municipalitys_folder_under_its_name(
    client, malmos_pdf_and_lunds_admin
):
    """The admin's file field is the other way to attach one; Malmö has a ``hemligt.pdf``."""
    _malmos_name, lunds, admin = malmos_pdf_and_lunds_admin
    client.force_login(admin)
    url = reverse("admin:responses_response_change", args=[lunds.pk])
    data = admin_page_data(client.get(url))
    data["decision_document"] = SimpleUploadedFile("hemligt.pdf", PDF_BYTES + b"% Lund")

    saved = client.post(url, data)

    assert saved.status_code == 302, saved.context["adminform"].form.errors
    lunds.refresh_from_db()
    assert lunds.decision_document.name == f"{folder_of(lunds)}/hemligt.pdf"
    assert ">hemligt.pdf</a>" in client.get(url).text
    served = client.get(reverse("responses:response_document", args=[lunds.pk]))
    assert b"".join(served.streaming_content) == PDF_BYTES + b"% Lund"
