import Foundation
import Testing

/// `recovery activity` over a small ledger whose every count is known: three participants in
/// Encheng, one transferred to Shahu in March, one event voided, one enrolment voided (a void
/// without a town), events on the month's boundaries in UTC and local time.
@Suite("CLI contract: activity")
struct ActivityCommandTests {
    static func line(_ id: String, _ participant: String, _ type: String, _ at: String, _ actor: String, _ data: String = "{}") -> String {
        #"{"id":"\#(id)","type":"\#(type)","participant":"\#(participant)","at":"\#(at)","actor":"\#(actor)","data":\#(data)}"#
    }

    static let enrolment = #"{"program":"community_detox","town":"encheng","employable":true}"#

    /// The small ledger (init's rules event is seq 1).
    static func ledger() throws -> TemporaryStore {
        let temporary = try TemporaryStore().initialised()
        let file = try temporary.jsonLines("activity.jsonl", [
            line("e1", "P-1", "enrolled", "2022-01-05T09:00:00+08:00", "sw-encheng-01", enrolment),
            line("e2", "P-2", "enrolled", "2022-01-05T09:10:00+08:00", "sw-encheng-01", enrolment),
            line("e3", "P-3", "enrolled", "2022-01-05T09:20:00+08:00", "sw-encheng-01", enrolment),
            line("c1", "P-1", "check_in", "2022-02-28T23:30:00+08:00", "sw-encheng-01"),
            // 1 March 00:30 in Enping: March.
            line("b1", "P-1", "check_in", "2022-02-28T16:30:00Z", "sw-encheng-01"),
            line("a1", "P-1", "check_in", "2022-03-01T09:30:00+08:00", "sw-encheng-01"),
            line("a2", "P-1", "test_result", "2022-03-02T10:00:00+08:00", "sw-encheng-01", #"{"result":"negative"}"#),
            // An enrolment made by mistake and voided: the void has no town (P-4 has no other enrolment).
            line("e4", "P-4", "enrolled", "2022-03-03T09:00:00+08:00", "sw-encheng-01", enrolment),
            line("v2", "P-4", "voided", "2022-03-04T09:00:00+08:00", "zb-encheng", #"{"event":"e4","reason":"wrong person"}"#),
            line("a8", "P-1", "aid_paid", "2022-03-05T10:00:00+08:00", "mz-encheng-01", #"{"kind":"temporary","amount_fen":120000}"#),
            line("a9", "P-1", "points_adjusted", "2022-03-06T10:00:00+08:00", "sw-encheng-01", #"{"delta":5,"reason":"helped a neighbour"}"#),
            line("a10", "P-1", "training_attended", "2022-03-07T10:00:00+08:00", "sw-encheng-01", #"{"kind":"vocational"}"#),
            line("a11", "P-1", "education_completed", "2022-03-08T10:00:00+08:00", "sw-encheng-02", #"{"course":"law"}"#),
            line("a12", "P-1", "job_placed", "2022-03-09T10:00:00+08:00", "sw-encheng-01", #"{"kind":"enterprise","employer":"a factory"}"#),
            line("a3", "P-1", "test_result", "2022-03-10T10:00:00+08:00", "sw-encheng-02", #"{"result":"positive"}"#),
            line("a5", "P-2", "check_in", "2022-03-10T11:00:00+08:00", "sw-encheng-02"),
            line("a13", "P-1", "points_redeemed", "2022-03-11T10:00:00+08:00", "sw-encheng-01", #"{"points":2,"item":"rice"}"#),
            line("a4", "P-1", "check_in", "2022-03-12T10:00:00+08:00", "sw-encheng-01"),
            line("t1", "P-2", "transferred", "2022-03-15T10:00:00+08:00", "sw-encheng-01", #"{"town":"shahu"}"#),
            line("v1", "P-1", "voided", "2022-03-20T10:00:00+08:00", "zb-encheng", #"{"event":"a4","reason":"entered twice"}"#),
            line("a6", "P-2", "check_in", "2022-03-20T11:00:00+08:00", "sw-shahu-01"),
            line("a7", "P-2", "test_result", "2022-03-25T10:00:00+08:00", "sw-shahu-01", #"{"result":"refused"}"#),
            // 1 April 00:30 in Enping: April.
            line("b2", "P-1", "check_in", "2022-03-31T16:30:00Z", "sw-encheng-01"),
        ])
        let imported = try temporary.recovery(["import", file])
        guard imported.status == 0 else { throw CLITestFailure("import: \(imported.stderr)") }
        return temporary
    }

    /// A JSON report, with its towns by id.
    static func report(_ temporary: TemporaryStore, _ arguments: [String]) throws -> (document: [String: Any], towns: [String: [String: Any]]) {
        let outcome = try temporary.recovery(["activity", "--format", "json"] + arguments)
        guard outcome.status == 0 else { throw CLITestFailure("activity \(arguments): \(outcome.stderr)") }
        let document = try jsonObject(outcome.stdout)
        let towns = document["towns"] as? [[String: Any]] ?? []
        return (document, Dictionary(uniqueKeysWithValues: towns.map { ($0["town"] as? String ?? "", $0) }))
    }

    /// An actor's counts in a town.
    static func actor(_ town: [String: Any]?, _ actor: String) -> [String: Any]? {
        (town?["actors"] as? [[String: Any]])?.first { $0["actor"] as? String == actor }
    }

    /// The counts object with every count 0 except those given.
    static func counts(_ given: [String: Int], tests: [String: Int] = [:]) -> [String: Any] {
        var counts: [String: Any] = [:]
        for key in ["check_in", "training_attended", "education_completed", "points_adjusted", "points_redeemed", "aid_paid",
                    "job_placed", "other", "contacted", "voids"] { counts[key] = given[key] ?? 0 }
        counts["test_result"] = ["negative": tests["negative"] ?? 0, "positive": tests["positive"] ?? 0, "refused": tests["refused"] ?? 0]
        return counts
    }

    /// The row without its `actor`.
    static func without(_ row: [String: Any]?, _ key: String) -> [String: Any] {
        var row = row ?? [:]
        row[key] = nil
        return row
    }

    /// Whether two JSON objects are equal (compared as sorted-key JSON text: nested Swift
    /// dictionaries do not compare as NSDictionary members on Linux).
    static func same(_ lhs: Any?, _ rhs: [String: Any]) -> Bool {
        guard let lhs = lhs as? [String: Any] else { return false }
        return canonical(lhs) == canonical(rhs)
    }

    static func canonical(_ object: [String: Any]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
    }

    @Test("a month: every count per town and actor, a void, a transfer, the month's local boundaries")
    func month() throws {
        let temporary = try Self.ledger()
        let (document, towns) = try Self.report(temporary, ["--month", "2022-03"])
        #expect(Self.same(document["period"],
            ["kind": "month", "name": "2022-03", "from": "2022-03-01", "to": "2022-03-31"]))
        #expect(document["head_seq"] as? Int == 24)
        #expect((document["towns"] as? [[String: Any]])?.map { $0["town"] as? String ?? "" }
            == ["encheng", "hengpi", "shengtang", "liangxi", "shahu", "niujiang", "juntang", "datian", "naji", "dahuai", "dongcheng"])

        let encheng = towns["encheng"]
        #expect((encheng?["actors"] as? [[String: Any]])?.map { $0["actor"] as? String ?? "" }
            == ["mz-encheng-01", "sw-encheng-01", "sw-encheng-02", "zb-encheng"])
        // b1 (1 March local) and a1 count, a4 is voided, b2 is April's.
        #expect(Self.same(Self.without(Self.actor(encheng, "sw-encheng-01"), "actor"), Self.counts(
            ["check_in": 2, "training_attended": 1, "points_adjusted": 1, "points_redeemed": 1, "job_placed": 1, "contacted": 1],
            tests: ["negative": 1])))
        // P-2's check-in before the transfer counts in Encheng.
        #expect(Self.same(Self.without(Self.actor(encheng, "sw-encheng-02"), "actor"), Self.counts(
            ["check_in": 1, "education_completed": 1, "contacted": 2], tests: ["positive": 1])))
        #expect(Self.same(Self.without(Self.actor(encheng, "mz-encheng-01"), "actor"), Self.counts(["aid_paid": 1])))
        #expect(Self.same(Self.without(Self.actor(encheng, "zb-encheng"), "actor"), Self.counts(["voids": 1])))
        #expect(Self.same(encheng?["totals"], Self.counts(
            ["check_in": 3, "training_attended": 1, "education_completed": 1, "points_adjusted": 1, "points_redeemed": 1,
             "aid_paid": 1, "job_placed": 1, "contacted": 2, "voids": 1], tests: ["negative": 1, "positive": 1])))
        // On 31 March P-1 and P-3 are under a measure in Encheng; P-3 has not reported since enrolling.
        #expect(encheng?["under_measure"] as? Int == 2 && encheng?["contact_alerts"] as? Int == 1)

