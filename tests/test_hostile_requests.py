"""Hostile and malformed requests: never a server error, never half a save, never another
municipality's or board's unpublished content.

Every page of the product (the resolver walked, as tests/test_http_methods.py does) is
asked with what a careless or hostile client sends: NUL characters, numbers beyond a
bigint, negative numbers, floats, digits ``int()`` refuses ("²"), non-ASCII text, 10,000
characters, impossible days, repeated parameters; in the address, the headers and the
cookies; as the public, a board's staff, an auditor and a municipality's admin. The
filter pages are asked each of their parameters on its own, read from their FilterSets,
so a new filter is asked too. Forms are posted broken, too long, without their fields,
and with ids of another board's or municipality's objects. The answer is always a page
(a 4xx, or the page with a message), never a 500 (the client does not raise, so a 500 is
seen as one), and a refused post leaves the database as it was.

Run on SQLite and PostgreSQL: PostgreSQL refuses NUL characters and values longer than a
column, where SQLite stores them.
"""

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.test import Client
from django.urls import reverse

from notifications.models import Profile
from recommendations.filters import MatrixFilter, RecommendationFilter
from recommendations.models import AuditorAssessment
from recommendations.roles import AUDITOR_GROUP
from recommendations.status import Status
from responses.models import Response

from .factories import admin_page_data, build_world, edit_page_data, make_town, make_user
from .url_walk import named_urls

pytestmark = pytest.mark.django_db

ROLES = ["public", "staff_a", "auditor", "admin"]

HOSTILE = {
    "nul": "\x00",
    "nul_inside": "ab\x00cd",
    "beyond_bigint": "99999999999999999999",
    "below_bigint": "-99999999999999999999",
    "negative": "-1",
    "float": "1.5",
    "superscript_digit": "²",
    "non_ascii": "åäö€",
    "ten_thousand_characters": "x" * 10_000,
    "impossible_day": "2020-02-30",
    "year_zero": "0000-01-01",
    "last_day": "9999-12-31",
    "empty": "",
}

# Every parameter a page of ours reads from its query, besides the FilterSets' own.
OTHER_PARAMETERS = ["page", "per", "omgang", "since", "ar", "next", "language", "format"]
FILTER_PARAMETERS = sorted({*RecommendationFilter.base_filters, *MatrixFilter.base_filters})
EVERY_PARAMETER = sorted({*FILTER_PARAMETERS, *OTHER_PARAMETERS})

# Pages that are left out of the walks: logging out ends the session the walk uses.
NOT_WALKED = {"logout"}


# Every named URL of the product (the admin's are Django's).
PRODUCT_URLS = named_urls()


def real_arguments(world, converters) -> dict:
    """Arguments naming real objects of the world, for each converter of a pattern."""
    values = {
        "municipality": world.municipality.slug,
        "slug": world.municipality.slug,
        "year": 2020,
        "target": "recommendation",
        "token": "nyckel",
        "uidb64": "MQ",
    }
    return {key: values.get(key, world.rec1.pk) for key in converters}


def converters_of(name, pattern) -> list[str]:
    # A municipality's pages take its slug in their include's prefix (auditfollowup/urls.py).
    prefix = ["municipality"] if name.startswith("municipal:") else []
    return [*prefix, *pattern.pattern.converters]


def every_address(world) -> list[tuple[str, str]]:
    return [
        (name, reverse(name, kwargs=real_arguments(world, converters_of(name, pattern))))
        for name, pattern in PRODUCT_URLS
        if name not in NOT_WALKED
    ]


def client_as(world, role) -> Client:
    client = Client(raise_request_exception=False)
    if role != "public":
        client.force_login(getattr(world, role))
    return client


def server_errors(client, requests) -> list:
    """(what was asked, status) for every request among ``requests`` (address, query) that
    answered with a server error."""
    failed = []
    for url, query in requests:
        page = client.get(url, query)
        if page.status_code >= 500:
            failed.append((url, {key: value[:20] for key, value in query.items()}))
    return failed


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


# ---- Query parameters ---------------------------------------------------------------


# What every page is asked in every parameter at once.
WALKED = {
    key: HOSTILE[key]
    for key in (
        "nul",
        "beyond_bigint",
        "superscript_digit",
        "non_ascii",
        "ten_thousand_characters",
        "impossible_day",
        "empty",
    )
}


