import EventLog
import Foundation
import Rehabilitation
import Testing

/// The privacy screen against numbers written to get round it (item 7 of the reliability
/// issue), and against the ordinary ids and texts it must let through.
@Suite("Privacy screen: hostile spellings")
struct PrivacyScreenHostileTests {
    /// An education event whose course is `text` (and, optionally, other fields).
    private func event(course: String = "c", id: String? = "e", participant: String = "P-1", actor: String = "a",
                       data: JSONValue? = nil) -> NewEvent {
        NewEvent(id: id, type: "education_completed", participant: participant, at: 0, actor: actor,
                 data: data ?? .object(["course": .string(course)]))
    }

    @Test("a mobile number however written is refused", arguments: [
        "１３８１２３４５６７８",                                    // full-width digits
        "\u{661}\u{663}\u{668}\u{661}\u{662}\u{663}\u{664}\u{665}\u{666}\u{667}\u{668}",  // Arabic-Indic
        "\u{1D7CF}\u{1D7D1}\u{1D7D6}\u{1D7CF}\u{1D7D0}\u{1D7D1}\u{1D7D2}\u{1D7D3}\u{1D7D4}\u{1D7D5}\u{1D7D6}",
        "138 1234 5678", "138-1234-5678", "138.1234.5678", "138/1234/5678", "(138)1234-5678", "138_1234_5678",
        "+8613812345678", "+86 138 1234 5678", "8613812345678", "008613812345678", "013812345678",
        "138\u{200B}1234\u{200B}5678",                        // zero-width spaces
        "1\u{301}38123\u{20E3}45678",                          // combining marks
        "138\u{00A0}1234\u{3000}5678",                         // no-break and ideographic spaces
        "tel:138–1234—5678",                                   // en and em dashes
        "①③⑧①②③④⑤⑥⑦⑧",                                       // circled digits (NFKC: 1, 3, 8, …)
        "电话：138 1234 5678。",
    ])
    func mobileVariants(_ text: String) throws {
        let refusal = try #require(PrivacyScreen.check(event(course: text)))
        #expect(refusal.field == "data.course")
        #expect(refusal.reason.contains("mobile phone number (138****5678)"))
    }

    @Test("an identity number however written is refused", arguments: [
        "110105194912310021", "110105 19491231 002X", "110105-19491231-002x", "１１０１０５１９４９１２３１００２Ｘ",
        "ID 110105.19491231.002X.", "11010519491231002X号",
    ])
    func identityVariants(_ text: String) throws {
        let refusal = try #require(PrivacyScreen.check(event(course: text)))
        #expect(refusal.reason.contains("resident identity number (110105********"))
        #expect(!refusal.reason.contains("19491231"))
    }

    @Test("every stored string is screened: id, type, participant, actor, data keys and nested values")
    func everyField() throws {
        #expect(PrivacyScreen.check(event(id: "13812345678"))?.field == "id")
        #expect(PrivacyScreen.check(event(id: "enc-138-1234-5678"))?.field == "id")
        var typed = event()
        typed.type = "x13812345678"
        #expect(PrivacyScreen.check(typed)?.field == "type")
        #expect(PrivacyScreen.check(event(participant: "P-138-1234-5678"))?.field == "participant")
        #expect(PrivacyScreen.check(event(actor: "sw-138.1234.5678"))?.field == "actor")
        let nested: JSONValue = .object(["course": .string("c"), "more": .array([.object(["deep": .string("138 1234 5678")])])])
        #expect(PrivacyScreen.check(event(data: nested))?.field == "data.more[0].deep")
        let key = try #require(PrivacyScreen.check(event(data: .object(["138-1234-5678": .string("x")]))))
        #expect(key.field == "data" && key.reason.contains("a key"))
    }

    @Test("a number split across two strings is refused, in either order", arguments: [
        (id: "enc-138", actor: "1234-5678", course: "c", field: "id", other: "actor", masked: "138****5678"),
        (id: "1234-5678", actor: "sw-138", course: "c", field: "actor", other: "id", masked: "138****5678"),
        (id: "e", actor: "a-138", course: "1234 5678", field: "actor", other: "data.course", masked: "138****5678"),
        (id: "110105-1949", actor: "a", course: "1231-002X", field: "id", other: "data.course", masked: "110105********002X"),
    ])
    func splitAcrossTwoFields(_ split: (id: String, actor: String, course: String, field: String, other: String, masked: String)) throws {
        let refusal = try #require(PrivacyScreen.check(event(course: split.course, id: split.id, actor: split.actor)))
        #expect(refusal.field == split.field)
        #expect(refusal.reason.contains("joined with \(split.other),"))
        #expect(refusal.reason.contains("(\(split.masked))"))
    }

