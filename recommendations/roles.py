"""Who may see and do what: every permission rule of the product, in this one module.

Roles are Django groups; every role but the superuser's is scoped to one municipality
(``Membership``), and board staff are also scoped per board (``Board.staff``).

* Public (anonymous): published material only.
* Board staff (group "Handläggare" *and* listed as staff of a board): their own boards'
  responses in any state. Being on a board's staff list without the group gives nothing:
  ``staff_board_ids`` is the one place that says so.
* Auditors (group "Revisorer", member of a municipality): what is published anywhere;
  what is submitted in their own municipality; assessments and closing there.
* Admins: superusers (everything, every municipality), or group "Administratörer" and
  member of a municipality (everything of that municipality only).

An auditor or an Administratörer member who belongs to no municipality has no
municipality to act in: they read what the public reads.

What a user may *read* of responses is ``Response.objects.visible_to(user)``
(``responses.models.response_visibility``, built on the functions below); whether a user
may change one response is ``Response.is_editable_by(user)`` / ``is_publishable_by(user)``,
built on ``may_write_for_board``.

Who may open the Django admin at all is ``may_use_admin`` (``auditfollowup.admin_site``).

Every view of the product declares its rule with ``@access(...)`` (one of the ``Rule``
objects below); ``tests/test_access_rules.py`` fails on a view that declares none.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q

STAFF_GROUP = "Handläggare"
AUDITOR_GROUP = "Revisorer"
ADMIN_GROUP = "Administratörer"

# Conditions that hold for every row and for none, which stay what they are when OR-ed
# or AND-ed with another condition (an empty Q() would vanish from the expression).
EVERYTHING = ~Q(pk__in=[])
NOTHING = Q(pk__in=[])


def _load(user) -> None:
    """The user's group names and municipality (its id and slug), in one query, kept on the
    user object for the rest of the request."""
    if hasattr(user, "_group_names"):
        return
    from django.contrib.auth.models import Group
    from django.db.models import Subquery

    from .models import Membership

    membership = Membership.objects.filter(user_id=user.pk)
    rows = Group.objects.filter(user=user).annotate(
        municipality=Subquery(membership.values("municipality_id")[:1]),
        municipality_slug=Subquery(membership.values("municipality__slug")[:1]),
    )
    rows = list(rows.values_list("name", "municipality", "municipality_slug"))
    user._group_names = {name for name, _municipality, _slug in rows}
    # Only the roles in a group act for a municipality; a user in no group needs none.
    user._municipality_id, user._municipality_slug = rows[0][1:] if rows else (None, None)


def _in_group(user, name: str) -> bool:
    if not user.is_authenticated:
        return False
    _load(user)
    return name in user._group_names


def is_superuser(user) -> bool:
    return user.is_authenticated and user.is_superuser


def is_admin(user) -> bool:
    return is_superuser(user) or _in_group(user, ADMIN_GROUP)


def may_use_admin(user) -> bool:
    """The Django admin is the admins' tool: superusers and Administratörer members with
    staff status. Board staff and auditors work in the product's own pages, which apply
    the read and write rules below; the admin would not (it lists a model's rows by
    municipality and model permission), so staff status alone opens nothing there."""
    return user.is_active and user.is_staff and is_admin(user)


def is_auditor(user) -> bool:
    return is_admin(user) or _in_group(user, AUDITOR_GROUP)


def gets_auditor_mail(user) -> bool:
    """Whether the auditors' mails (the digest, escalations) go to this user: a member of
    the Revisorer group who belongs to a municipality (admins read the same pages but get
    no auditor mail). ``auditor_mail_recipients`` is the same rule for many users."""
    return _in_group(user, AUDITOR_GROUP) and municipality_id(user) is not None


def auditor_mail_recipients():
    """Every user ``gets_auditor_mail`` is true of, with their membership: one query."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(groups__name=AUDITOR_GROUP, membership__isnull=False, is_superuser=False)
        .select_related("membership")
        .distinct()
    )


def municipality_id(user) -> int | None:
    """The municipality an auditor or admin acts for; None for superusers (all of them)
    and for everyone else."""
    if not user.is_authenticated or is_superuser(user):
        return None
    _load(user)
    return user._municipality_id


