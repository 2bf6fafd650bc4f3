"""``reverse()`` for pages listed by the hundred: each URL pattern is reversed once.

Django's ``reverse()`` walks the URL resolver on every call (about 30 µs). The matrix, the
lists, the API and the exports name an object's page for every row, hundreds of times a
request, and the only thing that changes between those calls is the object's key and its
municipality's slug. So ``reverse_fast()`` reverses a pattern once, with numbered
placeholders in place of the arguments, and afterwards puts each argument where its
placeholder stood.

That is what ``reverse()`` itself would write only for arguments it writes unchanged:
whole numbers and slugs (ASCII letters, digits, hyphens and underscores, which no URL
escapes and every converter of this project's patterns accepts). Any other argument goes
through ``reverse()``. The cache is keyed by the script prefix and the URLconf in force,
which are all a reversal depends on besides its name.

``reserved_slugs()`` reads the same URLconf for the first path segments of the fixed
addresses, which no municipality's slug may take (``Municipality.clean``).
"""

import re
from functools import cache, lru_cache

from django.urls import URLResolver, get_resolver, get_script_prefix, get_urlconf, reverse

# Digits, so that every converter (int, slug, str, path) accepts them when reversing.
_PLACEHOLDER = "740318265{}917"
_WRITTEN_UNCHANGED = re.compile(r"[-a-zA-Z0-9_]+\Z")


@lru_cache(maxsize=512)
def _pieces(name: str, arity: int, prefix: str, urlconf) -> tuple[str, ...] | None:
    """The reversed URL split at its placeholders: ``arity + 1`` pieces, or None when a
    placeholder does not come out once and in order (a pattern that rewrites its
    arguments), in which case every call goes through ``reverse()``."""
    placeholders = [_PLACEHOLDER.format(index) for index in range(arity)]
    url = reverse(name, args=placeholders, urlconf=urlconf)
    pieces = []
    for placeholder in placeholders:
        before, found, url = url.partition(placeholder)
        if not found or placeholder in url:
            return None
        pieces.append(before)
    pieces.append(url)
    return tuple(pieces)


def _written_unchanged(args) -> bool:
    # A loop rather than all() over a generator: asked for every URL of a page.
    for arg in args:
        if type(arg) is not int and not (type(arg) is str and _WRITTEN_UNCHANGED.match(arg)):
            return False
    return True


def _url(name: str, pieces: tuple[str, ...] | None, args) -> str:
    """The one fast path: ``args`` put where their placeholders stood in ``pieces``, or,
    for a pattern or an argument it does not cover, ``reverse()`` itself."""
    if pieces is None or not _written_unchanged(args):
        return reverse(name, args=args)
    parts = [pieces[0]]
    for arg, piece in zip(args, pieces[1:], strict=True):
        parts += [str(arg), piece]
    return "".join(parts)


def reverse_fast(name: str, *args) -> str:
    """``reverse(name, args=args)``, the pattern reversed once per process."""
    return _url(name, _pieces(name, len(args), get_script_prefix(), get_urlconf()), args)


def reverser(name: str, arity: int):
    """``reverse_fast`` for a loop within one request: a function of ``arity`` arguments,
    with the script prefix, the URLconf and the pattern's pieces looked up once. Those
    look-ups are most of ``reverse_fast``'s 4 µs; the national page names 580 URLs."""
    pieces = _pieces(name, arity, get_script_prefix(), get_urlconf())

    def url(*args) -> str:
        return _url(name, pieces, args)

    return url


@cache
def reserved_slugs() -> frozenset[str]:
    """The first path segments of the site's fixed addresses (``rapport``, ``api``,
    ``konto``, ...): a municipality with such a slug could never be reached."""
    segments = set()

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if "<" in route.split("/")[0]:
                continue  # the municipality's own prefix
            if isinstance(pattern, URLResolver) and not route:
                walk(pattern.url_patterns, route)
            elif route.split("/")[0]:
                segments.add(route.split("/")[0].removeprefix("^"))

    walk(get_resolver().url_patterns)
    return frozenset(segments)
