"""``{% chart_bar bar chart_id %}``: one bar of a server-drawn chart (``charts.Bar.svg``)."""

from django import template

register = template.Library()


@register.simple_tag
def chart_bar(bar, chart_id):
    return bar.svg(str(chart_id))
