"""CSV and Excel (xlsx) exports of the filtered recommendation list and of the matrix.

The exports take the same GET parameters as their pages and contain every matching row
(no pagination); an invalid filter is a 400, as on the pages, never an unfiltered export.
Cells hold text only (status as its Swedish label), written by
``auditfollowup.lib.spreadsheets``, which neutralises anything a spreadsheet would run as
a formula.

The files stream: the rows are generators reading the recommendations in chunks of
``CHUNK_SIZE`` with their prefetches, so an export of a whole municipality or of the
national list takes the memory of a chunk. The filter is checked before the response is
built, because a streamed CSV has sent its 200 before its last row is read.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from auditfollowup.lib.spreadsheets import (
    XlsxWorkbook,
    csv_response,
    refused_export,
    xlsx_response,
)
from responses.models import BoardStanding

from .filters import MatrixFilter, RecommendationFilter
from .models import Recommendation
from .municipal import current_municipality
from .roles import Public, access
from .status import NO_STATUS_LABEL, Status, status_labels
from .timeline import (
    NOT_DUE,
    build_timeline,
    matrix_lines,
    matrix_recommendations,
    matrix_years,
    timeline_recommendations,
)

# Rows are read this many recommendations at a time, each chunk with its own prefetch
# queries: memory is bounded by a chunk, and the queries grow by a constant per chunk.
CHUNK_SIZE = 200


class InvalidFilter(Exception):
    def __init__(self, filterset):
        self.filterset = filterset


def _status_label(value):
    return status_labels()[value] if value else str(NO_STATUS_LABEL)


def _valid(filterset):
    if not filterset.is_valid():
        raise InvalidFilter(filterset)
    return filterset


@dataclass(frozen=True)
class Column:
    """One column of an export: its header, type and meaning, declared once.

    The exports write their header and cells from these, and the field dictionary
    (``/oppna-data/``) and the Table Schemas beside the CSV files are generated from them.
    """

    header: str
    type: str  # a Frictionless Table Schema type: integer, string, date
    description: str
    # The cell's value from the recommendation the row is about and what else the row is
    # read from: the request for the list, a measure's or an answer's state for the
    # list's other sheets. The matrix builds its rows itself.
    value: Callable | None = field(default=None, compare=False)
    # The allowed values (as written in the file), when there is a fixed vocabulary.
    vocabulary: Callable[[], list[str]] | None = field(default=None, compare=False)


def sheet_header(columns) -> list[str]:
    """A sheet's header row: its columns' names, in the reader's language."""
    return [str(column.header) for column in columns]


def _answer_status_vocabulary():
    """The statuses an answer, an assessment or a measure has, as the files write them."""
    return [str(status.label) for status in Status]


def _status_vocabulary():
    """A recommendation's status, or none before its first published answer."""
    return [*_answer_status_vocabulary(), str(NO_STATUS_LABEL)]


def _kind_vocabulary():
    return [str(label) for label in Recommendation.Kind.labels]


def _municipality(recommendation) -> str:
    """The municipality a row belongs to: every municipality has its "KS", so a row of
    the national files says whose it is (read with the audit, ``audit__municipality``)."""
    return recommendation.audit.municipality.name


def _each_boards_status(recommendation) -> str:
    return "; ".join(
        f"{standing.board.short_code}: {_standing_text(standing)}"
        for standing in recommendation.export_standings
    )


def _standing_text(standing) -> str:
    return _status_label(standing.status) if standing.status else standing.without_answer_label


# Every row of every export says its municipality, the national files' and a municipality's
# own alike: one format per export, so files from several municipalities can be joined.
MUNICIPALITY_COLUMN = Column(
    gettext_lazy("Kommun"),
    "string",
    gettext_lazy(
        "Kommunen vars revision gjorde granskningen. Med i varje export, också en "
        "kommuns egen, så att filerna har samma kolumner och kan läggas ihop."
    ),
    lambda r, q: _municipality(r),
)


