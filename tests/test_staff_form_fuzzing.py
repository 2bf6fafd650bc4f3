"""Property-based fuzzing of the staff and auditor forms: never a 500, never half a save.

Hypothesis posts what a browser could send (every field present or missing, valid values
mixed with garbage: odd dates, huge numbers, NUL characters, very long text, broken
formset counts, stale versions) to the real views through the test client. Whatever is
posted, the answer is a page (200/400/409) or a redirect after a complete save (302); any
exception would surface as an error here. A refused post leaves the database exactly as it
was.
"""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recommendations.roles import AUDITOR_GROUP, STAFF_GROUP
from recommendations.status import Status
from responses import forms
from responses.models import Measure, Response, ResponseEntry
from tests.factories import build_sample
from tests.test_import_fuzzing import database_contents

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,  # each example is a real request; time is not what is tested
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ANSWERS = {200, 302, 400, 409}

garbage = st.one_of(
    st.text(max_size=20),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(
        ["", " ", "\x00", "<script>x</script>", "2019-02-30", "maj 2026", "hösten 2020",
         "våren 1", "2027", "9999-12-31", "0001-01-01", "-1", "1e9", "NaN",
         "x" * 301, "å" * 5000]  # past the 200/300/400-character limits
    ),
)  # fmt: skip


@st.composite
def corrupted(draw, valid: dict) -> dict:
    """A valid post with up to three fields replaced by garbage or left out."""
    fields = dict(valid)
    for name in draw(st.lists(st.sampled_from(sorted(valid)), max_size=3, unique=True)):
        fields[name] = draw(st.none() | garbage)
    return fields


def post(client, url, fields: dict) -> int:
    data = {name: value for name, value in fields.items() if value is not None}
    return client.post(url, data).status_code


def refused_or_saved_whole(client, url, fields):
    before = database_contents()
    status = post(client, url, fields)
    assert status in ANSWERS
    if status != 302:
        assert database_contents() == before, f"a refused post ({status}) changed the database"
    return status


@pytest.fixture
def sample():
    return build_sample()


