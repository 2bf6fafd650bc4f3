"""Fragments several pages show (a response's unpublished tag, a closed recommendation's
tag, a board's standing, an overdue measure's flag) come from one tag each: the pages
agree with each other and with the model's rule they ask."""

import csv as csv_module
import datetime as dt
import io
import re

import pytest
from django.template import Context
from django.urls import reverse
from django.utils import timezone, translation

from auditfollowup.lib.date_tags import fuzzy_date
from auditfollowup.lib.dates import FuzzyDate
from auditfollowup.lib.history import user_name
from recommendations.models import Recommendation
from recommendations.status import NO_STATUS_LABEL, Status
from recommendations.templatetags.board_tags import board_abbr, board_abbrs, board_link, board_links
from recommendations.templatetags.recommendation_tags import audit_name, closed_notice, closed_tag
from recommendations.templatetags.status_tags import status_badge
from reports.figures import build_report
from responses.models import BoardStanding, Response
from responses.templatetags.response_tags import (
    overdue_flag,
    overdue_tag,
    response_link,
    standing_assessment,
    standing_status,
    unpublished_tag,
)
from tests.factories import (
    make_assessment,
    make_audit,
    make_board,
    make_entry,
    make_measure,
    make_recommendation,
    make_response,
    make_source_document,
    make_tracked_audit,
)

pytestmark = pytest.mark.django_db


def has_cell(page: str, html: str) -> bool:
    """Whether ``html`` is a whole cell of a table on the page, whatever the cell's
    attributes (a table the phone shows row by row gives each its role and its column's
    name: site.css, table.stack)."""
    return re.search(rf"<td[^>]*>{re.escape(html)}</td>", page) is not None


def _tags(page: str, css_class: str) -> list[str]:
    """Each tag of that class on the page, whole (a symbol's span inside it included)."""
    inner = r"(?:<span[^>]*>[^<]*</span>)?[^<]*"
    return re.findall(rf'<span class="tag {css_class}">{inner}</span>', page)


@pytest.mark.parametrize("state", list(Response.State))
def test_a_response_is_tagged_unpublished_exactly_when_the_public_cannot_read_it(world, state):
    response = Response(board=world.board_a, round=world.round2, state=state)
    assert bool(unpublished_tag(response)) is (not response.is_public)


def test_every_page_tags_a_submitted_response_alike(client, world):
    submitted = Response.objects.create(
        board=world.board_a, round=world.round2, title="Inlämnat", state=Response.State.SUBMITTED
    )
    make_entry(submitted, world.rec1)
    client.force_login(world.auditor)
    expected = '<span class="tag tag-unpublished">inlämnat till revisionen</span>'
    pages = {
        # the timeline's axis and the answer itself
        world.rec1.get_absolute_url(): 2,
        world.audit.get_absolute_url(): 1,
        world.board_a.get_absolute_url(): 1,
    }
    for url, count in pages.items():
        page = client.get(url).content.decode()
        assert _tags(page, "tag-unpublished") == [expected] * count, url


def test_no_page_tags_a_published_response(client, world):
    for url in (
        world.rec1.get_absolute_url(),
        world.audit.get_absolute_url(),
        world.board_a.get_absolute_url(),
    ):
        assert "tag-unpublished" not in client.get(url).content.decode(), url


def test_a_recommendation_is_tagged_closed_exactly_when_it_is_closed(world):
    assert closed_tag(world.rec1) == closed_notice(world.rec1) == ""
    world.rec1.close(dt.date(2024, 3, 1), "Genomförd enligt revisionen.", world.auditor)
    assert world.rec1.is_closed
    assert "Avslutad 2024-03-01" in closed_tag(world.rec1)
    assert "avslutades 2024-03-01." in closed_notice(world.rec1)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_list_tags_a_closed_recommendation_alike(client, world, language):
    world.rec1.close(dt.date(2024, 3, 1), "Genomförd enligt revisionen.", world.auditor)
    client.get(reverse("choose_language"), {"language": language})
    with translation.override(language):
        expected = str(closed_tag(world.rec1))
    slug = world.municipality.slug
    for url in (
        reverse("municipal:recommendation_list", args=[slug]),
        world.audit.get_absolute_url(),
        world.board_a.get_absolute_url(),
        reverse("municipal:matrix", args=[slug]),
    ):
        page = client.get(url).content.decode()
        assert _tags(page, "tag-closed") == [expected], url


