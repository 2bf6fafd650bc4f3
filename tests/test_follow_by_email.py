"""Follow a recommendation or a board by e-mail: double opt-in, only the address kept,
a mail per newly published answer, removable from every mail."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from notifications import tokens
from notifications.models import Follower, Notification
from responses.models import Response
from tests.factories import (
    make_audit,
    make_board,
    make_entry,
    make_municipality,
    make_recommendation,
    make_response,
    make_round,
    make_user,
    publish_new_answer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_confirmations_counted():
    """Each test starts with no confirmation mails counted against an address."""
    cache.clear()


ADDRESS = "medborgare@example.se"


@pytest.fixture
def recommendation():
    board = make_board(short_code="ASN", name="Arbetsmarknadsnämnden")
    audit = make_audit(title="Granskning av arbetsmarknadsinsatser", boards=[board])
    return make_recommendation(audit, addressed_to=[board], text="Följ upp insatserna.")


def link_in(text: str, path_start: str) -> str:
    url = re.search(rf"https://uppfoljning\.example({path_start}\S+)", text).group(1)
    return url


def follow(client, smtp_server, recommendation, address=ADDRESS):
    response = client.post(
        reverse("notifications:follow", args=["recommendation", recommendation.pk]),
        {"email": address},
    )
    assert response.status_code == 200
    mail = smtp_server.to(address)[-1]
    return link_in(smtp_server.text(mail), "/folj/bekrafta/")


def publish_draft(recommendation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return publish_new_answer(recommendation)


def test_asking_to_follow_sends_a_confirmation_and_stores_nothing(
    client, smtp_server, recommendation
):
    confirm_path = follow(client, smtp_server, recommendation)

    assert not Follower.objects.exists()
    assert smtp_server.recipients == [ADDRESS]
    assert confirm_path.startswith("/folj/bekrafta/")


def test_opening_the_link_asks_and_confirming_stores_only_the_address(
    client, smtp_server, recommendation
):
    confirm_path = follow(client, smtp_server, recommendation)

    page = client.get(confirm_path)
    assert page.status_code == 200 and not Follower.objects.exists(), "GET changes nothing"
    client.post(confirm_path)
    client.post(confirm_path)

    follower = Follower.objects.get()
    assert (follower.email, follower.recommendation) == (ADDRESS, recommendation)


def test_a_confirmation_link_opened_again_says_the_address_follows_already(
    client, smtp_server, recommendation
):
    confirm_path = follow(client, smtp_server, recommendation)
    client.post(confirm_path)

    page = client.get(confirm_path).text

    assert "Du följer redan" in page
    assert "Bekräfta" not in page.split("<main", 1)[1]


def test_the_links_in_the_mails_open_in_the_language_the_reader_followed_in(
    client, smtp_server, recommendation, django_capture_on_commit_callbacks
):
    client.cookies["django_language"] = "en"
    client.post(
        reverse("notifications:follow", args=["recommendation", recommendation.pk]),
        {"email": ADDRESS},
    )
    confirm = link_in(smtp_server.text(smtp_server.to(ADDRESS)[-1]), "/folj/bekrafta/")
    elsewhere = Client()  # the mail opened on another device, which chose no language

    assert "<h1>Confirm that you want to follow</h1>" in elsewhere.get(confirm).text
    elsewhere.post(confirm)
    publish_draft(recommendation, django_capture_on_commit_callbacks)
    call_command("send_notifications")
    unfollow = link_in(smtp_server.text(smtp_server.to(ADDRESS)[-1]), "/folj/sluta/")
    assert "<h1>Stop following</h1>" in elsewhere.get(unfollow).text


def test_a_followed_recommendation_is_named_without_a_second_full_stop(
    client, smtp_server, recommendation
):
    """Its wording ends with one ("Följ upp insatserna."), and so does the sentence that
    names it, on the pages and in the mails: one full stop is written, not two."""
    response = client.post(
        reverse("notifications:follow", args=["recommendation", recommendation.pk]),
        {"email": ADDRESS},
    )
    mail = smtp_server.to(ADDRESS)[-1]

    named = "Rekommendation 1: Följ upp insatserna"
    assert f"följa {named} öppnar du" in response.text
    for text in (response.text, smtp_server.text(mail), smtp_server.html(mail)):
        assert named in text
        assert "insatserna.." not in text
    assert str(recommendation) == f"{named}.", "the name elsewhere is as it was"


def test_a_followed_recommendation_cut_short_is_not_followed_by_a_full_stop(
    client, smtp_server, django_capture_on_commit_callbacks
):
    """Its wording, cut near 80 characters, ends in an ellipsis ("… nämndens roll …"): no
    sentence of the follow pages and mails ends with the name, which read "roll …."."""
    board = make_board(short_code="ASN", name="Arbetsmarknadsnämnden")
    audit = make_audit(title="Granskning av arbetsmarknadsinsatser", boards=[board])
    long = make_recommendation(
        audit,
        addressed_to=[board],
        text="Säkerställ att arbetsmarknadsinsatserna följs upp och tydliggör nämndens roll "
        "i samverkan med andra aktörer.",
    )
    assert long.short_text.endswith(" …")
    requested = client.post(
        reverse("notifications:follow", args=["recommendation", long.pk]), {"email": ADDRESS}
    )
    confirm_path = link_in(smtp_server.text(smtp_server.to(ADDRESS)[-1]), "/folj/bekrafta/")
    texts = [requested.text, client.get(confirm_path).text, client.post(confirm_path).text]
    texts += [
        smtp_server.text(smtp_server.to(ADDRESS)[-1]),
        smtp_server.html(smtp_server.to(ADDRESS)[-1]),
    ]
    publish_draft(long, django_capture_on_commit_callbacks)
    call_command("send_notifications")
    answer_mail = smtp_server.to(ADDRESS)[-1]
    texts += [smtp_server.text(answer_mail), smtp_server.html(answer_mail)]

    assert all("roll …" in text for text in texts)
    for text in texts:
        assert not re.search(r"…(</span>)*\.", text), text


def test_a_forged_confirmation_link_is_refused(client, recommendation):
    assert client.get("/folj/bekrafta/inte-signerad/").status_code == 404


def test_a_broken_confirmation_link_says_what_may_have_happened(
    client, smtp_server, recommendation
):
    """A link a mail program broke over two lines led to "Sidan finns inte"."""
    confirm_path = follow(client, smtp_server, recommendation)
    page = client.get(confirm_path[:-12] + "/")
    assert page.status_code == 404
    assert "Länken i mejlet kan ha brutits av på två rader" in page.text
    assert Follower.objects.count() == 0


def test_an_expired_confirmation_link_leads_back_to_ask_again(
    client, smtp_server, recommendation, monkeypatch
):
    """It said "ask again on the page you want to follow", a week after the reader asked."""
    confirm_path = follow(client, smtp_server, recommendation)
    monkeypatch.setattr(tokens, "FOLLOW_MAX_AGE", -1)  # the week is over
    page = client.get(confirm_path)
    assert page.status_code == 410
    again = reverse("notifications:follow", args=["recommendation", recommendation.pk])
    assert f'<a href="{again}">Be om en ny länk för att följa Rekommendation 1: ' in page.text
    assert Follower.objects.count() == 0


def test_the_address_is_marked_required_as_in_every_other_form(client, recommendation):
    page = client.get(reverse("notifications:follow", args=["recommendation", recommendation.pk]))

    assert 'Din e-postadress <span class="required">(obligatoriskt)</span></label>' in page.text


def test_a_logged_in_reader_is_offered_their_own_address(client, recommendation):
    url = reverse("notifications:follow", args=["recommendation", recommendation.pk])
    assert 'value="' not in client.get(url).text.split('name="email"', 1)[1].split(">", 1)[0]

    client.force_login(make_user("läsaren", email="lasaren@example.se"))
    field = client.get(url).text.split('name="email"', 1)[1].split(">", 1)[0]

    assert 'value="lasaren@example.se"' in field


def test_a_bad_address_is_refused_with_a_swedish_message(client, recommendation):
    response = client.post(
        reverse("notifications:follow", args=["recommendation", recommendation.pk]),
        {"email": "inte en adress"},
    )

    assert response.status_code == 400
    assert "Skriv en e-postadress" in response.content.decode()


def test_an_address_longer_than_a_follow_can_store_is_refused_on_the_form(
    client, smtp_server, recommendation
):
    """The form's limit is the stored address's (``Follower.email``), on the input and
    when sent: an address one character longer is refused before any mail is sent."""
    url = reverse("notifications:follow", args=["recommendation", recommendation.pk])
    longest = Follower._meta.get_field("email").max_length
    assert f'maxlength="{longest}"' in client.get(url).text

    # A well-formed address (a local part of at most 64 characters, labels of at most
    # 63) one character over the limit.
    domain = ".".join(["a" * 40] * ((longest - 60) // 41) + ["example", "se"])
    address = "b" * (longest - len(domain)) + "@" + domain
    assert len(address) == longest + 1
    too_long = client.post(url, {"email": address})

    assert too_long.status_code == 400
    assert f"som mest {longest} tecken" in too_long.text
    assert not smtp_server.messages


def test_the_page_answers_before_the_confirmation_is_sent_and_the_mail_goes_after(
    wsgi_server, smtp_server, recommendation
):
    """Talking to the mail server inside the request told by the page's time how the
    server took the address: the answer is ready, and nothing has been sent, until the
    server has handed it over and closes it."""
    url = reverse("notifications:follow", args=["recommendation", recommendation.pk])

    answer = wsgi_server.post_form(url, {"email": ADDRESS})

    assert answer.status_code == 200
    assert f"Vi har skickat en länk till {ADDRESS}" in answer.text
    assert not smtp_server.messages

    wsgi_server.close(answer)

    [mail] = smtp_server.to(ADDRESS)
    assert link_in(smtp_server.text(mail), "/folj/bekrafta/")


def test_an_address_the_mail_server_refuses_gets_the_page_any_address_gets(
    client, smtp_server, recommendation, caplog
):
    """The page cannot say what the mail server makes of the address without waiting
    for it, which would tell by its time and its words which mailboxes exist: it says
    what to do if no mail comes, and the refusal is logged."""
    smtp_server.refuse["finns.inte@example.se"] = "550 5.1.1 No such user"
    url = reverse("notifications:follow", args=["recommendation", recommendation.pk])

    refused = client.post(url, {"email": "finns.inte@example.se"})
    accepted = client.post(url, {"email": ADDRESS})

    assert refused.status_code == accepted.status_code == 200
    assert refused.text == accepted.text.replace(ADDRESS, "finns.inte@example.se")
    assert "kontrollera att adressen är rätt skriven" in refused.text
    assert f"Could not send the follow confirmation for recommendation {recommendation.pk}" in (
        caplog.text
    )
    assert smtp_server.recipients == [ADDRESS]
    assert not Follower.objects.exists()


def test_a_mail_server_busy_for_now_is_logged_and_the_visitor_gets_the_usual_page(
    client, smtp_server, recommendation, caplog
):
    smtp_server.refuse[ADDRESS] = "450 4.2.1 Mailbox busy"
    url = reverse("notifications:follow", args=["recommendation", recommendation.pk])

    busy = client.post(url, {"email": ADDRESS})

    assert busy.status_code == 200
    assert "Bekräfta i ditt mejl" in busy.text
    assert "Could not send the follow confirmation" in caplog.text


def test_one_address_gets_at_most_three_confirmations_an_hour(client, smtp_server, recommendation):
    """The form is open to anyone: it must not be a way to flood someone's mailbox."""
    url = reverse("notifications:follow", args=["recommendation", recommendation.pk])
    for _ in range(3):
        assert client.post(url, {"email": ADDRESS}).status_code == 200

    refused = client.post(url, {"email": ADDRESS.upper()})

    assert refused.status_code == 429
    assert "redan skickat flera länkar till den här adressen" in refused.content.decode()
    assert len(smtp_server.to(ADDRESS)) == 3
    assert smtp_server.to(ADDRESS)[0]["Auto-Submitted"] == "auto-generated"
    assert client.post(url, {"email": "nagon.annan@example.se"}).status_code == 200
    assert len(smtp_server.messages) == 4


