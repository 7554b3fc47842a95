import CSV
import EventLog
import Foundation
import LedgerDocuments
@testable import LedgerServer
@testable import LedgerWeb
import Rehabilitation
import TestSupport
import Testing

/// The pieces the pages are made of, without a server: labels for every code, escaping, money,
/// spreadsheet CSV and form bodies. And docs/web.md's table of pages, generated from the code.
@Suite("Web pages: parts and documents")
struct WebRenderingTests {
    /// Whether `text` holds a CJK ideograph.
    static func hasChinese(_ text: String) -> Bool { text.unicodeScalars.contains { (0x4E00 ... 0x9FFF).contains($0.value) } }

    @Test("docs/web.md's table of pages is the one the code enforces")
    func pagesMatrix() throws {
        let (documented, generated) = try GeneratedSection.compare("pages", in: "web.md", generated: WebRoute.markdownMatrix)
        #expect(documented == generated, "docs/web.md is stale: run RECOVERY_WRITE_DOCS=1 swift test --filter WebRenderingTests")
        // The pages follow the API's matrix: a recorder reaches the worklist of its towns and no figures.
        #expect(WebRoute.today.reach(of: .recorder) == .ownTowns)
        #expect(WebRoute.figures.reach(of: .recorder) == .none)
        #expect(WebRoute.integrity.reach(of: .admin) == .none)
        #expect(WebRoute.navigation(for: .auditor).contains(.integrity))
        #expect(WebRoute.navigation(for: .admin).isEmpty)
    }

