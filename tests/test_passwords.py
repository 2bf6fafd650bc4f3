"""Common Swedish passwords are refused: a season, month, weekday, city, football club or
everyday word with digits or signs around it, whatever the case, accents or look-alikes."""

import pytest
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import ValidationError
from django.urls import reverse

from auditfollowup.passwords import CommonSwedishPasswordValidator, core_word
from tests.factories import make_user

REFUSED = [
    "Sommar2026",
    "sommar2026!",
    "2026Sommar",
    "Vinter-2025",
    "Hösten2024",
    "Hosten2024",
    "S0mmar2026",
    "Januari2026",
    "Måndag123!",
    "Midsommar2025",
    "Malmö123",
    "MALMO1234",
    "Stockholm08",
    "IFKGöteborg1904",
    "IFK Göteborg 1904",
    "Djurgården2024",
    "Hammarby1897",
    "Kalmar FF 2025",
    "Lösenord123",
    "Losenord!1",
    "Välkommen1",
]
ACCEPTED = [
    "sommar-katt-gitarr-97",
    "uppfoljning-admin",
    "Rodbetor och Tarnor 12",
    "xq7-Lindblom-fjall",
]


@pytest.mark.parametrize("password", REFUSED)
def test_a_common_swedish_password_is_refused(password):
    with pytest.raises(ValidationError) as refused:
        CommonSwedishPasswordValidator().validate(password)
    assert "för vanligt" in refused.value.messages[0]


@pytest.mark.parametrize("password", ACCEPTED)
def test_a_password_that_is_not_a_common_word_is_accepted(password):
    CommonSwedishPasswordValidator().validate(password)


def test_the_core_word_is_normalised():
    assert core_word("  S0MMAR-2026!! ") == "sommar"
    assert core_word("IFK Göteborg 1904") == "ifkgoteborg"


def test_the_validator_is_in_force_with_its_help_text():
    assert any("fotbollslag" in text for text in password_validators_help_texts())


@pytest.mark.django_db
def test_changing_to_a_common_password_is_refused_in_the_form(client):
    user = make_user()
    user.set_password("ett-långt-lösenord-7")
    user.save()
    client.force_login(user)

    page = client.post(
        reverse("password_change"),
        {
            "old_password": "ett-långt-lösenord-7",
            "new_password1": "Sommar2026",
            "new_password2": "Sommar2026",
        },
    )

    assert page.status_code == 200
    assert "för vanligt" in page.text
    user.refresh_from_db()
    assert user.check_password("ett-långt-lösenord-7")
