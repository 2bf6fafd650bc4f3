"""Following by e-mail, as a hostile visitor uses it: the open form must not be a way to
flood someone's mailbox, to inject headers, or to follow twice under two spellings of one
address that a mail's unfollow link then cannot stop."""

import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from notifications.models import Follower
from responses.models import Response
from tests.factories import (
    make_audit,
    make_board,
    make_recommendation,
    publish_new_answer,
)

pytestmark = pytest.mark.django_db

VICTIM = "offer@example.se"


@pytest.fixture(autouse=True)
def no_confirmations_counted():
    cache.clear()


@pytest.fixture
def recommendation():
    board = make_board(short_code="ASN", name="Arbetsmarknadsnämnden")
    audit = make_audit(title="Granskning av arbetsmarknadsinsatser", boards=[board])
    return make_recommendation(audit, addressed_to=[board], text="Följ upp insatserna.")


def ask(client, recommendation, address, target="recommendation"):
    obj = recommendation if target == "recommendation" else recommendation.addressed_to.get()
    return client.post(reverse("notifications:follow", args=[target, obj.pk]), {"email": address})


def delivered_to(smtp_server, mailbox):
    """The mails the SMTP server took for ``mailbox`` however its address was spelled
    (a mail server takes the case of an address and a +tag as the same mailbox)."""
    local, domain = mailbox.split("@")
    spelled = re.compile(rf"{re.escape(local)}(\+[^@]*)?@{re.escape(domain)}", re.IGNORECASE)
    return [m for rcpts, m in smtp_server.messages if any(spelled.fullmatch(r) for r in rcpts)]


def test_a_mailbox_gets_three_links_an_hour_however_its_address_is_spelled(
    client, smtp_server, recommendation
):
    """A +tag or another case reaches the same mailbox: they count together."""
    for address in ["offer+1@example.se", "Offer@Example.SE", "offer+2@example.se"]:
        assert ask(client, recommendation, address).status_code == 200

    assert ask(client, recommendation, "offer+3@example.se").status_code == 429
    assert ask(client, recommendation, "OFFER+4@example.se").status_code == 429
    assert len(delivered_to(smtp_server, VICTIM)) == 3


def test_an_international_domain_counts_once_in_either_spelling(
    client, smtp_server, recommendation
):
    for _ in range(3):
        assert ask(client, recommendation, "offer@exämple.se").status_code == 200

    assert ask(client, recommendation, "offer@xn--exmple-cua.se").status_code == 429


@pytest.mark.parametrize(
    "address",
    [
        '"offer"@example.se',  # quoted: sent to offer@example.se
        '"of\\fer"@example.se',  # an escaped letter: the same
        "=?utf-8?q?offer?=@example.se",  # an encoded word: decoded to offer@example.se
        '"of\x0bfer"@example.se',  # a control character: sent mangled
        "åsa@example.se",  # a non-ASCII name: sent as an encoded word, to nobody
    ],
)
def test_an_address_a_mail_would_reach_under_another_spelling_is_refused(
    client, smtp_server, recommendation, address
):
    """Each of these is sent to another address than the one written (so each would be
    counted as a mailbox of its own, past the limit): the form asks for the address as
    it is."""
    response = ask(client, recommendation, address)

    assert response.status_code == 400
    assert "Skriv en e-postadress, till exempel namn@example.se." in response.text
    assert not smtp_server.messages


@pytest.mark.parametrize("address", ["root@localhost", "postmaster@[127.0.0.1]"])
def test_an_address_on_the_mail_servers_own_host_is_refused(
    client, smtp_server, recommendation, address
):
    """No reader's mailbox is on a host without a domain or at an IP address: the mail
    server's own are."""
    response = ask(client, recommendation, address)

    assert response.status_code == 400
    assert not smtp_server.messages


@pytest.mark.parametrize(
    "address",
    [
        "offer@example.se\r\nBcc: annan@example.se",
        "offer@example.se\nBcc: annan@example.se",
        "offer@example.se, annan@example.se",
        "Offer <offer@example.se>",
    ],
)
def test_no_header_or_second_recipient_can_be_written_into_the_address(
    client, smtp_server, recommendation, address
):
    response = ask(client, recommendation, address)

    assert response.status_code == 400
    assert not smtp_server.messages


def confirm_link(smtp_server, address):
    text = smtp_server.text(smtp_server.to(address)[-1])
    return re.search(r"https://uppfoljning\.example(/folj/bekrafta/\S+)", text).group(1)


def test_one_mailbox_follows_under_one_spelling_so_one_link_stops_it_all(
    client, smtp_server, recommendation, django_capture_on_commit_callbacks
):
    """The board followed as Offer@Example.se, the recommendation as offer@example.se:
    one mail per new answer, and its unfollow link stops both."""
    ask(client, recommendation, "Offer@Example.se", target="board")
    client.post(confirm_link(smtp_server, "Offer@Example.se"))
    ask(client, recommendation, VICTIM)
    client.post(confirm_link(smtp_server, VICTIM))
    smtp_server.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish_new_answer(recommendation)

    call_command("send_notifications")

    (mail,) = delivered_to(smtp_server, VICTIM)
    assert Response.objects.get().is_public
    unfollow = re.search(
        r"https://uppfoljning\.example(/folj/sluta/\S+)", smtp_server.text(mail)
    ).group(1)
    client.post(unfollow)
    assert not Follower.objects.exists()


def test_one_client_gets_twenty_links_an_hour_to_whatever_addresses(mailoutbox, recommendation):
    """A script cannot mail a list of strangers in our name, one link each."""
    client = Client(REMOTE_ADDR="203.0.113.9")
    for number in range(20):
        assert ask(client, recommendation, f"person{number}@example.se").status_code == 200

    refused = ask(client, recommendation, "person20@example.se")

    assert refused.status_code == 429
    assert "Vi har skickat många länkar härifrån den senaste timmen." in refused.text
    assert len(mailoutbox) == 20
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert ask(elsewhere, recommendation, "person20@example.se").status_code == 200


def test_an_ipv6_client_counts_as_its_whole_network(mailoutbox, recommendation):
    """One line has a /64 of addresses to write any of: they count as one client."""
    for number in range(20):
        client = Client(REMOTE_ADDR=f"2001:db8:1:2::{number + 1:x}")
        assert ask(client, recommendation, f"person{number}@example.se").status_code == 200

    refused = ask(Client(REMOTE_ADDR="2001:db8:1:2:ffff::1"), recommendation, "x@example.se")

    assert refused.status_code == 429
    other_network = Client(REMOTE_ADDR="2001:db8:1:3::1")
    assert ask(other_network, recommendation, "x@example.se").status_code == 200
