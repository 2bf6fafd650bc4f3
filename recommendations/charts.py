"""Server-drawn SVG bar charts (no JavaScript): the geometry is worked out here, the
template ``includes/bar_chart.html`` writes the frame around the bars (``Bar.svg``).

Every number that goes into an SVG attribute is a string made here with a decimal
point, whatever the page's language: Django's localization would write 56.0 as "56,0"
in Swedish, which SVG rejects (no bar is drawn). Text the reader sees (counts, shares)
is localized as usual.

A chart is never read by colour alone: each segment wide enough carries its symbol or
share as text, the bar's total stands at its end, the legend pairs each colour with a
symbol and a word, and every chart has a table with the same numbers next to it.
"""

from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import mark_safe

from auditfollowup.lib.number_tags import grouped_number

from .status import Status

BAR_HEIGHT = 30
BAR_GAP = 12
BAR_WIDTH = 480
# Room right of the longest bar for its total ("123 svar", "ännu inte 3 år").
TOTAL_WIDTH = 190
# A segment narrower than this has no room for its text; its numbers are in the table.
MIN_LABEL_WIDTH = 46

# Fills as SVG attributes rather than CSS classes, so the PDF renderer draws the same
# colours as the browser. Light tints: the dark text on them keeps a 4.5:1 contrast.
STATUS_FILLS = {
    Status.NOT_STARTED: "#cfcfcf",
    Status.PLANNED: "#a9c4ea",
    Status.IN_PROGRESS: "#f3d27a",
    Status.PARTLY_IMPLEMENTED: "#9fd6cb",
    Status.IMPLEMENTED: "#9ed3aa",
    Status.NO_LONGER_RELEVANT: "#c6c6dc",
    Status.NOT_ACCEPTED: "#efaaae",
    Status.NOT_REPORTED: "#f3c39d",
}
NEUTRAL_FILL = "#b8c7d9"

# Hatching over each category's tint, in the order of the chart's categories, so that a
# chart printed in black and white (or read without colour) still tells the segments
# apart, also those too narrow for their text. Paths on an 8 x 8 tile.
HATCHES = [
    "",
    "M0,8 L8,0",
    "M0,4 L8,4",
    "M0,0 L8,8",
    "M4,0 L4,8",
    "M0,4 L8,4 M4,0 L4,8",
    "M3,3 h2 v2 h-2 z",
    "M0,8 L8,0 M0,0 L8,8",
]


def svg_number(value: float) -> str:
    """A number for an SVG attribute: two decimals after a point, in every language."""
    return f"{value:.2f}"


def svg_pattern(pattern_id: str, tint: str, hatch: str) -> str:
    """A category's fill as an SVG ``<pattern>``: its tint, hatched (``HATCHES``) where
    it has a hatch, every value escaped."""
    path = (
        f'<path d="{escape(hatch)}" stroke="#333333" stroke-width="1.00" fill="#333333" '
        'fill-opacity="0.45" stroke-opacity="0.45"/>'
        if hatch
        else ""
    )
    return (
        f'<pattern id="{escape(pattern_id)}" patternUnits="userSpaceOnUse" width="8.00" '
        f'height="8.00"><rect width="8.00" height="8.00" fill="{escape(tint)}"/>{path}</pattern>'
    )


@dataclass(frozen=True)
class Category:
    """A kind of segment: a status, or a group of statuses in the council report."""

    key: str
    label: str
    symbol: str
    fill: str
    css_class: str = ""


def status_category(status: Status) -> Category:
    """The status as a chart's category, its label in the active language: translated
    once, where a lazy label was translated again for each bar, segment, table cell and
    legend entry that wrote it."""
    return Category(
        status.value, str(status.label), status.symbol, STATUS_FILLS[status], status.css_class
    )


@dataclass
class Segment:
    category: Category
    count: int
    value: str  # the count or share as the reader reads it
    left: float
    size: float

    @property
    def text(self) -> str:
        """Written inside the segment when it fits: the symbol, then the value."""
        return f"{self.category.symbol} {self.value}"

    @property
    def x(self) -> str:
        return svg_number(self.left)

    @property
    def width(self) -> str:
        return svg_number(self.size)

    @property
    def text_x(self) -> str:
        return svg_number(self.left + self.size / 2)

    @property
    def fits_label(self) -> bool:
        return self.size >= MIN_LABEL_WIDTH


