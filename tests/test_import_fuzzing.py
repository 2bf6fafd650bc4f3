"""Property-based fuzzing of the fixture import: any input is imported or refused, whole.

Hypothesis starts from a valid fixture (tests/data/minimal.json) and breaks it in every way
it can think of: any JSON value in any field, missing fields and objects, duplicated
objects, unknown models, and plain garbage. Whatever the input, the import either succeeds
or raises ImportFailed having written nothing: never another exception (a 500 in the admin)
and never a half-written database.
"""

import copy
import json

import pytest
from django.apps import apps
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dataimport.importer import IMPORTABLE_APPS, ImportFailed, import_texts
from tests.conftest import DATA

pytestmark = pytest.mark.django_db

VALID = json.loads((DATA / "minimal.json").read_text(encoding="utf-8"))
FIELD_NAMES = sorted({name for item in VALID for name in item["fields"]})
MODEL_LABELS = sorted({item["model"] for item in VALID})

FUZZ = settings(
    max_examples=80,
    deadline=None,  # the examples touch the database; time is not what is tested
    database=None,  # leave no example files behind in the repository
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=400)
    | st.sampled_from(
        [
            "",
            " ",
            "2019-02-30",
            "2019-13-01",
            "hösten 2020",
            "9001",
            "day",
            "term",
            "\x00",
            "å" * 401,
        ]
    )
)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children),
    max_leaves=8,
)


@st.composite
def broken_fixtures(draw) -> str:
    data = copy.deepcopy(VALID)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        index = draw(st.integers(min_value=0, max_value=len(data) - 1))
        item = data[index]
        mutations = ["drop", "duplicate", "item"]
        if isinstance(item, dict) and isinstance(item.get("fields"), dict):
            mutations += ["field", "new field", "drop field", "pk", "model"]
        mutation = draw(st.sampled_from(mutations))
        if mutation == "field" and item["fields"]:
            name = draw(st.sampled_from(sorted(item["fields"])))
            item["fields"][name] = draw(json_values)
        elif mutation == "new field":
            item["fields"][draw(st.sampled_from(FIELD_NAMES) | st.text())] = draw(json_values)
        elif mutation == "drop field" and item["fields"]:
            del item["fields"][draw(st.sampled_from(sorted(item["fields"])))]
        elif mutation == "pk":
            item["pk"] = draw(json_values)
        elif mutation == "model":
            item["model"] = draw(st.sampled_from([*MODEL_LABELS, "auth.user"]) | json_values)
        elif mutation == "drop" and len(data) > 1:
            del data[index]
        elif mutation == "duplicate":
            data.append(copy.deepcopy(item))
        elif mutation == "item":
            data[index] = draw(json_values)
    return json.dumps(data, ensure_ascii=False)


def changed(index: int, field: str, value) -> str:
    """The valid fixture with one field of one object changed: the known nasty cases."""
    data = copy.deepcopy(VALID)
    if field == "pk":
        data[index]["pk"] = value
    else:
        data[index]["fields"][field] = value
    return json.dumps(data, ensure_ascii=False)


def database_contents() -> dict[str, list[tuple]]:
    """Every row of every importable table, history and many-to-many tables included."""
    contents = {}
    for label in IMPORTABLE_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            contents[model._meta.label] = list(model._base_manager.order_by("pk").values_list())
    return contents


def import_or_refuse_whole(text: str) -> None:
    before = database_contents()
    try:
        import_texts([("fuzz.json", text)])
    except ImportFailed as failure:
        assert failure.problems, "a refused import must say why"
        assert database_contents() == before, "a refused import changed the database"


def test_the_valid_fixture_imports():
    import_texts([("minimal.json", json.dumps(VALID))])

    assert database_contents()["recommendations.Recommendation"]


@FUZZ
@given(text=broken_fixtures())
@example(text=changed(3, "document_date", []))  # Django's DateField raises TypeError
@example(text=changed(3, "document_precision", None))  # clean() met an unknown precision
@example(text=changed(4, "conducted_from_precision", "[]"))
@example(text=changed(7, "text", "NUL \x00 tecken"))  # PostgreSQL refuses NUL in text
@example(text=changed(7, "pk", 2**70))  # bigger than any database integer
@example(text=changed(7, "position", 2**40))
def test_a_broken_fixture_is_imported_or_refused_whole(text):
    import_or_refuse_whole(text)


@FUZZ
@given(text=broken_fixtures())
def test_a_broken_fixture_over_existing_data_is_imported_or_refused_whole(minimal_data, text):
    import_or_refuse_whole(text)


@FUZZ
@given(text=st.text(max_size=300) | json_values.map(json.dumps))
def test_any_text_is_imported_or_refused_whole(text):
    import_or_refuse_whole(text)