LIST_COLUMNS = [
    Column(
        gettext_lazy("Id"),
        "integer",
        gettext_lazy("Rekommendationens id, samma som i API:t."),
        lambda r, q: r.pk,
    ),
    MUNICIPALITY_COLUMN,
    Column(
        gettext_lazy("Granskning"),
        "string",
        gettext_lazy("Granskningens diarienummer."),
        lambda r, q: r.audit.reference,
    ),
    Column(
        gettext_lazy("Granskningens titel"),
        "string",
        gettext_lazy("Granskningens titel."),
        lambda r, q: r.audit.title,
    ),
    Column(
        gettext_lazy("Beteckning"),
        "string",
        gettext_lazy("Rekommendationens beteckning i granskningen."),
        lambda r, q: r.display_name,
    ),
    Column(
        gettext_lazy("Typ"),
        "string",
        gettext_lazy("Vad slags punkt det är."),
        lambda r, q: str(Recommendation.Kind(r.kind).label),
        _kind_vocabulary,
    ),
    Column(
        gettext_lazy("Lydelse"),
        "string",
        gettext_lazy("Rekommendationens lydelse."),
        lambda r, q: r.text,
    ),
    Column(
        gettext_lazy("Riktad till"),
        "string",
        gettext_lazy(
            "Förkortningarna för nämnderna som rekommendationen riktas till, åtskilda med komma."
        ),
        lambda r, q: ", ".join(board.short_code for board in r.export_addressed_to),
    ),
    Column(
        gettext_lazy("Aktuell status"),
        "string",
        gettext_lazy(
            "Rekommendationens egen status: den minst framskridna bland nämnderna som har svarat."
        ),
        lambda r, q: _status_label(r.current_status),
        _status_vocabulary,
    ),
    Column(
        gettext_lazy("Nämnder som har svarat"),
        "string",
        gettext_lazy("Antal nämnder som har svarat av dem som ska svara, till exempel 2/3."),
        lambda r, q: f"{r.boards_answered}/{r.boards_required}",
    ),
    Column(
        gettext_lazy("Varje nämnds status"),
        "string",
        gettext_lazy(
            "Varje nämnd som ska svara med sin egen status i sitt senaste publicerade svar, "
            "till exempel «ASN: Pågående; KS: Har inte svarat än»."
        ),
        lambda r, q: _each_boards_status(r),
    ),
    Column(
        gettext_lazy("Avslutad"),
        "date",
        gettext_lazy("Dagen revisionen avslutade rekommendationen; tom om den är öppen."),
        lambda r, q: r.closed_on.isoformat() if r.closed_on else "",
    ),
    Column(
        gettext_lazy("Adress"),
        "string",
        gettext_lazy("Rekommendationens sida med tidslinjen."),
        lambda r, q: q.build_absolute_uri(r.get_absolute_url()),
    ),
    Column(
        gettext_lazy("Tolkning: riktad till"),
        "string",
        gettext_lazy(
            "Varför nämnderna i Riktad till är en tolkning; tomt när dokumentet säger det."
        ),
        lambda r, q: r.addressed_to_inference,
    ),
    Column(
        gettext_lazy("Tolkning: granskningens titel"),
        "string",
        gettext_lazy("Varför granskningens titel är en tolkning; tomt när dokumentet säger det."),
        lambda r, q: r.audit.title_inference,
    ),
]


def matrix_columns(years=None):
    """The matrix export's columns: the municipality, the recommendation and the board,
    then one per year of ``years`` (by default ``matrix_years()``, as the field dictionary
    lists them)."""
    return [
        MUNICIPALITY_COLUMN,
        AUDIT_NAME_COLUMN,
        DESIGNATION_COLUMN,
        Column(gettext_lazy("Lydelse"), "string", gettext_lazy("Rekommendationens lydelse.")),
        Column(
            gettext_lazy("Nämnd"),
            "string",
            gettext_lazy(
                "Förkortningen för nämnden som raden gäller: en rad per nämnd som ska svara."
            ),
        ),
        *(
            Column(
                str(year),
                "string",
                gettext_lazy(
                    "Nämndens status i dess senaste svar det året, och revisionens bedömning av "
                    "samma omgång, till exempel «Pågående / revisionen: Delvis genomförd (annan "
                    "bedömning)»; «inget svar / revisionen: Ej redovisad» för en bedömning det "
                    "året av en omgång som nämnden inte besvarade; «ej aktuellt: före "
                    "granskningen» för ett år innan granskningen kom, då inget svar väntades; "
                    "annars tom om inget svar finns."
                ),
            )
            for year in (matrix_years() if years is None else years)
        ),
    ]


def _list_filter(request):
    """The list's filter, checked before anything is written (else InvalidFilter)."""
    return _valid(RecommendationFilter(request.GET, request=request))


