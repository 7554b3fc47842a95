import Foundation
import Testing

/// Outputs for people and spreadsheets (issue 13): --lang, display-width tables, CSV through
/// the library, --excel, log filters, stats --years and shell completions.
@Suite("Tables, CSV and spreadsheets")
struct TabularOutputTests {
    /// Two participants in two towns, with an aid payment, a test and a backdated check-in.
    static func store() throws -> TemporaryStore {
        let store = try TemporaryStore().initialised()
        for arguments in [
            ["enrolled", "P-1", "--program", "community_detox", "--town", "encheng", "--employable", "yes", "--at", "2021-03-01 09:00"],
            ["enrolled", "P-2", "--program", "community_rehab", "--town", "hengpi", "--employable", "no", "--at", "2022-02-01 09:00"],
            ["aid-paid", "P-1", "--kind", "temporary", "--amount", "1200.00", "--at", "2022-05-01 09:00", "--actor", "mz-encheng-01"],
            ["test-result", "P-2", "--result", "negative", "--at", "2022-06-01 09:00"],
            ["check-in", "P-1", "--channel", "online", "--at", "2022-12-01 09:00"],
        ] {
            let outcome = try store.recovery(["record"] + arguments + (arguments.contains("--actor") ? [] : ["--actor", "sw-1"]))
            guard outcome.status == 0 else { throw CLITestFailure("record \(arguments): \(outcome.stderr)") }
        }
        return store
    }

    @Test("--lang and LANG choose the table's language; JSON is the same in both")
    func languages() throws {
        let store = try Self.store()
        let zh = try store.recovery(["alerts", "--as-of", "2022-12-31", "--lang", "zh"])
        let en = try store.recovery(["alerts", "--as-of", "2022-12-31", "--lang", "en"])
        #expect(zh.stdout.contains("预警") && zh.stdout.contains("横陂镇") && zh.stdout.contains("未按期报到"), "\(zh.stdout)")
        #expect(en.stdout.contains("alerts on 2022-12-31") && en.stdout.contains("contact overdue") && !en.stdout.contains("未按期报到"))
        let fromLocale = try RecoveryBinary.run(["alerts", "--as-of", "2022-12-31", "--store", store.store], environment: ["LANG": "zh_CN.UTF-8", "LC_ALL": ""])
        #expect(fromLocale.stdout == zh.stdout)
        let allWins = try RecoveryBinary.run(["alerts", "--as-of", "2022-12-31", "--store", store.store], environment: ["LANG": "zh_CN.UTF-8", "LC_ALL": "C"])
        #expect(allWins.stdout == en.stdout, "LC_ALL wins over LANG")
        let json = ["zh", "en"].map { try? store.recovery(["alerts", "--as-of", "2022-12-31", "--json", "--lang", $0]).stdout }
        #expect(json[0] == json[1] && json[0]?.contains("\"kind\":\"contact\"") == true)
        #expect(try store.recovery(["stats", "--year", "2022", "--lang", "xx"]).status == 64)
    }

    @Test("stats' year-on-year figures: a number, null in JSON, an empty CSV cell and — in the table without a base")
    func yearOnYearOutputs() throws {
        let store = try Self.store()
        // P-1 is Encheng's one new enrolment of 2021, P-2 Hengpi's of 2022; nobody is abstinent.
        let json = try jsonObject(try store.recovery(["stats", "--year", "2022", "--json"]).stdout)
        let city = try #require(json["city"] as? [String: Any])
        #expect(city["abstinent_3y_change"] is NSNull, "a zero share a year before is no base")
        #expect(city["new_enrollments_change"] as? Double == 0)
        #expect(city["consolidation"] as? NSDictionary == ["participants": 2, "relapsed": 0, "rate": 1] as NSDictionary)
        let towns = try #require(json["towns"] as? [String: [String: Any]])
        #expect(towns["encheng"]?["new_enrollments_change"] as? Double == -1)
        #expect(towns["hengpi"]?["new_enrollments_change"] is NSNull)
        #expect((towns["shahu"]?["consolidation"] as? [String: Any])?["rate"] is NSNull)

        let csv = try store.recovery(["stats", "--year", "2022", "--format", "csv"]).stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = try #require(csv.first)
        let column = try #require(header.firstIndex(of: "new_enrollments_change"))
        #expect(header.contains("abstinent_3y_change") && header.contains("consolidation.rate"))
        let rows = Dictionary(uniqueKeysWithValues: csv.dropFirst().map { ($0[0], $0) })
        #expect(rows["encheng"]?[column] == "-1", "\(rows["encheng"] ?? [])")
        #expect(rows["hengpi"]?[column] == "")

        let table = try store.recovery(["stats", "--year", "2022", "--lang", "zh"]).stdout
        let hengpi = try #require(table.split(separator: "\n").first { $0.hasPrefix("横陂镇") })
        #expect(hengpi.contains("—") && table.contains("新增同比") && table.contains("巩固率") && table.contains("戒断同比"))
        #expect(table.contains("新增吸毒人员 1 人，同比 +0.00%"), "\(table)")
    }

