"""The figures of the annual follow-up report for the council (*fullmäktige*).

What is counted, and how (the report prints the same rules):

* **Scope**: the recommendations (not other remarks or assignments) of the
  municipality's audits and in-depth audits. A recommendation addressed to several
  boards counts once per board: each board answers for itself.
* **Cohort** (audit year): the year of the audit's ``conducted_from`` date. Audits
  without that date are left out and counted in a note. The report for a year covers
  the cohorts up to that year.
* **Outcome**: the auditors' latest assessment where there is one, else the board's
  own status (its latest published answer). Each row says how many of each. Groups:
  implemented; partly implemented; not implemented (not started, planned, in
  progress); no longer relevant; not accepted; not answered (no answer, or "not
  reported").
* **Acted on within one, two, three years**: implemented or no longer relevant by that
  time after the audit (counted from the end of ``conducted_to``, else of
  ``conducted_from``), by the same source as the outcome; measured only once that
  much time has passed on the report's day.
* **Open**: not closed by the auditors and not implemented or no longer relevant. Age:
  from the audit's end to the report's day.
* **Measures**: the public measures of the board serving the cohort's
  recommendations (counted once, under their main recommendation) that are not
  settled: past due and in progress (or partly done), past due and not started, not
  yet due, without a due date.

Only published material counts: the report is public. As of today the outcome comes
from the stored standings (``BoardStanding``); as of a past day from
``responses.standings.standings_as_of``, what was published by then.
"""

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from auditfollowup.lib.dates import add_years, last_start_reaching
from auditfollowup.lib.number_tags import grouped_number
from recommendations.charts import STATUS_FILLS, Category, stacked_bars
from recommendations.models import (
    Audit,
    Board,
    Recommendation,
    audit_counted_from,
    report_cohort,
)
from recommendations.status import Status
from responses.models import BoardStanding, counts_for_recommendation
from responses.standings import is_open_on, known_measures, standings_as_of

YEARS_ACTED = (1, 2, 3)
LONGEST_OPEN = 10

IMPLEMENTED = "implemented"
PARTLY = "partly_implemented"
NOT_IMPLEMENTED = "not_implemented"
NO_LONGER_RELEVANT = "no_longer_relevant"
NOT_ACCEPTED = "not_accepted"
UNANSWERED = "unanswered"


def outcome_categories() -> list[Category]:
    """The outcome groups in the report's column order (labels in the active language)."""
    return [
        Category(
            IMPLEMENTED,
            _("Genomförd"),
            Status.IMPLEMENTED.symbol,
            STATUS_FILLS[Status.IMPLEMENTED],
            Status.IMPLEMENTED.css_class,
        ),
        Category(
            PARTLY,
            _("Delvis genomförd"),
            Status.PARTLY_IMPLEMENTED.symbol,
            STATUS_FILLS[Status.PARTLY_IMPLEMENTED],
            Status.PARTLY_IMPLEMENTED.css_class,
        ),
        Category(
            NOT_IMPLEMENTED,
            _("Ej genomförd"),
            Status.IN_PROGRESS.symbol,
            STATUS_FILLS[Status.IN_PROGRESS],
            Status.IN_PROGRESS.css_class,
        ),
        Category(
            NO_LONGER_RELEVANT,
            _("Ej aktuell"),
            Status.NO_LONGER_RELEVANT.symbol,
            STATUS_FILLS[Status.NO_LONGER_RELEVANT],
            Status.NO_LONGER_RELEVANT.css_class,
        ),
        Category(
            NOT_ACCEPTED,
            _("Ej accepterad"),
            Status.NOT_ACCEPTED.symbol,
            STATUS_FILLS[Status.NOT_ACCEPTED],
            Status.NOT_ACCEPTED.css_class,
        ),
        Category(
            UNANSWERED,
            _("Ej besvarad"),
            Status.NOT_REPORTED.symbol,
            STATUS_FILLS[Status.NOT_REPORTED],
            Status.NOT_REPORTED.css_class,
        ),
    ]


OUTCOME_KEYS = [IMPLEMENTED, PARTLY, NOT_IMPLEMENTED, NO_LONGER_RELEVANT, NOT_ACCEPTED, UNANSWERED]

