"""The benchmark's load test, two-server check and export memory (see BENCHMARKS.md).

All of it talks to gunicorn on the loopback interface only, with a bounded number of users,
a deadline, and a timeout on every request.
"""

import http.client
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

PROJECT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r" ?\[bench-\d+-\d+\]")
_SERVER_MS = re.compile(r"app;dur=([\d.]+)")


# A browser's minimum: forms and cookies ----------------------------------------------


class FormParser(HTMLParser):
    """Every ``<form>`` of a page with the values a browser would submit unchanged."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "action": attrs.get("action") or "",
                "method": (attrs.get("method") or "get").lower(),
                "fields": [],
                "textareas": [],
            }
            self.forms.append(self._form)
        if self._form is None or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self._form["fields"].append([name, attrs.get("value", "on")])
            elif kind not in {"submit", "button", "file", "reset", "image"}:
                self._form["fields"].append([name, attrs.get("value", "")])
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
            self._form["fields"].append(self._textarea)
            self._form["textareas"].append(self._textarea)
        elif tag == "select" and name:
            self._select = {"name": name, "first": None, "chosen": []}
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in attrs:
                self._select["chosen"].append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            # A browser drops the one newline that follows <textarea>.
            if self._textarea is not None and self._textarea[1].startswith("\n"):
                self._textarea[1] = self._textarea[1][1:]
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            values = self._select["chosen"] or [self._select["first"]]
            for value in values:
                if value is not None:
                    self._form["fields"].append([self._select["name"], value])
            self._select = None
        elif tag == "form":
            self._form = None


def post_form(page: str, path: str) -> dict | None:
    """The POST form of ``page`` that submits to ``path`` (or to itself)."""
    parser = FormParser()
    parser.feed(page)
    for form in parser.forms:
        if form["method"] == "post" and form["action"] in {"", path}:
            return form
    return None


class Browser:
    """One user: a keep-alive connection and a cookie jar."""

    def __init__(self, host: str, port: int, cookie: str = ""):
        self.host, self.port = host, port
        self.connection = http.client.HTTPConnection(host, port, timeout=60)
        self.cookies = dict([cookie.split("=", 1)]) if cookie else {}

    def request(self, method: str, path: str, data: dict | list | None = None):
        """Status, body, X-Page-Cache, Location and the server time in ms (or None)."""
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data if isinstance(data, dict) else [tuple(f) for f in data])
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
            raise
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        timing = _SERVER_MS.search(response.getheader("Server-Timing") or "")
        return (
            response.status,
            content.decode("utf-8", "replace"),
            response.getheader("X-Page-Cache") or "",
            response.getheader("Location") or "",
            float(timing.group(1)) if timing else None,
        )

    def close(self):
        self.connection.close()


# What the load test and the two-server check use (chosen with Django set up) ------------


@dataclass
class Plan:
    staff: list[dict] = field(default_factory=list)  # edit, publish, board, response, cookie
    recommendations: list[str] = field(default_factory=list)


def staff_session_cookie(user) -> str:
    """A logged-in session for ``user``, as the Cookie header a browser would send."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"sessionid={session.session_key}"


def plan(staff_count: int, sample: int = 300) -> Plan:
    """Drafts of distinct boards in open rounds, each with a logged-in staff user of its
    board, and a sample of recommendation pages. Django must be set up."""
    from django.urls import reverse

    from recommendations.models import Recommendation
    from responses.models import Response

    chosen, boards = Plan(), set()
    drafts = (
        Response.objects.drafts()
        .filter(round__is_open=True)
        .select_related("board__municipality", "round__audit__municipality")
        .order_by("pk")
    )
    for draft in drafts.iterator():
        if len(chosen.staff) >= staff_count:
            break
        writer = draft.board.staff.order_by("pk").first()
        if draft.board_id in boards or writer is None:
            continue
        boards.add(draft.board_id)
        chosen.staff.append(
            {
                "edit": reverse("responses:response_edit", args=[draft.pk]),
                "publish": reverse("responses:response_publish", args=[draft.pk]),
                "response": draft.get_absolute_url(),
                "board": draft.board.get_absolute_url(),
                "cookie": staff_session_cookie(writer),
            }
        )
    pks = list(Recommendation.objects.order_by("pk").values_list("pk", flat=True))
    rng = random.Random(1)  # noqa: S311 - a reproducible sample, not a secret
    picked = rng.sample(pks, min(sample, len(pks)))
    pages = Recommendation.objects.filter(pk__in=picked).select_related("audit__municipality")
    chosen.recommendations.extend(rec.get_absolute_url() for rec in pages)
    return chosen