@pytest.fixture
def staff_client(sample, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("handlaggare")
    user.groups.add(Group.objects.get_or_create(name=STAFF_GROUP)[0])
    sample.asn.staff.add(user)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def auditor_client(django_user_model, sample):
    from django.contrib.auth.models import Group

    from recommendations.models import Membership

    user = django_user_model.objects.create_user("revisor")
    user.groups.add(Group.objects.get_or_create(name=AUDITOR_GROUP)[0])
    Membership.objects.create(user=user, municipality=sample.municipality)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def answered_draft(sample):
    """A draft answering both recommendations, so that it can be published."""
    response = Response.objects.create(board=sample.asn, round=sample.open_round, title="Utkast")
    for recommendation in (sample.rec_1, sample.rec_2):
        ResponseEntry.objects.create(
            response=response, recommendation=recommendation, status=Status.IN_PROGRESS
        )
    return response


def valid_edit_post(sample, answered_draft, draw) -> dict:
    answered_draft.refresh_from_db()
    fields = {"version": str(answered_draft.version), "title": "Lägesbeskrivning", "summary": ""}
    for rec in (sample.rec_1, sample.rec_2):
        fields[f"rec-{rec.pk}-status"] = draw(st.sampled_from(Status.values))
        fields[f"rec-{rec.pk}-narrative"] = draw(st.text(max_size=30))
        fields[f"new-{rec.pk}-TOTAL_FORMS"] = "2"
        fields[f"new-{rec.pk}-INITIAL_FORMS"] = "0"
        fields[f"new-{rec.pk}-0-title"] = draw(st.sampled_from(["", "Ny åtgärd"]))
        fields[f"new-{rec.pk}-0-due"] = draw(st.sampled_from(["", "maj 2027", "2027"]))
        fields[f"new-{rec.pk}-0-status"] = "planned"
        fields[f"new-{rec.pk}-1-status"] = "planned"
    measure = f"measure-{sample.measure.pk}"
    fields[f"{measure}-status"] = draw(st.sampled_from(["in_progress", "planned"]))
    fields[f"{measure}-due"] = draw(st.sampled_from(["våren 2020", "hösten 2027"]))
    fields[f"{measure}-due_reason"] = draw(st.sampled_from(["", "Försenad upphandling."]))
    return fields


@FUZZ
@given(data=st.data())
def test_the_response_form_never_fails_and_never_half_saves(
    staff_client, sample, answered_draft, data
):
    url = reverse("responses:response_edit", args=[answered_draft.pk])

    valid = valid_edit_post(sample, answered_draft, data.draw)
    refused_or_saved_whole(staff_client, url, data.draw(corrupted(valid)))


@FUZZ
@given(data=st.data())
def test_publishing_never_fails_and_never_half_saves(staff_client, sample, answered_draft, data):
    # Every example starts from the draft (an earlier one may have published it).
    Response.objects.filter(pk=answered_draft.pk).update(
        state=Response.State.DRAFT, published_at=None
    )
    answered_draft.refresh_from_db()
    valid = {
        "version": str(answered_draft.version),
        "decision_date": "2026-01-15",
        "diary_number": "D-1",
    }
    fields = data.draw(corrupted(valid))

    refused_or_saved_whole(
        staff_client, reverse("responses:response_publish", args=[answered_draft.pk]), fields
    )


@FUZZ
@given(data=st.data())
def test_starting_a_response_never_fails(staff_client, sample, data):
    valid = {
        "board": data.draw(st.sampled_from([sample.asn.pk, sample.service_board.pk])),
        "round": data.draw(st.sampled_from([sample.open_round.pk, sample.first_round.pk])),
    }
    fields = data.draw(corrupted(valid))

    refused_or_saved_whole(staff_client, reverse("responses:response_start"), fields)


@FUZZ
@given(data=st.data())
def test_the_auditor_forms_never_fail_and_never_half_save(auditor_client, sample, data):
    rounds = st.sampled_from([sample.first_round.pk, sample.second_round.pk])
    valid = {
        "round": data.draw(rounds),
        "status": data.draw(st.sampled_from(Status.values)),
        "comment": data.draw(st.text(max_size=30)),
    }
    assessment = data.draw(corrupted(valid))
    refused_or_saved_whole(
        auditor_client, reverse("auditors:assess", args=[sample.rec_2.pk]), assessment
    )
    closing = data.draw(corrupted({"closed_on": "2026-01-15", "closed_reason": "Genomförd."}))
    refused_or_saved_whole(
        auditor_client, reverse("auditors:close", args=[sample.rec_2.pk]), closing
    )


def test_more_new_measures_than_the_form_offers_are_refused_not_created(client, world, draft):
    """At most 20 new measures a recommendation in one save: a forged form with 25 is
    refused as a whole."""
    from responses.models import Measure

    from .factories import edit_page_data

    client.force_login(world.staff_a)
    prefix = f"new-{world.rec1.pk}"
    data = edit_page_data(
        draft,
        **{
            f"rec-{world.rec1.pk}-status": Status.IN_PROGRESS,
            f"rec-{world.rec2.pk}-status": Status.IN_PROGRESS,
            f"{prefix}-TOTAL_FORMS": "25",
        },
    )
    for n in range(25):
        data[f"{prefix}-{n}-title"] = f"Åtgärd {n}"
        data[f"{prefix}-{n}-status"] = Status.PLANNED
    before = Measure.objects.count()

    page = client.post(reverse("responses:response_edit", args=[draft.pk]), data)

    assert page.status_code == 400
    assert "Rekommendation 1: Skicka som mest 20 formulär." in page.text
    assert Measure.objects.count() == before


@pytest.mark.parametrize(
    ("form", "field", "model", "column"),
    [
        (forms.OwnMeasureForm, "title", Measure, "title"),
        (forms.OwnMeasureForm, "responsible", Measure, "responsible"),
        (forms.NewMeasureForm, "title", Measure, "title"),
        (forms.NewMeasureForm, "responsible", Measure, "responsible"),
        (forms.PublishForm, "diary_number", Response, "diary_number"),
    ],
)
def test_a_staff_forms_limit_on_a_text_is_its_columns(form, field, model, column):
    """What the staff type is refused beside the field exactly when the database could not
    hold it: the forms read their limits from the model (``forms.column_length``), so a
    longer column is a longer field, not a value refused by one and failing at the other."""
    assert form.base_fields[field].max_length == model._meta.get_field(column).max_length
