"""The staff edit page's forms: every form of one draft response, bound to one POST, and
the one save that turns them into ``services.save_response`` (kept out of the view module,
which only routes requests)."""

from typing import NamedTuple

from django import forms
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from auditfollowup.lib.dates import FuzzyDate
from recommendations.status import Status

from . import services
from .forms import (
    EntryForm,
    MeasureUpdateForm,
    NewMeasureFormSet,
    OwnMeasureForm,
    ResponseHeaderForm,
    SharedMeasureUpdateForm,
)
from .models import BoardStanding, DueDateChange, Measure, MeasureUpdate, Response


class MeasureRow(NamedTuple):
    """A measure on the edit page, under one recommendation: its form, and how many days
    it is overdue there (0 if it is not: ``Measure.is_overdue`` under that recommendation,
    as its public page says it, ``timeline.MeasureState``; never one this draft announced,
    which is not public yet). The measure as stored, that is as published: what the draft
    reports on it is public only once the draft is.

    So that an overdue flag does not read as if the draft's answer to it were lost, the
    row also says what the saved draft does about it: the due date it moves the measure
    to (``moved_to``), or the settled status it reports (``settled_in_draft``)."""

    measure: Measure
    form: forms.Form
    days_overdue: int
    moved_to: FuzzyDate | None = None
    settled_in_draft: Status | None = None


