"""Oversized request bodies are refused from their Content-Length, before Django reads
them (the CSRF check would otherwise read, and stream to disk, the whole upload)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.urls import reverse

from auditfollowup.uploads import FORM_OVERHEAD_BYTES

from .factories import PDF_BYTES

BODIES_READ = []


class RecordingUploadHandler(MemoryFileUploadHandler):
    """Notes every uploaded file Django starts to read: a refused one must never get here."""

    def new_file(self, field_name, *args, **kwargs):
        BODIES_READ.append(field_name)
        super().new_file(field_name, *args, **kwargs)


@pytest.fixture(autouse=True)
def recording_uploads(settings):
    """Every upload Django starts to read is noted in BODIES_READ."""
    settings.FILE_UPLOAD_HANDLERS = [f"{__name__}.RecordingUploadHandler"]
    BODIES_READ.clear()


def big_file(name, size):
    return SimpleUploadedFile(name, PDF_BYTES + b"0" * size)


def test_a_decision_document_past_the_limit_is_refused_unread(client, world, draft, settings):
    settings.MAX_ATTACHMENT_BYTES = 1000
    client.force_login(world.staff_a)
    url = reverse("responses:response_document_upload", args=[draft.pk])

    page = client.post(
        url, {"decision_document": big_file("beslut.pdf", FORM_OVERHEAD_BYTES + 1000)}
    )

    assert page.status_code == 413
    assert "Filen är för stor" in page.text
    assert "1000\xa0byte" in page.text
    assert BODIES_READ == []
    draft.refresh_from_db()
    assert not draft.decision_document


def test_a_fixture_past_the_limit_is_refused_unread(client, world, settings):
    settings.MAX_FIXTURE_BYTES = 1000
    client.force_login(world.admin)

    page = client.post(
        reverse("fixture_import"), {"fixture": big_file("data.json", FORM_OVERHEAD_BYTES + 1000)}
    )

    assert page.status_code == 413
    assert BODIES_READ == []


def test_a_file_posted_to_a_page_that_takes_no_upload_is_refused_unread(
    client, world, draft, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(world.staff_a)
    url = reverse("responses:response_edit", args=[draft.pk])

    page = client.post(url, {"smuggled": big_file("x.pdf", 2000)})

    assert page.status_code == 413
    assert BODIES_READ == []


def test_an_upload_within_the_limit_is_read_and_stored(client, world, draft):
    client.force_login(world.staff_a)
    url = reverse("responses:response_document_upload", args=[draft.pk])

    assert client.post(url, {"decision_document": big_file("beslut.pdf", 0)}).status_code == 302
    assert BODIES_READ == ["decision_document"]
