"""The signed decision PDF: checked on upload, stored under MEDIA_ROOT, served only to
those who may see the response."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from responses import services
from responses.models import Response

from .factories import PDF_BYTES


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


def test_two_municipalities_pdfs_of_one_name_are_both_kept_neither_overwritten(
    towns, settings, tmp_path, django_capture_on_commit_callbacks
):
    """Stored by the storage's own naming: the second ``protokoll.pdf`` of the year gets a
    name of its own, and the first one's file is as it was."""
    settings.MEDIA_ROOT = tmp_path / "media"
    (_malmo, *_m, malmos), (_lund, *_l, lunds) = towns
    with django_capture_on_commit_callbacks(execute=True):
        services.attach_decision_document(
            response=malmos, upload=SimpleUploadedFile("protokoll.pdf", PDF_BYTES)
        )
        services.attach_decision_document(
            response=lunds, upload=SimpleUploadedFile("protokoll.pdf", PDF_BYTES + b"% Lund")
        )

    malmos.refresh_from_db()
    lunds.refresh_from_db()
    assert malmos.decision_document.name != lunds.decision_document.name
    assert (settings.MEDIA_ROOT / malmos.decision_document.name).read_bytes() == PDF_BYTES
    assert (settings.MEDIA_ROOT / lunds.decision_document.name).read_bytes() == (
        PDF_BYTES + b"% Lund"
    )
