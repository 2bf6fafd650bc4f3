"""Benchmark Uppföljning's main pages on PostgreSQL with gunicorn, and the fixture import.

Run from the project root with the project's virtualenv (see BENCHMARKS.md):

    .venv/bin/python bench/run_benchmark.py --scale 1
    .venv/bin/python bench/run_benchmark.py --scale national --database uf_bench

What it does, all on this machine and on the loopback interface only:

1. checks its tools (PostgreSQL reachable, gunicorn; installs Debian's ``wrk`` when it
   can, else measures throughput with its own Python client);
2. creates and migrates the database if needed and fills it with
   ``generate_synthetic_data --scale ...`` unless it already holds synthetic data;
3. starts gunicorn with 2 workers on 127.0.0.1 in production mode with
   ``UF_BENCHMARK=1`` (Server-Timing header and the trivial view switched on);
4. per page: ``--requests`` sequential requests by one user (at most ``--max-seconds``),
   reading the server time from the ``Server-Timing`` header, then throughput for
   ``--duration`` seconds at ``--concurrency`` connections; the trivial view first, as
   the ceiling every page is compared with;
5. times ``loaddata`` and ``import_fixtures`` on the same generated fixture file, each
   into a fresh copy of an empty migrated database;
6. prints a markdown table (and writes it with ``--output``), stops gunicorn and exits.
"""

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:  # run as a script: ``bench.extras`` and the apps importable
    sys.path.insert(0, str(PROJECT))
PYTHON = sys.executable
BIN = Path(PYTHON).parent
HOST = "127.0.0.1"
TRIVIAL_PATH = "/__benchmark__/trivial/"
STAFF_PASSWORD = "bench-" + "staff-password"
SECRET_KEY = secrets.token_urlsafe(40)

# A word the generator's vocabulary uses in about one recommendation in twelve.
SEARCH_WORDS = "riskanalysen"

# The targets of issue 12 (for the benchmark only; no test asserts a duration).
TARGET_P95_MS = 50
TARGET_STAFF_FORM_P95_MS = 60
TARGET_SEARCH_MEDIAN_MS = 20
TARGET_UNCACHED_SHARE = 0.15
TARGET_CACHED_SHARE = 0.50
TARGET_IMPORT_SPEEDUP = 8
TARGET_LOAD_P95_MS = 300
STAFF_FORM = "Staff response form"


def log(message: str):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# Setup ---------------------------------------------------------------------------------