def municipality_slug(user) -> str | None:
    """The address (slug) of the municipality ``municipality_id`` names, read with it, for
    a link to its pages; None where that is None."""
    if municipality_id(user) is None:
        return None
    return user._municipality_slug


def covers(user, municipality_id_: int | None) -> bool:
    """Whether the user's auditor or admin role reaches this municipality."""
    if is_superuser(user):
        return True
    own = municipality_id(user)
    return own is not None and own == municipality_id_


def scope(user, path: str):
    """A condition limiting rows reached through ``path`` (a lookup ending at a
    Municipality, e.g. ``"audit__municipality"``) to the user's municipality: every row
    for superusers, none for a user who belongs to no municipality."""
    if is_superuser(user):
        return EVERYTHING
    own = municipality_id(user)
    if own is None:
        return NOTHING
    return Q(**{path: own})


def staff_board_ids(user) -> set[int]:
    """The boards whose responses this user writes as board staff: those whose staff list
    names the user, and only if the user is in the staff group (as the README says)."""
    if not _in_group(user, STAFF_GROUP):
        return set()
    if not hasattr(user, "_staff_board_ids"):
        user._staff_board_ids = set(user.boards.values_list("pk", flat=True))
    return user._staff_board_ids


def staff_of_boards(board_ids) -> list:
    """(board id, user) for the staff of each of these boards, by the rule of
    ``staff_board_ids`` (listed on the board *and* in the staff group), for many boards at
    once: whom the reminders write to. One query."""
    from .models import Board

    links = Board.staff.through.objects.filter(_IN_STAFF_GROUP, board_id__in=board_ids)
    return [(link.board_id, link.user) for link in links.select_related("user")]


def listed_but_not_staff(places):
    """The places on boards' staff lists (``Board.staff.through`` rows) that grant nothing:
    of users not in the staff group (the rule of ``staff_board_ids``), with board and user."""
    return places.exclude(_IN_STAFF_GROUP).select_related("board", "user")


# A place on a board's staff list counts for a user in the staff group only.
_IN_STAFF_GROUP = Q(user__groups__name=STAFF_GROUP)


def is_board_staff(user) -> bool:
    return bool(staff_board_ids(user))


def may_write(user) -> bool:
    """May write responses for some board: board staff, and admins for their
    municipality's boards."""
    return is_admin(user) or is_board_staff(user)


def may_write_for_board(user, board) -> bool:
    """Whether the user may write this board's responses (the rule of ``writable_boards``)."""
    if board.pk in staff_board_ids(user):
        return True
    return is_admin(user) and covers(user, board.municipality_id)


def writable_boards(user):
    """The boards this user may write responses for, as a QuerySet: their own boards as
    staff; as an admin, every board of their municipality."""
    from .models import Board

    own = Q(pk__in=staff_board_ids(user))
    if is_admin(user):
        own |= scope(user, "municipality")
    return Board.objects.filter(own)


def may_assess(user, municipality_id_: int | None) -> bool:
    """Whether the user may record assessments and close recommendations of audits of
    this municipality."""
    return is_auditor(user) and covers(user, municipality_id_)


def may_see_history(user) -> bool:
    """The change history (and the preview of unpublished responses) is for board staff,
    auditors and admins, not the public."""
    return is_auditor(user) or is_board_staff(user)


@dataclass(frozen=True)
class Rule:
    """Who may open a view. ``allows`` None: everybody, and the request is not even asked
    for its user. Otherwise anonymous visitors are sent to the login page, and a logged-in
    user whom ``allows`` refuses gets 403."""

    name: str
    allows: Callable[[object], bool] | None


Public = Rule("public", None)
LoggedIn = Rule("logged in", lambda user: True)
Writer = Rule("board staff or admin", may_write)
Reader = Rule("board staff, auditor or admin", may_see_history)
Auditor = Rule("auditor or admin", is_auditor)
Admin = Rule("admin", is_admin)


def access(rule: Rule):
    """Declare and enforce who may open a view. Rules about one object (its board, its
    state, its municipality) are checked in the view on top of this, through the
    object's own methods and the functions above."""

    def decorator(view):
        if rule.allows is None:
            view.access_rule = rule
            return view

        @wraps(view)
        def checked(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not rule.allows(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        checked.access_rule = rule
        return checked

    return decorator
