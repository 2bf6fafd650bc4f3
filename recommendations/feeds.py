"""Atom feed of newly published responses.

A feed is read anonymously, so it shows what the public may read, whoever asks.
"""

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.db.models import F
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from responses.models import Response


class PublishedResponsesFeed(Feed):
    feed_type = Atom1Feed
    title = _("Uppföljning: nya yttranden")
    subtitle = _("Nämndernas senast publicerade yttranden om revisionens rekommendationer.")
    link = reverse_lazy("recommendations:home")

    def items(self):
        return (
            Response.objects.visible_to(AnonymousUser())
            .select_related("board", "round__audit")
            .order_by(F("published_at").desc(nulls_last=True), "-pk")[:30]
        )

    def item_title(self, item):
        # Older drafts were titled "<board>: yttrande – …": name the board only once.
        if item.title.startswith(item.board.name):
            return item.title
        return f"{item.board.name}: {item.title}"

    def item_description(self, item):
        parts = [str(item.round.audit), item.diary_number, str(item.date or ""), item.summary]
        return " – ".join(part for part in parts if part)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at
