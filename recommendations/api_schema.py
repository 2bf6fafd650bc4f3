"""The JSON API's answers as pydantic models: the API builds its JSON through them and the
OpenAPI description (``openapi.py``) and the field dictionary are generated from them, so the
three cannot drift apart.

Each model owns its fields (type and meaning) and the one ``of()`` that fills them from the
domain objects: a new field, such as each board's standing per recommendation, is one line in
the model and one in its ``of()``. Descriptions are Swedish msgids, translated when a schema is
generated (``openapi.TranslatedJsonSchema``), because the classes are built at import time.
"""

import datetime as dt
from functools import lru_cache
from typing import Literal

from django.utils.translation import get_language, gettext_noop
from pydantic import BaseModel, ConfigDict, Field

from responses.models import Response

from .models import Audit, FollowUpRound, Recommendation
from .status import Status, status_labels

# The version of the API's contract (README, "JSON API": what a version keeps stable).
API_VERSION = "1.1.0"


class Schema(BaseModel):
    # Unknown fields are a programming error: the description must name every field sent.
    model_config = ConfigDict(extra="forbid", use_enum_values=False)


class AnswerContext:
    """What each part of one request's answer is written with, looked up once for the
    request: the language of its statuses' labels, the day "overdue" is judged by, and
    its pages' absolute addresses (the models' ``url_for_each`` after the request's
    scheme and host, as ``request.build_absolute_uri`` writes a path). A page of 20
    timelines has some two hundred statuses and seventy addresses, and each had looked
    the language, the URL pattern and the host up again."""

    def __init__(self, request, today: dt.date):
        self.language = get_language()
        self.today = today
        self._scheme_and_host = request.build_absolute_uri("/").removesuffix("/")
        self._recommendation_path = Recommendation.url_for_each()
        self._audit_path = Audit.url_for_each()
        self._response_path = Response.url_for_each()

    def recommendation_url(self, recommendation) -> str:
        path = self._recommendation_path(recommendation.audit.municipality.slug, recommendation.pk)
        return self._scheme_and_host + path

    def audit_url(self, audit) -> str:
        return self._scheme_and_host + self._audit_path(audit.municipality.slug, audit.pk)

    def response_url(self, response) -> str:
        path = self._response_path(response.board.municipality.slug, response.pk)
        return self._scheme_and_host + path


def _field(description, **kwargs):
    return Field(description=description, **kwargs)


class FuzzyDateOut(Schema):
    __doc__ = gettext_noop("Ett datum som bara kan vara känt till månad, termin eller år.")

    text: str = _field(
        gettext_noop(
            "Datumet i maskinform: 2019-02-22 (dag), 2026-05 (månad), 2020-H2 (termin) "
            "eller 2018 (år)."
        )
    )
    start: dt.date = _field(gettext_noop("Periodens första dag."))
    end: dt.date = _field(gettext_noop("Periodens sista dag."))

    @classmethod
    def of(cls, value):
        if value is None:
            return None
        return cls(text=value.as_text(), start=value.start, end=value.end)


class LabelledStatusOut(Schema):
    __doc__ = gettext_noop("En status ur den gemensamma vokabulären, med sin svenska benämning.")

    # One instance per status and language is shared by every answer (an API page has
    # some two hundred statuses), so none may be changed.
    model_config = ConfigDict(extra="forbid", use_enum_values=False, frozen=True)

    value: Status = _field(gettext_noop("Statusens kod."))
    label: str = _field(gettext_noop("Statusens benämning på svenska."))

    @classmethod
    def of(cls, value, language: str | None):
        if not value:
            return None
        # A stored value (as rows hold it) or a Status: ``_labelled_status`` reads either.
        return _labelled_status(value, language)


@lru_cache(maxsize=64)
def _labelled_status(value: str, language: str | None) -> LabelledStatusOut:
    status = Status(value)
    return LabelledStatusOut(value=status, label=status_labels()[status.value])


class BoardOut(Schema):
    __doc__ = gettext_noop("En nämnd, styrelse eller förvaltning.")

    id: int = _field(gettext_noop("Nämndens id."))
    short_code: str = _field(gettext_noop("Nämndens förkortning, till exempel ASN."))
    name: str = _field(gettext_noop("Nämndens namn."))

    @classmethod
    def of(cls, board):
        return cls(id=board.pk, short_code=board.short_code, name=board.name)


