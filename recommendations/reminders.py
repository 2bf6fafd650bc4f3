"""When the boards are reminded and the auditors told: the days the mail planner counts
(``notifications/planning.py``) and the texts that tell of them read (the auditors' form
that opens a round, the reminder and escalation mails), so no page or mail says another
number than the one the planner uses.

It lives here, not in ``notifications/``, because the auditors' pages tell of it and the
domain apps do not import ``notifications/`` (README, "How it is built").
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Schedule:
    """Days counted from the last day of a date's period (``FuzzyDate.end``)."""

    # A round's reply deadline: the board's staff are reminded this many days ahead,
    early_reminder: int = 14
    # and again this many days ahead,
    last_reminder: int = 3
    # and this many days after it passed (the mails and the form say "the day after").
    late_reminder: int = 1
    # A reply this many days late is escalated to the auditors and the board's contact.
    reply_escalation: int = 14
    # A measure due within this many days is told to the board's staff,
    measure_soon: int = 14
    # and one this many days overdue is escalated.
    measure_escalation: int = 30


SCHEDULE = Schedule()
