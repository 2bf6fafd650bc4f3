"""Every page, export and feed says the same of a recommendation after every kind of write.

``tests/test_derived_data_stays_in_step.py`` proves the stored standings, statuses and
counts equal a fresh derivation after random writes made through the services. This
module makes the writes as the users make them (the staff's pages, the auditors' pages,
the admin's change forms, the management commands, a day passing) and then reads every
surface that shows a status, a count or an overdue measure, checking that each says
what the stored standing says:

* the recommendation page (its own status, "n av m nämnder har svarat", each board's
  status and overdue tag, its measures' overdue flags);
* the list, filtered by each status, by a board and each status, and by overdue measures,
  and its CSV export;
* the JSON API (the recommendation's status and counts, each board's standing, its
  measures' overdue flags);
* the board page (the board's own status, its overdue tag and its overdue measures);
* the municipality's start page (counts per audit and per board, the recommendations
  counted) and the national page's row of the municipality;
* *Att granska* and the auditors' digest (disagreements and overdue measures);
* the calendars, public or the viewer's private ones: their measures due are the open
  ones (``MeasureQuerySet.open``), a proposal only marked as one;
* the council report as of today, from the stored standings, against the same report
  derived afresh as of today (``standings_as_of``).

The pages are read as an anonymous visitor, or as a logged-in ``viewer`` (an auditor
reads handed-in answers, a board's staff its own drafts): a measure in an answer not yet
published is shown to them, marked as a proposal, but is open and overdue for nobody (the
stored standings count only public measures), so every reader is checked against the same
open and overdue measures (``overdue_by_the_standings``, ``open_by_the_standings``).
"""

import csv
import datetime as dt
import io
import re
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from openpyxl import load_workbook

from auditfollowup.lib.dates import FuzzyDate
from notifications.models import Frequency, Kind, Notification, Profile
from notifications.outbox import DIGEST_LIMIT, _attention_context
from recommendations import roles
from recommendations.models import Audit, AuditorAssessment, Municipality, Recommendation
from recommendations.status import Status
from reports.figures import build_report
from responses.models import (
    BoardStanding,
    Measure,
    MeasureUpdate,
    Response,
    ResponseEntry,
    counts_for_recommendation,
)
from responses.standings import known_measures

from .factories import (
    admin_page_data,
    edit_page_data,
    make_recommendation,
    make_user,
)
from .test_derived_data_stays_in_step import (
    assert_measures_follow_their_latest_report_and_move,
    assert_standings_count_the_open_measures,
    assert_standings_equal_a_rebuild,
)

pytestmark = pytest.mark.django_db

STATUS_BY_CLASS = {status.css_class: status.value for status in Status}


def shown_status(html: str) -> str:
    """The status value of the first badge in ``html``; "" for "no answer"."""
    found = re.search(r'class="status (status-[a-z-]+)"', html)
    assert found, f"no status badge in {html[:300]!r}"
    return STATUS_BY_CLASS.get(found.group(1), "")


def table_row(page: str, href: str) -> str:
    """The ``<tr>`` of a table on ``page`` that links to ``href``."""
    for row in re.findall(r"<tr role=\"row\">(.*?)</tr>", page, re.S):
        if f'href="{href}"' in row:
            return row
    raise AssertionError(f"no row linking to {href}")


def cell(row: str, label: str) -> str:
    found = re.search(rf'data-label="{label}">(.*?)</td>', row, re.S)
    assert found, f"no cell {label} in {row[:300]!r}"
    return found.group(1)


def counts(standing) -> bool:
    """Whether the standing counts among its recommendation's boards (the board page and
    the start page's rows per board show only those)."""
    return counts_for_recommendation(standing.must_answer, standing.status)


def status_table_row(page: str, href: str) -> list[int]:
    """The numbers in the start page's status table row that links to ``href`` (a dash
    for none)."""
    found = re.search(rf'<tr><th scope="row"><a href="{re.escape(href)}">.*?</tr>', page, re.S)
    assert found, f"no status table row linking to {href}"
    cells = re.findall(r'<td class="num">(?:<strong>)?([^<]*)', found.group(0))
    return [0 if value == "–" else int(value.replace("\xa0", "")) for value in cells]


def answered_in_the_order_of_their_rounds(standing) -> bool:
    """Whether the board's published answers to the recommendation are dated in the order
    of their rounds: then the matrix's last year with an answer shows its latest round's,
    the standing's status. (A round renumbered after its answer was dated may put a later
    round's answer in an earlier year.)"""
    entries = ResponseEntry.objects.published().filter(
        recommendation_id=standing.recommendation_id, response__board_id=standing.board_id
    )
    dates = [
        entry.response.date.start
        for entry in entries.select_related("response__round").order_by("response__round__sequence")
    ]
    return dates == sorted(dates)


