"""A draft changed in the admin or by an import while its edit page is open: the staff's
save is refused as stale (``ResponseQuerySet.moved_on``), never saved over the change."""

import json

from django.core import serializers
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dataimport.importer import import_texts
from responses.models import Response

from .factories import admin_page_data, edit_page_data, make_entry, make_round

STALE = "Yttrandet har sparats av någon annan, eller i en annan flik,"


def staff_save(client, world, draft, opened: dict):
    """The staff's save of the edit page as ``opened`` showed it, with a title of theirs."""
    client.force_login(world.staff_a)
    return client.post(
        reverse("responses:response_edit", args=[draft.pk]),
        {**opened, "title": "Handläggarens rubrik"},
    )


def admin_saves_response_page(client, world, draft, **changes):
    client.force_login(world.admin)
    url = reverse("admin:responses_response_change", args=[draft.pk])
    data = admin_page_data(client.get(url))
    for suffix, value in changes.items():
        [name] = [key for key in data if key == suffix or key.endswith(f"-{suffix}")]
        data[name] = value
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    client.logout()


def as_in_a_file(obj, **changes) -> str:
    """``obj`` as ``dumpdata`` writes it (its version too), with ``changes``."""
    [item] = json.loads(serializers.serialize("json", [obj]))
    item["fields"].update(changes)
    return json.dumps([item])


def test_a_staff_save_is_refused_after_an_admin_changed_the_drafts_title(client, world, draft):
    opened = edit_page_data(draft)

    admin_saves_response_page(client, world, draft, title="Administratörens rubrik")
    refused = staff_save(client, world, draft, opened)

    assert refused.status_code == 409
    assert STALE in refused.text
    draft.refresh_from_db()
    assert draft.title == "Administratörens rubrik"


def test_a_staff_save_is_refused_after_an_admin_changed_an_answer_through_the_inline(
    client, world, draft
):
    entry = make_entry(draft, world.rec1, narrative="Som handläggaren skrev.")
    opened = edit_page_data(draft)

    admin_saves_response_page(client, world, draft, **{"0-narrative": "Rättat i administrationen."})
    refused = staff_save(client, world, draft, opened)

    assert refused.status_code == 409
    assert STALE in refused.text
    entry.refresh_from_db()
    draft.refresh_from_db()
    assert entry.narrative == "Rättat i administrationen."
    assert draft.title == "Utkast"


def test_an_admin_page_saved_unchanged_leaves_the_staff_page_saving(client, world, draft):
    make_entry(draft, world.rec1, narrative="Som handläggaren skrev.")
    opened = edit_page_data(draft)

    admin_saves_response_page(client, world, draft)
    saved = staff_save(client, world, draft, opened)

    assert saved.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.version) == ("Handläggarens rubrik", 2)


def test_a_staff_save_is_refused_after_an_answer_was_changed_on_its_own_admin_page(
    client, world, draft
):
    entry = make_entry(draft, world.rec1, narrative="Som handläggaren skrev.")
    opened = edit_page_data(draft)
    client.force_login(world.admin)
    url = reverse("admin:responses_responseentry_change", args=[entry.pk])
    data = admin_page_data(client.get(url))
    data["narrative"] = "Rättat i administrationen."
    assert client.post(url, data).status_code == 302

    refused = staff_save(client, world, draft, opened)

    assert refused.status_code == 409
    entry.refresh_from_db()
    assert entry.narrative == "Rättat i administrationen."


def test_a_staff_save_is_refused_after_an_import_changed_the_draft(client, world, draft):
    opened = edit_page_data(draft)

    import_texts([("utkast.json", as_in_a_file(draft, title="Importerad rubrik"))])
    refused = staff_save(client, world, draft, opened)

    assert refused.status_code == 409
    assert STALE in refused.text
    draft.refresh_from_db()
    assert draft.title == "Importerad rubrik"


def test_a_staff_save_is_refused_after_an_import_changed_an_answer_of_the_draft(
    client, world, draft
):
    entry = make_entry(draft, world.rec1, narrative="Som handläggaren skrev.")
    opened = edit_page_data(draft)

    import_texts([("svar.json", as_in_a_file(entry, narrative="Importerat svar."))])
    refused = staff_save(client, world, draft, opened)

    assert refused.status_code == 409
    entry.refresh_from_db()
    assert entry.narrative == "Importerat svar."


def test_an_import_that_changes_nothing_leaves_the_version_as_it_was(world, draft):
    entry = make_entry(draft, world.rec1, narrative="Som handläggaren skrev.")

    result = import_texts(
        [("utkast.json", as_in_a_file(draft)), ("svar.json", as_in_a_file(entry))]
    )

    assert not result.changes_anything
    draft.refresh_from_db()
    assert draft.version == 1


def test_a_file_that_sets_the_version_can_neither_lower_nor_set_it(client, world, draft):
    Response.objects.filter(pk=draft.pk).update(version=5)
    draft.refresh_from_db()
    opened = edit_page_data(draft)

    import_texts([("utkast.json", as_in_a_file(draft, title="Importerad rubrik", version=1))])
    draft.refresh_from_db()
    assert draft.version == 6  # the stored one, moved on

    import_texts([("utkast.json", as_in_a_file(draft, title="Igen", version=99))])
    draft.refresh_from_db()
    assert draft.version == 7
    assert staff_save(client, world, draft, opened).status_code == 409


def test_an_import_moves_each_changed_draft_on_in_a_number_of_queries_not_growing_with_them(
    world,
):
    """One UPDATE moves every draft a file changes on: a file of answers to two drafts and
    one of answers to twelve each cost one."""

    def import_answers(n: int) -> tuple[int, list]:
        rounds = [make_round(world.audit) for _i in range(n)]
        drafts = [
            Response.objects.create(board=world.board_a, round=r, title="Utkast") for r in rounds
        ]
        entries = [make_entry(d, world.rec1, narrative="Före") for d in drafts]
        items = [json.loads(as_in_a_file(e, narrative="Efter"))[0] for e in entries]
        with CaptureQueriesContext(connection) as captured:
            import_texts([("svar.json", json.dumps(items))])
        moves = [q for q in captured if q["sql"].startswith('UPDATE "responses_response"')]
        return len(moves), drafts

    few, few_drafts = import_answers(2)
    many, many_drafts = import_answers(12)

    assert few == many == 1
    moved = Response.objects.filter(pk__in=[d.pk for d in few_drafts + many_drafts])
    assert sorted(moved.values_list("version", flat=True)) == [2] * 14


def test_a_response_an_import_creates_with_its_answers_starts_at_its_first_version(world):
    draft = Response.objects.create(board=world.board_a, round=world.round2, title="Utkast")
    entry = make_entry(draft, world.rec1, narrative="Svar.")
    items = [json.loads(as_in_a_file(obj, version=7))[0] for obj in (draft, entry)]
    items[1]["fields"].pop("version")
    pk = draft.pk
    draft.delete()

    import_texts([("nytt.json", json.dumps(items))])

    assert Response.objects.get(pk=pk).version == 1


def test_a_staff_save_is_refused_after_an_admin_deleted_an_answer_of_the_draft(
    client, world, draft
):
    entry = make_entry(draft, world.rec1, narrative="Som handläggaren skrev.")
    opened = edit_page_data(draft)
    client.force_login(world.admin)
    url = reverse("admin:responses_responseentry_delete", args=[entry.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302

    refused = staff_save(client, world, draft, opened)

    assert refused.status_code == 409
    assert not draft.entries.exists()
