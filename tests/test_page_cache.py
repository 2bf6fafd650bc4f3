"""Anonymous visitors' pages come from the shared cache (Redis, as in production) and go
stale the moment something they show changes: a publication, an assessment, a closing,
an import, an admin change. Logged-in users and pages with a form are never cached.

Runs against the real Redis on 127.0.0.1:6379, in database 8 only (flushed before and
after). Without Redis the tests are skipped with a message, except in CI (CI=true),
where they fail."""

import datetime as dt
import os

import pytest
import redis
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from auditfollowup import page_cache
from notifications import tokens
from notifications.models import Frequency, Kind, Preference, Profile
from recommendations import exports
from recommendations.roles import AUDITOR_GROUP, STAFF_GROUP
from recommendations.status import Status

from .factories import edit_page_data, make_recommendation, make_tracked_audit, make_user

REDIS_TEST_URL = os.environ.get("UF_TEST_REDIS_URL", "redis://127.0.0.1:6379/8")


@pytest.fixture
def shared_cache(settings):
    connection = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        message = f"the page-cache tests need Redis at {REDIS_TEST_URL} (apt install redis-server)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    connection.flushdb()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_TEST_URL,
        },
    }
    settings.PAGE_CACHE_ALIAS = "pages"
    settings.PAGE_CACHE_SECONDS = 300
    yield connection
    connection.flushdb()


@pytest.fixture
def tracked(db):
    return make_tracked_audit(n_recommendations=1, with_draft=True)


def page_url(tracked):
    return tracked.recommendations[0].get_absolute_url()


def test_an_anonymous_page_is_served_from_the_cache_without_queries(
    client, shared_cache, tracked, django_assert_num_queries
):
    url = page_url(tracked)
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    # The security headers are this request's, not stored ones.
    assert "Content-Security-Policy" in second
    assert shared_cache.dbsize() == 1  # the page, in Redis (no write has set a generation yet)


def test_a_head_request_is_answered_from_the_page_its_get_cached(
    client, shared_cache, tracked, django_assert_num_queries
):
    """A HEAD asks for the page a GET gets, without its body: it ran the whole view each
    time (the council report's PDF drawn anew for every HEAD), where the GET came from
    the cache. What a HEAD draws is stored as the GET's page."""
    url = page_url(tracked)
    first = client.get(url)
    with django_assert_num_queries(0):
        head = client.head(url)
    assert head.status_code == 200 and head["X-Page-Cache"] == "hit"
    assert head["Content-Type"] == first["Content-Type"]

    report = reverse("reports:council_report", args=["malmo", timezone.localdate().year])
    assert client.head(report)["X-Page-Cache"] == "miss"
    assert client.get(report)["X-Page-Cache"] == "hit"


def test_publishing_a_response_invalidates_the_cached_page_on_commit(
    client, shared_cache, tracked, django_capture_on_commit_callbacks
):
    url = page_url(tracked)
    assert "hemligt utkast" not in client.get(url).text
    assert client.get(url)["X-Page-Cache"] == "hit"
    staff = make_user(groups=[STAFF_GROUP], boards=[tracked.board])
    staff_client = client_class_for(client)
    staff_client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        published = staff_client.post(
            reverse("responses:response_publish", args=[tracked.draft.pk]),
            {
                "version": tracked.draft.version,
                "decision_date": dt.date.today().isoformat(),
                "diary_number": "ASN-2026-1",
            },
        )
    assert published.status_code == 302
    again = client.get(url)
    assert again["X-Page-Cache"] == "miss"
    assert "hemligt utkast" in again.text


def test_a_write_that_is_rolled_back_invalidates_nothing(client, shared_cache, tracked):
    url = page_url(tracked)
    client.get(url)
    before = page_cache.generation()
    recommendation = tracked.recommendations[0]
    recommendation.text = "Ändrad men aldrig sparad"
    recommendation.save()  # inside the test's transaction, which is rolled back
    assert page_cache.generation() == before
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_an_assessment_and_a_closing_invalidate_the_cached_pages(
    client, shared_cache, tracked, django_capture_on_commit_callbacks
):
    url = page_url(tracked)
    recommendation = tracked.recommendations[0]
    client.get(url)
    auditor_client = client_class_for(client)
    auditor_client.force_login(make_user(groups=[AUDITOR_GROUP]))
    with django_capture_on_commit_callbacks(execute=True):
        auditor_client.post(
            reverse("auditors:assess", args=[recommendation.pk]),
            {"round": tracked.rounds[1].pk, "status": Status.IMPLEMENTED},
        )
    assert client.get(url)["X-Page-Cache"] == "miss"
    with django_capture_on_commit_callbacks(execute=True):
        auditor_client.post(
            reverse("auditors:close", args=[recommendation.pk]),
            {"closed_on": "2024-05-02", "closed_reason": "Genomförd enligt revisionen."},
        )
    closed = client.get(url)
    assert closed["X-Page-Cache"] == "miss"
    assert "Genomförd enligt revisionen." in closed.text


