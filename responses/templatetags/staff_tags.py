"""The role rules of recommendations/roles.py as template filters, for the navigation."""

from django import template

from recommendations import roles

register = template.Library()

# The rule of the view the link leads to (``roles.Writer``), so link and page agree.
register.filter("may_write", roles.may_write)
register.filter("is_auditor", roles.is_auditor)
register.filter("may_use_admin", roles.may_use_admin)
