"""The seed fixtures hold the five Malmö documents faithfully.

Every expected number and fact below comes from reading the documents in ../shared/seeds/
(see fixtures/SEEDS.md), not from the fixture files themselves.
"""

import datetime as dt
import io
import re

from django.apps import apps
from django.core.management import call_command
from django.db import models

from auditfollowup.lib.dates import Precision
from recommendations.models import (
    Audit,
    Board,
    FollowUpRound,
    Municipality,
    Recommendation,
    SourceDocument,
)
from responses.models import (
    DecisionStep,
    Measure,
    MeasureUpdate,
    Response,
    ResponseEntry,
    Signatory,
)
from tests.conftest import SEED_FIXTURES
from tests.factories import make_user

SR_2018_71 = "SR-2018-71"
STK_2020_438 = "STK-2020-438"
EXTRATJANSTER = "Granskning av extratjänster och övriga arbetsmarknadsanställningar"
IN_DEPTH_2025 = "Fördjupad granskning av arbetsmarknadsinsatser"


def audit(title_or_reference):
    return Audit.objects.get(
        models.Q(reference=title_or_reference) | models.Q(title=title_or_reference)
    )


def rec(audit_key, position):
    return Recommendation.objects.get(audit=audit(audit_key), position=position)


def entry(audit_key, round_sequence, position, board="ASN"):
    return ResponseEntry.objects.get(
        response__round__audit=audit(audit_key),
        response__round__sequence=round_sequence,
        response__board__short_code=board,
        recommendation__position=position,
    )


def measure(title):
    return Measure.objects.get(title=title)


# --- What is there ------------------------------------------------------------------------


def test_it_creates_malmo_and_the_boards_the_documents_name(seeded):
    assert list(Municipality.objects.values_list("name", flat=True)) == ["Malmö stad"]
    boards = dict(Board.objects.values_list("short_code", "kind"))
    assert boards == {
        "ASN": "board",
        "GVN": "board",
        "SN": "board",
        "KS": "executive_board",
        "SR": "auditors",
        "STK": "office",
    }


def test_it_records_all_five_source_documents(seeded):
    assert set(SourceDocument.objects.values_list("file_name", flat=True)) == {
        "000_d22d752ec54fe2a6.txt",
        "001_73cbc49ab9bacd08.txt",
        "002_ba3a9c68c88c9248.txt",
        "003_757bc8cbdf9183ba.txt",
        "004_c9be0284574dc717.txt",
    }
    ocr_note = SourceDocument.objects.get(file_name="003_757bc8cbdf9183ba.txt").notes
    assert "OCR" in ocr_note


def test_it_holds_four_audits_with_their_auditors_and_audited_boards(seeded):
    expected = {
        SR_2018_71: ("audit", "SR", "PwC", {"KS", "ASN", "GVN"}),
        STK_2020_438: ("investigation", "STK", "", {"ASN"}),
        EXTRATJANSTER: ("audit", "SR", "", {"KS", "ASN", "GVN", "SN"}),
        IN_DEPTH_2025: ("in_depth_audit", "SR", "", {"ASN"}),
    }
    assert Audit.objects.count() == len(expected)
    for key, (kind, auditor, firm, audited) in expected.items():
        found = audit(key)
        assert (found.kind, found.auditor.short_code, found.firm) == (kind, auditor, firm)
        assert set(found.audited_boards.values_list("short_code", flat=True)) == audited
    assert audit(EXTRATJANSTER).reference == ""
    assert audit(IN_DEPTH_2025).reference == ""


def test_it_counts_recommendations_per_audit_and_kind(seeded):
    counts = {
        (row["audit__title"], row["kind"]): row["n"]
        for row in Recommendation.objects.values("audit__title", "kind").annotate(
            n=models.Count("pk")
        )
    }
    assert counts == {
        (audit(SR_2018_71).title, "recommendation"): 7,
        (audit(SR_2018_71).title, "other_remark"): 3,
        (audit(STK_2020_438).title, "decision_point"): 8,
        (EXTRATJANSTER, "recommendation"): 3,
        (IN_DEPTH_2025, "recommendation"): 4,
    }


