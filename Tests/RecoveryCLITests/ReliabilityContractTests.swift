import Foundation
import LMDB
import Testing
@preconcurrency import Glibc

/// The smaller contract breaks of the reliability issue, each through the binary.
@Suite("Reliability contracts: damage, permissions, streams")
struct ReliabilityContractTests {
    @Test("one changed byte of the city document: verify fails (1), every other command stops with 70")
    func cityDocumentDamage() throws {
        let temporary = try TemporaryStore().initialised().enrolled()
        do {
            let environment = try Environment.open(path: temporary.store)
            let meta = try environment.openExistingDatabases(["meta"])[0]
            try environment.write { transaction in
                var city = try #require(try transaction.bytes(in: meta, forKey: Array("city".utf8)))
                let at = try #require(city.firstIndex(of: UInt8(ascii: "t")))
                city[at] = UInt8(ascii: ".")  // datian → da.ian, or the like
                try transaction.put(city, forKey: Array("city".utf8), in: meta)
            }
        }
        let verify = try temporary.recovery(["verify", "--json"])
        #expect(verify.status == 1 && verify.stdout.contains("checksum"), "\(verify.stdout)")
        for command in [["stats", "--year", "2022"], ["append", "--event", eventLine(id: "x1")], ["balance", "P-000123"], ["rebuild", "--check"]] {
            let outcome = try temporary.recovery(command)
            #expect(outcome.status == 70 && outcome.stderr.contains("recovery verify"), "\(command[0]): \(outcome.status) \(outcome.stderr)")
        }
    }

