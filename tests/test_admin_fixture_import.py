"""Admins import fixture files from the browser: upload, dry run, then all or nothing."""

import json
import os
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from dataimport.admin_import import PENDING_MAX_AGE
from recommendations.models import Audit, Recommendation
from responses.models import Response


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


def confirm(client, page, **extra):
    """Press *Importera* on a dry-run page, as the form on it posts."""
    data = {"confirm": "1", "confirmation": page.context["confirmation"], **extra}
    return client.post(reverse("fixture_import"), data)


def test_confirming_imports_everything_and_cleans_up(
    client, world, superuser, minimal_fixture_path, settings
):
    client.force_login(superuser)
    page = upload(client, minimal_fixture_path)
    assert f'value="{page.context["confirmation"]}"' in page.text
    done = confirm(client, page)
    assert done.status_code == 302
    assert Audit.objects.filter(reference="TR-2019-1").exists()
    assert Response.objects.filter(pk=9001).exists()
    assert not list((settings.MEDIA_ROOT / "imports").iterdir())
    shown = client.get(done.url)
    # The admin capitalises each message; the sentence must not start with the file's name.
    assert "Filen minimal.json är importerad: 12 objekt." in shown.text
    again = client.post(reverse("fixture_import"), {"confirm": "1"}, follow=True)
    assert "Ingen granskad fil väntar på import" in again.text


def with_wording(minimal_fixture_path, text) -> bytes:
    data = json.loads(minimal_fixture_path.read_text(encoding="utf-8"))
    for item in data:
        if item["model"] == "recommendations.recommendation":
            item["fields"]["text"] = text
    return json.dumps(data).encode()


def test_importera_imports_the_file_reviewed_on_that_page_not_the_latest(
    client, world, superuser, minimal_fixture_path
):
    client.force_login(superuser)
    first_tab = upload(client, with_wording(minimal_fixture_path, "Granskad i första fliken."))
    upload(client, with_wording(minimal_fixture_path, "Granskad i andra fliken."))

    assert confirm(client, first_tab).status_code == 302
    assert Recommendation.objects.get(pk=9001).text == "Granskad i första fliken."


def test_a_forged_or_another_users_confirmation_imports_nothing(
    client, world, superuser, minimal_fixture_path, settings
):
    world.auditor.is_superuser = world.auditor.is_staff = True
    world.auditor.save()
    client.force_login(superuser)
    page = upload(client, minimal_fixture_path)
    forged = client.post(
        reverse("fixture_import"),
        {"confirm": "1", "confirmation": "x" + page.context["confirmation"]},
    )
    assert forged.status_code == 302
    client.force_login(world.auditor)
    assert confirm(client, page).status_code == 302
    assert not Audit.objects.filter(reference="TR-2019-1").exists()


def test_a_file_changed_after_its_review_is_not_imported(
    client, world, superuser, minimal_fixture_path, settings
):
    client.force_login(superuser)
    page = upload(client, minimal_fixture_path)
    [pending] = (settings.MEDIA_ROOT / "imports").iterdir()
    pending.write_bytes(with_wording(minimal_fixture_path, "Ändrad på disken."))

    refused = client.post(
        reverse("fixture_import"),
        {"confirm": "1", "confirmation": page.context["confirmation"]},
        follow=True,
    )
    assert "Ingen granskad fil väntar på import" in refused.text
    assert not Recommendation.objects.filter(pk=9001).exists()


def test_unconfirmed_dry_run_files_are_deleted_once_stale(
    client, world, superuser, minimal_fixture_path, settings
):
    client.force_login(superuser)
    page = upload(client, minimal_fixture_path)
    [unconfirmed] = (settings.MEDIA_ROOT / "imports").iterdir()
    stale = time.time() - PENDING_MAX_AGE - 60
    os.utime(unconfirmed, (stale, stale))

    client.get(reverse("fixture_import"))  # any visit of the page sweeps

    assert not unconfirmed.exists()
    late = client.post(
        reverse("fixture_import"),
        {"confirm": "1", "confirmation": page.context["confirmation"]},
        follow=True,
    )
    assert "Ingen granskad fil väntar på import" in late.text


def test_a_recent_unconfirmed_file_of_another_tab_is_kept(
    client, world, superuser, minimal_fixture_path, settings
):
    client.force_login(superuser)
    upload(client, minimal_fixture_path)
    upload(client, with_wording(minimal_fixture_path, "Andra fliken."))
    assert len(list((settings.MEDIA_ROOT / "imports").iterdir())) == 2


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
    # Which object, and which of its fields, before anything is confirmed.
    assert "Det här skulle ändras" in page.text
    recommendation = Recommendation.objects.get(pk=9001)
    assert f"recommendations.recommendation pk=9001 ({recommendation}): lydelse</li>" in page.text


def test_a_file_with_nothing_new_says_so_and_offers_nothing_to_import(
    client, world, superuser, minimal_fixture_path, settings
):
    call_command("import_fixtures", str(minimal_fixture_path), verbosity=0)
    client.force_login(superuser)
    page = upload(client, minimal_fixture_path)

    assert page.status_code == 200
    assert "Inget nytt i minimal.json" in page.text
    assert 'name="confirm"' not in page.text
    assert "confirmation" not in page.context
    pending = settings.MEDIA_ROOT / "imports"
    assert not pending.exists() or not any(pending.iterdir())


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
    refused = client.get(reverse("fixture_import"))
    # The admin site lets in admins only (roles.may_use_admin): to its login page.
    assert refused.status_code == 302
    assert refused["Location"].startswith(reverse("admin:login"))


def test_in_english_a_refused_files_field_is_quoted_the_english_way(
    client, world, superuser, minimal_fixture_path, tmp_path
):
    data = json.loads(minimal_fixture_path.read_text(encoding="utf-8"))
    data[0]["fields"]["namn"] = data[0]["fields"].pop("name")
    bad = tmp_path / "minimal.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    client.force_login(superuser)
    client.cookies["django_language"] = "en"

    page = upload(client, bad)

    assert "field “namn”: unknown field" in page.text
    assert "”namn”" not in page.text


def test_the_upload_field_says_where_the_format_is_described(client, world):
    client.force_login(world.admin)

    page = client.get(reverse("fixture_import")).text

    assert "fixtures/README.md" in page


def test_a_file_with_more_errors_than_shown_says_how_many_more(
    client, world, superuser, minimal_fixture_path, tmp_path
):
    data = json.loads(minimal_fixture_path.read_text(encoding="utf-8"))
    template = next(item for item in data if item["model"] == "recommendations.recommendation")
    for number in range(60):
        data.append(
            {**template, "pk": 70000 + number, "fields": {**template["fields"], "kind": "x"}}
        )
    bad = tmp_path / "minimal.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    client.force_login(superuser)

    page = upload(client, bad)

    assert "60 fel:" in page.text
    assert "… och 10 fel till." in page.text
