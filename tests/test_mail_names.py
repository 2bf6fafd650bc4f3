"""Mails name audits and recommendations as the pages do, through the same filters
(``{{ audit|audit_name }}``, ``{{ recommendation|recommendation_name }}``): in the HTML
part the audit's reference is kept on one line and, in an English mail, the documents'
Swedish (a name, a title) is marked as such; the plain-text part says the same words,
without HTML."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from notifications.models import Follower, Profile
from recommendations.roles import AUDITOR_GROUP, STAFF_GROUP
from recommendations.status import Status
from tests.factories import (
    make_audit,
    make_board,
    make_measure,
    make_recommendation,
    make_round,
    make_user,
    publish_new_answer,
)

pytestmark = pytest.mark.django_db

REFERENCE = "SR-2018-71"
TITLE = "Granskning av arbetsmarknadsinsatser"
# The audit as an English page writes it: its reference whole, its Swedish title marked.
ENGLISH_HTML = f'<span class="case-number">{REFERENCE}</span> <span lang="sv">{TITLE}</span>'
SWEDISH_HTML = f'<span class="case-number">{REFERENCE}</span> {TITLE}'
PLAIN = f"{REFERENCE} {TITLE}"


def person(username, *, language, groups=(), boards=()):
    user = make_user(username, groups=groups, boards=boards)
    user.email = f"{username}@example.se"
    user.save(update_fields=["email"])
    Profile.objects.create(user=user, language=language)
    return user


@pytest.fixture
def audit():
    """ASN owes a reply by 2026-03-31 and has a measure due in March 2026, under the
    recommendation labelled "Rekommendation 3" in the document."""
    board = make_board(short_code="ASN", name="Arbetsmarknadsnämnden")
    audit = make_audit(reference=REFERENCE, title=TITLE, boards=[board])
    make_round(audit, sequence=1, deadline="2026-03-31", title="Första yttrande", is_open=True)
    recommendation = make_recommendation(
        audit, addressed_to=[board], label="Rekommendation 3", text="Följ upp insatserna."
    )
    make_measure(
        recommendation, board=board, title="Ta fram en rutin", due="2026-03", status=Status.PLANNED
    )
    return audit


def run(today):
    call_command("send_notifications", f"--today={today}", stdout=StringIO())


def parts(smtp_server, address):
    (mail,) = smtp_server.to(address)
    return smtp_server.text(mail), smtp_server.html(mail)


def test_a_reminder_names_the_audit_and_recommendation_as_the_pages_do(audit, smtp_server):
    board = audit.audited_boards.get()
    person("anna", language="en", groups=[STAFF_GROUP], boards=[board])
    person("bo", language="sv", groups=[STAFF_GROUP], boards=[board])

    run("2026-04-01")  # the day after the deadline; the measure fell overdue

    text, html = parts(smtp_server, "anna@example.se")
    assert f'{ENGLISH_HTML}</a>: <span lang="sv">Första yttrande</span>' in html
    assert '<span lang="sv">Ta fram en rutin</span></a>' in html
    assert f'({ENGLISH_HTML}, <span lang="sv">Rekommendation 3</span>)' in html
    assert f"{PLAIN}: Första yttrande" in text
    assert f"({PLAIN}, Rekommendation 3)" in text
    assert "<span" not in text
    _text, html = parts(smtp_server, "bo@example.se")
    assert f"({SWEDISH_HTML}, Rekommendation 3)" in html


def test_the_auditors_digest_names_audits_as_the_pages_do(audit, smtp_server):
    person("revisor", language="en", groups=[AUDITOR_GROUP])

    run("2026-04-06")  # a Monday: the reply is missing, the measure overdue

    text, html = parts(smtp_server, "revisor@example.se")
    assert f'{ENGLISH_HTML}</a>, <span lang="sv">Första yttrande</span>' in html
    short = f'<span class="case-number">{REFERENCE}</span>'
    assert f'({short}, <span lang="sv">Rekommendation 3</span>)' in html
    assert f"Arbetsmarknadsnämnden: {PLAIN}, Första yttrande" in text
    assert f"({REFERENCE}, Rekommendation 3)" in text
    assert "<span" not in text


def test_a_followers_mails_name_the_audit_and_recommendation_as_the_pages_do(
    audit, smtp_server, django_capture_on_commit_callbacks
):
    recommendation = audit.recommendations.get()
    client = Client()
    client.cookies["django_language"] = "en"
    address = "medborgare@example.se"
    client.post(
        reverse("notifications:follow", args=["recommendation", recommendation.pk]),
        {"email": address},
    )
    text, html = parts(smtp_server, address)
    assert '<span lang="sv">Rekommendation 3</span>: <span lang="sv">Följ upp' in html
    assert "a new answer about Rekommendation 3: Följ upp insatserna in Malmö stad" in text
    smtp_server.messages.clear()
    Follower.objects.create(
        email=address,
        recommendation=recommendation,
        language="en",
        confirmed_at=dt.datetime.now(dt.UTC),
    )
    with django_capture_on_commit_callbacks(execute=True):
        publish_new_answer(
            recommendation, board=audit.audited_boards.get(), round_=audit.rounds.get()
        )

    call_command("send_notifications", stdout=StringIO())

    text, html = parts(smtp_server, address)
    assert f"in the follow-up of {ENGLISH_HTML}:" in html
    assert '<li><span lang="sv">Rekommendation 3</span>: ' in html
    assert f"in the follow-up of {PLAIN}:" in text
    assert "- Rekommendation 3: Följ upp insatserna." in text
    assert "<span" not in text