def list_rows(request, filterset, *, in_chunks=True):
    """Header and rows of the filtered recommendation list, the rows read as they are
    written. Queries: 1, and 2 per chunk of CHUNK_SIZE recommendations (+ filter forms).
    A list known to fit in one chunk is read ``in_chunks=False``: in one plain query,
    without the server-side cursor (declare, fetch, close) that chunks need on
    PostgreSQL.

    The boards and standings go into lists of their own (``to_attr``), which the columns
    read: in a related manager's cache Django would build a queryset per recommendation
    to hold them, a fifth of a one-board export's time."""
    recommendations = filterset.qs.select_related("audit__municipality").prefetch_related(
        Prefetch("addressed_to", to_attr="export_addressed_to"),
        Prefetch(
            "standings",
            queryset=BoardStanding.objects.select_related("board").in_display_order(),
            to_attr="export_standings",
        ),
    )
    read = recommendations.iterator(chunk_size=CHUNK_SIZE) if in_chunks else recommendations
    rows = ([column.value(rec, request) for column in LIST_COLUMNS] for rec in read)
    return sheet_header(LIST_COLUMNS), rows


def _timelines(request, filterset):
    """The timelines of the filtered list's recommendations, as their pages show them to
    this user, built as they are read. Queries: those of ``timeline_recommendations`` (a
    constant number) per chunk of CHUNK_SIZE recommendations."""
    today = timezone.localdate()
    recommendations = timeline_recommendations(filterset.qs, request.user, chunk_size=CHUNK_SIZE)
    return (build_timeline(rec, today) for rec in recommendations)


def _text(value):
    return "" if value is None else str(value)


# The measures and timeline sheets of the list's xlsx begin with the recommendation a row
# is about, read from the recommendation whatever else the row is read from.
RECOMMENDATION_ID_COLUMN = Column(
    gettext_lazy("Rekommendationens id"),
    "integer",
    gettext_lazy(
        "Id för rekommendationen som raden gäller, samma som kolumnen Id i bladet "
        "Rekommendationer och i API:t."
    ),
    lambda r, _row: r.pk,
)
AUDIT_NAME_COLUMN = Column(
    gettext_lazy("Granskning"),
    "string",
    gettext_lazy("Granskningens diarienummer, annars dess titel."),
    lambda r, _row: r.audit.short_name,
)
DESIGNATION_COLUMN = Column(
    gettext_lazy("Beteckning"),
    "string",
    gettext_lazy("Rekommendationens beteckning i granskningen."),
    lambda r, _row: r.display_name,
)


def _yes_no(value: bool) -> str:
    return _("Ja") if value else _("Nej")


def _yes_no_vocabulary():
    return [_("Ja"), _("Nej")]


# The sheets of the list's xlsx after the list itself, declared once: each writes its
# header and cells from its columns, and its Table Schema (``open_data``) describes them.
MEASURES_SHEET = gettext_lazy("Åtgärder")
TIMELINE_SHEET = gettext_lazy("Tidslinje")

# One row per measure and recommendation it serves, with its standing today; a cell's
# value from (recommendation, ``timeline.MeasureState``).
MEASURE_COLUMNS = [
    RECOMMENDATION_ID_COLUMN,
    MUNICIPALITY_COLUMN,
    AUDIT_NAME_COLUMN,
    DESIGNATION_COLUMN,
    Column(
        gettext_lazy("Åtgärd"),
        "string",
        gettext_lazy("Åtgärden, som nämnden skrev den."),
        lambda r, state: state.measure.title,
    ),
    Column(
        gettext_lazy("Nämnd"),
        "string",
        gettext_lazy("Förkortningen för nämnden som aviserade åtgärden."),
        lambda r, state: state.measure.board.short_code,
    ),
    Column(
        gettext_lazy("Ansvarig"),
        "string",
        gettext_lazy("Vem som ansvarar för åtgärden, som nämnden angav det."),
        lambda r, state: state.measure.responsible,
    ),
    Column(
        gettext_lazy("Klart senast"),
        "string",
        gettext_lazy(
            "När åtgärden ska vara klar, som tidpunkten står nu (också flyttad), så exakt som "
            "den är känd: en dag, en månad, en termin eller ett år, till exempel «juni 2020»."
        ),
        lambda r, state: _text(state.due),
    ),
    Column(
        gettext_lazy("Status"),
        "string",
        gettext_lazy("Åtgärdens status i nämndens senaste publicerade redovisning av den."),
        lambda r, state: str(state.status.label),
        _answer_status_vocabulary,
    ),
    Column(
        gettext_lazy("Försenad"),
        "string",
        gettext_lazy(
            "Ja när hela perioden i Klart senast har passerat, åtgärden inte är genomförd "
            "eller ej aktuell, radens rekommendation är öppen och svaret som aviserade "
            "åtgärden är publicerat; annars Nej."
        ),
        lambda r, state: _yes_no(state.is_overdue),
        _yes_no_vocabulary,
    ),
    Column(
        gettext_lazy("Dagar försenad"),
        "integer",
        gettext_lazy(
            "Antal dagar sedan perioden i Klart senast tog slut; 0 om den inte är försenad."
        ),
        # 0 while not overdue (``Measure.days_overdue``)
        lambda r, state: state.days_overdue,
    ),
    Column(
        gettext_lazy("Förslag"),
        "string",
        gettext_lazy(
            "Ja för en åtgärd i ett svar som inte är publicerat än, som bara den som får "
            "läsa svaret ser: ett förslag, aldrig försenad eller öppen; annars Nej."
        ),
        lambda r, state: _yes_no(state.is_proposal),
        _yes_no_vocabulary,
    ),
    Column(
        gettext_lazy("Genomförd"),
        "string",
        gettext_lazy(
            "När åtgärden genomfördes, så exakt som det är känt; tomt om den inte är genomförd."
        ),
        lambda r, state: _text(state.measure.completed),
    ),
    Column(
        gettext_lazy("Gemensam åtgärd"),
        "string",
        gettext_lazy(
            "Ja om åtgärden också hör till andra rekommendationer i granskningen (den har "
            "då en rad för var och en); annars Nej."
        ),
        lambda r, state: _yes_no(state.is_shared),
        _yes_no_vocabulary,
    ),
    # Why a date is an inference, as the pages' tolkning marker says; empty when the
    # document states it.
    Column(
        gettext_lazy("Tolkning: klart senast"),
        "string",
        gettext_lazy("Varför Klart senast är en tolkning; tomt när dokumentet säger det."),
        lambda r, state: state.measure.due_inference,
    ),
    Column(
        gettext_lazy("Tolkning: genomförd"),
        "string",
        gettext_lazy("Varför Genomförd är en tolkning; tomt när dokumentet säger det."),
        lambda r, state: state.measure.completed_inference,
    ),
]

