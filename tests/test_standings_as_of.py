"""Each board's standing as of a day, on the seed documents: as of today it equals the
stored standings; on a past day it holds only what had been published by then."""

import datetime as dt

import pytest
from django.utils import timezone

from recommendations.models import Recommendation
from responses.models import BoardStanding
from responses.standings import _STANDING_FIELDS, standings_as_of


def test_the_seeds_standings_derived_as_of_today_equal_the_stored_ones(seeded):
    stored = {
        (s.recommendation_id, s.board_id): {name: getattr(s, name) for name in _STANDING_FIELDS}
        for s in BoardStanding.objects.all()
    }
    ids = Recommendation.objects.values_list("pk", flat=True)
    assert stored and standings_as_of(ids, timezone.localdate()) == stored


@pytest.mark.parametrize(
    ("day", "answered"),
    [(dt.date(2019, 2, 21), 0), (dt.date(2019, 2, 22), 1), (dt.date(2026, 1, 1), 1)],
)
def test_the_first_labour_market_response_is_known_from_its_date(seeded, day, answered):
    rec = Recommendation.objects.get(audit__reference="SR-2018-71", position=1)
    standings = standings_as_of([rec.pk], day)
    assert sum(1 for values in standings.values() if values["status"]) == answered


def test_the_national_comparison_counts_the_seeds_as_the_council_report_does(seeded):
    """The national page reads "acted on within one, two, three years" off the stored
    standings, the council report from its own rows: for every audit year they give the
    same counts, so an addressee that leaves the answer to another board (STK-2020-438)
    counts in neither."""
    from recommendations.models import Municipality
    from reports.figures import acted_in_cohort, build_report

    malmo = Municipality.objects.get()
    report = build_report(malmo, timezone.localdate().year)
    assert report.cohorts
    for cohort in report.cohorts:
        national = acted_in_cohort(cohort.year)[malmo.pk]
        assert [(item.acted, item.measurable) for item in national] == [
            (item.acted, item.measurable) for item in cohort.total.acted
        ], cohort.year