@pytest.mark.parametrize("value", WALKED.values(), ids=WALKED.keys())
@pytest.mark.parametrize("role", ROLES)
def test_no_page_answers_a_hostile_value_in_every_parameter_with_a_server_error(world, role, value):
    client = client_as(world, role)
    query = dict.fromkeys(EVERY_PARAMETER, value)
    assert server_errors(client, [(url, query) for _name, url in every_address(world)]) == []


def filter_pages(world):
    """The pages that read the filters, with the parameters each reads: the list and the
    matrix, national and beneath the municipality, and an export and the API of each
    FilterSet (the other exports read the same FilterSets, and are walked above)."""
    slug = world.municipality.slug
    listed = [*RecommendationFilter.base_filters, "page"]
    matrix = list(MatrixFilter.base_filters)
    return [
        (reverse("recommendations:recommendation_list"), listed),
        (reverse("municipal:recommendation_list", args=[slug]), listed),
        (reverse("recommendations:recommendation_list_csv"), listed),
        (reverse("municipal:api_recommendations", args=[slug]), listed),
        (reverse("recommendations:matrix"), matrix),
        (reverse("municipal:matrix", args=[slug]), matrix),
        (reverse("municipal:matrix_csv", args=[slug]), matrix),
        (reverse("recommendations:home"), ["ar"]),
        (reverse("auditors:attention"), ["since"]),
        (reverse("auditors:assess", args=[world.rec1.pk]), ["omgang"]),
        (reverse("reports:council_report", args=[slug, 2020]), ["per"]),
        (reverse("choose_language"), ["next", "language"]),
    ]


# What each filter is asked on its own (NUL is refused before any filter reads it).
ALONE = {
    key: HOSTILE[key]
    for key in (
        "beyond_bigint",
        "negative",
        "float",
        "superscript_digit",
        "non_ascii",
        "ten_thousand_characters",
        "impossible_day",
        "year_zero",
        "empty",
    )
}


@pytest.mark.parametrize(
    ("role", "chosen"), [("public", "nothing"), ("admin", "nothing"), ("admin", "a_board")]
)
def test_each_filter_alone_answers_every_hostile_value_without_a_server_error(world, role, chosen):
    """Each parameter on its own (with others valid, a value is read where an invalid
    neighbour would have stopped the form first), with or without a board chosen."""
    client = client_as(world, role)
    base = {"board": str(world.board_a.pk)} if chosen == "a_board" else {}
    requests = [
        (url, {**base, parameter: value})
        for url, parameters in filter_pages(world)
        for parameter in parameters
        for value in ALONE.values()
        if parameter != "board" or not base
    ]
    assert server_errors(client, requests) == []


def test_a_repeated_parameter_with_mixed_values_is_not_a_server_error(world):
    client = client_as(world, "admin")
    failed = []
    for url, parameters in filter_pages(world):
        for parameter in parameters:
            page = client.get(f"{url}?{parameter}=1&{parameter}=x&{parameter}=")
            if page.status_code >= 500:
                failed.append((url, parameter))
    assert failed == []


@pytest.mark.parametrize("name", ["recommendations:recommendation_list", "municipal:matrix"])
@pytest.mark.parametrize("parameter", ["board", "audit"])
def test_a_digit_int_cannot_read_is_an_unknown_choice_not_a_server_error(world, name, parameter):
    # "²" is a digit to str.isdigit, not to int(): the national list tried it as an id.
    args = [world.municipality.slug] if name.startswith("municipal:") else []
    page = client_as(world, "public").get(reverse(name, args=args), {parameter: "²"})
    assert page.status_code == 400
    assert "Välj ett giltigt alternativ" in page.text


def test_a_search_of_a_thousand_words_is_refused_with_a_message(world):
    # SQLite's search is a condition per word: a thousand were past its expression limit.
    words = "ord " * 1000
    client = client_as(world, "public")

    page = client.get(reverse("recommendations:recommendation_list"), {"q": words})
    assert page.status_code == 400
    assert "som mest 500 tecken" in page.text

    export = client.get(reverse("recommendations:recommendation_list_csv"), {"q": words})
    assert export.status_code == 400
    api = client.get(reverse("recommendations:api_recommendations"), {"q": words})
    assert api.status_code == 400
    assert api.json()["errors"]["q"]


# ---- The address ---------------------------------------------------------------------


STRING_PARTS = [
    (name, pattern)
    for name, pattern in PRODUCT_URLS
    if any(type(c).__name__ == "StringConverter" for c in pattern.pattern.converters.values())
]


