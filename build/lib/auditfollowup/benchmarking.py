"""Pieces used only by the benchmark (bench/run_benchmark.py), never in normal production.

Both are switched on by the environment variable ``UF_BENCHMARK=1``; without it
settings.py does not install the middleware and urls.py does not route the view.

* ``ServerTimingMiddleware`` adds a ``Server-Timing`` header to every response:
  the time the whole Django stack spent on the request (``app``) and the time
  and number of database queries (``db``), so the benchmark reads server time
  without parsing logs.
* ``trivial_view`` does one small query and returns a few bytes: the ceiling of
  what Django, gunicorn and PostgreSQL manage on this machine, against which
  each page's throughput is compared.
"""

import time
from contextlib import ExitStack

from django.db import connections
from django.http import HttpResponse

from recommendations.models import Municipality
from recommendations.roles import Public, access


class _QueryTimer:
    """A database execute wrapper that adds up query time and count."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


class ServerTimingMiddleware:
    """Report server time and database time per request in a ``Server-Timing`` header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timer = _QueryTimer()
        started = time.perf_counter()
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(timer))
            response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = (
            f"app;dur={elapsed_ms:.2f}, "
            f'db;dur={timer.seconds * 1000:.2f};desc="{timer.count} queries"'
        )
        return response


@access(Public)
def trivial_view(request):
    """One query, a few bytes: the framework's ceiling."""
    first = Municipality.objects.order_by("pk").values_list("pk", flat=True).first()
    response = HttpResponse(f"ok {first}", content_type="text/plain")
    # Never from the page cache: it stays one query, the same ceiling with or without Redis.
    response["Cache-Control"] = "no-store"
    return response
