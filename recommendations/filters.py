"""Filters for the recommendation list, its exports, the JSON API and the matrix.

Every filter runs on a queryset already scoped to what the user may read; the ones
that look at answers (round, year) only count responses visible to the requesting user.
Status and overdue measures are read from the stored standings (``BoardStanding``,
kept on write from the published answers, the same for everybody): with a board chosen,
that board's own status and measures; without, the recommendation's own status.
"""

import datetime as dt
from html import escape
from operator import attrgetter

import django_filters
from django import forms
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, Subquery
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from auditfollowup.lib.content_tags import ContentLanguageSelect, differs_from_page
from auditfollowup.lib.date_fields import DayThatHasComeField
from auditfollowup.lib.dates import known_by_q
from auditfollowup.lib.form_rendering import html_attrs
from auditfollowup.lib.ids import is_id
from responses.models import BoardStanding, Response, ResponseEntry

from .models import Audit, Board, Municipality, Recommendation
from .municipal import current_municipality
from .status import Status
from .timeline import matrix_years


def year_choices():
    """Asked each time a form is built: a new year is offered on New Year's Day.
    (Typed choice filters have no empty choice of their own: "" means "all".)"""
    return [("", _("Alla år"))] + [(year, str(year)) for year in matrix_years()]


def kind_choices():
    """The kinds as a list's rows name them: "Rekommendation", not "rekommendation"."""
    return [(value, capfirst(label)) for value, label in Recommendation.Kind.choices]


def round_choices():
    """Follow-up runs about once a year: an audit of 2019 followed up every year is in
    its eighth round in 2026. The choices grow with the calendar like the years'
    (``matrix_years``), asked each time a form is built."""
    return [("", _("Alla omgångar"))] + [
        (sequence, str(sequence)) for sequence in range(1, len(matrix_years()) + 1)
    ]


class StrictBooleanField(forms.NullBooleanField):
    """Yes, no or empty; anything else is refused instead of silently meaning "all"."""

    def to_python(self, value):
        if value in (None, "") or isinstance(value, bool):
            return value if isinstance(value, bool) else None
        if value in ("true", "false"):
            return value == "true"
        raise forms.ValidationError(_("Välj true eller false."), code="invalid_choice")

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    """A yes/no question of the list, offered as "Alla", "Ja" or "Nej"."""

    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.Select(choices=[("", _("Alla")), ("true", _("Ja")), ("false", _("Nej"))]),
        )
        super().__init__(*args, **kwargs)


def _boards(municipality):
    """The board choices: the boards of the municipality in scope, every board without."""
    return Board.objects.in_municipality(municipality).audited().order_by("name")


def _audits(municipality):
    return Audit.objects.in_municipality(municipality).order_by("reference", "title")


def municipality_in_scope(request, data):
    """The municipality whose boards and audits a filter form offers: the page's (its URL),
    else the one chosen in the form's ``municipality`` (a subquery by its slug, so no query
    of its own); None on a national page with none chosen."""
    municipality = current_municipality(request)
    if municipality is None and data.get("municipality"):
        municipality = Municipality.objects.filter(slug=data["municipality"])[:1]
    return municipality


class OfferedChoiceIterator(ModelChoiceIterator):
    """The choices a form lists: the field's ``offered`` queryset where it has one, else
    every choice it accepts (``queryset``), read with only the columns their labels use
    (``listed_fields``) and in one query. Django's iterator reads them through
    ``QuerySet.iterator()``, which on PostgreSQL is a server-side cursor: three round
    trips (declare, fetch, close) for a municipality's ten boards or seventy audits, on
    every list, search and matrix page."""

    def __init__(self, field):
        super().__init__(field)
        if getattr(field, "offered", None) is not None:
            self.queryset = field.offered
        if field.listed_fields:
            self.queryset = self.queryset.only(*field.listed_fields)

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class OfferedChoiceField(forms.ModelChoiceField):
    iterator = OfferedChoiceIterator

    def __init__(self, *args, listed_fields=(), **kwargs):
        self.listed_fields = listed_fields  # before the queryset is set, which lists it
        super().__init__(*args, **kwargs)


