"""Ids as they come in addresses and queries."""


def is_id(text: str) -> bool:
    """Whether ``text`` is an id: ASCII digits only. ``str.isdigit`` also takes "²" and
    the other digits ``int()`` refuses, which made the query the id was put in fail (a
    500 on the list's board and audit filters and the admin's recommendation page)."""
    return text.isascii() and text.isdigit()
