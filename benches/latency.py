#!/usr/bin/env python3
"""Latency of HTTP routes of a running `govkg serve`: p50, p99 and max per route.

Usage: python3 benches/latency.py BASE_URL ROUTES_FILE [--requests N] [--warmup W]

ROUTES_FILE has one route per line: a name, a tab, and the path with its query string
(lines starting with # are skipped). Each route is requested W times to warm up, then N
times one after another on one keep-alive connection; a route that does not answer 200 is
reported with its status and body and makes the exit status 1.
"""

import argparse
import http.client
import json
import statistics
import sys
import time
import urllib.parse


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, round(q * (len(sorted_values) - 1))))
    return sorted_values[k]


def rows_of(body, content_type):
    if "json" not in content_type:
        return "-"
    try:
        doc = json.loads(body)
    except ValueError:
        return "-"
    if isinstance(doc, dict) and "results" in doc:
        return len(doc["results"].get("bindings", []))
    if isinstance(doc, list):
        return len(doc)
    if isinstance(doc, dict):
        for key in ("rows", "items", "nodes", "entities", "features", "suggestions"):
            if isinstance(doc.get(key), list):
                return len(doc[key])
    return "-"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("base")
    ap.add_argument("routes")
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--warmup", type=int, default=5)
    args = ap.parse_args()
    url = urllib.parse.urlsplit(args.base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
    failed = False
    print(f"{'route':<28} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'rows':>6}  requests")
    with open(args.routes, encoding="utf-8") as f:
        routes = [l.rstrip("\n").split("\t", 1) for l in f if l.strip() and not l.startswith("#")]
    for name, path in routes:
        path = urllib.parse.quote(path, safe="/?=&%:+,")
        times = []
        rows = "-"
        for i in range(args.warmup + args.requests):
            start = time.perf_counter()
            conn.request("GET", path, headers={"Accept": "application/sparql-results+json"})
            resp = conn.getresponse()
            body = resp.read()
            elapsed = (time.perf_counter() - start) * 1000
            if resp.status != 200:
                print(f"{name}: HTTP {resp.status}: {body[:300]!r}", file=sys.stderr)
                failed = True
                break
            if i >= args.warmup:
                times.append(elapsed)
            rows = rows_of(body, resp.getheader("Content-Type", ""))
        if not times:
            continue
        times.sort()
        print(
            f"{name:<28} {statistics.median(times):8.1f} {percentile(times, 0.99):8.1f} "
            f"{times[-1]:8.1f} {rows!s:>6}  {len(times)}"
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
