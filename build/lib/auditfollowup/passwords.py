"""A password validator for the common passwords of Swedish users.

Django's CommonPasswordValidator knows English passwords; it accepts "Sommar2026",
"Malmö123!" and "IFKGöteborg1904". This one strips the digits and signs around the
password, reads look-alike digits as letters (S0mmar), folds case, accents and inner
spaces, and refuses what is left if it is one word of ``common_swedish_passwords.txt``
(seasons, months, weekdays, cities, football clubs, everyday words, common names).
"""

import functools
import re
import unicodedata
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WORD_LIST = Path(__file__).with_name("common_swedish_passwords.txt")

# Digits and signs that people use for letters.
LOOK_ALIKES = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
_AROUND = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_INSIDE = re.compile(r"[\s\-_.]+")


def _fold(text: str) -> str:
    """Lower case without accents or inner separators: "IFK Göteborg" -> "ifkgoteborg"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _INSIDE.sub("", letters)


def core_word(password: str) -> str:
    """The word a password is built on: without the digits and signs around it, with
    look-alike digits read as letters, folded."""
    core = _AROUND.sub("", password.strip())
    return _fold(core.translate(LOOK_ALIKES))


@functools.cache
def common_words() -> frozenset[str]:
    lines = WORD_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(_fold(line) for line in lines if line.strip() and not line.startswith("#"))


class CommonSwedishPasswordValidator:
    def validate(self, password, user=None):
        word = core_word(password)
        if word and word in common_words():
            raise ValidationError(
                _(
                    "Lösenordet är för vanligt: det bygger på ett vanligt ord eller namn med "
                    "siffror eller tecken runt. Välj hellre några ord som inte hör ihop."
                ),
                code="password_too_common_swedish",
            )

    def get_help_text(self):
        return _(
            "Lösenordet får inte bygga på ett vanligt ord, som en årstid, en månad, en stad "
            "eller ett fotbollslag, med siffror runt."
        )
