"""Who may see and do what: every permission rule of the product, in this one module.

Roles are Django groups; board staff are also scoped per board (``Board.staff``).

* Public (anonymous): published material only.
* Board staff: in the group "Handläggare" AND listed as staff of a board; they write that
  board's responses. Being on a board's staff list without the group grants nothing.
* Auditors (group "Revisorer"): everything published or submitted; assessments.
* Admins (superusers or group "Administratörer"): everything.

What a user may *read* of responses is ``Response.objects.visible_to(user)``, built on
``staff_board_ids`` and ``is_auditor``/``is_admin`` below; whether a user may change one
response is ``Response.is_editable_by(user)`` / ``is_publishable_by(user)``, built on
``may_write_for_board``.

Every view of the product declares its rule with ``@access(...)`` (one of the ``Rule``
objects below); ``tests/test_access_rules.py`` fails on a view that declares none.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

STAFF_GROUP = "Handläggare"
AUDITOR_GROUP = "Revisorer"
ADMIN_GROUP = "Administratörer"


def _in_group(user, name: str) -> bool:
    if not user.is_authenticated:
        return False
    # Cache the user's group names on the user object: one query per request.
    if not hasattr(user, "_group_names"):
        user._group_names = set(user.groups.values_list("name", flat=True))
    return name in user._group_names


def is_admin(user) -> bool:
    return user.is_authenticated and (user.is_superuser or _in_group(user, ADMIN_GROUP))


def is_auditor(user) -> bool:
    return is_admin(user) or _in_group(user, AUDITOR_GROUP)


def staff_board_ids(user) -> set[int]:
    """The boards whose responses this user writes as board staff: those whose staff list
    names the user, and only if the user is in the staff group (as the README says)."""
    if not _in_group(user, STAFF_GROUP):
        return set()
    if not hasattr(user, "_staff_board_ids"):
        user._staff_board_ids = set(user.boards.values_list("pk", flat=True))
    return user._staff_board_ids


def is_board_staff(user) -> bool:
    return bool(staff_board_ids(user))


def may_write(user) -> bool:
    """May write responses for some board: board staff, and admins for every board."""
    return is_admin(user) or is_board_staff(user)


def may_write_for_board(user, board_id: int) -> bool:
    return is_admin(user) or board_id in staff_board_ids(user)


def writable_boards(user):
    """The boards this user may write responses for, as a QuerySet."""
    from .models import Board

    if is_admin(user):
        return Board.objects.all()
    return Board.objects.filter(pk__in=staff_board_ids(user))


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
    state) are checked in the view on top of this, through the object's own methods."""

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
