"""``{{ user|user_name }}``: a person as the pages name them (who is logged in, who closed
a recommendation or recorded an assessment), by the change history's rule
(``auditfollowup.lib.history.user_name``): their full name, else their username."""

from django import template

from auditfollowup.lib.history import user_name

register = template.Library()

register.filter("user_name", user_name)