def test_followers_hear_once_of_a_newly_published_answer(
    client, smtp_server, recommendation, django_capture_on_commit_callbacks
):
    client.post(follow(client, smtp_server, recommendation))
    board = recommendation.addressed_to.get()
    Follower.objects.create(email=ADDRESS, board=board, confirmed_at=dt.datetime.now(dt.UTC))
    smtp_server.messages.clear()

    draft = publish_draft(recommendation, django_capture_on_commit_callbacks)
    call_command("send_notifications")
    call_command("send_notifications")

    mails = smtp_server.to(ADDRESS)
    assert len(mails) == 1, "one mail, though the address follows both board and recommendation"
    text = smtp_server.text(mails[0])
    assert draft.title in text
    assert f"https://uppfoljning.example{draft.get_absolute_url()}" in text
    assert "Följ upp insatserna." in text


def test_the_mails_say_which_municipalitys_board_they_are_about(
    client, smtp_server, django_capture_on_commit_callbacks
):
    """Every municipality has a Kommunstyrelsen, and anyone may follow any of them."""
    lund = make_municipality(name="Lunds kommun", slug="lund", organisation_number="212000-1132")
    board = make_board(short_code="KS", name="Kommunstyrelsen", municipality=lund)
    make_board(short_code="KS", name="Kommunstyrelsen")  # Malmö's
    audit = make_audit(boards=[board], municipality=lund)
    recommendation = make_recommendation(audit, addressed_to=[board])

    client.post(reverse("notifications:follow", args=["board", board.pk]), {"email": ADDRESS})
    confirm = smtp_server.to(ADDRESS)[-1]
    for part in (smtp_server.text(confirm), smtp_server.html(confirm)):
        assert "nytt svar om Kommunstyrelsen i Lunds kommun publiceras" in part
    client.post(link_in(smtp_server.text(confirm), "/folj/bekrafta/"))
    publish_draft(recommendation, django_capture_on_commit_callbacks)
    call_command("send_notifications")

    answer = smtp_server.to(ADDRESS)[-1]
    assert smtp_server.subject(answer) == "Nytt svar från Kommunstyrelsen i Lunds kommun"
    for part in (smtp_server.text(answer), smtp_server.html(answer)):
        assert "Kommunstyrelsen i Lunds kommun har publicerat ett svar" in part


