"""Bounded load test of the workbench on loopback: N concurrent clients for T seconds.

Starts ``peaceops serve`` on 127.0.0.1 and a free port over a temporary SQLite store, warms the
caches with one request per URL, then runs ``--clients`` asyncio clients that request the read
pages and the JSON API in turn for ``--seconds``. Prints requests, throughput, 5xx count and
latency percentiles per kind, and exits 1 if any response was a 5xx.

    uv run python scripts/load_web.py --clients 50 --seconds 60     (make load)
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

from peaceops.web.local import serve_locally

UKR = "ukraine-2025-04"
PAGES = [
    "/",
    f"/scenarios/{UKR}",
    f"/scenarios/{UKR}/options",
    f"/scenarios/{UKR}/plan",
    f"/scenarios/{UKR}/forecast",
    "/runs",
    "/sweeps",
]
API = [
    "/api/scenarios",
    f"/api/scenarios/{UKR}",
    f"/api/scenarios/{UKR}/options",
    f"/api/scenarios/{UKR}/plan",
    f"/api/scenarios/{UKR}/forecast",
    "/api/runs",
]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def _client(
    base: str, urls: list[str], stop: float, seen: dict[str, list[float]], errors: list[str]
) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        i = 0
        while time.monotonic() < stop:
            url = urls[i % len(urls)]
            i += 1
            kind = "api" if url.startswith("/api") else "pages"
            t0 = time.perf_counter()
            r = await http.get(url, headers={"accept": "text/html"} if kind == "pages" else {})
            seen[kind].append(time.perf_counter() - t0)
            if r.status_code >= 500:
                errors.append(f"{r.status_code} {url}")


async def _run(base: str, clients: int, seconds: float) -> tuple[dict[str, list[float]], list[str]]:
    urls = PAGES + API
    async with httpx.AsyncClient(base_url=base, timeout=300) as http:
        for url in urls:  # warm the caches (first computation of each result)
            (await http.get(url)).raise_for_status()
    seen: dict[str, list[float]] = {"pages": [], "api": []}
    errors: list[str] = []
    stop = time.monotonic() + seconds
    await asyncio.gather(
        *(
            _client(base, urls[k % len(urls) :] + urls[: k % len(urls)], stop, seen, errors)
            for k in range(clients)
        )
    )
    return seen, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, serve_locally(str(Path(tmp) / "load.db")) as base:
        seen, errors = asyncio.run(_run(base, args.clients, args.seconds))
    total = sum(len(v) for v in seen.values())
    print(
        f"{args.clients} clients, {args.seconds:g} s, {total} requests "
        f"({total / args.seconds:.0f}/s), {len(errors)} responses 5xx"
    )
    print(f"{'kind':6} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for kind, values in seen.items():
        ms = [v * 1000 for v in values]
        print(
            f"{kind:6} {len(ms):8d} {statistics.median(ms):8.0f} {_percentile(ms, 0.95):8.0f} "
            f"{_percentile(ms, 0.99):8.0f} {max(ms):8.0f}"
        )
    for line in errors[:10]:
        print("5xx:", line)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
