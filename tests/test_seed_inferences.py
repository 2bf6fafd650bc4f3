"""The seed data claims no more than its documents (issue 15).

Each expectation below is from my own re-reading of the five documents in ../shared/seeds/
with the rule "never more than the document says"; fixtures/SEEDS.md ("Re-reading: what was
corrected") quotes the words behind each one.
"""

import re
from pathlib import Path

from auditfollowup.lib.dates import Precision
from recommendations.models import Audit, Recommendation
from responses.models import DecisionStep, Measure, MeasureUpdate, Response, ResponseEntry
from tests.test_seed_fixtures import IN_DEPTH_2025, SR_2018_71, STK_2020_438, audit, entry, measure

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
        "Gemensamma workshoppar om ansvarsfördelning, gränsdragningar och samverkansstrukturer",
        "Modell för kontinuerliga dialogmöten med stadskontoret",
        "Studieservice: ny funktion för studievägledning",
        "Särskilda samverkansfunktioner och samverkansforum med Arbetsförmedlingen",
        "Utveckling av samarbetsformerna för KAA-målgruppen inom Ung Malmö",
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


def test_due_dates_that_are_start_dates_or_periods_are_marked_inferred(seeded):
    inferred = set(Measure.objects.exclude(due_inference="").values_list("title", flat=True))
    assert inferred == {
        # "från hösten 2019": when the risk analyses start.
        "Riskanalyser inom förvaltningens fokusområden utifrån nämndens tvärprocesser",
        # "Under perioden november 2018 till februari 2019 har ett pilotprojekt genomförts".
        "Pilotprojekt med rekryteringsservice riktad mot arbetsgivare",
        # "Från och med den 1 juli 2026 kommer avdelningen … att införa".
        "Införande av nämndens kvalitetsledningssystem i arbetsmarknadsinsatserna",
        # "tas fram inför införandet av bidragsreformen": no date of their own.
        "Nya styrdokument och kärnprocess tillgängliga på Komin",
    }
    # "ska färdigställas inför införandet av den nationella bidragsreformen den 1 juli 2026"
    # and "planeras för samtliga chefer i maj 2026" are the documents' own dates.
    assert (
        measure("Fördjupad målgrupps- och konsekvensanalys inför aktivitetskravet").due_inference
        == ""
    )


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
    assert len(reasons) == 6 + 4 + 11 + 6
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
