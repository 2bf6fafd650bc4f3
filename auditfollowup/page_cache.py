"""Whole public pages cached for anonymous visitors, shared by every app server.

What is cached: the complete response (body and headers) of an anonymous GET (or HEAD,
answered from and stored as the same page) that ends
in 200, set no cookie and used no CSRF token, keyed by the full URL (scheme, host, path
and query), the language and the day: pages say what is overdue *today* and show the
years up to this one, so a page cached before midnight is not served after it. Never:
requests carrying a session or a messages cookie (a logged-in user, a pending message),
the admin, streaming responses (the large exports), bodies above
``PAGE_CACHE_MAX_BYTES``, and answers marked ``Cache-Control: private`` or ``no-store``:
the views decorated with ``per_visitor``, whose answer depends on a secret in the address
and on state no write here invalidates (an unsubscribe link, a follow confirmation, a
private calendar).

How it is invalidated: every page key contains a *generation* number kept in the cache
itself. Any write to a model of the two apps that can change a public page (publishing, an
assessment, closing, an admin change, ...) bumps the generation when its transaction commits
(``transaction.on_commit``); a model says which of its writes cannot
(``changes_public_pages``: a draft's or a submitted response's content), so staff saving
drafts leave the cache warm. Bulk writers that send no signals (the importer, the
synthetic-data generator, ``rebuild_standings``) call ``invalidate()`` themselves. One
increment makes every cached page unreachable at once on every app server, because the
generation lives in the shared cache (Redis when ``REDIS_URL`` is set); old entries
expire on their own after ``PAGE_CACHE_SECONDS``.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control

GENERATION_KEY = "pages:generation"
HEADER = "X-Page-Cache"


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def generation() -> int:
    return _cache().get(GENERATION_KEY) or 0


def _bump() -> None:
    cache = _cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        # No generation yet (a fresh or flushed cache): start one above any page stored
        # under the implicit 0.
        cache.set(GENERATION_KEY, 1, timeout=None)


def invalidate() -> None:
    """Make every cached page stale once the current transaction commits (at once when
    there is none); a rolled-back write (a dry run) invalidates nothing."""
    transaction.on_commit(_bump)


def _on_write(sender, instance=None, **kwargs) -> None:
    # A model may say that a write cannot change a public page (a draft's content):
    # staff saving drafts then leave every cached page in place.
    changes_public_pages = getattr(instance, "changes_public_pages", None)
    if changes_public_pages is not None:
        try:
            if not changes_public_pages():
                return
        except ObjectDoesNotExist:
            pass  # its response is being deleted with it: a public change, to be safe
    invalidate()


def watch_models(app_configs) -> None:
    """Invalidate on every save, delete and many-to-many change of these apps' models. Their
    history tables are left out: they change only along with the model they record (the
    importer, which writes them in bulk, invalidates itself)."""
    for app_config in app_configs:
        for model in app_config.get_models():
            if hasattr(model, "instance_type"):  # a django-simple-history table
                continue
            uid = f"page_cache:{model._meta.label_lower}"
            post_save.connect(_on_write, sender=model, dispatch_uid=f"{uid}:save")
            post_delete.connect(_on_write, sender=model, dispatch_uid=f"{uid}:delete")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    _on_write, sender=field.remote_field.through, dispatch_uid=f"{uid}:{field.name}"
                )


def per_visitor(view):
    """For a view whose answer belongs to the one who holds its address: it depends on a
    secret token in the URL and on that person's state (a choice turned off, a follow
    confirmed), which no write that invalidates this cache covers. Its answers are marked
    ``Cache-Control: private``: never stored here nor in a shared proxy, so the page says
    what is true now (not "already off" for ten minutes after the kind was turned back
    on)."""

    @wraps(view)
    def marked(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True)
        return response

    return marked


def _shared(response) -> bool:
    """Whether the response's Cache-Control lets a shared cache keep it."""
    control = response.get("Cache-Control", "")
    return "no-store" not in control and "private" not in control


def _cacheable_request(request) -> bool:
    # A HEAD is the GET without its body (the server leaves it out): the same page, under
    # the same key, or every HEAD would draw the page anew (a council report's PDF).
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    if request.path.startswith("/admin/"):
        return False
    return not request.user.is_authenticated


def _cacheable_response(request, response) -> bool:
    if response.streaming:
        # The exports (a CSV written as it is sent, an xlsx sent from a file): storing one
        # would read the whole body into memory here, and its body can be read only once.
        return False
    return (
        response.status_code == 200
        and not response.cookies
        # The page holds a CSRF token (a form): it belongs to this visitor only.
        and "CSRF_COOKIE_NEEDS_UPDATE" not in request.META
        and len(response.content) <= settings.PAGE_CACHE_MAX_BYTES
        and _shared(response)
    )


def _key(request, generation_: int) -> str:
    url = request.build_absolute_uri()
    day = timezone.localdate().isoformat()
    digest = hashlib.sha256(f"{translation.get_language()}|{day}|{url}".encode()).hexdigest()
    return f"pages:{generation_}:{digest}"


class AnonymousPageCacheMiddleware:
    """Serves and stores the cached pages (see the module docstring). Placed after the
    authentication and message middleware, and inside the security and CSP middleware,
    so that a page from the cache still gets this request's security headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        cache = _cache()
        key = _key(request, generation())
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response[HEADER] = "hit"
            return response
        response = self.get_response(request)
        if _cacheable_response(request, response):
            cache.set(key, (response.content, list(response.items())), settings.PAGE_CACHE_SECONDS)
            response[HEADER] = "miss"
        return response
