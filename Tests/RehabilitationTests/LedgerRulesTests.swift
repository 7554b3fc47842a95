import EventLog
import Rehabilitation
import Testing

@Suite("Register, measure and employment states")
struct LedgerStateTests {
    @Test("events need a registered participant; enrolment opens the register and a measure")
    func registration() throws {
        let ledger = try makeLedger()
        #expect(try ledger.submit([line("check_in")]).first?.field == "participant")
        #expect(try ledger.submit([enrol(), line("check_in")]).isEmpty)
        let state = try #require(try ledger.state(of: "P-1"))
        #expect(state.registered && state.underMeasure && !state.employed)
    }

    @Test("a measure must end before re-enrolment, which may not predate the end")
    func reEnrolment() throws {
        let ledger = try makeLedger()
        try ledger.submit([enrol(at: "2022-01-01")])
        #expect(try ledger.submit([enrol(at: "2022-02-01")]).first?.field == "participant")
        #expect(try ledger.submit([line("measure_ended", at: "2022-06-01", data: #"{"reason":"completed"}"#)]).isEmpty)
        #expect(try ledger.state(of: "P-1")?.registered == true, "finishing a measure keeps the participant on the register")
        #expect(try ledger.submit([enrol(at: "2022-05-01")]).first?.field == "at")
        #expect(try ledger.submit([enrol(at: "2022-07-01", program: "community_rehab")]).isEmpty)
        #expect(try ledger.submit([line("measure_ended", at: "2022-07-02", data: #"{"reason":"completed"}"#),
                                   line("measure_ended", at: "2022-07-03", data: #"{"reason":"completed"}"#)]).first?.line == 2)
    }

    @Test("deregistration ends register, measure and job; later events are refused until re-enrolment")
    func deregistration() throws {
        let ledger = try makeLedger()
        try ledger.submit([enrol(), line("job_placed", data: #"{"kind":"enterprise","employer":"e"}"#)])
        #expect(try ledger.submit([line("deregistered", at: "2022-04-01", data: #"{"reason":"moved_away"}"#)]).isEmpty)
        let state = try #require(try ledger.state(of: "P-1"))
        #expect(!state.registered && !state.underMeasure && !state.employed)
        #expect(try ledger.submit([line("check_in", at: "2022-04-02")]).first?.field == "participant")
        #expect(try ledger.submit([line("deregistered", at: "2022-04-02", data: #"{"reason":"removed"}"#)]).first?.field == "participant")
        #expect(try ledger.submit([enrol(at: "2022-05-01"), line("check_in", at: "2022-05-02")]).isEmpty)
    }

    @Test("jobs: one at a time, ended only when held, not before the placement")
    func employment() throws {
        let ledger = try makeLedger()
        try ledger.submit([enrol()])
        let place = line("job_placed", at: "2022-03-01", data: #"{"kind":"enterprise","employer":"e"}"#)
        #expect(try ledger.submit([line("job_ended", data: #"{"reason":"r"}"#)]).first?.field == "participant")
        #expect(try ledger.submit([place]).isEmpty)
        #expect(try ledger.submit([place]).first?.field == "participant")
        #expect(try ledger.submit([line("job_ended", at: "2022-02-28", data: #"{"reason":"r"}"#)]).first?.field == "at")
        #expect(try ledger.submit([line("job_ended", at: "2022-03-01", data: #"{"reason":"r"}"#)]).isEmpty)
    }

    @Test("dates: not before the latest enrolment, not more than 24 hours ahead")
    func dates() throws {
        let ledger = try makeLedger()
        try ledger.submit([enrol(at: "2022-01-10")])
        #expect(try ledger.submit([line("check_in", at: "2022-01-09")]).first?.field == "at")
        #expect(try ledger.submit([line("check_in", at: "2023-06-01T23:59:00+08:00")]).isEmpty)
        #expect(try ledger.submit([line("check_in", at: "2023-06-02T00:00:01+08:00")]).first?.field == "at")
    }

    @Test("a redemption needs the balance to cover it")
    func redemption() throws {
        let ledger = try makeLedger()
        try ledger.submit([enrol(), line("check_in")])
        #expect(try ledger.points("P-1") == 2)
        #expect(try ledger.submit([line("points_redeemed", data: #"{"points":3,"item":"rice"}"#)]).first?.field == "data.points")
        #expect(try ledger.submit([line("points_redeemed", data: #"{"points":2,"item":"rice"}"#)]).isEmpty)
        #expect(try ledger.points("P-1") == 0)
    }

    @Test("voids: the target must exist, be the same participant's, voidable, and not voided yet")
    func voids() throws {
        let ledger = try makeLedger()
        try ledger.submit([enrol(id: "e1"), enrol("P-2", id: "e2"), line("check_in", id: "c1"), line("check_in", "P-2", id: "c2")])
        func void(_ target: String, _ participant: String = "P-1") -> String {
            line("voided", participant, at: "2022-03-02", data: #"{"event":"\#(target)","reason":"r"}"#)
        }
        #expect(try ledger.submit([void("nope")]).first?.reason.contains("no event") == true)
        #expect(try ledger.submit([void("c2")]).first?.reason.contains("another participant") == true)
        // An enrolment is voidable, but not while an event stands on it (c1).
        #expect(try ledger.submit([void("e1")]).first?.reason.contains("later events that stand") == true)
        #expect(try ledger.submit([void("c1")]).isEmpty)
        #expect(try ledger.points("P-1") == 0)
        #expect(try ledger.submit([void("c1")]).first?.reason.contains("already voided") == true)
    }

    @Test("personal identifiers are refused with the field that holds them")
    func privacy() throws {
        let ledger = try makeLedger()
        try ledger.submit([enrol()])
        let refusal = try ledger.submit([line("education_completed", data: #"{"course":"called 13812345678"}"#)]).first
        #expect(refusal?.field == "data.course")
        #expect(refusal?.reason.contains("mobile") == true)
    }

    @Test("a custom city decides which towns exist")
    func customCity() throws {
        let city = try City(toml: "name = \"Test City\"\n[[town]]\nid = \"north\"\nname = \"North\"\n")
        let ledger = try makeLedger(city: city)
        #expect(try ledger.submit([enrol(town: "encheng")]).first?.field == "data.town")
        #expect(try ledger.submit([enrol(town: "north")]).isEmpty)
    }
}

@Suite("Points")
struct PointsTests {
    @Test("check-ins earn up to the monthly cap per local calendar month")
    func monthlyCap() throws {
        let ledger = try makeLedger()
        let checkIns = (1 ... 6).map { line("check_in", at: "2022-03-0\($0)T10:00:00+08:00") }
        // 2022-03-31T23:30 UTC is April 1 in Asia/Shanghai: a new month.
        try ledger.submit([enrol()] + checkIns + [line("check_in", at: "2022-03-31T16:30:00Z")])
        #expect(try ledger.points("P-1") == 4 * 2 + 2)
    }

    @Test("voiding a check-in frees its place under the cap for the later ones")
    func voidReopensCap() throws {
        let ledger = try makeLedger()
        let checkIns = (1 ... 5).map { line("check_in", at: "2022-03-0\($0)", id: "c\($0)") }
        try ledger.submit([enrol()] + checkIns)
        #expect(try ledger.points("P-1") == 8)
        try ledger.submit([line("voided", at: "2022-03-10", data: #"{"event":"c1","reason":"r"}"#)])
        #expect(try ledger.points("P-1") == 8, "c1 no longer earns, c5 now does")
        let audit = try #require(try ledger.audit("P-1"))
        #expect(audit.rows.map(\.delta) == [0, 0, 2, 2, 2, 2, 0])
        #expect(audit.rows[1].voidedBy != nil && audit.rows[1].ruleVersion == nil)
        #expect(audit.consistent)
    }

    @Test("each event is priced by the version in force on its local date; none before the first")
    func versions() throws {
        let ledger = try makeLedger()
        try ledger.submit([enrol(at: "2020-12-01"), line("test_result", at: "2020-12-31T15:59:59Z", data: #"{"result":"negative"}"#),
                           line("test_result", at: "2020-12-31T16:00:00Z", data: #"{"result":"negative"}"#)])
        let audit = try #require(try ledger.audit("P-1"))
        #expect(audit.rows.map(\.ruleVersion) == [nil, nil, "2021"])
        #expect(audit.balance == 3)
    }

    @Test("adopting rules re-prices every event, atomically, and the diff says so")
    func adoption() throws {
        let ledger = try makeLedger()
        try ledger.submit([enrol(), line("check_in"), enrol("P-2"), line("points_adjusted", "P-2", data: #"{"delta":4,"reason":"r"}"#)])
        let doubled = try PointsRules(document: PointsRules.defaultDocument.replacingOccurrences(of: "check_in = 2 ", with: "check_in = 7 "))
        let preview = try ledger.diff(adopting: doubled)
        #expect(preview.changed == [BalanceChange(participant: "P-1", before: 2, after: 7)] && preview.unchanged == 1)
        // The one check-in is the one repriced event; P-2's adjustment is not priced by rules.
        #expect(preview.repricedTotal == 1 && preview.repriced.map(\.event.type) == ["check_in"])
        #expect(preview.repriced.first.map { ($0.before, $0.after) } ?? (0, 0) == (2, 7))
        #expect(try ledger.points("P-1") == 2)
        #expect(try ledger.adopt(doubled, actor: "office") == preview)
        #expect(try ledger.points("P-1") == 7)
        #expect(try ledger.adoptedRules().document == doubled.document)
        #expect(try ledger.audit("P-1", atSeq: 4)?.balance == 2, "the past is replayed with the rules of its time")
        #expect(try ledger.checkProjections().consistent)
    }

    @Test("rebuild tells apart ids that share their first 16 bytes, and thousands of participants")
    func rebuildManyParticipants() throws {
        let ledger = try makeLedger()
        var lines: [String] = []
        for number in 0 ..< 3_000 {
            let participant = "participant-0000-\(number % 2 == 0 ? "A" : "B")\(number)"
            lines.append(enrol(participant, at: "2022-01-01"))
            for day in 0 ..< number % 5 { lines.append(line("check_in", participant, at: "2022-02-0\(day + 1)")) }
        }
        lines += [enrol("participant-0000-A", at: "2022-01-01"), enrol("participant-0000-B", at: "2022-01-01")]
        lines.append(line("test_result", "participant-0000-A", at: "2022-03-01", data: #"{"result":"negative"}"#))
        #expect(try ledger.submit(lines).isEmpty)
        #expect(try ledger.checkProjections().consistent)
        let before = try (0 ..< 3_000).map { try ledger.points("participant-0000-\($0 % 2 == 0 ? "A" : "B")\($0)") }
        #expect(before[4] == 8 && before[3] == 6 && before[0] == 0)
        #expect(try ledger.points("participant-0000-A") == 3 && ledger.points("participant-0000-B") == 0)
        let report = try ledger.rebuild()
        #expect(report.participants == 3_002 && report.events == lines.count + 1)
        #expect(try (0 ..< 3_000).map { try ledger.points("participant-0000-\($0 % 2 == 0 ? "A" : "B")\($0)") } == before)
        #expect(try ledger.points("participant-0000-A") == 3 && ledger.points("participant-0000-B") == 0)
        #expect(try ledger.checkProjections().consistent)
    }

    @Test("rebuild recomputes exactly what the incremental projection holds")
    func rebuildMatches() throws {
        let ledger = try makeLedger()
        var lines = [enrol(), enrol("P-2")]
        for day in 1 ... 28 {
            lines.append(line("check_in", day % 3 == 0 ? "P-2" : "P-1", at: "2022-03-\(day < 10 ? "0" : "")\(day)", id: "c\(day)"))
        }
        lines.append(line("voided", at: "2022-04-01", data: #"{"event":"c1","reason":"r"}"#))
        try ledger.submit(lines)
        let before = try (ledger.points("P-1"), ledger.points("P-2"))
        #expect(try ledger.checkProjections().consistent)
        let report = try ledger.rebuild()
        #expect(report.events == lines.count + 1 && report.participants == 2)
        #expect(try (ledger.points("P-1"), ledger.points("P-2")) == before)
    }
}

@Suite("Rules and city documents")
struct DocumentTests {
    private func rulesError(_ document: String) -> TOMLError? {
        do { _ = try PointsRules(document: document); return nil } catch { return error }
    }

    @Test("the built-in document parses to one version, 2021")
    func builtIn() {
        #expect(PointsRules.standard.versions.map(\.name) == ["2021"])
        #expect(PointsRules.standard.versions[0].checkInIntervalDays == 30)
    }

    @Test("malformed documents name the line or key at fault")
    func errors() {
        let base = PointsRules.defaultDocument
        #expect(rulesError(base.replacingOccurrences(of: "test_refused = -10\n", with: ""))?.key == "version[1].test_refused")
        #expect(rulesError(base.replacingOccurrences(of: "job_placed = 10", with: "job_placed = \"ten\""))?.line == 11)
        #expect(rulesError(base + "bonus = 1\n")?.key == "version[1].bonus")
        #expect(rulesError(base + base)?.key == "version[2].name")
        #expect(rulesError(base.replacingOccurrences(of: "check_in_interval_days = 30", with: "check_in_interval_days = 0"))?.line == 12)
        #expect(rulesError(base.replacingOccurrences(of: "check_in_monthly_cap = 4", with: "check_in_monthly_cap = -1"))?.line == 5)
        #expect(rulesError(base.replacingOccurrences(of: "test_negative = 3", with: "test_negative = 3.5"))?.line == 6)
        #expect(rulesError(base.replacingOccurrences(of: "[[version]]", with: "[[versions]]"))?.line == 1)
        #expect(rulesError("name = [1,\n")?.line == 1)
        #expect(rulesError("")?.key == "version")
    }

    @Test("effective_from may be a quoted date or a TOML local date")
    func dates() throws {
        let local = try PointsRules(document: PointsRules.defaultDocument.replacingOccurrences(of: "\"2021-01-01\"", with: "2021-01-01"))
        #expect(local.versions[0].effectiveFrom == CivilDate(year: 2021, month: 1, day: 1))
    }

    @Test("city files: towns need unique ASCII ids")
    func city() {
        #expect(throws: TOMLError.self) { try City(toml: "name = \"C\"\n[[town]]\nid = \"Upper\"\nname = \"U\"\n") }
        #expect(throws: TOMLError.self) { try City(toml: "name = \"C\"\n[[town]]\nid = \"a\"\nname = \"A\"\n[[town]]\nid = \"a\"\nname = \"B\"\n") }
        #expect(throws: TOMLError.self) { try City(toml: "name = \"C\"\n") }
        #expect(City.enping.towns.count == 11 && City.enping.town("dongcheng")?.name == "东成镇")
    }
}