class ListedChoiceFilter(django_filters.ModelChoiceFilter):
    """A model choice filter whose choices are read in one query (``OfferedChoiceIterator``)."""

    field_class = OfferedChoiceField


class InMunicipalityChoiceFilter(ListedChoiceFilter):
    """A board or audit of the municipality in scope (``municipality_in_scope``).

    ``queryset`` is a function of that municipality (None: the whole country). On a
    national page with no municipality chosen the field still accepts any board or audit
    by its id (a shared link; validating it is one query), but lists only the chosen one:
    the country's 3,000 boards and 20,000 audits would make every page megabytes."""

    def get_queryset(self, request):
        self.scope = municipality_in_scope(request, self._data())
        return self.queryset(self.scope)

    def _data(self):
        parent = getattr(self, "parent", None)
        return parent.data if parent is not None and parent.is_bound else {}

    @property
    def field(self):
        field = super().field
        if self.scope is None:
            name = next(name for name, f in self.parent.filters.items() if f is self)
            chosen = str(self._data().get(name, "")).strip()
            queryset = field.queryset
            field.offered = queryset.filter(pk=chosen) if is_id(chosen) else queryset.none()
        return field


class LongSelect(forms.Select):
    """A select of many plain options (the 290 municipalities), written in Python:
    Django's builds and renders a template per option, which cost a national list page
    more time than its queries."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        chosen = set(widget["value"])
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, " selected" if key in chosen else "", label)
                for key, label in ((str(key), label) for key, label in self.choices)
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            mark_safe(html_attrs(widget["attrs"])),  # noqa: S308 - html_attrs escapes every value
            options,
        )


def municipality_filter():
    """The municipality, by its slug as in its pages' addresses; offered only on the
    national pages (``NationalChoiceMixin``)."""
    return ListedChoiceFilter(
        field_name="audit__municipality",
        lookup_expr="exact",
        method="filter_municipality",
        to_field_name="slug",
        queryset=Municipality.objects.order_by("name"),
        label=_("Kommun"),
        empty_label=_("Alla kommuner"),
        help_text=_("Välj en kommun för att välja bland dess nämnder och granskningar."),
        widget=LongSelect,
        listed_fields=("name", "slug"),  # Municipality.__str__, the value
    )


class NationalChoiceMixin:
    """A FilterSet whose ``municipality`` filter exists only on the national pages: beneath
    a municipality its address already says which."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if current_municipality(self.request) is not None:
            del self.filters["municipality"]


# From this many audits on, the audit is chosen by typing (a text input with a <datalist>
# of the audits' references) rather than in a long select.
TYPED_CHOICE_FROM = 30


class SelectOrDatalist(ContentLanguageSelect):
    """A select for a few choices; for many, a text input whose <datalist> offers each
    choice by the text it is typed as (``typed_as``). Plain HTML: no script."""

    def __init__(self, *args, typed_as, **kwargs):
        super().__init__(*args, **kwargs)
        self.typed_as = typed_as

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        options = [
            option
            for _group, group_options, _index in context["widget"]["optgroups"]
            for option in group_options
            if option["value"] != ""
        ]
        if len(options) >= TYPED_CHOICE_FROM:
            typed = {
                str(option["value"]): self.typed_as(option["value"].instance) for option in options
            }
            chosen = next((str(v) for v in context["widget"]["value"] if v), "")
            context["widget"]["typed_value"] = typed.get(chosen, chosen)
            context["widget"]["typed_options"] = [
                (typed[str(option["value"])], option["label"]) for option in options
            ]
        return context

    def render(self, name, value, attrs=None, renderer=None):
        """The select, or the text input with its datalist and a hint, written here
        rather than by a template: a municipality has some seventy audits, and every
        list, search and matrix page offers them."""
        context = self.get_context(name, value, attrs)
        widget = context["widget"]
        if "typed_options" not in widget:
            return self._render(self.template_name, context, renderer)
        id_ = escape(str(widget["attrs"].get("id", "")))
        lang = f' lang="{settings.CONTENT_LANGUAGE}"' if differs_from_page() else ""
        options = "".join(
            f'<option value="{escape(str(typed))}"{lang}>{escape(str(label))}</option>'
            for typed, label in widget["typed_options"]
        )
        hint = _(
            "Skriv diarienumret (eller titeln) och välj bland förslagen. Tomt: alla granskningar."
        )
        return mark_safe(  # noqa: S308 - every value is escaped
            f'<input type="text" name="{escape(widget["name"])}" '
            f'value="{escape(str(widget["typed_value"]))}" list="{id_}-choices" '
            f'autocomplete="off" spellcheck="false" aria-describedby="{id_}-hint"'
            f'{html_attrs(widget["attrs"])}><datalist id="{id_}-choices">{options}</datalist>'
            f'<p class="help muted small" id="{id_}-hint">{escape(str(hint))}</p>'
        )


