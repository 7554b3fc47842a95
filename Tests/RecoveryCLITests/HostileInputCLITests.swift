import EnpingScenario
import EventLog
import Foundation
import Rehabilitation
import Testing

/// Items 7–9 of the reliability issue, through the binary: numbers written to get round the
/// privacy screen, arguments that are not UTF-8, hostile TOML documents, and names that try
/// to forge output lines.
@Suite("CLI contract: hostile input")
struct HostileInputCLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// An education event of P-000123 (enrolled by `TemporaryStore.enrolled`).
    private func course(_ text: String, id: String = "edu-1") -> String {
        eventLine(id: id, type: "education_completed", data: #"{"course":"\#(text)"}"#)
    }

    // MARK: Item 7: the privacy screen

    @Test("numbers written to get round the screen are refused with 65, masked, in every field")
    func privacyVariants() throws {
        let temporary = try TemporaryStore().initialised().enrolled()
        let head = try temporary.headSeq()
        let events = [
            course("１３８１２３４５６７８"), course("\u{661}\u{663}\u{668}\u{661}\u{662}\u{663}\u{664}\u{665}\u{666}\u{667}\u{668}"),
            course("\u{1D7CF}\u{1D7D1}\u{1D7D6}\u{1D7CF}\u{1D7D0}\u{1D7D1}\u{1D7D2}\u{1D7D3}\u{1D7D4}\u{1D7D5}\u{1D7D6}"),
            course("138 1234 5678"), course("138-1234-5678"), course("138.1234.5678"), course("+8613812345678"),
            course("8613812345678"), course("013812345678"), course(#"138\u200b1234\u200b5678"#), course("138\u{200B}1234 5678"),
            course("13\u{0301}8 1234 5678"), course("138_1234_5678"), course("(138)1234-5678"), course("0086 138 1234 5678"),
            course("110105 19491231 002X"),
            eventLine(id: "138-1234-5678"), eventLine(id: "enc-138", type: "check_in").replacingOccurrences(of: "sw-encheng-01", with: "1234-5678"),
            eventLine(id: "a1").replacingOccurrences(of: "sw-encheng-01", with: "138.1234.5678"),
            eventLine(id: "a2", type: "education_completed", data: #"{"course":"第138","x":"1234 5678"}"#),
            eventLine(id: "a3", type: "education_completed", data: #"{"course":"c","deep":{"a":["138 1234 5678"]}}"#),
        ]
        for event in events {
            let outcome = try temporary.recovery(["append", "--event", event])
            #expect(outcome.status == 65, "\(event)")
            #expect(outcome.stderr.contains("138****5678") || outcome.stderr.contains("110105********002X"), "\(outcome.stderr)")
            #expect(!outcome.stderr.contains("1234") && !outcome.stderr.contains("19491231"), "\(outcome.stderr)")
        }
        let file = try temporary.jsonLines("numbers.jsonl", Array(events.prefix(3)))
        let imported = try temporary.recovery(["import", file])
        #expect(imported.status == 65 && imported.stderr.split(separator: "\n").count == 3)
        #expect(try temporary.headSeq() == head)
    }

    @Test("no other message repeats a refused number: conflicts, unknown towns, lookups")
    func noEcho() throws {
        let temporary = try TemporaryStore().initialised().enrolled()
        #expect(try temporary.recovery(["append", "--event", course("c", id: "edu-9")]).status == 0)
        let conflict = try temporary.recovery(["append", "--event", course("138 1234 5678", id: "edu-9")])
        #expect(conflict.status == 65 && conflict.stderr.contains("138****5678") && !conflict.stderr.contains("1234 "))
        let town = try temporary.recovery(["append", "--event", eventLine(
            id: "enrol-2", participant: "P-2", type: "enrolled", data: #"{"program":"community_detox","town":"138-1234-5678","employable":true}"#)])
        #expect(town.status == 65 && !town.stderr.contains("1234"))
        let duplicate = try temporary.recovery(["append", "--event", #"{"type":"check_in","participant":"P-1","at":"2022-03-01","actor":"a","data":{"138 1234 5678":1,"138 1234 5678":2}}"#])
        #expect(duplicate.status == 65 && !duplicate.stderr.contains("1234"))
        for arguments in [["balance", "138-1234-5678"], ["audit", "13812345678"], ["alerts", "--town", "138.1234.5678"],
                          ["stats", "--year", "2022", "--town", "+8613812345678"]] {
            let outcome = try temporary.recovery(arguments)
            #expect(outcome.status == 65 && outcome.stderr.contains("138****5678") && !outcome.stderr.contains("1234"), "\(arguments)")
        }
    }

    @Test("rules adopt: the actor, the document's names and comments, and a city document are screened")
    func documentsAreScreened() throws {
        let temporary = try TemporaryStore().initialised()
        let standard = PointsRules.defaultDocument
        let cases: [(document: String, expected: String)] = [
            (standard.replacingOccurrences(of: "name = \"2021\"", with: "name = \"138 1234 5678\""), "line 2: version[1].name:"),
            (standard.replacingOccurrences(of: "# unique\n", with: "# 联系 138-1234-5678\n"), "line 2:"),
            ("# 110105 19491231 002X\n" + standard, "line 1:"),
        ]
        for (index, (document, expected)) in cases.enumerated() {
            let file = temporary.file("rules-\(index).toml")
            try Data(document.utf8).write(to: file)
            for command in [["rules", "diff", file.path], ["rules", "adopt", file.path, "--actor", "office-1"]] {
                let outcome = try temporary.recovery(command)
                #expect(outcome.status == 65 && outcome.stderr.contains(expected), "\(outcome.stderr)")
                #expect(!outcome.stderr.contains("1234") && !outcome.stderr.contains("19491231"))
            }
        }
        let clean = temporary.file("clean.toml")
        try Data(standard.utf8).write(to: clean)
        for actor in ["13812345678", "138-1234-5678", "office.138.1234.5678"] {
            let outcome = try temporary.recovery(["rules", "adopt", clean.path, "--actor", actor])
            #expect(outcome.status == 65 && outcome.stderr.contains("--actor") && outcome.stderr.contains("138****5678"), "\(outcome.stderr)")
        }
        #expect(try temporary.headSeq() == 1)
        for (index, city) in [
            "name = \"138 1234 5678\"\n[[town]]\nid = \"a\"\nname = \"A\"\n",
            "name = \"C\"\n[[town]]\nid = \"138-1234-5678\"\nname = \"A\"\n",
            "name = \"C\"\n[[town]]\nid = \"a\"\nname = \"电话 13812345678\"\n",
            "name = \"C 138\"\n[[town]]\nid = \"a\"\nname = \"1234 5678\"\n",
        ].enumerated() {
            let file = temporary.file("city-\(index).toml")
            try Data(city.utf8).write(to: file)
            let store = temporary.file("city-store-\(index)").path
            let outcome = try RecoveryBinary.run(["init", "--city", file.path, "--store", store])
            #expect(outcome.status == 65 && outcome.stderr.contains("138****5678") && !outcome.stderr.contains("1234"), "\(outcome.stderr)")
            #expect(!FileManager.default.fileExists(atPath: store + "/data.mdb"))
        }
    }

    @Test("the sample file, the example of docs/events.md and ordinary ids are accepted")
    func ordinaryInputPasses() throws {
        let temporary = try TemporaryStore().initialised()
        let sample = Self.root.appendingPathComponent("Tools/sample-events.jsonl").path
        #expect(try temporary.recovery(["import", sample]).status == 0)
        let fresh = try TemporaryStore().initialised().enrolled()
        let example = try String(contentsOf: Self.root.appendingPathComponent("docs/events.md"), encoding: .utf8)
            .split(separator: "\n").first { $0.hasPrefix("{\"id\"") }.map(String.init)
        #expect(try fresh.recovery(["append", "--event", try #require(example)]).status == 0)
        for id in ["ci-2022-000123-0001", "P-000123-2022-03-01", "enc-2022-000124"] {
            #expect(try fresh.recovery(["append", "--event", eventLine(id: id, at: "2022-03-01")]).status == 0, "\(id)")
        }
    }

    @Test("every event of the Enping scenario, for several seeds, passes the privacy screen")
    func scenarioPasses() throws {
        for seed: UInt64 in [2022, 7, 31] {
            var refused: [String] = []
            for line in EnpingScenario.jsonLines(seed: seed).split(separator: "\n") {
                let event = try EventInputParser.parse(String(line)).get()
                if PrivacyScreen.check(event) != nil, refused.count < 5 { refused.append(String(line)) }
            }
            #expect(refused.isEmpty, "seed \(seed): \(refused)")
        }
    }

    // MARK: Item 8: arguments that are not UTF-8

    /// Runs `recovery` through /bin/sh, which can pass bytes Foundation's `Process` cannot:
    /// `$BAD` in `arguments` is replaced by the bytes of printf's `format`.
    private func runWithRawBytes(_ arguments: String, format: String, store: String, stdin: [UInt8]? = nil) throws -> RecoveryBinary.Outcome {
        let script = "BAD=$(printf '\(format)'); exec \"$0\" \(arguments) --store \"$1\""
        return try RecoveryBinary.runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", script, try RecoveryBinary.executable().path, store],
                                             stdin: stdin, environment: ["EVENT_START": #"{"id":"u1","type":"education_completed","participant":"P-000123","at":"2022-03-01","actor":"a","data":{"course":""#, "EVENT_END": #""}}"#])
    }

    @Test("an argument that is not UTF-8 is refused with 65, naming it, and nothing lands")
    func invalidUTF8Arguments() throws {
        let temporary = try TemporaryStore().initialised().enrolled()
        let head = try temporary.headSeq()
        let separate = try runWithRawBytes(#"append --event "$EVENT_START$BAD$EVENT_END""#, format: #"x\377y"#, store: temporary.store)
        #expect(separate.status == 65 && separate.stderr.contains("--event") && separate.stderr.contains("UTF-8"), "\(separate.stderr)")
        let joined = try runWithRawBytes(#"append "--event=$EVENT_START$BAD$EVENT_END""#, format: #"\300\200"#, store: temporary.store)
        #expect(joined.status == 65 && joined.stderr.contains("--event=") && joined.stderr.contains("UTF-8"), "\(joined.stderr)")
        let positional = try runWithRawBytes(#"import "file-$BAD.jsonl""#, format: #"\355\240\200"#, store: temporary.store)
        #expect(positional.status == 65 && positional.stderr.contains("argument 2"), "\(positional.stderr)")
        var bytes = Array(#"{"id":"u2","type":"education_completed","participant":"P-000123","at":"2022-03-01","actor":"a","data":{"course":"x"#.utf8)
        bytes += [0xFF] + Array(#""}}"#.utf8)
        #expect(try RecoveryBinary.run(["append", "--store", temporary.store], stdin: bytes).status == 65)
        #expect(try temporary.headSeq() == head)
        let valid = try runWithRawBytes(#"append --event "$EVENT_START$BAD$EVENT_END""#, format: #"\344\270\255"#, store: temporary.store)
        #expect(valid.status == 0, "valid UTF-8 (中) passes: \(valid.stderr)")
    }

    // MARK: Item 9: TOML documents and output

    @Test("arrays nested 30,000 deep are refused with the line, not a crash: rules diff, rules adopt, init --city")
    func deepNesting() throws {
        let temporary = try TemporaryStore().initialised()
        let deep = "name = \"C\"\nx = " + String(repeating: "[", count: 30_000) + String(repeating: "]", count: 30_000) + "\n"
        let file = temporary.file("deep.toml")
        try Data(deep.utf8).write(to: file)
        for command in [["rules", "diff", file.path], ["rules", "adopt", file.path, "--actor", "o"]] {
            let outcome = try temporary.recovery(command)
            #expect(outcome.status == 65 && outcome.stderr.contains("line 2: x: arrays nested deeper than"), "\(outcome.stderr)")
        }
        let city = try RecoveryBinary.run(["init", "--city", file.path, "--store", temporary.file("deep-store").path])
        #expect(city.status == 65 && city.stderr.contains("line 2: x: arrays nested deeper than"), "\(city.stderr)")
    }

    @Test("documents with CRLF line endings behave exactly like their LF versions")
    func crlf() throws {
        let changed = PointsRules.defaultDocument.replacingOccurrences(of: "check_in = 2 ", with: "check_in = 3 ")
        let city = "name = \"恩平市\"\r\n[[town]]\r\nid = \"encheng\"\r\nname = \"恩城街道\" # the centre\r\n"
        var outputs: [[String]] = []
        for lineEnd in ["\n", "\r\n"] {
            let temporary = try TemporaryStore()
            let cityFile = temporary.file("city.toml")
            try Data(city.replacingOccurrences(of: "\r\n", with: lineEnd).utf8).write(to: cityFile)
            #expect(try temporary.recovery(["init", "--city", cityFile.path]).status == 0)
            _ = try temporary.enrolled()
            #expect(try temporary.recovery(["append", "--event", eventLine(id: "c1")]).status == 0)
            let rules = temporary.file("rules.toml")
            try Data(changed.replacingOccurrences(of: "\n", with: lineEnd).utf8).write(to: rules)
            let diff = try temporary.recovery(["rules", "diff", rules.path])
            let adopt = try temporary.recovery(["rules", "adopt", rules.path, "--actor", "office", "--retroactive", "--reason", "test", "--json"])
            let shown = try temporary.recovery(["rules", "show", "--format", "json"])
            let stats = try temporary.recovery(["stats", "--year", "2022"])
            #expect([diff, adopt, shown, stats].allSatisfy { $0.status == 0 }, "\(diff.stderr)\(adopt.stderr)\(stats.stderr)")
            // The adoption's own record (its time) differs between the two runs; the rules do not.
            let rulesShown = shown.stdout.replacingOccurrences(of: #""adoption":\{[^}]*\},"#, with: "", options: .regularExpression)
            outputs.append([diff.stdout, adopt.stdout, rulesShown, stats.stdout])
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0][0].contains("1 balances change"))
    }

    @Test("control characters in city, town and rules names are refused with line and key", arguments: [
        (true, "name = \"C\\u001b[2J\"\n[[town]]\nid = \"a\"\nname = \"A\"\n", "line 1: name: contains a control character"),
        (true, "name = \"C\"\n[[town]]\nid = \"a\"\nname = 'A\u{1B}[31m'\n", "line 4: town[1].name: contains a control character (\\u{1B})"),
        (true, "name = \"C\"\n[[town]]\nid = \"a\"\nname = \"A\\nrecovery: forged\"\n", "line 4: town[1].name: contains a control character (\\u{A})"),
        (true, "name = \"C\u{2028}D\"\n[[town]]\nid = \"a\"\nname = \"A\"\n", "line 1: name: contains a control character (\\u{2028})"),
        (true, "name = \"C\"\n[[town]]\nid = \"a\"\nname = \"\u{202E}A\"\n", "line 4: town[1].name: contains a control character (\\u{202E})"),
        (true, "name = \"C\" # \u{1B}[2J\n[[town]]\nid = \"a\"\nname = \"A\"\n", "line 1: control character \\u{1B}"),
        (false, "name = \"v\\u009b1\"", "line 2: version[1].name: contains a control character (\\u{9B})"),
        (false, "name = \"v\\u2066\"", "line 2: version[1].name: contains a control character (\\u{2066})"),
    ])
    func controlCharactersInNames(_ isCity: Bool, _ text: String, _ expected: String) throws {
        let temporary = try TemporaryStore().initialised()
        let file = temporary.file("document.toml")
        let document = isCity ? text : PointsRules.defaultDocument.replacingOccurrences(of: "name = \"2021\"", with: text)
        try Data(document.utf8).write(to: file)
        let outcome = isCity
            ? try RecoveryBinary.run(["init", "--city", file.path, "--store", temporary.file("other").path])
            : try temporary.recovery(["rules", "adopt", file.path, "--actor", "office"])
        #expect(outcome.status == 65 && outcome.stderr.contains(expected), "\(outcome.stderr)")
        #expect(!outcome.stderr.unicodeScalars.contains { DisplayText.isUnsafe($0) && $0 != "\n" })
        #expect(outcome.stderr.split(separator: "\n").count == 1)
    }

    @Test("names stored before the checks cannot forge output: tables and text escape them")
    func outputIsEscaped() throws {
        let temporary = try TemporaryStore()
        let hostileTown = "North\nrecovery: forged\u{1B}[2J\u{202E}"
        do {
            let ledger = try Ledger.create(at: temporary.store, city: City(name: "Evil\u{1B}]0;title\u{7}", towns: [Town(id: "north", name: hostileTown)]))
            _ = ledger
        }
        let enrolment = eventLine(id: "enrol-P-000123", type: "enrolled", at: "2022-01-05",
                                  data: #"{"program":"community_detox","town":"north","employable":true}"#)
        #expect(try temporary.recovery(["append", "--event", enrolment]).status == 0)
        #expect(try temporary.recovery(["append", "--event", eventLine(id: "c1")]).status == 0)
        let rules = PointsRules.defaultDocument.replacingOccurrences(of: "name = \"2021\"", with: #"name = "v\u001b[31m""#)
            + "# adopted before control characters were refused \u{1B}[2J\n"
        do { _ = try Ledger.open(at: temporary.store).adopt(try PointsRules(document: rules), actor: "office") }
        let outputs = [
            try temporary.recovery(["stats", "--year", "2022", "--lang", "zh"]), try temporary.recovery(["alerts", "--as-of", "2022-12-31", "--lang", "zh"]),
            try temporary.recovery(["audit", "P-000123"]), try temporary.recovery(["rules", "show"]),
            try temporary.recovery(["log"]),
        ]
        for outcome in outputs {
            #expect(outcome.status == 0, "\(outcome.stderr)")
            #expect(!outcome.stdout.unicodeScalars.contains { DisplayText.isUnsafe($0) && $0 != "\n" }, "\(outcome.stdout)")
            #expect(!outcome.stdout.contains("\nrecovery: forged"))
        }
        #expect(outputs[0].stdout.contains(#"North\u{A}recovery: forged\u{1B}[2J\u{202E}"#) && outputs[0].stdout.contains(#"Evil\u{1B}]0;title\u{7}"#))
        #expect(outputs[1].stdout.contains(#"North\u{A}recovery"#))
        #expect(outputs[2].stdout.contains(#"v\u{1B}[31m"#) && outputs[3].stdout.contains(#"name = "v\u001b[31m""#))
        #expect(outputs[3].stdout.contains(#"refused \u{1B}[2J"#))
        let unknownTown = try temporary.recovery(["alerts", "--town", "x\u{1B}[2J\ny"])
        #expect(unknownTown.status == 65 && unknownTown.stderr.contains(#"x\u{1B}[2J\u{A}y is not a town of Evil\u{1B}]0;title\u{7}"#))
        #expect(unknownTown.stderr.split(separator: "\n").count == 1)
    }

    @Test("data strings repeated in messages are escaped; JSON output escapes control characters")
    func messagesAndJSON() throws {
        let temporary = try TemporaryStore().initialised().enrolled()
        let town = try temporary.recovery(["append", "--event", eventLine(
            id: "enrol-2", participant: "P-2", type: "enrolled", data: #"{"program":"community_detox","town":"x\u001b[2J\nrecovery: forged","employable":true}"#)])
        #expect(town.status == 65 && town.stderr.contains(#""x\u{1B}[2J\u{A}recovery: forged" is not a town"#), "\(town.stderr)")
        #expect(town.stderr.split(separator: "\n").count == 1 && !town.stderr.contains("\u{1B}"))
        let void = try temporary.recovery(["append", "--event", eventLine(id: "v1", type: "voided", data: #"{"event":"nope\r\u001b[1A","reason":"r"}"#)])
        #expect(void.status == 65 && void.stderr.contains(#""nope\u{D}\u{1B}[1A""#), "\(void.stderr)")
        #expect(try temporary.recovery(["append", "--event", course(#"a\u001bb\u0007\n"#)]).status == 0)
        let log = try temporary.recovery(["log", "--format", "jsonl"]).stdout
        #expect(log.contains(#""course":"a\u001bb\u0007\n""#) && !log.contains("\u{1B}") && !log.contains("\u{7}"))
        let audit = try temporary.recovery(["audit", "P-000123", "--json"]).stdout
        #expect(audit.contains(#"a\u001bb\u0007\n"#) && !audit.contains("\u{1B}"))
    }
}

@Suite("CLI contract: hostile input before parsing")
struct HostileArgumentTests {
    @Test("an unknown envelope field and a bad option value are repeated escaped and masked")
    func repeatedArguments() throws {
        let temporary = try TemporaryStore().initialised()
        let field = try temporary.recovery(["append", "--event", #"{"type":"check_in","participant":"P-1","at":"2022-03-01","actor":"a","138 1234 5678\u001b":1}"#])
        #expect(field.status == 65 && field.stderr.contains("[138****5678]: unknown field") && !field.stderr.contains("1234"), "\(field.stderr)")
        let option = try temporary.recovery(["log", "--limit", "x\u{1B}[2J"])
        #expect(option.status == 64 && option.stderr.contains(#"x\u{1B}[2J"#) && !option.stderr.contains("\u{1B}"), "\(option.stderr)")
        let help = try RecoveryBinary.run(["--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE") && help.stderr.isEmpty)
        let damage = try temporary.recovery(["log", "--limit", "0"])
        #expect(damage.status == 0 && damage.stderr.isEmpty)
    }
}