    @Test("the commands' messages for people take --lang zh too")
    func messages() throws {
        let store = try Self.store()
        let file = try store.jsonLines("more.jsonl", [eventLine(id: "m-1", participant: "P-1", at: "2022-12-02T09:30:00+08:00")])
        let backup = store.file("copy").path
        let checkpoint = store.file("cp.txt").path
        for arguments in [["verify"], ["rebuild"], ["rebuild", "--check"], ["balance", "P-1"], ["import", file], ["backup", backup], ["access", "list"],
                          ["checkpoint", "--out", checkpoint], ["prove", "inclusion", "2"], ["upgrade"], ["access", "log"],
                          ["receipt", "P-1", "--out", store.file("receipt").path]] {
            let outcome = try store.recovery(arguments + ["--lang", "zh"])
            #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stdout.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF }, "\(arguments): \(outcome.stdout)")
        }
        let key = try store.recovery(["key", "show"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let checked = try RecoveryBinary.run(["check-proof", checkpoint, "--key", key, "--lang", "zh"])
        #expect(checked.status == 0 && checked.stdout.hasPrefix("ok: ") && checked.stdout.contains("签名"), "\(checked.stdout)")
        let restored = try RecoveryBinary.run(["restore", backup, "--store", store.file("again").path, "--lang", "zh"])
        #expect(restored.status == 0 && restored.stdout.contains("已从"))
        #expect(try store.recovery(["verify"]).stdout.hasPrefix("ok: "), "English without --lang or a zh locale")
    }

    @Test("tables align by display width: CJK cells count two columns, numbers are right-aligned")
    func alignment() throws {
        let store = try Self.store()
        // The participants' events (the rules adoption of `init` is not backdated).
        let table = try store.recovery(["log", "--lang", "zh", "--from", "2"]).stdout.split(separator: "\n").map(String.init)
        func width(_ text: Substring) -> Int {
            text.unicodeScalars.reduce(0) { $0 + (($1.value >= 0x2E80 && $1.value <= 0xA4CF) || ($1.value >= 0xFF00 && $1.value <= 0xFF60) ? 2 : 1) }
        }
        // Every line puts the participant column at the same display column.
        let columns = table.compactMap { line -> Int? in
            guard let range = line.range(of: #"P-\d|人员"#, options: .regularExpression) else { return nil }
            return width(line[..<range.lowerBound])
        }
        #expect(columns.count == table.count && Set(columns).count == 1, "\(table)")
        #expect(table.contains { $0.contains("救助") && $0.contains("临时救助 1,200.00 元") })
        #expect(table.contains { $0.contains("尿检") && $0.contains("阴性") })
        #expect(table.dropFirst().allSatisfy { $0.contains("补录") }, "recorded years after they happened")
        // The seq column is right-aligned: its cells end where its header ends.
        let header = table[0]
        let seqEnd = width(header[..<header.range(of: "序号")!.upperBound])
        for line in table.dropFirst() {
            let cell = line.prefix(seqEnd)
            #expect(cell.last?.isNumber == true && cell.trimmingCharacters(in: .whitespaces).allSatisfy(\.isNumber), "\(line)")
        }
    }

    @Test("log filters: type, actor, town, event time and recording time")
    func logFilters() throws {
        let store = try Self.store()
        func ids(_ arguments: [String]) throws -> [String] {
            try store.recovery(["log", "--format", "csv"] + arguments).stdout.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[2]) }
        }
        #expect(try ids(["--type", "aid-paid"]) == ["aid_paid"])
        #expect(try ids(["--type", "check_in", "--type", "test-result"]) == ["test_result", "check_in"])
        #expect(try ids(["--actor", "mz-encheng-01"]) == ["aid_paid"])
        #expect(try ids(["--town", "横陂"]) == ["enrolled", "test_result"])
        #expect(try ids(["--since", "2022-05-01", "--until", "2022-06-01"]) == ["aid_paid", "test_result"])
        #expect(try ids(["--until", "2021-12-31", "--town", "encheng"]) == ["enrolled"])
        #expect(try ids(["--recorded-since", "2099-01-01"]).isEmpty)
        #expect(try ids(["--type", "check-in", "--limit", "0"]).isEmpty)
        #expect(try store.recovery(["log", "--type", "nonsense"]).status == 64)
        #expect(try store.recovery(["log", "--since", "yesterday"]).status == 64)
        #expect(try store.recovery(["log", "--town", "nowhere"]).status == 65)
    }

    @Test("csv is written by the library (quoted JSON data, no BOM); --excel has a BOM, CRLF, Chinese headers, yuan and percentages")
    func csvAndExcel() throws {
        let store = try Self.store()
        let csv = try store.recovery(["log", "--format", "csv", "--type", "aid-paid"]).stdout
        #expect(csv.hasPrefix("seq,at,type,participant,actor,data,recorded_at,backdated,id\n"))
        #expect(csv.contains(#""{""amount_fen"":120000,""kind"":""temporary""}""#), "\(csv)")
        let excel = try RecoveryBinary.run(["stats", "--year", "2022", "--excel", "--store", store.store])
        let bytes = Array(excel.stdout.utf8)
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "a UTF-8 byte-order mark")
        #expect(excel.stdout.contains("\r\n") && excel.stdout.contains("地区") && excel.stdout.contains("就业率"))
        #expect(excel.stdout.contains("恩城街道") && excel.stdout.contains("1200.00") && excel.stdout.contains("%"))
        let plain = try store.recovery(["stats", "--year", "2022", "--format", "csv"]).stdout
        #expect(plain.hasPrefix("scope,registered,") && !plain.contains("\r\n") && plain.contains(",120000,"))
        let alerts = try store.recovery(["alerts", "--as-of", "2022-12-31", "--excel"]).stdout
        #expect(alerts.contains("镇街") && alerts.contains("未按期报到"))
        #expect(try store.recovery(["alerts", "--excel", "--format", "json"]).status == 64)
        let audit = try store.recovery(["audit", "P-1", "--format", "csv"]).stdout
        #expect(audit.hasPrefix("seq,at,type,data,rules,delta,balance,voided_by,recorded_at,backdated,id\n"))
    }

