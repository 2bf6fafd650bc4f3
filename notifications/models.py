"""Mail that chases: each user's choices, the people who follow by e-mail, and the outbox.

Every mail goes through the outbox (``Notification``): ``manage.py send_notifications``
plans rows from the data (idempotent on ``key``) and then sends what is due, so a
second run sends nothing twice and a crash loses nothing (see notifications/outbox.py).
"""

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Language(models.TextChoices):
    SWEDISH = "sv", _("svenska")
    ENGLISH = "en", _("engelska")


class Kind(models.TextChoices):
    """What a mail is about; users choose per kind how often they get it."""

    BOARD_REMINDER = (
        "board_reminder",
        _("nya uppföljningsomgångar och påminnelser om nämndens svar och åtgärder"),
    )
    ESCALATION = "escalation", _("kraftigt försenade svar och åtgärder")
    AUDITOR_DIGEST = "auditor_digest", _("sammanfattning av Att granska")
    NEW_ANSWER = "new_answer", _("nytt publicerat svar (följare)")

    @classmethod
    def user_choices(cls, user):
        """The kinds this logged-in user can receive, and so chooses a frequency for
        (followers just unfollow), as ``planning`` addresses them: reminders to a board's
        staff; escalations to the municipality's auditors and a board's contact person;
        the digest to auditors."""
        from recommendations import roles
        from recommendations.models import Board

        auditor = roles.gets_auditor_mail(user)
        received = {
            cls.BOARD_REMINDER: bool(roles.staff_board_ids(user)),
            cls.ESCALATION: auditor or Board.objects.filter(contact=user).exists(),
            cls.AUDITOR_DIGEST: auditor,
        }
        return [(kind.value, kind.label) for kind, receives in received.items() if receives]


class Frequency(models.TextChoices):
    OFF = "off", _("av")
    IMMEDIATE = "immediate", _("direkt")
    WEEKLY = "weekly", _("en gång i veckan")

    def send_after(self, today: dt.date) -> dt.date:
        """The first day a mail planned ``today`` may go: weekly mails wait for Monday."""
        if self == Frequency.WEEKLY:
            return today + dt.timedelta(days=(7 - today.weekday()) % 7)
        return today


# What a user gets when they have not chosen: every reminder at once, the auditors'
# digest once a week (it summarises a page they also visit).
DEFAULT_FREQUENCY = {
    Kind.BOARD_REMINDER: Frequency.IMMEDIATE,
    Kind.ESCALATION: Frequency.IMMEDIATE,
    Kind.AUDITOR_DIGEST: Frequency.WEEKLY,
}


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


def same_address(one: str, other: str) -> bool:
    """Whether two e-mail addresses are one mailbox, as far as we can tell (the case of
    an address is not something people keep)."""
    return bool(one) and one.casefold() == (other or "").casefold()


def writes_to(user, refused_email: str = "") -> bool:
    """Whether mail is written to ``user`` at all: an active user with an address that the
    mail server has not refused for good (``refused_email``, kept on their ``Profile``).
    The one rule for every mail to a user, planned (``planning``) or about to go
    (``planning.still_writes_to``); a follower's refused address stops following
    instead (``outbox``). The refusal holds until the address changes."""
    return user.is_active and bool(user.email) and not same_address(user.email, refused_email)


class ProfileQuerySet(models.QuerySet):
    def refused_addresses(self, users) -> dict[int, str]:
        """{user id: the address the mail server refused for good} for those of ``users``
        that have one, in one query (``writes_to`` compares it with their address now)."""
        return dict(
            self.filter(user__in=users)
            .exclude(refused_email="")
            .values_list("user_id", "refused_email")
        )


