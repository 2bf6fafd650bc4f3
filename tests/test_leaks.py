"""Nothing unpublished leaks: a leak test of the whole product.

Every text field of a draft and of a submitted response (titles, summaries, answers,
measures they announce, reports on measures, moved due dates, decision steps and
signatories) carries a unique marker. A later response of the same board is then
written in the browser's way (the staff edit page) and published. Every URL of the
product is requested as each role, and each marker must appear exactly where that role
may read it: a draft's only for its board's staff and admins, a submitted response's
also for the auditors, neither for the public nor for another board's staff.
"""

import datetime as dt
import io
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from recommendations.models import FollowUpRound, Municipality
from recommendations.status import Status
from responses.models import DecisionStep, Measure, MeasureUpdate, Response, Signatory

from .factories import build_world, edit_page_data, make_entry
from .url_walk import named_urls

pytestmark = pytest.mark.django_db

DRAFT = "läckadraft"
SUBMITTED = "läckasubmitted"

# Every GET page of the product, and which object fills its <pk>. Admin pages are left out:
# only admins reach them, and admins may read everything.
PK_KINDS = {
    "municipal:recommendation_detail": "recommendation",
    "municipal:audit_detail": "audit",
    "municipal:board_detail": "board",
    "municipal:response_detail": "response",
    # The old addresses, redirecting to the pages above.
    "recommendations:moved_recommendation": "recommendation",
    "recommendations:moved_audit": "audit",
    "recommendations:moved_board": "board",
    "recommendations:moved_response": "response",
    "auditors:assess": "recommendation",
    "auditors:close": "recommendation",
    "auditors:request_follow_up": "audit",
    "auditors:recommendation_history": "recommendation",
    "responses:response_edit": "response",
    "responses:response_preview": "response",
    "responses:response_submit": "response",
    "responses:response_publish": "response",
    "responses:response_document": "response",
    "responses:response_document_upload": "response",
    "responses:response_history": "response",
    "notifications:board_calendar": "board",
}
# Pages that take a kind of object and its pk.
TARGET_URLS = {"notifications:follow": [("recommendation", "recommendation"), ("board", "board")]}
# Pages of a round beneath its audit: (audit pk, round pk).
ROUND_URLS = {"auditors:change_follow_up"}
SLUG_KINDS = {
    "recommendations:dcat_municipality_catalog": "municipality",
    "notifications:municipality_calendar": "municipality",
}
SKIPPED_NAMESPACES = {"admin"}
# Pages (unprefixed and a municipality's) that search: requested with each marker too.
SEARCHABLE = {
    "municipal:recommendation_list",
    "municipal:recommendation_list_csv",
    "municipal:api_recommendations",
}
SKIPPED_NAMES = {"logout", "set_language", "fixture_import", "benchmark_trivial"}
# Addresses whose secret token is the credential (the token's owner reads what they may,
# whoever holds it; notifications' tests cover them).
CREDENTIAL_URLS = {
    "notifications:unsubscribe",
    "notifications:follow_confirm",
    "notifications:unfollow",
    "notifications:private_board_calendar",
    "notifications:private_municipality_calendar",
    "password_reset_confirm",
}


