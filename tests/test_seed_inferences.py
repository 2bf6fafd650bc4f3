"""The seed data claims no more than its documents (issue 15).

Each expectation below is from my own re-reading of the five documents in ../shared/seeds/
with the rule "never more than the document says"; fixtures/SEEDS.md ("Re-reading: what was
corrected") quotes the words behind each one.
"""

import datetime as dt
import re
from pathlib import Path

from auditfollowup.lib.dates import Precision
from recommendations.models import Audit, Recommendation
from responses.models import DecisionStep, Measure, MeasureUpdate, Response, ResponseEntry
from tests.test_seed_fixtures import (
    EXTRATJANSTER,
    IN_DEPTH_2025,
    SR_2018_71,
    STK_2020_438,
    audit,
    entry,
    measure,
    rec,
)

SEEDS_MD = Path(__file__).resolve().parent.parent / "fixtures" / "SEEDS.md"


# --- Statuses re-read --------------------------------------------------------------------


def test_in_autumn_2020_recommendation_6_is_only_partly_implemented(seeded):
    # 000 gives "Några exempel på genomförda åtgärder" for KAA and says nothing about
    # following up that the measures have the intended effect, the recommendation's third part.
    assert entry(SR_2018_71, 3, 6).status == "partly_implemented"


def test_in_autumn_2020_recommendation_2_is_only_partly_implemented(seeded):
    # 000: the new steering model came with Budget 2020 and ASN made indicators; nothing says
    # that the limits of the target values were defined and clarified.
    assert entry(SR_2018_71, 3, 2).status == "partly_implemented"


def test_autumn_2020_claims_implemented_only_where_the_text_reports_the_matter_dealt_with(
    seeded,
):
    implemented = set(
        ResponseEntry.objects.filter(
            response__round__audit=audit(SR_2018_71),
            response__round__sequence=3,
            status="implemented",
        ).values_list("recommendation__position", flat=True)
    )
    # 4: the internal control plan 2020 "har genomförts"; 10: the data linkage is done and
    # used, now continuously ("görs löpande").
    assert implemented == {4, 10}


def test_the_staff_knowledge_measure_of_2026_is_planned_not_under_way(seeded):
    # 002: the direct measure says the administration "ska öka" the staff's knowledge; only
    # the database half is reported done.
    knowledge = measure("Öka medarbetarnas kunskap och kompetens om befintliga insatser")
    assert knowledge.status == "planned"
    assert [u.status for u in knowledge.updates.all()] == ["planned"]
    assert measure("Utveckling av databasen med avdelningens befintliga insatser").status == (
        "implemented"
    )


def test_the_workshops_are_not_reported_held(seeded):
    # 001: "arbetet ännu inte slutfört"; 000 reports regular meetings and a structure, never the
    # workshops, and leaves the grants to non-profits to "kommande dialogmöten".
    workshops = measure(
        "Gemensamma workshoppar om ansvarsfördelning, gränsdragningar och samverkansstrukturer"
    )
    assert (workshops.status, workshops.completed, workshops.completed_inference) == (
        "partly_implemented",
        None,
        "",
    )
    round_3 = workshops.updates.filter(entry__response__round__sequence=3)
    assert {u.status for u in round_3} == {"partly_implemented"}
    assert all("workshopparna hölls" in u.note for u in round_3)
    # Its due date, June 2019, was missed: the measure now shows as overdue.
    assert workshops.is_overdue(dt.date(2020, 12, 31))


def test_the_kaa_collaboration_is_developed_not_finished(seeded):
    # 000: "har utvecklats på flera områden. Några exempel på genomförda åtgärder är …".
    kaa = measure("Utveckling av samarbetsformerna för KAA-målgruppen inom Ung Malmö")
    assert (kaa.status, kaa.completed) == ("partly_implemented", None)
    assert kaa.updates.get(entry=entry(SR_2018_71, 3, 6)).status == "partly_implemented"


def test_decision_point_4_is_stadskontorets_assignment_not_asns(seeded):
    # "Kommunstyrelsen ger stadskontoret i uppdrag att inleda dialog med MKB"; ASN's remissvar
    # of 2020-08-27, written before the points, asked KS to open that dialogue.
    point_4 = rec(STK_2020_438, 4)
    assert list(point_4.answered_by.values_list("short_code", flat=True)) == ["STK"]
    assert list(point_4.entries.values_list("response__board__short_code", "status")) == [
        ("STK", "planned")
    ]
    assert point_4.current_status == "planned"
    remiss = Response.objects.get(round__audit=audit(STK_2020_438), round__sequence=1)
    assert "MKB" in remiss.reference_note and "beslutspunkt 4" in remiss.reference_note
    assert "MKB" in entry(STK_2020_438, 2, 4, board="STK").narrative
    # Point 2 is addressed to ASN ("anmodar arbetsmarknads- och socialnämnden"): its
    # remissvar on its own development work stays an answer to it.
    point_2 = rec(STK_2020_438, 2)
    assert set(point_2.answered_by.values_list("short_code", flat=True)) == {"ASN", "STK"}
    assert entry(STK_2020_438, 1, 2).status == "in_progress"
    assert point_2.current_status == "in_progress"


