import EventLog
import Foundation
import Rehabilitation
import Testing

/// Checks that docs/format.md is enough to audit a ledger without this code: the Python
/// checker (Tools/chain_check.py), written from the document alone, re-computes the chain
/// and decodes every record of real `recovery log --format jsonl` output.
@Suite("Independent chain check")
struct IndependentChainCheckTests {
    /// The repository root, from this file's path (Tests/RecoveryCLITests/<file>).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let checker = root.appendingPathComponent("Tools/chain_check.py")
    static let eventCount = 200

    @Test("the Python checker accepts a real log and reports the head hash that verify reports")
    func checkerAcceptsRealLog() throws {
        let ledger = try Ledger()
        let checked = try Self.runPython(Self.checker, stdin: Array(ledger.jsonl.utf8))
        #expect(checked.status == 0, "stderr: \(checked.stderr)")
        #expect(checked.stdout == "ok \(Self.eventCount) \(ledger.headHash)\n")
    }

    @Test("the checker also reads the log from a file argument")
    func checkerReadsFileArgument() throws {
        let ledger = try Ledger()
        let file = ledger.folder.file("log.jsonl")
        try Data(ledger.jsonl.utf8).write(to: file)
        let checked = try Self.runPython(Self.checker, arguments: [file.path])
        #expect(checked.status == 0, "stderr: \(checked.stderr)")
        #expect(checked.stdout == "ok \(Self.eventCount) \(ledger.headHash)\n")
    }

    @Test("a data value changed in the jsonl text (record untouched) is reported at its seq")
    func changedDataIsReported() throws {
        let ledger = try Ledger()
        var lines = ledger.lines
        let seq = 57
        let original = lines[seq - 1]
        let planted = "\"marker\":\"m\(seq)\""
        #expect(original.contains(planted))
        lines[seq - 1] = original.replacingOccurrences(of: planted, with: "\"marker\":\"n\(seq)\"")
        #expect(lines[seq - 1] != original)
        let checked = try Self.runPython(Self.checker, stdin: Array(Self.joined(lines).utf8))
        #expect(checked.status == 1, "stdout: \(checked.stdout) stderr: \(checked.stderr)")
        #expect(checked.stdout.hasPrefix("bad \(seq) "), "stdout: \(checked.stdout)")
        #expect(checked.stdout.contains("data"), "stdout: \(checked.stdout)")
    }

    @Test("a byte changed inside one record's base64 is reported at its seq")
    func changedRecordIsReported() throws {
        let ledger = try Ledger()
        var lines = ledger.lines
        let seq = 120
        let original = lines[seq - 1]
        let marker = "\"record\":\""
        let start = try #require(original.range(of: marker)).upperBound
        let end = try #require(original[start...].firstIndex(of: "\""))
        var base64 = Array(original[start ..< end])
        #expect(base64.count > 16)
        // A character of the first 4-character group: all six of its bits are data bits.
        let position = 2
        base64[position] = base64[position] == "A" ? "B" : "A"
        lines[seq - 1] = String(original[..<start]) + String(base64) + String(original[end...])
        #expect(Data(base64Encoded: String(base64)) != Data(base64Encoded: String(original[start ..< end])))
        let checked = try Self.runPython(Self.checker, stdin: Array(Self.joined(lines).utf8))
        #expect(checked.status == 1, "stdout: \(checked.stdout) stderr: \(checked.stderr)")
        #expect(checked.stdout.hasPrefix("bad \(seq) "), "stdout: \(checked.stdout)")
    }

    @Test("the short reference checker printed in docs/format.md agrees")
    func documentedCheckerAgrees() throws {
        let ledger = try Ledger()
        let document = try String(contentsOf: Self.root.appendingPathComponent("docs/format.md"), encoding: .utf8)
        let opening = try #require(document.range(of: "```python\n"))
        let closing = try #require(document[opening.upperBound...].range(of: "\n```"))
        let script = ledger.folder.file("reference_check.py")
        try Data(document[opening.upperBound ..< closing.lowerBound].utf8).write(to: script)

        let checked = try Self.runPython(script, stdin: Array(ledger.jsonl.utf8))
        #expect(checked.status == 0, "stderr: \(checked.stderr)")
        #expect(checked.stdout == "ok \(Self.eventCount) \(ledger.headHash)\n")

        var lines = ledger.lines
        lines[10] = lines[10].replacingOccurrences(of: "\"marker\":\"m11\"", with: "\"marker\":\"m12\"")
        let tampered = try Self.runPython(script, stdin: Array(Self.joined(lines).utf8))
        #expect(tampered.status == 1)
        #expect(tampered.stdout.hasPrefix("bad 11 "), "stdout: \(tampered.stdout)")
    }

    // MARK: Fixtures

    /// A ledger holding `eventCount` varied events, with its jsonl log and verified head hash.
    struct Ledger {
        let folder: TemporaryStore
        let jsonl: String
        let headHash: String

        var lines: [String] { jsonl.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }

        init() throws {
            folder = try TemporaryStore()
            // The log layer accepts any event type, so the store is written through it directly:
            // the rehabilitation catalogue would refuse these deliberately odd events.
            let log = try EventLog.create(at: folder.store)
            let (_, summary) = try log.appendBatch { writer in
                for line in IndependentChainCheckTests.sampleEvents().split(separator: "\n") {
                    try writer.append(try EventInputParser.parse(String(line)).get())
                }
            }
            #expect(summary.appended == eventCount && summary.firstSeq == 1 && summary.lastSeq == UInt64(eventCount))

            let logged = try RecoveryBinary.run(["log", "--store", folder.store, "--format", "jsonl"])
            try #require(logged.status == 0, "log: \(logged.stderr)")
            jsonl = logged.stdout

            let verified = try RecoveryBinary.run(["verify", "--store", folder.store, "--json"])
            try #require(verified.status == 0, "verify: \(verified.stdout) \(verified.stderr)")
            let report = try #require(
                try JSONSerialization.jsonObject(with: Data(verified.stdout.utf8)) as? [String: Any])
            headHash = try #require(report["head_hash"] as? String)
            #expect(report["events"] as? Int == eventCount)
            #expect(headHash.count == 64)
        }
    }

    /// `eventCount` JSON Lines events: nested objects and arrays, Unicode (raw and escaped,
    /// surrogate pairs), escaped control characters, floats, extreme and negative integers,
    /// keys whose UTF-8 order differs from their written order, events without id or data,
    /// and times before 1970, before 1992 (bare dates in a zone with summer time), with
    /// fractions to truncate and with many offsets. Every event with data holds a unique
    /// `"marker":"m<seq>"` for the tampering tests.
    static func sampleEvents() -> String {
        let times = [
            "2022-03-01T09:30:00+08:00", "2022-03-01", "1985-07-14", "1988-06-01", "1991-09-15",
            "1988-06-01T12:00:00+09:00", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "1900-01-01",
            "1949-10-01T15:00:00.5+08:00", "2022-03-01T09:30:00.123456789+08:00", "2023-11-05T01:30:00-04:00",
            "2024-02-29T23:59:59.999+05:45", "2021-06-30T12:00:00-09:30", "2020-01-01t00:00:00z",
            "0001-01-01T00:00:00Z", "9999-12-31", "1992-01-01", "1960-02-29T08:00:00-00:00",
        ]
        let types = ["intake", "urine_test", "counselling_session", "relapse_reported", "transfer_out", "x9_"]
        let actors = ["cw.li", "dr_wang-2", "Nurse.Zhao", "system"]
        var lines: [String] = []
        for index in 0 ..< eventCount {
            let seq = index + 1
            let data: String? = switch index % 9 {
            case 0: #"{"dose_mg":-12,"drug":"美沙酮","ok":true,"marker":"m\#(seq)"}"#
            case 1: #"{"nested":{"a":{"b":{"c":[1,[2,[3,{"d":null}]]]}}},"empty_object":{},"empty_array":[],"marker":"m\#(seq)"}"#
            case 2: #"{"floats":[0.1,-2.5,1e-7,6.02E23,-0.0,1.0,12345678901234567890,3.141592653589793,5e-324,1.5e300],"marker":"m\#(seq)"}"#
            case 3: #"{"ints":[0,-1,9223372036854775807,-9223372036854775808,-0,\#(seq * 7919 - 500_000)],"marker":"m\#(seq)"}"#
            case 4: #"{"text":"tab\tline\nreturn\r quote\" backslash\\ slash\/ bell\u0007 del\u007f","uni":"\u00e9\ud83d\ude00 中文 😀 e\u0301","marker":"m\#(seq)"}"#
            case 5: #"{"z":1,"":"empty key","a b":"space","Z":2,"a":3,"é":4,"😀":5,"\u0000":"nul key","ключ":"значение","marker":"m\#(seq)"}"#
            case 6: #"{"score":\#(seq * 3 - 400),"flags":[true,false,null],"list":[{"k":"v"},[],"s",-\#(seq).25],"marker":"m\#(seq)"}"#
            case 7: nil
            default: #"{"marker":"m\#(seq)"}"#
            }
            var fields: [String] = []
            if index % 7 != 3 { fields.append(#""id":"imp:2024.batch_1-\#(seq)""#) }
            fields.append(#""type":"\#(types[index % types.count])""#)
            fields.append(#""participant":"P-\#(String(format: "%04d", index % 17))""#)
            fields.append(#""at":"\#(times[index % times.count])""#)
            fields.append(#""actor":"\#(actors[index % actors.count])""#)
            if let data { fields.append(#""data":\#(data)"#) }
            // Vary the member order of the envelope too.
            if index % 2 == 1 { fields.reverse() }
            lines.append("{" + fields.joined(separator: index % 3 == 0 ? ", " : ",") + "}")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Helpers

    static func joined(_ lines: [String]) -> String {
        lines.map { $0 + "\n" }.joined()
    }

    static func runPython(
        _ script: URL, arguments: [String] = [], stdin: [UInt8]? = nil
    ) throws -> RecoveryBinary.Outcome {
        try RecoveryBinary.runProgram(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path] + arguments, stdin: stdin,
            currentDirectory: root)
    }
}