def test_the_follow_pages_say_which_municipalitys_board_they_are_about(client, smtp_server):
    lund = make_municipality(name="Lunds kommun", slug="lund", organisation_number="212000-1132")
    board = make_board(short_code="KS", name="Kommunstyrelsen", municipality=lund)
    eyebrow = '<p class="eyebrow">Lunds kommun</p>\n<h1>'
    url = reverse("notifications:follow", args=["board", board.pk])

    assert eyebrow + "Följ Kommunstyrelsen</h1>" in client.get(url).text
    requested = client.post(url, {"email": ADDRESS})
    assert eyebrow + "Bekräfta i ditt mejl</h1>" in requested.text
    confirm = link_in(smtp_server.text(smtp_server.to(ADDRESS)[-1]), "/folj/bekrafta/")
    assert eyebrow + "Bekräfta att du vill följa</h1>" in client.get(confirm).text
    assert eyebrow + "Du följer nu</h1>" in client.post(confirm).text
    assert eyebrow + "Du följer redan</h1>" in client.get(confirm).text


def test_nothing_is_told_of_a_draft_or_a_submitted_response(client, smtp_server, recommendation):
    client.post(follow(client, smtp_server, recommendation))
    board = recommendation.addressed_to.get()
    round_ = make_round(recommendation.audit, sequence=1)
    submitted = make_response(board=board, round=round_, state=Response.State.SUBMITTED)
    make_entry(submitted, recommendation)

    call_command("send_notifications")

    assert len(smtp_server.to(ADDRESS)) == 1, "only the confirmation"
    assert not Notification.objects.exists()


