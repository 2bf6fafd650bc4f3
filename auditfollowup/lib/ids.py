"""Ids as they come in addresses and queries."""

from django.db.models.lookups import In


def is_id(text: str) -> bool:
    """Whether ``text`` is an id: ASCII digits only. ``str.isdigit`` also takes "²" and
    the other digits ``int()`` refuses, which made the query the id was put in fail (a
    500 on the list's board and audit filters and the admin's recommendation page)."""
    return text.isascii() and text.isdigit()


class IntegerFieldIn(In):
    """``__in`` on an integer field, for which an integer beyond the database's integers
    matches no row, as Django's ``exact``, ``lt`` and ``gt`` already treat one alone
    (``IntegerFieldOverflow``). A list of ids posted to a many-to-many choice (the boards a
    round asks, an audit's boards in the admin) is looked up in one ``__in`` query, which
    SQLite's driver refused with an OverflowError: a server error, where PostgreSQL found
    nothing. Registered on ``IntegerField`` (``RecommendationsConfig.ready``)."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            kind = self.lhs.output_field.get_internal_type()
            low, high = connection.ops.integer_field_range(kind)
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
