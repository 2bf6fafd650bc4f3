"""Atom feed of newly published responses.

A feed is read anonymously, so it shows what the public may read, whoever asks.
"""

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from auditfollowup.lib.text import without_control_characters
from responses.models import Response

from .municipal import current_municipality
from .roles import Public, access


class TextSummaryAtom1Feed(Atom1Feed):
    """Atom whose summaries are plain text: they are written by board staff, so a feed
    reader must show them as typed, never interpret them as HTML (Django says "html")."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class PublishedResponsesFeed(Feed):
    feed_type = TextSummaryAtom1Feed
    subtitle = _("Nämndernas senast publicerade yttranden om revisionens rekommendationer.")

    def get_object(self, request, *args, **kwargs):
        # The municipality of a prefixed feed (/<slug>/flode/yttranden/); None: national.
        return current_municipality(request)

    def title(self, municipality):
        # A reader following two municipalities (or one and the national feed) tells
        # them apart by their titles.
        if municipality is None:
            return _("Uppföljning: nya yttranden i alla kommuner")
        return _("Uppföljning: nya yttranden i %(municipality)s") % {
            "municipality": municipality.name
        }

    def author_name(self, municipality):
        # Atom asks every feed for an author: the municipality whose boards answer, or
        # the service itself for the national feed.
        return municipality.name if municipality is not None else _("Uppföljning")

    def link(self, municipality):
        if municipality is None:
            return reverse("recommendations:home")
        return reverse("municipal:home", args=[municipality.slug])

    def items(self, municipality):
        last_change = (
            Response.history.model.objects.filter(id=OuterRef("pk"))
            .order_by("-history_date")
            .values("history_date")[:1]
        )
        return (
            Response.objects.visible_to(AnonymousUser())
            .in_municipality(municipality)
            .select_related("board__municipality", "round__audit")
            .annotate(last_changed=Subquery(last_change))
            # The start page's order of "latest published", from its one home.
            .latest_published(30)
        )

    def item_title(self, item):
        # Older drafts were titled "<board>: yttrande – …": name the board only once.
        if item.title.startswith(item.board.name):
            title = item.title
        else:
            title = f"{item.board.name}: {item.title}"
        return without_control_characters(title)

    def item_description(self, item):
        parts = [str(item.round.audit), item.diary_number, str(item.date or ""), item.summary]
        return without_control_characters(" – ".join(part for part in parts if part))

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        """Atom requires <updated> on every entry: the last recorded change (admins may
        correct a published response), else when it was published, else the response's own
        date (imported responses have no publication time), else the round's deadline."""
        known = item.date or item.round.deadline
        if item.last_changed or item.published_at or not known:
            return item.last_changed or item.published_at or timezone.now()
        return _start_of_day(known.start)


published_responses_feed = access(Public)(PublishedResponsesFeed())