        // The transfer itself and P-2's later events count in Shahu.
        let shahu = towns["shahu"]
        #expect((shahu?["actors"] as? [[String: Any]])?.map { $0["actor"] as? String ?? "" } == ["sw-encheng-01", "sw-shahu-01"])
        #expect(Self.same(Self.without(Self.actor(shahu, "sw-encheng-01"), "actor"), Self.counts(["other": 1])))
        #expect(Self.same(Self.without(Self.actor(shahu, "sw-shahu-01"), "actor"), Self.counts(
            ["check_in": 1, "contacted": 1], tests: ["refused": 1])))
        #expect(shahu?["under_measure"] as? Int == 1 && shahu?["contact_alerts"] as? Int == 0)
        #expect(towns["hengpi"]?["actors"] as? [Any] != nil && (towns["hengpi"]?["actors"] as? [Any])?.isEmpty == true)
        #expect(Self.same(towns["hengpi"]?["totals"], Self.counts([:])))

        // The city: P-2 contacted in both towns is one person; P-4's void is the city's only.
        let city = document["city"] as? [String: Any]
        #expect(city?["under_measure"] as? Int == 3 && city?["contact_alerts"] as? Int == 1)
        #expect(Self.same(city?["totals"], Self.counts(
            ["check_in": 4, "training_attended": 1, "education_completed": 1, "points_adjusted": 1, "points_redeemed": 1,
             "aid_paid": 1, "job_placed": 1, "other": 1, "contacted": 2, "voids": 2],
            tests: ["negative": 1, "positive": 1, "refused": 1])))
    }

    @Test("--quarter and --year sum the months; the last day's measures and alerts are the period's")
    func quarterAndYear() throws {
        let temporary = try Self.ledger()
        let (quarter, quarterTowns) = try Self.report(temporary, ["--quarter", "2022-Q1"])
        #expect(Self.same(quarter["period"],
            ["kind": "quarter", "name": "2022-Q1", "from": "2022-01-01", "to": "2022-03-31"]))
        // January's three enrolments and February's check-in join March's events.
        let worker = Self.actor(quarterTowns["encheng"], "sw-encheng-01")
        #expect(worker?["other"] as? Int == 3 && worker?["check_in"] as? Int == 3)
        #expect((quarter["city"] as? [String: Any])?["under_measure"] as? Int == 3)

        let (year, yearTowns) = try Self.report(temporary, ["--year", "2022"])
        #expect(Self.same(year["period"],
            ["kind": "year", "name": "2022", "from": "2022-01-01", "to": "2022-12-31"]))
        #expect(Self.actor(yearTowns["encheng"], "sw-encheng-01")?["check_in"] as? Int == 4)
        // On 31 December nobody has reported for 30 days.
        #expect(yearTowns["encheng"]?["contact_alerts"] as? Int == 2 && yearTowns["shahu"]?["contact_alerts"] as? Int == 1)

        let (february, _) = try Self.report(temporary, ["--month", "2022-02"])
        #expect(((february["city"] as? [String: Any])?["totals"] as? [String: Any])?["check_in"] as? Int == 1)
        let (fourth, _) = try Self.report(temporary, ["--quarter", "2022-q4"])
        #expect(((fourth["city"] as? [String: Any])?["totals"] as? [String: Any])?["check_in"] as? Int == 0)
    }

    @Test("months without events: every town with zero counts, exit 0; the measures still stand")
    func emptyMonths() throws {
        let temporary = try Self.ledger()
        let (before, beforeTowns) = try Self.report(temporary, ["--month", "2015-01"])
        #expect(beforeTowns.count == 11)
        #expect(beforeTowns.values.allSatisfy { ($0["actors"] as? [Any])?.isEmpty == true && $0["under_measure"] as? Int == 0 })
        #expect(Self.same((before["city"] as? [String: Any])?["totals"],
            Self.counts([:])))
        let (after, afterTowns) = try Self.report(temporary, ["--month", "2023-06"])
        #expect(Self.same((after["city"] as? [String: Any])?["totals"],
            Self.counts([:])))
        #expect(afterTowns["encheng"]?["under_measure"] as? Int == 2 && afterTowns["encheng"]?["contact_alerts"] as? Int == 2)
        let table = try temporary.recovery(["activity", "--month", "2015-01", "--lang", "zh"])
        #expect(table.status == 0 && table.stdout.contains("东成镇") && table.stdout.contains("2015-01-01 至 2015-01-31"))
    }

    @Test("--town by id and by Chinese name narrows the towns and keeps the city whole")
    func town() throws {
        let temporary = try Self.ledger()
        let (byId, towns) = try Self.report(temporary, ["--month", "2022-03", "--town", "shahu"])
        #expect(Array(towns.keys) == ["shahu"])
        #expect(((byId["city"] as? [String: Any])?["totals"] as? [String: Any])?["check_in"] as? Int == 4)
        let (byName, _) = try Self.report(temporary, ["--month", "2022-03", "--town", "沙湖镇"])
        #expect(Self.canonical(byName) == Self.canonical(byId))
        let unknown = try temporary.recovery(["activity", "--month", "2022-03", "--town", "beijing"])
        #expect(unknown.status == 65 && unknown.stderr.hasPrefix("recovery: --town: beijing is not a town"))
    }

    @Test("table in Chinese and English, CSV and the spreadsheet form")
    func formats() throws {
        let temporary = try Self.ledger()
        let zh = try temporary.recovery(["activity", "--month", "2022-03", "--lang", "zh"])
        #expect(zh.status == 0)
        let zhLines = zh.stdout.split(separator: "\n").map(String.init)
        #expect(zhLines.first == "恩平市 2022-03 工作量统计（2022-03-01 至 2022-03-31，账本序号 24；执行中、未按期报到截至 2022-03-31）")
        #expect(zhLines[1].hasPrefix("镇街") && zhLines[1].contains("签到") && zhLines[1].contains("尿检阴性") && zhLines[1].contains("未按期报到"))
        #expect(zhLines[2].hasPrefix("恩平市") && zhLines[2].contains("合计"))
        #expect(zhLines[3].hasPrefix("恩城街道") && zhLines[3].contains("合计"))
        #expect(zhLines.contains { $0.hasPrefix("恩城街道") && $0.contains("zb-encheng") })
        let en = try temporary.recovery(["activity", "--month", "2022-03", "--lang", "en"])
        #expect(en.stdout.hasPrefix("恩平市 activity 2022-03 (2022-03-01 to 2022-03-31, ledger seq 24;"))
        #expect(en.stdout.contains("check-in") && en.stdout.contains("encheng") && en.stdout.contains("total"))

        let csv = try temporary.recovery(["activity", "--month", "2022-03", "--format", "csv"])
        let rows = csv.stdout.split(separator: "\n").map(String.init)
        #expect(rows[0] == "town,actor,check_in,test_result.negative,test_result.positive,test_result.refused,training_attended,education_completed,points_adjusted,points_redeemed,aid_paid,job_placed,other,contacted,voids,under_measure,contact_alerts")
        #expect(rows[1] == "city,*,4,1,1,1,1,1,1,1,1,1,1,2,2,3,1")
        #expect(rows[2] == "encheng,*,3,1,1,0,1,1,1,1,1,1,0,2,1,2,1")
        #expect(rows[3] == "encheng,mz-encheng-01,0,0,0,0,0,0,0,0,1,0,0,0,0,,")
        #expect(rows.contains("shahu,sw-shahu-01,1,0,0,1,0,0,0,0,0,0,0,1,0,,"))
        #expect(rows.count == 1 + 1 + 11 + 4 + 2)
        let excel = try temporary.recovery(["activity", "--month", "2022-03", "--excel"])
        #expect(excel.status == 0 && excel.stdout.hasPrefix("\u{FEFF}镇街,记录人,签到") && excel.stdout.contains("\r\n恩平市,合计,4"))
    }

    @Test("the independent checker agrees on the small ledger: the transfer, both voids, the boundaries")
    func independentCheck() throws {
        let temporary = try Self.ledger()
        for period in [["--month", "2022-03"], ["--month", "2022-04"], ["--quarter", "2022-Q1"], ["--year", "2022"]] {
            var (report, _) = try Self.report(temporary, period)
            let checked = try IndependentChainCheckTests.runPython(
                IndependentChainCheckTests.root.appendingPathComponent("Tools/enping_figures.py"),
                arguments: [temporary.file("activity.jsonl").path, "--activity", period[1]])
            try #require(checked.status == 0, "checker \(period): \(checked.stderr)")
            var independent = try jsonObject(checked.stdout)
            #expect(report.removeValue(forKey: "head_seq") as? Int == (independent.removeValue(forKey: "events") as? Int).map { $0 + 1 })
            #expect(Self.canonical(report) == Self.canonical(independent), "\(period): the checker disagrees")
        }
    }

    @Test("usage errors exit 64")
    func usage() throws {
        let temporary = try Self.ledger()
        for arguments in [[], ["--month", "2022-03", "--quarter", "2022-Q1"], ["--month", "2022-13"], ["--month", "2022-3"],
                          ["--quarter", "2022-Q5"], ["--quarter", "2022-4"], ["--year", "22"], ["--year", "2022", "--month", "2022-01"],
                          ["--month", "2022-03", "--format", "jsonl"], ["--month", "2022-03", "--format", "json", "--excel"]] {
            let outcome = try temporary.recovery(["activity"] + arguments)
            #expect(outcome.status == 64, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.hasPrefix("recovery: "), "\(arguments): \(outcome.stderr)")
        }
        let none = try temporary.recovery(["activity"])
        #expect(none.stderr.contains("give exactly one of --month YYYY-MM, --quarter YYYY-Qn or --year YYYY"))
        #expect(try temporary.recovery(["activity", "--month", "2022-13"]).stderr.contains("--month must be YYYY-MM"))
        #expect(try temporary.recovery(["activity", "--quarter", "2022-Q5"]).stderr.contains("--quarter must be YYYY-Qn"))
    }
}