def every_url(objects):
    """Every named GET address, with each object of the kind its <pk> takes; searches for
    the markers on the pages that search."""
    urls = []
    for name, pattern in named_urls(skip=SKIPPED_NAMESPACES):
        if name in SKIPPED_NAMES or pattern.name in SKIPPED_NAMES or name in CREDENTIAL_URLS:
            continue
        converters = set(pattern.pattern.converters)
        if name.startswith("municipal:"):
            # A municipality's page (/<slug>/..., the slug is its include's): beneath each
            # municipality.
            assert converters <= {"pk"}, f"{name}: say how this test fills {converters}"
            for slug in objects["municipality"]:
                if "pk" in converters:
                    assert name in PK_KINDS, f"{name} takes a pk: say which object in PK_KINDS"
                    urls += [reverse(name, args=[slug, pk]) for pk in objects[PK_KINDS[name]]]
                else:
                    urls.append(reverse(name, args=[slug]))
                    if name in SEARCHABLE:
                        urls += [f"{urls[-1]}?q={marker}" for marker in (DRAFT, SUBMITTED)]
            continue
        if name in TARGET_URLS:
            urls += [
                reverse(name, args=[target, pk])
                for target, kind in TARGET_URLS[name]
                for pk in objects[kind]
            ]
            continue
        if name in ROUND_URLS:
            urls += [reverse(name, args=pair) for pair in objects["round"]]
            continue
        if converters == {"slug", "year"}:  # the council report of each municipality
            urls += [
                reverse(name, args=[slug, year])
                for slug in objects["municipality"]
                for year in (2019, timezone.localdate().year)
            ]
            continue
        assert converters <= {"pk", "slug"}, f"{name}: say how this test fills {converters}"
        if "pk" in converters:
            assert name in PK_KINDS, f"{name} takes a pk: say which object in PK_KINDS"
            urls += [reverse(name, args=[pk]) for pk in objects[PK_KINDS[name]]]
        elif "slug" in converters:
            assert name in SLUG_KINDS, f"{name} takes a slug: say which object in SLUG_KINDS"
            urls += [reverse(name, args=[slug]) for slug in objects[SLUG_KINDS[name]]]
        else:
            urls.append(reverse(name))
    searchable = [
        reverse("recommendations:recommendation_list"),
        reverse("recommendations:recommendation_list_csv"),
        reverse("recommendations:api_recommendations"),
    ]
    urls += [f"{url}?q={marker}" for url in searchable for marker in (DRAFT, SUBMITTED)]
    # The national matrix waits for a municipality: each municipality's shows its rows,
    # as of today (the latest day it takes).
    today = timezone.localdate().isoformat()
    for slug in Municipality.objects.values_list("slug", flat=True):
        urls.append(reverse("municipal:matrix", args=[slug]) + f"?per={today}")
    # The council report takes a municipality and a year: today's and a past day's.
    year = timezone.localdate().year
    for slug in Municipality.objects.values_list("slug", flat=True):
        for name in ("reports:council_report", "reports:csv", "reports:xlsx"):
            url = reverse(name, args=[slug, year])
            urls += [url, f"{url}?per={year - 1}-12-31"]
    return urls


def mark(kind, field):
    return f"{kind}-{field}"


def fill_the_draft(world, draft):
    """Staff A writes the draft as in the browser: answers, a new measure, a report on an
    existing measure with a moved due date."""
    client = Client()
    client.force_login(world.staff_a)
    rec1, rec2, measure = world.rec1.pk, world.rec2.pk, world.open_measure.pk
    data = edit_page_data(
        draft,
        title=mark(DRAFT, "title"),
        summary=mark(DRAFT, "summary"),
        addressed_to=mark(DRAFT, "addressed"),
        **{
            f"rec-{rec1}-status": Status.IN_PROGRESS,
            f"rec-{rec1}-narrative": mark(DRAFT, "narrative1"),
            f"rec-{rec2}-status": Status.IMPLEMENTED,
            f"rec-{rec2}-narrative": mark(DRAFT, "narrative2"),
            f"measure-{measure}-note": mark(DRAFT, "note"),
            f"measure-{measure}-due": "hösten 2030",
            f"measure-{measure}-due_reason": mark(DRAFT, "reason"),
            f"measure-{measure}-effect": mark(DRAFT, "effect"),
            f"new-{rec1}-TOTAL_FORMS": "1",
            f"new-{rec1}-0-title": mark(DRAFT, "newmeasure"),
            f"new-{rec1}-0-responsible": mark(DRAFT, "responsible"),
            f"new-{rec1}-0-due": "2020-01",
            f"new-{rec1}-0-status": Status.IN_PROGRESS,
        },
    )
    page = client.post(reverse("responses:response_edit", args=[draft.pk]), data)
    assert page.status_code == 302, page.context and page.context.get("error_summary")
    DecisionStep.objects.create(
        response=draft, kind="preparation", body=mark(DRAFT, "step"), date=dt.date(2026, 5, 1)
    )
    Signatory.objects.create(response=draft, name=mark(DRAFT, "signatory"), role="chair")


def make_submitted(world):
    """A submitted response of board A in a round of its own, announcing a measure."""
    round3 = FollowUpRound.objects.create(
        audit=world.audit, sequence=3, kind=FollowUpRound.Kind.STATUS_DESCRIPTION, title="Omgång 3"
    )
    submitted = Response.objects.create(
        board=world.board_a,
        round=round3,
        title=mark(SUBMITTED, "title"),
        summary=mark(SUBMITTED, "summary"),
        diary_number=mark(SUBMITTED, "diary"),
        state=Response.State.SUBMITTED,
    )
    entry = make_entry(
        submitted,
        world.rec1,
        status=Status.PARTLY_IMPLEMENTED,
        narrative=mark(SUBMITTED, "narrative"),
    )
    measure = Measure(
        recommendation=world.rec1,
        board=world.board_a,
        title=mark(SUBMITTED, "newmeasure"),
        responsible=mark(SUBMITTED, "responsible"),
        description=mark(SUBMITTED, "description"),
        status=Status.IN_PROGRESS,
        announced_in=entry,
    )
    measure.due_date = dt.date(2020, 1, 1)
    measure.save()
    MeasureUpdate.objects.create(
        measure=measure, entry=entry, status=Status.IN_PROGRESS, note=mark(SUBMITTED, "note")
    )
    Signatory.objects.create(response=submitted, name=mark(SUBMITTED, "signatory"), role="chair")
    return submitted


