"""Every change to responses, entries, measures and assessments is shown with who, when,
and what before and after."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from recommendations.history import change_history_for_recommendation
from recommendations.status import Status

from .factories import PDF_BYTES, admin_page_data, edit_page_data


def save_twice(client, world, draft):
    """Two saves of the draft by staff A: first planned, then in progress with a moved date."""
    client.force_login(world.staff_a)
    url = reverse("responses:response_edit", args=[draft.pk])
    data = edit_page_data(
        draft,
        **{
            f"rec-{world.rec1.pk}-status": Status.PLANNED,
            f"rec-{world.rec2.pk}-status": Status.PLANNED,
        },
    )
    assert client.post(url, data).status_code == 302
    draft.refresh_from_db()
    prefix = f"measure-{world.open_measure.pk}"
    data = edit_page_data(
        draft,
        **{
            f"rec-{world.rec1.pk}-status": Status.IN_PROGRESS,
            f"rec-{world.rec1.pk}-narrative": "Arbetet har börjat.",
            f"{prefix}-due": "hösten 2026",
            f"{prefix}-due_reason": "Ny upphandling.",
        },
    )
    assert client.post(url, data).status_code == 302


def test_the_response_history_shows_who_changed_what_from_what_to_what(client, world, draft):
    save_twice(client, world, draft)
    page = client.get(reverse("responses:response_history", args=[draft.pk]))
    assert page.status_code == 200
    changes = page.context["changes"]
    entry_change = next(
        change
        for change in changes
        if change.subject == "Svar på Rekommendation 1" and change.action == "ändrad"
    )
    assert entry_change.who == "anna"
    fields = {item.label: (item.before, item.after) for item in entry_change.fields}
    assert fields["nämndens status"] == ("Planerad", "Pågående")
    assert fields["redovisning"] == ("", "Arbetet har börjat.")
    moved = next(change for change in changes if change.action == "slutdatum flyttat")
    assert moved.reason == "Ny upphandling."
    assert (moved.fields[0].before, moved.fields[0].after) == ("maj 2026", "hösten 2026")
    # A draft reports on the measure through its update; the measure itself changes
    # only when the response is published.
    update_change = next(
        change
        for change in changes
        if change.subject == "Lägesrapport för åtgärd: Ny rutin för uppföljning"
        and change.action == "ändrad"
    )
    assert ("maj 2026", "hösten 2026") in [(f.before, f.after) for f in update_change.fields]
    assert not any(
        change.subject == "Åtgärd: Ny rutin för uppföljning" and change.action == "ändrad"
        for change in changes
    )
    assert "Pågående" in page.text and "anna" in page.text


def test_an_admin_correction_after_publishing_shows_in_the_history(client, world):
    client.force_login(world.admin)
    response = world.published_a
    url = reverse("admin:responses_response_change", args=[response.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = admin_page_data(page)
    data["title"] = "Rättad rubrik"
    assert client.post(url, data).status_code == 302
    history = client.get(reverse("responses:response_history", args=[response.pk]))
    corrections = [
        (change.who, item.before, item.after)
        for change in history.context["changes"]
        for item in change.fields
        if item.label == "rubrik"
    ]
    assert ("admin", "ASN yttrande 2019", "Rättad rubrik") in corrections


def test_the_recommendation_history_shows_assessments_and_hides_other_boards_drafts(
    client, world, draft
):
    save_twice(client, world, draft)
    client.force_login(world.auditor)
    client.post(
        reverse("auditors:assess", args=[world.rec1.pk]),
        {"round": world.round1.pk, "status": Status.NOT_STARTED, "comment": "Svagt."},
    )
    page = client.get(reverse("auditors:recommendation_history", args=[world.rec1.pk]))
    subjects = {change.subject for change in page.context["changes"]}
    assert "Revisionens bedömning, omgång 1" in subjects
    assert "Svar från Arbetsmarknads- och socialnämnden, omgång 1" in subjects
    # The draft of round 2 is not visible to auditors, nor its history.
    assert "Svar från Arbetsmarknads- och socialnämnden, omgång 2" not in subjects
    staff_b = change_history_for_recommendation(world.rec1, world.staff_b)
    assert not any("omgång 2" in change.subject for change in staff_b)
    staff_a = change_history_for_recommendation(world.rec1, world.staff_a)
    assert any("omgång 2" in change.subject for change in staff_a)


def test_history_pages_are_not_for_the_public_nor_other_boards_drafts(world, draft):
    url = reverse("responses:response_history", args=[draft.pk])
    assert Client().get(url).status_code == 302  # to the login page
    other = Client()
    other.force_login(world.staff_b)
    assert other.get(url).status_code == 404


def test_history_costs_the_same_queries_however_many_changes(
    client, world, draft, django_assert_num_queries
):
    """Session, user, groups, boards, the response; then response history, entry history,
    measure-update history, measure history and due-date changes: ten."""
    save_twice(client, world, draft)
    url = reverse("responses:response_history", args=[draft.pk])
    with django_assert_num_queries(10):
        client.get(url)
    for number in range(3):
        world.open_measure.title = f"Rutin {number}"
        world.open_measure.save()
    with django_assert_num_queries(10):
        client.get(url)


def test_recommendation_history_costs_the_same_queries_however_many_changes(
    client, world, draft, django_assert_num_queries
):
    """Session, user, groups with the user's municipality, the recommendation; then its
    history, assessment history, visible responses, entry history, measure history,
    measure-update history, the responses' history (what was readable when) and due-date
    changes: twelve. (An auditor outside the staff group has no boards to look up.)"""
    client.force_login(world.auditor)
    url = reverse("auditors:recommendation_history", args=[world.rec1.pk])
    with django_assert_num_queries(12):
        client.get(url)
    save_twice(client, world, draft)
    client.force_login(world.auditor)
    client.post(
        reverse("auditors:assess", args=[world.rec1.pk]),
        {"round": world.round1.pk, "status": Status.PLANNED},
    )
    with django_assert_num_queries(12):
        client.get(url)


def test_the_recommendation_history_includes_changes_to_a_shared_measure_it_is_served_by(world):
    world.open_measure.also_serves.add(world.rec2)
    world.open_measure.title = "Gemensam rutin"
    world.open_measure.save()

    changes = change_history_for_recommendation(world.rec2, world.staff_a)

    assert "Åtgärd: Gemensam rutin" in {change.subject for change in changes}


def publish(client, world, draft):
    client.force_login(world.staff_a)
    draft.refresh_from_db()
    page = client.post(
        reverse("responses:response_publish", args=[draft.pk]),
        {"version": draft.version, "decision_date": "2026-03-18", "diary_number": "ASN-2026-1"},
    )
    assert page.status_code == 302


def changes_to_recommendation_1(user, draft):
    viewer = Client()
    viewer.force_login(user)
    page = viewer.get(reverse("responses:response_history", args=[draft.pk]))
    assert page.status_code == 200
    return [
        (change.action, [(item.before, item.after) for item in change.fields])
        for change in page.context["changes"]
        if change.subject == "Svar på Rekommendation 1"
    ]


def response_states_seen(user, draft):
    viewer = Client()
    viewer.force_login(user)
    page = viewer.get(reverse("responses:response_history", args=[draft.pk]))
    return {
        item.after
        for change in page.context["changes"]
        if change.subject == "Yttrandet"
        for item in change.fields
        if item.label == "status"
    }


def test_after_publishing_other_readers_see_only_the_versions_they_could_read_then(
    client, world, draft
):
    """The draft's first answer to recommendation 1 (planned) never reaches other boards or
    the auditors; the published answer does, and the board's own staff see both."""
    save_twice(client, world, draft)
    publish(client, world, draft)

    own = changes_to_recommendation_1(world.staff_a, draft)
    assert ("ändrad", [("Planerad", "Pågående"), ("", "Arbetet har börjat.")]) in own

    for reader in (world.staff_b, world.auditor):
        seen = changes_to_recommendation_1(reader, draft)
        assert len(seen) == 1
        action, fields = seen[0]
        assert action == "första läsbara version"
        assert ("", "Pågående") in fields and ("", "Arbetet har börjat.") in fields
        assert not any("Planerad" in (before, after) for before, after in fields)
        assert "utkast" not in response_states_seen(reader, draft)
    assert "utkast" in response_states_seen(world.staff_a, draft)


