"""The browser tests are skipped only where that is harmless: never in CI."""

from pathlib import Path

import pytest

from tests.browser.helpers import require_chromium

pytestmark = pytest.mark.browser

MISSING = Path("/nonexistent/chromium")


def test_a_missing_chromium_fails_the_run_in_ci():
    with pytest.raises(pytest.fail.Exception, match="CI must run the browser tests"):
        require_chromium(MISSING, {"CI": "true"})


def test_a_missing_chromium_skips_with_the_install_command_elsewhere():
    with pytest.raises(pytest.skip.Exception, match="make browser"):
        require_chromium(MISSING, {})


def test_an_installed_chromium_is_used(tmp_path):
    chromium = tmp_path / "chromium"
    chromium.touch()

    assert require_chromium(chromium, {"CI": "true"}) is None