def publish_a_later_response(world):
    """Board A answers round 4 on the edit page (which carries over open measures) and
    publishes it: this must not make the draft's or the submitted response's measures public."""
    round4 = FollowUpRound.objects.create(
        audit=world.audit,
        sequence=4,
        kind=FollowUpRound.Kind.STATUS_DESCRIPTION,
        title="Omgång 4",
        is_open=True,
    )
    later = Response.objects.create(board=world.board_a, round=round4, title="Omgång 4 från ASN")
    client = Client()
    client.force_login(world.staff_a)
    data = edit_page_data(
        later,
        **{
            f"rec-{world.rec1.pk}-status": Status.IN_PROGRESS,
            f"rec-{world.rec2.pk}-status": Status.IN_PROGRESS,
        },
    )
    assert client.post(reverse("responses:response_edit", args=[later.pk]), data).status_code == 302
    later.refresh_from_db()
    page = client.post(
        reverse("responses:response_publish", args=[later.pk]),
        {"version": later.version, "decision_date": "2026-06-01", "diary_number": "ASN-4"},
    )
    assert page.status_code == 302
    return later


def text_of(page) -> str:
    content_type = page.headers.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        workbook = load_workbook(io.BytesIO(page.getvalue()))
        return " ".join(
            str(cell)
            for sheet in workbook
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell
        )
    body = b"".join(page.streaming_content) if page.streaming else page.content
    return body.decode("utf-8", errors="replace")


@pytest.fixture
def product():
    world = build_world()
    draft = Response.objects.create(board=world.board_a, round=world.round2, title="Utkast")
    fill_the_draft(world, draft)
    submitted = make_submitted(world)
    later = publish_a_later_response(world)
    objects = {
        "recommendation": [world.rec1.pk, world.rec2.pk, world.rec_b.pk],
        "audit": [world.audit.pk],
        "round": [(world.audit.pk, world.round1.pk), (world.audit.pk, world.round2.pk)],
        "board": [world.board_a.pk, world.board_b.pk],
        "municipality": [world.municipality.slug],
        "response": [world.published_a.pk, draft.pk, submitted.pk, later.pk],
    }
    return world, draft, submitted, objects


def seen_markers(user, urls) -> dict[str, set[str]]:
    """{marker: the URLs where this user sees it}."""
    client = Client()
    if user is not None:
        client.force_login(user)
    seen = {}
    for url in urls:
        page = client.get(url)
        assert page.status_code < 500, url
        for found in set(re.findall(rf"(?:{DRAFT}|{SUBMITTED})-[a-z0-9]+", text_of(page))):
            seen.setdefault(found, set()).add(url)
    return seen


@pytest.mark.parametrize(
    ("role", "may_read"),
    [
        ("public", set()),
        ("staff_b", set()),
        ("auditor", {SUBMITTED}),
        ("staff_a", {DRAFT, SUBMITTED}),
        ("admin", {DRAFT, SUBMITTED}),
    ],
)
def test_each_marker_appears_exactly_where_the_role_may_read_it(product, role, may_read):
    world, draft, submitted, objects = product
    user = None if role == "public" else getattr(world, role)
    seen = seen_markers(user, every_url(objects))

    leaked = {marker: urls for marker, urls in seen.items() if marker.split("-")[0] not in may_read}
    assert leaked == {}, f"{role} reads what it may not"
    own_pages = {DRAFT: draft, SUBMITTED: submitted}
    for kind in may_read:
        page = own_pages[kind].get_absolute_url()
        shown = {marker for marker, urls in seen.items() if page in urls}
        assert mark(kind, "title") in shown and mark(kind, "summary") in shown, role


def test_the_edit_page_carries_over_only_measures_the_board_may_report_on(product):
    world, _draft, _submitted, _objects = product
    later = Response.objects.get(round__sequence=4)

    reported = set(
        MeasureUpdate.objects.filter(entry__response=later).values_list("measure__title", flat=True)
    )

    assert world.open_measure.title in reported
    assert not any(title.startswith((DRAFT, SUBMITTED)) for title in reported)


def test_an_anonymous_reader_sees_no_measure_of_an_unpublished_response(product):
    assert not Measure.objects.visible_to(AnonymousUser()).filter(title__startswith=DRAFT).exists()
    assert (
        not Measure.objects.visible_to(AnonymousUser()).filter(title__startswith=SUBMITTED).exists()
    )