def test_a_response_history_names_an_answer_whose_recommendation_was_deleted(client, world):
    """An admin removed an answer and then its recommendation: the history still lists the
    answer's changes, named by its number, instead of failing."""
    entry = world.published_a.entries.get(recommendation=world.rec2)
    entry_id = entry.pk
    entry.delete()
    world.rec2.delete()
    client.force_login(world.admin)
    page = client.get(reverse("responses:response_history", args=[world.published_a.pk]))
    assert page.status_code == 200
    assert f"Svar på {entry_id}" in page.text


def test_a_yes_or_no_field_reads_ja_or_nej_in_the_history():
    from types import SimpleNamespace

    from auditfollowup.lib.history import _yes_no_display

    show = _yes_no_display("is_open")
    assert (show(SimpleNamespace(is_open=True)), show(SimpleNamespace(is_open=False))) == (
        "Ja",
        "Nej",
    )


def test_a_measure_reports_bookkeeping_is_left_out_of_the_history(client, world, draft):
    save_twice(client, world, draft)
    page = client.get(reverse("responses:response_history", args=[draft.pk])).text
    assert "Lägesrapport" in page or "lägesrapport" in page
    assert "visade inget slutdatum" not in page


def test_a_moment_such_as_the_publication_reads_as_local_time_to_the_minute():
    import datetime as dt
    from types import SimpleNamespace

    from auditfollowup.lib.history import _plain_display

    show = _plain_display("published_at")
    published = dt.datetime(2026, 12, 6, 11, 1, 2, 819675, tzinfo=dt.UTC)

    # Stockholm is an hour ahead of UTC in December, as the "when" column says it.
    assert show(SimpleNamespace(published_at=published)) == "2026-12-06 12:01"
    assert show(SimpleNamespace(published_at=dt.date(2026, 12, 4))) == "2026-12-04"