def test_it_counts_rounds_responses_entries_measures_and_updates(seeded):
    assert FollowUpRound.objects.count() == 8
    assert Response.objects.filter(provenance="document").count() == 5
    assert Response.objects.filter(provenance="reference").count() == 3
    assert Response.objects.count() == 8
    assert ResponseEntry.objects.count() == 43
    assert Measure.objects.count() == 37
    assert MeasureUpdate.objects.count() == 64
    assert Measure.objects.filter(also_serves__isnull=False).distinct().count() == 4
    assert Signatory.objects.count() == 10
    assert DecisionStep.objects.count() == 8


def test_each_response_has_the_entries_its_documents_support(seeded):
    per_response = {
        (r.round.audit.reference or r.round.audit.title, r.round.sequence, r.board.short_code): (
            r.entries.count()
        )
        for r in Response.objects.select_related("round__audit", "board")
    }
    assert per_response == {
        (SR_2018_71, 1, "ASN"): 6,
        (SR_2018_71, 2, "ASN"): 10,
        (SR_2018_71, 3, "ASN"): 10,
        (STK_2020_438, 1, "ASN"): 1,
        (STK_2020_438, 2, "STK"): 8,
        (EXTRATJANSTER, 1, "SN"): 3,
        (IN_DEPTH_2025, 1, "ASN"): 1,
        (IN_DEPTH_2025, 2, "ASN"): 4,
    }


def test_every_recommendation_has_an_entry_in_every_round_a_document_answers_it(seeded):
    for response in Response.objects.filter(provenance="document"):
        answered = set(
            Recommendation.objects.filter(
                audit=response.round.audit, answered_by=response.board
            ).values_list("pk", flat=True)
        )
        with_entry = set(response.entries.values_list("recommendation", flat=True))
        assert answered, response
        assert with_entry == answered, response


def test_all_seed_responses_are_published_and_documents_are_linked(seeded):
    assert set(Response.objects.values_list("state", flat=True)) == {"published"}
    for response in Response.objects.filter(provenance="document"):
        assert response.source_document is not None
    for response in Response.objects.filter(provenance="reference"):
        assert response.source_document is None
        assert response.referenced_in.exists()
        assert response.reference_note.strip()


def test_entries_of_responses_known_only_by_reference_say_where_they_come_from(seeded):
    entries = ResponseEntry.objects.filter(response__provenance="reference")
    assert entries.count() == 8
    for found in entries:
        assert found.narrative.startswith("Enligt "), found


# --- Wording -----------------------------------------------------------------------------


def test_it_keeps_the_audits_own_wording_where_two_documents_differ(seeded):
    assert rec(SR_2018_71, 1).text.startswith("Tydliggör gränsdragningar och innebörden")
    assert "försörjningsstödstagare ska prioriteras" in rec(SR_2018_71, 3).text
    assert rec(SR_2018_71, 10).text == "Brister gällande statistiksamordning"
    assert rec(SR_2018_71, 7).text.startswith("De granskade nämnderna bör")


def test_it_addresses_recommendations_to_the_boards_their_wording_names(seeded):
    def addressed(position):
        return set(rec(SR_2018_71, position).addressed_to.values_list("short_code", flat=True))

    assert addressed(2) == {"KS"}
    assert addressed(4) == {"ASN"}
    assert addressed(6) == {"GVN"}
    assert addressed(7) == {"KS", "ASN", "GVN"}
    for position in range(1, 11):
        answered = rec(SR_2018_71, position).answered_by.values_list("short_code", flat=True)
        assert list(answered) == ["ASN"]
    assert [r.text for r in Recommendation.objects.filter(kind="other_remark")] == [
        "Målstyrningskedja och antal mål",
        "Extern samverkan",
        "Brister gällande statistiksamordning",
    ]


def test_the_decision_points_keep_their_report_back_dates_and_words(seeded):
    def report_back(position):
        point = rec(STK_2020_438, position)
        return (str(point.report_back) if point.report_back else None, point.report_back_text)

    assert report_back(3) == (
        "2021",
        "Ärendet återrapporteras i samband med Delårsrapporten 2021.",
    )
    assert report_back(6) == ("oktober 2020", "Denna analys redovisas i oktober 2020.")
    assert report_back(7)[0] == "våren 2021"
    assert report_back(8) == ("november 2020", "Ärendet återrapporteras i november 2020.")
    assert report_back(5) == (None, "")
    assert set(rec(STK_2020_438, 2).addressed_to.values_list("short_code", flat=True)) == {"ASN"}
    assert rec(STK_2020_438, 1).label == "Beslutspunkt 1"


