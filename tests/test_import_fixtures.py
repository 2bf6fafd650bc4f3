"""manage.py import_fixtures: validates everything, all or nothing, idempotent, clear errors."""

import copy
import io
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dataimport.importer import ImportFailed, import_texts
from recommendations.models import Audit, Board, Municipality, Recommendation
from responses.models import Measure, Response, ResponseEntry
from tests.factories import (
    make_measure,
    make_measure_update,
    make_round,
    make_town,
    make_tracked_audit,
)

pytestmark = pytest.mark.django_db

DATA_DIR = Path(__file__).parent / "data"


def database_snapshot() -> str:
    """Every row of every importable model: equal snapshots mean an unchanged database."""
    models = [m for m in apps.get_models() if m._meta.app_label in {"recommendations", "responses"}]
    return "".join(serializers.serialize("json", m._base_manager.order_by("pk")) for m in models)


def run_import(*paths, **options):
    out = io.StringIO()
    call_command("import_fixtures", *map(str, paths), stdout=out, **options)
    return out.getvalue()


def write_fixture(tmp_path, objects, name="fixture.json"):
    path = tmp_path / name
    path.write_text(json.dumps(objects, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def minimal_objects(minimal_fixture_path):
    return json.loads(minimal_fixture_path.read_text(encoding="utf-8"))


def assert_import_refused(path, *expected_fragments):
    before = database_snapshot()
    with pytest.raises(CommandError) as failure:
        run_import(path)
    message = str(failure.value)
    for fragment in expected_fragments:
        assert fragment in message, message
    assert database_snapshot() == before
    return message


def test_a_valid_file_imports_every_object(minimal_fixture_path):
    output = run_import(minimal_fixture_path)

    assert "Importerat: 12 objekt" in output
    audit = Audit.objects.get(reference="TR-2019-1")
    assert [b.short_code for b in audit.audited_boards.all()] == ["TN"]
    entry = ResponseEntry.objects.get()
    assert entry.recommendation.audit == audit
    assert str(Measure.objects.get().due) == "juni 2019"


def test_importing_the_same_file_twice_creates_no_duplicates(minimal_fixture_path):
    run_import(minimal_fixture_path)
    before = database_snapshot()

    output = run_import(minimal_fixture_path)

    assert database_snapshot() == before
    assert "0 nya, 0 ändrade, 1 oförändrade" in output
    assert Recommendation.objects.count() == 1


def test_a_municipalitys_counts_cannot_be_set_by_a_file(tmp_path, minimal_objects):
    minimal_objects[0]["fields"]["audit_count"] = 99

    assert_import_refused(
        write_fixture(tmp_path, minimal_objects),
        "recommendations.municipality pk=9001",
        "fält ”audit_count”",
        "fältet kan inte sättas vid import",
    )


def test_a_folder_imports_all_its_json_files(tmp_path, minimal_objects):
    write_fixture(tmp_path, minimal_objects[:4], "a.json")
    write_fixture(tmp_path, minimal_objects[4:], "b.json")
    (tmp_path / "notes.txt").write_text("not a fixture")

    run_import(tmp_path)

    assert Response.objects.count() == 1


def test_a_changed_value_updates_the_existing_row(tmp_path, minimal_objects):
    run_import(write_fixture(tmp_path, minimal_objects))
    minimal_objects[7]["fields"]["text"] = "Nämnden bör tydliggöra ansvaret."
    minimal_objects[7]["fields"]["answered_by"] = []

    output = run_import(write_fixture(tmp_path, minimal_objects))

    recommendation = Recommendation.objects.get()
    assert recommendation.text == "Nämnden bör tydliggöra ansvaret."
    assert not recommendation.answered_by.exists()
    assert "rekommendationer: 0 nya, 1 ändrade" in output
    # -v 2 names each changed object and its changed fields.
    minimal_objects[7]["fields"]["text"] = "Nämnden bör tydliggöra ansvaret tydligt."
    detailed = run_import(write_fixture(tmp_path, minimal_objects), verbosity=2)
    assert "ändrat: recommendations.recommendation pk=9001 (" in detailed
    assert detailed.rstrip().endswith("): lydelse")


def test_the_import_records_history_for_what_it_changed(minimal_fixture_path):
    run_import(minimal_fixture_path)

    history = Response.history.get()
    assert history.history_type == "+"
    assert history.history_change_reason == "Import av fixturfil"


def test_a_dry_run_reports_but_writes_nothing(minimal_fixture_path):
    output = run_import(minimal_fixture_path, dry_run=True)

    assert "Torrkörning" in output
    assert "nämnder: 2 nya" in output
    assert not Board.objects.exists()


def test_malformed_json_names_the_file_and_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[\n  {"model": "recommendations.board", "pk": 1,\n  "fields": {]\n]')

    message = assert_import_refused(path, "broken.json", "ogiltig JSON på rad 3")
    assert "databasen är oförändrad" in message
    # What the parser expected, in Swedish, not Python's English.
    assert "ett fältnamn inom dubbla citattecken saknas" in message
    assert "Expecting" not in message


def test_an_unknown_field_names_file_object_and_field(tmp_path, minimal_objects):
    minimal_objects[4]["fields"]["budget"] = 10
    path = write_fixture(tmp_path, minimal_objects)

    assert_import_refused(
        path,
        "fixture.json",
        "objekt 5 (recommendations.audit pk=9001)",
        "fält ”budget”",
        "okänt fält",
    )


def test_an_unknown_model_is_refused(tmp_path, minimal_objects):
    minimal_objects.append({"model": "recommendations.memo", "pk": 1, "fields": {}})

    assert_import_refused(write_fixture(tmp_path, minimal_objects), "okänd modell")


def test_user_accounts_cannot_be_imported(tmp_path):
    path = write_fixture(
        tmp_path,
        [{"model": "auth.user", "pk": 1, "fields": {"username": "x", "is_superuser": True}}],
    )

    assert_import_refused(path, "kan inte importeras")


def test_a_missing_reference_is_named(tmp_path, minimal_objects):
    minimal_objects[7]["fields"]["audit"] = 12345
    path = write_fixture(tmp_path, minimal_objects)

    assert_import_refused(
        path,
        "objekt 8 (recommendations.recommendation pk=9001)",
        "fält ”audit”",
        "recommendations.audit med pk=12345 finns varken i filerna eller i databasen",
    )


def test_the_problems_are_listed_in_the_order_of_the_objects_in_the_file(tmp_path, minimal_objects):
    # Object 9's date is refused as the file is read, object 8's reference later.
    minimal_objects[8]["fields"]["decision_date"] = "2019-02-30"
    minimal_objects[7]["fields"]["audit"] = 12345
    path = write_fixture(tmp_path, minimal_objects)

    message = assert_import_refused(path, "objekt 8", "objekt 9")

    assert message.index("objekt 8") < message.index("objekt 9")


def test_a_missing_many_to_many_reference_is_named(tmp_path, minimal_objects):
    minimal_objects[7]["fields"]["addressed_to"] = [9001, 777]

    assert_import_refused(write_fixture(tmp_path, minimal_objects), "fält ”addressed_to”", "pk=777")


def test_an_invalid_date_is_named(tmp_path, minimal_objects):
    minimal_objects[8]["fields"]["decision_date"] = "2019-02-30"

    assert_import_refused(
        write_fixture(tmp_path, minimal_objects),
        "responses.response pk=9001",
        "fält ”decision_date”",
    )


def test_a_fuzzy_date_that_is_not_the_start_of_its_period_is_refused(tmp_path, minimal_objects):
    minimal_objects[10]["fields"]["due_date"] = "2019-06-15"

    assert_import_refused(write_fixture(tmp_path, minimal_objects), "fält ”due_date”", "2019-06-01")


def test_an_unknown_status_is_named(tmp_path, minimal_objects):
    minimal_objects[9]["fields"]["status"] = "done-ish"

    assert_import_refused(
        write_fixture(tmp_path, minimal_objects),
        "responses.responseentry pk=9001",
        "fält ”status”",
        "done-ish",
    )


def test_the_models_own_rules_are_checked(tmp_path, minimal_objects):
    other_audit = dict(minimal_objects[4], pk=9002)
    other_audit["fields"] = dict(other_audit["fields"], reference="TR-2019-2")
    minimal_objects.insert(5, other_audit)
    minimal_objects[8]["fields"]["audit"] = 9002  # the recommendation moves to the other audit

    assert_import_refused(
        write_fixture(tmp_path, minimal_objects),
        "responses.responseentry pk=9001",
        "Rekommendationen hör till en annan granskning",
    )


@pytest.mark.parametrize("model", ["responses.measure", "responses.measureupdate"])
def test_a_completion_date_on_a_measure_not_done_is_refused(tmp_path, minimal_objects, model):
    for obj in minimal_objects:
        if obj["model"] == model:
            obj["fields"].update(completed_date="2019-06-01", completed_precision="month")

    message = assert_import_refused(
        write_fixture(tmp_path, minimal_objects),
        f"{model} pk=9001",
        "Bara en genomförd åtgärd har ett datum då den genomfördes",
    )
    assert "fält ”completed_date”" in message


def test_a_date_in_a_year_no_document_could_mean_is_refused(tmp_path, minimal_objects):
    """Year 9999 is a slip of the keyboard, and its period's end lies beyond what the
    calendars and standings can compute."""
    for obj in minimal_objects:
        if obj["model"] == "responses.measure":
            obj["fields"].update(due_date="9999-12-01", due_precision="month")

    message = assert_import_refused(
        write_fixture(tmp_path, minimal_objects),
        "responses.measure pk=9001",
        "Året måste ligga mellan 1900 och 2200",
    )
    assert "fält ”due_date”" in message


def with_another_municipality(objects):
    """``objects`` with a municipality Annanstad (pk 9002) and its board AN (pk 9003)."""
    elsewhere = {"model": "recommendations.municipality", "pk": 9002}
    elsewhere["fields"] = dict(objects[0]["fields"], name="Annanstad", slug="annanstad")
    elsewhere["fields"]["organisation_number"] = "212000-0001"
    stranger = {"model": "recommendations.board", "pk": 9003}
    stranger["fields"] = dict(
        objects[1]["fields"], municipality=9002, short_code="AN", name="Annanstads nämnd"
    )
    objects[1:1] = [elsewhere, stranger]
    return objects


def test_a_response_and_a_measure_stay_within_one_municipality(tmp_path, minimal_objects):
    # Another municipality's board answers (and takes a measure on) this one's audit.
    for obj in with_another_municipality(minimal_objects):
        if obj["model"] in ("responses.response", "responses.measure"):
            obj["fields"]["board"] = 9003

    message = assert_import_refused(
        write_fixture(tmp_path, minimal_objects),
        "responses.response pk=9001), fält ”round”: ”TR-2019-1: 1. Första yttrande” (id 9001) "
        "hör till en annan kommun: Testkommun, inte Annanstad.",
        "responses.measure pk=9001), fält ”recommendation”: ”Rekommendation 1",
    )
    # Told once per link, though the models' clean() and the import both ask the rule.
    assert message.count("fält ”round”") == 1
    assert message.count("(responses.measure pk=9001), fält ”recommendation”") == 1


# (model, field, value): a link from Testkommun's object to Annanstad's board AN (9003).
LINKS_TO_ANOTHER_MUNICIPALITY = [
    ("recommendations.audit", "auditor", 9003),
    ("recommendations.audit", "audited_boards", [9001, 9003]),
    ("recommendations.followupround", "asks", [9003]),
    ("recommendations.recommendation", "addressed_to", [9003]),
    ("recommendations.recommendation", "answered_by", [9003]),
]


@pytest.mark.parametrize(("model", "field", "value"), LINKS_TO_ANOTHER_MUNICIPALITY)
def test_a_file_cannot_link_an_object_to_another_municipalitys_board(
    tmp_path, minimal_objects, model, field, value
):
    for obj in with_another_municipality(minimal_objects):
        if obj["model"] == model:
            obj["fields"][field] = value
            break

    assert_import_refused(
        write_fixture(tmp_path, minimal_objects),
        f"({model} pk=9001), fält ”{field}”: ”Annanstads nämnd” (id 9003) hör till en annan "
        "kommun: Annanstad, inte Testkommun.",
    )


def test_a_superusers_upload_is_refused_a_link_to_another_municipality_as_the_command_is(
    minimal_objects,
):
    from tests.factories import make_user

    objects = with_another_municipality(minimal_objects)
    objects[6]["fields"]["auditor"] = 9003  # the audit's auditors: Annanstad's board
    superuser = make_user(superuser=True)

    with pytest.raises(ImportFailed) as failure:
        import_texts([("fil.json", json.dumps(objects))], user=superuser)

    assert "fil.json, objekt 7 (recommendations.audit pk=9001), fält ”auditor”" in str(
        failure.value
    )
    assert not Audit.objects.exists()


def test_an_answer_cannot_refer_to_another_municipalitys_recommendation_in_the_database(
    tmp_path, minimal_objects
):
    _town, _board, _audit, _round, elsewhere, _response = make_town(
        "Annanstad", "annanstad", "AN", "x"
    )
    entry = next(o for o in minimal_objects if o["model"] == "responses.responseentry")
    entry["fields"]["references"] = [elsewhere.pk]

    assert_import_refused(
        write_fixture(tmp_path, minimal_objects),
        "(responses.responseentry pk=9001), fält ”references”: ”Rekommendation 1",
        f"(id {elsewhere.pk}) hör till en annan kommun: Annanstad, inte Testkommun.",
    )


def test_a_shared_measure_cannot_serve_another_municipalitys_recommendation(
    tmp_path, minimal_objects
):
    _town, _board, _audit, _round, elsewhere, _response = make_town(
        "Annanstad", "annanstad", "AN", "x"
    )
    measure = next(o for o in minimal_objects if o["model"] == "responses.measure")
    measure["fields"]["also_serves"] = [elsewhere.pk]

    message = assert_import_refused(
        write_fixture(tmp_path, minimal_objects),
        "(responses.measure pk=9001), fält ”also_serves”",
    )
    # Refused once, by the stricter rule of its own audit.
    assert message.count("fält ”also_serves”") == 1


def test_a_case_officer_may_serve_boards_of_two_municipalities():
    """Users belong to no municipality: the staff list of a board is no link between two."""
    from tests.factories import make_board, make_municipality, make_user

    officer = make_user(boards=[make_board(short_code="SN")])
    other = make_board(short_code="AN", municipality=make_municipality(name="B", slug="b"))
    text = json.dumps(
        [
            {
                "model": "recommendations.board",
                "pk": other.pk,
                "fields": {
                    "municipality": other.municipality_id,
                    "name": other.name,
                    "short_code": "AN",
                    "kind": "board",
                    "staff": [officer.pk],
                    "contact": officer.pk,
                },
            }
        ]
    )

    import_texts([("styrelse.json", text)])

    assert set(officer.boards.values_list("short_code", flat=True)) == {"SN", "AN"}


def test_duplicate_unique_values_in_the_file_are_refused_naming_the_files_fields(
    tmp_path, minimal_objects
):
    minimal_objects[2]["fields"]["short_code"] = "TN"

    message = assert_import_refused(
        write_fixture(tmp_path, minimal_objects),
        "recommendations.board pk=9002), fält ”municipality”",
        "värdet för municipality, short_code finns redan",
    )
    assert "municipality_id" not in message  # a column name, not the file's "municipality"


def test_a_clash_with_a_row_already_in_the_database_is_refused(tmp_path, minimal_objects):
    run_import(write_fixture(tmp_path, minimal_objects))
    clash = [
        {
            "model": "recommendations.board",
            "pk": 9100,
            "fields": {"municipality": 9001, "name": "Kopia", "short_code": "TN"},
        }
    ]

    message = assert_import_refused(
        write_fixture(tmp_path, clash, "clash.json"),
        "fält ”municipality”: värdet för municipality, short_code används redan",
        "pk=9001 i databasen",
    )
    assert "municipality_id" not in message


def test_the_same_object_twice_in_the_input_is_refused(tmp_path, minimal_objects):
    write_fixture(tmp_path, minimal_objects, "a.json")
    write_fixture(tmp_path, minimal_objects[:2], "b.json")

    assert_import_refused(tmp_path, "samma objekt finns redan i")


def test_one_bad_object_leaves_existing_data_untouched(tmp_path, minimal_objects):
    run_import(write_fixture(tmp_path, minimal_objects))
    minimal_objects[7]["fields"]["text"] = "Ändrad lydelse som inte får sparas."
    minimal_objects[11]["fields"]["status"] = "bogus"

    assert_import_refused(write_fixture(tmp_path, minimal_objects), "bogus")

    assert Recommendation.objects.get().text == "Nämnden bör tydliggöra ansvarsfördelningen."


def test_a_missing_path_is_reported(tmp_path):
    assert_import_refused(tmp_path / "nope.json", "nope.json", "finns inte")


def test_new_rows_after_an_import_get_fresh_primary_keys(minimal_data):
    board = Board.objects.create(
        municipality_id=9001, name="Ny nämnd", short_code="NN", kind=Board.Kind.BOARD
    )

    assert board.pk not in {9001, 9002}


def test_progress_is_shown_on_large_files(tmp_path, minimal_objects):
    objects = minimal_objects[:1] + [
        {
            "model": "recommendations.board",
            "pk": 10_000 + n,
            "fields": {"municipality": 9001, "name": f"Nämnd {n}", "short_code": f"N{n}"},
        }
        for n in range(1200)
    ]

    output = run_import(write_fixture(tmp_path, objects), verbosity=2)

    assert "validerat 1000/1201 objekt" in output
    assert Board.objects.count() == 1200


def test_the_run_command_skips_the_import_once_the_database_has_audits(tmp_path, minimal_objects):
    run_import(write_fixture(tmp_path, minimal_objects))
    minimal_objects[4]["fields"]["title"] = "Ändrad i appen, ska inte skrivas över"

    output = run_import(write_fixture(tmp_path, minimal_objects), if_empty=True)

    assert "ingen import" in output
    assert Audit.objects.get().title == "Granskning av testverksamheten"


def shared_measure_objects(minimal_objects):
    """The minimal file plus a second recommendation that the measure also serves, with
    an entry and an update under it."""
    second_recommendation = {
        **minimal_objects[7],
        "pk": 9002,
        "fields": {**minimal_objects[7]["fields"], "position": 2, "label": "Rek 2"},
    }
    second_entry = {
        **minimal_objects[9],
        "pk": 9002,
        "fields": {**minimal_objects[9]["fields"], "recommendation": 9002, "references": []},
    }
    measure = {
        **minimal_objects[10],
        "fields": {**minimal_objects[10]["fields"], "also_serves": [9002]},
    }
    second_update = {
        **minimal_objects[11],
        "pk": 9002,
        "fields": {**minimal_objects[11]["fields"], "entry": 9002, "note": "Även här."},
    }
    return [
        *minimal_objects[:8],
        second_recommendation,
        minimal_objects[8],
        minimal_objects[9],
        second_entry,
        measure,
        minimal_objects[11],
        second_update,
    ]


def test_a_shared_measure_and_its_updates_under_each_recommendation_import_twice_unchanged(
    tmp_path, minimal_objects
):
    path = write_fixture(tmp_path, shared_measure_objects(minimal_objects))
    run_import(path)
    before = database_snapshot()

    output = run_import(path)

    measure = Measure.objects.get()
    assert [r.pk for r in measure.also_serves.all()] == [9002]
    assert measure.updates.count() == 2
    assert database_snapshot() == before
    assert "åtgärder: 0 nya, 0 ändrade, 1 oförändrade" in output


def test_a_shared_recommendation_from_another_audit_is_refused(tmp_path, minimal_objects):
    objects = shared_measure_objects(minimal_objects)
    other_audit = {**minimal_objects[4], "pk": 9002, "fields": {**minimal_objects[4]["fields"]}}
    other_audit["fields"]["reference"] = "TR-2019-2"
    objects.insert(5, other_audit)
    for obj in objects:
        if obj["model"] == "recommendations.recommendation" and obj["pk"] == 9002:
            obj["fields"]["audit"] = 9002
            obj["fields"]["position"] = 1

    assert_import_refused(write_fixture(tmp_path, objects), "also_serves")


def test_an_update_under_a_recommendation_the_measure_does_not_serve_is_refused(
    tmp_path, minimal_objects
):
    objects = shared_measure_objects(minimal_objects)
    for obj in objects:
        if obj["model"] == "responses.measure":
            obj["fields"]["also_serves"] = []

    assert_import_refused(write_fixture(tmp_path, objects), "entry")


def test_a_diary_number_already_used_by_another_audit_is_refused(tmp_path, minimal_objects):
    run_import(write_fixture(tmp_path, minimal_objects))
    copy = dict(minimal_objects[4], pk=9100)
    copy["fields"] = dict(copy["fields"], title="Samma diarienummer", source_documents=[])

    assert_import_refused(
        write_fixture(tmp_path, [copy], "copy.json"),
        "recommendations.audit pk=9100",
        "audit_unique_reference_per_municipality",
    )


def test_two_audits_of_one_file_with_one_diary_number_are_refused(tmp_path, minimal_objects):
    """A conditional unique constraint is checked within the file too, not left to the
    database to refuse with its own words."""
    copy = dict(minimal_objects[4], pk=9100)
    copy["fields"] = dict(copy["fields"], title="Samma diarienummer", source_documents=[])

    assert_import_refused(
        write_fixture(tmp_path, [*minimal_objects, copy]),
        "recommendations.audit pk=9100), fält ”municipality”: värdet för municipality, "
        "reference finns redan i",
    )


def test_audits_without_a_known_diary_number_may_share_the_blank(tmp_path, minimal_objects):
    minimal_objects[4]["fields"]["reference"] = ""
    run_import(write_fixture(tmp_path, minimal_objects))
    copy = dict(minimal_objects[4], pk=9100)
    copy["fields"] = dict(copy["fields"], title="Också utan diarienummer", source_documents=[])

    run_import(write_fixture(tmp_path, [copy], "copy.json"))

    assert Audit.objects.filter(reference="").count() == 2


# Hardening (issue 16): what a hostile file must not be able to do.


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="sequences are PostgreSQL's (SQLite has none)"
)
def test_a_dry_run_leaves_the_primary_key_sequences_as_they_were(tmp_path, minimal_objects):
    minimal_objects[0]["pk"] = 9223372036854775807  # the largest bigint
    for item in minimal_objects[1:3]:
        item["fields"]["municipality"] = 9223372036854775807
    run_import(write_fixture(tmp_path, minimal_objects[:3]), dry_run=True)

    # setval() is not transactional: had the dry run moved the sequence to the largest
    # bigint, this insert would fail with "nextval: reached maximum value of sequence".
    municipality = Municipality.objects.create(name="Efter torrkörningen", slug="efter")
    assert municipality.pk < 9223372036854775807


def test_deeply_nested_json_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "nested.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")

    assert_import_refused(path, "nested.json", "för djupt nästlad")


def test_a_nested_value_in_a_field_is_refused_with_a_clear_message(tmp_path, minimal_objects):
    nested = []
    for _level in range(200):
        nested = [nested]
    minimal_objects[7]["fields"]["text"] = nested

    assert_import_refused(
        write_fixture(tmp_path, minimal_objects), "objekt 8", "fält ”text”", "för djupt nästlat"
    )


def test_a_lone_surrogate_in_a_text_field_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "surrogate.json"
    text = (
        (DATA_DIR / "minimal.json")
        .read_text(encoding="utf-8")
        .replace("Nämnden bör tydliggöra", "Nämnden \\ud800 bör tydliggöra")
    )
    path.write_text(text, encoding="utf-8")

    assert_import_refused(
        path, "objekt 8 (recommendations.recommendation pk=9001)", "fält ”text”", "surrogat"
    )


def test_a_lone_surrogate_in_a_model_name_is_refused_without_repeating_it(tmp_path):
    path = tmp_path / "surrogate.json"
    path.write_text('[{"model": "recommendations.\\udfff", "pk": 1, "fields": {}}]')

    message = assert_import_refused(path, "objekt 1", "surrogat")
    message.encode("utf-8")  # the report itself can be shown and written


@pytest.mark.parametrize(
    "label",
    [
        "recommendations.Board_staff",
        "recommendations.board_staff",
        "responses.Measure_also_serves",
        "responses.HistoricalResponse",
        "recommendations.HISTORICALRECOMMENDATION",
    ],
)
def test_join_tables_and_history_tables_cannot_be_imported(tmp_path, label):
    path = write_fixture(tmp_path, [{"model": label, "pk": 1, "fields": {}}])

    assert_import_refused(path, "kan inte importeras")


def test_every_problem_is_reported_at_once(tmp_path, minimal_objects):
    minimal_objects[7]["fields"]["audit"] = 12345  # a missing reference
    minimal_objects[9]["fields"]["status"] = "done-ish"  # an invalid choice
    minimal_objects[8]["fields"]["decision_date"] = "2019-02-30"  # an invalid date

    assert_import_refused(
        write_fixture(tmp_path, minimal_objects),
        "recommendations.audit med pk=12345 finns varken i filerna eller i databasen",
        "responses.responseentry pk=9001), fält ”status”",
        "responses.response pk=9001), fält ”decision_date”",
    )


def _response_object(objects):
    return next(o for o in objects if o["model"] == "responses.response")


def test_a_file_cannot_take_a_published_response_back_to_a_draft(tmp_path, minimal_objects):
    """As in the admin: what it reported stays public, so where it was said must too."""
    run_import(write_fixture(tmp_path, minimal_objects))
    response = _response_object(minimal_objects)
    assert response["fields"]["state"] == Response.State.PUBLISHED
    response["fields"]["state"] = Response.State.DRAFT

    assert_import_refused(
        write_fixture(tmp_path, minimal_objects, name="utkast.json"),
        "utkast.json",
        f"responses.response pk={response['pk']}), fält ”state”",
        "Ett publicerat yttrande kan inte bli utkast",
    )
    assert Response.objects.get(pk=response["pk"]).state == Response.State.PUBLISHED


@pytest.mark.parametrize("stored", [Response.State.DRAFT, Response.State.SUBMITTED])
def test_a_file_cannot_publish_a_stored_draft_or_handed_in_response(
    tmp_path, minimal_objects, stored
):
    """Publishing passes the answer's reports on to the measures and tells its followers:
    the publish page and the admin do that, an import would not
    (``Response.becomes_published``)."""
    response = _response_object(minimal_objects)
    response["fields"]["state"] = stored
    run_import(write_fixture(tmp_path, minimal_objects))
    response["fields"]["state"] = Response.State.PUBLISHED

    assert_import_refused(
        write_fixture(tmp_path, minimal_objects, name="publicera.json"),
        f"responses.response pk={response['pk']}), fält ”state”",
        "publiceras i administrationen eller på publiceringssidan",
    )
    assert Response.objects.get(pk=response["pk"]).state == stored


def test_an_invalid_choice_lists_the_allowed_values(tmp_path, minimal_objects):
    minimal_objects[5]["fields"]["kind"] = "okänd"

    assert_import_refused(
        write_fixture(tmp_path, minimal_objects),
        "fält ”kind”",
        "Tillåtna värden: first_response, measures_taken, status_description, consultation, "
        "decision, report_back",
    )


def test_an_imported_audit_without_recommendations_counts_for_its_municipality(
    tmp_path, minimal_objects
):
    from recommendations.models import Municipality

    audit = next(o for o in minimal_objects if o["model"] == "recommendations.audit")
    lone = {**audit, "pk": 9002, "fields": {**audit["fields"], "reference": "SR-2026-1"}}
    run_import(write_fixture(tmp_path, minimal_objects))
    run_import(write_fixture(tmp_path, [lone], "lone.json"))
    municipality = Municipality.objects.get(pk=9001)
    assert (municipality.audit_count, municipality.recommendation_count) == (2, 1)


def test_a_file_on_existing_recommendations_costs_the_same_queries_however_long(
    django_assert_num_queries,
):
    # The models' rules compare the municipalities of a measure's board and
    # recommendation: read from the database, each recommendation comes with its audit.
    world = make_tracked_audit(n_recommendations=6)

    def measures(recommendations):
        return json.dumps(
            [
                {
                    "model": "responses.measure",
                    "pk": 990000 + index,
                    "fields": {
                        "recommendation": recommendation.pk,
                        "board": world.board.pk,
                        "title": f"Åtgärd {index}",
                        "status": "planned",
                    },
                }
                for index, recommendation in enumerate(recommendations)
            ]
        )

    with CaptureQueriesContext(connection) as two:
        import_texts([("två.json", measures(world.recommendations[:2]))], dry_run=True)
    with django_assert_num_queries(len(two.captured_queries)):
        import_texts([("sex.json", measures(world.recommendations))], dry_run=True)


def test_the_links_of_a_file_are_checked_in_the_same_queries_however_many(
    django_assert_num_queries,
):
    # Each recommendation's audit and boards are read with their municipality, once per
    # model: the rule of links within one municipality reads no row of its own.
    world = make_tracked_audit(n_recommendations=1)

    def recommendations(count):
        return json.dumps(
            [
                {
                    "model": "recommendations.recommendation",
                    "pk": 990000 + index,
                    "fields": {
                        "audit": world.audit.pk,
                        "position": 100 + index,
                        "text": f"Rekommendation {index}",
                        "addressed_to": [world.board.pk],
                        "answered_by": [world.board.pk],
                    },
                }
                for index in range(count)
            ]
        )

    with CaptureQueriesContext(connection) as two:
        import_texts([("två.json", recommendations(2))], dry_run=True)
    with django_assert_num_queries(len(two.captured_queries)):
        import_texts([("sex.json", recommendations(6))], dry_run=True)


def test_a_measure_the_file_moves_leaves_its_old_recommendations_standing_right(tmp_path):
    """The tracked audit's first recommendation has one open, overdue measure. A file that
    moves it to the second leaves the first with none: its stored standing says so, as a
    rebuild would."""
    from django.utils import timezone

    from responses.models import BoardStanding
    from responses.standings import _STANDING_FIELDS, standings_as_of

    world = make_tracked_audit(n_recommendations=2)
    first, second = world.recommendations
    measure = Measure.objects.get(recommendation=first)
    assert BoardStanding.objects.get(recommendation=first).open_measures == 1
    measure.recommendation = second
    path = tmp_path / "flyttad.json"
    path.write_text(serializers.serialize("json", [measure]), encoding="utf-8")

    run_import(path)

    stored = {
        (s.recommendation_id, s.board_id): {name: getattr(s, name) for name in _STANDING_FIELDS}
        for s in BoardStanding.objects.all()
    }
    assert stored == standings_as_of([first.pk, second.pk], timezone.localdate())
    assert BoardStanding.objects.get(recommendation=first).open_measures == 0


# A board or an audit that anything links to stays in its municipality: the admin's rule
# (``municipal_links.moving_away_from_links``), asked by the importer too.


def sequences() -> dict:
    """Where every sequence of primary keys stands: PostgreSQL's sequences, SQLite's
    AUTOINCREMENT counters. Equal before and after: the import took no key."""
    query = {
        "postgresql": "SELECT sequencename, last_value FROM pg_sequences",
        "sqlite": "SELECT name, seq FROM sqlite_sequence",
    }[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(query)
        return dict(cursor.fetchall())


def moved(objects, label, pk):
    """A file of ``label`` ``pk`` of ``objects``, moved to Annanstad (9002)."""
    [obj] = [copy.deepcopy(o) for o in objects if o["model"] == label and o["pk"] == pk]
    obj["fields"]["municipality"] = 9002
    return [obj]


@pytest.fixture
def annanstad(minimal_objects):
    """The minimal file imported, with another municipality, Annanstad (9002)."""
    stored = with_another_municipality(copy.deepcopy(minimal_objects))
    import_texts([("minimal.json", json.dumps(stored))])


def test_a_file_cannot_move_a_board_that_recommendations_are_addressed_to(
    tmp_path, minimal_objects, annanstad
):
    before = sequences()

    message = assert_import_refused(
        write_fixture(tmp_path, moved(minimal_objects, "recommendations.board", 9001)),
        "fixture.json, objekt 1 (recommendations.board pk=9001), fält ”municipality”: "
        "”Testnämnden” kan inte flyttas till en annan kommun: granskningar, rekommendationer, "
        "yttranden, åtgärder",
        "i Testkommun hänger ihop med den. Lägg upp den på nytt i den andra kommunen i stället.",
    )

    assert message.count("rekommendationer") == 1  # addressed to it and answered by it
    assert Board.objects.get(pk=9001).municipality_id == 9001
    assert sequences() == before


def test_a_file_cannot_move_an_audit_with_recommendations_and_rounds(
    tmp_path, minimal_objects, annanstad
):
    before = sequences()

    assert_import_refused(
        write_fixture(tmp_path, moved(minimal_objects, "recommendations.audit", 9001)),
        "(recommendations.audit pk=9001), fält ”municipality”: ”TR-2019-1",
        "kan inte flyttas till en annan kommun: uppföljningsomgångar, rekommendationer i "
        "Testkommun",
    )

    assert Audit.objects.get(pk=9001).municipality_id == 9001
    assert sequences() == before


def as_in_a_file(obj, **changes) -> dict:
    """``obj`` as a fixture file gives it (what ``dumpdata`` writes, without the values the
    application keeps itself), with ``changes`` to its fields."""
    [item] = json.loads(serializers.serialize("json", [obj]))
    for name in getattr(type(obj), "derived_fields", ()):
        item["fields"].pop(name, None)
    item["fields"].update(changes)
    return item


@pytest.fixture
def two_towns():
    """Lund and Malmö, each with a board, an audit, an open round, a recommendation and a
    response answering it."""
    names = ("town", "board", "audit", "round", "recommendation", "response")
    lund = dict(zip(names, make_town("Lunds kommun", "lund", "KFN", "Lund"), strict=True))
    malmo = dict(zip(names, make_town("Malmö stad", "malmo", "ASN", "Malmö"), strict=True))
    return lund, malmo


def test_a_file_cannot_move_a_round_with_responses_into_another_municipalitys_audit(
    tmp_path, two_towns
):
    """A round belongs to its audit's municipality: given Malmö's audit, Lund's response in
    it would be in a round of Malmö's."""
    lund, malmo = two_towns

    assert_import_refused(
        write_fixture(tmp_path, [as_in_a_file(lund["round"], audit=malmo["audit"].pk)]),
        f"(recommendations.followupround pk={lund['round'].pk}), fält ”audit”: ",
        "kan inte flyttas till en annan kommun: yttranden i Lunds kommun hänger ihop med den.",
    )


def test_a_file_cannot_move_an_answered_recommendation_into_another_municipalitys_audit(
    tmp_path, two_towns
):
    lund, malmo = two_towns
    make_measure(lund["recommendation"], board=lund["board"])
    moved_away = as_in_a_file(
        lund["recommendation"], audit=malmo["audit"].pk, addressed_to=[malmo["board"].pk]
    )

    message = assert_import_refused(
        write_fixture(tmp_path, [moved_away]),
        f"(recommendations.recommendation pk={lund['recommendation'].pk}), fält ”audit”: ",
        "kan inte flyttas till en annan kommun: svar på rekommendationer, åtgärder",
    )

    assert "i Lunds kommun hänger ihop med den" in message


def test_a_file_cannot_move_a_response_with_answers_to_another_municipalitys_board(
    tmp_path, two_towns
):
    """Its answers would be Malmö's, answering Lund's recommendation."""
    lund, malmo = two_towns
    free_round = make_round(malmo["audit"])
    moved_away = as_in_a_file(lund["response"], board=malmo["board"].pk, round=free_round.pk)

    assert_import_refused(
        write_fixture(tmp_path, [moved_away]),
        f"(responses.response pk={lund['response'].pk}), fält ”board”: ",
        "kan inte flyttas till en annan kommun: svar på rekommendationer i Lunds kommun",
    )


def test_a_file_cannot_move_a_reported_measure_to_another_municipalitys_board(tmp_path, two_towns):
    """Its reports would be Malmö's, in Lund's answer."""
    lund, malmo = two_towns
    measure = make_measure(lund["recommendation"], board=lund["board"])
    make_measure_update(measure, lund["response"].entries.get())
    moved_away = as_in_a_file(
        measure, board=malmo["board"].pk, recommendation=malmo["recommendation"].pk
    )

    assert_import_refused(
        write_fixture(tmp_path, [moved_away]),
        f"(responses.measure pk={measure.pk}), fält ”board”: ",
        "kan inte flyttas till en annan kommun: lägesrapporter",
    )
    assert Measure.objects.get(pk=measure.pk).board == lund["board"]


def test_a_measure_nothing_links_to_yet_is_moved_by_a_file(tmp_path, two_towns):
    lund, malmo = two_towns
    measure = make_measure(lund["recommendation"], board=lund["board"])
    moved_away = as_in_a_file(
        measure, board=malmo["board"].pk, recommendation=malmo["recommendation"].pk
    )

    run_import(write_fixture(tmp_path, [moved_away]))

    assert Measure.objects.get(pk=measure.pk).board == malmo["board"]


def test_a_superusers_upload_is_refused_the_move_as_the_command_is(minimal_objects, annanstad):
    from tests.factories import make_user

    text = json.dumps(moved(minimal_objects, "recommendations.board", 9001))

    with pytest.raises(ImportFailed) as failure:
        import_texts([("nämnd.json", text)], user=make_user(superuser=True))

    assert "nämnd.json, objekt 1 (recommendations.board pk=9001), fält ”municipality”: " in (
        str(failure.value)
    )
    assert Board.objects.get(pk=9001).municipality_id == 9001


def test_a_board_nothing_links_to_yet_is_moved_by_a_file(tmp_path, minimal_objects, annanstad):
    """A board created in the wrong municipality is put right by a file as in the admin."""
    stray = Board.objects.create(municipality_id=9001, name="Fel kommun", short_code="FK")
    board = json.loads(serializers.serialize("json", [stray]))[0]
    board["fields"]["municipality"] = 9002

    run_import(write_fixture(tmp_path, [board]))

    assert Board.objects.get(pk=stray.pk).municipality_id == 9002


def test_a_municipalitys_admin_is_not_told_what_links_to_another_municipalitys_board(
    minimal_objects, annanstad
):
    from recommendations.roles import ADMIN_GROUP
    from tests.factories import make_user

    admin = make_user(groups=[ADMIN_GROUP], municipality=Municipality.objects.get(pk=9002))
    text = json.dumps(moved(minimal_objects, "recommendations.board", 9001))

    with pytest.raises(ImportFailed) as failure:
        import_texts([("nämnd.json", text)], user=admin)

    assert "pk=9001 kan inte användas i din kommun" in str(failure.value)
    assert "flyttas" not in str(failure.value)


def test_the_boards_and_audits_of_a_file_are_checked_in_the_same_queries_however_many(
    django_assert_num_queries, minimal_objects, annanstad
):
    """Where each board stands is read once per model, however many the file holds; what
    links to them only for those the file moves, which these do not."""
    board = minimal_objects[1]

    def boards(count):
        return json.dumps(
            [
                {
                    "model": "recommendations.board",
                    "pk": 990000 + index,
                    "fields": dict(board["fields"], short_code=f"N{index}", name=f"Nämnd {index}"),
                }
                for index in range(count)
            ]
        )

    import_texts([("sex.json", boards(6))])
    with CaptureQueriesContext(connection) as two:
        import_texts([("två.json", boards(2))], dry_run=True)
    with django_assert_num_queries(len(two.captured_queries)):
        import_texts([("sex.json", boards(6))], dry_run=True)
