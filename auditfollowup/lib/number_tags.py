"""``{{ n|grouped }}``: a number shown to a person to read (a count, a number of days),
its digits grouped in threes as the page's language writes them: "2 716 dagar" with a
non-breaking space in Swedish, so a count never breaks over two lines, "2,716 days" in
English (Django's own formats, ``django.conf.locale``).

Why a filter of its own rather than ``USE_THOUSAND_SEPARATOR``: that setting groups every
number a template writes, ids in links and attributes, years ("2 019") and the numbers of
rounds alike. Only what is meant for reading goes through here; never an id, a year, a
diary number, or a value in a URL, an attribute, a CSV or the API.

``grouped_number`` is the same rule for code that writes a page's text in Python (a
table's rows, a chart, a message).
"""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


def grouped_number(value) -> str:
    """``value`` (an int, a float or a Decimal) with its digits grouped as the active
    language groups them; anything else (None, "–", a text) as it is."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return value
    if type(value) is int and -1000 < value < 1000:
        # Nothing to group, and the same digits in every language: the national page
        # writes some two thousand such counts, each a dozen calls less this way.
        return str(value)
    return number_format(value, use_l10n=True, force_grouping=True)


@register.filter(is_safe=True)
def grouped(value):
    """``{{ n|grouped }}``: ``grouped_number``. In a ``blocktranslate`` the count that
    chooses the plural stays the number: ``count days=n with shown=n|grouped``."""
    return grouped_number(value)
