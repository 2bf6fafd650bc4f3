"""gunicorn's settings for Uppföljning in production, also used by the benchmark.

Start with ``gunicorn -c deploy/gunicorn.conf.py`` from the project's folder; ``--workers`` and
``--bind`` on the command line override what is set here.

Why threads: most requests are cache hits of a millisecond, a few render a page for tens of
milliseconds and the staff form for more. With one request per worker process (gunicorn's sync
workers) a hit waits behind any render in progress, so a visitor's time is decided by the slowest
page being drawn at that moment. With a few threads per process a hit is answered between the
render's slices (and while it waits for PostgreSQL or Redis), so the quick pages stay quick under
load. Each thread has its own database connection, kept for ``CONN_MAX_AGE`` (settings.py).
"""

import itertools
import os

wsgi_app = "auditfollowup.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# About one process per core; each with a few threads (see above).
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request that takes longer than this is stuck: the worker is replaced.
timeout = 120
graceful_timeout = 30
keepalive = 5
# Renew a process now and then, so a slow leak in a library cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200

# Python's cyclic garbage collector. A page such as the matrix makes hundreds of thousands
# of short-lived objects (model instances, template nodes); with the default thresholds
# (700, 10, 10) that meant hundreds of young collections per request and, every few
# requests, a full collection walking everything alive, the ~150,000 objects Django and
# the project load at start-up included: 100-300 ms pauses at national scale, which were
# most of the matrix's and the API's p95. So, once the app is loaded in a worker:
# everything loaded so far is frozen (it lives as long as the process and is never
# walked again), and a young collection waits for 50,000 new objects instead of 700.
# Reference counting still frees almost everything at once; only cycles wait longer.
GC_THRESHOLDS = (50_000, 20, 100)
# And each request's cyclic garbage (model instances and their prefetched relations refer
# to each other) is collected as soon as its response is sent, while it is the only thing
# in the young generation: 2-4 ms after the response instead of a 25-60 ms pause inside a
# later request, once 50,000 objects of earlier requests had piled up (measured in
# process on the matrix and the CSV export: most of their p95). Every hundredth request
# also collects the old generation (small: what was loaded before is frozen).
FULL_COLLECTION_EVERY = 100
_served = itertools.count(1)


def post_worker_init(worker):
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def post_request(worker, req, environ, resp):
    import gc

    gc.collect(2 if next(_served) % FULL_COLLECTION_EVERY == 0 else 1)
