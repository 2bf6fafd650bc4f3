from django import template

from recommendations import roles

register = template.Library()


@register.filter
def is_board_staff(user) -> bool:
    return roles.is_board_staff(user)


@register.filter
def is_auditor(user) -> bool:
    return roles.is_auditor(user)
