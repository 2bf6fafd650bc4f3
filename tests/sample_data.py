"""A small, realistic data set for page and browser tests, built through the ORM.

Modelled on the seed documents: the PwC audit of labour-market measures (SR-2018-71) of the
labour-market and social board (ASN), its first response of 2019-02-22, a follow-up on the
measures taken in 2019, and an open round for a status description.
"""

import datetime
from dataclasses import dataclass

from recommendations.dates import Precision
from recommendations.models import Audit, Board, FollowUpRound, Municipality, Recommendation
from recommendations.status import Status
from responses.models import Measure, Response, ResponseEntry


@dataclass
class Sample:
    municipality: Municipality
    asn: Board
    service_board: Board
    auditors: Board
    audit: Audit
    first_round: FollowUpRound
    second_round: FollowUpRound
    open_round: FollowUpRound
    rec_1: Recommendation
    rec_2: Recommendation
    first_response: Response
    second_response: Response
    measure: Measure


def build_sample(*, text: str = "") -> Sample:
    """Create the sample; ``text`` is appended to every free-text field (for hostile input)."""
    malmo = Municipality.objects.create(name="Malmö stad", slug="malmo")
    asn = Board.objects.create(
        municipality=malmo, name="Arbetsmarknads- och socialnämnden", short_code="ASN"
    )
    service_board = Board.objects.create(municipality=malmo, name="Servicenämnden", short_code="SN")
    auditors = Board.objects.create(
        municipality=malmo, name="Revisorskollegiet", short_code="REV", kind=Board.Kind.AUDITORS
    )
    audit = Audit.objects.create(
        municipality=malmo,
        reference="SR-2018-71",
        title="Granskning av arbetsmarknadsinsatser" + text,
        auditor=auditors,
        firm="PwC",
        conducted_from_date=datetime.date(2018, 1, 1),
        conducted_from_precision=Precision.YEAR,
        summary="Granskningen av nämndens arbetsmarknadsinsatser." + text,
    )
    audit.audited_boards.add(asn)
    first_round, second_round, open_round = (
        FollowUpRound.objects.create(
            audit=audit,
            sequence=sequence,
            kind=kind,
            title=title + text,
            requested_by="Revisorskollegiet",
            deadline_date=deadline,
            deadline_precision=Precision.DAY,
            is_open=is_open,
        )
        for sequence, kind, title, deadline, is_open in (
            (1, FollowUpRound.Kind.FIRST_RESPONSE, "Yttrande över revisionsrapporten",
             datetime.date(2019, 2, 22), False),
            (2, FollowUpRound.Kind.MEASURES_TAKEN, "Uppföljning av vidtagna åtgärder",
             datetime.date(2019, 9, 30), False),
            (3, FollowUpRound.Kind.STATUS_DESCRIPTION, "Lägesbeskrivning",
             datetime.date(2026, 12, 31), True),
        )
    )  # fmt: skip
    rec_1 = Recommendation.objects.create(
        audit=audit,
        position=1,
        label="Rekommendation 1",
        text="Säkerställ en gemensam uppföljning av deltagarnas resultat." + text,
    )
    rec_2 = Recommendation.objects.create(
        audit=audit,
        position=2,
        label="Rekommendation 2",
        text="Tydliggör ansvarsfördelningen mellan förvaltningarna." + text,
    )
    for recommendation in (rec_1, rec_2):
        recommendation.addressed_to.add(asn)
        recommendation.answered_by.add(asn)
    first_response = Response.objects.create(
        board=asn,
        round=first_round,
        title="Yttrande över revisionsrapport om arbetsmarknadsinsatser" + text,
        diary_number="ASN-2018-22109",
        decision_date=datetime.date(2019, 2, 22),
        decided_by="Arbetsmarknads- och socialnämnden",
        state=Response.State.PUBLISHED,
    )
    ResponseEntry.objects.create(
        response=first_response,
        recommendation=rec_1,
        status=Status.PLANNED,
        narrative="Nämnden ska ta fram ett uppföljningssystem för deltagarna." + text,
    )
    ResponseEntry.objects.create(
        response=first_response,
        recommendation=rec_2,
        status=Status.IN_PROGRESS,
        narrative="En samverkansöverenskommelse förbereds." + text,
    )
    second_response = Response.objects.create(
        board=asn,
        round=second_round,
        title="Uppföljning av vidtagna åtgärder" + text,
        diary_number="ASN-2019-1234",
        decision_date=datetime.date(2019, 9, 24),
        state=Response.State.PUBLISHED,
        summary="Nämnden redovisar vidtagna åtgärder." + text,
    )
    entry = ResponseEntry.objects.create(
        response=second_response,
        recommendation=rec_1,
        status=Status.IN_PROGRESS,
        narrative="Uppföljningssystemet Stratsys införs under hösten." + text,
    )
    ResponseEntry.objects.create(
        response=second_response,
        recommendation=rec_2,
        status=Status.IMPLEMENTED,
        narrative="Samverkansöverenskommelsen är beslutad." + text,
    )
    measure = Measure.objects.create(
        recommendation=rec_1,
        board=asn,
        title="Införa Stratsys för deltagaruppföljning" + text,
        description="Ett gemensamt system för resultatuppföljning." + text,
        responsible="Avdelningen för arbetsmarknad" + text,
        status=Status.IN_PROGRESS,
        due_date=datetime.date(2020, 1, 1),
        due_precision=Precision.TERM,
        announced_in=entry,
    )
    return Sample(
        municipality=malmo,
        asn=asn,
        service_board=service_board,
        auditors=auditors,
        audit=audit,
        first_round=first_round,
        second_round=second_round,
        open_round=open_round,
        rec_1=rec_1,
        rec_2=rec_2,
        first_response=first_response,
        second_response=second_response,
        measure=measure,
    )
