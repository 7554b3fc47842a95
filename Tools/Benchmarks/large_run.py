#!/usr/bin/env python3
"""The large row of Tools/bench (not in CI): N events (default 10,000,000) over P participants
(default 100,000), written as a JSON Lines file, then `recovery import`, `verify`, `rebuild`
`stats`, `alerts`, `activity`, `audit`, `log`, `backup`, `rules diff` and `rules adopt` on it, each timed with its peak resident set (getrusage of the child). Prints a
Markdown table; docs/performance.md keeps the last one.

usage: large_run.py RECOVERY [--events N] [--participants P] [--folder DIR] [--keep] [--only a,b]

With --folder DIR of an earlier --keep run, the events file is reused (not generated again).
"""
import argparse, json, os, resource, shutil, subprocess, sys, tempfile, time

def generate(path, events, participants):
    """Enrolments first, then check-ins and tests spread over the participants and 2022."""
    towns = ["encheng", "hengpi", "shengtang", "liangxi", "shahu", "niujiang", "juntang", "datian", "naji", "dahuai", "dongcheng"]
    with open(path, "w", buffering=1 << 20) as out:
        for p in range(participants):
            out.write(json.dumps({"id": f"en-{p:07d}", "type": "enrolled", "participant": f"P-{p:07d}",
                                  "at": "2022-01-03T09:00:00+08:00", "actor": "sw-bench",
                                  "data": {"program": "community_detox", "town": towns[p % 11], "employable": True}},
                                 separators=(",", ":")) + "\n")
        rest = events - participants
        for i in range(rest):
            p = (i * 7919) % participants
            # Days 4–335 of 2022 in 28-day months (never before the 3 January enrolments).
            day = 4 + (i * 31 // participants) % 332
            month, mday = 1 + (day - 1) // 28, 1 + (day - 1) % 28
            kind = "check_in" if i % 3 else "test_result"
            data = {"channel": "in_person"} if kind == "check_in" else {"result": "negative"}
            out.write(f'{{"id":"ev-{i:09d}","type":"{kind}","participant":"P-{p:07d}",'
                      f'"at":"2022-{month:02d}-{mday:02d}T10:00:00+08:00","actor":"sw-bench","data":{json.dumps(data, separators=(",", ":"))}}}\n')

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("recovery")
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--folder")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="with --folder: keep an imported store there and skip the import")
    parser.add_argument("--only", help="comma-separated command names to measure (default: all)")
    options = parser.parse_args()
    folder = options.folder or tempfile.mkdtemp(prefix="recovery-large-")
    os.makedirs(folder, exist_ok=True)
    file, store = os.path.join(folder, "events.jsonl"), os.path.join(folder, "store")
    started = time.monotonic()
    if not os.path.exists(file):
        generate(file, options.events, options.participants)
    print(f"generated {options.events:,} events ({os.path.getsize(file) / 2**20:,.0f} MiB) in {time.monotonic() - started:.0f} s", file=sys.stderr)
    reused = options.reuse and os.path.exists(os.path.join(store, "data.mdb"))
    if not reused:
        shutil.rmtree(store, ignore_errors=True)
        subprocess.run([options.recovery, "init", "--store", store], check=True, stdout=subprocess.DEVNULL)
    # A rules document that changes what a check-in earns: `rules diff` and `adopt` re-price
    # two thirds of the events. A reused store may have adopted it already: then back again.
    rules_file = os.path.join(folder, "rules.toml")
    shown = subprocess.run([options.recovery, "rules", "show", "--store", store], check=True, capture_output=True, text=True).stdout
    changed = shown.replace("check_in = 2 ", "check_in = 3 ", 1)
    if changed == shown:
        changed = shown.replace("check_in = 3 ", "check_in = 2 ", 1)
    if changed == shown:
        sys.exit("the adopted rules have no check_in = 2 or 3 to change")
    with open(rules_file, "w") as out:
        out.write(changed)
    shutil.rmtree(os.path.join(folder, "backup"), ignore_errors=True)
    rows = []
    # Each measured in its own python child, so every peak is that command's own.
    for name, arguments in [
        ("import", ["import", file, "--store", store, "--json"]),
        ("verify", ["verify", "--store", store, "--json"]),
        ("rebuild", ["rebuild", "--store", store]),
        ("rebuild --check", ["rebuild", "--check", "--store", store]),
        ("stats --year 2022", ["stats", "--year", "2022", "--store", store, "--json"]),
        ("stats --at-seq (cut)", ["stats", "--year", "2022", "--at-seq", str(options.events // 2), "--store", store, "--json"]),
        ("alerts", ["alerts", "--store", store, "--json"]),
        ("activity --year 2022", ["activity", "--year", "2022", "--store", store, "--json"]),
        ("audit P-0000001", ["audit", "P-0000001", "--store", store, "--json"]),
        ("log --format jsonl", ["log", "--format", "jsonl", "--store", store]),
        ("log --town encheng", ["log", "--town", "encheng", "--format", "jsonl", "--store", store]),
        ("backup", ["backup", os.path.join(folder, "backup"), "--store", store]),
        ("rules diff", ["rules", "diff", rules_file, "--store", store]),
        # Last: it changes the store (a rules adoption and a rebuild under it).
        ("rules adopt", ["rules", "adopt", rules_file, "--actor", "office-bench", "--retroactive", "--reason", "bench", "--store", store]),
    ]:
        if options.only and name.split()[0] not in options.only.split(",") and name != "import":
            continue
        if name == "import" and reused:
            continue
        probe = subprocess.run([sys.executable, "-c",
            "import resource, subprocess, sys, time; s = time.monotonic(); r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE);"
            "print(r.returncode, time.monotonic() - s, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.stderr.write(r.stderr.decode()[:2000])",
            options.recovery] + arguments, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        code, seconds, peak = probe.stdout.split()
        if code != "0" and not (name == "rebuild --check" and code == "1"):
            sys.exit(f"{name} failed ({code}): {probe.stderr}")
        rate = options.events / float(seconds) if name in ("import", "verify", "rebuild") else None
        rows.append((name, float(seconds), int(peak) / 1024, rate))
        print(f"{name}: {float(seconds):.1f} s, {int(peak) / 1024:.0f} MiB", file=sys.stderr)
    print(f"\n{options.events:,} events, {options.participants:,} participants, data.mdb {os.path.getsize(os.path.join(store, 'data.mdb')) / 2**20:,.0f} MiB\n")
    print("| command | time | events/s | peak resident |")
    print("|---|---|---|---|")
    for name, seconds, peak, rate in rows:
        print(f"| `{name}` | {seconds:.1f} s | {f'{rate:,.0f}' if rate else '—'} | {peak:,.0f} MiB |")
    if not options.keep:
        shutil.rmtree(folder, ignore_errors=True)

if __name__ == "__main__":
    main()