@pytest.mark.parametrize(("name", "pattern"), STRING_PARTS, ids=[n for n, _p in STRING_PARTS])
@pytest.mark.parametrize("role", ["public", "admin"])
def test_a_nul_byte_in_a_part_of_the_address_is_refused_not_a_server_error(
    world, role, name, pattern
):
    # A private calendar's token was looked up as it came: PostgreSQL refuses NUL.
    client = client_as(world, role)
    arguments = real_arguments(world, converters_of(name, pattern))
    for key, converter in pattern.pattern.converters.items():
        if type(converter).__name__ == "StringConverter":
            url = reverse(name, kwargs={**arguments, key: "x\x00y"})
            for method in ("get", "post"):
                page = getattr(client, method)(url)
                assert page.status_code in (400, 404, 405), f"{method} {url}"


@pytest.mark.parametrize(
    "part",
    ["99999999999999999999", "-1", "²", "%C3%A5%C3%A4", "1x", "x" * 5000],
    ids=["beyond_bigint", "negative", "superscript_digit", "unicode", "trailing_junk", "long"],
)
def test_odd_ids_and_slugs_in_the_address_are_not_found_not_a_server_error(world, part):
    client = client_as(world, "admin")
    failed = []
    for _name, url in every_address(world):
        for real in {str(world.rec1.pk), world.municipality.slug}:
            if f"/{real}/" in url or f"/{real}." in url:
                odd = url.replace(f"/{real}", f"/{part}", 1)
                if client.get(odd).status_code >= 500:
                    failed.append(odd[:80])
    for url in (f"/admin/recommendations/recommendation/{part}/change/", f"/{part}/"):
        if client.get(url).status_code >= 500:
            failed.append(url[:80])
    assert failed == []


def test_a_superscript_digit_as_an_admin_object_id_is_not_found(world):
    page = client_as(world, "admin").get("/admin/recommendations/recommendation/%C2%B2/change/")
    assert page.status_code == 302  # Django's admin: to the index, saying it does not exist


# ---- The admin -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "decision_date__year=99999999999",
        "decision_date__year=9999",
        "decision_date__year=9999&decision_date__month=12",
        "decision_date__year=2020&decision_date__month=99999999999999999999",
        "decision_date__year=2020&decision_date__month=2&decision_date__day=30",
        "decision_date__year=%C2%B2",
        "decision_date__year=2020&decision_date__year=0",
    ],
)
def test_an_impossible_year_in_the_admins_date_hierarchy_is_refused_as_a_filter(world, query):
    # Django refuses what int() and datetime() refuse with a ValueError; a year of ten
    # digits overflowed, and 9999's range ends in a year 10000.
    page = client_as(world, "admin").get(f"/admin/responses/response/?{query}")
    assert page.status_code == 302
    assert page["Location"].endswith("?e=1")


def test_the_admins_date_hierarchy_still_filters_a_year(world):
    page = client_as(world, "admin").get("/admin/responses/response/?decision_date__year=2019")
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [world.published_a]


@pytest.mark.parametrize("object_id", ["1x", "%C2%B2", "1.5", "x" * 500])
@pytest.mark.parametrize(
    "model", ["recommendations/recommendation", "responses/response", "auth/user"]
)
def test_an_id_that_is_no_id_in_the_admins_history_is_not_found(world, model, object_id):
    client = client_as(world, "admin")
    assert client.get(f"/admin/{model}/{object_id}/history/").status_code == 404
    pk = world.rec1.pk
    page = client.get(f"/admin/recommendations/recommendation/{pk}/history/{object_id}/")
    assert page.status_code == 404


@pytest.mark.parametrize("board_id", [HOSTILE["beyond_bigint"], HOSTILE["below_bigint"]])
def test_an_id_beyond_the_databases_integers_in_an_admin_list_of_choices_is_unknown(
    world, board_id
):
    # A list of ids (a many-to-many field) is one query: SQLite's driver refused a number
    # it cannot store (OverflowError), where an id alone already matched nothing.
    client = client_as(world, "admin")
    url = reverse("admin:recommendations_audit_change", args=[world.audit.pk])
    data = {**admin_page_data(client.get(url)), "audited_boards": [world.board_a.pk, board_id]}
    page = client.post(url, data)
    assert page.status_code == 200
    assert "audited_boards" in page.context["adminform"].form.errors
    assert set(world.audit.audited_boards.all()) == {world.board_a, world.board_b}


# ---- Headers and cookies ---------------------------------------------------------------