_GROUP = {
    Status.IMPLEMENTED: IMPLEMENTED,
    Status.PARTLY_IMPLEMENTED: PARTLY,
    Status.NOT_STARTED: NOT_IMPLEMENTED,
    Status.PLANNED: NOT_IMPLEMENTED,
    Status.IN_PROGRESS: NOT_IMPLEMENTED,
    Status.NO_LONGER_RELEVANT: NO_LONGER_RELEVANT,
    Status.NOT_ACCEPTED: NOT_ACCEPTED,
    Status.NOT_REPORTED: UNANSWERED,
}

MEASURE_KEYS = ["past_due_in_progress", "past_due_not_started", "not_yet_due", "no_due_date"]
MEASURE_LABELS = {
    "past_due_in_progress": gettext_lazy("Försenade, pågående"),
    "past_due_not_started": gettext_lazy("Försenade, ej påbörjade"),
    "not_yet_due": gettext_lazy("Ej förfallna"),
    "no_due_date": gettext_lazy("Utan slutdatum"),
}


def outcome_group(status: Status | None) -> str:
    return _GROUP[status] if status else UNANSWERED


def measure_group(measure, day: dt.date) -> str:
    """Which of the report's measure columns a measure followed up on ``day`` falls in
    (a ``KnownMeasure``): late by the overdue rule of every page (``is_overdue``)."""
    if measure.due is None:
        return "no_due_date"
    if not measure.is_overdue(day):
        return "not_yet_due"
    if measure.status in (Status.IN_PROGRESS, Status.PARTLY_IMPLEMENTED):
        return "past_due_in_progress"
    return "past_due_not_started"


def share(part: int, whole: int) -> int | None:
    """A whole percentage, or None when there is nothing to divide."""
    return round(100 * part / whole) if whole else None


@dataclass
class Acted:
    """Acted on within some years: how many, among how many that can be measured yet."""

    years: int
    acted: int = 0
    measurable: int = 0

    @property
    def share(self) -> int | None:
        return share(self.acted, self.measurable)

    @property
    def share_text(self) -> str:
        return percent(self.share)


@dataclass
class Row:
    """One audit year and board (``board`` None: the year's, or the report's, total)."""

    cohort: int | None
    board: Board | None
    outcomes: Counter = field(default_factory=Counter)
    by_assessment: int = 0
    by_board_status: int = 0
    acted: list = field(default_factory=lambda: [Acted(years) for years in YEARS_ACTED])
    open_ages: list = field(default_factory=list)  # days
    measures: Counter = field(default_factory=Counter)

    @property
    def count(self) -> int:
        return self.by_assessment + self.by_board_status

    @property
    def outcome_counts(self) -> list[int]:
        return [self.outcomes[key] for key in OUTCOME_KEYS]

    @property
    def outcome_shares(self) -> list[int | None]:
        return [share(self.outcomes[key], self.count) for key in OUTCOME_KEYS]

    @property
    def outcome_cells(self) -> list[tuple[int, str]]:
        """(count, share as text) per outcome, in the columns' order."""
        return [
            (n, percent(p)) for n, p in zip(self.outcome_counts, self.outcome_shares, strict=True)
        ]

    @property
    def open_count(self) -> int:
        return len(self.open_ages)

    @property
    def median_open_years(self) -> float | None:
        if not self.open_ages:
            return None
        return round(statistics.median(self.open_ages) / 365.25, 1)

    @property
    def measure_counts(self) -> list[int]:
        return [self.measures[key] for key in MEASURE_KEYS]

    def add(self, other: "Row") -> None:
        self.outcomes.update(other.outcomes)
        self.by_assessment += other.by_assessment
        self.by_board_status += other.by_board_status
        for mine, theirs in zip(self.acted, other.acted, strict=True):
            mine.acted += theirs.acted
            mine.measurable += theirs.measurable
        self.open_ages.extend(other.open_ages)
        self.measures.update(other.measures)


@dataclass
class Cohort:
    year: int
    rows: list  # per board
    total: Row