# Load test ------------------------------------------------------------------------------

# The anonymous mix: (weight, page name in the benchmark's list, or "recommendation" for a
# random one of the sample). Public pages, the API and the CSV export.
ANONYMOUS_MIX = [
    (1, "National start page"),
    (1, "Municipality start page"),
    (2, "List, filtered (board + status)"),
    (2, "List, search"),
    (4, "recommendation"),
    (1, "Matrix (one board)"),
    (2, "JSON API (one board)"),
    (1, "CSV export (one board)"),
]


@dataclass
class Sample:
    kind: str
    status: int
    ms: float
    server_ms: float | None
    cache: str = ""
    ok: bool = True
    error: str = ""  # what went wrong: "HTTP 502", "timeout", ...


def save_draft(browser: Browser, draft: dict, user: int, number: int, record) -> str | None:
    """Open the staff form, change its first text, save it; the marker written, if saved."""
    status, page, _cache, _location, _server = record("staff form", "GET", draft["edit"])
    if status != 200:
        return None
    form = post_form(page, draft["edit"])
    if form is None or not form["textareas"]:
        record.fail("staff form", "no form with a text field on the staff form")
        return None
    marker = f"[bench-{user}-{number}]"
    textarea = form["textareas"][0]
    textarea[1] = MARKER.sub("", textarea[1]).rstrip() + " " + marker
    status, _page, _cache, location, _server = record(
        "staff save", "POST", draft["edit"], form["fields"], expect=302
    )
    if status != 302:
        return None
    record("staff form", "GET", location or draft["edit"])
    return marker


