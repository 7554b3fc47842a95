import Foundation
import Testing

@Suite("CLI contract: init, append, import, log, verify")
struct ContractTests {
    @Test("init creates an owner-only ledger; a second init fails with 73 and changes nothing")
    func initTwice() throws {
        let temporary = try TemporaryStore()
        #expect(try temporary.recovery(["init"]).status == 0)
        #expect(try temporary.headSeq() == 1, "init appends exactly one event: the adopted rules")
        #expect(try temporary.recovery(["append", "--event", enrolmentLine("P-1")]).status == 0)
        let second = try temporary.recovery(["init"])
        #expect(second.status == 73)
        #expect(second.stderr.contains(temporary.store))
        #expect(try temporary.headSeq() == 2)
        let folderMode = try FileManager.default.attributesOfItem(atPath: temporary.store)[.posixPermissions] as? Int
        #expect(folderMode == 0o700)
        for file in ["data.mdb", "lock.mdb"] {
            let mode = try FileManager.default.attributesOfItem(atPath: temporary.store + "/" + file)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
    }

    @Test("commands on a folder without a ledger fail with 66 and suggest init", arguments: [
        ["log"], ["verify"], ["append", "--event", eventLine(id: "x")],
    ])
    func noLedger(_ arguments: [String]) throws {
        let temporary = try TemporaryStore()
        let outcome = try temporary.recovery(arguments)
        #expect(outcome.status == 66)
        #expect(outcome.stderr.contains(temporary.store) && outcome.stderr.contains("recovery init"))
        #expect(!FileManager.default.fileExists(atPath: temporary.store + "/data.mdb"))
    }

    @Test("the store comes from --store, else RECOVERY_STORE, else ./recovery-data")
    func storeResolution() throws {
        let temporary = try TemporaryStore()
        let viaEnvironment = try RecoveryBinary.run(["init"], environment: ["RECOVERY_STORE": temporary.store])
        #expect(viaEnvironment.status == 0)
        #expect(FileManager.default.fileExists(atPath: temporary.store + "/data.mdb"))
        let executable = try RecoveryBinary.executable()
        let viaDefault = try RecoveryBinary.runProgram(
            executable, ["init"], environment: ["RECOVERY_STORE": ""], currentDirectory: temporary.folder)
        #expect(viaDefault.status == 0)
        #expect(FileManager.default.fileExists(atPath: temporary.folder.path + "/recovery-data/data.mdb"))
    }

    @Test("append prints the seq; a duplicate prints the existing seq; a conflict is 65")
    func appendAndIdempotency() throws {
        let temporary = try TemporaryStore().initialised().enrolled()
        let base = try temporary.headSeq()
        #expect(try temporary.recovery(["append", "--event", eventLine(id: "enc-1")]).stdout == "\(base + 1)\n")
        let fromStandardInput = try temporary.recovery(["append", "--json"], stdin: eventLine(id: "enc-2"))
        #expect(fromStandardInput.stdout == "{\"seq\":\(base + 2),\"duplicate\":false}\n")
        let sameInstant = eventLine(id: "enc-1", at: "2022-03-01T01:30:00Z")
        #expect(try temporary.recovery(["append", "--json", "--event", sameInstant]).stdout == "{\"seq\":\(base + 1),\"duplicate\":true}\n")
        let conflict = try temporary.recovery(["append", "--event", eventLine(id: "enc-1", data: #"{"channel":"online"}"#)])
        #expect(conflict.status == 65)
        #expect(conflict.stderr.contains("enc-1") && conflict.stderr.contains("seq \(base + 1)"))
        #expect(try temporary.headSeq() == base + 2)
    }

    @Test("--expect-version: refused unless the stream holds exactly N events; duplicates first")
    func expectVersion() throws {
        let temporary = try TemporaryStore().initialised()
        #expect(try temporary.recovery(["append", "--expect-version", "0", "--event", enrolmentLine("P-000123")]).status == 0)
        #expect(try temporary.recovery(["append", "--expect-version", "1", "--event", eventLine(id: "a")]).status == 0)
        let stale = try temporary.recovery(["append", "--expect-version", "1", "--event", eventLine(id: "b")])
        #expect(stale.status == 65)
        #expect(stale.stderr.contains("actual version 2"))
        let retried = try temporary.recovery(["append", "--json", "--expect-version", "0", "--event", eventLine(id: "a")])
        #expect(retried.status == 0 && retried.stdout.contains("\"duplicate\":true"))
        #expect(try temporary.recovery(["append", "--expect-version", "2", "--event", eventLine(id: "b")]).stdout == "4\n")
        #expect(try temporary.headSeq() == 4)
    }

    static let invalidLines: [(line: String, expected: String)] = [
        (#"{"type":"check_in","participant":"P-1","at":"2022-03-01","actor":"a","extra":1}"#, "line 2: extra:"),
        (#"{"participant":"P-1","at":"2022-03-01","actor":"a"}"#, "line 2: type:"),
        (#"{"type":"1check","participant":"P-1","at":"2022-03-01","actor":"a"}"#, "line 2: type:"),
        (#"{"type":"check_in","at":"2022-03-01","actor":"a"}"#, "line 2: participant:"),
        (#"{"type":"check_in","participant":"P 1","at":"2022-03-01","actor":"a"}"#, "line 2: participant:"),
        (#"{"type":"check_in","participant":"P-123456789012345678901234567890123","at":"2022-03-01","actor":"a"}"#, "line 2: participant:"),
        (#"{"type":"check_in","participant":"P-1","actor":"a"}"#, "line 2: at:"),
        (#"{"type":"check_in","participant":"P-1","at":"2022-03-01T09:30:00","actor":"a"}"#, "line 2: at:"),
        (#"{"type":"check_in","participant":"P-1","at":"2022-02-29","actor":"a"}"#, "line 2: at:"),
        (#"{"type":"check_in","participant":"P-1","at":"2022-03-01"}"#, "line 2: actor:"),
        (#"{"type":"check_in","participant":"P-1","at":"2022-03-01","actor":"a:b"}"#, "line 2: actor:"),
        (#"{"id":"","type":"check_in","participant":"P-1","at":"2022-03-01","actor":"a"}"#, "line 2: id:"),
        (#"{"id":"a b","type":"check_in","participant":"P-1","at":"2022-03-01","actor":"a"}"#, "line 2: id:"),
        (#"{"type":"check_in","participant":"P-1","at":"2022-03-01","actor":"a","data":"x"}"#, "line 2: data:"),
        (#"{"type":"check_in","participant":1,"at":"2022-03-01","actor":"a"}"#, "line 2: participant:"),
        (#"{"type":"check_in","participant":"P-1","at":"2022-03-01","actor":"a"#, "line 2: invalid JSON"),
        (#"{"type":"check_in","type":"x","participant":"P-1","at":"2022-03-01","actor":"a"}"#, "line 2: invalid JSON"),
        (#"["check_in"]"#, "line 2: invalid JSON"),
    ]

    @Test("import refuses each bad line with 65, names line and field, and appends nothing", arguments: invalidLines)
    func importRejects(_ bad: (line: String, expected: String)) throws {
        let temporary = try TemporaryStore().initialised().enrolled(["P-000123", "P-1"])
        let base = try temporary.headSeq()
        let file = try temporary.jsonLines("bad.jsonl", [eventLine(id: "ok-1"), bad.line, eventLine(id: "ok-3")])
        let outcome = try temporary.recovery(["import", file])
        #expect(outcome.status == 65)
        #expect(outcome.stderr.contains(bad.expected), "stderr was: \(outcome.stderr)")
        #expect(outcome.stderr.split(separator: "\n").count == 1, "only the bad line is reported: \(outcome.stderr)")
        #expect(try temporary.headSeq() == base)
    }

    @Test("invalid UTF-8 and over-long lines are refused with their line number")
    func rawBytesRejected() throws {
        let temporary = try TemporaryStore().initialised().enrolled()
        var bytes = Array((eventLine(id: "ok") + "\n").utf8)
        bytes += Array(#"{"type":"check_in","participant":"P-1","at":"2022-03-01","actor":"a","data":{"n":""#.utf8) + [0xC3, 0x28] + Array("\"}}\n".utf8)
        bytes += Array((eventLine(id: "long", data: #"{"n":""# + String(repeating: "x", count: 70_000) + #""}"#) + "\n").utf8)
        let url = temporary.file("bytes.jsonl")
        try Data(bytes).write(to: url)
        let outcome = try temporary.recovery(["import", url.path])
        #expect(outcome.status == 65)
        #expect(outcome.stderr.contains("line 2: invalid JSON") && outcome.stderr.contains("UTF-8"))
        #expect(outcome.stderr.contains("line 3:") && outcome.stderr.contains("64 KiB"))
        #expect(try temporary.headSeq() == 2)
    }

    @Test("at most 20 errors are printed, then how many more there were")
    func errorListIsCapped() throws {
        let temporary = try TemporaryStore().initialised()
        let lines = (1 ... 30).map { _ in #"{"type":"check_in"}"# }
        let outcome = try temporary.recovery(["import", try temporary.jsonLines("many.jsonl", lines)])
        #expect(outcome.status == 65)
        let errorLines = outcome.stderr.split(separator: "\n")
        #expect(errorLines.count == 21)
        #expect(errorLines.last?.contains("10 more") == true)
    }

    @Test("errors deep in a long file name their own lines, and a conflict the earlier line, across chunks of preparation")
    func errorsAcrossChunks() throws {
        let temporary = try TemporaryStore().initialised()
        var lines = [enrolmentLine("P-1")] + (1 ..< 12_000).map { eventLine(id: "ev-\($0)", participant: "P-1") }
        lines[4_096] = ""  // line 4097 blank: skipped, numbering goes on
        lines[4_100] = eventLine(id: "ev-x", participant: "P-1", type: "intake")  // line 4101
        lines[9_000] = #"{"type":"check_in""#  // line 9001: not JSON
        lines[11_000] = eventLine(id: "ev-5", participant: "P-1", at: "2022-03-02T09:30:00+08:00")  // line 11001: conflicts with line 6
        let outcome = try temporary.recovery(["import", try temporary.jsonLines("long.jsonl", lines)])
        #expect(outcome.status == 65)
        let errors = outcome.stderr.split(separator: "\n").map(String.init)
        #expect(errors.count == 3)
        #expect(errors.first?.hasPrefix("recovery: line 4101: type:") == true)
        #expect(errors.dropFirst().first?.hasPrefix("recovery: line 9001:") == true)
        #expect(errors.last?.hasPrefix("recovery: line 11001: id:") == true && errors.last?.contains("line 6") == true)
        #expect(try temporary.headSeq() == 1, "nothing is appended")
        lines[4_100] = eventLine(id: "ev-x", participant: "P-1")
        lines[9_000] = eventLine(id: "ev-y", participant: "P-1")
        lines[11_000] = eventLine(id: "ev-z", participant: "P-1")
        let good = try jsonObject(try temporary.recovery(["import", try temporary.jsonLines("good.jsonl", lines), "--json"]).stdout)
        #expect(good["appended"] as? Int == 11_999)
        #expect(try temporary.recovery(["rebuild", "--check"]).status == 0)
    }

    @Test("re-importing a file appends nothing and reports every duplicate; blank lines are skipped")
    func reimportIsIdempotent() throws {
        let temporary = try TemporaryStore().initialised()
        let lines = (0 ..< 5).map { enrolmentLine("P-\($0)") } + (1 ... 50).map { eventLine(id: "ev-\($0)", participant: "P-\($0 % 5)") } + ["", "   "]
        let file = try temporary.jsonLines("events.jsonl", lines)
        let first = try jsonObject(try temporary.recovery(["import", file, "--json"]).stdout)
        #expect(first["appended"] as? Int == 55 && first["duplicates"] as? Int == 0)
        #expect(first["first_seq"] as? Int == 2 && first["last_seq"] as? Int == 56)
        let second = try jsonObject(try temporary.recovery(["import", file, "--json"]).stdout)
        #expect(second["appended"] as? Int == 0 && second["duplicates"] as? Int == 55)
        #expect(second["first_seq"] is NSNull && second["last_seq"] is NSNull)
        #expect(try temporary.headSeq() == 56)
    }

    @Test("two lines with one id: identical is a duplicate, different is a conflict naming the earlier line")
    func duplicatesWithinAFile() throws {
        let temporary = try TemporaryStore().initialised().enrolled(["P-000123", "P-2"])
        let same = try temporary.jsonLines("same.jsonl", [eventLine(id: "d"), eventLine(id: "d", at: "2022-03-01T01:30:00Z")])
        let summary = try jsonObject(try temporary.recovery(["import", same, "--json"]).stdout)
        #expect(summary["appended"] as? Int == 1 && summary["duplicates"] as? Int == 1)
        let clash = try temporary.jsonLines("clash.jsonl", [eventLine(id: "e"), eventLine(id: "x"), eventLine(id: "e", participant: "P-2")])
        let outcome = try temporary.recovery(["import", clash])
        #expect(outcome.status == 65)
        #expect(outcome.stderr.contains("line 3: id:") && outcome.stderr.contains("line 1"))
        #expect(try temporary.headSeq() == 4)
    }

    @Test("import reads standard input with -")
    func importFromStandardInput() throws {
        let temporary = try TemporaryStore().initialised().enrolled()
        let outcome = try temporary.recovery(["import", "-", "--json"], stdin: eventLine(id: "s1") + "\n" + eventLine(id: nil) + "\n")
        #expect(try jsonObject(outcome.stdout)["appended"] as? Int == 2)
    }

    @Test("log filters by participant, start seq and limit; jsonl carries hash and record")
    func logReads() throws {
        let temporary = try TemporaryStore().initialised().enrolled(["P-0", "P-1", "P-2"])  // seq 2–4
        let lines = (1 ... 12).map { eventLine(id: "ev-\($0)", participant: "P-\($0 % 3)") }  // seq 5–16
        _ = try temporary.recovery(["import", try temporary.jsonLines("e.jsonl", lines)])
        let stream = try temporary.recovery(["log", "--participant", "P-1", "--format", "jsonl"]).stdout
        let seqs = try stream.split(separator: "\n").map { try jsonObject(String($0))["seq"] as? Int }
        #expect(seqs == [3, 5, 8, 11, 14])
        let page = try temporary.recovery(["log", "--from", "5", "--limit", "3", "--format", "jsonl"]).stdout
        let pageObjects = try page.split(separator: "\n").map { try jsonObject(String($0)) }
        #expect(pageObjects.map { $0["seq"] as? Int } == [5, 6, 7])
        let tail = try temporary.recovery(["log", "--participant", "P-1", "--from", "9", "--limit", "1", "--format", "jsonl"]).stdout
        #expect(try jsonObject(tail)["seq"] as? Int == 11)
        let first = try #require(pageObjects.first)
        #expect((first["hash"] as? String)?.count == 64)
        #expect(first["record"] is String && first["recorded_at"] is String)
        #expect(first["at"] as? String == "2022-03-01T01:30:00.000Z")
        let table = try temporary.recovery(["log", "--from", "5", "--limit", "2"]).stdout
        #expect(table.contains("2022-03-01 09:30:00") && table.split(separator: "\n").count == 3)
    }

    @Test("verify --digest accepts the published head and refuses another")
    func verifyDigest() throws {
        let temporary = try TemporaryStore().initialised().enrolled()  // seq 1–2
        _ = try temporary.recovery(["import", try temporary.jsonLines("e.jsonl", (1 ... 3).map { eventLine(id: "e\($0)") })])
        let report = try jsonObject(try temporary.recovery(["verify", "--json"]).stdout)
        let head = try #require(report["head_hash"] as? String)
        _ = try temporary.recovery(["append", "--event", eventLine(id: "later")])
        #expect(try temporary.recovery(["verify", "--digest", "5:\(head)"]).status == 0)
        let wrong = String(head.reversed())
        let refused = try temporary.recovery(["verify", "--json", "--digest", "5:\(wrong)"])
        #expect(refused.status == 1)
        #expect(try jsonObject(refused.stdout)["first_bad_seq"] as? Int == 5)
    }

    @Test("bad usage exits 64", arguments: [["log", "--format", "xml"], ["verify", "--digest", "nope"], ["import"], ["frobnicate"]])
    func badUsage(_ arguments: [String]) throws {
        let temporary = try TemporaryStore().initialised()
        #expect(try temporary.recovery(arguments).status == 64)
    }
}