class AuditOut(Schema):
    __doc__ = gettext_noop("Granskningen som rekommendationen kommer från.")

    id: int = _field(gettext_noop("Granskningens id."))
    reference: str = _field(
        gettext_noop("Granskningens diarienummer, till exempel SR-2018-71; kan vara tomt.")
    )
    title: str = _field(gettext_noop("Granskningens titel."))
    title_inference: str = _field(
        gettext_noop("Varför titeln är en tolkning; tomt när dokumentet säger det.")
    )
    url: str = _field(gettext_noop("Granskningens sida."))

    @classmethod
    def of(cls, audit, context):
        return cls(
            id=audit.pk,
            reference=audit.reference,
            title=audit.title,
            title_inference=audit.title_inference,
            url=context.audit_url(audit),
        )


class RoundOut(Schema):
    __doc__ = gettext_noop("En uppföljningsomgång av granskningen.")

    sequence: int = _field(gettext_noop("Omgångens ordningsnummer, 1 för den första."))
    kind: FollowUpRound.Kind = _field(gettext_noop("Vad revisionen bad om i omgången."))
    title: str = _field(gettext_noop("Omgångens rubrik."))
    deadline: FuzzyDateOut | None = _field(gettext_noop("Sista dag att svara, om den är känd."))

    @classmethod
    def of(cls, round):
        return cls(
            sequence=round.sequence,
            kind=round.kind,
            title=round.title,
            deadline=FuzzyDateOut.of(round.deadline),
        )


class AssessmentOut(Schema):
    __doc__ = gettext_noop("Revisionens egen bedömning av rekommendationen i en omgång.")

    status: LabelledStatusOut = _field(gettext_noop("Revisionens bedömda status."))
    comment: str = _field(gettext_noop("Revisionens kommentar."))
    assessed_on: dt.date = _field(gettext_noop("Dagen bedömningen gjordes."))

    @classmethod
    def of(cls, assessment, context):
        if assessment is None:
            return None
        return cls(
            status=LabelledStatusOut.of(assessment.status, context.language),
            comment=assessment.comment,
            assessed_on=assessment.assessed_on,
        )


class ResponseRefOut(Schema):
    __doc__ = gettext_noop("Yttrandet som ett svar ingår i.")

    id: int = _field(gettext_noop("Yttrandets id."))
    title: str = _field(gettext_noop("Yttrandets rubrik."))
    title_inference: str = _field(
        gettext_noop("Varför rubriken är en tolkning; tomt när dokumentet säger det.")
    )
    diary_number: str = _field(gettext_noop("Nämndens diarienummer; kan vara tomt."))
    board: BoardOut = _field(gettext_noop("Nämnden som lämnade yttrandet."))
    date: FuzzyDateOut | None = _field(gettext_noop("Beslutsdatum, annars dokumentets datum."))
    date_inference: str = _field(
        gettext_noop("Varför datumet är en tolkning; tomt när dokumentet säger det.")
    )
    decision_date: dt.date | None = _field(
        gettext_noop("Dagen nämnden beslutade yttrandet; null tills ett beslut är känt.")
    )
    state: Response.State = _field(
        gettext_noop("Yttrandets läge; allmänheten ser bara publicerade yttranden.")
    )
    url: str = _field(gettext_noop("Yttrandets sida."))

    @classmethod
    def of(cls, response, context):
        return cls(
            id=response.pk,
            title=response.title,
            title_inference=response.title_inference,
            diary_number=response.diary_number,
            board=BoardOut.of(response.board),
            date=FuzzyDateOut.of(response.date),
            date_inference=response.date_inference,
            decision_date=response.decision_date,
            state=response.state,
            url=context.response_url(response),
        )


class MeasureUpdateOut(Schema):
    __doc__ = gettext_noop("Vad ett svar rapporterar om en åtgärd.")

    measure: int = _field(gettext_noop("Åtgärdens id (se measures)."))
    status: LabelledStatusOut | None = _field(gettext_noop("Åtgärdens status enligt svaret."))
    note: str = _field(gettext_noop("Nämndens anteckning om åtgärden i svaret."))

    @classmethod
    def of(cls, update, context):
        return cls(
            measure=update.measure_id,
            status=LabelledStatusOut.of(update.status, context.language),
            note=update.note,
        )