def test_a_closed_recommendations_pages_say_since_when_alike(client, world):
    world.rec1.close(dt.date(2024, 3, 1), "Genomförd enligt revisionen.", world.auditor)
    client.force_login(world.auditor)
    with translation.override("sv"):
        expected = str(closed_notice(world.rec1))
    for url in (world.rec1.get_absolute_url(), reverse("auditors:close", args=[world.rec1.pk])):
        page = client.get(url).content.decode()
        assert page.count(expected) == 1, url


def test_a_boards_standing_reads_alike_on_the_recommendation_and_the_board_page(client, world):
    """The auditors' assessment (with its disagreement) and the overdue tag of each
    standing, in the recommendation page's table of boards and the board page's table of
    recommendations."""
    make_assessment(world.rec1, world.round1, status=Status.IN_PROGRESS)
    make_measure(
        world.rec1, board=world.board_a, due="2020-05", announced_in=world.rec1.entries.get()
    )
    board_page = client.get(world.board_a.get_absolute_url()).content.decode()
    with translation.override("sv"):
        standings = BoardStanding.objects.filter(board=world.board_a).order_by("recommendation")
        cells = {s.recommendation: (standing_assessment(s), overdue_tag(s)) for s in standings}
    assert "tag-disagree" in cells[world.rec1][0] and "tag-overdue" in cells[world.rec1][1]
    assert "Ingen bedömning" in cells[world.rec2][0] and cells[world.rec2][1] == ""
    for recommendation, (assessment, overdue) in cells.items():
        page = client.get(recommendation.get_absolute_url()).content.decode()
        for html in (page, board_page):
            assert has_cell(html, assessment)
        assert _tags(page, "tag-overdue") == _tags(overdue, "tag-overdue")
    assert _tags(board_page, "tag-overdue") == _tags(cells[world.rec1][1], "tag-overdue")


def test_the_council_report_draws_a_status_with_the_vocabularys_badge(client):
    """Its list of the recommendations open the longest wrote a badge of its own, without
    the status's description; now the one every page draws."""
    old = make_tracked_audit(n_recommendations=1)
    untitled = make_audit(boards=["ASN"], conducted_from="2023", reference="", title="Titeln")
    make_recommendation(untitled)
    year = timezone.localdate().year
    page = client.get(reverse("reports:council_report", args=["malmo", year])).content.decode()
    first, unanswered = (
        page.split('<table class="longest-table')[1].split("<tbody")[1].split("</tr>")[:2]
    )
    with translation.override("sv"):
        assert status_badge(Status.PARTLY_IMPLEMENTED) in first
        assert "revisionens bedömning" in first and old.audit.reference in first
        # An audit without a reference is named by its title, as everywhere else.
        assert "Ej besvarad" in unanswered and "nämndens status" in unanswered
        assert has_cell(unanswered, "Titeln")


@pytest.mark.parametrize("reference", ["SR-2018-71", ""])
def test_the_pages_name_an_audit_where_space_is_short_by_its_short_name(client, world, reference):
    world.audit.reference, world.audit.title = reference, "Titeln"
    world.audit.save()
    with translation.override("sv"):
        short_name = audit_name(world.audit, short=True)
    assert short_name == (
        f'<span class="case-number">{reference}</span>' if reference else "Titeln"
    )
    link = f'<a href="{world.audit.get_absolute_url()}">{short_name}</a>'
    for url in (
        world.rec1.get_absolute_url(),
        world.published_a.get_absolute_url(),
        world.board_a.get_absolute_url(),
    ):
        assert link in client.get(url).content.decode(), url
    listed = client.get(reverse("municipal:recommendation_list", args=["malmo"]))
    assert f'<span class="muted result-audit">{short_name}</span>' in listed.content.decode()