class Profile(models.Model):
    """A user's language for mail, the secret in their private calendar addresses, and the
    address the mail server refused for good, if it did."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_profile",
        verbose_name=_("användare"),
    )
    language = models.CharField(
        _("språk i e-post"), max_length=2, choices=Language.choices, default=Language.SWEDISH
    )
    calendar_token = models.CharField(
        _("kalendernyckel"), max_length=64, unique=True, default=new_calendar_token
    )
    # The mail server's permanent "no" to the user's address (a 5xx answer to the
    # recipient: no such mailbox): no mail is written to it again (``writes_to``) until
    # the user's address is another one. Shown under Mitt konto and in the user admin.
    refused_email = models.EmailField(_("avvisad e-postadress"), blank=True)
    refused_at = models.DateTimeField(_("adressen avvisad"), null=True, blank=True)
    refusal = models.CharField(
        _("e-postserverns svar"),
        max_length=300,
        blank=True,
        help_text=_("Varför e-postservern avvisade adressen för gott."),
    )

    objects = ProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-postinställning")
        verbose_name_plural = _("e-postinställningar")

    def __str__(self):
        return str(self.user)

    @staticmethod
    def language_of(user) -> str:
        """The language of the user's mails: one query, none stored until chosen."""
        stored = Profile.objects.filter(user=user).values_list("language", flat=True).first()
        return stored or Language.SWEDISH

    @classmethod
    def for_user(cls, user) -> "Profile":
        profile, _created = cls.objects.get_or_create(user=user)
        return profile

    @classmethod
    def record_refusal(cls, user_id: int, address: str, when, answer: str) -> None:
        """The mail server refused ``address`` for good (``answer``, at ``when``): no mail
        is written to the user there again (``writes_to``) until their address changes.
        Whichever mail was refused: one from the outbox, or a password reset."""
        cls.objects.update_or_create(
            user_id=user_id,
            defaults={"refused_email": address, "refused_at": when, "refusal": answer},
        )

    def refuses(self, user) -> bool:
        """Whether the mail server refused ``user``'s address as it is now, so that no mail
        is written to them (``writes_to``)."""
        return same_address(user.email, self.refused_email)

    def renew_calendar_token(self) -> None:
        """A new secret: the old calendar addresses stop working at once."""
        self.calendar_token = new_calendar_token()
        self.save(update_fields=["calendar_token"])


class PreferenceQuerySet(models.QuerySet):
    def frequencies(self, users) -> dict[tuple[int, str], "Frequency"]:
        """{(user id, kind): frequency} for these users, in one query."""
        return {
            (user_id, kind): Frequency(frequency)
            for user_id, kind, frequency in self.filter(user__in=users).values_list(
                "user_id", "kind", "frequency"
            )
        }


class Preference(models.Model):
    """How often a user wants one kind of mail; without a row, DEFAULT_FREQUENCY applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("användare"),
    )
    kind = models.CharField(_("typ"), max_length=30, choices=Kind.choices)
    frequency = models.CharField(_("hur ofta"), max_length=10, choices=Frequency.choices)

    objects = PreferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("val för e-post")
        verbose_name_plural = pgettext_lazy("plural", "val för e-post")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_one_per_kind")
        ]

    def __str__(self):
        return f"{self.user}: {self.get_kind_display()} – {self.get_frequency_display()}"

    @staticmethod
    def frequency_for(user, kind: str, known: dict | None = None) -> Frequency:
        """The user's choice for ``kind``: from ``known`` (see frequencies()) or one query."""
        if known is None:
            known = Preference.objects.filter(kind=kind).frequencies([user])
        return known.get((user.pk, kind), DEFAULT_FREQUENCY.get(Kind(kind), Frequency.OFF))


class FollowerQuerySet(models.QuerySet):
    def of_address(self, email: str):
        """The follows of the mailbox ``email`` names, in whatever case it was written
        (``same_address``): what an unfollow link removes and a refusal stops."""
        return self.filter(email__iexact=email)


class Follower(models.Model):
    """Someone, logged in or not, who confirmed they want a mail on new published answers.

    Only the address is stored (and the language the page was read in), and only once
    the signed link in the confirmation mail was used: an unconfirmed request leaves
    nothing behind. One mailbox's follows share one spelling of its address (the first
    confirmed), so it gets one mail per answer and one link stops them all."""

    email = models.EmailField(_("e-postadress"))
    language = models.CharField(
        _("språk"), max_length=2, choices=Language.choices, default=Language.SWEDISH
    )
    recommendation = models.ForeignKey(
        "recommendations.Recommendation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="followers",
        verbose_name=_("rekommendation"),
    )
    board = models.ForeignKey(
        "recommendations.Board",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="followers",
        verbose_name=_("nämnd"),
    )
    confirmed_at = models.DateTimeField(_("bekräftat"))

    objects = FollowerQuerySet.as_manager()

    class Meta:
        verbose_name = _("följare")
        verbose_name_plural = pgettext_lazy("plural", "följare")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recommendation__isnull=True, board__isnull=False)
                | models.Q(recommendation__isnull=False, board__isnull=True),
                name="follower_follows_one_thing",
            ),
            models.UniqueConstraint(
                fields=["email", "recommendation"],
                condition=models.Q(recommendation__isnull=False),
                name="follower_once_per_recommendation",
            ),
            models.UniqueConstraint(
                fields=["email", "board"],
                condition=models.Q(board__isnull=False),
                name="follower_once_per_board",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.recommendation or self.board}"

    @property
    def target(self):
        return self.recommendation or self.board


