"""One walk of the URL tree, for the tests that cover every page of the product (access
rules, HTTP methods, leaks, hostile requests, the permission matrix, fast URLs): a page
added anywhere is found by all of them alike."""

from collections.abc import Iterable, Iterator
from typing import NamedTuple

from django.urls import URLPattern, URLResolver, get_resolver

# The admin site is Django's, with its own rules and tests.
ADMIN = ("admin",)


class WalkedURL(NamedTuple):
    name: str | None  # with its namespaces ("municipal:recommendation_detail"); None unnamed
    route: str  # the whole route, its includes' parts first ("<slug:municipality>/...")
    pattern: URLPattern


def walk_urls(patterns: Iterable | None = None, *, skip=ADMIN) -> Iterator[WalkedURL]:
    """Every pattern beneath ``patterns`` (the project's URLconf by default), leaving out
    the includes whose namespace is in ``skip``."""

    def walk(patterns, namespace, route):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in skip:
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner, route + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}{pattern.name}" if pattern.name else None
                yield WalkedURL(name, route + str(pattern.pattern), pattern)

    return walk(get_resolver().url_patterns if patterns is None else patterns, "", "")


def named_urls(*, skip=ADMIN) -> list[tuple[str, URLPattern]]:
    """(name, pattern) of every named URL, by name."""
    named = ((url.name, url.pattern) for url in walk_urls(skip=skip) if url.name)
    return sorted(named, key=lambda item: item[0])