def test_every_page_writes_an_audits_reference_whole_in_its_span_and_escaped(client, world):
    """A phone (320 px) broke "SR-2018-71" at its hyphens: every page writes an audit's
    reference through ``audit_name``, in the span site.css keeps on one line, never bare;
    the exports and the API keep the plain text."""
    world.audit.reference = "KS-2023-00123 & <i>"
    world.audit.save()
    escaped = "KS-2023-00123 &amp; &lt;i&gt;"
    in_span = f'<span class="case-number">{escaped}</span>'
    public = [
        reverse("municipal:home", args=["malmo"]),
        reverse("municipal:recommendation_list", args=["malmo"]),
        reverse("municipal:matrix", args=["malmo"]),
        world.audit.get_absolute_url(),
        world.rec1.get_absolute_url(),
        world.published_a.get_absolute_url(),
        world.board_a.get_absolute_url(),
    ]
    auditors = [
        world.audit.get_absolute_url(),
        reverse("auditors:attention"),
        reverse("auditors:assess", args=[world.rec1.pk]),
        reverse("auditors:recommendation_history", args=[world.rec1.pk]),
        reverse("auditors:request_follow_up", args=[world.audit.pk]),
    ]
    staff = [reverse("responses:response_start")]
    for user, urls in ((None, public), (world.auditor, auditors), (world.staff_a, staff)):
        if user:
            client.force_login(user)
        for url in urls:
            page = client.get(url).content.decode()
            # The <title> and a select's options are plain text, where no span may stand.
            body = re.sub(r"<option[^>]*>[^<]*</option>", "", page.split("</title>", 1)[1])
            assert in_span in body, url
            assert body.count(escaped) == body.count(in_span), url
            assert "<i>" not in body, url
    client.logout()
    csv = client.get(reverse("municipal:recommendation_list_csv", args=["malmo"])).text
    api = client.get(reverse("municipal:api_recommendations", args=["malmo"])).text
    assert "KS-2023-00123 & <i>" in csv and "case-number" not in csv
    assert "KS-2023-00123 & <i>" in api and "case-number" not in api


def test_an_overdue_measure_is_flagged_alike_on_its_recommendations_page_and_the_edit_page(
    client, world, draft
):
    world.open_measure.due = FuzzyDate.parse("2020-05")
    world.open_measure.save()
    days = world.open_measure.days_overdue(timezone.localdate())
    assert days > 0
    with translation.override("sv"):
        expected = str(overdue_flag(days, world.open_measure.due))
    assert 'sedan <time datetime="2020-05-31">2020-05-31</time>' in expected
    public = client.get(world.rec1.get_absolute_url()).content.decode()
    client.force_login(world.staff_a)
    edit = client.get(reverse("responses:response_edit", args=[draft.pk])).content.decode()
    for page in (public, edit):
        assert page.count("flag-overdue") == 1
        assert expected in page


@pytest.mark.parametrize("provenance", list(Response.Provenance))
def test_an_answer_is_said_to_be_known_by_reference_where_its_response_page_says_so(
    client, world, provenance
):
    response = world.published_a
    response.provenance = provenance
    response.reference_note = "Nämnt i ett senare yttrande."
    if provenance == Response.Provenance.DOCUMENT:
        response.source_document = make_source_document()
    response.save()
    on_timeline = (
        "känt genom hänvisning" in client.get(world.rec1.get_absolute_url()).content.decode()
    )
    on_its_page = (
        "Känt endast genom hänvisning i" in client.get(response.get_absolute_url()).content.decode()
    )
    assert on_timeline is on_its_page is response.is_known_by_reference


def test_a_boards_own_status_reads_alike_on_every_page_that_shows_it(client, world):
    """Answered (with its round and day), owed, and left to another board: the
    recommendation page's table of boards, the board page (which lists what the board
    answers) and the list filtered by the board (without the round and day) show each
    standing alike."""
    left = make_recommendation(
        world.audit, position=4, addressed_to=[world.board_a], answered_by=[world.board_b]
    )
    owed = make_recommendation(world.audit, position=5, addressed_to=[world.board_a])
    board_page = client.get(world.board_a.get_absolute_url()).content.decode()
    listed = client.get(
        reverse("municipal:recommendation_list", args=["malmo"]), {"board": world.board_a.pk}
    ).content.decode()
    standings = BoardStanding.objects.filter(board=world.board_a).select_related("round")
    with translation.override("sv"):
        shown = {
            s.recommendation_id: (standing_status(s), standing_status(s, False)) for s in standings
        }
    assert "omgång 1" in shown[world.rec1.pk][0] and "omgång" not in shown[world.rec1.pk][1]
    assert "Har inte svarat än" in shown[owed.pk][0] and "status-none" in shown[owed.pk][0]
    assert "Besvaras av en annan nämnd" in shown[left.pk][0]
    for pk, (full, short) in shown.items():
        recommendation_page = client.get(Recommendation.objects.get(pk=pk).get_absolute_url())
        assert has_cell(recommendation_page.content.decode(), full)
        # The board page lists what the board answers (``counting_for_recommendation``).
        assert has_cell(board_page, full) is (pk != left.pk)
        assert f"{short}</span>" in listed


