"""An administrator imports a fixture file in the browser, and is stopped by a broken one."""

import json

import pytest

from recommendations.models import Audit, Municipality, Recommendation
from tests.browser.helpers import login
from tests.conftest import DATA
from tests.test_import_fuzzing import database_contents

pytestmark = pytest.mark.browser


def open_import_page(page):
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Administration"
    ).click()
    page.get_by_role("link", name="Importera fixturfiler").click()


def upload(page, path):
    page.get_by_label("Fixturfil (JSON)").set_input_files(str(path))
    page.get_by_role("button", name="Granska filen").click()


def test_an_admin_imports_a_file_after_seeing_what_it_would_do(page, make_user):
    make_user("admin", is_staff=True, is_superuser=True)
    login(page, "admin")
    open_import_page(page)

    upload(page, DATA / "minimal.json")
    dry_run = page.get_by_role("table", name="Vad importen skulle göra")
    assert "rekommendationer" in dry_run.inner_text()
    assert not Audit.objects.exists(), "the dry run saved something"
    page.get_by_role("button", name="Importera").click()

    message = page.locator(".messagelist").inner_text()
    # The file name keeps its case: the admin capitalises only the sentence.
    assert message.startswith("Filen minimal.json är importerad: 12 objekt")
    assert Audit.objects.get().reference == "TR-2019-1"
    assert Recommendation.objects.count() == 1


def test_a_broken_file_is_refused_with_a_clear_error_and_nothing_changes(
    page, make_user, minimal_data, tmp_path
):
    make_user("admin", is_staff=True, is_superuser=True)
    data = json.loads((DATA / "minimal.json").read_text(encoding="utf-8"))
    data[0]["fields"]["name"] = "Ändrad kommun"  # valid, so a half-import would show
    data.append(
        {
            "model": "recommendations.recommendation",
            "pk": 9002,
            "fields": {"audit": 9001, "position": 2, "text": "Ny", "kind": "okänd typ"},
        }
    )
    broken = tmp_path / "trasig.json"
    broken.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = database_contents()
    login(page, "admin")
    open_import_page(page)

    upload(page, broken)

    alert = page.get_by_role("alert")
    assert "trasig.json kan inte importeras; databasen är oförändrad." in alert.inner_text()
    assert "objekt 13 (recommendations.recommendation pk=9002)" in alert.inner_text()
    assert "kind" in alert.inner_text()
    assert database_contents() == before
    assert Municipality.objects.get(pk=9001).name == "Testkommun"