    @Test("stats --years gives one row per year and scope; its JSON holds each year's document")
    func years() throws {
        let store = try Self.store()
        let csv = try store.recovery(["stats", "--years", "2021-2022", "--format", "csv"]).stdout.split(separator: "\n")
        #expect(csv.first?.hasPrefix("year,scope,registered,") == true)
        #expect(csv.count == 1 + 2 * 12, "2 years × (the city and 11 towns)")
        #expect(csv.filter { $0.hasPrefix("2021,city,1,") }.count == 1 && csv.filter { $0.hasPrefix("2022,city,2,") }.count == 1)
        let json = try jsonObject(try store.recovery(["stats", "--years", "2021-2022", "--json"]).stdout)
        #expect((json["years"] as? [[String: Any]])?.map { $0["year"] as? Int } == [2021, 2022])
        let table = try store.recovery(["stats", "--years", "2021-2022", "--lang", "zh"]).stdout
        #expect(table.contains("2021  恩平市") && table.contains("2022  恩平市"))
        for bad in [["--years", "2022-2021"], ["--years", "2022"], ["--year", "2022", "--years", "2021-2022"], ["--years", "1900-2000"],
                    ["--years", "2021-2022", "--as-of", "2022-06-30"]] {
            #expect(try store.recovery(["stats"] + bad).status == 64, "\(bad)")
        }
    }

    @Test("completion scripts for bash, zsh and fish; --town completes the ledger's ids and names")
    func completions() throws {
        for shell in ["bash", "zsh", "fish"] {
            let script = try RecoveryBinary.run(["--generate-completion-script", shell])
            #expect(script.status == 0 && script.stdout.contains("recovery") && script.stdout.count > 1_000, "\(shell)")
        }
        let store = try Self.store()
        // As the scripts ask: the option, the word's index and the cursor's, then the words.
        let towns = try RecoveryBinary.run(["---completion", "stats", "--", "--town", "3", "0", "recovery", "stats", "--town", ""],
                                           environment: ["RECOVERY_STORE": store.store])
        #expect(towns.stdout.split(separator: "\n").contains("encheng") && towns.stdout.contains("恩城街道"), "\(towns.stdout)")
    }
}