    @Test("data.mdb cut to its two meta pages: refused before it is mapped — verify 1, every other command (init too) 70")
    func cutToMetaPages() throws {
        let temporary = try TemporaryStore().initialised().enrolled()
        let data = temporary.store + "/data.mdb"
        #expect(truncate(data, 8192) == 0)
        let verify = try temporary.recovery(["verify"])
        #expect(verify.status == 1 && verify.stdout.contains("truncated"), "\(verify.stdout) \(verify.stderr)")
        for command in [["init"], ["stats", "--year", "2022"], ["log"], ["append", "--event", eventLine(id: "x")], ["backup", temporary.file("b").path]] {
            let outcome = try temporary.recovery(command)
            #expect(outcome.status == 70 && outcome.stderr.contains("recovery verify"), "\(command[0]): \(outcome.status) \(outcome.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: data)).count == 8192, "nothing was written over the damaged store")
    }

    @Test("a damaged largest id-index key: appends without an id and rules adopt finish (no spinning writer)")
    func damagedLargestId() throws {
        let temporary = try TemporaryStore().initialised().enrolled()
        do {
            let environment = try Environment.open(path: temporary.store)
            let ids = try environment.openExistingDatabases(["ids"])[0]
            // A key that is not UTF-8 and sorts after every id: the old writer read it as "no
            // largest id", appended above it, was refused by LMDB, and drew ids forever.
            try environment.write { try $0.put([0, 0, 0, 0, 0, 0, 0, 99], forKey: [0x7A, 0xFF, 0xFE], in: ids) }
        }
        let rules = temporary.file("rules.toml").path
        try Data(try temporary.recovery(["rules", "show"]).stdout.utf8).write(to: URL(fileURLWithPath: rules))
        for command in [["append", "--event", eventLine(id: nil)], ["rules", "adopt", rules, "--actor", "city-office"]] {
            let outcome = try DamageCampaignTests.runBounded(
                try RecoveryBinary.executable(), command + ["--store", temporary.store], seconds: 20)
            guard case .exited(let status, _, let stderr) = outcome else {
                Issue.record("\(command[0]) did not finish: \(outcome)")
                continue
            }
            #expect([0, 70].contains(status), "\(command[0]): \(status) \(stderr)")
        }
        #expect(try temporary.recovery(["verify"]).status == 1, "the stray key is reported")
    }

    /// Runs `recovery` as the unprivileged user `nobody` (root ignores permission bits).
    static func asNobody(_ arguments: [String]) throws -> RecoveryBinary.Outcome {
        try RecoveryBinary.runProgram(
            URL(fileURLWithPath: "/usr/bin/setpriv"),
            ["--reuid=65534", "--regid=65534", "--clear-groups", try RecoveryBinary.executable().path] + arguments)
    }

    static let canDropPrivileges = getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")

    @Test("a store this user may not read is permission denied (70), not 'no ledger' (66); init refuses it with 70",
          .enabled(if: canDropPrivileges, "needs root and setpriv to run as another user"))
    func unreadableStore() throws {
        let temporary = try TemporaryStore().initialised()
        chmod(temporary.folder.path, 0o755)  // the ledger folder itself stays 0700
        let stats = try Self.asNobody(["stats", "--year", "2022", "--store", temporary.store])
        #expect(stats.status == 70 && stats.stderr.lowercased().contains("permission denied"), "\(stats.status) \(stats.stderr)")
        let initialise = try Self.asNobody(["init", "--store", temporary.store])
        #expect(initialise.status == 70 && initialise.stderr.lowercased().contains("permission denied"), "\(initialise.status) \(initialise.stderr)")
    }

    @Test("a read-only store: read-only commands work, writes are permission denied (70)",
          .enabled(if: canDropPrivileges, "needs root and setpriv to run as another user"))
    func readOnlyStore() throws {
        let temporary = try TemporaryStore().initialised().enrolled()
        chmod(temporary.folder.path, 0o755)
        chmod(temporary.store, 0o755)
        for name in ["data.mdb", "lock.mdb", "head.witness"] { chmod(temporary.store + "/" + name, 0o644) }
        for command in [["verify"], ["stats", "--year", "2022"], ["log"], ["balance", "P-000123"], ["audit", "P-000123"], ["alerts"]] {
            let outcome = try Self.asNobody(command + ["--store", temporary.store])
            #expect(outcome.status == 0, "\(command[0]): \(outcome.status) \(outcome.stderr)")
        }
        let append = try Self.asNobody(["append", "--event", eventLine(id: "ro-1"), "--store", temporary.store])
        #expect(append.status == 70 && append.stderr.lowercased().contains("permission denied"), "\(append.status) \(append.stderr)")
    }

    @Test("import reads any stream: a pipe, a FIFO, /dev/stdin, and an empty file")
    func importStreams() throws {
        let temporary = try TemporaryStore().initialised().enrolled()
        let empty = try temporary.recovery(["import", "/dev/null", "--json"])
        #expect(empty.status == 0 && empty.stdout.contains("\"appended\":0"), "\(empty.stderr)")
        let piped = try temporary.recovery(["import", "-", "--json"], stdin: eventLine(id: "pipe-1") + "\n")
        #expect(piped.status == 0 && piped.stdout.contains("\"appended\":1"), "\(piped.stderr)")
        let viaDevice = try temporary.recovery(["import", "/dev/stdin", "--json"], stdin: eventLine(id: "stdin-1") + "\n")
        #expect(viaDevice.status == 0 && viaDevice.stdout.contains("\"appended\":1"), "\(viaDevice.stderr)")
        let fifo = temporary.file("events.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let feeder = Thread {
            if let handle = FileHandle(forWritingAtPath: fifo) {
                handle.write(Data((eventLine(id: "fifo-1") + "\n" + eventLine(id: "fifo-2") + "\n").utf8))
                try? handle.close()
            }
        }
        feeder.start()
        let fromFifo = try temporary.recovery(["import", fifo, "--json"])
        #expect(fromFifo.status == 0 && fromFifo.stdout.contains("\"appended\":2"), "\(fromFifo.stderr)")
        let missing = try temporary.recovery(["import", temporary.file("none.jsonl").path])
        #expect(missing.status == 65 && missing.stderr.contains("No such file"), "\(missing.stderr)")
    }

    @Test("a streamed import refuses an endless line by its number without holding it, and appends nothing")
    func endlessLine() throws {
        let temporary = try TemporaryStore().initialised().enrolled()
        var text = eventLine(id: "ok-1") + "\n" + String(repeating: "x", count: 3 << 20) + "\n" + eventLine(id: "ok-2") + "\n"
        text += eventLine(id: "ok-3", participant: "P-NOBODY") + "\n"
        let file = temporary.file("long.jsonl")
        try Data(text.utf8).write(to: file)
        let outcome = try temporary.recovery(["import", file.path])
        #expect(outcome.status == 65)
        #expect(outcome.stderr.contains("line 2:") && outcome.stderr.contains("line 4:"), "\(outcome.stderr)")
        #expect(try temporary.headSeq() == 2)
    }
}

/// Readers whose parallel scans once deadlocked (or failed with MDB_MAP_RESIZED) while another
/// process grew the store: `rebuild --check`, `rules diff` and appends run again and again
/// during large imports, each under a timeout.
@Suite("Concurrent growth: no deadlock, no spurious failure")
struct ConcurrentGrowthTests {
    @Test("rebuild --check, rules diff and appends during imports that grow the store by tens of MB")
    func readersDuringGrowth() throws {
        let temporary = try TemporaryStore().initialised().enrolled((0 ..< 200).map { "P-G\($0)" })
        let rules = temporary.file("rules.toml")
        try Data(try temporary.recovery(["rules", "show"]).stdout.utf8).write(to: rules)
        let lines = (0 ..< 60_000).map { eventLine(id: "grow-\($0)", participant: "P-G\($0 % 200)", data: #"{"channel":"in_person"}"#) }
        let file = try temporary.jsonLines("grow.jsonl", lines)
        let executable = try RecoveryBinary.executable()
        let importer = Process()
        importer.executableURL = executable
        importer.arguments = ["import", file, "--store", temporary.store]
        importer.standardOutput = FileHandle.nullDevice
        importer.standardError = FileHandle.nullDevice
        try importer.run()
        var rounds = 0
        var appended = 0
        let started = Date()
        while importer.isRunning || rounds < 3, Date().timeIntervalSince(started) < 120 {
            rounds += 1
            for command in [["rebuild", "--check"], ["rules", "diff", rules.path],
                            ["append", "--event", eventLine(id: "during-\(rounds)", participant: "P-G1")]] {
                let outcome = try DamageCampaignTests.runBounded(executable, command + ["--store", temporary.store], seconds: 60)
                guard case .exited(let status, _, let stderr) = outcome else {
                    Issue.record("round \(rounds): \(command[0]) did not finish: \(outcome)")
                    continue
                }
                #expect(status == 0, "round \(rounds): \(command[0]) exited \(status): \(stderr)")
                if command[0] == "append", status == 0 { appended += 1 }
            }
        }
        importer.waitUntilExit()
        #expect(importer.terminationStatus == 0)
        #expect(try temporary.headSeq() == 1 + 200 + 60_000 + appended)
        print("concurrent growth: \(rounds) rounds of rebuild --check, rules diff and append during the import")
    }
}
