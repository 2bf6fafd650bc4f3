"""Choosing English gives an English interface, and the English catalogue is complete."""

import ast
import datetime as dt
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.translation import override

from recommendations.roles import AUDITOR_GROUP
from tests.factories import make_tracked_audit, make_user

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"

# Interface words that must not be left in Swedish once English is chosen. None of
# them occurs in the test data (which stays Swedish: it is what the boards wrote).
SWEDISH_UI_WORDS = [
    "Rekommendationer",
    "Logga in",
    "Pågående",
    "Planerad",
    "Delvis genomförd",
    "Hoppa till innehållet",
    "Huvudmeny",
    "Uppföljningsomgång",
    "Nämndens status",
    "Svaren omgång för omgång",
    "Åtgärder",
    "Revisionens",
    "Granskningar",
    "(fallande)",
    "Sök",
    "Filtrera",
    "Förklaring",
    "Lösenord",
    "Yttranden",
    "Nästa",
]


@pytest.fixture
def english_client(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def visible_text(page) -> str:
    """The page without the language switch's link to Swedish (which must stay Swedish)."""
    html = page.content.decode()
    return re.sub(r'<button[^>]*lang="sv"[^>]*>.*?</button>', "", html, flags=re.S)


def english_pages(client):
    world = make_tracked_audit(n_recommendations=2)
    recommendation = world.recommendations[0]
    return {
        "start": client.get(reverse("recommendations:home"), follow=True),
        "list": client.get(reverse("recommendations:recommendation_list")),
        "recommendation": client.get(recommendation.get_absolute_url()),
        "matrix": client.get(reverse("municipal:matrix", args=[world.audit.municipality.slug])),
        "audit": client.get(world.audit.get_absolute_url()),
        "login": client.get(reverse("login")),
    }


@pytest.mark.django_db
def test_the_main_pages_are_in_english_when_english_is_chosen(english_client):
    for name, page in english_pages(english_client).items():
        assert page.status_code == 200, name
        assert page.headers["Content-Language"] == "en", name
        text = visible_text(page)
        assert "Skip to content" in text, name
        assert "Recommendations" in text, name
        left_in_swedish = [word for word in SWEDISH_UI_WORDS if word in text]
        assert left_in_swedish == [], name


@pytest.mark.django_db
def test_status_labels_and_page_headings_are_translated(english_client):
    pages = {name: visible_text(page) for name, page in english_pages(english_client).items()}

    assert "In progress" in pages["recommendation"]
    assert "Progress from Planned" in pages["recommendation"]
    assert "The answers round by round" in pages["recommendation"]
    assert "Overdue by" in pages["recommendation"] and "days" in pages["recommendation"]
    assert "In progress" in pages["list"]
    assert "June 2020" in pages["recommendation"]
    assert "Audit (descending)" in pages["list"]
    assert "Partly implemented" in pages["matrix"]
    assert "Key to the statuses" in pages["matrix"]
    assert "Log in" in pages["login"]
    assert "Carried out" in pages["audit"]


@pytest.mark.django_db
def test_the_staff_forms_status_choices_follow_the_language_of_each_request(draft):
    # The labels are translated once per language and reused (status_choices): a
    # Swedish request after an English one still gets Swedish labels, and back.
    from django.test import Client

    url = reverse("responses:response_edit", args=[draft.pk])
    writer = draft.board.staff.first()
    english, swedish = Client(), Client()
    for each in (english, swedish):
        each.force_login(writer)
    english.post(reverse("set_language"), {"language": "en", "next": "/"})

    for _ in range(2):
        in_english, in_swedish = english.get(url), swedish.get(url)
        assert '<option value="implemented">Implemented</option>' in in_english.text
        assert '<option value="implemented">Genomförd</option>' in in_swedish.text


@pytest.mark.django_db
def test_the_staff_form_in_english_leaves_no_swedish_text_unmarked(
    draft, english_client, unmarked_swedish
):
    english_client.force_login(draft.board.staff.first())

    page = english_client.get(reverse("responses:response_edit", args=[draft.pk]))

    assert '<legend><span lang="sv">' in page.content.decode()
    assert unmarked_swedish(page) == []


@pytest.mark.django_db
def test_the_change_history_names_its_actions_in_english(english_client):
    world = make_tracked_audit(n_recommendations=1)
    english_client.force_login(make_user(groups=[AUDITOR_GROUP]))

    page = english_client.get(
        reverse("auditors:recommendation_history", args=[world.recommendations[0].pk])
    )

    text = visible_text(page)
    assert "(created)" in text and "(due date moved)" in text
    assert "(skapad)" not in text and "Ändringshistorik" not in text


@pytest.mark.django_db
def test_swedish_stays_the_default_on_the_same_pages(client):
    pages = english_pages(client)

    assert "Rekommendationer" in visible_text(pages["list"])
    assert "Pågående" in visible_text(pages["recommendation"])
    assert "Logga in" in visible_text(pages["login"])


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgid, msgid_plural, msgstr / msgstr[n], and flags."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, field = {"flags": set()}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[field] += ast.literal_eval(line)
            else:
                field, value = line.split(" ", 1)
                entry[field] = ast.literal_eval(value)
        if "msgid" in entry:
            entries.append(entry)
    return entries


PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[sd%]|\{[^}]*\}")