# --- OCR ---------------------------------------------------------------------------------

# How the OCR of document 003 misread å, ä, ö, "i" and "för".
OCR_DAMAGE = re.compile(
    r"n[ai]imnd|ndmnd|\bnamnd|\d[a-zåäö]|\b[Oo]vrig|bérj|\bf6r|\btor\b|\b1 ett\b|"
    r"sikerst|sirskil|mervirde|tillricklig|firdigh|allmdnn|\bdven\b|\bir\b|\bdr\b|\bpa\b|"
    r"\bmal(?:omr|sitt)|uppf[eéo]lj|uppfdlj|f[oé]rs[oé]rj|arbetsl[eé]s|Malm[oé]\b|Malmé|"
    r"anst[ai]ll|ssmmanhang|\bstiller|\blimna|gillande|n[ai]rmar|slutindan|alltsd|"
    r"\bgoérs|\bnigon|\bstorst|\bfragor|\bgirna|redogér|férdel|bedom|bedém|upprittande|"
    r"uppritta|forstirk|serviceforvaltning|serviceférvaltning|kommunfullmiktig|"
    r"sjalvf|\bDir\b|instillning|forankring|"
    r"[a-zåäö]é|é[a-zåäö]"
)
ALLOWED_WITH_ACCENT = {"Heléne"}


