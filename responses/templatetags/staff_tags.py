"""The role rules of recommendations/roles.py as template filters, for the navigation."""

from django import template

from recommendations import roles

register = template.Library()

register.filter("is_board_staff", roles.is_board_staff)
# The rule of the view the link leads to (``roles.Writer``), so link and page agree.
register.filter("may_write", roles.may_write)
register.filter("is_auditor", roles.is_auditor)
register.filter("may_use_admin", roles.may_use_admin)


@register.filter
def may_assess_in(user, municipality_id) -> bool:
    """Whether the user may assess recommendations of this municipality's audits."""
    return roles.may_assess(user, municipality_id)
