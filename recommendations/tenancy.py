"""Which municipality each kind of object belongs to (declared once, in
``tenancy_paths.py``), as conditions for one user.

The admin (``admin_scope.py``) and the fixture importer use it to keep an
Administratörer member to their own municipality's objects; ``roles.scope`` turns a
path into the condition for one user. That an object links only to objects of its own
municipality, whoever makes the link, is ``municipal_links.py``'s rule.
"""

from functools import reduce
from operator import and_, or_

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q

from . import roles
from .tenancy_paths import MUNICIPALITY_PATHS, path_of

__all__ = ["MUNICIPALITY_PATHS", "condition", "path_of"]


def condition(model, user) -> Q | None:
    """The condition limiting ``model``'s rows to what the user's municipality owns, or
    None when the model belongs to no municipality."""
    label = model._meta.label_lower
    if label in MUNICIPALITY_PATHS:
        return roles.scope(user, path_of(model))
    if model is get_user_model():
        return _user_condition(user)
    if label in NOTIFICATION_CONDITIONS:
        return NOTIFICATION_CONDITIONS[label](user)
    return None


def _user_condition(user) -> Q:
    """Users of a municipality: those with a place in it (a member, on a board's staff
    list, a board's contact person) and in no other; never superusers (only superusers
    manage them). A user with a place in two municipalities is therefore managed by a
    superuser only: otherwise either municipality's admin could set the password of
    someone who writes the other's responses or gets its escalation mails."""
    from .models import Board, Membership

    if roles.is_superuser(user):
        return roles.EVERYTHING
    own = roles.municipality_id(user)
    if own is None:
        return roles.NOTHING
    places = [
        Membership.objects.filter(user_id=OuterRef("pk")),
        Board.staff.through.objects.filter(user_id=OuterRef("pk")),  # on a board's staff
        Board.objects.filter(contact_id=OuterRef("pk")),  # a board's contact person
    ]
    elsewhere = [~Exists(place.exclude(_of(place.model, own))) for place in places]
    here = [Exists(place.filter(_of(place.model, own))) for place in places]
    return Q(is_superuser=False) & reduce(and_, elsewhere) & reduce(or_, here)


def _of(model, municipality_id) -> Q:
    """``model``'s rows of this municipality, by the path ``tenancy_paths`` declares."""
    return Q(**{path_of(model): municipality_id})


# Fields of a municipality's own objects that only a superuser changes: a municipality's
# slug is every public address of it (``/<slug>/...``), its calendars' and the links in
# mails already sent, none of which follows a change.
SUPERUSER_ONLY_FIELDS = {"recommendations.municipality": ("slug",)}


def superuser_only_fields(model, user) -> tuple[str, ...]:
    """The fields of ``model`` this user may not change: the admin shows them read-only and
    the importer refuses a file that changes them."""
    if roles.is_superuser(user):
        return ()
    return SUPERUSER_ONLY_FIELDS.get(model._meta.label_lower, ())


# The notifications app (what its admin shows an Administratörer member: notifications/admin.py).


def _follower_condition(user) -> Q:
    """Followers of the municipality's recommendations and boards (each follows one of the
    two)."""
    from .models import Board, Recommendation

    return roles.scope(user, f"recommendation__{path_of(Recommendation)}") | roles.scope(
        user, f"board__{path_of(Board)}"
    )


def _of_users_condition(user) -> Q:
    """A user's own rows (e-mail settings): those of the users the admin manages."""
    if roles.is_superuser(user):
        return roles.EVERYTHING
    users = get_user_model().objects.filter(_user_condition(user)).values("pk")
    return Q(user__in=users)


def _superusers_only(user) -> Q:
    """The outbox: its rows name their own address, and mail a board's reminders or an
    auditors' digest there, so it belongs to no municipality's admin."""
    return roles.EVERYTHING if roles.is_superuser(user) else roles.NOTHING


NOTIFICATION_CONDITIONS = {
    "notifications.follower": _follower_condition,
    "notifications.profile": _of_users_condition,
    "notifications.preference": _of_users_condition,
    "notifications.notification": _superusers_only,
}