def test_every_answer_mail_lets_the_reader_stop_following(
    client, smtp_server, recommendation, django_capture_on_commit_callbacks
):
    client.post(follow(client, smtp_server, recommendation))
    publish_draft(recommendation, django_capture_on_commit_callbacks)
    call_command("send_notifications")
    mail = smtp_server.to(ADDRESS)[-1]
    unfollow_path = link_in(smtp_server.text(mail), "/folj/sluta/")
    assert mail["List-Unsubscribe"].strip() == f"<https://uppfoljning.example{unfollow_path}>"

    assert client.get(unfollow_path).status_code == 200
    assert Follower.objects.exists()
    client.post(unfollow_path)

    assert not Follower.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unfollow_link_broken_in_two_says_what_may_have_happened(
    client, smtp_server, recommendation, method
):
    """It led to a bare "Sidan finns inte", where a broken confirmation link explains."""
    client.post(follow(client, smtp_server, recommendation))
    path = reverse("notifications:unfollow", args=[tokens.unfollow_token(ADDRESS)[:-12]])

    page = getattr(client, method)(path)

    assert page.status_code == 404, "as a broken confirmation link"
    assert "<h1>Länken fungerar inte</h1>" in page.text
    assert "Länken för att sluta följa är ofullständig" in page.text
    assert Follower.objects.filter(email=ADDRESS).exists()