# One row per answer the reader may read, round by round; a cell's value from
# (recommendation, ``timeline.EntryStep``).
TIMELINE_COLUMNS = [
    RECOMMENDATION_ID_COLUMN,
    MUNICIPALITY_COLUMN,
    AUDIT_NAME_COLUMN,
    DESIGNATION_COLUMN,
    Column(
        gettext_lazy("Omgång"),
        "integer",
        gettext_lazy("Uppföljningsomgångens nummer i granskningen, 1 för den första."),
        lambda r, step: step.response.round.sequence,
    ),
    Column(
        gettext_lazy("Omgångens titel"),
        "string",
        gettext_lazy("Uppföljningsomgångens titel."),
        lambda r, step: step.response.round.title,
    ),
    Column(
        gettext_lazy("Nämnd"),
        "string",
        gettext_lazy("Förkortningen för nämnden som svarade."),
        lambda r, step: step.response.board.short_code,
    ),
    Column(
        gettext_lazy("Yttrande"),
        "string",
        gettext_lazy("Yttrandets titel."),
        lambda r, step: step.response.title,
    ),
    Column(
        gettext_lazy("Diarienummer"),
        "string",
        gettext_lazy("Yttrandets diarienummer."),
        lambda r, step: step.response.diary_number,
    ),
    Column(
        gettext_lazy("Datum"),
        "string",
        gettext_lazy(
            "Yttrandets beslutsdatum, annars dokumentets datum, så exakt som det är känt."
        ),
        lambda r, step: _text(step.date),
    ),
    Column(
        gettext_lazy("Nämndens status"),
        "string",
        gettext_lazy("Nämndens status för rekommendationen i yttrandet."),
        lambda r, step: str(step.status.label),
        _answer_status_vocabulary,
    ),
    Column(
        gettext_lazy("Revisionens bedömning"),
        "string",
        gettext_lazy("Revisionens bedömning av samma omgång; tom om den inte är gjord."),
        lambda r, step: str(step.assessment_status.label) if step.assessment else "",
        _answer_status_vocabulary,
    ),
    Column(
        gettext_lazy("Redovisning"),
        "string",
        gettext_lazy("Vad nämnden skrev om rekommendationen i yttrandet."),
        lambda r, step: step.entry.narrative,
    ),
    Column(
        gettext_lazy("Tolkning: yttrandets titel"),
        "string",
        gettext_lazy("Varför yttrandets titel är en tolkning; tomt när dokumentet säger det."),
        lambda r, step: step.response.title_inference,
    ),
    Column(
        gettext_lazy("Tolkning: datum"),
        "string",
        gettext_lazy("Varför datumet är en tolkning; tomt när dokumentet säger det."),
        lambda r, step: step.response.date_inference,
    ),
]