def test_the_when_of_a_change_is_never_broken_at_its_hyphens(client, world, draft):
    """The "when" column is narrow beside the changes: "2026-12-06 17:37" read "2026-" above
    "12-06" above "17:37". It is a date cell, kept on one line as every date cell is."""
    save_twice(client, world, draft)
    page = client.get(reverse("responses:response_history", args=[draft.pk])).text
    dates = re.findall(r'<td[^>]* class="date"[^>]*><time datetime=', page)
    assert len(dates) == page.count("<time datetime=") > 0


def test_an_attached_pdf_is_named_in_the_history_by_its_file_name_not_its_storage_path(
    client, world, draft
):
    client.force_login(world.staff_a)
    upload = reverse("responses:response_document_upload", args=[draft.pk])
    document = SimpleUploadedFile("protokoll.pdf", PDF_BYTES)
    assert client.post(upload, {"decision_document": document}).status_code == 302
    page = client.get(reverse("responses:response_history", args=[draft.pk]))
    attached = next(
        item
        for change in page.context["changes"]
        for item in change.fields
        if item.label == "beslutat dokument"
    )
    assert (attached.before, attached.after) == ("", "protokoll.pdf")


def moves_of_open_measure(changes) -> list:
    """Each change of the history that tells the open measure's due date moving from
    "maj 2026", with its action and reason."""
    return [
        (change.action, change.reason, item.before, item.after)
        for change in changes
        if "Ny rutin för uppföljning" in change.subject
        and not change.subject.startswith("Lägesrapport")
        for item in change.fields
        if item.label == "klart senast" and item.before == "maj 2026"
    ]


def test_a_due_date_moved_in_a_published_answer_appears_once_as_the_move_with_its_reason(
    client, world, draft
):
    """The measure takes the new date when the answer is published: its own version then
    read 'klart senast maj 2026 → hösten 2026' beside the move, which says the same with
    the reason. The history tells the move once, as the move, on the response's and the
    recommendation's history alike."""
    save_twice(client, world, draft)
    publish(client, world, draft)

    for changes in (
        client.get(reverse("responses:response_history", args=[draft.pk])).context["changes"],
        change_history_for_recommendation(world.rec1, world.auditor),
    ):
        assert moves_of_open_measure(changes) == [
            ("slutdatum flyttat", "Ny upphandling.", "maj 2026", "hösten 2026")
        ]


def test_a_due_date_an_admin_moves_appears_once_as_the_move_with_its_reason(client, world):
    client.force_login(world.admin)
    added = client.post(
        reverse("admin:responses_duedatechange_add"),
        {
            "measure": world.open_measure.pk,
            "previous": "maj 2026",
            "new": "2027",
            "reason": "Försenad upphandling.",
            "changed_at": "2026-02-01 10:00:00",
        },
    )
    assert added.status_code == 302, added.content.decode()[:2000]

    changes = change_history_for_recommendation(world.rec1, world.auditor)

    assert moves_of_open_measure(changes) == [
        ("slutdatum flyttat", "Försenad upphandling.", "maj 2026", "2027")
    ]