class EntryOut(Schema):
    __doc__ = gettext_noop("En nämnds svar om rekommendationen i ett yttrande.")

    id: int = _field(gettext_noop("Svarets id."))
    response: ResponseRefOut = _field(gettext_noop("Yttrandet som svaret ingår i."))
    status: LabelledStatusOut = _field(
        gettext_noop("Nämndens egen status för rekommendationen i svaret.")
    )
    status_change: Literal["first", "same", "forward", "backward", "changed"] = _field(
        gettext_noop(
            "Jämfört med samma nämnds förra svar: first (första svaret), same (samma status), "
            "forward (framåt), backward (bakåt) eller changed (annan status, samma framsteg)."
        )
    )
    narrative: str = _field(gettext_noop("Nämndens redogörelse."))
    repeats_previous: bool = _field(
        gettext_noop(
            "Sant när redogörelsen till minst 90 % upprepar nämndens förra svar ordagrant."
        )
    )
    measure_updates: list[MeasureUpdateOut] = _field(
        gettext_noop("Vad svaret rapporterar om åtgärder.")
    )

    @classmethod
    def of(cls, step, context):
        return cls(
            id=step.entry.pk,
            response=ResponseRefOut.of(step.response, context),
            status=LabelledStatusOut.of(step.entry.status, context.language),
            status_change=step.status_change,
            narrative=step.entry.narrative,
            repeats_previous=step.is_repeat,
            measure_updates=[
                MeasureUpdateOut.of(update, context) for update in step.measure_updates
            ],
        )


class TimelineRoundOut(Schema):
    __doc__ = gettext_noop(
        "En omgång på rekommendationens tidslinje: svaren och revisionens bedömning."
    )

    round: RoundOut = _field(gettext_noop("Omgången."))
    assessment: AssessmentOut | None = _field(
        gettext_noop("Revisionens bedömning i omgången, om den finns.")
    )
    entries: list[EntryOut] = _field(
        gettext_noop("Nämndernas svar i omgången som du får läsa; tom om inget finns.")
    )

    @classmethod
    def of(cls, step, context):
        return cls(
            round=RoundOut.of(step.round),
            assessment=AssessmentOut.of(step.assessment, context),
            entries=[EntryOut.of(entry, context) for entry in step.entries],
        )


class DueDateChangeOut(Schema):
    __doc__ = gettext_noop("En flyttad tidpunkt för en åtgärd.")

    previous: FuzzyDateOut | None = _field(gettext_noop("Tidpunkten före flytten."))
    new: FuzzyDateOut | None = _field(gettext_noop("Den nya tidpunkten."))
    reason: str = _field(gettext_noop("Skälet till flytten."))
    entry: int | None = _field(gettext_noop("Svaret där flytten rapporterades (id), om det finns."))

    @classmethod
    def of(cls, change):
        return cls(
            previous=FuzzyDateOut.of(change.previous),
            new=FuzzyDateOut.of(change.new),
            reason=change.reason,
            entry=change.entry_id,
        )