class Surfaces:
    """What each surface shows, read as an anonymous visitor or as ``viewer`` (and *Att
    granska* and the digest as an auditor of the municipality)."""

    def __init__(self, municipality, auditor, viewer=None):
        self.municipality = municipality
        self.viewer = viewer
        self.reader = Client()
        if viewer is not None:
            self.reader.force_login(viewer)
        self.auditor_user = auditor
        self.auditor = Client()
        self.auditor.force_login(auditor)
        self.today = timezone.localdate()

    def overdue_by_the_standings(self, recommendations) -> dict[int, object]:
        """{pk: measure} of the measures serving ``recommendations`` that are overdue
        today as the stored standings derive it (``known_measures``: public measures
        only), for every reader alike."""
        overdue = {
            known.pk
            for known in known_measures([rec.pk for rec in recommendations])
            if known.is_overdue(self.today)
        }
        return Measure.objects.in_bulk(overdue)

    def open_by_the_standings(self, recommendations) -> set[int]:
        """The pks of the measures serving ``recommendations`` that are open today as the
        stored standings derive them (public, followed up), for every reader alike."""
        return {
            known.pk
            for known in known_measures([rec.pk for rec in recommendations])
            if known.is_followed_up
        }

    def url(self, name, *args):
        return reverse(f"municipal:{name}", args=[self.municipality.slug, *args])

    def calendar_measures(self, board=None) -> tuple[set[int], set[int]]:
        """(measures due in the reader's calendar of ``board``, else of the municipality;
        those marked as proposals): the public calendar for an anonymous reader, the
        private one for a logged-in viewer."""
        if self.viewer is None:
            name, args = "notifications:municipality_calendar", [self.municipality.slug]
            if board is not None:
                name, args = "notifications:board_calendar", [board.pk]
        else:
            token = Profile.for_user(self.viewer).calendar_token
            name = "notifications:private_municipality_calendar"
            args = [token, self.municipality.slug]
            if board is not None:
                name, args = "notifications:private_board_calendar", [token, board.pk]
        answer = self.reader.get(reverse(name, args=args))
        assert answer.status_code == 200
        due, proposals = set(), set()
        for event in Calendar.from_ical(answer.content).walk("VEVENT"):
            found = re.match(r"measure-(\d+)-due@", str(event["uid"]))
            if not found:
                continue
            proposal = str(event.get("status", "")) == "TENTATIVE"
            assert proposal == str(event["summary"]).startswith("Förslag, klar senast: ")
            (proposals if proposal else due).add(int(found.group(1)))
        return due, proposals

    def listed(self, **query) -> set[int]:
        """The recommendations the list shows for ``query``, on all its pages."""
        found, number = set(), 1
        while True:
            page = self.reader.get(self.url("recommendation_list"), {**query, "page": number})
            assert page.status_code in (200, 404), page.content[:500]
            ids = {int(pk) for pk in re.findall(r'/rekommendationer/(\d+)/"', page.text)}
            if page.status_code == 404 or not ids or ids <= found:
                return found
            found |= ids
            if page.context["page"].has_next():
                number += 1
            else:
                return found

    def api(self) -> dict:
        """Every recommendation the API gives, on all its pages, by id."""
        shown, url = {}, self.url("api_recommendations")
        while url:
            answer = self.reader.get(url)
            assert answer.status_code == 200
            data = answer.json()
            shown.update((rec["id"], rec) for rec in data["results"])
            url = data["next"]
        return shown

    def check(self) -> None:
        """Every surface says what the stored standings say, and those equal a rebuild."""
        assert_standings_equal_a_rebuild()
        assert_measures_follow_their_latest_report_and_move()
        assert_standings_count_the_open_measures()
        recommendations = list(
            Recommendation.objects.filter(audit__municipality=self.municipality)
            .select_related("audit__municipality")
            .order_by("pk")
        )
        standings = list(
            BoardStanding.objects.filter(recommendation__in=recommendations).select_related(
                "board__municipality", "recommendation__audit__municipality"
            )
        )
        api = self.api()
        public_ids = {known.pk for known in known_measures([rec.pk for rec in recommendations])}
        open_ids = self.open_by_the_standings(recommendations)
        overdue = self.overdue_by_the_standings(recommendations)
        by_status = {status.value: self.listed(status=status.value) for status in Status}
        overdue_listed = self.listed(overdue="true")
        for rec in recommendations:
            self.check_recommendation(rec, [s for s in standings if s.recommendation_id == rec.pk])
            shown = api[rec.pk]
            assert (shown["current_status"] or {}).get("value", "") == rec.current_status
            assert (shown["boards_answered"], shown["boards_required"]) == (
                rec.boards_answered,
                rec.boards_required,
            )
            assert {s for s, listed in by_status.items() if rec.pk in listed} == (
                {rec.current_status} if rec.current_status else set()
            ), f"the list's status filter and {rec} disagree"
            standings_of = [s for s in standings if s.recommendation_id == rec.pk]
            assert (rec.pk in overdue_listed) == any(
                s.has_overdue_measures(self.today) for s in standings_of
            )
            api_standings = {s["board"]["short_code"]: s for s in shown["standings"]}
            for standing in standings_of:
                code = standing.board.short_code
                assert (api_standings[code]["status"] or {}).get("value", "") == standing.status
                assert api_standings[code]["overdue"] == standing.has_overdue_measures(self.today)
                assert api_standings[code]["open_measures"] == standing.open_measures
                assert (api_standings[code]["next_due"] is None) == (standing.next_due is None)
                # Each board's measures in the API: overdue where its standing says so.
                measures = [m for m in shown["measures"] if m["board"] == code]
                assert any(m["overdue"] for m in measures) == standing.has_overdue_measures(
                    self.today
                ), f"{rec}: {code}'s measures and its standing disagree on overdue"
                # A logged-in reader also sees measures of answers not yet published,
                # each marked a proposal, never overdue; the standing counts the others
                # not settled, while the recommendation is open (closed, none is open).
                assert {m["id"] for m in measures if m["proposal"]}.isdisjoint(public_ids)
                assert not any(m["overdue"] for m in measures if m["proposal"])
                unsettled = sum(
                    1
                    for m in measures
                    if not m["proposal"] and not Status(m["status"]["value"]).is_settled
                )
                assert (0 if rec.is_closed else unsettled) == standing.open_measures
            assert {m["id"] for m in shown["measures"] if not m["proposal"]} <= public_ids
        self.check_list_per_board(standings)
        self.check_calendars(recommendations, standings, open_ids, public_ids)
        self.check_board_pages(standings, overdue)
        self.check_csv(recommendations, standings)
        self.check_start_pages(recommendations, standings, overdue)
        self.check_attention(standings, overdue)
        self.check_staff_start_page(overdue)
        self.check_council_report()

    def check_recommendation(self, rec, standings) -> None:
        page = self.reader.get(rec.get_absolute_url()).text
        current = re.search(r"<dt>Aktuell status</dt><dd>(.*?)</dd>", page, re.S).group(1)
        assert shown_status(current) == rec.current_status, f"{rec}'s page"
        if rec.boards_required > 1:
            assert f"{rec.boards_answered} av {rec.boards_required} nämnd" in current, (
                f"{rec}'s page counts its boards otherwise"
            )
        for standing in standings:
            row = table_row(page, standing.board.get_absolute_url())
            own = cell(row, "Nämndens status")
            if standing.status or standing.must_answer:  # else a word, no badge
                assert shown_status(own) == standing.status, f"{standing} on {rec}'s page"
            assert ("tag-overdue" in row) == standing.has_overdue_measures(self.today)
            # Its open measures, and when the next one is due, as the standing says.
            opened = cell(row, "Öppna åtgärder")
            assert opened.startswith(str(standing.open_measures)), f"{standing}'s open measures"
            assert ("nästa klar senast" in opened) == (standing.next_due is not None)
        # The measures table flags a board's measures overdue where its standing says so,
        # and the notice above the answers counts the flagged ones.
        flagged = re.findall(r'<tr role="row" class="row-overdue">(.*?)</tr>', page, re.S)
        flagged_boards = {re.sub(r"<[^>]+>", "", cell(row, "Nämnd")) for row in flagged}
        for standing in standings:
            assert (standing.board.short_code in flagged_boards) == standing.has_overdue_measures(
                self.today
            ), f"{rec}'s measures table and {standing} disagree on overdue"
        notice = re.search(r"(\d+) åtgärd(?:er)? är försenad", page)
        assert (int(notice.group(1)) if notice else 0) == len(flagged), f"{rec}'s notice"
        # The measures table marks a proposal of an answer not yet published as one; on
        # an open recommendation each board's other measures not settled are its open
        # measures, as many as its standing counts.
        table = page.split('id="atgarder"', 1)[-1].split("</table>", 1)[0]
        rows = [
            row
            for row in re.findall(r'<tr role="row"[^>]*>(.*?)</tr>', table, re.S)
            if 'data-label="Nämnd"' in row
        ]
        for standing in standings:
            if rec.is_closed:
                continue
            of_board = [
                row
                for row in rows
                if re.sub(r"<[^>]+>", "", cell(row, "Nämnd")) == (standing.board.short_code)
            ]
            open_rows = [
                row
                for row in of_board
                if "I ett svar som inte är publicerat än" not in row
                and not Status(shown_status(cell(row, "Status"))).is_settled
            ]
            assert len(open_rows) == standing.open_measures, f"{standing}'s open measures"
            assert not any(
                "row-overdue" in row for row in of_board if "inte är publicerat än" in row
            )

    def check_calendars(self, recommendations, standings, open_ids, public_ids) -> None:
        """The measures due in the calendars are the open ones with a due date, for every
        reader; a logged-in reader's proposals are only marked as such."""
        dated = set(
            Measure.objects.filter(pk__in=open_ids, due_date__isnull=False).values_list(
                "pk", flat=True
            )
        )
        due, proposals = self.calendar_measures()
        assert due == dated, "the municipality's calendar and the open measures disagree"
        assert proposals.isdisjoint(public_ids)
        for board in {s.board for s in standings}:
            due, proposals = self.calendar_measures(board)
            assert due == {pk for pk in dated if Measure.objects.get(pk=pk).board_id == board.pk}
            assert proposals.isdisjoint(public_ids)

    def check_list_per_board(self, standings) -> None:
        for board in {s.board for s in standings}:
            of_board = [s for s in standings if s.board_id == board.pk]
            for status in Status:
                assert self.listed(board=board.pk, status=status.value) == {
                    s.recommendation_id for s in of_board if s.status == status.value
                }, f"the list filtered by {board.short_code} and {status}"
            assert self.listed(board=board.pk, overdue="true") == {
                s.recommendation_id for s in of_board if s.has_overdue_measures(self.today)
            }

    def check_board_pages(self, standings, overdue) -> None:
        for board in {s.board for s in standings}:
            page = self.reader.get(board.get_absolute_url()).text
            for standing in standings:
                if standing.board_id != board.pk or not counts(standing):
                    continue
                row = table_row(page, standing.recommendation.get_absolute_url())
                if standing.status:
                    assert shown_status(cell(row, "Nämndens status")) == standing.status
                assert ("tag-overdue" in row) == standing.has_overdue_measures(self.today)
                next_due = cell(row, "Nästa åtgärd klar senast")
                assert ("<time" in next_due) == (standing.next_due is not None), (
                    f"{board}'s page and {standing} disagree on the next due date"
                )
            listed = re.search(r'id="overdue-heading".*?<ul>(.*?)</ul>', page, re.S).group(1)
            assert set(re.findall(r'#atgarder">(.*?)</a>', listed)) == {
                m.title for m in overdue.values() if m.board_id == board.pk
            }, f"{board}'s page lists other overdue measures"

    def check_csv(self, recommendations, standings) -> None:
        """The list's CSV: each recommendation's status, "answered of required" and each
        board's status; the xlsx's measures sheet: each board's measures overdue where its
        standing says so; the matrix's CSV: each board's line ends on its latest answer."""
        answer = self.reader.get(self.url("recommendation_list_csv"))
        rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig")), delimiter=";"))
        header, rows = rows[0], {int(row[0]): row for row in rows[1:]}
        status_at = header.index("Aktuell status")
        answered_at = header.index("Nämnder som har svarat")
        each_at = header.index("Varje nämnds status")
        labels = {status.value: str(status.label) for status in Status}
        for rec in recommendations:
            row = rows[rec.pk]
            assert row[status_at] == labels.get(rec.current_status, "Inget publicerat svar")
            assert row[answered_at] == f"{rec.boards_answered}/{rec.boards_required}"
            for standing in standings:
                if standing.recommendation_id == rec.pk and standing.status:
                    code = standing.board.short_code
                    assert f"{code}: {labels[standing.status]}" in row[each_at]
        workbook = load_workbook(
            io.BytesIO(self.reader.get(self.url("recommendation_list_xlsx")).getvalue())
        )
        sheet = [list(r) for r in workbook.worksheets[1].iter_rows(values_only=True)]
        header, measure_rows = sheet[0], sheet[1:]
        rec_at, board_at = header.index("Rekommendationens id"), header.index("Nämnd")
        overdue_at, proposal_at = header.index("Försenad"), header.index("Förslag")
        # A proposal (a measure of an answer not yet published) is marked, never overdue.
        assert not any(r[overdue_at] == "Ja" for r in measure_rows if r[proposal_at] == "Ja")
        for standing in standings:
            of_board = [
                r
                for r in measure_rows
                if int(r[rec_at]) == standing.recommendation_id
                and r[board_at] == standing.board.short_code
            ]
            assert any(r[overdue_at] == "Ja" for r in of_board) == standing.has_overdue_measures(
                self.today
            ), f"the xlsx's measures and {standing} disagree on overdue"
        matrix = self.reader.get(self.url("matrix_csv"))
        text = b"".join(matrix.streaming_content).decode("utf-8-sig")
        lines = list(csv.reader(io.StringIO(text), delimiter=";"))
        header = lines[0]
        names = [header.index(name) for name in ("Kommun", "Granskning", "Beteckning", "Lydelse")]
        board_at, first_year_at = header.index("Nämnd"), header.index("2019")
        for line in lines[1:]:
            (rec,) = [
                r
                for r in recommendations
                if (r.audit.municipality.name, r.audit.short_name, r.display_name, r.text)
                == tuple(line[at] for at in names)
            ]
            (standing,) = [
                s
                for s in standings
                if s.recommendation_id == rec.pk and s.board.short_code == line[board_at]
            ]
            if not answered_in_the_order_of_their_rounds(standing):
                continue  # the matrix is a time axis: its last year is not the last round
            cells = line[first_year_at:]
            answers = [c.split(" / ")[0] for c in cells if c and not c.startswith("ej ")]
            answers = [a for a in answers if a != "inget svar"]
            assert (answers[-1] if answers else "") == labels.get(standing.status, ""), (
                f"the matrix's last answer of {standing} is not its status"
            )

    def check_start_pages(self, recommendations, standings, overdue) -> None:
        """The start page's tables count, per audit, the recommendations' own statuses
        and, per board, the boards' own statuses (the columns in the vocabulary's order,
        then "no answer", then the total); the municipality's counts and the national
        page's row of it count the same recommendations."""
        home = self.reader.get(self.url("home"))
        order = [s.value for s in sorted(Status, key=lambda s: s.rank)]
        for audit in {rec.audit for rec in recommendations}:
            statuses = [rec.current_status for rec in recommendations if rec.audit_id == audit.pk]
            assert status_table_row(home.text, audit.get_absolute_url()) == [
                *(statuses.count(value) for value in order),
                statuses.count(""),
                len(statuses),
            ], f"the start page's row of {audit}"
        for board in {s.board for s in standings}:
            statuses = [s.status for s in standings if s.board_id == board.pk and counts(s)]
            if statuses:
                assert status_table_row(home.text, board.get_absolute_url()) == [
                    *(statuses.count(value) for value in order),
                    statuses.count(""),
                    len(statuses),
                ], f"the start page's row of {board}"
        # Its overdue measures (the first ten, and how many, with the link to the list's
        # "Alla rekommendationer med försenade åtgärder").
        assert home.context["overdue_count"] == len(overdue)
        listed = {m.pk for m in home.context["overdue"]}
        assert listed <= set(overdue) and len(listed) == min(len(overdue), 10)
        municipality = Municipality.objects.get(pk=self.municipality.pk)
        assert home.context["counts"]["recommendations"] == len(recommendations)
        assert municipality.implemented_count == sum(
            1 for rec in recommendations if rec.current_status == Status.IMPLEMENTED
        )
        national = self.reader.get(reverse("recommendations:home"))
        if national.status_code == 200 and "rows" in (national.context or {}):
            (row,) = [r for r in national.context["rows"] if r.name == municipality.name]
            assert row.recommendations == str(len(recommendations))

    def check_attention(self, standings, overdue) -> None:
        page = self.auditor.get(reverse("auditors:attention"))
        assert page.status_code == 200
        disagreeing = {(s.recommendation_id, s.board_id) for s in page.context["disagreements"]}
        assert disagreeing == {
            (s.recommendation_id, s.board_id) for s in standings if s.disagrees and s.is_open
        }
        assert {m.pk for m in page.context["overdue"]} == set(overdue), "Att granska"
        # The auditors' digest tells the same overdue measures (its first ones).
        digest = Notification(
            recipient=self.auditor_user,
            kind=Kind.AUDITOR_DIGEST,
            stage=Frequency.IMMEDIATE,
            send_after=self.today,
        )
        told = (_attention_context([digest], self.today, timezone.now()) or {}).get("sections")
        told = {m.pk for m in (told or {}).get("overdue", [])}
        assert told <= set(overdue) and len(told) == min(len(overdue), DIGEST_LIMIT), (
            "the auditors' digest"
        )

    def check_staff_start_page(self, overdue) -> None:
        """Board staff's start page lists their boards' overdue measures."""
        boards = roles.staff_board_ids(self.viewer) if self.viewer is not None else set()
        if not boards:
            return
        page = self.reader.get(reverse("responses:response_start"))
        assert page.status_code == 200
        assert {m.pk for m in page.context["overdue"]} == {
            pk for pk, m in overdue.items() if m.board_id in boards
        }, "the staff's start page"

    def check_council_report(self) -> None:
        year = self.today.year
        stored = build_report(self.municipality, year)
        fresh = build_report(self.municipality, year, as_of=self.today)

        def figures(report):
            return [
                (
                    cohort.year,
                    [
                        (
                            row.board.pk,
                            row.outcome_counts,
                            row.open_count,
                            row.measure_counts,
                            [(a.acted, a.measurable) for a in row.acted],
                        )
                        for row in cohort.rows
                    ],
                )
                for cohort in report.cohorts
            ]

        assert figures(stored) == figures(fresh)


