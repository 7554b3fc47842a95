#!/usr/bin/env python3
"""The web pages' figures (issue 11): how long `recovery serve` takes to answer each page over
the Enping reference ledger, and how large the page is, beside the floor of the same run (the
server's /healthz round trip on the same connection).

    python3 Tools/Benchmarks/web_pages.py RECOVERY [--store DIR] [--rounds N] [--json]

Makes the ledger with `RECOVERY demo --store DIR` (unless DIR holds one), grants a city office
and a recorder of the largest town, starts `RECOVERY serve` on a free loopback port, signs both
in through /login, then times, on one keep-alive connection each, N requests of:
  - the city figures page (/figures?year=2022) at the head: before each request a check-in is
    appended through the API, so the head moves and the page is computed anew (cold); and the
    same page again without a new event (warm: the figures of an unmoved head are kept);
  - a participant page, over N participants of the largest town;
  - the worklist of the largest town on 2023-01-10 and on today's date.
Prints median and 95th percentile in ms, the ratio of the median to the floor's, the page size
in KiB, and whether each target holds (figures ≤ 100 ms, participant ≤ 20 ms, worklist ≤ 50 ms,
every page < 300 KiB). Exit 0 when the run completed (targets missed are reported, not fatal).
"""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

TARGETS_MS = {"figures (cold)": 100.0, "figures (warm)": 100.0, "participant": 20.0, "worklist 2023-01-10": 50.0, "worklist today": 50.0}
PAGE_LIMIT_KIB = 300.0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Session:
    """One keep-alive connection with the cookies of one signed-in identity."""

    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None and "Content-Type" not in headers:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                if "Max-Age=0" in value:
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = val
        return response.status, data, elapsed

    def sign_in(self, token):
        status, page, _ = self.request("GET", "/login")
        csrf = re.search(rb'name="csrf" value="([^"]*)"', page).group(1).decode()
        status, _, _ = self.request("POST", "/login", urllib.parse.urlencode({"csrf": csrf, "token": token}))
        if status != 303:
            raise SystemExit(f"web_pages: sign-in answered {status}")


def timed(session, path, rounds, before=None):
    times, size = [], 0
    for index in range(rounds):
        if before:
            before(index)
        status, data, elapsed = session.request("GET", path(index) if callable(path) else path)
        if status != 200:
            raise SystemExit(f"web_pages: GET {path if not callable(path) else path(index)} answered {status}")
        times.append(elapsed)
        size = max(size, len(data))
    return times, size


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("recovery")
    parser.add_argument("--store")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    work = tempfile.mkdtemp(prefix="web-bench-")
    store = options.store or os.path.join(work, "ledger")
    try:
        if not os.path.exists(os.path.join(store, "data.mdb")):
            subprocess.run([options.recovery, "demo", "--store", store], check=True, stdout=subprocess.DEVNULL)

        def grant(name, role, towns=()):
            args = [options.recovery, "access", "grant", name, "--role", role, "--json", "--store", store]
            for town in towns:
                args += ["--town", town]
            out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
            return json.loads(out)["token"]

        suffix = str(os.getpid())
        city_token = grant(f"bench-city-{suffix}", "city_office")
        # The largest town: the one with the most registered participants in 2022.
        stats = json.loads(subprocess.run([options.recovery, "stats", "--year", "2022", "--format", "json", "--store", store],
                                          check=True, capture_output=True, text=True).stdout)
        largest = max(stats["towns"], key=lambda town: stats["towns"][town]["registered"])
        recorder_token = grant(f"bench-rec-{suffix}", "recorder", [largest])
        api_token = grant(f"bench-api-{suffix}", "city_office")
        port = free_port()
        log = open(os.path.join(work, "server.log"), "w")
        server = subprocess.Popen([options.recovery, "serve", "--store", store, "--listen", f"127.0.0.1:{port}"], stdout=log, stderr=log)
        try:
            deadline = time.time() + 30
            while True:
                try:
                    http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/healthz")
                    break
                except OSError:
                    if time.time() > deadline:
                        raise SystemExit("web_pages: the server did not start")
                    time.sleep(0.1)
            city, recorder = Session(port), Session(port)
            city.sign_in(city_token)
            recorder.sign_in(recorder_token)
            api = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            status, worklist, _ = recorder.request("GET", "/today?as_of=2023-01-10")
            participants = sorted(set(re.findall(rb'data-participant="([^"]+)"', worklist)))
            participants = [p.decode() for p in participants][: options.rounds] or ["P-000001"]
            rounds = options.rounds
            results = {}
            floor, _ = timed(city, "/healthz", rounds * 2)
            results["floor: /healthz"] = (floor, 0)

            def append(index):
                body = json.dumps({"id": f"web-bench-{suffix}-{index}", "type": "check_in", "participant": participants[index % len(participants)],
                                   "at": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(time.time() - 60)), "data": {"channel": "online"}})
                api.request("POST", "/v1/events", body=body, headers={"Authorization": f"Bearer {api_token}", "Content-Type": "application/json"})
                response = api.getresponse()
                response.read()
                if response.status not in (200, 201):
                    raise SystemExit(f"web_pages: POST /v1/events answered {response.status}")

            results["figures (cold)"] = timed(city, "/figures?year=2022", rounds, before=append)
            results["figures (warm)"] = timed(city, "/figures?year=2022", rounds)
            results["participant"] = timed(recorder, lambda i: "/participants/" + participants[i % len(participants)], rounds)
            results["worklist 2023-01-10"] = timed(recorder, "/today?as_of=2023-01-10", rounds)
            results["worklist today"] = timed(recorder, "/today", rounds)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        floor_median = statistics.median(results["floor: /healthz"][0])
        rows = []
        for name, (times, size) in results.items():
            median = statistics.median(times)
            p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
            target = TARGETS_MS.get(name)
            rows.append({
                "page": name, "median_ms": round(median, 2), "p95_ms": round(p95, 2), "ratio_to_floor": round(median / floor_median, 1),
                "kib": round(size / 1024, 1), "target_ms": target,
                "met": None if target is None else (median <= target and size / 1024 < PAGE_LIMIT_KIB),
            })
        if options.json:
            print(json.dumps({"largest_town": largest, "rounds": rounds, "pages": rows}, indent=2))
        else:
            print(f"web pages over the Enping ledger ({rounds} requests each; largest town {largest}):")
            print(f"{'page':<22}{'median ms':>10}{'p95 ms':>9}{'× floor':>9}{'KiB':>8}  target")
            for row in rows:
                target = "" if row["target_ms"] is None else f"≤ {row['target_ms']:.0f} ms, < {PAGE_LIMIT_KIB:.0f} KiB: {'met' if row['met'] else 'MISSED'}"
                print(f"{row['page']:<22}{row['median_ms']:>10.2f}{row['p95_ms']:>9.2f}{row['ratio_to_floor']:>9.1f}{row['kib']:>8.1f}  {target}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