    @Test("two data strings, or a key and its value, joined")
    func splitAcrossData() throws {
        let values: JSONValue = .object(["course": .string("第138"), "note": .string("1234-5678号")])
        let refusal = try #require(PrivacyScreen.check(event(data: values)))
        #expect(refusal.reason.contains("joined with data.note") && refusal.reason.contains("138****5678"))
        let keyAndValue: JSONValue = .object(["138": .string("12345678")])
        #expect(PrivacyScreen.check(event(data: keyAndValue)) != nil)
        let identity: JSONValue = .object(["a": .string("x 11010519491"), "b": .string("231002X y")])
        #expect(PrivacyScreen.check(event(data: identity))?.reason.contains("identity") == true)
    }

    @Test("refusals never repeat the number or its key's digits")
    func masked() throws {
        let refusal = try #require(PrivacyScreen.check(event(data: .object(["k138": .object(["x": .string("1234 5678")])]))))
        #expect(!refusal.description.contains("1234"))
        #expect(!refusal.description.contains("5678 "))
        #expect(refusal.description.contains("data.k***"))
    }

    @Test("ordinary ids, dates and texts pass", arguments: [
        "enc-2022-000123", "P-000123", "ci-2022-000123-0001", "2022-03-01", "2022-03-01T09:30:00+08:00", "sw-encheng-01",
        "sample-0001", "P-000123-0001", "ev-0001000000", "大米10斤", "食用油5升", "恩平市宏达五金制品厂", "禁毒知识",
        "123e4567-e89b-12d3-a456-426614174000", "2022-03-01 09:30", "em-0347", "x138123456789", "12812345678",
        "1381234567", "4407811990010112345", "44078119900101123X5", "138号1234号5678", "tel 138 1234 567",
    ])
    func ordinaryTextPasses(_ text: String) {
        #expect(PrivacyScreen.check(event(course: text)) == nil)
    }

    @Test("ordinary events with digits in several fields pass")
    func ordinaryEventsPass() {
        let events = [
            NewEvent(id: "ci-2022-000123-0001", type: "check_in", participant: "P-000123", at: 0, actor: "sw-encheng-01", data: .object([:])),
            NewEvent(id: "enc-2022-000123", type: "points_redeemed", participant: "P-000123", at: 0, actor: "sw-encheng-01",
                     data: .object(["points": .integer(30), "item": .string("大米10斤")])),
            NewEvent(id: "v-2022-000123-0002", type: "voided", participant: "P-000123", at: 0, actor: "sw-encheng-01",
                     data: .object(["event": .string("ci-2022-000123-0001"), "reason": .string("录入错误")])),
            NewEvent(id: "2022-0001", type: "voided", participant: "000123", at: 0, actor: "01",
                     data: .object(["event": .string("2022-000123-0001"), "reason": .string("2022-03-01 复检")])),
        ]
        for event in events { #expect(PrivacyScreen.check(event) == nil, "\(event)") }
    }

    @Test("the sample file and the catalogue example of docs/events.md pass the screen")
    func repositoryExamplesPass() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var lines = try String(contentsOf: root.appendingPathComponent("Tools/sample-events.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let examples = try String(contentsOf: root.appendingPathComponent("docs/events.md"), encoding: .utf8)
            .split(separator: "\n").filter { $0.hasPrefix("{\"") }.map(String.init)
        #expect(!examples.isEmpty)
        lines += examples
        for line in lines {
            let event = try EventInputParser.parse(line).get()
            #expect(PrivacyScreen.check(event) == nil, "\(line)")
        }
    }

    @Test("a pure-ASCII string and its non-ASCII spelling read the same")
    func scannerAgrees() {
        #expect(PersonalNumbers.first(in: "a 138-1234-5678 b")?.masked == "138****5678")
        #expect(PersonalNumbers.first(in: "a 138-1234-5678 b 学")?.masked == "138****5678")
        #expect(PersonalNumbers.first(in: "学 138-1234-5678")?.offset == 4)
        #expect(PersonalNumbers.redacted("call 138 1234 5678") == "[138****5678]")
        #expect(PersonalNumbers.redacted("P-000123") == "P-000123")
    }
}