HEADERS = {
    "accept_language_nul": {"HTTP_ACCEPT_LANGUAGE": "\x00"},
    "accept_language_long": {"HTTP_ACCEPT_LANGUAGE": "sv;q=x," * 2000},
    "if_modified_since_garbage": {"HTTP_IF_MODIFIED_SINCE": "Mon, 99 Foo 99999 99:99:99 GMT"},
    "if_modified_since_year_one": {"HTTP_IF_MODIFIED_SINCE": "Sat, 01 Jan 0001 00:00:00 GMT"},
    "if_none_match_garbage": {"HTTP_IF_NONE_MATCH": '"' * 5000},
    "if_match_garbage": {"HTTP_IF_MATCH": "W/"},
    "range_beyond_bigint": {"HTTP_RANGE": "bytes=99999999999999999999-"},
    "forwarded_for_garbage": {"HTTP_X_FORWARDED_FOR": "::::, x"},
    "referer_garbage": {"HTTP_REFERER": "http://[::1"},
}
COOKIES = {
    "session_nul": {"sessionid": "\x00" * 40},
    "session_long": {"sessionid": "x" * 4000},
    "session_bogus": {"sessionid": "bogusbogusbogus"},
    "session_non_ascii": {"sessionid": "å" * 40},
    "language_nul": {"django_language": "\x00"},
    "language_unknown": {"django_language": "xx-YY" * 800},
    "csrf_nul": {"csrftoken": "\x00" * 32},
    "messages_garbage": {"messages": "x" * 4000},
}
HEADER_PAGES = [
    "recommendations:home",
    "recommendations:recommendation_list",
    "recommendations:api_recommendations",
    "recommendations:response_feed",
    "login",
    "notifications:account",
    "auditors:attention",
    "responses:response_start",
    "admin:index",
]


@pytest.mark.parametrize("headers", HEADERS.values(), ids=HEADERS.keys())
@pytest.mark.parametrize("role", ["public", "staff_a"])
def test_odd_headers_are_not_a_server_error(world, role, headers):
    client = client_as(world, role)
    for name in HEADER_PAGES:
        assert client.get(reverse(name), **headers).status_code < 500, name


@pytest.mark.parametrize("cookies", COOKIES.values(), ids=COOKIES.keys())
def test_odd_cookies_are_not_a_server_error(world, cookies):
    for name in HEADER_PAGES:
        client = Client(raise_request_exception=False)
        client.cookies.load(cookies)
        for method in ("get", "post"):
            assert getattr(client, method)(reverse(name)).status_code < 500, (method, name)


def test_a_session_cookie_of_escaped_nul_characters_is_no_session_not_a_server_error(world):
    # Django's cookie parser reads a quoted value's octal escapes: this header is plain
    # ASCII, and the session key it gives is NUL characters, which PostgreSQL refused.
    client = Client(raise_request_exception=False)
    header = 'sessionid="' + "\\000" * 40 + '"'
    page = client.get(reverse("recommendations:recommendation_list"), HTTP_COOKIE=header)
    assert page.status_code == 200
    assert "Logga in" in page.text


def test_a_host_not_allowed_is_refused_with_the_400_page(world):
    # The 400 page printed the page's address from the Host header it was refusing.
    page = client_as(world, "public").get("/", HTTP_HOST="angripare.example")
    assert page.status_code == 400
    assert "Förfrågan kunde inte behandlas" in page.text
    assert "angripare.example" not in page.text


def test_a_printed_page_names_the_sites_own_address(world, settings):
    settings.SITE_URL = "https://uppfoljning.example"
    page = client_as(world, "public").get("/rekommendationer/?status=planned")
    assert "https://uppfoljning.example/rekommendationer/?status=planned" in page.text


# ---- Posted forms ----------------------------------------------------------------------