    @Test("every event type, field, choice, alert and refusal code has a label in Chinese and in English")
    func vocabularyIsComplete() {
        for type in EventType.allCases {
            let label = Vocabulary.eventType(type)
            #expect(Self.hasChinese(label.zh) && !label.en.isEmpty && !Self.hasChinese(label.en), "\(type.name)")
            for field in type.definition.fields {
                #expect(Vocabulary.fields[field.name].map { Self.hasChinese($0.zh) && !$0.en.isEmpty } == true, "field \(field.name)")
                if case .choice(let set) = field.kind {
                    for choice in set.choices {
                        #expect(Vocabulary.choices[choice.name].map { Self.hasChinese($0.zh) && !$0.en.isEmpty } == true, "choice \(choice.name)")
                    }
                }
            }
        }
        for kind in Alert.Kind.allCases { #expect(Self.hasChinese(Vocabulary.alertKind(kind).zh)) }
        for level in [Alert.Level.late, .suspectedLostContact, .lostContact] { #expect(Self.hasChinese(Vocabulary.alertLevel(level).zh)) }
        for entry in RefusalCode.allEntries {
            #expect(Vocabulary.refusals[entry.code.rawValue].map { Self.hasChinese($0.zh) && !$0.en.isEmpty } == true, "refusal \(entry.code)")
        }
        // Nothing labelled that the catalogue does not have (a stale label is a second definition).
        let codes = Set(RefusalCode.allEntries.map(\.code.rawValue))
        #expect(Set(Vocabulary.refusals.keys).subtracting(codes).isEmpty)
        let choiceNames = Set(EventType.allCases.flatMap { $0.definition.fields }.flatMap { field -> [String] in
            if case .choice(let set) = field.kind { return set.choices.map(\.name) }
            return []
        })
        #expect(Set(Vocabulary.choices.keys) == choiceNames)
    }

    @Test("every column of the spreadsheet statistics has Chinese words for each part of its path")
    func metricLabelsAreComplete() {
        // `year` and `scope` are labelled where they are made; the rest are metric paths.
        for column in StatisticsOutput.columns(withYear: true) where column.key != "year" && column.key != "scope" {
            for part in column.key.split(separator: ".").map(String.init) {
                let label = StatisticsOutput.metricWords[part] ?? Vocabulary.choices[part]
                #expect(label.map { Self.hasChinese($0.zh) && !$0.en.isEmpty } == true, "\(column.key): \(part)")
            }
            #expect(!column.label.zh.contains("_"), "\(column.key) → \(column.label.zh)")
        }
    }

    @Test("an event in words: test result, aid in yuan, job")
    func eventsInWords() {
        let city = City(name: "恩平市", towns: [Town(id: "encheng", name: "恩城街道")])
        #expect(Vocabulary.describe(type: "test_result", data: .object(["result": .string("negative")]), city: city, .zh) == "尿检 阴性")
        #expect(Vocabulary.describe(type: "aid_paid", data: .object(["kind": .string("temporary"), "amount_fen": .integer(120_000)]), city: city, .zh)
                == "救助 临时救助 1,200.00 元")
        #expect(Vocabulary.describe(type: "aid_paid", data: .object(["kind": .string("temporary"), "amount_fen": .integer(120_000)]), city: city, .en)
                == "aid temporary relief ¥1,200.00")
        #expect(Vocabulary.describe(type: "job_placed", data: .object(["kind": .string("enterprise"), "employer": .string("某公司")]), city: city, .zh)
                == "就业 企业 某公司")
        #expect(Vocabulary.yuan(5) == "0.05" && Vocabulary.yuan(-123_456_789) == "-1,234,567.89")
        #expect(Vocabulary.percent(0.96) == "96.0%" && Vocabulary.percent(0.80849) == "80.8%" && Vocabulary.percent(nil) == "—")
        #expect(Vocabulary.percentChange(-0.187561) == "-18.8%" && Vocabulary.percentChange(0.18849) == "+18.8%")
    }

    @Test("text from the ledger never becomes markup")
    func escaping() {
        var html = HTML()
        html.element("td", [("data-id", "\"><script>alert(1)</script>")], "<img src=x onerror=alert(1)> & 'quoted'\u{0}\u{1B}")
        #expect(html.text == "<td data-id=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">&lt;img src=x onerror=alert(1)&gt; &amp; &#39;quoted&#39;</td>")
        #expect(Query.encode("a b/é?&=") == "a%20b%2F%C3%A9%3F%26%3D")
        #expect(Web.safeBack("/today?x=1") == "/today?x=1")
        for hostile in ["//evil.example/", "https://evil.example/", "/\\evil", "today", "/a\nb"] { #expect(Web.safeBack(hostile) == nil, "\(hostile)") }
    }

    @Test("money typed in yuan becomes integer fen, or a refusal")
    func yuanToFen() {
        #expect(EntryValues.fen(yuan: "1200") == 120_000)
        #expect(EntryValues.fen(yuan: "1,200.5") == 120_050)
        #expect(EntryValues.fen(yuan: "1200.05 元") == 120_005)
        #expect(EntryValues.fen(yuan: "0.01") == 1)
        for bad in ["", "abc", "1.234", "-5", "1e3", "12.", ".5", "１２", "1000000000000000"] { #expect(EntryValues.fen(yuan: bad) == nil, "\(bad)") }
    }

    @Test("a spreadsheet CSV: byte-order mark, CRLF, quoting by the library, no formulas")
    func spreadsheetCSV() throws {
        let bytes = try SpreadsheetCSV.document(header: ["镇街", "金额"], rows: [["恩城街道, 东", "1200.00"], ["=HYPERLINK(\"x\")", "-5"], ["引号\"内", "3"]],
                                                numericColumns: [1])
        #expect(Array(bytes.prefix(3)) == SpreadsheetCSV.byteOrderMark)
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(text.hasSuffix("\r\n"))
        #expect(text.contains("\"恩城街道, 东\""))
        // Read back with the library's reader: the same cells, the formula disarmed.
        let reader = try CSVReader(string: text)
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        #expect(rows.first == ["镇街", "金额"])
        #expect(rows.count == 4)
        #expect(rows[1] == ["恩城街道, 东", "1200.00"])
        #expect(rows[2] == ["'=HYPERLINK(\"x\")", "-5"])
        #expect(rows[3] == ["引号\"内", "3"])
    }

    @Test("form bodies: URL-encoded and multipart, bounded")
    func formBodies() throws {
        let form = try FormBody.urlEncoded(Array("a=1&b=%E6%81%A9%E5%B9%B3+x&c=&csrf=t%2Bk".utf8))
        #expect(form["a"] == "1" && form["b"] == "恩平 x" && form["c"] == "" && form["csrf"] == "t+k" && form.trimmed("c") == nil)
        #expect(throws: FormBody.Failure.self) { try FormBody.urlEncoded(Array("a=%E6%81".utf8)) }
        #expect(throws: FormBody.Failure.self) { try FormBody.urlEncoded(Array("a=%Z1".utf8)) }
        let many = (0 ... FormBody.maximumFields).map { "f\($0)=x" }.joined(separator: "&")
        #expect(throws: FormBody.Failure.self) { try FormBody.urlEncoded(Array(many.utf8)) }
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.toml\"\r\nContent-Type: text/plain\r\n\r\n[[version]]\nname = \"v\"\r\n--XyZ--\r\n"
        let multipart = try FormBody.multipart(Array(body.utf8), boundary: "XyZ")
        #expect(multipart["csrf"] == "tok")
        #expect(multipart["file"] == "[[version]]\nname = \"v\"")
        #expect(throws: FormBody.Failure.self) { try FormBody.multipart(Array("no parts".utf8), boundary: "XyZ") }
    }

    @Test("charts: scale ceilings and one SVG per chart, with its numbers as text")
    func charts() {
        #expect(Chart.niceCeiling(0) == 1 && Chart.niceCeiling(0.96) == 1 && Chart.niceCeiling(1_000) == 1_000)
        #expect(Chart.niceCeiling(1_001) == 2_000 && Chart.niceCeiling(0.18) == 0.2 && Chart.niceCeiling(2_100) == 2_500)
        var html = HTML()
        Chart.line(&html, name: "t", title: "在册", categories: ["2021", "2022"],
                   series: [Chart.Series(name: "在册", values: [900, 1000]), Chart.Series(name: "x", values: [nil, 3])], format: { String(Int($0)) })
        #expect(html.text.contains("data-chart=\"t\"") && html.text.contains("<desc id=\"chart-t-desc\">在册: 2021 900, 2022 1000; x: 2021 —, 2022 3</desc>"))
        #expect(html.text.components(separatedBy: "<polyline").count == 2, "a line with one point draws no polyline")
        #expect(!html.text.contains("style="))
        // SVG's empty elements are self-closed: an unclosed <line> swallows the rest of the chart.
        for tag in ["<line ", "<polyline "] {
            for piece in html.text.components(separatedBy: tag).dropFirst() {
                #expect(piece.split(separator: ">", maxSplits: 1).first?.hasSuffix("/") == true, "\(tag)\(piece.prefix(60))")
            }
        }
    }
}