# --- Wording re-read ------------------------------------------------------------------------


def test_an_aim_is_not_written_as_a_result(seeded):
    # 001: "Ambitionen har varit att arbetet skulle vara slutfört i juni 2019"; "Under våren
    # 2019 har dialogmöten hållits … Som ett resultat av dialogmötena …".
    round_2 = entry(SR_2018_71, 2, 7).narrative
    first = Response.objects.get(round__audit=audit(SR_2018_71), round__sequence=1)
    for text in (round_2, first.reference_note):
        assert "klara i juni 2019)" not in text and "(klar i juni 2019)" not in text
    assert "arbetet skulle ha slutförts i juni 2019" in round_2
    assert "har gjorts genom dialogmöten" not in round_2
    assert "Under våren 2019 har dialogmöten hållits" in round_2


def test_a_quote_from_002_is_verbatim(seeded):
    first = Response.objects.get(round__audit=audit(IN_DEPTH_2025), round__sequence=1)
    assert (
        '"Nämnden beskrev då vilka åtgärder nämnden genomfört och planerade att genomföra '
        'avseende revisionens rekommendationer"'
    ) in first.reference_note


def test_the_2026_proposal_keeps_its_future_tense(seeded):
    # 002: "Vidare kommer införandet av ett kvalitetsledningssystem medföra …"; "där den nya
    # kärnprocessen kommer att finnas".
    survey = entry(IN_DEPTH_2025, 2, 2).narrative
    routines = entry(IN_DEPTH_2025, 2, 3).narrative
    assert "kommer också att ge verksamheten rutiner för egenkontroller" in survey
    assert "där den nya kärnprocessen kommer att finnas" in routines
    for text in (survey, routines):
        assert "Kvalitetsledningssystemet ger" not in text


def test_no_responsible_the_text_does_not_name(seeded):
    # "Just nu pågår ett arbete med att utveckla ett jobbspår …" and "Personalutbildning …
    # planeras för samtliga chefer i maj 2026" name no one.
    for title in (
        "Jobbspår som förbereder för studier",
        "Personalutbildning i kvalitetsutvecklingssystem för samtliga chefer",
    ):
        assert measure(title).responsible == "", title
        assert "anger inte" in measure(title).description or "passiv" in measure(title).description
    # SN only "medverkar gärna i detta arbete".
    certificate = entry(EXTRATJANSTER, 1, 2, board="SN").announced_measures.get()
    assert "servicenämnden" not in certificate.responsible.lower()


def test_rounds_claim_no_request_the_documents_do_not_give(seeded):
    in_depth = audit(IN_DEPTH_2025)
    # 002 never says who asked for the follow-up; the first round's "Remiss …" is a document
    # title in the decision documents, not the request's words.
    assert in_depth.rounds.get(sequence=2).requested_by == ""
    assert in_depth.rounds.get(sequence=1).request == ""
    first = Response.objects.get(round=in_depth.rounds.get(sequence=1))
    assert "Remiss avseende stadsrevisionens granskning" in first.reference_note
    status = Response.objects.get(round__audit=audit(SR_2018_71), round__sequence=3)
    assert "ingen Till-rad" in status.summary


# --- Decisions and planned steps -----------------------------------------------------------


def test_the_2026_proposal_has_no_decision_date_and_only_planned_steps(seeded):
    proposal = Response.objects.get(round__audit=audit(IN_DEPTH_2025), round__sequence=2)
    assert proposal.decision_date is None
    assert (proposal.document_date.year, proposal.document_precision) == (2026, Precision.YEAR)
    assert "Förslag till beslut" in proposal.document_inference
    assert [(s.date.isoformat(), s.planned) for s in proposal.decision_steps.all()] == [
        ("2026-04-29", True),
        ("2026-05-07", True),
        ("2026-05-21", True),
    ]
    assert str(proposal.source_document.document) == "2026"


