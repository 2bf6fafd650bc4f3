"""Follow a recommendation or a board by e-mail: confirm, store, tell of new answers."""

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from recommendations import municipal_links
from recommendations.models import Board, Municipality, Recommendation
from responses.models import Response

from . import limits, mail, tokens
from .models import Follower, Kind, Notification

TARGETS = {"recommendation": Recommendation, "board": Board}


def target_of(data: dict):
    """The recommendation or board a follow token's ``data`` names; None if it is gone."""
    model = TARGETS.get(data.get("t"))
    return model.objects.filter(pk=data.get("i")).first() if model is not None else None


# The follow form is open to anyone: without a limit it would mail any address as often as
# someone cared to post it. A few confirmations an hour are enough for a reader who lost one;
# a few dozen from one client for an office behind one address, not for a script mailing
# a list of strangers in our name.
CONFIRMATIONS_PER_HOUR = 3
CONFIRMATIONS_PER_CLIENT_HOUR = 20


def may_send_confirmation(email: str) -> bool:
    """Whether another confirmation may be mailed to ``email``'s mailbox within the hour,
    counting this one (``limits``: however the address is spelled)."""
    return limits.mailbox_within("follow", email, CONFIRMATIONS_PER_HOUR)


def may_ask_from(request) -> bool:
    """Whether the client may have another confirmation mailed within the hour, counting
    this one, to whatever address (``limits``)."""
    return limits.client_within("follow", request, CONFIRMATIONS_PER_CLIENT_HOUR)


def municipality_of(target) -> Municipality:
    """The municipality of a followed board or recommendation (``tenancy``), named
    wherever a follow is: boards and recommendations of every municipality may be
    followed, and many are named alike (Kommunstyrelsen)."""
    return Municipality.objects.get(pk=municipal_links.municipality_of(target))


def send_confirmation(*, email: str, target, language: str) -> None:
    """Mail the signed confirmation link, after the answer (``mail.send_after_response``):
    the page says the same, as fast, whatever the mail server makes of the address.
    Nothing is stored until the link is used."""
    kind = "board" if isinstance(target, Board) else "recommendation"
    token = tokens.follow_token(email=email, target=kind, target_id=target.pk, language=language)
    message = mail.compose(
        template="follow_confirm",
        to=email,
        language=language,
        context={
            "target": target,
            "municipality": municipality_of(target),
            "target_url": mail.absolute_url(target.get_absolute_url()),
            "confirm_url": mail.absolute_url(reverse("notifications:follow_confirm", args=[token])),
        },
        stop_url=None,
    )
    mail.send_after_response(message, about=f"the follow confirmation for {kind} {target.pk}")


def language_of(email: str) -> str | None:
    """The language the address's mails are written in (that of the page it followed
    from); None for an address that follows nothing."""
    return Follower.objects.of_address(email).values_list("language", flat=True).first()


def is_confirmed(data: dict) -> bool:
    """Whether the follow a confirmation token names is stored already (its link used)."""
    return Follower.objects.of_address(data["e"]).filter(**{f"{data['t']}_id": data["i"]}).exists()


def confirm(data: dict) -> Follower:
    """Store the follow named by a confirmation token's data; using the link twice is fine.
    An address that follows something already keeps the spelling it was first confirmed
    in (another case is the same mailbox), so its mails are bundled into one and one
    unfollow link removes every follow."""
    model = TARGETS[data["t"]]
    target = model.objects.get(pk=data["i"])
    known = Follower.objects.of_address(data["e"]).values_list("email", flat=True).first()
    follower, _created = Follower.objects.get_or_create(
        email=known or data["e"],
        **{data["t"]: target},
        defaults={"language": data["l"], "confirmed_at": timezone.now()},
    )
    return follower


def queue_new_answer(response: Response) -> int:
    """Queue one mail per follower address for a newly published response: followers of
    its board or of any recommendation it answers. Sent by the next send_notifications."""
    if not response.is_public:
        return 0
    followers = Follower.objects.filter(
        Q(board_id=response.board_id)
        | Q(recommendation__in=response.entries.values("recommendation"))
    ).order_by("email", "pk")
    rows = {}
    today = timezone.localdate()
    for follower in followers:
        key = f"{Kind.NEW_ANSWER}:{follower.email}:response:{response.pk}"
        rows.setdefault(
            key,
            Notification(
                follower=follower,
                email=follower.email,
                kind=Kind.NEW_ANSWER,
                stage="published",
                group=f"response:{response.pk}",
                key=key,
                response=response,
                send_after=today,
            ),
        )
    with transaction.atomic():
        Notification.objects.bulk_create(rows.values(), ignore_conflicts=True)
    return len(rows)


def on_response_published(sender, response, **kwargs):
    """Receiver of responses.signals.response_published (sent after the commit)."""
    queue_new_answer(response)