def test_an_import_and_an_admin_change_invalidate_the_cached_pages(
    client, shared_cache, tracked, minimal_fixture_path, django_capture_on_commit_callbacks
):
    url = reverse("recommendations:recommendation_list")
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_fixtures", str(minimal_fixture_path), verbosity=0)
    listed = client.get(url)
    assert listed["X-Page-Cache"] == "miss"
    assert "Nämnden bör tydliggöra ansvarsfördelningen." in listed.text
    admin_client = client_class_for(client)
    admin_client.force_login(make_user(superuser=True))
    board = tracked.board
    board_url = board.get_absolute_url()
    client.get(board_url)
    assert client.get(board_url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:recommendations_board_change", args=[board.pk]),
            {
                "municipality": board.municipality_id,
                "name": "Omdöpta nämnden",
                "short_code": board.short_code,
                "kind": board.kind,
            },
        )
    board_page = client.get(board_url)
    assert board_page["X-Page-Cache"] == "miss"
    assert "Omdöpta nämnden" in board_page.text


def test_logged_in_users_are_never_served_or_stored_in_the_cache(client, shared_cache, tracked):
    url = reverse("recommendations:recommendation_list")
    client.force_login(make_user(groups=[AUDITOR_GROUP]))
    assert "X-Page-Cache" not in client.get(url)
    assert "X-Page-Cache" not in client.get(url)
    anonymous = client_class_for(client)
    assert anonymous.get(url)["X-Page-Cache"] == "miss"


def test_a_page_with_a_csrf_form_is_never_cached(client, shared_cache, db):
    client.get(reverse("login"))
    assert "X-Page-Cache" not in client.get(reverse("login"))


@pytest.mark.parametrize(
    "name",
    [
        "recommendations:recommendation_list_csv",
        "recommendations:recommendation_list_xlsx",
        "recommendations:matrix_csv",
    ],
)
def test_the_streamed_exports_are_never_stored_in_the_cache(
    client, shared_cache, tracked, name, monkeypatch
):
    # The list's CSV streams when it is longer than a chunk.
    monkeypatch.setattr(exports, "CHUNK_SIZE", 1)
    make_recommendation(tracked.audit)
    first = client.get(reverse(name))
    second = client.get(reverse(name))
    assert second.streaming  # answered by the view again, not from the cache
    assert "X-Page-Cache" not in first and "X-Page-Cache" not in second
    # A body both times (not compared: an xlsx holds the time it was written).
    assert first.getvalue() and second.getvalue()
    assert shared_cache.dbsize() == 0


def test_a_private_calendar_is_never_cached_so_a_renewed_address_stops_at_once(
    client, shared_cache, tracked
):
    staff = make_user("anna", groups=[STAFF_GROUP], boards=[tracked.board])
    old = Profile.for_user(staff).calendar_token
    address = reverse("notifications:private_board_calendar", args=[old, tracked.board.pk])
    for _ in range(2):
        answer = client.get(address)
        assert answer.status_code == 200
        assert page_cache.HEADER not in answer
    public = reverse("notifications:board_calendar", args=[tracked.board.pk])
    client.get(public)
    assert client.get(public)[page_cache.HEADER] == "hit"  # the public one is

    client.force_login(staff)
    client.post(reverse("notifications:renew_calendar_token"))
    client.logout()

    assert client.get(address).status_code == 404


def test_an_unsubscribe_link_says_what_is_true_now_not_what_the_cache_kept(
    client, shared_cache, tracked
):
    """Opened after the kind was turned off it says "already off"; once the user turns it
    back on (under Mitt konto), the same link asks again at once."""
    staff = make_user("anna", groups=[STAFF_GROUP], boards=[tracked.board])
    url = reverse(
        "notifications:unsubscribe",
        args=[tokens.unsubscribe_token(staff.pk, Kind.BOARD_REMINDER)],
    )
    client.post(url)
    off = client.get(url)
    assert off.status_code == 200
    assert page_cache.HEADER not in off
    assert "private" in off["Cache-Control"]

    Preference.objects.filter(user=staff).update(frequency=Frequency.IMMEDIATE)

    again = client.get(url)
    assert page_cache.HEADER not in again
    assert again.content != off.content
    assert Preference.frequency_for(staff, Kind.BOARD_REMINDER) == Frequency.IMMEDIATE
    assert shared_cache.dbsize() == 0