def test_the_first_response_of_october_2025_is_known_to_the_month_only(seeded):
    first = Response.objects.get(round__audit=audit(IN_DEPTH_2025), round__sequence=1)
    assert (str(first.date), first.date.precision) == ("oktober 2025", Precision.MONTH)
    assert first.decision_date is None
    assert "beslut 2026-05-21" not in first.reference_note
    assert all(step.planned for step in first.decision_steps.all())


def test_the_executive_boards_meeting_of_2020_is_planned_in_the_memo(seeded):
    memo = Response.objects.get(round__audit=audit(STK_2020_438), round__sequence=2)
    assert memo.decision_date is None
    assert [s.planned for s in memo.decision_steps.all()] == [True, True]


def test_only_decisions_the_documents_state_have_a_decision_date(seeded):
    decided = {
        (r.board.short_code, r.decision_date.isoformat())
        for r in Response.objects.exclude(decision_date=None).select_related("board")
    }
    # "Servicenämnden beslutade den 16 februari 2022"; "Arbetsmarknads- och socialnämndens
    # beslut 200827 § 238".
    assert decided == {("SN", "2022-02-16"), ("ASN", "2020-08-27")}


def test_a_planned_step_says_so_when_printed(seeded):
    step = DecisionStep.objects.get(date="2026-05-21")
    assert str(step) == "Arbetsmarknads- och socialnämnden 2026-05-21 (planerat)"


# --- Inferences marked, with their reasons -------------------------------------------------


def test_boards_of_recommendations_that_name_none_are_marked_inferred(seeded):
    inferred = {
        (r.audit.reference or r.audit.title, r.position)
        for r in Recommendation.objects.exclude(addressed_to_inference="").select_related("audit")
    }
    # SR-2018-71: 1 is imperative ("Tydliggör …"), 3 passive ("Ett tydliggörande bör göras"),
    # 7 says only "De granskade nämnderna", 8–10 are remarks that name no board. 2 ("Kommun-
    # styrelsen bör"), 4–5 ("Arbetsmarknads- och socialnämnden bör") and 6 ("Gymnasie- och
    # vuxenutbildningsnämnden bör") name their board; the other audits name theirs too.
    assert inferred == {(SR_2018_71, n) for n in (1, 3, 7, 8, 9, 10)}
    passive = Recommendation.objects.get(audit=audit(SR_2018_71), position=3)
    assert "passiv" in passive.addressed_to_inference


def test_completion_dates_set_by_the_reporting_year_convention_are_marked_inferred(seeded):
    by_convention = set(
        Measure.objects.filter(completed_inference__contains="konventionen").values_list(
            "title", flat=True
        )
    )
    assert by_convention == {
        "Modell för kontinuerliga dialogmöten med stadskontoret",
        "Studieservice: ny funktion för studievägledning",
        "Särskilda samverkansfunktioner och samverkansforum med Arbetsförmedlingen",
        "Kontinuerliga dialogmöten mellan arbetsmarknads- och socialförvaltningen och "
        "gymnasie- och vuxenutbildningsförvaltningen",
        "Utveckling av databasen med avdelningens befintliga insatser",
        "Invånarresa med metoden tjänstedesign",
    }


def test_a_year_given_by_the_document_itself_is_not_marked(seeded):
    # "Under 2020 har Malmö stad infört … QlikSense"; "Ett nytt arbetssätt … som infördes 2025".
    qlik = measure("Införande av QlikSense för statistik och analys")
    new_way = measure(
        "Nytt arbetssätt för arbetsmarknadsanställningar: anställning och planering i samma enhet"
    )
    for found in (qlik, new_way):
        assert found.completed_precision == Precision.YEAR
        assert found.completed_inference == ""


def test_completion_dates_the_text_does_not_tie_to_the_measure_are_marked_inferred(seeded):
    risk = measure("Riskanalyser inom förvaltningens fokusområden utifrån nämndens tvärprocesser")
    assert "oktober 2019" in risk.completed_inference.lower()
    assert measure("Resursteam som konsultativt stöd för handläggare").completed_inference
    review = measure(
        "Gemensam genomgång av samverkan mellan arbetsmarknads- och socialförvaltningen och "
        "gymnasie- och vuxenutbildningsförvaltningen"
    )
    assert "våren 2019" in review.completed_inference