class MeasureOut(Schema):
    __doc__ = gettext_noop("En åtgärd som nämnden har aviserat, som den står i dag.")

    id: int = _field(gettext_noop("Åtgärdens id."))
    title: str = _field(gettext_noop("Åtgärden."))
    board: str = _field(gettext_noop("Förkortningen för nämnden som äger åtgärden."))
    responsible: str = _field(gettext_noop("Ansvarig enligt nämnden."))
    status: LabelledStatusOut = _field(gettext_noop("Åtgärdens senast publicerade status."))
    due: FuzzyDateOut | None = _field(gettext_noop("När åtgärden ska vara klar (efter flyttar)."))
    due_inference: str = _field(
        gettext_noop("Varför klart-datumet är en tolkning; tomt när dokumentet säger det.")
    )
    completed: FuzzyDateOut | None = _field(gettext_noop("När åtgärden genomfördes."))
    completed_inference: str = _field(
        gettext_noop("Varför genomförandedatumet är en tolkning; tomt när dokumentet säger det.")
    )
    overdue: bool = _field(
        gettext_noop(
            "Sant när åtgärden inte är avslutad, hela perioden den skulle vara klar har "
            "passerat och svaret som aviserade den är publicerat."
        )
    )
    days_overdue: int = _field(
        gettext_noop("Antal dagar åtgärden är försenad; 0 om den inte är det.")
    )
    proposal: bool = _field(
        gettext_noop(
            "Sant för en åtgärd i ett svar som inte är publicerat än (bara den som får läsa "
            "svaret ser den): ett förslag, som aldrig räknas som öppen eller försenad."
        )
    )
    effect: str = _field(gettext_noop("Åtgärdens effekt enligt nämnden."))
    announced_in_entry: int | None = _field(gettext_noop("Svaret där åtgärden aviserades (id)."))
    recommendation: int = _field(
        gettext_noop("Rekommendationen som åtgärden rapporteras under (id).")
    )
    shared: bool = _field(gettext_noop("Sant när åtgärden också gäller andra rekommendationer."))
    shared_with: list[int] = _field(
        gettext_noop("De andra rekommendationerna som åtgärden gäller (id).")
    )
    due_date_changes: list[DueDateChangeOut] = _field(
        gettext_noop("Flyttade tidpunkter, äldst först.")
    )

    @classmethod
    def of(cls, state, context):
        measure = state.measure
        return cls(
            id=measure.pk,
            title=measure.title,
            board=measure.board.short_code,
            responsible=measure.responsible,
            status=LabelledStatusOut.of(measure.status, context.language),
            due=FuzzyDateOut.of(state.due),
            due_inference=measure.due_inference,
            completed=FuzzyDateOut.of(measure.completed),
            completed_inference=measure.completed_inference,
            overdue=state.is_overdue,
            days_overdue=state.days_overdue,
            proposal=state.is_proposal,
            effect=measure.effect,
            announced_in_entry=measure.announced_in_id,
            recommendation=measure.recommendation_id,
            shared=state.is_shared,
            shared_with=[other.pk for other in state.shared_with],
            due_date_changes=[DueDateChangeOut.of(c) for c in state.due_date_changes],
        )


class StandingOut(Schema):
    __doc__ = gettext_noop(
        "En nämnds eget läge för rekommendationen: dess status i dess senaste publicerade svar."
    )

    board: BoardOut = _field(gettext_noop("Nämnden."))
    addressed: bool = _field(
        gettext_noop("Sant när rekommendationen riktas till nämnden (annars besvarar den den).")
    )
    must_answer: bool = _field(
        gettext_noop(
            "Sant när nämnden ska svara på rekommendationen; falskt när den riktas till "
            "nämnden men besvaras av en annan nämnd."
        )
    )
    answered: bool = _field(gettext_noop("Sant när nämnden har publicerat ett svar."))
    status: LabelledStatusOut | None = _field(
        gettext_noop(
            "Nämndens status i dess senaste publicerade svar; null om den inte har svarat."
        )
    )
    round: int | None = _field(gettext_noop("Omgången som statusen kommer från (ordningsnummer)."))
    answered_on: FuzzyDateOut | None = _field(gettext_noop("Datumet för det svaret."))
    assessment: LabelledStatusOut | None = _field(
        gettext_noop("Revisionens senaste bedömning av rekommendationen.")
    )
    disagrees: bool = _field(
        gettext_noop("Sant när revisionens senaste bedömning skiljer sig från nämndens status.")
    )
    open_measures: int = _field(
        gettext_noop("Nämndens öppna, publicerade åtgärder för rekommendationen.")
    )
    next_due: FuzzyDateOut | None = _field(
        gettext_noop("När nästa öppna åtgärd ska vara klar (den period som slutar först).")
    )
    overdue: bool = _field(gettext_noop("Sant när nämnden har en försenad åtgärd."))

    @classmethod
    def of(cls, standing, context):
        return cls(
            board=BoardOut.of(standing.board),
            addressed=standing.is_addressed,
            must_answer=standing.must_answer,
            answered=bool(standing.status),
            status=LabelledStatusOut.of(standing.status, context.language),
            round=standing.round.sequence if standing.round else None,
            answered_on=FuzzyDateOut.of(standing.answered) if standing.status else None,
            assessment=LabelledStatusOut.of(standing.assessment_status, context.language),
            disagrees=standing.disagrees,
            open_measures=standing.open_measures,
            next_due=FuzzyDateOut.of(standing.next_due),
            overdue=standing.has_overdue_measures(context.today),
        )