# ---- The world, and the writes as their users make them ----


@pytest.fixture
def town(world):
    """``build_world``'s Malmö, with rec1 addressed to both boards (A has answered it, B
    not yet: "1 av 2") and an imported measure of board B due in the next month, not
    yet overdue."""
    world.rec1.addressed_to.add(world.board_b)
    world.rec1.answered_by.add(world.board_b)
    soon = Measure(
        recommendation=world.rec_b,
        board=world.board_b,
        title="Översyn av rutinerna",
        status=Status.IN_PROGRESS,
    )
    next_month = timezone.localdate().replace(day=1) + dt.timedelta(days=40)
    soon.due = FuzzyDate.parse(next_month.strftime("%Y-%m"))
    soon.save()
    world.soon_measure = soon
    world.surfaces = Surfaces(world.municipality, world.auditor)
    return world


def staff_draft(client, town, board, user, **fields) -> Response:
    """``user`` starts a response of ``board`` in the open round and saves its edit page
    with ``fields``."""
    client.force_login(user)
    started = client.post(
        reverse("responses:response_start"), {"board": board.pk, "round": town.round2.pk}
    )
    assert started.status_code == 302
    draft = Response.objects.get(board=board, round=town.round2)
    draft.refresh_from_db()
    saved = client.post(
        reverse("responses:response_edit", args=[draft.pk]), edit_page_data(draft, **fields)
    )
    assert saved.status_code == 302, saved.content.decode()[:2000]
    draft.refresh_from_db()
    return draft


