"""The synthetic data generator: sizes, consistency, determinism and the fixture it writes."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchQuery
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F

from dataimport.synthetic.scale import Scale
from recommendations import roles
from recommendations.models import (
    Audit,
    AuditorAssessment,
    Board,
    FollowUpRound,
    Municipality,
    Recommendation,
)
from recommendations.status import Status
from responses.models import (
    DecisionStep,
    DueDateChange,
    Measure,
    MeasureUpdate,
    Response,
    ResponseEntry,
    Signatory,
)

from .factories import make_response

pytestmark = pytest.mark.django_db

ALL_MODELS = [
    Municipality,
    Board,
    Audit,
    FollowUpRound,
    Recommendation,
    AuditorAssessment,
    Response,
    DecisionStep,
    Signatory,
    ResponseEntry,
    Measure,
    MeasureUpdate,
    DueDateChange,
]


def generate(**options):
    call_command("generate_synthetic_data", stdout=io.StringIO(), **options)


def test_scale_1_is_the_size_of_the_seeds_and_national_is_sweden():
    assert Scale.parse("1") == Scale(factor=1.0, municipalities=1, audits=4)
    national = Scale.parse("national")
    assert (national.municipalities, national.audits) == (290, 20000)
    assert sum(national.audits_per_municipality()) == 20000
    assert Scale.parse("50").municipalities == 3


@pytest.mark.parametrize("text", ["0", "-2", "huge"])
def test_it_rejects_a_scale_that_is_not_a_positive_number(text):
    with pytest.raises(CommandError):
        generate(scale=text)


def test_scale_1_generates_about_as_much_as_the_seed_documents():
    generate(scale="1", seed=3)

    assert Municipality.objects.count() == 1
    assert Audit.objects.count() == 4
    assert 8 <= Recommendation.objects.count() <= 32
    assert Response.objects.count() >= 4
    assert ResponseEntry.objects.count() >= Recommendation.objects.count()
    assert Measure.objects.exists()
    assert MeasureUpdate.objects.count() >= Measure.objects.count()


def test_every_generated_row_passes_the_models_own_validation():
    generate(scale="3", seed=5)

    for model in ALL_MODELS:
        for obj in model.objects.all():
            obj.full_clean()


def test_answers_measures_and_assessments_stay_within_their_audit():
    generate(scale="3", seed=7)

    assert not ResponseEntry.objects.exclude(
        response__round__audit=F("recommendation__audit")
    ).exists()
    assert not MeasureUpdate.objects.exclude(
        entry__recommendation=F("measure__recommendation")
    ).exists()
    assert not Measure.objects.exclude(announced_in__recommendation=F("recommendation")).exists()
    assert not AuditorAssessment.objects.exclude(round__audit=F("recommendation__audit")).exists()
    # Each entry answers for a board the recommendation is addressed to.
    for entry in ResponseEntry.objects.select_related("response"):
        assert entry.recommendation.answered_by.filter(pk=entry.response.board_id).exists()


def test_statuses_come_from_the_vocabulary_and_progress_over_rounds():
    generate(scale="10", seed=11)

    used = set(ResponseEntry.objects.values_list("status", flat=True))
    assert used <= set(Status.values)
    assert {Status.PLANNED, Status.IN_PROGRESS, Status.IMPLEMENTED} <= used
    # A measure reported implemented is never reported as merely planned in a later round.
    for measure in Measure.objects.filter(status=Status.IMPLEMENTED)[:50]:
        statuses = [
            Status(update.status)
            for update in measure.updates.order_by("entry__response__round__sequence")
        ]
        progress = [status.progress for status in statuses if status != Status.NOT_REPORTED]
        assert progress == sorted(progress)


def test_measure_updates_report_moved_due_dates_and_completions():
    generate(scale="10", seed=11)

    changes = DueDateChange.objects.all()
    assert changes.exists()
    for change in changes:
        update = MeasureUpdate.objects.get(measure=change.measure_id, entry=change.entry_id)
        assert (update.due_date, update.due_precision) == (change.new_date, change.new_precision)
    finished = MeasureUpdate.objects.filter(completed_date__isnull=False)
    assert finished.exists()
    assert set(finished.values_list("status", flat=True)) == {Status.IMPLEMENTED}


def test_responses_are_mostly_published_with_some_drafts():
    generate(scale="25", seed=2)

    states = {
        state: Response.objects.filter(state=state).count() for state in Response.State.values
    }
    assert states[Response.State.PUBLISHED] > states[Response.State.DRAFT] > 0


def test_the_same_seed_gives_the_same_fixture_and_leaves_the_database_alone(tmp_path):
    first, second, other = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"

    generate(scale="2", seed=9, fixture=str(first))
    generate(scale="2", seed=9, fixture=str(second))
    generate(scale="2", seed=10, fixture=str(other))

    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()
    assert not Municipality.objects.exists()
    assert not get_user_model().objects.exists()


def test_the_fixture_is_django_serialization_json_that_loaddata_reads(tmp_path):
    path = tmp_path / "synthetic.json"
    generate(scale="2", seed=4, fixture=str(path))
    objects = json.loads(path.read_text(encoding="utf-8"))

    assert {"model", "pk", "fields"} <= set(objects[0])
    labels = {item["model"] for item in objects}
    assert "responses.measureupdate" in labels
    assert "auth.user" not in labels
    recommendation = next(o for o in objects if o["model"] == "recommendations.recommendation")
    assert isinstance(recommendation["fields"]["addressed_to"], list)
    assert "search_vector" not in recommendation["fields"]

    call_command("loaddata", str(path), verbosity=0)
    entries = [o for o in objects if o["model"] == "responses.responseentry"]
    assert ResponseEntry.objects.count() == len(entries)


def test_the_fixture_passes_the_importers_validation_in_its_own_block_of_keys(tmp_path):
    path = tmp_path / "synthetic.json"
    generate(scale="2", seed=6, fixture=str(path))
    objects = json.loads(path.read_text(encoding="utf-8"))

    call_command("import_fixtures", str(path), stdout=io.StringIO())

    assert min(item["pk"] for item in objects) > 1_000_000
    assert Measure.objects.count() == sum(1 for o in objects if o["model"] == "responses.measure")


def test_it_refuses_to_generate_twice_into_the_same_database():
    generate(scale="1")
    before = Recommendation.objects.count()

    with pytest.raises(CommandError, match="already holds synthetic data"):
        generate(scale="1")
    assert Recommendation.objects.count() == before


def test_generated_staff_can_write_for_their_board_with_the_given_password():
    generate(scale="1", staff_password="bench-password")

    user = get_user_model().objects.get(username="asn-" + Municipality.objects.get().slug)
    assert user.check_password("bench-password")
    assert user.groups.filter(name=roles.STAFF_GROUP).exists()
    assert roles.staff_board_ids(user) == {Board.objects.get(short_code="ASN").pk}


def test_each_municipality_gets_an_auditor_and_an_admin_of_its_own():
    generate(scale="1", staff_password="bench-password")
    municipality = Municipality.objects.get()
    elsewhere = make_response(state=Response.State.SUBMITTED)  # in Malmö

    auditor = get_user_model().objects.get(username=f"{municipality.slug}-revisor")
    admin = get_user_model().objects.get(username=f"{municipality.slug}-admin")
    assert auditor.check_password("bench-password") and admin.check_password("bench-password")
    assert roles.is_auditor(auditor) and not roles.is_admin(auditor)
    assert roles.is_admin(admin) and admin.is_staff and not admin.is_superuser
    assert roles.municipality_id(auditor) == roles.municipality_id(admin) == municipality.pk
    own_submitted = Response.objects.filter(
        board__municipality=municipality, state=Response.State.SUBMITTED
    )
    assert own_submitted.exists()
    readable = Response.objects.visible_to(auditor)
    assert readable.filter(pk__in=own_submitted).count() == own_submitted.count()
    assert not readable.filter(pk=elsewhere.pk).exists()


def test_new_rows_after_generation_get_fresh_primary_keys():
    generate(scale="1")
    municipality = Municipality.objects.get()

    added = Municipality.objects.create(name="Ny kommun", slug="ny-kommun")

    assert added.pk > municipality.pk


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL")
def test_it_fills_the_stored_search_vector_with_the_words_of_the_answers():
    generate(scale="2", seed=1)

    assert not Recommendation.objects.filter(search_vector__isnull=True).exists()
    published = ResponseEntry.objects.filter(response__state=Response.State.PUBLISHED).first()
    word = max(published.narrative.replace(".", " ").split(), key=len)
    assert Recommendation.objects.filter(
        pk=published.recommendation_id, search_vector=SearchQuery(word, config="swedish")
    ).exists()