@dataclass
class OpenItem:
    """A recommendation a board has left open, for the "open the longest" list."""

    recommendation_id: int
    label: str
    text: str
    audit_reference: str
    audit_title: str
    board: Board
    status: Status | None
    from_assessment: bool
    age_days: int

    @property
    def age_years(self) -> float:
        return round(self.age_days / 365.25, 1)

    @property
    def audit(self) -> Audit:
        """The audit as far as its name goes, for ``{{ item.audit|audit_name:"short" }}``:
        built from the row's values, never saved."""
        return Audit(reference=self.audit_reference, title=self.audit_title)

    @property
    def outcome_label(self) -> str:
        return self.status.label if self.status else _("Ej besvarad")

    @property
    def source_label(self) -> str:
        """Whose word the outcome is: the auditors' assessment or the board's status."""
        return _("revisionens bedömning") if self.from_assessment else _("nämndens status")


@dataclass
class CouncilReport:
    municipality: object
    year: int
    as_of: dt.date
    is_today: bool
    cohorts: list
    total: Row
    longest_open: list
    undated_audits: int

    @property
    def outcome_categories(self) -> list[Category]:
        return outcome_categories()

    @property
    def measure_labels(self) -> list[str]:
        return [MEASURE_LABELS[key] for key in MEASURE_KEYS]

    @property
    def years_acted(self):
        return YEARS_ACTED

    def outcome_chart(self):
        """Per audit year (and in total), the share of each outcome."""
        rows = [
            (str(c.year), dict(c.total.outcomes), _n_recommendations(c.total.count))
            for c in self.cohorts
        ]
        if len(self.cohorts) > 1:
            rows.append(
                (_("Alla"), dict(self.total.outcomes), _n_recommendations(self.total.count))
            )
        return stacked_bars(
            _("Utfall per granskningsår"),
            outcome_categories(),
            rows,
            label_width=64,
            shares=True,
            segment_value=lambda category, count, total: percent(share(count, total)),
        )

    def acted_chart(self):
        """Per audit year, the share acted on within one, two and three years."""
        acted = Category(
            "acted", _("Åtgärdad"), Status.IMPLEMENTED.symbol, STATUS_FILLS[Status.IMPLEMENTED]
        )
        not_acted = Category(
            "not_acted",
            _("Inte åtgärdad"),
            Status.NOT_STARTED.symbol,
            STATUS_FILLS[Status.NOT_STARTED],
        )
        rows = []
        for cohort in self.cohorts:
            for item in cohort.total.acted:
                label = _("%(year)s, %(n)s år") % {"year": cohort.year, "n": item.years}
                if item.measurable:
                    counts = {"acted": item.acted, "not_acted": item.measurable - item.acted}
                    end = _("%(acted)s av %(measurable)s") % {
                        "acted": grouped_number(item.acted),
                        "measurable": grouped_number(item.measurable),
                    }
                else:
                    counts = {}
                    end = _("ännu inte %(n)s år") % {"n": item.years}
                rows.append((label, counts, end))
        return stacked_bars(
            _("Åtgärdade inom ett, två och tre år"),
            [acted, not_acted],
            rows,
            label_width=100,
            shares=True,
            segment_value=lambda category, count, total: percent(share(count, total)),
        )


def percent(value: int | None) -> str:
    """A share as shown: "42 %", or a dash when there is nothing to divide."""
    return percents()(value)


def percents():
    """``percent`` for many values at once: the pattern is translated only once."""
    pattern = _("%(share)s %%")

    def shown(value: int | None) -> str:
        return "–" if value is None else pattern % {"share": value}

    return shown


def _n_recommendations(n: int) -> str:
    from django.utils.translation import ngettext

    return ngettext("%(n)s rekommendation", "%(n)s rekommendationer", n) % {"n": grouped_number(n)}