def publish(client, draft, decided="2026-03-18") -> None:
    draft.refresh_from_db()
    published = client.post(
        reverse("responses:response_publish", args=[draft.pk]),
        {"version": draft.version, "decision_date": decided, "diary_number": "ASN-2026-77"},
    )
    assert published.status_code == 302, published.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.state == Response.State.PUBLISHED


def board_a_answers(town, **more) -> dict:
    return {
        f"rec-{town.rec1.pk}-status": Status.IN_PROGRESS,
        f"rec-{town.rec1.pk}-narrative": "Rutinen införs under våren.",
        f"rec-{town.rec2.pk}-status": Status.IMPLEMENTED,
        f"measure-{town.open_measure.pk}-status": Status.IN_PROGRESS,
        f"measure-{town.open_measure.pk}-note": "Pågår i två enheter.",
        **more,
    }


def admin_saves(client, town, model, pk, **changes):
    """The admin opens the change page of ``model`` (``app_model``) and saves it with
    ``changes``."""
    client.force_login(town.admin)
    url = reverse(f"admin:{model}_change", args=[pk])
    page = client.get(url)
    assert page.status_code == 200
    data = admin_page_data(page)
    data.update(changes)
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.content.decode()[:3000]


def add_move(client, town, measure, *, new) -> None:
    """The admin records a move of the measure's due date on its own (no answer)."""
    client.force_login(town.admin)
    now = timezone.localtime()
    added = client.post(
        reverse("admin:responses_duedatechange_add"),
        {
            "measure": measure.pk,
            "previous": str(Measure.objects.get(pk=measure.pk).due),
            "new": new,
            "reason": "Försenad upphandling",
            "changed_at": now.strftime("%Y-%m-%d %H:%M:%S"),
        },
    )
    assert added.status_code == 302, added.content.decode()[:3000]


