from django import template

from recommendations import roles

register = template.Library()


@register.filter
def is_board_staff(user) -> bool:
    return roles.is_board_staff(user)


@register.filter
def is_auditor(user) -> bool:
    return roles.is_auditor(user)


@register.filter
def may_assess_in(user, municipality_id) -> bool:
    """Whether the user may assess recommendations of this municipality's audits."""
    return roles.may_assess(user, municipality_id)