def test_the_english_catalogue_has_no_untranslated_or_fuzzy_entries():
    entries = read_po(CATALOGUE / "django.po")
    messages = [entry for entry in entries if entry["msgid"]]

    assert len(messages) > 100
    assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == []
    untranslated = [
        e["msgid"]
        for e in messages
        if not all(value for key, value in e.items() if key.startswith("msgstr"))
    ]
    assert untranslated == []
    plurals = [e for e in messages if "msgid_plural" in e]
    assert plurals and all(e["msgstr[0]"] and e["msgstr[1]"] for e in plurals)


def test_every_translation_keeps_the_placeholders_of_its_original():
    mismatched = []
    for entry in read_po(CATALOGUE / "django.po"):
        originals = [entry["msgid"], entry.get("msgid_plural", entry["msgid"])]
        translations = [entry.get("msgstr", entry.get("msgstr[0]")), entry.get("msgstr[1]")]
        for original, translation in zip(originals, translations, strict=True):
            if translation is not None and sorted(PLACEHOLDER.findall(original)) != sorted(
                PLACEHOLDER.findall(translation)
            ):
                mismatched.append(original)
    assert mismatched == []


def test_the_compiled_catalogue_matches_the_po_file():
    with open(CATALOGUE / "django.mo", "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)

    stale = []
    for entry in read_po(CATALOGUE / "django.po"):
        if not entry["msgid"]:
            continue
        if "msgctxt" in entry:
            if catalogue.pgettext(entry["msgctxt"], entry["msgid"]) != entry["msgstr"]:
                stale.append(entry["msgid"])
        elif "msgid_plural" in entry:
            one = catalogue.ngettext(entry["msgid"], entry["msgid_plural"], 1)
            many = catalogue.ngettext(entry["msgid"], entry["msgid_plural"], 2)
            if (one, many) != (entry["msgstr[0]"], entry["msgstr[1]"]):
                stale.append(entry["msgid"])
        elif catalogue.gettext(entry["msgid"]) != entry["msgstr"]:
            stale.append(entry["msgid"])
    assert stale == []


def test_the_admin_names_in_plural_what_swedish_writes_the_same_in_both(admin_client):
    # "källdokument", "följare", "undertecknare" are singular and plural in Swedish; the
    # English admin listed "Source document", "Follower" and "Signatory" as its sections.
    from django.apps import apps

    admin_client.cookies["django_language"] = "en"
    index = admin_client.get(reverse("admin:index")).text

    for plural in ["Source documents", "Followers", "E-mail choices", "Outgoing mails"]:
        assert f">{plural}<" in index, plural
    signatories = apps.get_model("responses", "Signatory")._meta
    with override("en"):
        assert str(signatories.verbose_name_plural) == "signatories"
        assert str(signatories.verbose_name) == "signatory"
    with override("sv"):
        assert str(signatories.verbose_name_plural) == "undertecknare"


@pytest.mark.django_db
def test_the_auditors_pages_read_as_natural_english(english_client, world):
    english_client.force_login(world.auditor)
    world.rec1.close(dt.date(2020, 1, 15), "Klar", by=world.auditor)

    audit = visible_text(english_client.get(world.audit.get_absolute_url()))
    closing = visible_text(english_client.get(reverse("auditors:close", args=[world.rec1.pk])))
    assessing = visible_text(english_client.get(reverse("auditors:assess", args=[world.rec1.pk])))

    assert '<p class="waiting">Yet to hand in an answer:' in audit
    assert "Auditing body" in audit
    assert "Save changes to the closing" in closing
    assert "Reopen the recommendation" in closing and "or reopen it if" in closing
    assert "Assessment for round" in assessing
