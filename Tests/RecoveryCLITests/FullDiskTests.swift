import Foundation
import Testing
@preconcurrency import Glibc

/// A full file system, for real: a small tmpfs mounted for the test (needs root; skipped with
/// the reason otherwise). Nothing may die by SIGBUS, the user reads "no space left on
/// device", nothing is half-written, and a failed backup leaves nothing behind.
@Suite("Full disk")
struct FullDiskTests {
    /// Whether this process may mount a tmpfs (root in a sandbox that allows it).
    static let canMount: Bool = {
        guard getuid() == 0 else { return false }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("mount-probe-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: probe, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: probe) }
        guard (try? RecoveryBinary.runProgram(URL(fileURLWithPath: "/bin/mount"), ["-t", "tmpfs", "-o", "size=1m", "tmpfs", probe]))?.status == 0 else {
            print("full-disk tests skipped: this process cannot mount a tmpfs")
            return false
        }
        _ = try? RecoveryBinary.runProgram(URL(fileURLWithPath: "/bin/umount"), [probe])
        return true
    }()

    /// A tmpfs of `megabytes`, unmounted when the value goes away.
    final class SmallDisk {
        let path: String
        init(megabytes: Int) throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("full-disk-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            let mounted = try RecoveryBinary.runProgram(URL(fileURLWithPath: "/bin/mount"), ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path])
            guard mounted.status == 0 else { throw CLITestFailure("mount: \(mounted.stderr)") }
        }
        /// Fills what is left with one file.
        func fill() throws {
            _ = try RecoveryBinary.runProgram(URL(fileURLWithPath: "/bin/dd"), ["if=/dev/zero", "of=\(path)/fill", "bs=4k"])
        }
        func unfill() { try? FileManager.default.removeItem(atPath: path + "/fill") }
        deinit {
            _ = try? RecoveryBinary.runProgram(URL(fileURLWithPath: "/bin/umount"), [path])
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    static func run(_ arguments: [String]) throws -> RecoveryBinary.Outcome { try RecoveryBinary.run(arguments) }

    @Test("init, verify and stats on a full disk: 70 and 'no space left on device' (or success), never SIGBUS",
          .enabled(if: canMount, "needs root and a mountable tmpfs"))
    func commandsOnFullDisk() throws {
        let disk = try SmallDisk(megabytes: 4)
        #expect(try Self.run(["init", "--store", disk.path + "/ledger"]).status == 0)
        try FileManager.default.removeItem(atPath: disk.path + "/ledger/lock.mdb")  // must be made again
        try disk.fill()
        let made = try Self.run(["init", "--store", disk.path + "/other"])
        #expect(made.status == 70 && made.stderr.contains("no space left on device"), "init: \(made.status) \(made.stderr)")
        for command in [["verify"], ["stats", "--year", "2022"], ["alerts"]] {
            let outcome = try Self.run(command + ["--store", disk.path + "/ledger"])
            #expect(outcome.status == 0 || (outcome.status == 70 && outcome.stderr.contains("no space left on device")),
                    "\(command[0]): \(outcome.status) \(outcome.stderr)")
        }
    }

    @Test("an import that fills the disk says so, appends nothing, and the store stays sound",
          .enabled(if: canMount, "needs root and a mountable tmpfs"))
    func importFillsDisk() throws {
        let disk = try SmallDisk(megabytes: 4)
        let store = disk.path + "/ledger"
        #expect(try Self.run(["init", "--store", store]).status == 0)
        let files = try TemporaryStore()
        let lines = [enrolmentLine("P-000123")] + (0 ..< 40_000).map { eventLine(id: "fill-\($0)") }
        let file = try files.jsonLines("fill.jsonl", lines)
        let outcome = try Self.run(["import", file, "--store", store])
        #expect(outcome.status == 70 && outcome.stderr.contains("no space left on device"), "\(outcome.status) \(outcome.stderr)")
        let verify = try Self.run(["verify", "--json", "--store", store])
        #expect(verify.status == 0 && verify.stdout.contains("\"head_seq\":1,"), "\(verify.stdout) \(verify.stderr)")
    }

    @Test("a backup to a full disk fails with 70 and leaves nothing behind",
          .enabled(if: canMount, "needs root and a mountable tmpfs"))
    func backupToFullDisk() throws {
        let source = try TemporaryStore().initialised().enrolled()
        let disk = try SmallDisk(megabytes: 1)
        try disk.fill()
        let destination = disk.path + "/backup"
        let outcome = try source.recovery(["backup", destination])
        #expect(outcome.status == 70 && outcome.stderr.contains("no space left on device"), "\(outcome.status) \(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: destination), "a failed backup left \(destination) behind")
    }
}
