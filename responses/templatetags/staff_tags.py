from django import template

from recommendations import roles
from recommendations.status import Status

register = template.Library()


@register.filter
def as_status(value):
    """The Status for a stored value, or None, so templates can show symbol and label."""
    try:
        return Status(value)
    except ValueError:
        return None


@register.filter
def is_board_staff(user) -> bool:
    return roles.is_board_staff(user)


@register.filter
def is_auditor(user) -> bool:
    return roles.is_auditor(user)
