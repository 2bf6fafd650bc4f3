"""``{% page_url "recommendation_list" %}``: a page's URL in the same place as the current
page, beneath its municipality or national (``recommendations.municipal.page_url``).
``{% own_page_url "home" %}``: the page of the municipality the user acts for
(``recommendations.municipal.own_page_url``)."""

from django import template

from recommendations.municipal import own_page_url as _own_page_url
from recommendations.municipal import page_url as _page_url

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, name, *args):
    return _page_url(context["request"], name, *args)


@register.simple_tag(takes_context=True)
def own_page_url(context, name, *args):
    return _own_page_url(context["request"], name, *args)