def text_fields(model):
    """Free-text fields: not choices, and not file names (which carry hex hashes)."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and field.name != "file_name"
    ]


def seed_models():
    for app in ("recommendations", "responses"):
        for model in apps.get_app_config(app).get_models():
            if not model.__name__.startswith("Historical") and not getattr(
                model, "is_derived", False
            ):
                yield model


def test_no_ocr_damage_remains_in_any_text_field(seeded):
    damaged = []
    for model in seed_models():
        names = text_fields(model)
        for obj in model.objects.all():
            for name in names:
                value = getattr(obj, name) or ""
                for word in ALLOWED_WITH_ACCENT:
                    value = value.replace(word, "")
                if match := OCR_DAMAGE.search(value):
                    damaged.append((model.__name__, obj.pk, name, match.group()))
    assert damaged == []


def test_the_ocr_damaged_response_reads_as_correct_swedish(seeded):
    response = Response.objects.get(source_document__file_name="003_757bc8cbdf9183ba.txt")
    first = response.entries.get(recommendation__position=1)
    assert "i ett sammanhang" in first.narrative
    assert "närma sig den öppna arbetsmarknaden" in first.narrative
    assert "”+1000 arbetsmarknadsanställningar”" in first.narrative
    assert rec(EXTRATJANSTER, 1).text.startswith(
        "Säkerställa att servicenämnden når upp till fullmäktiges intentioner"
    )
    assert rec(EXTRATJANSTER, 2).text.endswith("som den enskilde har tillskansat sig.")
    assert "1500 extratjänster" in audit(EXTRATJANSTER).summary


# --- Dates -------------------------------------------------------------------------------


def test_dates_keep_the_precision_the_documents_give(seeded):
    def doc(file_name):
        return SourceDocument.objects.get(file_name=file_name).document

    assert str(doc("001_73cbc49ab9bacd08.txt")) == "2019-09-03"
    assert str(doc("000_d22d752ec54fe2a6.txt")) == "hösten 2020"
    assert doc("000_d22d752ec54fe2a6.txt").precision == Precision.TERM
    assert str(doc("003_757bc8cbdf9183ba.txt")) == "2022-02-16"
    assert str(doc("004_c9be0284574dc717.txt")) == "2020-09-07"

    sr = audit(SR_2018_71)
    assert (str(sr.conducted_from), str(sr.conducted_to)) == ("2018", "2018")
    in_depth = audit(IN_DEPTH_2025)
    assert (str(in_depth.conducted_from), str(in_depth.conducted_to)) == (
        "april 2025",
        "juni 2025",
    )
    assert str(sr.rounds.get(sequence=2).deadline) == "2019-09-30"


def test_the_responses_carry_their_own_dates(seeded):
    first = Response.objects.get(round__audit=audit(SR_2018_71), round__sequence=1)
    assert (str(first.document), first.provenance) == ("2019-02-22", "reference")
    status = Response.objects.get(round__audit=audit(SR_2018_71), round__sequence=3)
    assert str(status.date) == "hösten 2020"

    first_2025 = Response.objects.get(round__audit=audit(IN_DEPTH_2025), round__sequence=1)
    assert first_2025.diary_number == "ASN-2025-15448"
    assert str(first_2025.document) == "oktober 2025"
    # "i oktober 2025": the month is known, the day of the decision is not.
    assert first_2025.decision_date is None
    assert str(first_2025.date) == "oktober 2025"
    # The 2026 document is a proposal ("Förslag till beslut"): no decision is known yet.
    follow_up = Response.objects.get(round__audit=audit(IN_DEPTH_2025), round__sequence=2)
    assert follow_up.decision_date is None
    assert str(follow_up.date) == "2026"
    assert SourceDocument.objects.get(
        file_name="003_757bc8cbdf9183ba.txt"
    ).responses.get().decision_date == dt.date(2022, 2, 16)

    remiss = Response.objects.get(round__audit=audit(STK_2020_438), board__short_code="ASN")
    assert remiss.decision_date == dt.date(2020, 8, 27)
    assert "§ 238" in remiss.decided_by


def test_the_2019_response_records_both_its_dates(seeded):
    september = Response.objects.get(round__audit=audit(SR_2018_71), round__sequence=2)
    assert str(september.document) == "2019-09-03"
    assert september.decision_date is None
    assert "2019-09-30" in september.summary
    assert "2019-09-30" in september.source_document.notes


def test_measures_keep_their_due_dates_and_precision(seeded):
    training = measure("Personalutbildning i kvalitetsutvecklingssystem för samtliga chefer")
    assert (str(training.due), training.status) == ("maj 2026", "planned")
    # "Från och med den 1 juli 2026 kommer avdelningen … att införa": a start, not a deadline.
    quality = measure("Införande av nämndens kvalitetsledningssystem i arbetsmarknadsinsatserna")
    assert (quality.due, quality.status) == (None, "in_progress")
    assert "1 juli 2026" in quality.description
    target_groups = measure("Fördjupad målgrupps- och konsekvensanalys inför aktivitetskravet")
    assert str(target_groups.due) == "2026-07-01"
    # "kommer riskanalyser från hösten 2019 att genomföras": when they start, no deadline.
    risk = measure("Riskanalyser inom förvaltningens fokusområden utifrån nämndens tvärprocesser")
    assert (risk.due, str(risk.completed)) == (None, "oktober 2019")
    assert "från hösten 2019" in risk.description
    database = measure("Utveckling av databasen med avdelningens befintliga insatser")
    assert database.status == "implemented"


# --- Timeline and signatories ------------------------------------------------------------


def test_it_records_the_decision_timelines(seeded):
    def steps(response):
        return [(s.body, s.date.isoformat()) for s in response.decision_steps.all()]

    memo = Response.objects.get(source_document__file_name="004_c9be0284574dc717.txt")
    assert memo.decision_date is None
    assert steps(memo) == [
        ("Kommunstyrelsens arbetsutskott", "2020-09-07"),
        ("Kommunstyrelsen", "2020-09-09"),
    ]
    first_2025 = Response.objects.get(round__audit=audit(IN_DEPTH_2025), round__sequence=1)
    assert [date for _, date in steps(first_2025)] == ["2025-10-01", "2025-10-09", "2025-10-23"]
    follow_up = Response.objects.get(round__audit=audit(IN_DEPTH_2025), round__sequence=2)
    assert steps(follow_up)[-1] == ("Arbetsmarknads- och socialnämnden", "2026-05-21")
    # Every step comes from a "Beslutsplanering": planned, not reported as held.
    assert set(DecisionStep.objects.values_list("planned", flat=True)) == {True}


def test_it_records_who_signed_each_document(seeded):
    def signed(file_name):
        response = Response.objects.get(source_document__file_name=file_name)
        return [(s.name, s.title) for s in response.signatories.all()]

    assert signed("001_73cbc49ab9bacd08.txt") == [
        ("Rose-Marie Carlsson", "Ordförande"),
        ("Britt-Marie Pettersson", "Förvaltningsdirektör"),
    ]
    assert signed("000_d22d752ec54fe2a6.txt") == [
        ("Sedat Arif", "Ordförande"),
        ("Britt-Marie Pettersson", "Förvaltningsdirektör"),
    ]
    assert signed("002_ba3a9c68c88c9248.txt") == [
        ("Daniel Mattsson", "Enhetschef"),
        ("Truls Hallin", "Avdelningschef"),
        ("Britt-Marie Pettersson", "Förvaltningschef"),
    ]
    assert [name for name, _ in signed("004_c9be0284574dc717.txt")] == [
        "Heléne Norberg",
        "Daniel Olsson",
        "Andreas Norbrant",
    ]


# --- Measures across rounds and cross-references -----------------------------------------


def test_a_measure_reported_in_several_rounds_is_one_measure_with_an_update_per_round(seeded):
    workshops = measure(
        "Gemensamma workshoppar om ansvarsfördelning, gränsdragningar och samverkansstrukturer"
    )
    updates = list(
        workshops.updates.filter(entry__recommendation=workshops.recommendation).order_by(
            "entry__response__round__sequence"
        )
    )
    # 000 never reports the workshops held: the work went on in dialogue meetings, and the
    # order for grants to non-profits is still to be settled.
    assert [(u.entry.response.round.sequence, u.status) for u in updates] == [
        (1, "planned"),
        (2, "in_progress"),
        (3, "partly_implemented"),
    ]
    assert "omorganisation" in updates[1].note
    assert str(workshops.due) == "juni 2019"
    assert (workshops.status, workshops.completed) == ("partly_implemented", None)
    assert workshops.announced_in == updates[0].entry

    strategy = measure("Strategi för utveckling av arbetet med arbetsgivare")
    assert (strategy.status, str(strategy.completed)) == ("implemented", "våren 2020")
    pilot = measure("Pilotprojekt med rekryteringsservice riktad mot arbetsgivare")
    # "Under perioden november 2018 till februari 2019 har ett pilotprojekt genomförts": done
    # then, but no due date was ever given.
    assert (str(pilot.completed), pilot.due) == ("februari 2019", None)
    plan = measure("Gemensam genomförandeplan för Jobbpakten och nämndsmålen")
    assert plan.status == "no_longer_relevant"
    assert plan.updates.count() == 3


def test_every_measure_update_belongs_to_a_recommendation_its_measure_serves(seeded):
    for update in MeasureUpdate.objects.select_related("measure", "entry"):
        assert update.measure.serves(update.entry.recommendation_id)
    for found in Measure.objects.all():
        assert found.announced_in.recommendation_id == found.recommendation_id
        assert found.updates.filter(entry=found.announced_in).exists()


def test_recommendation_7_of_sr_2018_71_shows_the_workshops_with_their_history_2019_2020(
    seeded, client
):
    purpose = rec(SR_2018_71, 7)
    workshops = measure(
        "Gemensamma workshoppar om ansvarsfördelning, gränsdragningar och samverkansstrukturer"
    )
    assert workshops.recommendation == rec(SR_2018_71, 1)
    assert list(workshops.also_serves.all()) == [purpose]
    assert workshops in Measure.objects.serving(purpose)
    updates = list(
        workshops.updates.filter(entry__recommendation=purpose).order_by(
            "entry__response__round__sequence"
        )
    )
    assert [(str(u.entry.response.date), u.status) for u in updates] == [
        ("2019-02-22", "planned"),
        ("2019-09-03", "in_progress"),
        ("hösten 2020", "partly_implemented"),
    ]
    assert "juni 2019" in updates[0].note
    assert "organisation" in updates[1].note
    assert "samverkansstruktur" in updates[2].note

    page = client.get(purpose.get_absolute_url()).content.decode()
    assert page.count(workshops.title) >= 4  # three rounds' measure tables and the measures table
    assert "Gemensam åtgärd, redovisas främst under" in page


def test_the_2026_quality_management_system_serves_recommendations_1_to_3(seeded):
    system = measure("Införande av nämndens kvalitetsledningssystem i arbetsmarknadsinsatserna")
    assert system.recommendation == rec(IN_DEPTH_2025, 1)
    assert list(system.also_serves.order_by("position")) == [
        rec(IN_DEPTH_2025, 2),
        rec(IN_DEPTH_2025, 3),
    ]
    reported = {
        (u.entry.response.round.sequence, u.entry.recommendation.position): u.status
        for u in system.updates.select_related("entry__response__round", "entry__recommendation")
    }
    assert reported == {
        (1, 1): "planned",
        (2, 1): "in_progress",
        (2, 2): "in_progress",
        (2, 3): "in_progress",
    }
    assert "1 juli 2026" in system.updates.get(entry__recommendation__position=3).note


def test_the_2020_response_links_to_the_executive_boards_decision_point_3(seeded):
    strategic_role = entry(SR_2018_71, 3, 1)
    assert list(strategic_role.references.all()) == [rec(STK_2020_438, 3)]
    assert "Delårsrapporten 2021" in strategic_role.narrative


def test_the_service_board_response_points_at_the_social_boards_project(seeded):
    certificate = entry(EXTRATJANSTER, 1, 2, board="SN")
    project = certificate.announced_measures.get()
    assert project.board.short_code == "ASN"
    assert "AMA" in project.responsible


# --- Facts that must survive --------------------------------------------------------------


def missing(found, *phrases):
    """The phrases that do not occur in the entry's narrative."""
    return [phrase for phrase in phrases if phrase not in found.narrative]