def measure_rows(timeline):
    """The rows of the measures sheet for one recommendation's timeline."""
    rec = timeline.recommendation
    for state in timeline.measures:
        yield [column.value(rec, state) for column in MEASURE_COLUMNS]


def timeline_rows(timeline):
    """The rows of the timeline sheet for one recommendation's timeline."""
    rec = timeline.recommendation
    for step in timeline.entries:
        yield [column.value(rec, step) for column in TIMELINE_COLUMNS]


def matrix_rows(request):
    """Header and rows of the matrix, one column per year, the rows read as they are
    written: the audits and years the filter gives as of its day, as on the page.
    Queries: 1, and 3 per chunk of CHUNK_SIZE recommendations (+ filter forms)."""
    filterset = _valid(MatrixFilter(request.GET, request=request))
    as_of, board, years = filterset.as_of, filterset.chosen_board, filterset.years
    recommendations = matrix_recommendations(
        filterset.qs, request.user, board, chunk_size=CHUNK_SIZE
    )

    def rows():
        for rec in recommendations:
            for line in matrix_lines(rec, as_of=as_of, years=years, board=board):
                yield [
                    _municipality(rec),
                    rec.audit.short_name,
                    rec.display_name,
                    rec.text,
                    line.board.short_code if line.board else "",
                    *(_matrix_cell(cell) for cell in line.cells),
                ]

    return sheet_header(matrix_columns(years)), rows()


def _matrix_cell(cell) -> str:
    """The board's status, and the auditors' assessment of the same round beside it (or
    "no answer" beside an assessment of a round the board did not answer); "not
    applicable" for a year before the audit, empty for a year without an answer."""
    if cell is NOT_DUE:
        return _("ej aktuellt: före granskningen")
    if cell is None:
        return ""
    text = _status_label(cell.status) if cell.answer else _("inget svar")
    if cell.assessment:
        text += " / " + _("revisionen: %(status)s") % {
            "status": _status_label(cell.assessment_status)
        }
        if cell.disagrees:
            text += " (" + _("annan bedömning") + ")"
    return text


def _refusing_invalid_filters(view):
    """An export view that answers 400 for an invalid filter, as its page does."""

    @wraps(view)
    def wrapper(request):
        try:
            return view(request)
        except InvalidFilter as invalid:
            return refused_export(invalid.filterset)

    return wrapper


def _name(request, prefix):
    """The file's name: what it holds, the municipality it is from (the national files name
    none) and the day, so that files from two municipalities never take each other's name."""
    municipality = current_municipality(request)
    place = f"-{municipality.slug}" if municipality is not None else ""
    return f"{prefix}{place}-{timezone.localdate().isoformat()}"


@access(Public)
@require_safe
@_refusing_invalid_filters
def recommendations_csv(request):
    """The filtered list as CSV. A list that fits in one chunk (a board's, say) is written
    whole, so the page cache can keep it for the next visitor; a longer one streams."""
    filterset = _list_filter(request)
    stream = not fits_in_one_chunk(filterset.qs)
    return csv_response(
        *list_rows(request, filterset, in_chunks=stream),
        _name(request, "rekommendationer"),
        stream=stream,
    )


def fits_in_one_chunk(queryset) -> bool:
    """Whether these rows are read in one chunk: then the file takes no more memory
    written whole than streamed. Queries: 1, counting no further than a chunk."""
    return queryset.order_by().values("pk")[: CHUNK_SIZE + 1].count() <= CHUNK_SIZE


@access(Public)
@require_safe
@_refusing_invalid_filters
def recommendations_xlsx(request):
    """The list, then its recommendations' measures and timeline entries."""
    filterset = _list_filter(request)
    workbook = XlsxWorkbook()
    workbook.add_sheet(_("Rekommendationer"), *list_rows(request, filterset))
    measures = workbook.add_sheet(str(MEASURES_SHEET), sheet_header(MEASURE_COLUMNS))
    entries = workbook.add_sheet(str(TIMELINE_SHEET), sheet_header(TIMELINE_COLUMNS))
    # One pass fills both sheets: each timeline is built once.
    for timeline in _timelines(request, filterset):
        measures.extend(measure_rows(timeline))
        entries.extend(timeline_rows(timeline))
    return workbook.response(_name(request, "rekommendationer"))


@access(Public)
@require_safe
@_refusing_invalid_filters
def matrix_csv(request):
    return csv_response(*matrix_rows(request), _name(request, "matris"))


@access(Public)
@require_safe
@_refusing_invalid_filters
def matrix_xlsx(request):
    return xlsx_response(*matrix_rows(request), _name(request, "matris"), _("Matris"))
