"""Who may see and do what. Roles are Django groups; board staff are scoped per board.

* Public (anonymous): published material only.
* Board staff (group "Handläggare"): their own boards' responses in any state.
* Auditors (group "Revisorer"): everything published or submitted; assessments.
* Admins (superusers or group "Administratörer"): everything.
"""

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
    """The boards whose responses this user may write."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_staff_board_ids"):
        user._staff_board_ids = set(user.boards.values_list("pk", flat=True))
    return user._staff_board_ids


def is_board_staff(user) -> bool:
    return bool(staff_board_ids(user))