def test_the_world_shows_the_same_everywhere(town):
    town.surfaces.check()


def test_staff_saving_and_handing_in_a_draft_change_no_surface(client, town):
    before = list(BoardStanding.objects.values_list("status", "open_measures", "next_due_end"))
    draft = staff_draft(client, town, town.board_a, town.staff_a, **board_a_answers(town))
    town.surfaces.check()

    draft.refresh_from_db()
    handed_in = client.post(
        reverse("responses:response_submit", args=[draft.pk]), {"version": draft.version}
    )
    assert handed_in.status_code == 302

    town.surfaces.check()
    after = list(BoardStanding.objects.values_list("status", "open_measures", "next_due_end"))
    assert after == before


def test_publishing_through_the_staff_pages_shows_everywhere(client, town):
    draft = staff_draft(client, town, town.board_a, town.staff_a, **board_a_answers(town))
    publish(client, draft)

    town.surfaces.check()
    assert Recommendation.objects.get(pk=town.rec2.pk).current_status == Status.IMPLEMENTED


def test_the_second_board_publishing_moves_the_recommendation_to_the_slower_board(client, town):
    draft = staff_draft(
        client,
        town,
        town.board_b,
        town.staff_b,
        **{
            f"rec-{town.rec1.pk}-status": Status.NOT_STARTED,
            f"rec-{town.rec_b.pk}-status": Status.IMPLEMENTED,
            f"measure-{town.soon_measure.pk}-status": Status.IMPLEMENTED,
            f"measure-{town.soon_measure.pk}-completed": "2026-02-01",
        },
    )
    publish(client, draft)

    town.surfaces.check()
    rec1 = Recommendation.objects.get(pk=town.rec1.pk)
    assert (rec1.current_status, rec1.boards_answered) == (Status.NOT_STARTED, 2)


