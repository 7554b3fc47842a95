#!/usr/bin/env python3
"""Independent checker of the city statistics of issue 4 (`recovery stats`).

Reads a JSON Lines history (file order = log order, as `recovery import` appends it) and
computes, straight from the definitions in the issue (and docs/statistics.md), the figures
of `stats --year Y --as-of D` for the city and for every town, printing JSON in the issue's
shape. `abstinent_3y_change` and `new_enrollments_change` compare with the figures of Y-1 as
of its 31 December (or D, if earlier), computed the same way in each scope (issue 14).

It shares no code with the ledger (Python standard library only) so that it can cross-check
both the Enping scenario generator and the ledger's own `stats` implementation.

    python3 Tools/enping_figures.py FILE [--year 2022] [--as-of 2022-12-31] [--at-seq N]
                                          [--rules rules.toml] [--city-only] [--expect-enping]
    python3 Tools/enping_figures.py FILE --activity 2022-12|2022-Q4|2022 [--rules rules.toml]

`--activity` prints the document of `recovery activity --format json` (docs/statistics.md),
with `events` (lines counted) in place of `head_seq`.

Assumptions (see the issue; noted where the text leaves room):
- Zone Asia/Shanghai is UTC+8 for every year the ledger can hold since 1991 (no DST).
- `seq` is the position among accepted lines; a later line repeating an earlier `id` is an
  idempotent duplicate and is skipped. The ledger's own seq also counts the `rules_adopted`
  event of `init`, so this tool reports `events` (lines counted) rather than `head_seq`.
- `--at-seq N` keeps the first N participant events of the file.
- Rules: the built-in document of docs/rules.md unless `--rules` names another TOML document
  (standing for the adopted one).
- Rates are rounded half away from zero to 4 decimals from the exact fractions.
"""

import argparse
import datetime as dt
import json
import re
import sys
from fractions import Fraction

TOWNS = ["encheng", "hengpi", "shengtang", "liangxi", "shahu", "niujiang", "juntang",
         "datian", "naji", "dahuai", "dongcheng"]
PROGRAMS = ["community_detox", "community_rehab"]
ZONE = dt.timezone(dt.timedelta(hours=8))
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)

DEFAULT_RULES = [{
    "name": "2021", "effective_from": dt.date(2021, 1, 1), "check_in": 2,
    "check_in_monthly_cap": 4, "test_negative": 3, "test_positive": -20,
    "test_refused": -10, "training_attended": 3, "education_completed": 1,
    "job_placed": 10, "check_in_interval_days": 30,
}]

