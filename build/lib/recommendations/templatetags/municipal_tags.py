"""``{% page_url "recommendation_list" %}``: a page's URL in the same place as the current
page, beneath its municipality or national (``recommendations.municipal.page_url``)."""

from django import template

from recommendations.municipal import page_url as _page_url

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, name, *args):
    return _page_url(context["request"], name, *args)
