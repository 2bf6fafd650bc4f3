"""Production mode: Django's deployment checklist passes, and missing configuration is loud."""

import pytest

from tests.production import production_env, production_security_settings, run_in_production


def test_production_settings_pass_the_deployment_check_without_a_warning(tmp_path):
    result = run_in_production(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path)
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_development_key_would_fail_the_deployment_check(tmp_path):
    """The check above can fail: a guessable key is reported."""
    env = production_env(tmp_path, DJANGO_SECRET_KEY="django-insecure-" + "x" * 50)

    result = run_in_production(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_its_configuration(tmp_path, missing):
    result = run_in_production(["manage.py", "check"], production_env(tmp_path, **{missing: None}))

    assert result.returncode != 0
    assert f"Set the environment variable {missing}." in result.stderr


def test_production_runs_https_only_with_hsts_and_without_debug(tmp_path):
    values = production_security_settings(tmp_path)

    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
