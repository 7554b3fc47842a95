import Foundation
import LMDB
import Testing
@preconcurrency import Glibc

/// Crash, concurrency and corruption behaviour, tested for real: processes are killed,
/// writers race, bytes are flipped in the stored data.
@Suite("Crashes, concurrent writers and tampering")
struct ProcessFaultTests {
    /// The 500 participants of `largeFile`, each enrolled by an identical first line (so a
    /// second file's enrolments are duplicates, not conflicts).
    static let enrolments = (0 ..< 500).map { enrolmentLine("P-\($0)") }

    /// A file of the 500 enrolments and `count` check-ins with ids, spread over them.
    private func largeFile(_ temporary: TemporaryStore, _ name: String, count: Int, prefix: String) throws -> String {
        let lines = (0 ..< count).map {
            eventLine(id: "\(prefix)-\($0)", participant: "P-\($0 % 500)", data: #"{"channel":"in_person"}"#)
        }
        return try temporary.jsonLines(name, Self.enrolments + lines)
    }

    /// Starts `recovery` without waiting for it.
    private func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = try RecoveryBinary.executable()
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    private func seconds(since start: Date) -> Double { Date().timeIntervalSince(start) }

    @Test("SIGKILL at random moments of an import leaves all of the file or none, and a re-run completes it")
    func killDuringImport() throws {
        let files = try TemporaryStore()
        let file = try largeFile(files, "big.jsonl", count: 20_000, prefix: "crash")
        let count = 20_500
        // Measure one import, so kills land while it runs.
        let timing = try TemporaryStore().initialised()
        let began = Date()
        #expect(try timing.recovery(["import", file]).status == 0)
        let duration = seconds(since: began)

        // Kill until ten imports really died by SIGKILL (an import that finished first does not count).
        var kills = 0
        var rounds = 0
        while kills < 10 && rounds < 40 {
            rounds += 1
            let temporary = try TemporaryStore().initialised()
            let process = try start(["import", file, "--store", temporary.store])
            usleep(useconds_t(duration * Double.random(in: 0.02 ... 0.7) * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            guard process.terminationReason == .uncaughtSignal else { continue }
            kills += 1
            let landed = try temporary.headSeq() - 1  // verify must pass after the crash; seq 1 is init's rules
            #expect(landed == 0 || landed == count, "round \(rounds): \(landed) events after a kill")
            let rerun = try jsonObject(try temporary.recovery(["import", file, "--json"]).stdout)
            #expect(rerun["appended"] as? Int == count - landed)
            #expect(rerun["duplicates"] as? Int == landed)
            #expect(try temporary.headSeq() == count + 1)
            #expect(try temporary.recovery(["rebuild", "--check"]).status == 0)
        }
        #expect(kills == 10, "only \(kills) of \(rounds) imports were still running when killed")
    }

    @Test("two importers at once: both succeed, seq stays gap-free, the chain verifies")
    func concurrentImporters() throws {
        let temporary = try TemporaryStore().initialised()
        let first = try largeFile(temporary, "a.jsonl", count: 8000, prefix: "a")
        let second = try largeFile(temporary, "b.jsonl", count: 8000, prefix: "b")
        let importers = try [first, second].map { try start(["import", $0, "--store", temporary.store]) }
        importers.forEach { $0.waitUntilExit() }
        #expect(importers.map(\.terminationStatus) == [0, 0])
        let total = 1 + 500 + 16_000
        #expect(try temporary.headSeq() == total)
        let seqs = try temporary.recovery(["log", "--format", "jsonl"]).stdout.split(separator: "\n").map {
            try jsonObject(String($0))["seq"] as? Int ?? 0
        }
        #expect(seqs == Array(1 ... total))
        #expect(try temporary.recovery(["rebuild", "--check"]).status == 0)
    }

    @Test("concurrent single appends from several processes keep the sequence gap-free")
    func concurrentAppenders() throws {
        let temporary = try TemporaryStore().initialised().enrolled()
        let appenders = try (0 ..< 6).map { writer in
            try (0 ..< 10).map { index in
                try start(["append", "--store", temporary.store, "--event", eventLine(id: "w\(writer)-\(index)")])
            }
        }.flatMap { $0 }
        appenders.forEach { $0.waitUntilExit() }
        #expect(appenders.allSatisfy { $0.terminationStatus == 0 })
        #expect(try temporary.headSeq() == 62)
        #expect(try temporary.recovery(["rebuild", "--check"]).status == 0)
    }

    @Test("readers work while another process imports")
    func readersDoNotBlock() throws {
        let temporary = try TemporaryStore().initialised().enrolled()
        let file = try largeFile(temporary, "big.jsonl", count: 20_000, prefix: "r")
        let importer = try start(["import", file, "--store", temporary.store])
        usleep(200_000)
        let verify = try temporary.recovery(["verify", "--json"])
        let stillImporting = importer.isRunning
        importer.waitUntilExit()
        #expect(verify.status == 0)
        let seen = try jsonObject(verify.stdout)["events"] as? Int
        #expect(seen == 2 || seen == 2 + 20_000)
        if stillImporting { #expect(seen == 2, "a reader during the import sees the last committed state") }
        #expect(importer.terminationStatus == 0)
    }

    @Test("changing one byte of a stored record: verify reports exactly that seq")
    func tamperDetected() throws {
        let temporary = try TemporaryStore().initialised()
        _ = try temporary.recovery(["import", try largeFile(temporary, "e.jsonl", count: 100, prefix: "t")])
        let target = Int.random(in: 1 ... 600)
        try flipByte(inSeq: UInt64(target), store: temporary.store)
        let outcome = try temporary.recovery(["verify", "--json"])
        #expect(outcome.status == 1)
        let report = try jsonObject(outcome.stdout)
        #expect(report["ok"] as? Bool == false)
        #expect(report["first_bad_seq"] as? Int == target)
    }

    /// A test-only raw LMDB write: XORs one byte of the record stored at `seq`.
    private func flipByte(inSeq seq: UInt64, store: String) throws {
        let environment = try Environment.open(path: store)
        let events = try environment.openExistingDatabases(["events"])[0]
        let key = withUnsafeBytes(of: seq.bigEndian) { Array($0) }
        try environment.write { transaction in
            guard var value = try transaction.bytes(in: events, forKey: key) else { throw CLITestFailure("no seq \(seq)") }
            let position = Int.random(in: 32 ..< value.count)
            value[position] ^= 0x10
            try transaction.put(value, forKey: key, in: events)
        }
    }
}