class RecommendationOut(Schema):
    __doc__ = gettext_noop("En rekommendation med hela sin tidslinje över uppföljningsomgångarna.")

    id: int = _field(gettext_noop("Rekommendationens id."))
    url: str = _field(gettext_noop("Rekommendationens sida med tidslinjen."))
    label: str = _field(
        gettext_noop("Rekommendationens beteckning, till exempel Rekommendation 1.")
    )
    position: int = _field(gettext_noop("Rekommendationens ordning i granskningen."))
    kind: Recommendation.Kind = _field(gettext_noop("Vad slags punkt det är."))
    text: str = _field(gettext_noop("Rekommendationens lydelse."))
    audit: AuditOut = _field(gettext_noop("Granskningen."))
    addressed_to: list[BoardOut] = _field(
        gettext_noop("Nämnderna som rekommendationen riktas till.")
    )
    answered_by: list[BoardOut] = _field(
        gettext_noop(
            "Andra nämnder som svarar på den (till exempel på uppdrag av kommunstyrelsen)."
        )
    )
    current_status: LabelledStatusOut | None = _field(
        gettext_noop(
            "Rekommendationens egen status: den minst framskridna bland nämnderna som har "
            "svarat; null om ingen har svarat."
        )
    )
    boards_answered: int = _field(gettext_noop("Antal nämnder som har publicerat ett svar."))
    boards_required: int = _field(gettext_noop("Antal nämnder som ska svara."))
    standings: list[StandingOut] = _field(
        gettext_noop(
            "Varje nämnd som rekommendationen gäller (den riktas till nämnden, nämnden ska "
            "svara på den eller har svarat), med sin egen status, även de som inte har svarat."
        )
    )
    addressed_to_inference: str = _field(
        gettext_noop(
            "Varför nämnderna i addressed_to är en tolkning; tomt när dokumentet säger det."
        )
    )
    report_back: FuzzyDateOut | None = _field(
        gettext_noop("När nämnden senast ska återrapportera, om revisionen har angett det.")
    )
    closed_on: dt.date | None = _field(gettext_noop("Dagen revisionen avslutade rekommendationen."))
    timeline: list[TimelineRoundOut] = _field(
        gettext_noop("Varje omgång av granskningen i ordning, med svar och bedömning.")
    )
    measures: list[MeasureOut] = _field(
        gettext_noop("Rekommendationens åtgärder och de delade åtgärder som också gäller den.")
    )

    @classmethod
    def of(cls, recommendation, timeline, context):
        return cls(
            id=recommendation.pk,
            url=context.recommendation_url(recommendation),
            # Its name as every page and export gives it ("Rekommendation 2" without a label).
            label=recommendation.display_name,
            position=recommendation.position,
            kind=recommendation.kind,
            text=recommendation.text,
            audit=AuditOut.of(recommendation.audit, context),
            addressed_to=[BoardOut.of(b) for b in timeline.addressed_to],
            answered_by=[BoardOut.of(b) for b in timeline.answered_by],
            current_status=LabelledStatusOut.of(recommendation.current_status, context.language),
            boards_answered=recommendation.boards_answered,
            boards_required=recommendation.boards_required,
            standings=[StandingOut.of(s, context) for s in timeline.standings],
            addressed_to_inference=recommendation.addressed_to_inference,
            report_back=FuzzyDateOut.of(recommendation.report_back),
            closed_on=recommendation.closed_on,
            timeline=[TimelineRoundOut.of(step, context) for step in timeline.rounds],
            measures=[MeasureOut.of(state, context) for state in timeline.measures],
        )


class RecommendationPage(Schema):
    __doc__ = gettext_noop("En sida med rekommendationer, 20 per sida.")

    count: int = _field(gettext_noop("Antal rekommendationer som matchar filtren, på alla sidor."))
    page: int = _field(gettext_noop("Sidans nummer, från 1."))
    pages: int = _field(gettext_noop("Antal sidor."))
    next: str | None = _field(
        gettext_noop("Adressen till nästa sida med samma filter; null på sista.")
    )
    previous: str | None = _field(gettext_noop("Adressen till förra sidan; null på första."))
    results: list[RecommendationOut] = _field(gettext_noop("Sidans rekommendationer."))


class ErrorOut(Schema):
    __doc__ = gettext_noop("Ett fel i en parameter.")

    message: str = _field(gettext_noop("Felet på svenska (engelska om besökaren valt det)."))
    code: str = _field(gettext_noop("Felets kod, till exempel invalid_choice."))


class ErrorsOut(Schema):
    __doc__ = gettext_noop("Svaret när en parameter är ogiltig (status 400).")

    errors: dict[str, list[ErrorOut]] = _field(gettext_noop("Felen per parameter."))
