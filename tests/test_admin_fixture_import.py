"""Admins import fixture files from the browser: upload, dry run, then all or nothing."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from recommendations.models import Audit, Recommendation
from responses.models import Response

from .staff_fixtures import build_world


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


@pytest.fixture
def superuser(db):
    """The test file brings a municipality of its own: only a superuser may import it
    (tests/test_tenancy_admin.py has an Administratörer member's import)."""
    return get_user_model().objects.create_superuser("root", password=None)


def upload(client, path_or_text, name="minimal.json"):
    content = path_or_text.read_bytes() if hasattr(path_or_text, "read_bytes") else path_or_text
    return client.post(reverse("fixture_import"), {"fixture": SimpleUploadedFile(name, content)})


def test_the_admin_index_links_to_the_import_page(client, world):
    client.force_login(world.admin)
    assert reverse("fixture_import") in client.get(reverse("admin:index")).text


def test_a_dry_run_shows_what_would_be_created_and_writes_nothing(
    client, world, superuser, minimal_fixture_path
):
    client.force_login(superuser)
    page = upload(client, minimal_fixture_path)
    assert page.status_code == 200
    rows = {
        label: (created, updated) for label, created, updated, _ in page.context["result"].rows()
    }
    assert rows["granskningar"] == (1, 0)
    assert rows["yttranden"] == (1, 0)
    assert "Torrkörning av minimal.json" in page.text
    assert not Audit.objects.filter(reference="TR-2019-1").exists()


def test_confirming_imports_everything_and_cleans_up(
    client, world, superuser, minimal_fixture_path, settings
):
    client.force_login(superuser)
    upload(client, minimal_fixture_path)
    done = client.post(reverse("fixture_import"), {"confirm": "1"})
    assert done.status_code == 302
    assert Audit.objects.filter(reference="TR-2019-1").exists()
    assert Response.objects.filter(pk=9001).exists()
    assert not list((settings.MEDIA_ROOT / "imports").iterdir())
    again = client.post(reverse("fixture_import"), {"confirm": "1"}, follow=True)
    assert "Ingen granskad fil väntar på import" in again.text


def test_a_second_dry_run_reports_changes_not_creations(
    client, world, superuser, minimal_fixture_path
):
    call_command("import_fixtures", str(minimal_fixture_path), verbosity=0)
    data = json.loads(minimal_fixture_path.read_text(encoding="utf-8"))
    for item in data:
        if item["model"] == "recommendations.recommendation":
            item["fields"]["text"] = "Ny lydelse."
    client.force_login(superuser)
    page = upload(client, json.dumps(data).encode())
    rows = {
        label: (created, updated) for label, created, updated, _ in page.context["result"].rows()
    }
    assert rows["rekommendationer"] == (0, 1)
    assert Recommendation.objects.get(pk=9001).text != "Ny lydelse."


def test_an_invalid_file_is_refused_with_the_same_errors_as_the_command(
    client, world, superuser, minimal_fixture_path, tmp_path
):
    data = json.loads(minimal_fixture_path.read_text(encoding="utf-8"))
    for item in data:
        if item["model"] == "recommendations.followupround":
            item["fields"]["kind"] = "okänd"
    bad = tmp_path / "minimal.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError) as command_error:
        call_command("import_fixtures", str(bad), verbosity=0)
    client.force_login(superuser)
    page = upload(client, bad)
    assert page.status_code == 400
    problems = [str(problem) for problem in page.context["problems"]]
    assert problems
    for problem in problems:
        assert problem.replace(str(bad), "minimal.json") in str(command_error.value).replace(
            str(bad), "minimal.json"
        )
    assert not Audit.objects.filter(reference="TR-2019-1").exists()
    assert "databasen är oförändrad" in page.text


def test_a_file_that_is_not_json_is_refused(client, world):
    client.force_login(world.admin)
    page = upload(client, b"x", name="data.csv")
    assert page.status_code == 400
    assert "Filen måste vara en JSON-fil" in page.text


@pytest.mark.parametrize("who", ["staff_a", "auditor"])
def test_only_admins_reach_the_import_page(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(reverse("fixture_import")).status_code == 302  # to the admin login


def test_a_django_staff_user_who_is_not_an_admin_is_refused(client, world):
    world.auditor.is_staff = True
    world.auditor.save()
    client.force_login(world.auditor)
    assert client.get(reverse("fixture_import")).status_code == 403