def load_test(host, port, pages, chosen: Plan, users=50, seconds=180.0, think=1.0) -> dict:
    """``users`` concurrent users (the first ``len(chosen.staff) - 1`` of them board staff
    saving their own draft, the others anonymous) for ``seconds``, each pausing a random
    0–2×``think`` seconds between requests. Every answer is checked."""
    by_name = {page.name: page.path for page in pages}
    anonymous = [
        (w, name) for w, name in ANONYMOUS_MIX if name in by_name or name == "recommendation"
    ]
    writers = chosen.staff[: max(0, len(chosen.staff) - 1)][:users]
    samples: list[Sample] = []
    lock = threading.Lock()
    saved: dict[int, str] = {}
    deadline = time.perf_counter() + seconds

    def recorder(browser: Browser):
        def record(kind, method, path, data=None, expect=200):
            started = time.perf_counter()
            try:
                status, body, cache, location, server = browser.request(method, path, data)
            except (OSError, http.client.HTTPException) as error:
                why = "timeout" if isinstance(error, TimeoutError) else type(error).__name__
                with lock:
                    samples.append(Sample(kind, 0, 0.0, None, ok=False, error=why))
                return 0, str(error), "", "", None
            sample = Sample(
                kind,
                status,
                (time.perf_counter() - started) * 1000,
                server,
                cache,
                status == expect,
                "" if status == expect else f"HTTP {status}",
            )
            with lock:
                samples.append(sample)
            return status, body, cache, location, server

        def fail(kind, why):
            with lock:
                samples.append(Sample(kind, 0, 0.0, None, ok=False, error=why))

        record.fail = fail
        return record

    def anonymous_user(index):
        rng = random.Random(index)  # noqa: S311 - a reproducible mix, not a secret
        browser = Browser(host, port)
        record = recorder(browser)
        names = [name for _w, name in anonymous]
        weights = [w for w, _name in anonymous]
        while time.perf_counter() < deadline:
            name = rng.choices(names, weights)[0]
            if name == "recommendation":
                record("Recommendation page", "GET", rng.choice(chosen.recommendations))
            else:
                record(name, "GET", by_name[name])
            time.sleep(rng.uniform(0, 2 * think))
        browser.close()

    def staff_user(index):
        rng = random.Random(1000 + index)  # noqa: S311 - reproducible pauses
        draft = writers[index]
        browser = Browser(host, port, draft["cookie"])
        record = recorder(browser)
        number = 0
        while time.perf_counter() < deadline:
            number += 1
            marker = save_draft(browser, draft, index, number, record)
            if marker:
                saved[index] = marker
            time.sleep(rng.uniform(0, 2 * think))
        browser.close()

    threads = [threading.Thread(target=staff_user, args=(i,)) for i in range(len(writers))]
    threads += [
        threading.Thread(target=anonymous_user, args=(i,)) for i in range(users - len(writers))
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    # Nothing lost: each writer's last acknowledged save is on its form now.
    lost = 0
    for index, marker in saved.items():
        status, page, *_rest = Browser(host, port, writers[index]["cookie"]).request(
            "GET", writers[index]["edit"]
        )
        lost += status != 200 or marker not in page
    return {
        "samples": samples,
        "seconds": elapsed,
        "users": users,
        "writers": len(writers),
        "saves_checked": len(saved),
        "lost": lost,
        "think": think,
    }


def _p(values: list[float], q: int) -> float:
    if not values:
        return float("nan")
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def load_report(outcome: dict, args, target_p95: float) -> str:
    samples = outcome["samples"]
    errors = sum(not s.ok for s in samples)
    client = [s.ms for s in samples if s.ok]
    server = [s.server_ms for s in samples if s.ok and s.server_ms is not None]
    rate = len(samples) / outcome["seconds"]
    p95 = _p(client, 95)
    lines = [
        f"Load test: {outcome['users']} concurrent users for {outcome['seconds']:.0f} s on "
        f"the cached server ({args.workers} gunicorn workers): {outcome['writers']} board staff "
        "each opening and saving their own draft, the others anonymous on public pages, the "
        f"API and the CSV export; each user pauses 0–{2 * outcome['think']:.0f} s "
        "(mean {:.1f} s) between requests.".format(outcome["think"]),
        "",
        f"- requests: {len(samples)} ({rate:.1f}/s), errors: {errors} (target 0: "
        f"{'yes' if errors == 0 else '**no**'})",
        f"- client time median {_p(client, 50):.1f} ms, p95 {p95:.1f} ms (target < "
        f"{target_p95} ms: {'yes' if p95 < target_p95 else '**no**'}), max "
        f"{max(client, default=float('nan')):.0f} ms; server time p95 {_p(server, 95):.1f} ms",
        f"- saves: {outcome['saves_checked']} writers' last saves read back, "
        f"{outcome['lost']} lost",
    ]
    kinds_of_error = Counter(s.error for s in samples if not s.ok)
    if kinds_of_error:
        lines.append(
            "- errors by kind: "
            + ", ".join(f"{why or 'unexpected'} {n}" for why, n in kinds_of_error.most_common())
        )
    lines += [
        "",
        "| request | count | errors | median ms | p95 ms | cache hits |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    kinds = sorted({s.kind for s in samples})
    for kind in kinds:
        group = [s for s in samples if s.kind == kind]
        ok = [s.ms for s in group if s.ok]
        hits = sum(s.cache == "hit" for s in group)
        lines.append(
            f"| {kind} | {len(group)} | {sum(not s.ok for s in group)} | "
            f"{_p(ok, 50):.1f} | {_p(ok, 95):.1f} | {hits / len(group):.0%} |"
        )
    return "\n".join(lines) + "\n"


# Two app servers, one cache ------------------------------------------------------------


def two_servers(host: str, port_a: int, port_b: int, chosen: Plan) -> dict:
    """Read a board's page twice on B (cached), publish that board's draft on A, read B again."""
    draft = chosen.staff[-1]
    reader = Browser(host, port_b)
    steps = []

    def read(label, path):
        status, _body, cache, _location, _server = reader.request("GET", path)
        steps.append((label, path, status, cache or "(not cacheable)"))

    read("B: board page", draft["board"])
    read("B: board page again", draft["board"])
    read("B: the draft's public page", draft["response"])
    writer = Browser(host, port_a, draft["cookie"])
    status, page, *_rest = writer.request("GET", draft["publish"])
    form = post_form(page, draft["publish"]) if status == 200 else None
    published = "no publish form"
    if form:
        fields = [f for f in form["fields"] if f[0] not in {"decision_date", "diary_number"}]
        fields += [["decision_date", date.today().isoformat()], ["diary_number", "BENCH-2026-1"]]
        status, _page, _cache, location, _server = writer.request("POST", draft["publish"], fields)
        published = f"HTTP {status} → {location or '(no redirect)'}"
    steps.append(("A: publish the draft", draft["publish"], status, published))
    read("B: board page after the publish", draft["board"])
    read("B: board page once more", draft["board"])
    read("B: the response's public page", draft["response"])
    return {"steps": steps}


def two_servers_report(outcome: dict) -> str:
    lines = [
        "Two app servers (two gunicorns, 2 workers each, one PostgreSQL, the same Redis):",
        "",
        "| step | URL | HTTP | X-Page-Cache / outcome |",
        "| --- | --- | ---: | --- |",
    ]
    for label, path, status, cache in outcome["steps"]:
        lines.append(f"| {label} | `{path}` | {status} | {cache} |")
    return "\n".join(lines) + "\n"


# Memory of the exports -----------------------------------------------------------------

EXPORTS = [
    ("CSV, national list", "/rekommendationer/export.csv"),
    ("xlsx, national list", "/rekommendationer/export.xlsx"),
]

_CHILD = """
import resource, sys, time, django
django.setup()
from django.test import Client
client = Client()
def fetch(path):
    response = client.get(path, HTTP_HOST="127.0.0.1")
    if response.streaming:
        return response, sum(len(chunk) for chunk in response.streaming_content)
    return response, len(response.content)
fetch("/rekommendationer/export.csv?board=0")  # warm-up: imports, templates, a query
print("ready", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
started = time.perf_counter()
response, size = fetch(sys.argv[1])
print("done", response.status_code, size, int(response.streaming),
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, time.perf_counter() - started,
      flush=True)
"""


def _hwm_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def export_memory(env: dict, timeout: float, exports=None) -> list[dict]:
    """Peak RSS of one Django process answering each export (full stack, test client)."""
    results = []
    for label, path in exports or EXPORTS:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", _CHILD, path],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        lines: list[str] = []
        reader = threading.Thread(
            target=lambda p=process, out=lines: out.extend(p.stdout), daemon=True
        )
        reader.start()
        deadline = time.perf_counter() + timeout
        peak = None
        while process.poll() is None and time.perf_counter() < deadline:
            peak = _hwm_kib(process.pid) or peak
            time.sleep(0.5)
        finished = process.poll() is not None
        if not finished:
            peak = _hwm_kib(process.pid) or peak
            process.kill()
        process.wait()
        reader.join(timeout=5)
        ready = next((line.split() for line in lines if line.startswith("ready")), None)
        done = next((line.split() for line in lines if line.startswith("done")), None)
        result = {"label": label, "path": path, "baseline_kib": int(ready[1]) if ready else None}
        if done:
            result.update(
                status=int(done[1]),
                bytes=int(done[2]),
                streaming=bool(int(done[3])),
                peak_kib=int(done[4]),
                seconds=float(done[5]),
            )
        else:
            result.update(timed_out=not finished, peak_kib=peak, seconds=timeout)
        results.append(result)
    return results


def exports_report(results: list[dict]) -> str:
    lines = [
        "Memory of the exports (one Django process answering the request through the whole "
        "stack; peak RSS from getrusage, the baseline after start-up and a small export):",
        "",
        "| export | HTTP | size MB | streams? | seconds | baseline MB | peak RSS MB | growth MB |",
        "| --- | ---: | ---: | :---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        base = (r.get("baseline_kib") or 0) / 1024
        peak = (r.get("peak_kib") or 0) / 1024
        if "status" in r:
            lines.append(
                f"| {r['label']} (`{r['path']}`) | {r['status']} | {r['bytes'] / 1e6:.1f} | "
                f"{'yes' if r['streaming'] else '**no**'} | {r['seconds']:.1f} | {base:.0f} | "
                f"{peak:.0f} | {peak - base:.0f} |"
            )
        else:
            why = "stopped at the time limit" if r.get("timed_out") else "failed"
            lines.append(
                f"| {r['label']} (`{r['path']}`) | {why} | | | > {r['seconds']:.0f} | "
                f"{base:.0f} | ≥ {peak:.0f} | ≥ {peak - base:.0f} |"
            )
    return "\n".join(lines) + "\n"