def test_a_board_is_linked_and_abbreviated_alike_on_every_page(client, world):
    link, abbr = board_link(world.board_a), board_abbr(world.board_a)
    assert board_links([world.board_a, world.board_b]) == f"{link}, {board_link(world.board_b)}"
    assert board_abbrs([world.board_a, world.board_b]) == f"{abbr}, {board_abbr(world.board_b)}"
    pages = {
        # among the audited boards; addressed two of its recommendations
        world.audit.get_absolute_url(): (1, 2),
        # addressed to, answered by, its table of boards
        world.rec1.get_absolute_url(): (3, None),
        # the answering board
        world.published_a.get_absolute_url(): (1, None),
        reverse("municipal:recommendation_list", args=["malmo"]): (None, 2),
    }
    for url, (links, abbrs) in pages.items():
        page = client.get(url).content.decode()
        if links is not None:
            assert page.count(str(link)) == links, url
        if abbrs is not None:
            assert page.count(str(abbr)) == abbrs, url
    assert "<dd>–</dd>" not in client.get(world.rec1.get_absolute_url()).content.decode()


def test_the_staff_open_each_response_where_its_edit_page_would_send_them(client, world, draft):
    """The start page links a draft to its edit page and a published response to its
    preview; asked to edit the published one, the edit page sends them to the same
    place (``Response.get_writer_url``, the one rule)."""
    client.force_login(world.staff_a)
    start = client.get(reverse("responses:response_start")).content.decode()
    for response, page in ((draft, "response_edit"), (world.published_a, "response_preview")):
        url = reverse(f"responses:{page}", args=[response.pk])
        assert response.get_writer_url() == url
        assert f'<a href="{url}">{response.title}</a>' in start
    refused = client.get(reverse("responses:response_edit", args=[world.published_a.pk]))
    assert refused.url == world.published_a.get_writer_url()


@pytest.mark.parametrize("state", [Response.State.DRAFT, Response.State.SUBMITTED])
def test_the_publish_page_offers_the_way_back_to_editing_exactly_when_it_may_be_edited(
    client, world, draft, state
):
    for recommendation in (world.rec1, world.rec2):
        make_entry(draft, recommendation)
    draft.state = state
    draft.save()
    client.force_login(world.staff_a)
    page = client.get(reverse("responses:response_publish", args=[draft.pk])).content.decode()
    assert "Publicera yttrandet</button>" in page
    back = f'<a href="{reverse("responses:response_edit", args=[draft.pk])}">'
    assert (back in page) is draft.is_editable_by(world.staff_a) is (state == Response.State.DRAFT)


@pytest.mark.parametrize("full_name", [("", ""), ("Rut", "Revisor")])
def test_a_person_is_named_alike_in_the_header_and_on_the_auditors_pages(client, world, full_name):
    """By their full name, else their username, as the change history names them."""
    auditor = world.auditor
    auditor.first_name, auditor.last_name = full_name
    auditor.save()
    world.rec1.close(dt.date(2024, 3, 1), "Genomförd.", auditor)
    assessment = make_assessment(world.rec1, world.round1)
    assessment.assessed_by = auditor
    assessment.save()
    name = user_name(auditor)
    assert name == ("Rut Revisor" if full_name[0] else "revisor")
    client.force_login(auditor)
    close = client.get(reverse("auditors:close", args=[world.rec1.pk])).content.decode()
    assess = client.get(reverse("auditors:assess", args=[world.rec1.pk])).content.decode()
    assert f"Inloggad som {name}" in close and f"Avslutad av {name}." in close
    assert f"2020-12-01, {name}</td>" in assess


def test_a_date_known_to_the_month_reads_alike_on_the_timeline_and_the_response_page(client, world):
    """As the document says it, marked as a time, with how exactly it is known."""
    response = make_response(
        board=world.board_a, round=world.round2, decision_date=None, document="2020-05"
    )
    make_entry(response, world.rec1)
    with translation.override("sv"):
        shown = str(fuzzy_date(response.date))
    assert shown == (
        '<time datetime="2020-05-01">maj 2020</time> '
        '<span class="muted">(månaden är känd, inte dagen)</span>'
    )
    assert fuzzy_date(None) == ""
    for url in (world.rec1.get_absolute_url(), response.get_absolute_url()):
        assert shown in client.get(url).content.decode(), url