def test_figures_in_the_documents_survive_in_the_entries(seeded):
    assert missing(entry(SR_2018_71, 3, 5), "12 procent", "49 procent", "Nora") == []
    assert missing(entry(SR_2018_71, 2, 10), "4 716 kr", "7 241 kr") == []
    assert (
        missing(entry(SR_2018_71, 2, 5), "16 rekryteringsträffar", "fem deltagare", "Ung Malmö")
        == []
    )
    assert (
        missing(
            entry(IN_DEPTH_2025, 2, 2),
            "5 364 inskrivna",
            "4 361 Malmöbor",
            "55 procent kvinnor",
            "45 procent män",
            "89 procent",
            "10,5–12,7 timmar",
            "51 kvinnor och 61 män",
            "1 957 deltagare",
            "339 deltagare",
            "60 procent mycket nöjda",
            "33 procent ganska nöjda",
            "5 procent ganska missnöjda",
            "2 procent mycket missnöjda",
            "Början, FRAM och Jobbspår",
        )
        == []
    )
    assert missing(entry(IN_DEPTH_2025, 2, 1), "SOSFS 2011:9", "maj 2026", "1 juli 2026") == []
    assert missing(entry(IN_DEPTH_2025, 2, 3), "Komin", "IVO") == []
    assert missing(entry(SR_2018_71, 3, 10), "QlikSense") == []
    assert missing(entry(SR_2018_71, 2, 9), "SÖK") == []
    assert missing(entry(SR_2018_71, 2, 8), "Jobbpakten") == []
    assert missing(entry(SR_2018_71, 3, 6), "KAA", "drop-in-mottagning") == []
    assert (
        missing(
            entry(STK_2020_438, 2, 1, board="STK"),
            "4,5 procent",
            "2,5 procent",
            "knappt 30 procent",
        )
        == []
    )


# --- Validity ----------------------------------------------------------------------------


def test_every_seed_object_passes_full_clean(seeded):
    checked = 0
    for model in seed_models():
        for obj in model.objects.all():
            obj.full_clean()
            checked += 1
    assert checked == 219


def test_importing_the_seeds_again_changes_nothing_and_keeps_staff_and_counts(seeded):
    malmo = Municipality.objects.get(slug="malmo-stad")
    counts = (malmo.audit_count, malmo.recommendation_count, malmo.implemented_count)
    assert counts[0] > 0
    staff = make_user("anna", boards=[Board.objects.get(short_code="ASN", municipality=malmo)])
    output = io.StringIO()

    call_command("import_fixtures", str(SEED_FIXTURES), stdout=output)

    assert not re.search(r"[1-9]\d* (nya|ändrade)", output.getvalue()), output.getvalue()
    malmo.refresh_from_db()
    assert (malmo.audit_count, malmo.recommendation_count, malmo.implemented_count) == counts
    assert list(staff.boards.values_list("short_code", flat=True)) == ["ASN"]
