"""The notifications admin, scoped like every other admin page (``admin_scope``).

What an Administratörer member may do here (their permissions: ``role_groups.py``; the
rows they reach: ``tenancy.condition``):

* The outbox (``Notification``): nothing, it is the superusers'. It is the send step's
  internal queue, and each row names the address it mails to: whoever may add or change a
  row has a board's reminders (with its draft measures) or an auditors' digest (with
  submitted, unpublished responses) mailed wherever they like. A follower's or user's rows
  are deleted with them, as when they unfollow.
* Followers of their municipality's recommendations and boards: see them, and remove one
  (someone who asks to stop getting mail). Never add or change one: a follower is an
  address that confirmed the signed link in its own confirmation mail, and a row made or
  redirected here would mail someone who never asked. Other municipalities' followers are
  neither listed nor opened (404).
* The e-mail settings (``Profile``, ``Preference``) of the users they manage (the
  tenancy's users of their municipality, never a superuser): everything, as they may
  already change those users' accounts in the user admin. Other users' settings are
  neither listed nor opened, and cannot be given to them.
"""

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from recommendations import roles
from recommendations.admin_scope import OnlyForSuperusers, ScopedAdminMixin

from .models import Follower, Notification, Preference, Profile


@admin.register(Notification)
class NotificationAdmin(OnlyForSuperusers, ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "key",
        "email",
        "kind",
        "stage",
        "send_after",
        "sent_at",
        "cancelled_at",
        "refused_at",
        "refusal",
    ]
    list_filter = ["kind", "stage", "send_after", "sent_at", "refused_at"]
    search_fields = ["email", "key"]
    raw_id_fields = ["recipient", "follower", "board", "round", "measure", "response"]
    date_hierarchy = "send_after"

    def has_delete_permission(self, request, obj=None):
        # A follower's or a user's own rows go with them when an admin deletes the one or
        # the other (Django asks about each row the deletion takes along, as unfollowing
        # does). The outbox's own delete pages stay closed: no row is in a non-superuser's
        # scope (tenancy), so they never get an ``obj`` from there.
        return roles.is_superuser(request.user) or obj is not None


@admin.register(Follower)
class FollowerAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["email", "recommendation", "board", "confirmed_at"]
    list_select_related = ["recommendation", "board"]
    search_fields = ["email"]
    raw_id_fields = ["recommendation", "board"]


@admin.register(Profile)
class ProfileAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "language", "refused_email", "refused_at"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    exclude = ["calendar_token"]
    # The mail server's answer is its own record; the refused address may be emptied
    # (the mailbox works again under the same address) and mail then goes again.
    readonly_fields = ["refused_at", "refusal"]


def refused_address(user) -> str:
    """The user admin's line on whether the mail server refused the user's address for
    good (``Profile.refuses``): when, its answer, and how mail goes again."""
    profile = getattr(user, "notification_profile", None)
    if profile is None or not profile.refuses(user):
        return gettext("Nej")
    return format_html(
        "{} ({}). {}",
        profile.refused_at.date().isoformat() if profile.refused_at else "",
        profile.refusal,
        gettext(
            "Ingen e-post skickas till adressen. Ändra adressen, eller töm den avvisade "
            "adressen under E-postinställningar om brevlådan fungerar igen."
        ),
    )


class RefusedAddressFilter(admin.SimpleListFilter):
    """Users whose address as it is now the mail server refused for good
    (``Profile.refuses``, in the query)."""

    title = _("e-postadress avvisad")
    parameter_name = "avvisad"
    # The field it reads, as Django's field filters name theirs (the lists' scoping reads
    # every filter's: ``admin_scope._without_municipality`` and its tests).
    field_path = "notification_profile__refused_email"

    def lookups(self, request, model_admin):
        return [("ja", _("Ja")), ("nej", _("Nej"))]

    def queryset(self, request, queryset):
        if self.value() not in {"ja", "nej"}:
            return queryset
        refused = Exists(
            Profile.objects.filter(user=OuterRef("pk"))
            .alias(refused=Lower("refused_email"))
            .filter(refused=Lower(OuterRef("email")))
            .exclude(refused_email="")
        )
        return queryset.filter(refused) if self.value() == "ja" else queryset.exclude(refused)


@admin.register(Preference)
class PreferenceAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "kind", "frequency"]
    list_filter = ["kind", "frequency"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