class AuditField(OfferedChoiceField):
    """An audit given by its id (the API, links) or typed as its reference, or its title
    when it has none (the datalist of ``SelectOrDatalist``)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if is_id(text):
            return super().to_python(text)
        matches = list(self.queryset.filter(Q(reference=text) | Q(reference="", title=text))[:2])
        if len(matches) != 1:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return matches[0]


class AuditFilter(InMunicipalityChoiceFilter):
    field_class = AuditField


def board_filter():
    """A board; shared by the list and the matrix (``RecommendationFilterSet.filter_board``)."""
    return InMunicipalityChoiceFilter(
        field_name="board",
        method="filter_board",
        queryset=_boards,
        label=_("Nämnd"),
        empty_label=_("Alla nämnder"),
        listed_fields=("name",),  # Board.__str__
    )


def audit_filter():
    return AuditFilter(
        field_name="audit",
        lookup_expr="exact",
        queryset=_audits,
        label=_("Granskning"),
        empty_label=_("Alla granskningar"),
        listed_fields=("reference", "title"),  # Audit.__str__ and short_name
        widget=SelectOrDatalist(typed_as=attrgetter("short_name")),
    )


class StatusOrderingFilter(django_filters.OrderingFilter):
    """Sorting by status follows the vocabulary's order (``Status.rank``, stored and
    indexed), not the stored code; with a board chosen, that board's own status."""

    def get_ordering_value(self, param):
        if param.lstrip("-") == "status" and self.parent.chosen_board is not None:
            return param.replace("status", "board_status_rank")
        return super().get_ordering_value(param)

    def filter(self, qs, value):
        ordering = [self.get_ordering_value(param) for param in value or [] if param]
        if not ordering:
            return qs
        if self.parent.chosen_board is not None:
            qs = qs.alias(
                board_status_rank=Subquery(self.parent.board_standings().values("status_rank"))
            )
        # A stable order within equal values, so pages never repeat or skip a row.
        return qs.order_by(*ordering, "audit_id", "position")


def recommendation_queryset(request):
    """The base queryset of the list, the matrix, their exports and the API: the
    municipality's recommendations on its pages, every one on the national pages."""
    return Recommendation.objects.in_municipality(current_municipality(request))


