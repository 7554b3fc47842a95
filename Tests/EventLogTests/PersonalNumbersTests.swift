@testable import EventLog
import Foundation
import Testing

@Suite("Personal numbers and display text")
struct PersonalNumbersTests {
    /// The scanner reads most characters without normalising them (`UnicodeReading.direct`);
    /// for every assigned character that shortcut must read as NFKC does.
    @Test("reading a character directly agrees with NFKC, for every assigned character")
    func directReadingAgreesWithNFKC() {
        var disagreements: [String] = []
        for value in UInt32(0x80) ... 0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            switch scalar.properties.generalCategory {
            case .unassigned, .privateUse, .surrogate: continue
            default: break
            }
            guard let direct = UnicodeReading.direct(scalar) else { continue }
            let normalised = String(Character(scalar)).precomposedStringWithCompatibilityMapping.unicodeScalars
                .map(UnicodeReading.normalised).filter { $0 != .dropped }
            let expected = direct == .dropped ? [] : [direct]
            if normalised != expected, disagreements.count < 20 { disagreements.append(String(value, radix: 16)) }
        }
        #expect(disagreements.isEmpty, "read differently from NFKC: \(disagreements)")
    }

    @Test("characters NFKC rewrites read as what they become", arguments: [
        ("①", [UnicodeReading.digit(1)]), ("⑩", [.digit(1), .digit(0)]), ("Ｘ", [.letter(isX: true)]),
        ("℃", [.letter(isX: false)]), ("¹", [.digit(1)]), ("\u{200B}", [.dropped]), ("５", [.digit(5)]),
    ])
    func rewritten(_ text: String, _ readings: [UnicodeReading]) {
        #expect(UnicodeReading.readings(of: text.unicodeScalars.first!).filter { $0 != .dropped } == readings.filter { $0 != .dropped })
    }

    @Test("the prefixes of a mobile number, and only those", arguments: [
        ("13812345678", true), ("013812345678", true), ("8613812345678", true), ("008613812345678", true),
        ("138123456789", false), ("0013812345678", false), ("8513812345678", false), ("12812345678", false),
        ("08613812345678", false), ("00861281234567", false),
    ])
    func prefixes(_ digits: String, _ isMobile: Bool) {
        #expect((PersonalNumbers.first(in: digits)?.kind == .mobileNumber) == isMobile)
    }

    @Test("masks keep at most the first 3 (6) and the last 4 digits")
    func masks() {
        #expect(PersonalNumbers.first(in: "+86 138 1234 5678")?.masked == "138****5678")
        #expect(PersonalNumbers.first(in: "110105194912310021")?.masked == "110105********0021")
        #expect(PersonalNumbers.first(in: "11010519491231002x")?.masked == "110105********002X")
    }

    @Test("display text escapes control, separator and bidi characters, and leaves the rest")
    func displayText() {
        #expect(DisplayText.escaped("恩城街道 P-000123") == "恩城街道 P-000123")
        #expect(DisplayText.escaped("a\u{1B}[2Jb\nc\rd") == "a\\u{1B}[2Jb\\u{A}c\\u{D}d")
        #expect(DisplayText.escaped("x\u{202E}y\u{2028}z\u{9B}\u{7F}") == "x\\u{202E}y\\u{2028}z\\u{9B}\\u{7F}")
        #expect(DisplayText.escapedKeepingLines("a\r\nb\tc\n\u{1B}d\re") == "a\r\nb\tc\n\\u{1B}d\\u{D}e")
    }

    @Test("a duplicate member's name is repeated escaped and without a personal number")
    func duplicateMember() {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(Array(#"{"138 1234 5678":1,"138 1234 5678":2}"#.utf8)) }
        do {
            _ = try JSONParser.parse(Array(#"{"138 1234 5678":1,"138 1234 5678":2}"#.utf8))
        } catch {
            #expect(error.reason.contains("[138****5678]") && !error.reason.contains("1234"))
        }
        do {
            _ = try JSONParser.parse(Array(#"{"a\u001b":1,"a\u001b":2}"#.utf8))
        } catch {
            #expect(error.reason.contains("a\\u{1B}"))
        }
    }
}