@pytest.mark.parametrize("language", ["sv", "en"])
def test_no_status_reads_alike_in_the_badge_and_the_exports(client, world, language):
    """A recommendation no board has answered (``rec_b``): the word the badge and the
    CSV's cell give it is the vocabulary's one (``NO_STATUS_LABEL``)."""
    client.get(reverse("choose_language"), {"language": language})
    with translation.override(language):
        word = str(NO_STATUS_LABEL)
        assert f"</span> {word}</span>" in status_badge("")
    listed = client.get(reverse("municipal:recommendation_list", args=["malmo"]))
    assert f"</span> {word}</span>" in listed.content.decode()
    csv = client.get(reverse("municipal:recommendation_list_csv", args=["malmo"]))
    assert word in b"".join(csv.streaming_content if csv.streaming else [csv.content]).decode()


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("label", ["", "Beslutspunkt 3"])
def test_the_council_report_names_a_recommendation_as_every_page_does(language, label):
    world = make_tracked_audit(n_recommendations=1)
    recommendation = world.recommendations[0]
    recommendation.label = label
    recommendation.save()
    with translation.override(language):
        report = build_report(recommendation.audit.municipality, timezone.localdate().year)
        assert [item.label for item in report.longest_open] == [recommendation.display_name]


def test_a_responses_title_is_linked_alike_on_every_page_that_lists_it(client, world):
    """With its *tolkning* marker where the title is an inference."""
    response = world.published_a
    response.title_inference = "Titeln saknas i dokumentet."
    response.save()
    with translation.override("sv"):
        link = str(response_link(Context(), response))
    assert "Titeln saknas i dokumentet." in link and response.get_absolute_url() in link
    for url in (
        world.rec1.get_absolute_url(),
        reverse("municipal:home", args=["malmo"]),
        world.audit.get_absolute_url(),
        world.board_a.get_absolute_url(),
    ):
        assert link in client.get(url).content.decode(), url


def test_a_responses_diary_number_is_written_whole_in_its_span_and_escaped(client, world):
    world.published_a.diary_number = "ASN-2020-00456 & <i>"
    world.published_a.save()
    in_span = '<span class="case-number">ASN-2020-00456 &amp; &lt;i&gt;</span>'
    for url in (
        world.published_a.get_absolute_url(),
        world.board_a.get_absolute_url(),
        world.rec1.get_absolute_url(),
    ):
        body = client.get(url).content.decode().split("</title>", 1)[1]
        assert in_span in body, url
        assert body.count("ASN-2020-00456") == body.count(in_span), url


def test_a_recommendations_boards_are_listed_in_one_order_everywhere(client):
    """The recommendation page's table of boards, the API's standings, the list export's
    "each board's status" and the matrix's lines all list a recommendation's boards in
    ``BoardStandingQuerySet.in_display_order``: by name, and two boards of one name by
    id, never in one order on the page and another in its export."""
    first = make_board(short_code="ZZ", name="Nämnden")
    second = make_board(short_code="AA", name="Nämnden")
    third = make_board(short_code="MM", name="Kulturnämnden")
    audit = make_audit(boards=[first, second, third])
    recommendation = make_recommendation(audit)
    in_order = [third, first, second]  # Kulturnämnden, then the two of one name by id
    codes = [board.short_code for board in in_order]

    page = client.get(recommendation.get_absolute_url()).content.decode()
    table = page[page.index('id="standings-heading"') :]
    positions = [table.index(f'href="{board.get_absolute_url()}"') for board in in_order]
    assert positions == sorted(positions)

    api = client.get(reverse("municipal:api_recommendations", args=["malmo"])).json()
    (listed,) = api["results"]
    assert [s["board"]["short_code"] for s in listed["standings"]] == codes

    csv = client.get(reverse("municipal:recommendation_list_csv", args=["malmo"]))
    body = b"".join(csv.streaming_content if csv.streaming else [csv.content]).decode()
    assert "MM: Har inte svarat än; ZZ: Har inte svarat än; AA: Har inte svarat än" in body

    matrix = client.get(reverse("municipal:matrix_csv", args=["malmo"]))
    rows = b"".join(matrix.streaming_content if matrix.streaming else [matrix.content]).decode()
    header, *lines = csv_module.reader(io.StringIO(rows), delimiter=";")
    assert [line[header.index("Nämnd")] for line in lines] == codes