@dataclass
class Bar:
    label: str
    counts: list  # one number per category, for the table
    total: int
    total_text: str
    top: float
    label_width: float
    segments: list = field(default_factory=list)

    @property
    def y(self) -> str:
        return svg_number(self.top)

    @property
    def text_y(self) -> str:
        return svg_number(self.top + BAR_HEIGHT / 2 + 5)

    @property
    def end_x(self) -> str:
        end = self.segments[-1].left + self.segments[-1].size if self.segments else self.label_width
        return svg_number(end + 8)

    def svg(self, chart_id: str) -> str:
        """The bar as SVG: its label, a rectangle per segment (with its text where it
        fits) and its total, every text escaped. Written here rather than by the
        template, whose dozen look-ups per segment were a sixth of the start page's time
        (eight bars of up to eight segments)."""
        y, text_y, label = self.y, self.text_y, escape(str(self.label))
        parts = [
            f'<g class="bar-row"><text x="0.00" y="{text_y}" class="bar-year" '
            f'fill="#1a1a1a">{label}</text>'
        ]
        for segment in self.segments:
            key = escape(f"{chart_id}-{segment.category.key}")
            parts.append(
                f'<rect x="{segment.x}" y="{y}" width="{segment.width}" '
                f'height="{svg_number(BAR_HEIGHT)}" fill="url(#{key})" stroke="#ffffff" '
                f'stroke-width="1.50" class="bar"><title>{label}: '
                f"{escape(str(segment.category.label))} {escape(str(segment.value))}"
                "</title></rect>"
            )
            if segment.fits_label:
                parts.append(
                    f'<text x="{segment.text_x}" y="{text_y}" text-anchor="middle" '
                    f'class="bar-label" fill="#111111">{escape(str(segment.text))}</text>'
                )
        parts.append(
            f'<text x="{self.end_x}" y="{text_y}" class="bar-total" fill="#1a1a1a">'
            f"{escape(str(self.total_text))}</text></g>"
        )
        return mark_safe("".join(parts))  # noqa: S308 (each text escaped above)

    @property
    def count_cells(self) -> str:
        """The bar's counts as cells of the chart's table (``includes/bar_chart_table.html``),
        grouped (``grouped_number``): written here, as ``svg`` is, where the template
        looked up and filtered every number (eight bars of eight counts)."""
        return mark_safe(  # noqa: S308 (each count escaped)
            "".join(f'<td class="num">{escape(grouped_number(n))}</td>' for n in self.counts)
        )

    @property
    def description(self) -> str:
        parts = [f"{s.category.label} {s.value}" for s in self.segments]
        return f"{self.label}: {', '.join(parts) or self.total_text}."


@dataclass
class Chart:
    """Horizontal bars, one per row; stacked segments per category."""

    title: str
    categories: list
    bars: list
    label_width: float

    @property
    def width(self) -> str:
        return svg_number(self.label_width + BAR_WIDTH + TOTAL_WIDTH)

    @property
    def height(self) -> str:
        return svg_number(len(self.bars) * (BAR_HEIGHT + BAR_GAP))

    @property
    def bar_height(self) -> str:
        return svg_number(BAR_HEIGHT)

    @property
    def description(self) -> str:
        return " ".join(bar.description for bar in self.bars)

    @property
    def is_empty(self) -> bool:
        """Nothing counted in any row: every bar would be an empty line."""
        return not any(bar.total for bar in self.bars)

    @property
    def patterns(self) -> list[tuple[str, str, str]]:
        """(category key, tint, hatch path) for each category: one SVG pattern each."""
        return [
            (category.key, category.fill, HATCHES[index % len(HATCHES)])
            for index, category in enumerate(self.categories)
        ]

    def patterns_svg(self, chart_id: str) -> str:
        """The chart's patterns (``patterns``) as SVG, each named ``<chart_id>-<key>``."""
        return mark_safe(  # noqa: S308 (svg_pattern escapes every value)
            "".join(
                svg_pattern(f"{chart_id}-{key}", tint, hatch) for key, tint, hatch in self.patterns
            )
        )

    def legend_html(self, chart_id: str) -> str:
        """The legend's entries: each category's swatch, which holds its own copy of the
        category's pattern (WeasyPrint, which draws the council report's PDF, does not
        resolve a fill that points into another SVG, and drew the swatches white), its
        symbol and its label; every value escaped. Written here, as ``Bar.svg`` is, where
        the template searched every pattern for each category's."""
        items = []
        for category, (key, tint, hatch) in zip(self.categories, self.patterns, strict=True):
            swatch = escape(f"{chart_id}-{key}-swatch")
            items.append(
                '<li><svg class="legend-hatch" width="16.00" height="16.00" viewBox="0 0 16 16" '
                f'aria-hidden="true" focusable="false"><defs>'
                f"{svg_pattern(f'{chart_id}-{key}-swatch', tint, hatch)}</defs>"
                f'<rect width="16.00" height="16.00" fill="url(#{swatch})" stroke="#333333"/>'
                f'</svg> <span class="status legend-swatch {escape(category.css_class)}">'
                f'<span class="status-symbol" aria-hidden="true">{escape(category.symbol)}</span>'
                f" {escape(str(category.label))}</span></li>"
            )
        return mark_safe("".join(items))  # noqa: S308 (each value escaped)


def stacked_bars(
    title: str,
    categories: list[Category],
    rows: list[tuple[str, dict, str]],
    *,
    label_width: float = 56,
    shares: bool = False,
    segment_value=None,
) -> Chart:
    """A chart of ``rows``: (label, {category key: count}, text at the bar's end).

    The longest row is BAR_WIDTH wide; with ``shares`` every row is (each segment is its
    share of the row). ``segment_value(category, count, row total)`` is the value a
    segment shows after its symbol; by default the count, grouped (``grouped_number``).
    """
    segment_value = segment_value or (lambda category, count, total: grouped_number(count))
    longest = max((sum(counts.values()) for _l, counts, _t in rows), default=0) or 1
    bars = []
    for index, (label, counts, total_text) in enumerate(rows):
        bar = Bar(
            label=label,
            counts=[counts.get(category.key, 0) for category in categories],
            total=sum(counts.values()),
            total_text=total_text,
            top=index * (BAR_HEIGHT + BAR_GAP),
            label_width=label_width,
        )
        x = float(label_width)
        full = (bar.total or 1) if shares else longest
        for category in categories:
            count = counts.get(category.key, 0)
            if count:
                size = BAR_WIDTH * count / full
                value = segment_value(category, count, bar.total)
                bar.segments.append(Segment(category, count, value, x, size))
                x += size
        bars.append(bar)
    return Chart(title=title, categories=categories, bars=bars, label_width=label_width)