def test_an_auditors_new_and_changed_assessment_shows_everywhere(client, town):
    client.force_login(town.auditor)
    url = reverse("auditors:assess", args=[town.rec1.pk])
    for status in (Status.NOT_STARTED, Status.PLANNED):
        saved = client.post(url, {"round": town.round1.pk, "status": status, "comment": ""})
        assert saved.status_code == 302

        town.surfaces.check()
    assert not BoardStanding.objects.filter(recommendation=town.rec1, disagrees=True).exists()


def test_closing_and_reopening_on_the_auditors_page_shows_everywhere(client, town):
    client.force_login(town.auditor)
    url = reverse("auditors:close", args=[town.rec1.pk])
    closed = client.post(
        url, {"closed_on": timezone.localdate().isoformat(), "closed_reason": "Åtgärdat."}
    )
    assert closed.status_code == 302
    town.surfaces.check()
    standing = BoardStanding.objects.get(recommendation=town.rec1, board=town.board_a)
    assert not standing.is_open
    # Its overdue measure, not settled, is open nowhere: not counted, no due date.
    assert (standing.open_measures, standing.next_due) == (0, None)

    assert client.post(url, {"reopen": "1"}).status_code == 302

    town.surfaces.check()
    standing = BoardStanding.objects.get(recommendation=town.rec1, board=town.board_a)
    assert (standing.open_measures, standing.next_due) == (1, town.open_measure.due)


def test_an_admin_correcting_a_published_answers_status_shows_everywhere(client, town):
    entry = ResponseEntry.objects.get(response=town.published_a, recommendation=town.rec2)

    admin_saves(client, town, "responses_responseentry", entry.pk, status=Status.NOT_ACCEPTED)

    town.surfaces.check()
    assert Recommendation.objects.get(pk=town.rec2.pk).current_status == Status.NOT_ACCEPTED


def test_an_admin_correcting_a_measure_no_answer_reported_on_shows_everywhere(client, town):
    """An imported measure (no answer announced or reported on it) is the admin's to
    correct on its own page."""
    admin_saves(
        client,
        town,
        "responses_measure",
        town.soon_measure.pk,
        status=Status.IMPLEMENTED,
        completed="2026-01-10",
    )

    town.surfaces.check()
    assert not BoardStanding.objects.get(
        recommendation=town.rec_b, board=town.board_b
    ).open_measures


def test_a_measure_says_what_its_latest_report_says_and_its_own_page_refuses_another_status(
    client, town
):
    """The measure's status comes from its latest public report: set on the measure's
    admin page alone, the pages showed the measure done (and not overdue) under an
    answer whose report on it said planned. The admin corrects the report instead."""
    client.force_login(town.admin)
    url = reverse("admin:responses_measure_change", args=[town.open_measure.pk])
    data = admin_page_data(client.get(url))
    data.update(status=Status.IMPLEMENTED, completed="2026-01-10")

    refused = client.post(url, data)

    assert refused.status_code == 200
    assert "Kommer från åtgärdens senaste publicerade lägesrapport" in refused.text
    assert Measure.objects.get(pk=town.open_measure.pk).status == Status.PLANNED
    town.surfaces.check()


def test_a_measures_due_date_moved_in_an_answer_is_moved_again_not_typed_over(client, town):
    """With a public move of its due date, the measure is due when its latest move says:
    its own page refuses another date (a move with its reason is recorded instead)."""
    add_move(client, town, town.open_measure, new="2099")
    client.force_login(town.admin)
    url = reverse("admin:responses_measure_change", args=[town.open_measure.pk])
    data = admin_page_data(client.get(url))
    data.update(due="2020")

    refused = client.post(url, data)

    assert refused.status_code == 200
    assert "Kommer från åtgärdens senaste ändring av slutdatumet" in refused.text
    town.surfaces.check()


def test_saving_a_reported_measures_page_unchanged_is_not_refused(client, town):
    add_move(client, town, town.open_measure, new="2099")

    admin_saves(client, town, "responses_measure", town.open_measure.pk, title="Ny rubrik")

    town.surfaces.check()


def test_an_admin_correcting_a_published_report_shows_everywhere(client, town):
    report = MeasureUpdate.objects.get(measure=town.open_measure)

    admin_saves(
        client,
        town,
        "responses_measureupdate",
        report.pk,
        status=Status.NO_LONGER_RELEVANT,
    )

    town.surfaces.check()
    assert Measure.objects.get(pk=town.open_measure.pk).status == Status.NO_LONGER_RELEVANT


def test_an_admin_moving_a_due_date_on_its_own_shows_everywhere(client, town):
    add_move(client, town, town.open_measure, new="2099")

    town.surfaces.check()
    standing = BoardStanding.objects.get(recommendation=town.rec1, board=town.board_a)
    assert not standing.has_overdue_measures(timezone.localdate())


def test_an_admin_renumbering_a_round_shows_everywhere(client, town):
    draft = staff_draft(client, town, town.board_a, town.staff_a, **board_a_answers(town))
    publish(client, draft)

    admin_saves(client, town, "recommendations_followupround", town.round1.pk, sequence=9)

    town.surfaces.check()
    standing = BoardStanding.objects.get(recommendation=town.rec1, board=town.board_a)
    assert standing.status == Status.PLANNED  # round 1, now the ninth, is the latest


def test_an_admin_renaming_a_board_shows_everywhere(client, town):
    admin_saves(client, town, "recommendations_board", town.board_b.pk, name="Servicenämnden 2")

    town.surfaces.check()