def build_report(municipality, year: int, as_of: dt.date | None = None) -> CouncilReport:
    """The report for ``municipality``'s cohorts up to ``year``, as of ``as_of`` (None:
    today, from the stored standings); ``municipality`` None: every municipality's.

    Queries: 4 as of today (recommendations, standings, measures and their shared
    recommendations, boards); as of a past day the derivation's (``standings_as_of``:
    7, ``known_measures``: 4) instead of the standings, whatever the number of
    recommendations up to 2,000 per chunk.
    """
    today = timezone.localdate()
    day = as_of or today
    recommendations = {}
    undated = set()
    # What ``report_cohort`` counts, read from the database (undated audits included,
    # for the note); each row's year then comes from the rule itself.
    rows = (
        Recommendation.objects.in_municipality(municipality)
        .filter(
            audit__kind__in=Audit.REPORTED_KINDS,
            kind=Recommendation.Kind.RECOMMENDATION,
        )
        .order_by("audit__conducted_from_date", "audit__reference", "position")
        .values_list(
            "pk",
            "label",
            "position",
            "text",
            "kind",
            "audit__kind",
            "audit_id",
            "audit__reference",
            "audit__title",
            "audit__conducted_from_date",
            "audit__conducted_from_precision",
            "audit__conducted_to_date",
            "audit__conducted_to_precision",
            "closed_on",
        )
    )
    for pk, label, position, text, kind, audit_kind, audit_id, reference, title, *rest in rows:
        *dates, closed_on = rest
        cohort = report_cohort(kind, audit_kind, dates[0])
        if cohort is None:
            undated.add(audit_id)
            continue
        if cohort > year:
            continue
        recommendations[pk] = {
            "label": Recommendation.display_name_of(label, kind, position),
            "text": text,
            "reference": reference,
            "title": title,
            "cohort": cohort,
            "end": audit_counted_from(*dates),
            "is_open": is_open_on(closed_on, as_of),
        }
    ids = list(recommendations)

    if as_of is None:
        standings = {
            (rec_id, board_id): {
                "must_answer": must_answer,
                "status": status,
                "assessment_status": assessed,
                "is_open": is_open,
                "settled_within_years": settled_within,
            }
            for rec_id, board_id, must_answer, status, assessed, is_open, settled_within in (
                BoardStanding.objects.filter(recommendation_id__in=ids).values_list(
                    "recommendation_id",
                    "board_id",
                    "must_answer",
                    "status",
                    "assessment_status",
                    "is_open",
                    "settled_within_years",
                )
            )
        }
    else:
        standings = standings_as_of(ids, as_of)

    cells = defaultdict(dict)  # cohort -> board id -> Row
    open_items = []
    for (rec_id, board_id), values in standings.items():
        if not counts_for_recommendation(values["must_answer"], values["status"]):
            continue  # an addressee that leaves the answer to another board
        rec = recommendations[rec_id]
        row = cells[rec["cohort"]].setdefault(board_id, Row(rec["cohort"], None))
        assessed = Status(values["assessment_status"]) if values["assessment_status"] else None
        own = Status(values["status"]) if values["status"] else None
        status = assessed or own
        group = outcome_group(status)
        row.outcomes[group] += 1
        if assessed:
            row.by_assessment += 1
        else:
            row.by_board_status += 1
        count_acted(row.acted, rec["end"], values["settled_within_years"], day)
        if values["is_open"] and not (status and status.is_settled):
            age = max((day - rec["end"]).days, 0)
            row.open_ages.append(age)
            open_items.append((rec_id, board_id, status, bool(assessed), age))

    for measure in known_measures(ids, as_of):
        rec = recommendations.get(measure.recommendation_id)
        # Counted once, under its main recommendation, while it is open as of the day
        # (``KnownMeasure.is_open``: ``MeasureQuerySet.open``'s rule, open while any
        # recommendation it serves is).
        if rec is None or not measure.is_open():
            continue
        row = cells[rec["cohort"]].setdefault(measure.board_id, Row(rec["cohort"], None))
        row.measures[measure_group(measure, day)] += 1

    boards = Board.objects.in_bulk(
        {board_id for by_board in cells.values() for board_id in by_board}
    )
    cohorts = []
    total = Row(None, None)
    for cohort_year in sorted(cells):
        board_rows = []
        cohort_total = Row(cohort_year, None)
        for board_id, row in cells[cohort_year].items():
            row.board = boards[board_id]
            board_rows.append(row)
            cohort_total.add(row)
        board_rows.sort(key=lambda r: (r.board.name, r.board.pk))
        cohorts.append(Cohort(cohort_year, board_rows, cohort_total))
        total.add(cohort_total)

    open_items.sort(key=lambda item: (-item[4], recommendations[item[0]]["reference"], item[0]))
    longest = [
        OpenItem(
            recommendation_id=rec_id,
            label=recommendations[rec_id]["label"],
            text=recommendations[rec_id]["text"],
            audit_reference=recommendations[rec_id]["reference"],
            audit_title=recommendations[rec_id]["title"],
            board=boards[board_id],
            status=status,
            from_assessment=from_assessment,
            age_days=age,
        )
        for rec_id, board_id, status, from_assessment, age in open_items[:LONGEST_OPEN]
    ]
    return CouncilReport(
        municipality=municipality,
        year=year,
        as_of=day,
        is_today=as_of is None,
        cohorts=cohorts,
        total=total,
        longest_open=longest,
        undated_audits=len(undated),
    )