def server_env(database_url: str) -> dict:
    """The environment of gunicorn and of every manage.py command the benchmark runs."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "auditfollowup.settings",
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "UF_BENCHMARK": "1",
        "PYTHONPATH": str(PROJECT),
    }


def manage(env: dict, *args: str, capture: bool = False) -> str:
    completed = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [PYTHON, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return completed.stdout or ""


def psql_admin(server_url: str, sql: str):
    """Run one statement on the server's maintenance database (autocommit)."""
    import psycopg

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def ensure_wrk() -> str | None:
    """The path of wrk, installing Debian's package when possible; None to use Python."""
    found = shutil.which("wrk")
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt and os.geteuid() == 0:
        log("installing Debian's wrk (apt-get install -y wrk)")
        subprocess.run(  # noqa: S603 - fixed command
            [apt, "install", "-y", "-qq", "wrk"],
            check=False,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        found = shutil.which("wrk")
    if not found:
        log("wrk not available: measuring throughput with the Python client")
    return found


def prepare_database(args, env: dict) -> float | None:
    """Create, migrate and fill the database; return the generation time if it generated."""
    import psycopg

    server_url, name = args.server, args.database
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and args.fresh:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    manage(env, "migrate", "--no-input", "-v0")
    with psycopg.connect(f"{server_url}/{name}") as connection:
        has_data = connection.execute(
            "SELECT 1 FROM recommendations_municipality WHERE slug LIKE 'syntetisk-%' LIMIT 1"
        ).fetchone()
    if has_data:
        log(f"database {name} already holds synthetic data: using it as it is")
        return None
    log(f"generating synthetic data at scale {args.scale} into {name}")
    started = time.perf_counter()
    manage(
        env,
        "generate_synthetic_data",
        "--scale",
        args.scale,
        "--seed",
        str(args.seed),
        "--staff-password",
        STAFF_PASSWORD,
    )
    elapsed = time.perf_counter() - started
    with psycopg.connect(f"{server_url}/{name}", autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    return elapsed


# The pages -----------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    path: str
    cookie: str = ""
    note: str = ""


def choose_pages(env: dict) -> list[Page]:
    """Set Django up in this process with gunicorn's settings, then ``pick_pages()``.

    Same settings and secret key as gunicorn, so the staff session made here is valid there.
    """
    os.environ.update(env)
    sys.path.insert(0, str(PROJECT))
    import django

    django.setup()
    return pick_pages()


def pick_pages() -> list[Page]:
    """Representative objects of the synthetic data and each page's URL (Django set up)."""
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from bench.extras import staff_session_cookie
    from recommendations.models import Board, Municipality, Recommendation
    from responses.models import Response

    # A busy board of one municipality: what a board's staff or an auditor filters on.
    board = (
        Board.objects.filter(kind=Board.Kind.BOARD, municipality__slug__startswith="syntetisk-")
        .annotate(n=Count("addressed_recommendations"))
        .order_by("-n", "pk")
        .first()
    )
    busiest = (
        Recommendation.objects.filter(audit__municipality=board.municipality)
        .annotate(n=Count("entries"))
        .order_by("-n", "pk")
        .first()
    )
    draft = (
        Response.objects.drafts()
        .filter(round__is_open=True)
        .annotate(n=Count("entries"))
        .order_by("-n", "pk")
        .select_related("board")
        .first()
    )
    by_board = urlencode({"board": board.pk})
    # The board's municipality's pages (/<slug>/...), where its board and audits are chosen.
    slug = board.municipality.slug

    def municipal(name, *args):
        return reverse(f"municipal:{name}", args=[slug, *args])

    listing = municipal("recommendation_list")
    pages = [
        Page("Trivial view (1 query)", TRIVIAL_PATH),
        Page("Municipality start page", municipal("home")),
        Page(
            "List, filtered (board + status)",
            f"{listing}?{urlencode({'board': board.pk, 'status': 'in_progress'})}",
        ),
        Page("List, search", f"{listing}?{urlencode({'q': SEARCH_WORDS})}"),
        Page(
            "Recommendation page",
            municipal("recommendation_detail", busiest.pk),
            note=f"{busiest.n} entries",
        ),
        Page("Matrix (one board)", f"{municipal('matrix')}?{by_board}"),
        Page("JSON API (one board)", f"{municipal('api_recommendations')}?{by_board}"),
        Page("CSV export (one board)", f"{municipal('recommendation_list_csv')}?{by_board}"),
    ]
    if Municipality.objects.count() > 1:
        # With one municipality "/" only redirects to its start page.
        pages.insert(1, Page("National start page", reverse("recommendations:home")))
    try:
        form = reverse("responses:response_edit", args=[draft.pk]) if draft else None
    except NoReverseMatch:  # a checkout without the staff workflow
        form = None
    if form:
        writer = draft.board.staff.order_by("pk").first()
        pages.append(
            Page(
                "Staff response form",
                form,
                cookie=staff_session_cookie(writer),
                note=f"{draft.n} entries",
            )
        )
    return pages


# Measuring -----------------------------------------------------------------------------

_SERVER_TIMING = re.compile(r"app;dur=([\d.]+).*?db;dur=([\d.]+);desc=\"(\d+) queries\"")


@dataclass
class Result:
    page: Page
    server_ms: list[float] = field(default_factory=list)
    client_ms: list[float] = field(default_factory=list)
    queries: int = 0
    throughput: float | None = None
    errors: int = 0
    error: str = ""
    # X-Page-Cache of each measured request: "hit", "miss" or "" (not cacheable).
    cache: list[str] = field(default_factory=list)

    def hit_share(self) -> float:
        return self.cache.count("hit") / len(self.cache) if self.cache else 0.0

    def median(self) -> float:
        return statistics.median(self.server_ms) if self.server_ms else float("nan")

    def p95(self) -> float:
        if len(self.server_ms) < 2:
            return self.median()
        return statistics.quantiles(self.server_ms, n=20, method="inclusive")[18]


def get(connection: http.client.HTTPConnection, page: Page, cache_state: list | None = None):
    """GET the page; ``cache_state`` (a list) receives the X-Page-Cache header if given."""
    headers = {"Cookie": page.cookie} if page.cookie else {}
    connection.request("GET", page.path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    if cache_state is not None:
        cache_state.append(response.getheader("X-Page-Cache") or "")
    return response.status, response.getheader("Server-Timing") or "", body


def measure_latency(port: int, page: Page, requests: int, max_seconds: float) -> Result:
    """One user, one request after the other: server time per request."""
    result = Result(page)
    connection = http.client.HTTPConnection(HOST, port, timeout=120)
    for _ in range(3):  # warm-up: connections, caches, compiled templates
        status, _timing, body = get(connection, page)
        if status != 200:
            result.error = f"HTTP {status}: {body[:200]!r}"
            return result
    deadline = time.perf_counter() + max_seconds
    for _ in range(requests):
        started = time.perf_counter()
        status, timing, _body = get(connection, page, result.cache)
        result.client_ms.append((time.perf_counter() - started) * 1000)
        match = _SERVER_TIMING.search(timing)
        if status != 200 or not match:
            result.errors += 1
            continue
        result.server_ms.append(float(match.group(1)))
        result.queries = int(match.group(3))
        if time.perf_counter() > deadline:
            break
    connection.close()
    return result


# Throughput is measured with a new connection per request, as a reverse proxy in front of
# gunicorn sends them. Over keep-alive connections each connection stays with the worker that
# accepted it; gunicorn's threaded workers accept several, so all four could land in one
# process and be served on one core by one interpreter while the other worker idled. The same
# page measured 30 and 50 req/s in two runs a minute apart that way; per request it is steady.
CLOSE = "Connection: close"


def throughput_wrk(wrk: str, port: int, page: Page, concurrency: int, seconds: int):
    command = [wrk, "-t", "2", "-c", str(concurrency), "-d", f"{seconds}s", "--timeout", "60s"]
    command += ["-H", CLOSE]
    if page.cookie:
        command += ["-H", f"Cookie: {page.cookie}"]
    command.append(f"http://{HOST}:{port}{page.path}")
    output = subprocess.run(  # noqa: S603 - wrk with our own arguments
        command, capture_output=True, text=True, check=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return rate, int(bad.group(1)) if bad else 0


def throughput_python(port: int, page: Page, concurrency: int, seconds: int):
    """Fallback without wrk: ``concurrency`` threads, each a new connection per request
    (``CLOSE``)."""
    deadline = time.perf_counter() + seconds
    done, bad = [0] * concurrency, [0] * concurrency

    def worker(index):
        while time.perf_counter() < deadline:
            connection = http.client.HTTPConnection(HOST, port, timeout=120)
            status, _timing, _body = get(connection, page)
            connection.close()
            done[index] += 1
            bad[index] += status != 200

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - started), sum(bad)


class Gunicorn:
    """gunicorn as in production (deploy/gunicorn.conf.py) with ``workers`` processes on the
    loopback interface, stopped on exit."""

    def __init__(self, env: dict, port: int, workers: int):
        self.env, self.port, self.workers = env, port, workers

    def __enter__(self):
        self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn and arguments
            [
                str(BIN / "gunicorn"),
                # Production's settings (gthread workers), with the run's workers and port.
                "--config",
                str(PROJECT / "deploy" / "gunicorn.conf.py"),
                "--workers",
                str(self.workers),
                "--bind",
                f"{HOST}:{self.port}",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=PROJECT,
            env=self.env,
        )
        deadline = time.time() + 30
        while time.time() < deadline and self.process.poll() is None:
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=5)
                connection.request("GET", TRIVIAL_PATH)
                if connection.getresponse().status == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        self.__exit__(None, None, None)
        raise RuntimeError(f"gunicorn did not answer on {TRIVIAL_PATH} within 30 s")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


# Import rate ---------------------------------------------------------------------------


def import_rates(args, env: dict) -> dict:
    """Objects per second of loaddata and import_fixtures on the same fixture file."""
    template = f"{args.database}_import_template"
    target = f"{args.database}_import"
    psql_admin(args.server, f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
    psql_admin(args.server, f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
    psql_admin(args.server, f'CREATE DATABASE "{template}"')
    template_env = {**env, "DATABASE_URL": f"{args.server}/{template}"}
    manage(template_env, "migrate", "--no-input", "-v0")
    fixture = Path(tempfile.mkdtemp(prefix="uf-bench-")) / "synthetic.json"
    manage(
        template_env,
        "generate_synthetic_data",
        "--scale",
        args.import_scale,
        "--seed",
        str(args.seed),
        "--fixture",
        str(fixture),
        capture=True,
    )
    objects = len(json.loads(fixture.read_text(encoding="utf-8")))
    timer = (
        "import time, django; django.setup();"
        "from django.core.management import call_command;"
        "started = time.perf_counter();"
        "call_command({command!r}, {path!r}, verbosity=0);"
        "print(time.perf_counter() - started)"
    )
    rates = {"objects": objects, "scale": args.import_scale, "file_bytes": fixture.stat().st_size}
    for command in ["loaddata", "import_fixtures"]:
        psql_admin(args.server, f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        psql_admin(args.server, f'CREATE DATABASE "{target}" TEMPLATE "{template}"')
        log(f"timing {command} on {objects} objects")
        completed = subprocess.run(  # noqa: S603 - our own interpreter and script
            [PYTHON, "-c", timer.format(command=command, path=str(fixture))],
            cwd=PROJECT,
            env={**env, "DATABASE_URL": f"{args.server}/{target}"},
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            rates[command] = {"error": completed.stderr.strip().splitlines()[-1]}
            continue
        seconds = float(completed.stdout.strip().splitlines()[-1])
        rates[command] = {"seconds": seconds, "per_second": objects / seconds}
    psql_admin(args.server, f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
    psql_admin(args.server, f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
    shutil.rmtree(fixture.parent)
    return rates


# Report --------------------------------------------------------------------------------


def machine(args) -> list[str]:
    import django
    import psycopg

    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = "unknown"
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    with psycopg.connect(f"{args.server}/postgres") as connection:
        postgres = connection.execute("SHOW server_version").fetchone()[0]
    gunicorn = subprocess.run(  # noqa: S603
        [str(BIN / "gunicorn"), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores (nproc); memory {memory}; "
        f"load average at the end of the run {load} (the machine is shared)",
        f"- OS: {platform.platform()}",
        f"- Python {platform.python_version()}, Django {django.get_version()}, {gunicorn}, "
        f"PostgreSQL {postgres}, psycopg {psycopg.__version__}",
    ]


def rate_text(rate: float | None) -> str:
    """Requests per second; a page slower than the whole wrk run finishes none in it."""
    return "< 0.1" if not rate or rate < 0.1 else f"{rate:.1f}"


def verdict(ok: bool) -> str:
    return "yes" if ok else "**no**"


def _share_text(result: Result, ceiling: float) -> str:
    return f"{(result.throughput or 0) / ceiling:.0%}"


def report(
    args,
    phases: dict,
    generation: float | None,
    rates: dict | None,
    machine_lines: list[str] | None = None,
    sections: tuple[str, ...] = (),
) -> str:
    """The markdown section for one run.

    ``phases`` maps "uncached" (and, if measured, "cached") to the results of the same pages
    in the same order, ``[0]`` being the trivial view. Every page's throughput is a share of
    the uncached server's trivial view: one query, no cache machinery at all.
    """
    uncached, cached = phases["uncached"], phases.get("cached")
    ceiling = uncached[0].throughput or float("nan")
    lines = [
        f"### Scale {args.scale} (database {args.database})",
        "",
        *(machine(args) if machine_lines is None else machine_lines),
        f"- gunicorn {args.workers} workers on {HOST}; one user × up to {args.requests} "
        f"requests per page; throughput {args.duration} s at {args.concurrency} connections "
        f"({'wrk' if args.wrk else 'Python client'})",
        "- uncached: `UF_PAGE_CACHE_SECONDS=0`, no `REDIS_URL`"
        + (f"; cached: `REDIS_URL={args.redis_url}`, cache flushed first" if cached else ""),
    ]
    if generation is not None:
        lines.append(f"- generate_synthetic_data --scale {args.scale}: {generation:.0f} s")
    lines += [
        "",
        "| page | queries | median ms | p95 ms | req/s | % of trivial "
        "| cached: median ms | p95 ms | req/s | % of trivial | hits "
        "| p95 target (uncached / cached) | share ≥ 15 % / cached ≥ 50 % |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| :---: | :---: |",
    ]
    for index, result in enumerate(uncached):
        name = result.page.name + (f" ({result.page.note})" if result.page.note else "")
        other = cached[index] if cached else None
        if result.error:
            lines.append(f"| {name} | error: {result.error} |" + " |" * 11)
            continue
        limit = TARGET_STAFF_FORM_P95_MS if result.page.name == STAFF_FORM else TARGET_P95_MS
        median_text = f"{result.median():.1f}"
        if result.page.name.endswith("search"):
            median_text += f" ({verdict(result.median() < TARGET_SEARCH_MEDIAN_MS)} < 20)"
        share = (result.throughput or 0) / ceiling
        cells = [
            name,
            str(result.queries),
            median_text,
            f"{result.p95():.1f}",
            rate_text(result.throughput),
            f"{share:.0%}",
        ]
        p95_verdict = verdict(result.p95() < limit)
        share_verdict = verdict(share >= TARGET_UNCACHED_SHARE)
        if other is None:
            cells += ["", "", "", "", ""]
        elif other.error:
            cells += [f"error: {other.error}", "", "", "", ""]
        else:
            other_share = (other.throughput or 0) / ceiling
            cells += [
                f"{other.median():.1f}",
                f"{other.p95():.1f}",
                rate_text(other.throughput),
                f"{other_share:.0%}",
                f"{other.hit_share():.0%}",
            ]
            p95_verdict += f" / {verdict(other.p95() < limit)}"
            # The cached target is the anonymous pages': a logged-in page is never cached.
            share_verdict += " / " + (
                "(logged in: never cached)"
                if result.page.cookie
                else verdict(other_share >= TARGET_CACHED_SHARE)
            )
        if index == 0:
            p95_verdict = share_verdict = "(ceiling)"
        lines.append("| " + " | ".join([*cells, p95_verdict, share_verdict]) + " |")
    if rates:
        lines += [
            "",
            f"Import of one fixture file (scale {rates['scale']}, "
            f"{rates['objects']} objects, {rates['file_bytes'] / 1e6:.1f} MB):",
            "",
        ]
        lines += ["| command | seconds | objects/s |", "| --- | ---: | ---: |"]
        for command in ["loaddata", "import_fixtures"]:
            rate = rates[command]
            if "error" in rate:
                lines.append(f"| {command} | error: {rate['error']} | |")
            else:
                lines.append(f"| {command} | {rate['seconds']:.2f} | {rate['per_second']:.0f} |")
        if "seconds" in rates["loaddata"] and "seconds" in rates["import_fixtures"]:
            speedup = rates["loaddata"]["seconds"] / rates["import_fixtures"]["seconds"]
            lines.append("")
            lines.append(
                f"import_fixtures is {speedup:.2f}× as fast as loaddata "
                f"(target ≥ {TARGET_IMPORT_SPEEDUP}×: {verdict(speedup >= TARGET_IMPORT_SPEEDUP)})."
            )
    for section in sections:
        lines += ["", section.rstrip("\n")]
    return "\n".join(lines) + "\n"


def measure_pages(args, env: dict, pages: list[Page]) -> list[Result]:
    results = []
    with Gunicorn(env, args.port, args.workers):
        for page in pages:
            log(f"{page.name}: {page.path}")
            results.append(measure_page(args, page))
    return results


def measure_page(args, page: Page) -> Result:
    result = measure_latency(args.port, page, args.requests, args.max_seconds)
    if not result.error:
        if args.wrk:
            result.throughput, bad = throughput_wrk(
                args.wrk, args.port, page, args.concurrency, args.duration
            )
        else:
            result.throughput, bad = throughput_python(
                args.port, page, args.concurrency, args.duration
            )
        result.errors += bad
        if bad:
            result.error = f"{bad} non-200 answers under load"
    return result


def uncached_env(env: dict) -> dict:
    """No shared cache and the page cache switched off: every request renders."""
    plain = {**env, "UF_PAGE_CACHE_SECONDS": "0"}
    plain.pop("REDIS_URL", None)
    return plain


def cached_env(env: dict, redis_url: str) -> dict:
    return {**env, "REDIS_URL": redis_url, "UF_PAGE_CACHE_SECONDS": "600"}


def flush_redis(redis_url: str):
    """Empty the benchmark's own Redis database (only the one in ``redis_url``)."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def exports_of(pages: list[Page]) -> list[tuple[str, str]]:
    """The national list's exports, a whole municipality's (the busy board's) and one board's."""
    from bench import extras

    board_csv = next(page.path for page in pages if page.name.startswith("CSV export"))
    municipality_csv = board_csv.split("?", 1)[0]
    return [
        *extras.EXPORTS,
        ("CSV, whole municipality", municipality_csv),
        ("xlsx, whole municipality", municipality_csv.replace("export.csv", "export.xlsx")),
        ("CSV, one board", board_csv),
        ("xlsx, one board", board_csv.replace("export.csv", "export.xlsx")),
    ]


def main(argv=None):
    from bench import extras

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="1", help="1, 50, national...: what to generate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="uf_bench")
    parser.add_argument("--fresh", action="store_true", help="drop and regenerate the database")
    parser.add_argument("--port", type=int, default=0, help="default: any free port")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=100, help="per page, one user")
    parser.add_argument("--max-seconds", type=float, default=30, help="per page, one user")
    parser.add_argument("--duration", type=int, default=10, help="throughput seconds per page")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/10",
        help="the shared cache of the cached phase (its database is flushed); '' to skip it",
    )
    parser.add_argument("--import-scale", default="25", help="fixture size for the import rate")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--skip-exports", action="store_true", help="no peak-RSS measurement")
    parser.add_argument("--export-timeout", type=float, default=300, help="seconds per export")
    parser.add_argument("--load-users", type=int, default=50, help="0 skips the load test")
    parser.add_argument("--load-seconds", type=float, default=180)
    parser.add_argument("--load-staff", type=int, default=10, help="users saving drafts")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between requests")
    parser.add_argument("--skip-two-servers", action="store_true")
    parser.add_argument("--output", help="also write the markdown report to this file")
    args = parser.parse_args(argv)

    env = server_env(f"{args.server}/{args.database}")
    args.port = args.port or free_port()
    args.wrk = ensure_wrk()
    generation = prepare_database(args, env)
    manage(env, "collectstatic", "--no-input", "-v0")
    pages = choose_pages(env)
    plan = extras.plan(args.load_staff + 1)
    phases = {"uncached": measure_pages(args, uncached_env(env), pages)}
    sections = []
    if args.redis_url:
        flush_redis(args.redis_url)
        shared = cached_env(env, args.redis_url)
        with Gunicorn(shared, args.port, args.workers):
            phases["cached"] = []
            for page in pages:
                log(f"cached: {page.name}: {page.path}")
                phases["cached"].append(measure_page(args, page))
            if args.load_users:
                log(f"load test: {args.load_users} users for {args.load_seconds:.0f} s")
                outcome = extras.load_test(
                    HOST,
                    args.port,
                    pages,
                    plan,
                    users=args.load_users,
                    seconds=args.load_seconds,
                    think=args.think,
                )
                sections.append(extras.load_report(outcome, args, TARGET_LOAD_P95_MS))
            if not args.skip_two_servers:
                other_port = free_port()
                with Gunicorn(shared, other_port, args.workers):
                    log("two servers: publish on one, read the other")
                    sections.append(
                        extras.two_servers_report(
                            extras.two_servers(HOST, args.port, other_port, plan)
                        )
                    )
    if not args.skip_exports:
        sections.append(
            extras.exports_report(
                extras.export_memory(uncached_env(env), args.export_timeout, exports_of(pages))
            )
        )
    rates = None if args.skip_import else import_rates(args, env)
    text = report(args, phases, generation, rates, sections=tuple(sections))
    print(text)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