def test_an_admin_deleting_a_draft_changes_no_surface(client, town):
    draft = staff_draft(client, town, town.board_a, town.staff_a, **board_a_answers(town))
    client.force_login(town.admin)
    url = reverse("admin:responses_response_delete", args=[draft.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302

    town.surfaces.check()


def test_an_admin_deleting_an_audit_shows_everywhere(client, town):
    """An audit nobody has answered yet (one answered is protected by its responses),
    entered by mistake and deleted."""
    mistaken = Audit.objects.create(
        municipality=town.municipality,
        reference="SR-2026-9",
        title="Fel",
        auditor=town.audit.auditor,
    )
    make_recommendation(mistaken, addressed_to=[town.board_a])
    town.surfaces.check()
    client.force_login(town.admin)
    url = reverse("admin:recommendations_audit_delete", args=[mistaken.pk])

    assert client.post(url, {"post": "yes"}).status_code == 302

    town.surfaces.check()
    municipality = Municipality.objects.get(pk=town.municipality.pk)
    assert (municipality.audit_count, municipality.recommendation_count) == (1, 3)


def test_a_day_passing_makes_a_measure_overdue_everywhere_at_once(town):
    town.surfaces.check()
    standing = BoardStanding.objects.get(recommendation=town.rec_b, board=town.board_b)
    assert not standing.has_overdue_measures(timezone.localdate())
    later = town.soon_measure.due.end + dt.timedelta(days=1)

    with mock.patch("django.utils.timezone.localdate", return_value=later):
        surfaces = Surfaces(town.municipality, town.auditor)
        surfaces.check()
    assert standing.has_overdue_measures(later)


def test_importing_fixtures_shows_the_same_everywhere(minimal_fixture_path):
    call_command("import_fixtures", str(minimal_fixture_path), verbosity=0)
    for municipality in Municipality.objects.all():
        auditor = make_user(groups=["Revisorer"], municipality=municipality)
        Surfaces(municipality, auditor).check()


def test_an_admin_deleting_a_published_response_shows_everywhere(client, town):
    client.force_login(town.admin)
    url = reverse("admin:responses_response_delete", args=[town.published_a.pk])

    assert client.post(url, {"post": "yes"}).status_code == 302

    town.surfaces.check()
    assert not Recommendation.objects.get(pk=town.rec2.pk).current_status


def test_an_admin_deleting_an_assessment_shows_everywhere(client, town):
    client.force_login(town.auditor)
    assess = reverse("auditors:assess", args=[town.rec1.pk])
    client.post(assess, {"round": town.round1.pk, "status": Status.NOT_STARTED, "comment": ""})
    town.surfaces.check()
    assessment = AuditorAssessment.objects.get(recommendation=town.rec1)
    client.force_login(town.admin)
    url = reverse("admin:recommendations_auditorassessment_delete", args=[assessment.pk])

    assert client.post(url, {"post": "yes"}).status_code == 302

    town.surfaces.check()
    assert not BoardStanding.objects.filter(disagrees=True).exists()


def test_an_admin_changing_who_a_recommendation_is_addressed_to_shows_everywhere(client, town):
    admin_saves(
        client,
        town,
        "recommendations_recommendation",
        town.rec2.pk,
        addressed_to=[town.board_a.pk, town.board_b.pk],
        answered_by=[town.board_a.pk, town.board_b.pk],
    )

    town.surfaces.check()
    assert Recommendation.objects.get(pk=town.rec2.pk).boards_required == 2


def test_an_admin_changing_an_audits_dates_shows_everywhere(client, town):
    admin_saves(client, town, "recommendations_audit", town.audit.pk, conducted_from="2016")

    town.surfaces.check()


def test_the_synthetic_data_shows_the_same_everywhere():
    call_command("generate_synthetic_data", scale="1", seed=3, stdout=io.StringIO())
    municipality = Municipality.objects.order_by("pk").first()
    auditor = make_user(groups=["Revisorer"], municipality=municipality)
    Surfaces(municipality, auditor).check()


def test_an_admin_publishing_a_handed_in_response_shows_everywhere(client, town):
    draft = staff_draft(client, town, town.board_a, town.staff_a, **board_a_answers(town))
    draft.refresh_from_db()
    handed_in = client.post(
        reverse("responses:response_submit", args=[draft.pk]), {"version": draft.version}
    )
    assert handed_in.status_code == 302

    admin_saves(
        client,
        town,
        "responses_response",
        draft.pk,
        state=Response.State.PUBLISHED,
        decision_date="2026-03-18",
    )

    town.surfaces.check()
    assert Recommendation.objects.get(pk=town.rec2.pk).current_status == Status.IMPLEMENTED


def test_a_shared_measure_overdue_under_one_recommendation_closed_under_the_other(client, town):
    """The overdue measure of rec1 also serves rec2 (the admin shares it): closing rec1
    leaves it overdue under rec2 only, on every surface."""
    admin_saves(client, town, "responses_measure", town.open_measure.pk, also_serves=[town.rec2.pk])
    town.surfaces.check()
    client.force_login(town.auditor)
    closed = client.post(
        reverse("auditors:close", args=[town.rec1.pk]),
        {"closed_on": timezone.localdate().isoformat(), "closed_reason": "Åtgärdat."},
    )
    assert closed.status_code == 302

    town.surfaces.check()
    today = timezone.localdate()
    overdue = {
        s.recommendation_id
        for s in BoardStanding.objects.filter(board=town.board_a)
        if s.has_overdue_measures(today)
    }
    assert overdue == {town.rec2.pk}
    # Open under rec2, still open, and under rec2 only.
    assert Measure.objects.open().filter(pk=town.open_measure.pk).exists()
    counted = dict(
        BoardStanding.objects.filter(board=town.board_a).values_list(
            "recommendation_id", "open_measures"
        )
    )
    assert (counted[town.rec1.pk], counted[town.rec2.pk]) == (0, 1)


def hand_in(client, draft) -> None:
    draft.refresh_from_db()
    handed_in = client.post(
        reverse("responses:response_submit", args=[draft.pk]), {"version": draft.version}
    )
    assert handed_in.status_code == 302
    draft.refresh_from_db()
    assert draft.state == Response.State.SUBMITTED


def check_as_every_reader(town, *staff) -> None:
    """The surfaces agree for the public, the municipality's auditor and ``staff``."""
    for viewer in (None, town.auditor, *staff):
        Surfaces(town.municipality, town.auditor, viewer=viewer).check()


def test_a_measure_announced_in_a_handed_in_answer_is_overdue_once_it_is_published(client, town):
    """Board staff announce a measure due 2025, a year already past, and hand the answer
    in. Until the answer is published the measure is a proposal, not a commitment the
    board can be late with: the auditors and the board's staff read it with its due date,
    but no surface flags or counts it overdue, for them or for the public (the stored
    standings count only public measures). Published, it is overdue on every surface."""
    draft = staff_draft(
        client,
        town,
        town.board_b,
        town.staff_b,
        **{
            f"rec-{town.rec1.pk}-status": Status.NOT_STARTED,
            f"rec-{town.rec_b.pk}-status": Status.PLANNED,
            f"new-{town.rec_b.pk}-0-title": "Ny introduktion för nyanställda",
            f"new-{town.rec_b.pk}-0-responsible": "HR-enheten",
            f"new-{town.rec_b.pk}-0-due": "2025",
        },
    )
    hand_in(client, draft)
    proposed = Measure.objects.get(title="Ny introduktion för nyanställda")

    check_as_every_reader(town, town.staff_b)
    auditor = Client()
    auditor.force_login(town.auditor)
    page = auditor.get(town.rec_b.get_absolute_url()).text
    assert "Ny introduktion för nyanställda" in page and "row-overdue" not in page
    assert "I ett svar som inte är publicerat än" in page  # why it is not flagged
    assert proposed not in Measure.objects.visible_to(town.auditor).overdue(timezone.localdate())
    assert proposed not in Measure.objects.visible_to(town.auditor).open()
    # In the staff's and the auditor's private calendars, a proposal, not a measure due.
    for viewer in (town.staff_b, town.auditor):
        due, proposals = Surfaces(town.municipality, town.auditor, viewer).calendar_measures()
        assert proposed.pk in proposals and proposed.pk not in due

    client.force_login(town.admin)
    publish(client, draft)

    check_as_every_reader(town, town.staff_b)
    assert (
        "I ett svar som inte är publicerat än"
        not in auditor.get(town.rec_b.get_absolute_url()).text
    )
    assert proposed.is_overdue(timezone.localdate())
    due, proposals = Surfaces(town.municipality, town.auditor, town.staff_b).calendar_measures()
    assert proposed.pk in due and not proposals
    assert BoardStanding.objects.get(
        recommendation=town.rec_b, board=town.board_b
    ).has_overdue_measures(timezone.localdate())


def test_a_due_date_moved_in_a_handed_in_answer_counts_once_it_is_published(client, town):
    """Until the answer that moves a due date is published, the published due date
    decides whether a measure is overdue, for every reader: board A's overdue measure
    moved to 2099 is still overdue, board B's measure due next month moved back to 2025
    is not yet."""
    reason = "Upphandlingen drog ut på tiden."
    a = staff_draft(
        client,
        town,
        town.board_a,
        town.staff_a,
        **board_a_answers(
            town,
            **{
                f"measure-{town.open_measure.pk}-due": "2099",
                f"measure-{town.open_measure.pk}-due_reason": reason,
            },
        ),
    )
    hand_in(client, a)
    b = staff_draft(
        client,
        town,
        town.board_b,
        town.staff_b,
        **{
            f"rec-{town.rec1.pk}-status": Status.NOT_STARTED,
            f"rec-{town.rec_b.pk}-status": Status.IN_PROGRESS,
            f"measure-{town.soon_measure.pk}-status": Status.IN_PROGRESS,
            f"measure-{town.soon_measure.pk}-due": "2025",
            f"measure-{town.soon_measure.pk}-due_reason": reason,
        },
    )
    hand_in(client, b)

    check_as_every_reader(town, town.staff_a, town.staff_b)
    today = timezone.localdate()
    assert Measure.objects.get(pk=town.open_measure.pk).is_overdue(today)
    assert not Measure.objects.get(pk=town.soon_measure.pk).is_overdue(today)

    client.force_login(town.admin)
    publish(client, a)
    publish(client, b)

    check_as_every_reader(town, town.staff_a, town.staff_b)
    assert not Measure.objects.get(pk=town.open_measure.pk).is_overdue(today)
    assert Measure.objects.get(pk=town.soon_measure.pk).is_overdue(today)


def test_an_admin_closing_a_recommendation_counts_its_measures_open_nowhere(client, town):
    """Closed on its admin page, rec1's overdue measure is open nowhere: its standing
    counts none and has no next due date, on every surface; reopened, it counts again."""
    admin_saves(
        client,
        town,
        "recommendations_recommendation",
        town.rec1.pk,
        closed_on=timezone.localdate().isoformat(),
        closed_reason="Ersatt av en ny rutin.",
    )

    town.surfaces.check()
    standing = BoardStanding.objects.get(recommendation=town.rec1, board=town.board_a)
    assert (standing.is_open, standing.open_measures, standing.next_due) == (False, 0, None)

    admin_saves(
        client, town, "recommendations_recommendation", town.rec1.pk, closed_on="", closed_reason=""
    )

    town.surfaces.check()
    assert BoardStanding.objects.get(recommendation=town.rec1, board=town.board_a).open_measures