class RecommendationFilterSet(django_filters.FilterSet):
    """A filter over the recommendations of the request's place. Without a queryset it
    filters ``recommendation_queryset(request)``, so no view can forget the municipality:
    ``RecommendationFilter(request.GET, request=request)``."""

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        if queryset is None:
            queryset = recommendation_queryset(request)
        super().__init__(data, queryset, request=request, **kwargs)

    def filter_queryset(self, queryset):
        """Nothing for an invalid filter: django-filter would leave the invalid fields out
        and list the rest, so "status=nonsense" listed every recommendation under an
        error, and with a board also chosen (whose status the filter then ignored) none.
        The pages show the errors and no rows; the exports and the API refuse (400)."""
        if self.is_bound and not self.form.is_valid():
            return queryset.none()
        return super().filter_queryset(queryset)

    @property
    def chosen_board(self):
        if not self.is_bound or not self.form.is_valid():
            return None
        return self.form.cleaned_data.get("board")

    def board_standings(self):
        """Each row's standing for the chosen board (a correlated subquery)."""
        return BoardStanding.objects.filter(recommendation=OuterRef("pk"), board=self.chosen_board)

    def with_board_status(self, queryset):
        """With a board chosen, each row with that board's own status (``board_status``),
        which the status filter and sort use, and whether it owes an answer
        (``board_must_answer``), for ``chosen_board_standing``."""
        if self.chosen_board is None:
            return queryset
        standing = self.board_standings()
        return queryset.annotate(
            board_status=Subquery(standing.values("status")[:1]),
            board_must_answer=Subquery(standing.values("must_answer")[:1]),
        )

    @staticmethod
    def chosen_board_standing(recommendation) -> BoardStanding:
        """The chosen board's standing on a row of ``with_board_status``, as much of it as
        the list shows (``standing_status``): the status, or what a board
        without one is said to be (``BoardStanding.without_answer_label``). Built from the
        row's two columns: reading the standings themselves cost the list a fifth more."""
        return BoardStanding(
            status=recommendation.board_status or "",
            must_answer=bool(recommendation.board_must_answer),
        )

    def filter_municipality(self, queryset, name, value):
        # The page's own scoping rule (``in_municipality``), as beneath a municipality.
        return queryset.in_municipality(value)

    def filter_board(self, queryset, name, value):
        # The recommendations the board has a standing on (addressed to it, answered by
        # it, or answered in a response it published): the rows its own status, the
        # status filter and sort and the board's page read, so a recommendation a board
        # answers for another is found by that board too.
        return queryset.filter(Exists(self.board_standings()))


# The longest search the list, its exports and the API accept (characters).
SEARCH_MAX_LENGTH = 500


class RecommendationFilter(NationalChoiceMixin, RecommendationFilterSet):
    q = django_filters.CharFilter(
        field_name="search_vector",
        lookup_expr="search",
        method="filter_search",
        label=_("Sök i lydelse och svar"),
        # Enough for a recommendation's whole wording pasted in; SQLite's search is one
        # condition per word, and a thousand words were past its expression limit (a 500).
        max_length=SEARCH_MAX_LENGTH,
    )
    municipality = municipality_filter()
    board = board_filter()
    audit = audit_filter()
    kind = django_filters.ChoiceFilter(
        field_name="kind",
        lookup_expr="exact",
        choices=kind_choices,
        label=_("Typ"),
        empty_label=_("Alla typer"),
    )
    status = django_filters.ChoiceFilter(
        field_name="current_status",
        lookup_expr="exact",
        method="filter_status",
        choices=Status.choices,
        label=_("Aktuell status"),
        empty_label=_("Alla statusar"),
    )
    round = django_filters.TypedChoiceFilter(
        field_name="entries__response__round__sequence",
        lookup_expr="exact",
        method="filter_round",
        choices=round_choices,
        coerce=int,
        label=_("Besvarad i omgång"),
    )
    year = django_filters.TypedChoiceFilter(
        field_name="entries__response__decision_date",
        lookup_expr="year",
        method="filter_year",
        choices=year_choices,
        coerce=int,
        label=_("Besvarad år"),
    )
    overdue = StrictBooleanFilter(
        field_name="measures__due_date",
        lookup_expr="lt",
        method="filter_overdue",
        label=_("Har försenade åtgärder"),
    )
    closed = StrictBooleanFilter(
        field_name="closed_on",
        lookup_expr="isnull",
        method="filter_closed",
        label=_("Avslutad"),
    )
    sort = StatusOrderingFilter(
        fields=(
            ("audit__reference", "audit"),
            ("position", "position"),
            ("current_status_rank", "status"),
            ("kind", "kind"),
        ),
        field_labels={
            "audit__reference": _("Granskning"),
            "position": _("Ordning"),
            "current_status_rank": _("Status"),
            "kind": _("Typ"),
            # Given here so they stay lazy: django-filter would build them once, in Swedish.
            "-audit": _("Granskning (fallande)"),
            "-position": _("Ordning (fallande)"),
            "-status": _("Status (fallande)"),
            "-kind": _("Typ (fallande)"),
        },
        label=_("Sortera"),
        empty_label=_("Granskning och ordning"),
    )

    class Meta:
        model = Recommendation
        fields = []

    def _visible_entries(self):
        return ResponseEntry.objects.visible_to(self._user()).filter(recommendation=OuterRef("pk"))

    def _user(self):
        return getattr(self.request, "user", None) or AnonymousUser()

    def filter_status(self, queryset, name, value):
        if self.chosen_board is not None:
            return queryset.filter(Exists(self.board_standings().filter(status=value)))
        return queryset.filter(current_status=value)

    def filter_search(self, queryset, name, value):
        return queryset.search(value) if value.strip() else queryset

    def filter_round(self, queryset, name, value):
        return queryset.filter(
            Exists(self._visible_entries().filter(response__round__sequence=value))
        )

    def filter_year(self, queryset, name, value):
        entries = self._visible_entries().annotate(year=Response.year_expression("response__"))
        return queryset.filter(Exists(entries.filter(year=value)))

    def filter_closed(self, queryset, name, value):
        return queryset.closed() if value else queryset.open()

    def filter_overdue(self, queryset, name, value):
        standings = BoardStanding.objects.filter(recommendation=OuterRef("pk"))
        if self.chosen_board is not None:
            standings = self.board_standings()
        overdue = standings.with_overdue_measures(timezone.localdate())
        return queryset.filter(Exists(overdue) if value else ~Exists(overdue))