class NotificationQuerySet(models.QuerySet):
    def pending(self):
        """Neither sent, cancelled nor refused for good: still to go."""
        return self.filter(sent_at__isnull=True, cancelled_at__isnull=True, refused_at__isnull=True)

    def due(self, today: dt.date):
        """Unsent, not cancelled, and allowed to go by ``today``."""
        return self.pending().filter(send_after__lte=today)

    def reported_until(self, recipient_id: int, kind: str) -> dt.datetime | None:
        """Where the last mail of ``kind`` to this user that went ended its report (its
        ``reported_until``; its sending, for one sent before that was kept); None if none
        has gone."""
        return self.filter(recipient_id=recipient_id, kind=kind, sent_at__isnull=False).aggregate(
            last=models.Max(Coalesce("reported_until", "sent_at"))
        )["last"]


class Notification(models.Model):
    """One reminder in the outbox: to whom, about what, from when, and whether it went.

    A mail bundles a recipient's due rows of one kind and group (one digest per board
    and run). ``key`` names the event (the measure and its current due date, the round,
    board and stage, ...), so planning twice creates nothing new and a moved due date
    makes a new key, and so a new reminder."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("mottagare"),
    )
    follower = models.ForeignKey(
        Follower,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("följare"),
    )
    email = models.EmailField(_("e-postadress"))
    kind = models.CharField(_("typ"), max_length=30, choices=Kind.choices)
    stage = models.CharField(_("skede"), max_length=30)
    group = models.CharField(
        _("samlas i"), max_length=60, help_text=_("Rader med samma mottagare, typ och grupp.")
    )
    key = models.CharField(_("nyckel"), max_length=200, unique=True)
    board = models.ForeignKey(
        "recommendations.Board",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nämnd"),
    )
    round = models.ForeignKey(
        "recommendations.FollowUpRound",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("omgång"),
    )
    measure = models.ForeignKey(
        "responses.Measure",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("åtgärd"),
    )
    response = models.ForeignKey(
        "responses.Response",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("yttrande"),
    )
    due_date = models.DateField(
        _("förfallodag"), null=True, blank=True, help_text=_("Sista dagen i periodens datum.")
    )
    due_text = models.CharField(
        _("datum som det skrivs"), max_length=20, blank=True, help_text=_("Till exempel 2026-05.")
    )
    send_after = models.DateField(_("skickas tidigast"))
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)
    # A digest's report ends here (not included): the next one starts here, so what
    # arrived is told in exactly one (see outbox._digest_until).
    reported_until = models.DateTimeField(_("sammanfattar fram till"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("inställd"), null=True, blank=True)
    # The mail server's permanent "no" (a 5xx answer: no such mailbox, the mail refused):
    # sending it again would be refused again, so the row is not retried. A temporary
    # (4xx) failure leaves the row waiting instead (see outbox.send_due).
    refused_at = models.DateTimeField(_("avvisad"), null=True, blank=True)
    refusal = models.CharField(
        _("e-postserverns svar"),
        max_length=300,
        blank=True,
        help_text=_("Varför e-postservern avvisade utskicket för gott."),
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("utskick")
        verbose_name_plural = pgettext_lazy("plural", "utskick")
        ordering = ["-created_at", "pk"]
        indexes = [
            # The send step reads only what is still waiting: a small slice of the table.
            models.Index(
                fields=["send_after", "email", "kind", "group"],
                condition=models.Q(
                    sent_at__isnull=True, cancelled_at__isnull=True, refused_at__isnull=True
                ),
                name="notification_pending_idx",
            ),
        ]

    def __str__(self):
        return self.key
