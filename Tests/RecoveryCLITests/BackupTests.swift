import Foundation
import Testing
@preconcurrency import Glibc

@Suite("Backup")
struct BackupTests {
    @Test("a backup taken while another process imports is a consistent, verified, owner-only copy")
    func backupDuringImport() throws {
        let temporary = try TemporaryStore().initialised().enrolled(["P-1", "P-2"])
        let before = try temporary.headSeq()
        let lines = (0 ..< 20_000).map { eventLine(id: "b-\($0)", participant: "P-\($0 % 2 + 1)") }
        let file = try temporary.jsonLines("big.jsonl", lines)
        let importer = Process()
        importer.executableURL = try RecoveryBinary.executable()
        importer.arguments = ["import", file, "--store", temporary.store]
        importer.standardOutput = FileHandle.nullDevice
        importer.standardError = FileHandle.nullDevice
        try importer.run()
        usleep(150_000)
        let destination = temporary.file("copy").path
        let backup = try temporary.recovery(["backup", destination, "--json"])
        importer.waitUntilExit()
        #expect(importer.terminationStatus == 0)
        #expect(backup.status == 0, "backup: \(backup.stderr)")
        let report = try jsonObject(backup.stdout)
        let copied = try #require(report["head_seq"] as? Int)
        #expect(copied == before || copied == before + 20_000, "a copy holds a committed state, not part of an import")
        let verified = try jsonObject(try RecoveryBinary.run(["verify", "--store", destination, "--json"]).stdout)
        #expect(verified["ok"] as? Bool == true && verified["head_hash"] as? String == report["head_hash"] as? String)
        let mode = try FileManager.default.attributesOfItem(atPath: destination + "/data.mdb")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try RecoveryBinary.run(["rebuild", "--check", "--store", destination]).status == 0)
        let again = try temporary.recovery(["backup", destination])
        #expect(again.status == 73 && again.stderr.contains("not an empty folder"), "a backup never overwrites (73, like a ledger that exists)")
    }
}