def count_acted(acted: list, end: dt.date, settled_within_years: int | None, day: dt.date):
    """Count one recommendation and board, its audit counted from ``end``, in ``acted``
    (``Acted`` per number of years): measurable once that many years have passed on
    ``day``, acted on if it was settled within them (the standing's
    ``settled_within_years``)."""
    for item in acted:
        if add_years(end, item.years) <= day:
            item.measurable += 1
            if settled_within_years is not None and settled_within_years <= item.years:
                item.acted += 1


def cohort_years() -> list[int]:
    """The audit years (cohorts) the report counts, oldest first: the years under which
    a standing is counted (``BoardStanding.cohort``). Queries: 2, each answered by probing
    the index (the first and last year, then whether each year between has a standing),
    not by reading its 100,000 entries for their distinct years."""
    ends = BoardStanding.objects.aggregate(first=Min("cohort"), last=Max("cohort"))
    if ends["first"] is None:
        return []
    between = range(ends["first"], ends["last"] + 1)
    (found,) = (
        BoardStanding.objects.filter(cohort=ends["first"])
        .order_by()
        .annotate(
            **{f"has_{year}": Exists(BoardStanding.objects.filter(cohort=year)) for year in between}
        )
        .values(*(f"has_{year}" for year in between))[:1]
    )
    return [year for year in between if found[f"has_{year}"]]


def first_cohorts() -> dict[int, int]:
    """Each municipality's first audit year (cohort) that its report counts, by
    municipality id: the first year under which one of its standings is counted
    (``BoardStanding.cohort``, as in ``cohort_years``); none for a municipality whose
    audits have nothing the report counts (investigations, audits without
    recommendations or without a date). Queries: 1, one row per municipality."""
    return dict(
        BoardStanding.objects.filter(cohort__isnull=False)
        .order_by()
        .values("board__municipality_id")
        .annotate(first=Min("cohort"))
        .values_list("board__municipality_id", "first")
    )


def default_cohort(years: list[int], today: dt.date) -> int | None:
    """The latest audit year whose every share (within one, two and three years) can be
    measured by now, as far as the audits end in their year; else the latest there is."""
    complete = [year for year in years if year + max(YEARS_ACTED) < today.year]
    return (complete or years or [None])[-1]


def acted_in_cohort(cohort: int) -> dict[int, list[Acted]]:
    """Per municipality (id), the share of its recommendations of audit year ``cohort``
    acted on within one, two and three years, as of today: the council report's figures
    (``build_report``, the same rules) of one audit year of every municipality at once.

    Counted by the database from the stored standings (``cohort``, ``counted_from``
    and ``settled_within_years``, kept on write by ``responses.standings``), from an
    index alone: one query with one row per municipality, however many answers there
    are."""
    day = timezone.localdate()
    counts = {}
    for years in YEARS_ACTED:
        # Measurable: counted from a day at least ``years`` whole years ago.
        measurable = Q(counted_from__lte=last_start_reaching(day, years))
        # Counting ``cohort`` (never null here) rather than ``pk``, a column the index
        # lacks, lets the index alone answer.
        counts[f"measurable_{years}"] = Count("cohort", filter=measurable)
        counts[f"acted_{years}"] = Count(
            "cohort", filter=measurable & Q(settled_within_years__lte=years)
        )
    rows = (
        BoardStanding.objects.filter(cohort=cohort)
        .order_by()
        .values("board__municipality_id")
        .annotate(**counts)
    )
    return {
        row["board__municipality_id"]: [
            Acted(years, row[f"acted_{years}"], row[f"measurable_{years}"]) for years in YEARS_ACTED
        ]
        for row in rows
    }