def test_start_dates_and_periods_are_not_due_dates(seeded):
    for title in (
        # "från hösten 2019": when the risk analyses start.
        "Riskanalyser inom förvaltningens fokusområden utifrån nämndens tvärprocesser",
        # "Under perioden november 2018 till februari 2019 har ett pilotprojekt genomförts".
        "Pilotprojekt med rekryteringsservice riktad mot arbetsgivare",
        # "Från och med den 1 juli 2026 kommer avdelningen … att införa".
        "Införande av nämndens kvalitetsledningssystem i arbetsmarknadsinsatserna",
        # "tas fram inför införandet av bidragsreformen": no date of their own.
        "Nya styrdokument och kärnprocess tillgängliga på Komin",
    ):
        found = measure(title)
        assert (found.due, found.due_inference) == (None, ""), title
        assert not found.is_overdue(dt.date(2026, 12, 1)), title


def test_a_deadline_before_a_given_day_is_marked_inferred(seeded):
    inferred = set(Measure.objects.exclude(due_inference="").values_list("title", flat=True))
    # "ska färdigställas inför införandet av den nationella bidragsreformen den 1 juli 2026":
    # a deadline, but before that day, not on it.
    assert inferred == {"Fördjupad målgrupps- och konsekvensanalys inför aktivitetskravet"}
    target_groups = measure("Fördjupad målgrupps- och konsekvensanalys inför aktivitetskravet")
    assert str(target_groups.due) == "2026-07-01"
    assert "ska färdigställas inför" in target_groups.due_inference
    # "planeras för samtliga chefer i maj 2026" is the document's own date.
    training = measure("Personalutbildning i kvalitetsutvecklingssystem för samtliga chefer")
    assert (str(training.due), training.due_inference) == ("maj 2026", "")


def test_titles_the_documents_do_not_give_are_marked_inferred(seeded):
    inferred_responses = {
        (r.round.audit.reference or r.round.audit.title, r.round.sequence, r.board.short_code)
        for r in Response.objects.exclude(title_inference="").select_related(
            "round__audit", "board"
        )
    }
    # Only 001 ("Åtgärder med anledning av revisionsgranskning …") and 004 (the memo's
    # heading) have titles of their own.
    assert inferred_responses == {
        (SR_2018_71, 1, "ASN"),
        (SR_2018_71, 3, "ASN"),
        (STK_2020_438, 1, "ASN"),
        ("Granskning av extratjänster och övriga arbetsmarknadsanställningar", 1, "SN"),
        (IN_DEPTH_2025, 1, "ASN"),
        (IN_DEPTH_2025, 2, "ASN"),
    }
    # STK-2020-438's title is the memo's heading; the 2025 report is named in 002's
    # decision documents ("Fördjupad granskning av arbetsmarknadsinsatser").
    assert set(Audit.objects.exclude(title_inference="").values_list("title", flat=True)) == {
        audit(SR_2018_71).title,
        "Granskning av extratjänster och övriga arbetsmarknadsanställningar",
    }


def test_dates_read_from_context_are_marked_inferred(seeded):
    status = Response.objects.get(round__audit=audit(SR_2018_71), round__sequence=3)
    assert str(status.date) == "hösten 2020"
    assert "saknar datum" in status.date_inference
    remiss = Response.objects.get(round__audit=audit(STK_2020_438), round__sequence=1)
    # Its date is its decision, a fact: the document date's reason does not apply to it.
    assert remiss.document_inference and remiss.date_inference == ""
    assert (
        "Delårsrapporten 2021"
        in Recommendation.objects.get(audit=audit(STK_2020_438), position=3).report_back_inference
    )
    assert "200212 § 43" in audit(STK_2020_438).conducted_inference


def test_every_reason_is_a_sentence_not_a_bare_flag(seeded):
    reasons = [
        *Recommendation.objects.exclude(addressed_to_inference="").values_list(
            "addressed_to_inference", flat=True
        ),
        *Measure.objects.exclude(due_inference="").values_list("due_inference", flat=True),
        *Measure.objects.exclude(completed_inference="").values_list(
            "completed_inference", flat=True
        ),
        *Response.objects.exclude(title_inference="").values_list("title_inference", flat=True),
    ]
    assert len(reasons) == 6 + 1 + 9 + 6
    for reason in reasons:
        assert len(reason.split()) >= 8 and reason.rstrip().endswith("."), reason


# --- The written account -------------------------------------------------------------------


def test_seeds_md_states_the_totals_the_fixtures_hold(seeded):
    totals = re.search(r"Totals:(.*?)All responses", SEEDS_MD.read_text(), re.S).group(1)
    totals = " ".join(totals.split())
    assert f"{Measure.objects.count()} measures" in totals
    assert f"{MeasureUpdate.objects.count()} measure updates" in totals
    assert f"{ResponseEntry.objects.count()} entries" in totals
    assert f"{DecisionStep.objects.count()} decision steps (all planned)" in totals
