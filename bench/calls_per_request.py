"""Python function calls per request of the benchmark's pages: a measure of each page's
own work that the machine's load does not move.

Times on a shared machine moved by a third between two runs of the same code; the number
of Python calls a request makes (cProfile's count, after warm-up) is the same each run,
so a change's cost can be read from it, old and new side by side, where milliseconds
could not tell. It counts no database time: the query counts say that.

Run from a checkout's root, against a database the benchmark filled (see BENCHMARKS.md):

    .venv/bin/python bench/calls_per_request.py --database uf_bench
    .venv/bin/python bench/calls_per_request.py --database uf_bench "List, filtered"

To compare with an earlier commit, run the same command in a worktree of it
(``git worktree add /tmp/before <commit>``, and ``collectstatic`` there first).
"""

import argparse
import cProfile
import pstats
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run_benchmark  # the pages and settings of the benchmark itself

WARM_UP = 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="uf_bench")
    parser.add_argument("--requests", type=int, default=5, help="profiled, per page")
    parser.add_argument("pages", nargs="*", help="only pages whose name contains one of these")
    args = parser.parse_args()

    env = run_benchmark.server_env(f"{args.server}/{args.database}")
    env["UF_PAGE_CACHE_SECONDS"] = "0"  # every request renders, as in the uncached phase
    env.pop("REDIS_URL", None)
    pages = run_benchmark.choose_pages(env)

    from django.test import Client

    client = Client(HTTP_HOST=run_benchmark.HOST)

    def fetch(page):
        headers = {"HTTP_COOKIE": page.cookie} if page.cookie else {}
        response = client.get(page.path, **headers)
        if response.status_code != 200:
            raise SystemExit(f"{page.name}: {page.path} answered {response.status_code}")
        if response.streaming:
            b"".join(response.streaming_content)

    for page in pages:
        if args.pages and not any(part.lower() in page.name.lower() for part in args.pages):
            continue
        for _ in range(WARM_UP):
            fetch(page)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            fetch(page)
        profile.disable()
        calls = pstats.Stats(profile).total_calls // args.requests
        print(f"| {page.name} | {calls:,} |", flush=True)


if __name__ == "__main__":
    main()