def test_the_follow_links_say_what_is_true_now_not_what_the_cache_kept(
    client, shared_cache, tracked
):
    address = "medborgare@example.se"
    recommendation = tracked.recommendations[0]
    confirm = reverse(
        "notifications:follow_confirm",
        args=[
            tokens.follow_token(
                email=address, target="recommendation", target_id=recommendation.pk, language="sv"
            )
        ],
    )
    unfollow = reverse("notifications:unfollow", args=[tokens.unfollow_token(address)])
    client.post(confirm)
    assert "Du följer redan" in client.get(confirm).text
    client.post(unfollow)
    assert "följer ingenting" in client.get(unfollow).text

    client.post(confirm)  # following again

    assert "Du följer redan" in client.get(confirm).text
    assert "följer ingenting" not in client.get(unfollow).text
    client.post(unfollow)
    asked = client.get(confirm)
    assert "Du följer redan" not in asked.text
    assert page_cache.HEADER not in asked
    assert shared_cache.dbsize() == 0


def test_a_list_csv_that_fits_in_one_chunk_is_cached_like_a_page(client, shared_cache, tracked):
    url = reverse("recommendations:recommendation_list_csv")
    first = client.get(url)
    assert not first.streaming
    assert first["X-Page-Cache"] == "miss"
    second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Disposition"] == first["Content-Disposition"]


def test_each_language_has_its_own_cached_page(client, shared_cache, tracked):
    url = page_url(tracked)
    swedish = client.get(url)
    client.get(reverse("choose_language"), {"language": "en", "next": url})
    english = client.get(url)
    assert english["X-Page-Cache"] == "miss"
    assert english.content != swedish.content
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_a_page_cached_yesterday_is_not_served_today(client, shared_cache, tracked, monkeypatch):
    """A measure whose due date was yesterday is overdue today: the page says so at once
    after midnight, not when yesterday's copy expires."""
    url = page_url(tracked)
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"


def client_class_for(client):
    """Another browser: a fresh client of the same kind."""
    return client.__class__()


def test_staff_saving_a_draft_leaves_the_cached_pages_in_place(
    client, shared_cache, tracked, django_capture_on_commit_callbacks
):
    """A draft changes nothing the public sees, so saving one does not empty the cache
    (in the load test every draft save made every page render again)."""
    url = page_url(tracked)
    client.get(url)
    staff = make_user(groups=[STAFF_GROUP], boards=[tracked.board])
    staff_client = client_class_for(client)
    staff_client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        saved = staff_client.post(
            reverse("responses:response_edit", args=[tracked.draft.pk]),
            edit_page_data(tracked.draft),
        )
    assert saved.status_code == 302
    # Nothing asked to empty the cache on commit (PostgreSQL's search-vector refresh may be
    # waiting there: it reads published answers only).
    assert page_cache._bump not in callbacks
    assert client.get(url)["X-Page-Cache"] == "hit"


def _moved_into_the_draft(row, tracked):
    row.entry = tracked.draft.entries.get()
    row.save()


@pytest.mark.parametrize("kind", ["report", "move", "admin move"])
def test_an_admin_moving_a_public_report_or_move_into_a_draft_invalidates_the_cached_pages(
    client, shared_cache, tracked, kind, django_capture_on_commit_callbacks
):
    """What it said leaves the public page with it: the page the public reads is
    rendered anew, without it."""
    from responses.models import DueDateChange, MeasureUpdate

    said = "Det här sa nämnden offentligt."
    if kind == "report":
        row = MeasureUpdate.objects.get(entry__response=tracked.responses[1])
        row.note = said
    else:
        row = DueDateChange.objects.get()
        row.reason = said
        if kind == "admin move":
            row.entry = None  # an admin's move, made in no answer: public
    row.save()
    url = page_url(tracked)
    assert said in client.get(url).text
    assert client.get(url)["X-Page-Cache"] == "hit"

    row = type(row).objects.get(pk=row.pk)
    with django_capture_on_commit_callbacks(execute=True):
        _moved_into_the_draft(row, tracked)

    again = client.get(url)
    assert again["X-Page-Cache"] == "miss"
    assert said not in again.text


@pytest.mark.parametrize("rederives", [True, False])
def test_a_migration_makes_the_cached_pages_stale(
    client, shared_cache, tracked, rederives, django_capture_on_commit_callbacks
):
    """After ``migrate`` the pages show what the migrated data and the standings derived
    again say, not the copies cached before; a data migration's plain update() sends no
    signal that would have done it."""
    from types import SimpleNamespace

    from responses.standing_signals import rederive_after_migrations

    url = reverse("municipal:home", args=["malmo"])
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"

    migration = SimpleNamespace(rederives_standings=rederives)
    with django_capture_on_commit_callbacks(execute=True):
        rederive_after_migrations(sender=None, plan=[(migration, False)], using="default")

    assert client.get(url)["X-Page-Cache"] == "miss"
