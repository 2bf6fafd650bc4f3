"""A server-drawn chart's parts, written by ``charts.py``: ``{% chart_bar bar chart_id %}``,
one bar (``Bar.svg``); ``{% chart_patterns chart chart_id %}``, the fills of its
categories (``Chart.patterns_svg``); ``{% chart_legend chart chart_id %}``, its legend's
entries (``Chart.legend_html``)."""

from django import template

register = template.Library()


@register.simple_tag
def chart_bar(bar, chart_id):
    return bar.svg(str(chart_id))


@register.simple_tag
def chart_patterns(chart, chart_id):
    return chart.patterns_svg(str(chart_id))


@register.simple_tag
def chart_legend(chart, chart_id):
    return chart.legend_html(str(chart_id))