_DATE_ONLY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATE_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def parse_at(text):
    """RFC 3339 with offset, or a bare date meaning 00:00 in Asia/Shanghai -> UTC ms."""
    m = _DATE_ONLY.match(text)
    if m:
        local = dt.datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=ZONE)
        return int((local - EPOCH) // dt.timedelta(milliseconds=1))
    m = _DATE_TIME.match(text)
    if not m:
        raise ValueError("bad at: %r" % text)
    if m[8] in ("Z", "z"):
        off = dt.timedelta(0)
    else:
        sign = 1 if m[8][0] == "+" else -1
        off = sign * dt.timedelta(hours=int(m[8][1:3]), minutes=int(m[8][4:6]))
    base = dt.datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6]),
                       tzinfo=dt.timezone(off))
    ms = int((base - EPOCH) // dt.timedelta(milliseconds=1))
    if m[7]:
        ms += int((m[7][1:] + "000")[:3])  # finer fractions are truncated
    return ms


def local_date(ms):
    return (EPOCH + dt.timedelta(milliseconds=ms)).astimezone(ZONE).date()


def local_midnight_ms(day):
    return int((dt.datetime(day.year, day.month, day.day, tzinfo=ZONE) - EPOCH)
               // dt.timedelta(milliseconds=1))


def minus_years(day, years):
    """Same month and day `years` earlier; 29 Feb -> 28 Feb."""
    y = day.year - years
    if day.month == 2 and day.day == 29:
        return dt.date(y, 2, 28)
    return dt.date(y, day.month, day.day)


def load_rules(path):
    if path is None:
        return DEFAULT_RULES
    import tomllib
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    versions = []
    for v in doc["version"]:
        v = dict(v)
        ef = v["effective_from"]
        v["effective_from"] = ef if isinstance(ef, dt.date) else dt.date.fromisoformat(ef)
        versions.append(v)
    versions.sort(key=lambda v: v["effective_from"])
    return versions


def version_for(rules, day):
    chosen = None
    for v in rules:
        if v["effective_from"] <= day:
            chosen = v
    return chosen


class Event:
    __slots__ = ("seq", "id", "type", "p", "ms", "day", "data", "voided", "delta", "actor")

    def __init__(self, seq, obj):
        self.seq = seq
        self.id = obj.get("id")
        self.type = obj["type"]
        self.p = obj["participant"]
        self.ms = parse_at(obj["at"])
        self.day = local_date(self.ms)
        self.data = obj.get("data") or {}
        self.voided = False
        self.delta = 0
        self.actor = obj.get("actor")


def read_events(path, at_seq):
    events, seen = [], set()
    with open(path, "r", encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            obj = json.loads(line)
            ident = obj.get("id")
            if ident is not None:
                if ident in seen:
                    continue  # idempotent duplicate: not appended again
                seen.add(ident)
            if at_seq is not None and len(events) >= at_seq:
                break
            events.append(Event(len(events) + 1, obj))
    by_id = {e.id: e for e in events if e.id is not None}
    for e in events:
        if e.type == "voided":
            target = by_id.get(e.data.get("event"))
            if target is not None and target.seq < e.seq:
                target.voided = True
    return events


def price(streams, rules):
    """Each event's delta as `audit` shows it: log-order replay per participant."""
    for evs in streams.values():
        month_count = {}
        for e in evs:
            if e.voided:
                e.delta = 0
                continue
            t = e.type
            if t == "points_adjusted":
                e.delta = int(e.data["delta"])
                continue
            if t == "points_redeemed":
                e.delta = -int(e.data["points"])
                continue
            v = version_for(rules, e.day)
            if t == "check_in":
                key = (e.day.year, e.day.month)
                earlier = month_count.get(key, 0)
                month_count[key] = earlier + 1
                e.delta = v["check_in"] if v is not None and earlier < v["check_in_monthly_cap"] else 0
            elif v is None:
                e.delta = 0
            elif t == "test_result":
                e.delta = v["test_" + e.data["result"]]
            elif t in ("training_attended", "education_completed", "job_placed"):
                e.delta = v[t]
            else:
                e.delta = 0


def rate(num, den):
    return None if den == 0 else Fraction(num, den)


def rounded(x):
    if x is None:
        return None
    sign = -1 if x < 0 else 1
    scaled = abs(x) * 10000
    q = int(scaled)
    if scaled - q >= Fraction(1, 2):
        q += 1
    return sign * q / 10000


def empty_metrics():
    return {
        "registered": 0,
        "registered_by_program": {p: 0 for p in PROGRAMS},
        "under_measure": {p: 0 for p in PROGRAMS},
        "employable": 0, "employed": 0, "insured": 0, "abstinent_3y": 0,
        "relapse": {p: {y: [0, 0] for y in ("cur", "prev")} for p in PROGRAMS},
        "consolidation": [0, 0],
        "new_enrollments": 0,
        "aid": {"subsistence": [set(), 0], "temporary": [set(), 0]},
        "placements": {"enterprise": 0, "self_employment": 0, "public_welfare": 0},
        "employer_subsidies_fen": 0,
        "training": {"vocational": 0, "agricultural": 0},
        "points": {"awarded": 0, "deducted": 0, "redeemed": 0, "outstanding": 0},
        "overdue": 0,
    }


def finish(m):
    out = {
        "registered": m["registered"],
        "registered_by_program": m["registered_by_program"],
        "under_measure": m["under_measure"],
        "employable": m["employable"],
        "employed": m["employed"],
        "employment_rate": rounded(rate(m["employed"], m["employable"])),
        "insured": m["insured"],
        "insurance_rate": rounded(rate(m["insured"], m["registered"])),
        "abstinent_3y": m["abstinent_3y"],
        "abstinent_3y_rate": rounded(rate(m["abstinent_3y"], m["registered"])),
        "relapse": {},
        "consolidation": {"participants": m["consolidation"][0], "relapsed": m["consolidation"][1],
                          "rate": rounded(None if m["consolidation"][0] == 0
                                          else 1 - Fraction(m["consolidation"][1], m["consolidation"][0]))},
        "new_enrollments": m["new_enrollments"],
        "aid": {},
        "placements": m["placements"],
        "employer_subsidies_fen": m["employer_subsidies_fen"],
        "training": m["training"],
        "points": m["points"],
        "overdue": m["overdue"],
    }
    for p in PROGRAMS:
        cp, cr = m["relapse"][p]["cur"]
        pp, pr = m["relapse"][p]["prev"]
        rc, rp = rate(cr, cp), rate(pr, pp)
        change = None if rc is None or rp is None or rp == 0 else (rc - rp) / rp
        out["relapse"][p] = {"participants": cp, "relapsed": cr, "rate": rounded(rc),
                             "relapse_change": rounded(change)}
    total = 0
    for kind in ("subsistence", "temporary"):
        who, amount = m["aid"][kind]
        out["aid"][kind] = {"recipients": len(who), "amount_fen": amount}
        total += amount
    out["aid"]["total_fen"] = total
    return out


def compute(events, year, as_of, rules):
    end_d = local_midnight_ms(as_of + dt.timedelta(days=1))  # exclusive end of D
    streams = {}
    for e in events:
        streams.setdefault(e.p, []).append(e)
    price(streams, rules)

    city = empty_metrics()
    towns = {t: empty_metrics() for t in TOWNS}
    cutoff = minus_years(as_of, 3)
    rules_d = version_for(rules, as_of)
    bounds = {}
    for y in (year, year - 1):
        bounds[y] = (local_midnight_ms(dt.date(y, 1, 1)), local_midnight_ms(dt.date(y + 1, 1, 1)))

    for p in sorted(streams):
        evs = [e for e in streams[p] if e.ms < end_d]   # on or before D
        live = [e for e in evs if not e.voided]
        enrols = [e for e in live if e.type == "enrolled"]
        if not enrols:
            continue
        latest = enrols[-1]
        targets = [city]
        # The town of day D: the last enrolment's or transfer's (docs/statistics.md).
        town = [e for e in live if e.type in ("enrolled", "transferred")][-1].data.get("town")
        if town in towns:
            targets.append(towns[town])

        def followed(after, types):
            return any(x.seq > after.seq and x.type in types for x in live)

        registered = not followed(latest, ("deregistered",))
        program = latest.data.get("program")
        first_day = min(e.day for e in enrols)
        positives = [e for e in live if e.type == "test_result" and e.data.get("result") == "positive"]

        # Measures: enrolment `at` up to the following measure_ended/deregistered, or open.
        measures = []
        for en in enrols:
            stop = None
            for x in live:
                if x.seq > en.seq and x.type in ("measure_ended", "deregistered"):
                    stop = x.ms
                    break
            measures.append((en.data.get("program"), en.ms, stop))

        # Consolidation: a measure of either programme running at some moment of Y, and a
        # positive dated in Y while one ran.
        ys, ye = bounds[year]
        running_any = [(s, t) for (pg, s, t) in measures if max(s, ys) < (ye if t is None else min(t, ye))]
        relapsed_any = running_any and any(
            x.day.year == year and any(s <= x.ms and (t is None or x.ms < t) for (s, t) in running_any)
            for x in positives)

        for m in targets:
            if first_day.year == year:
                m["new_enrollments"] += 1
            if running_any:
                m["consolidation"][0] += 1
                if relapsed_any:
                    m["consolidation"][1] += 1
            for prog in PROGRAMS:
                for key, y in (("cur", year), ("prev", year - 1)):
                    ys, ye = bounds[y]
                    running = [(s, t) for (pg, s, t) in measures if pg == prog
                               and max(s, ys) < (ye if t is None else min(t, ye))]
                    if not running:
                        continue
                    m["relapse"][prog][key][0] += 1
                    if any(x.day.year == y and any(s <= x.ms and (t is None or x.ms < t)
                                                   for (s, t) in running)
                           for x in positives):
                        m["relapse"][prog][key][1] += 1
            for x in live:
                if x.day.year != year:
                    continue
                t = x.type
                if t == "aid_paid":
                    slot = m["aid"][x.data["kind"]]
                    slot[0].add(p)
                    slot[1] += int(x.data["amount_fen"])
                elif t == "job_placed":
                    m["placements"][x.data["kind"]] += 1
                elif t == "employer_subsidy_paid":
                    m["employer_subsidies_fen"] += int(x.data["amount_fen"])
                elif t == "training_attended":
                    m["training"][x.data["kind"]] += 1
                if x.delta > 0:
                    m["points"]["awarded"] += x.delta
                elif x.delta < 0 and t != "points_redeemed":
                    m["points"]["deducted"] += -x.delta
                if t == "points_redeemed":
                    m["points"]["redeemed"] += int(x.data["points"])
            if not registered:
                continue
            m["registered"] += 1
            m["registered_by_program"][program] += 1
            under = not followed(latest, ("measure_ended",))
            if under:
                m["under_measure"][program] += 1
            if latest.data.get("employable") is True:
                m["employable"] += 1
                for jp in live:
                    if jp.type == "job_placed" and not followed(jp, ("job_ended", "deregistered")):
                        m["employed"] += 1
                        break
            if any(x.type == "insurance_enrolled" for x in live):
                m["insured"] += 1
            clean_since = first_day
            if positives:
                clean_since = max(clean_since, max(x.day for x in positives))
            if clean_since <= cutoff:
                m["abstinent_3y"] += 1
            m["points"]["outstanding"] += sum(x.delta for x in live)
            if under and rules_d is not None:
                contacts = [x.ms for x in live if x.type in ("check_in", "test_result")
                            and x.ms >= latest.ms]
                last = max(contacts) if contacts else latest.ms
                overdue = (as_of - local_date(last)).days - rules_d["check_in_interval_days"]
                if overdue >= 1:
                    m["overdue"] += 1

    return {"city": finish(city), "towns": {t: finish(towns[t]) for t in TOWNS}}


def change(current, previous):
    """(current - previous) / previous from exact fractions; None without a base."""
    if current is None or previous is None or previous == 0:
        return None
    return (current - previous) / previous


def with_changes(events, year, as_of, rules):
    """compute(), plus the two figures that compare with the year before as it stood on its
    31 December (or on D, if D comes first), each scope against its own figures of that day."""
    result = compute(events, year, as_of, rules)
    before = compute(events, year - 1, min(as_of, dt.date(year - 1, 12, 31)), rules)
    for scope, figures, old in [("city", result["city"], before["city"])] + [
            (t, result["towns"][t], before["towns"][t]) for t in TOWNS]:
        share = rate(figures["abstinent_3y"], figures["registered"])
        old_share = rate(old["abstinent_3y"], old["registered"])
        ordered = {}
        for key, value in figures.items():
            ordered[key] = value
            if key == "abstinent_3y_rate":
                ordered["abstinent_3y_change"] = rounded(change(share, old_share))
            if key == "new_enrollments":
                base = old["new_enrollments"]
                ordered["new_enrollments_change"] = rounded(
                    None if base == 0 else Fraction(figures["new_enrollments"] - base, base))
        figures.clear()
        figures.update(ordered)
    return result, before


PUBLISHED_2022 = [
    ("employment_rate", lambda c: c["employment_rate"], 0.96),
    ("insurance_rate", lambda c: c["insurance_rate"], 0.97),
    ("abstinent_3y_rate", lambda c: c["abstinent_3y_rate"], 0.808),
    # Published as +18.85%: the rounded figure is 0.1885 (the bound 0.18845 <= x < 0.18855 is
    # checked on the exact fraction with --expect-enping).
    ("abstinent_3y_change", lambda c: c["abstinent_3y_change"], 0.1885),
    ("new_enrollments_change", lambda c: c["new_enrollments_change"], 0),
    ("placements.enterprise", lambda c: c["placements"]["enterprise"], 74),
    ("placements.self_employment", lambda c: c["placements"]["self_employment"], 4),
    ("placements.public_welfare", lambda c: c["placements"]["public_welfare"], 7),
    ("employer_subsidies_fen", lambda c: c["employer_subsidies_fen"], 20800000),
    ("training.vocational", lambda c: c["training"]["vocational"], 1664),
    ("training.agricultural", lambda c: c["training"]["agricultural"], 1995),
    ("aid.subsistence.recipients", lambda c: c["aid"]["subsistence"]["recipients"], 50),
    ("aid.temporary.recipients", lambda c: c["aid"]["temporary"]["recipients"], 154),
    ("aid.total_fen", lambda c: c["aid"]["total_fen"], 40000000),
    ("relapse.community_detox.relapse_change",
     lambda c: c["relapse"]["community_detox"]["relapse_change"], -0.1876),
    ("relapse.community_rehab.relapse_change",
     lambda c: c["relapse"]["community_rehab"]["relapse_change"], -0.7446),
]


# --- `recovery activity` (docs/statistics.md, "recovery activity"), written from the doc. ---

ACTIVITY_TYPES = ["check_in", "test_result", "training_attended", "education_completed",
                  "points_adjusted", "points_redeemed", "aid_paid", "job_placed"]
TEST_RESULTS = ["negative", "positive", "refused"]


def activity_period(text):
    """YYYY-MM, YYYY-Qn or YYYY -> (kind, first day, last day)."""
    m = re.match(r"^(\d{4})-(\d{2})$", text)
    if m and 1 <= int(m[2]) <= 12:
        first = dt.date(int(m[1]), int(m[2]), 1)
        nxt = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        return "month", first, nxt - dt.timedelta(days=1)
    m = re.match(r"^(\d{4})-Q([1-4])$", text)
    if m:
        first = dt.date(int(m[1]), 3 * int(m[2]) - 2, 1)
        nxt = dt.date(first.year + (first.month == 10), (first.month + 2) % 12 + 1, 1)
        return "quarter", first, nxt - dt.timedelta(days=1)
    m = re.match(r"^(\d{4})$", text)
    if m:
        return "year", dt.date(int(m[1]), 1, 1), dt.date(int(m[1]), 12, 31)
    raise SystemExit("--activity: YYYY-MM, YYYY-Qn or YYYY")


def activity_counts():
    c = {t: 0 for t in ACTIVITY_TYPES}
    c["test_result"] = {r: 0 for r in TEST_RESULTS}
    c.update({"other": 0, "contacted": set(), "voids": 0})
    return c


def activity_count(c, e):
    if e.type == "voided":
        c["voids"] += 1
    elif e.type == "test_result":
        c["test_result"][e.data["result"]] += 1
    elif e.type in ACTIVITY_TYPES:
        c[e.type] += 1
    else:
        c["other"] += 1
    if e.type in ("check_in", "test_result"):
        c["contacted"].add(e.p)


def activity_add(total, c):
    for t in ACTIVITY_TYPES:
        if t == "test_result":
            for r in TEST_RESULTS:
                total[t][r] += c[t][r]
        else:
            total[t] += c[t]
    total["other"] += c["other"]
    total["voids"] += c["voids"]
    total["contacted"] |= c["contacted"]


def activity_done(c):
    out = dict(c)
    out["test_result"] = dict(c["test_result"])
    out["contacted"] = len(c["contacted"])
    return out


def activity(events, period, rules):
    kind, first, last = activity_period(period)
    start, stop = local_midnight_ms(first), local_midnight_ms(last + dt.timedelta(days=1))
    streams = {}
    for e in events:
        streams.setdefault(e.p, []).append(e)

    def town_at(evs, ms):
        """The town of the last (log order) non-voided enrolled/transferred at or before ms."""
        town = None
        for x in evs:
            if not x.voided and x.type in ("enrolled", "transferred") and x.ms <= ms:
                town = x.data.get("town")
        return town

    rows = {t: {} for t in TOWNS}
    town_totals = {t: activity_counts() for t in TOWNS}
    city = activity_counts()
    under = {t: 0 for t in TOWNS}
    alerts = {t: 0 for t in TOWNS}
    v = version_for(rules, last)
    for p, evs in streams.items():
        if p.startswith("_"):
            continue
        for e in evs:
            if e.voided or not (start <= e.ms < stop):
                continue
            # A void is never voided; its town is its participant's at the void's `at`.
            town = town_at(evs, e.ms)
            activity_count(city, e)
            if town in rows:
                activity_count(rows[town].setdefault(e.actor, activity_counts()), e)
                activity_count(town_totals[town], e)
        # Under a measure on the last day D, and the contact alert (as stats' overdue).
        live = [x for x in evs if not x.voided and x.ms < stop]
        enrols = [x for x in live if x.type == "enrolled"]
        if not enrols:
            continue
        latest = enrols[-1]
        if any(x.seq > latest.seq and x.type in ("measure_ended", "deregistered") for x in live):
            continue
        town = town_at(evs, stop - 1)
        if town not in under:
            continue
        under[town] += 1
        if v is not None:
            contacts = [x.ms for x in live if x.type in ("check_in", "test_result") and x.ms >= latest.ms]
            last_contact = max(contacts) if contacts else latest.ms
            if (last - local_date(last_contact)).days - v["check_in_interval_days"] >= 1:
                alerts[town] += 1
    return {
        "period": {"kind": kind, "name": period, "from": first.isoformat(), "to": last.isoformat()},
        "events": len(events),
        "city": {"under_measure": sum(under.values()), "contact_alerts": sum(alerts.values()),
                 "totals": activity_done(city)},
        "towns": [{"town": t, "under_measure": under[t], "contact_alerts": alerts[t],
                   "totals": activity_done(town_totals[t]),
                   "actors": [dict([("actor", a)] + list(activity_done(rows[t][a]).items()))
                              for a in sorted(rows[t], key=lambda a: a.encode("utf-8"))]}
                  for t in TOWNS],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file")
    ap.add_argument("--year", type=int, default=2022)
    ap.add_argument("--as-of", dest="as_of")
    ap.add_argument("--at-seq", dest="at_seq", type=int)
    ap.add_argument("--rules")
    ap.add_argument("--city-only", action="store_true")
    ap.add_argument("--activity", metavar="PERIOD",
                    help="print `recovery activity`'s document for YYYY-MM, YYYY-Qn or YYYY instead")
    ap.add_argument("--expect-enping", action="store_true",
                    help="exit 1 unless the city figures are Enping's published 2022 ones")
    args = ap.parse_args()
    as_of = dt.date.fromisoformat(args.as_of) if args.as_of else dt.date(args.year, 12, 31)
    events = read_events(args.file, args.at_seq)
    rules = load_rules(args.rules)
    if args.activity:
        print(json.dumps(activity(events, args.activity, rules), ensure_ascii=False, indent=1))
        return
    result, before = with_changes(events, args.year, as_of, rules)
    out = {"year": args.year, "as_of": as_of.isoformat(), "events": len(events),
           "city": result["city"]}
    if not args.city_only:
        out["towns"] = result["towns"]
    print(json.dumps(out, ensure_ascii=False, indent=1))
    if args.expect_enping:
        bad = [(n, get(out["city"]), want) for (n, get, want) in PUBLISHED_2022
               if get(out["city"]) != want]
        # The change as an exact fraction inside the published rounding, and consolidation
        # "kept above 90%" in both years.
        if args.year != 2022 or as_of != dt.date(2022, 12, 31):
            sys.exit("--expect-enping checks --year 2022 as of 2022-12-31")
        now, then = result, before
        exact = change(rate(now["city"]["abstinent_3y"], now["city"]["registered"]),
                       rate(then["city"]["abstinent_3y"], then["city"]["registered"]))
        if exact is None or not (Fraction(18845, 100000) <= exact < Fraction(18855, 100000)):
            bad.append(("abstinent_3y_change (exact)", exact, "0.18845 <= x < 0.18855"))
        for y, figures in ((2021, then), (2022, now)):
            got = figures["city"]["consolidation"]
            if got["participants"] == 0 or 1 - Fraction(got["relapsed"], got["participants"]) <= Fraction(9, 10):
                bad.append(("consolidation.rate %d" % y, got, "> 0.90"))
        for n, got, want in bad:
            print("MISMATCH %s: got %r, published %r" % (n, got, want), file=sys.stderr)
        if bad:
            sys.exit(1)
        print("all %d published figures match" % (len(PUBLISHED_2022) + 3), file=sys.stderr)


if __name__ == "__main__":
    main()
