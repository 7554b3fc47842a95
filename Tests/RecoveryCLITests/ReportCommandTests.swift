import Foundation
import Testing

@Suite("CLI contract: stats and alerts options")
struct ReportCommandTests {
    @Test("--known-at and --at-seq cut the ledger; --town narrows the towns; bad options are refused")
    func statsOptions() throws {
        let temporary = try TemporaryStore().initialised().enrolled(["P-1", "P-2"])
        _ = try temporary.recovery(["append", "--event", eventLine(id: "j", participant: "P-1", type: "job_placed",
                                                                   data: #"{"kind":"enterprise","employer":"e"}"#)])
        let all = try jsonObject(try temporary.recovery(["stats", "--year", "2022", "--json"]).stdout)
        #expect(all["head_seq"] as? Int == 4 && all["as_of"] as? String == "2022-12-31")
        let city = try #require(all["city"] as? [String: Any])
        #expect(city["registered"] as? Int == 2 && city["employed"] as? Int == 1 && city["employment_rate"] as? Double == 0.5)
        #expect((all["towns"] as? [String: Any])?.count == 11)

        let early = try jsonObject(try temporary.recovery(["stats", "--year", "2022", "--known-at", "2000-01-01T00:00:00Z", "--json"]).stdout)
        #expect(early["head_seq"] as? Int == 0 && (early["city"] as? [String: Any])?["registered"] as? Int == 0)
        let cut = try jsonObject(try temporary.recovery(["stats", "--year", "2022", "--at-seq", "3", "--json"]).stdout)
        #expect(cut["head_seq"] as? Int == 3 && (cut["city"] as? [String: Any])?["employed"] as? Int == 0)

        let narrowed = try jsonObject(try temporary.recovery(["stats", "--year", "2022", "--town", "encheng", "--json"]).stdout)
        #expect((narrowed["towns"] as? [String: Any])?.keys.sorted() == ["encheng"])
        #expect((narrowed["city"] as? [String: Any])?["registered"] as? Int == 2)
        let midYear = try jsonObject(try temporary.recovery(["stats", "--year", "2022", "--as-of", "2022-02-01", "--json"]).stdout)
        #expect(midYear["as_of"] as? String == "2022-02-01" && (midYear["city"] as? [String: Any])?["employed"] as? Int == 0)

        #expect(try temporary.recovery(["stats", "--year", "2022", "--town", "beijing"]).status == 65)
        #expect(try temporary.recovery(["stats", "--year", "2022", "--known-at", "2022-01-01"]).status == 64)
        #expect(try temporary.recovery(["stats", "--year", "2022", "--known-at", "2022-01-01T00:00:00Z", "--at-seq", "2"]).status == 64)
        #expect(try temporary.recovery(["stats"]).status == 64)
        let csv = try temporary.recovery(["stats", "--year", "2022", "--format", "csv"]).stdout.split(separator: "\n")
        #expect(csv.count == 13 && csv[0].hasPrefix("scope,registered,") && csv[1].hasPrefix("city,2,"))
    }

    @Test("alerts: default day, --town, JSON shape")
    func alertsOptions() throws {
        let temporary = try TemporaryStore().initialised().enrolled(["P-1"])
        let today = try jsonObject(try temporary.recovery(["alerts", "--json"]).stdout)
        let alerts = try #require(today["alerts"] as? [[String: Any]])
        #expect(alerts.count == 1)
        #expect(alerts.first?["kind"] as? String == "contact" && alerts.first?["level"] as? String == "lost_contact")
        #expect(alerts.first?["since"] as? String == "2022-01-05" && alerts.first?["town"] as? String == "encheng")
        #expect((today["as_of"] as? String)?.count == 10)
        let other = try jsonObject(try temporary.recovery(["alerts", "--town", "naji", "--json"]).stdout)
        #expect((other["alerts"] as? [Any])?.isEmpty == true)
        let early = try jsonObject(try temporary.recovery(["alerts", "--as-of", "2022-01-20", "--json"]).stdout)
        #expect((early["alerts"] as? [Any])?.isEmpty == true, "within the 30-day interval nobody is overdue")
        #expect(try temporary.recovery(["alerts", "--as-of", "20220120"]).status == 64)
    }
}