def test_an_address_refused_for_good_stops_following(
    client, smtp_server, recommendation, django_capture_on_commit_callbacks
):
    """A follower's mailbox that no longer exists is not mailed every new answer forever:
    the server's 5xx refusal removes its follows; the refused row stays, saying why."""
    client.post(follow(client, smtp_server, recommendation))
    board = recommendation.addressed_to.get()
    Follower.objects.create(email=ADDRESS, board=board, confirmed_at=dt.datetime.now(dt.UTC))
    smtp_server.refuse[ADDRESS] = "550 5.1.1 Mailbox does not exist"

    publish_draft(recommendation, django_capture_on_commit_callbacks)
    call_command("send_notifications")

    assert not Follower.objects.filter(email=ADDRESS).exists()
    row = Notification.objects.get(email=ADDRESS)
    assert row.refusal == "550 5.1.1 Mailbox does not exist"
    assert row.refused_at is not None


def test_an_address_refused_for_now_keeps_following(
    client, smtp_server, recommendation, django_capture_on_commit_callbacks
):
    client.post(follow(client, smtp_server, recommendation))
    smtp_server.refuse[ADDRESS] = "452 4.2.2 Mailbox full"

    publish_draft(recommendation, django_capture_on_commit_callbacks)
    call_command("send_notifications")

    assert Follower.objects.filter(email=ADDRESS).exists()
    assert Notification.objects.pending().filter(email=ADDRESS).exists()


def test_the_recommendation_and_board_pages_link_to_the_follow_form(client, recommendation):
    """The form is on a page of its own, so the public pages hold no CSRF token and can be
    served from the shared cache."""
    board = recommendation.addressed_to.get()
    for page, action in [
        (recommendation.get_absolute_url(), f"/folj/recommendation/{recommendation.pk}/"),
        (board.get_absolute_url(), f"/folj/board/{board.pk}/"),
    ]:
        html = client.get(page).content.decode()
        assert f'href="{action}"' in html
        assert "csrfmiddlewaretoken" not in html
        form = client.get(action).content.decode()
        assert f'action="{action}"' in form
        assert 'autocomplete="email"' in form
