import EventLog
import Foundation
@testable import Rehabilitation
import Testing
import TestSupport

/// The catalogue table is the single definition of the event types: docs/events.md must say
/// what it says, and the table must keep the shape the derived readers rely on.
@Suite("Catalogue table and its document")
struct CatalogueDocumentTests {
    static func checkGeneratedSection(_ name: String, in document: String, generated: String) throws {
        let (documented, expected) = try GeneratedSection.compare(name, in: document, generated: generated)
        #expect(documented == expected, "\(document): regenerate with RECOVERY_WRITE_DOCS=1 swift test --filter CatalogueDocumentTests")
    }

    @Test("docs/events.md holds exactly the catalogue table generated from the code")
    func documentMatchesCode() throws {
        try Self.checkGeneratedSection("catalogue", in: "events.md", generated: EventType.markdownTable)
    }

    @Test("docs/statistics.md names exactly the types `activity` counts under `other`")
    func activityOtherTypesDocumented() throws {
        let document = try String(contentsOf: GeneratedSection.docs.appendingPathComponent("statistics.md"), encoding: .utf8)
        let marker = "`other` = every other\n  participant event ("
        let start = try #require(document.range(of: marker), "the sentence that lists them moved: update this test with it")
        let end = try #require(document[start.upperBound...].firstIndex(of: ")"))
        let documented = Set(document[start.upperBound ..< end].split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: "`"))
        })
        let other = Set(EventType.allCases.filter { !$0.definition.isSystem && $0 != .voided && !ActivityCounts.countedTypes.contains($0) }.map(\.name))
        #expect(documented == other)
        #expect(!other.isEmpty)
    }

    @Test("docs/cli.md lists exactly the refusal codes of the code, with their meaning")
    func refusalCodesDocumented() throws {
        let codes = RefusalCode.allEntries.map(\.code.rawValue)
        #expect(Set(codes).count == codes.count)
        let table = (["| code | meaning |", "|---|---|"] + RefusalCode.allEntries.map { "| `\($0.code.rawValue)` | \($0.meaning) |" })
            .joined(separator: "\n") + "\n"
        try Self.checkGeneratedSection("refusal codes", in: "cli.md", generated: table)
    }

    @Test("storage codes run 1, 2, 3, … and names are unique")
    func codesAndNames() {
        #expect(EventType.allCases.map(\.rawValue) == Array(1 ... UInt8(EventType.allCases.count)))
        #expect(Set(EventType.allCases.map(\.name)).count == EventType.allCases.count)
        for type in EventType.allCases { #expect(EventType(name: type.name) == type) }
        #expect(EventType(name: "intake") == nil)
    }

    @Test("each type packs into one effect: at most one choice, flag, integer and town, few fields, unique choice codes")
    func packable() {
        for type in EventType.allCases {
            let fields = type.definition.fields
            var choices = 0, flags = 0, integers = 0, towns = 0
            for field in fields {
                switch field.kind {
                case .choice(let set):
                    choices += 1
                    #expect(Set(set.choices.map(\.code)).count == set.choices.count, "\(type.name).\(field.name)")
                    #expect(Set(set.choices.map(\.name)).count == set.choices.count, "\(type.name).\(field.name)")
                    #expect(set.choices.allSatisfy { $0.code < 255 }, "255 is the projection's 'none'")
                case .flag: flags += 1
                case .integer: integers += 1
                case .town: towns += 1
                case .text: break
                }
                #expect(field.defaultCode == nil || { if case .choice = field.kind { true } else { false } }(), "only choices have defaults")
            }
            #expect(choices <= 1 && flags <= 1 && integers <= 1 && towns <= 1, "\(type.name)")
            #expect(fields.count <= 32, "the stored-record reader keeps one bit per field")
            #expect(Set(fields.map(\.name)).count == fields.count)
        }
        // Stored enrolments pack the program's code beside the employable bit (bit 1).
        #expect(Program.allCases.allSatisfy { $0.rawValue < 2 })
    }

    @Test("the validator and the stored-record reader agree on every type, choice and default")
    func validatorAndReaderAgree() throws {
        let ledger = try makeLedger()
        var lines = [enrol("P-1", town: "encheng")]
        var expected: [EventEffect] = []
        let catalogue = ledger.catalogue
        // One accepted event per choice of every accepted type that needs only a registered participant.
        let samples: [(String, String)] = [
            ("check_in", #"{}"#), ("check_in", #"{"channel":"online"}"#), ("check_in", #"{"channel":"in_person"}"#),
            ("test_result", #"{"result":"negative"}"#), ("test_result", #"{"result":"positive"}"#), ("test_result", #"{"result":"refused"}"#),
            ("training_attended", #"{"kind":"vocational"}"#), ("training_attended", #"{"kind":"agricultural"}"#),
            ("aid_paid", #"{"kind":"subsistence","amount_fen":5}"#), ("aid_paid", #"{"kind":"temporary","amount_fen":7}"#),
            ("insurance_enrolled", #"{"kind":"social"}"#), ("insurance_enrolled", #"{"kind":"medical"}"#),
            ("points_adjusted", #"{"delta":-3,"reason":"r"}"#),
        ]
        for (type, data) in samples {
            lines.append(line(type, data: data))
            expected.append(try catalogue.effect(type: type, data: JSONParser.parse(Array(data.utf8))).get())
        }
        #expect(try ledger.submit(lines).isEmpty)
        let reader = StoredEventReader(city: ledger.city)
        var read: [EventEffect] = []
        try ledger.log.scanLayouts { value, layout in
            if try layout.stream(in: value) == "P-1" { read.append(try reader.effect(of: layout, in: value)) }
            return true
        }
        #expect(Array(read.dropFirst()) == expected)
        #expect(expected[1].choice == CheckInChannel.online.rawValue && expected[0].choice == CheckInChannel.inPerson.rawValue)
    }
}
