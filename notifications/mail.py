"""Compose a mail in the recipient's language: subject, plain text and HTML, with the
unsubscribe link in the text and in the List-Unsubscribe header (RFC 2369 and 8058), marked
as sent by a machine (RFC 3834); and send a form's mail after its answer."""

import logging
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import sanitize_address
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation

from . import tokens

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def sent_address(email: str) -> str:
    """The address a mail to ``email`` is sent to, as Django's mail writes it in the
    envelope and the header: an international domain in its ASCII form, a quoted or
    escaped name unquoted, an encoded word decoded ("=?utf-8?q?anna?=@example.se" goes to
    anna@example.se). Raises ValueError for what is no address."""
    return sanitize_address(email, "utf-8")


def mailbox(email: str) -> str:
    """The mailbox an address reaches, as far as we can tell, to count what is sent to it:
    ``sent_address`` without a +tag (anna+1@ is delivered to anna@), in one case (the case
    of an address is not something mail servers keep)."""
    local, _at, domain = sent_address(email).rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}".casefold()


def unsubscribe_url(user_id: int, kind: str) -> str:
    return absolute_url(
        reverse("notifications:unsubscribe", args=[tokens.unsubscribe_token(user_id, kind)])
    )


def unfollow_url(email: str) -> str:
    return absolute_url(reverse("notifications:unfollow", args=[tokens.unfollow_token(email)]))


# Sent by a machine (RFC 3834): out-of-office and other automatic replies are not sent
# back for it (Exchange and Outlook read the second header). Every mail the product sends
# is one (reminders, digests, follow mails, the password reset): ``message`` makes them all.
AUTOMATIC_HEADERS = {"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"}


def message(
    subject: str,
    text: str,
    *,
    to: str,
    html: str | None = None,
    headers: dict | None = None,
    from_email: str | None = None,
) -> EmailMultiAlternatives:
    """A mail the product sends by itself, plain text with an optional HTML part, marked
    as sent by a machine."""
    email = EmailMultiAlternatives(
        subject, text, from_email, [to], headers={**AUTOMATIC_HEADERS, **(headers or {})}
    )
    if html is not None:
        email.attach_alternative(html, "text/html")
    return email


def _render_plain(name: str, context: dict) -> str:
    """A plain-text part of a mail (its subject, its text): nothing in it is HTML, so
    nothing is escaped as HTML (a board named "Kultur- & fritidsnämnden" is not
    "Kultur- &amp; fritidsnämnden"), whatever the template says."""
    return get_template(name).template.render(Context(context, autoescape=False))


def compose(
    *, template: str, to: str, language: str, context: dict, stop_url: str | None
) -> EmailMultiAlternatives:
    """``template`` names templates/notifications/email/<template>{_subject.txt,.txt,.html}.

    ``stop_url`` is the one-click link that stops this kind of mail (None only for the
    follow confirmation, which nothing follows unless it is used)."""
    context = {**context, "site_url": settings.SITE_URL, "stop_url": stop_url}
    with translation.override(language):
        context["language"] = language
        base = f"notifications/email/{template}"
        subject = " ".join(_render_plain(f"{base}_subject.txt", context).split())
        text = _render_plain(f"{base}.txt", context)
        html = render_to_string(f"{base}.html", context)
    headers = {}
    if stop_url:
        headers["List-Unsubscribe"] = f"<{stop_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message(subject, text, to=to, html=html, headers=headers)


# The mails of the forms open to anyone (the password reset, the follow confirmation) are
# written while the request is served and sent once its answer is out: a conversation
# with the mail server takes tens or hundreds of milliseconds, and a page that waited for
# it would tell by its time alone whether a mail went (whether an address has an
# account) and how the mail server took it. The answers' texts already say the same
# either way. ``None`` outside a request: a command or the shell sends at once.
# The thread that served the request sends them, after its answer: a client's next request
# on the same kept-alive connection to gunicorn would wait for it (measured: 0.5 s behind a
# mail server taking 0.5 s), which the proxy in front hides by making its own connections.
_after_response: ContextVar[list | None] = ContextVar("mails_after_response", default=None)


def send_after_response(
    message: EmailMultiAlternatives,
    *,
    about: str,
    on_failure: Callable[[Exception], None] | None = None,
) -> None:
    """Send ``message`` once the answer to the request being served has been handed to
    the client: when the server closes Django's response, which sends ``request_finished``
    (a WSGI server, gunicorn's threads and the test client do so in the request's own
    thread). Outside a request it goes at once, and so it does under ASGI, whose
    ``request_started`` runs its receivers in tasks of their own.

    A failure never reaches the client, who has the answer already: it is logged
    (``about`` names the mail) and handed to ``on_failure``, for what a refusal teaches
    (``outbox.refusal``)."""
    queued = _after_response.get()
    if queued is None:
        _send(message, about, on_failure)
    else:
        queued.append((message, about, on_failure))


def _send(message, about: str, on_failure) -> None:
    try:
        message.send()
    except Exception as error:
        logger.exception("Could not send %s", about)
        if on_failure is not None:
            try:
                on_failure(error)
            except Exception:
                logger.exception("Could not record why %s was not sent", about)


def open_request(**kwargs) -> None:
    """Receiver of ``request_started``: this request's mails wait for its answer. What an
    earlier request of the thread left queued (a server that never closed its answer)
    goes now rather than never."""
    send_after_request()
    _after_response.set([])


def send_after_request(**kwargs) -> None:
    """Receiver of ``request_finished``: send what the request queued, its answer sent."""
    queued = _after_response.get()
    _after_response.set(None)
    while queued:
        _send(*queued.pop(0))