class EditPage:
    """Every form of the edit page, bound to the same POST, for one draft response.

    Queries: recommendations the board answers on, the response's entries, this
    response's measure updates and due-date changes, the board's measures serving those
    recommendations (open ones, and those reported on in this response), the other
    recommendations they serve: six, whatever the size; and when the page is shown
    (``shown_sections``), the board's standings on them: seven.

    A shared measure (``Measure.also_serves``) appears under every recommendation it
    serves: in full under its leading one (its main recommendation when the board
    answers it, else the first it serves), with status and note under the others, so an
    update is recorded once per entry it is reported in.
    """

    def __init__(self, response: Response, data=None):
        self.response = response
        self.header = ResponseHeaderForm(
            data, instance=response, initial={"version": response.version}
        )
        recommendations = list(response.recommendations_to_answer().order_by("position"))
        # Nothing to answer: because the auditors have closed all there was (the page says
        # so), or because the board answers none here. One query, only then.
        self.all_closed = not recommendations and response.recommendations_of_its_board().exists()
        # Read into dicts, so without the models' default ordering (whose joins cost more
        # than the rows).
        entries = {entry.recommendation_id: entry for entry in response.entries.order_by()}
        updates = {
            (update.measure_id, update.entry.recommendation_id): update
            for update in MeasureUpdate.objects.filter(entry__response=response)
            .select_related("entry")
            .order_by()
        }
        moved = {
            change.measure_id: change
            for change in DueDateChange.objects.filter(entry__response=response).order_by(
                "changed_at", "pk"
            )
        }
        measures = (
            Measure.objects.serving([r.pk for r in recommendations])
            .reportable_in(response)
            .filter(~Q(status__in=Status.settled_values()) | Q(updates__entry__response=response))
            .distinct()
            # Those this draft announced are not public: overdue for nobody yet.
            .with_publicity()
            # A list of its own (to_attr): Django would otherwise build a queryset per
            # measure to hold what it prefetched.
            .prefetch_related(Prefetch("also_serves", to_attr="served_too"))
            .order_by("recommendation_id", "due_date", "pk")
        )
        by_position = {r.pk: index for index, r in enumerate(recommendations)}
        measures_by_recommendation = {}
        for measure in measures:
            served = [measure.recommendation_id, *(r.pk for r in measure.served_too)]
            answered = sorted(
                (pk for pk in dict.fromkeys(served) if pk in by_position),
                key=lambda pk: (pk != measure.recommendation_id, by_position[pk]),
            )
            leading = next((r for r in recommendations if r.pk == answered[0]), None)
            for pk in answered:
                measures_by_recommendation.setdefault(pk, []).append((measure, leading))
        # The measures this draft announced are still its own to correct or remove.
        own_entries = {entry.pk for entry in entries.values()}
        today = timezone.localdate()
        self.sections = [
            self._section(
                recommendation,
                entries,
                updates,
                moved,
                measures_by_recommendation,
                own_entries,
                data,
                today,
            )
            for recommendation in recommendations
        ]

    @staticmethod
    def _section(
        recommendation,
        entries,
        updates,
        moved,
        measures_by_recommendation,
        own_entries,
        data,
        today,
    ):
        entry = entries.get(recommendation.pk)
        entry_form = EntryForm(
            data,
            prefix=f"rec-{recommendation.pk}",
            initial={"status": entry.status, "narrative": entry.narrative} if entry else {},
            answered=entry is not None,
        )
        measure_forms = []
        for measure, leading in measures_by_recommendation.get(recommendation.pk, []):
            update = updates.get((measure.pk, recommendation.pk))
            days_overdue = measure.days_overdue(today, under=recommendation)
            reported = Status(update.status) if update else None
            settled_in_draft = reported if reported and reported.is_settled else None
            if leading.pk != recommendation.pk:
                form = SharedMeasureUpdateForm(
                    data,
                    prefix=f"measure-{measure.pk}-rec-{recommendation.pk}",
                    measure=measure,
                    leading=leading,
                    initial={
                        "status": update.status if update else measure.status,
                        "note": update.note if update else "",
                    },
                )
                measure_forms.append(
                    MeasureRow(measure, form, days_overdue, settled_in_draft=settled_in_draft)
                )
                continue
            change = moved.get(measure.pk)
            # The draft's own report when there is one, else the measure as published;
            # the due date moves only through this draft's DueDateChange, and a measure
            # without one takes the first the report names (no move, so no change).
            first_due = update.due if update and measure.due is None else None
            initial = {
                "status": update.status if update else measure.status,
                "note": update.note if update else "",
                "due": change.new if change else measure.due or first_due,
                "due_reason": change.reason if change else "",
                "completed": update.completed if update else measure.completed,
                "effect": update.effect if update else measure.effect,
            }
            if measure.announced_in_id in own_entries:
                initial.update(title=measure.title, responsible=measure.responsible)
                form_class = OwnMeasureForm
            else:
                form_class = MeasureUpdateForm
            form = form_class(
                data, prefix=f"measure-{measure.pk}", measure=measure, initial=initial
            )
            measure_forms.append(
                MeasureRow(
                    measure,
                    form,
                    days_overdue,
                    moved_to=change.new if change else None,
                    settled_in_draft=settled_in_draft,
                )
            )
        return {
            "recommendation": recommendation,
            "entry_form": entry_form,
            "measure_forms": measure_forms,
            "new_measures": NewMeasureFormSet(data, prefix=f"new-{recommendation.pk}"),
        }

    @cached_property
    def shown_sections(self) -> list[dict]:
        """``sections`` as the page shows them, each with the board's latest published
        answer on its recommendation (``last_answer``: its standing, kept on write, with
        the entry and the auditors' assessment), which a follow-up goes on from. One
        query, read only when the page is drawn (a save that redirects never needs it)."""
        last_answers = {
            standing.recommendation_id: standing
            for standing in BoardStanding.objects.filter(
                board_id=self.response.board_id,
                recommendation__in=[section["recommendation"].pk for section in self.sections],
                entry__isnull=False,
            )
            .select_related("entry__response__board__municipality", "round")
            .order_by()
        }
        for section in self.sections:
            section["last_answer"] = last_answers.get(section["recommendation"].pk)
        return self.sections

    @staticmethod
    def sent_in(data) -> bool:
        """Whether a POST carries the edit page's forms (its header's version), as the
        page's "Bifoga PDF" sends them with the file, so that they are saved first."""
        return ResponseHeaderForm().add_prefix("version") in data

    def forms(self):
        yield self.header
        for section in self.sections:
            yield section["entry_form"]
            yield from (row.form for row in section["measure_forms"])
            yield section["new_measures"]

    def error_summary(self) -> list[tuple[str, str]]:
        """Every error on the page as (id of the field, text), for the summary at the top.

        Each text names where the field is (the recommendation, the measure), since
        several parts of the page have fields with the same label.
        """
        found = []

        def collect(form, where):
            for message in form.non_field_errors():
                found.append((form[next(iter(form.fields))].auto_id, f"{where}: {message}"))
            for field in form:
                for message in field.errors:
                    found.append((field.auto_id, f"{where}, {field.label}: {message}"))

        if self.header.is_bound:
            collect(self.header, _("Yttrandet"))
            for section in self.sections:
                recommendation = section["recommendation"]
                where = recommendation.display_name
                collect(section["entry_form"], where)
                for row in section["measure_forms"]:
                    collect(row.form, f"{where}, {row.measure.title}")
                new_measures = section["new_measures"]
                # Too many forms, or a management form tampered with (then none at all).
                first = new_measures.forms[0] if new_measures.forms else section["entry_form"]
                for message in new_measures.non_form_errors():
                    anchor = first[next(iter(first.fields))].auto_id
                    found.append((anchor, f"{where}: {message}"))
                for number, form in enumerate(new_measures, start=1):
                    collect(form, f"{where}, " + _("ny åtgärd %(n)s") % {"n": number})
        return found

    def is_valid(self) -> bool:
        # Validate every form (no short-circuit) so each error shows next to its field.
        results = [form.is_valid() for form in self.forms()]
        for section in self.sections:
            entry_form = section["entry_form"]
            if entry_form.is_valid() and entry_form.is_left_for_later:
                typed = entry_form.cleaned_data.get("narrative") or any(
                    form.has_changed()
                    for form in [
                        *(row.form for row in section["measure_forms"]),
                        *section["new_measures"],
                    ]
                )
                if typed:
                    entry_form.refuse_unanswered_work()
                    results.append(False)
        return all(results)

    def answered_sections(self):
        """The sections saved: a recommendation left for later (no status, nothing typed
        under it) is skipped whole."""
        return [s for s in self.sections if not s["entry_form"].is_left_for_later]

    def save(self, user) -> Response:
        entries, measure_updates, new_measures = [], [], []
        for section in self.answered_sections():
            recommendation = section["recommendation"]
            data = section["entry_form"].cleaned_data
            entries.append(
                services.EntryInput(
                    recommendation=recommendation,
                    status=data["status"],
                    narrative=data["narrative"],
                )
            )
            for measure, form, *_flag in section["measure_forms"]:
                if isinstance(form, SharedMeasureUpdateForm):
                    measure_updates.append(
                        services.MeasureInput.shared(
                            measure=measure, recommendation=recommendation, **form.cleaned_data
                        )
                    )
                    continue
                if isinstance(form, OwnMeasureForm):
                    measure_updates.append(
                        services.MeasureInput.own(
                            measure=measure, recommendation=recommendation, **form.cleaned_data
                        )
                    )
                    continue
                measure_updates.append(
                    services.MeasureInput(
                        measure=measure, recommendation=recommendation, **form.cleaned_data
                    )
                )
            for form in section["new_measures"]:
                if form.has_changed() and form.cleaned_data:
                    new_measures.append(
                        services.NewMeasureInput(recommendation=recommendation, **form.cleaned_data)
                    )
        header = self.header.cleaned_data
        return services.save_response(
            response=self.response,
            expected_version=header["version"],
            user=user,
            title=header["title"],
            addressed_to=header["addressed_to"],
            summary=header["summary"],
            entries=entries,
            measure_updates=measure_updates,
            new_measures=new_measures,
        )
