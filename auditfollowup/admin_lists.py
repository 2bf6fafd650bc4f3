"""The admin's lists: Django's, refusing a date hierarchy's year no date of ours has.

Django's change list turns ``?decision_date__year=...`` into a range of dates and refuses
(``?e=1``) only what ``int()`` and ``datetime()`` refuse with a ValueError: a year of
ten digits overflowed (OverflowError), and 9999's range ends in a year 10000: both were
server errors. A year outside ``YEARS`` (the years any date of ours may have) is refused
like any other invalid filter, as is any overflow of its month and day.
"""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList

from auditfollowup.lib.dates import YEARS
from auditfollowup.lib.ids import is_id


class DateHierarchyChangeList(ChangeList):
    def get_filters(self, request):
        if self.date_hierarchy:
            # The last value, as Django's reads it.
            year = self.params.get(f"{self.date_hierarchy}__year")
            if year is not None and not (is_id(year) and int(year) in YEARS):
                raise IncorrectLookupParameters(f"The year must lie in {YEARS}.")
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


class ChecksDateHierarchy:
    """A ModelAdmin whose list refuses a date hierarchy's impossible year."""

    def get_changelist(self, request, **kwargs):
        return DateHierarchyChangeList