def every_row() -> dict:
    """Every row of the product's own tables (and of the users'), to compare before and
    after a refused post."""
    contents = {}
    for label in ("recommendations", "responses", "notifications", "auth"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            rows = model._base_manager.order_by("pk").values_list()
            contents[model._meta.label] = list(rows)
    return contents


POSTED_VALUES = {
    **{key: HOSTILE[key] for key in ("nul", "nul_inside", "beyond_bigint", "superscript_digit")},
    "overlong": "å" * 100_000,
    "impossible_day": "2020-02-30",
    "missing": None,
}


def posted_forms(world, draft):
    """(who, address, a valid post): every form of the product but the staff's edit page
    (tests/test_staff_form_fuzzing.py fuzzes it) and the admin's."""
    return [
        ("public", reverse("login"), {"username": "anna", "password": "fel"}),
        ("public", reverse("password_reset"), {"email": "anna@example.se"}),
        (
            "public",
            reverse("notifications:follow", args=["recommendation", world.rec1.pk]),
            {"email": "inte-en-adress"},
        ),
        ("public", reverse("set_language"), {"language": "en", "next": "/"}),
        ("staff_a", reverse("notifications:account"), {"language": "sv"}),
        (
            "staff_a",
            reverse("password_change"),
            {"old_password": "fel", "new_password1": "x", "new_password2": "x"},
        ),
        (
            "staff_a",
            reverse("responses:response_start"),
            {"board": world.board_b.pk, "round": world.round2.pk},
        ),
        (
            "staff_a",
            reverse("responses:response_publish", args=[draft.pk]),
            {"version": draft.version, "decision_date": "2020-02-30", "diary_number": "ASN-1"},
        ),
        ("staff_a", reverse("responses:response_submit", args=[draft.pk]), {"version": "x"}),
        (
            "admin",
            reverse("auditors:assess", args=[world.rec1.pk]),
            {"round": world.round1.pk, "status": "nonsense", "comment": "Bedömning"},
        ),
        (
            "admin",
            reverse("auditors:close", args=[world.rec1.pk]),
            {"closed_on": "2020-02-30", "closed_reason": "Avslutad"},
        ),
        (
            "auditor",
            reverse("auditors:request_follow_up", args=[world.audit.pk]),
            {
                "kind": "measures_taken",
                "title": "Uppföljning",
                "deadline": "2020-01-31",  # passed: refused
                "is_open": "on",
                "asks": world.board_a.pk,
                "announced_sequence": "3",
            },
        ),
    ]


@pytest.mark.parametrize("value", POSTED_VALUES.values(), ids=POSTED_VALUES.keys())
def test_a_broken_post_to_any_form_is_refused_whole_not_a_server_error(world, value):
    """Each post is one bad field away from refused (the valid posts above are each
    refused for one reason of their own), so the database must stay as it was; a failed
    login is counted (django-axes), which is what it is for."""
    draft = Response.objects.create(board=world.board_a, round=world.round2, title="Utkast")
    Profile.for_user(world.staff_a)  # made on the first visit to Mitt konto, with defaults
    for role, url, refused in posted_forms(world, draft):
        for field in refused:
            client = client_as(world, role)
            data = {**refused, field: value}
            before = every_row()
            page = client.post(url, {k: v for k, v in data.items() if v is not None})
            assert page.status_code < 500, (url, field)
            if page.status_code != 302:
                assert every_row() == before, (url, field, page.status_code)


@pytest.mark.parametrize("header", ["HTTP_USER_AGENT", "HTTP_ACCEPT"])
@pytest.mark.parametrize("url", ["login", "admin:login"])
def test_a_nul_character_in_a_header_of_a_failed_login_is_refused_not_a_server_error(
    world, url, header
):
    # django-axes records a failed login's User-Agent and Accept: PostgreSQL refused the NUL.
    client = Client(raise_request_exception=False)
    page = client.post(reverse(url), {"username": "någon", "password": "fel"}, **{header: "a\x00b"})
    assert page.status_code == 400
    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize("url", ["login", "admin:login"])
def test_a_username_longer_than_any_users_is_refused_on_the_login_form(world, url):
    # Django's login form never checks the username's length: a failed login with one of
    # 300 characters was recorded for throttling in a 255-character column (PostgreSQL: 500).
    client = Client(raise_request_exception=False)
    page = client.post(reverse(url), {"username": "å" * 300, "password": "fel"})
    assert page.status_code == 200
    assert "som mest 150 tecken" in page.text
    assert not AccessAttempt.objects.exists()


def test_staff_cannot_start_a_response_for_another_board_or_municipality(world):
    _town, board, _audit, other_round, _recommendation, _submitted = make_town(
        "Lunds kommun", "lund", "KFN", "LUNDMARK"
    )
    client = client_as(world, "staff_a")
    before = every_row()
    for board_id, round_id in [
        (world.board_b.pk, world.round2.pk),  # another board of the municipality
        (board.pk, other_round.pk),  # another municipality's board and round
        (world.board_a.pk, other_round.pk),  # its own board, another municipality's round
    ]:
        page = client.post(
            reverse("responses:response_start"), {"board": board_id, "round": round_id}
        )
        assert page.status_code == 400
        assert "Yttrandet kunde inte påbörjas" in page.text
    assert every_row() == before


def test_an_auditor_cannot_assess_in_a_round_of_another_audit(world):
    _town, _board, _audit, other_round, recommendation, _submitted = make_town(
        "Lunds kommun", "lund", "KFN", "LUNDMARK"
    )
    client = client_as(world, "admin")
    page = client.post(
        reverse("auditors:assess", args=[world.rec1.pk]),
        {"round": other_round.pk, "status": Status.PLANNED, "comment": "Fel omgång"},
    )
    assert page.status_code == 400
    elsewhere = client.post(
        reverse("auditors:assess", args=[recommendation.pk]),
        {"round": other_round.pk, "status": Status.PLANNED},
    )
    assert elsewhere.status_code == 404
    assert not AuditorAssessment.objects.exists()


def test_the_edit_page_ignores_fields_naming_another_boards_measures(world):
    """The edit page builds its forms from the draft's own recommendations and measures: a
    post naming board B's recommendation or another response's measure changes nothing of
    theirs."""
    draft = Response.objects.create(board=world.board_a, round=world.round2, title="Utkast")
    _town, _board, _audit, _round, other_rec, _submitted = make_town(
        "Lunds kommun", "lund", "KFN", "LUNDMARK"
    )
    measure = world.open_measure
    client = client_as(world, "staff_a")
    data = edit_page_data(
        draft,
        **{
            f"rec-{world.rec1.pk}-status": Status.IN_PROGRESS,
            f"rec-{world.rec_b.pk}-status": Status.IMPLEMENTED,
            f"rec-{world.rec_b.pk}-narrative": "INTRÅNG",
            f"rec-{other_rec.pk}-status": Status.IMPLEMENTED,
            f"new-{world.rec_b.pk}-TOTAL_FORMS": "1",
            f"new-{world.rec_b.pk}-INITIAL_FORMS": "0",
            f"new-{world.rec_b.pk}-0-title": "INTRÅNG",
            f"measure-{measure.pk}-rec-{world.rec_b.pk}-note": "INTRÅNG",
        },
    )
    page = client.post(reverse("responses:response_edit", args=[draft.pk]), data)
    assert page.status_code == 302
    assert set(draft.entries.values_list("recommendation_id", flat=True)) <= {
        world.rec1.pk,
        world.rec2.pk,
    }
    assert "INTRÅNG" not in str(every_row())


def test_a_round_of_another_audit_in_the_assessment_query_is_refused_showing_no_answers(world):
    other_round = make_town("Lunds kommun", "lund", "KFN", "LUNDMARK")[3]
    page = client_as(world, "admin").get(
        reverse("auditors:assess", args=[world.rec1.pk]), {"omgang": other_round.pk}
    )
    assert page.status_code == 400
    assert "LUNDMARK" not in page.text


@pytest.mark.parametrize("role", ["staff_a", "auditor", "admin"])
def test_ids_of_another_municipality_in_any_address_or_filter_show_nothing_unpublished(world, role):
    """Malmö's users, given Lund's ids wherever an address or a filter takes one (and Lund's
    slug), never read Lund's submitted response."""
    lund, board, audit, round_, recommendation, submitted = make_town(
        "Lunds kommun", "lund", "KFN", "LUNDMARK"
    )
    client = client_as(world, role)
    seen = []
    for name, pattern in PRODUCT_URLS:
        if name in NOT_WALKED:
            continue
        converters = converters_of(name, pattern)
        for pk in {recommendation.pk, submitted.pk, board.pk, audit.pk, round_.pk}:
            arguments = {**real_arguments(world, converters), "municipality": "lund"}
            arguments = {key: arguments[key] for key in converters}
            arguments.update({key: pk for key in converters if key == "pk"})
            if "slug" in arguments:
                arguments["slug"] = "lund"
            url = reverse(name, kwargs=arguments)
            query = {"board": board.pk, "audit": audit.pk, "omgang": round_.pk}
            page = client.get(url, query)
            assert page.status_code < 500, url
            if not page.streaming and "LUNDMARK" in page.content.decode(errors="replace"):
                seen.append(url)
    assert seen == []
    lund_auditor = make_user(groups=[AUDITOR_GROUP], municipality=lund)
    client.force_login(lund_auditor)
    assert "LUNDMARK" in client.get(submitted.get_absolute_url()).text  # the marker shows