class DayThatHasComeFilter(django_filters.DateFilter):
    field_class = DayThatHasComeField


class MatrixFilter(NationalChoiceMixin, RecommendationFilterSet):
    municipality = municipality_filter()
    board = board_filter()
    audit = audit_filter()
    per = DayThatHasComeFilter(
        field_name="audit__conducted_to_date",
        lookup_expr="lte",
        method="filter_as_of",
        label=_("Som det var känt den"),
        help_text=_(
            "Visar bara granskningar och yttranden som fanns den dagen, och åren fram till den."
        ),
    )

    class Meta:
        model = Recommendation
        fields = []

    def filter_as_of(self, queryset, name, value):
        """The recommendations of the audits issued by ``value``; which of their answers
        were known is decided per cell (``timeline.matrix_lines``).

        An audit is issued on the day its years to act are counted from
        (``models.audit_counted_from``: the end of the time it was conducted), and counts
        once it is known by the day, as an answer's date is (``FuzzyDate.is_known_on``,
        here ``known_by_q``): conducted "september 2020" is not yet issued on 2020-09-15;
        as of today, once the period has begun. An audit without a date is
        known from the first answer to it the user may read that was known by the day
        (``ResponseQuerySet.known_on``, the rule by which the cells count answers)."""

        user = getattr(self.request, "user", None) or AnonymousUser()
        answered = (
            Response.objects.visible_to(user)
            .known_on(value)
            .filter(round__audit=OuterRef("audit_id"))
        )
        return queryset.filter(
            Q(audit__conducted_to_date__isnull=False) & known_by_q("audit__conducted_to", value)
            | Q(audit__conducted_to_date=None) & known_by_q("audit__conducted_from", value)
            | Q(audit__conducted_to_date=None, audit__conducted_from_date=None) & Exists(answered)
        )

    @property
    def as_of(self) -> dt.date | None:
        if not self.is_bound or not self.form.is_valid():
            return None
        return self.form.cleaned_data.get("per")

    @property
    def years(self) -> range:
        """The matrix's columns: the years through the as-of day's (``matrix_years``), so
        that as of 2020-06-30 there is no 2021; the page and its exports both read them."""
        return matrix_years(self.as_of)


def active_filters(filterset, query, *, leave_out=("sort",)):
    """(label, value text, URL query without this filter) for every filter in use but
    those named in ``leave_out``."""
    if not filterset.form.is_valid():
        return []
    active = []
    for name, value in filterset.form.cleaned_data.items():
        if name in leave_out or value in (None, "", []):
            continue
        field = filterset.form.fields[name]
        if isinstance(value, bool):
            text = _("Ja") if value else _("Nej")
        elif hasattr(field, "choices") and not hasattr(value, "pk"):
            text = {str(k): v for k, v in field.choices}.get(str(value), value)
        else:
            text = value
        remaining = query.copy()
        remaining.pop(name, None)
        remaining.pop("page", None)
        active.append((field.label, text, remaining.urlencode()))
    return active
