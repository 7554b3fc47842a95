import Foundation
import Testing

/// A store that goes backwards (an older LMDB meta page chosen, an older data file copied in)
/// is never taken for a good one: the head witness (docs/format.md §12.2).
@Suite("Rollback: a store behind its head witness is refused")
struct RollbackTests {
    /// A ledger with the sample history (61 events).
    static func sampleLedger() throws -> TemporaryStore {
        let temporary = try TemporaryStore().initialised()
        let imported = try temporary.recovery(["import", try DamageCampaignTests.sampleFile()])
        guard imported.status == 0 else { throw CLITestFailure("import: \(imported.stderr)") }
        try Data(try temporary.recovery(["rules", "show"]).stdout.utf8).write(to: temporary.file("rules.toml"))
        return temporary
    }

    static func data(_ store: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: store + "/data.mdb"))) }
    static func write(_ bytes: [UInt8], _ store: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: store + "/data.mdb")) }

    /// LMDB's meta txnid of page `page` (byte 144 of the page, little-endian).
    static func txnid(_ bytes: [UInt8], page: Int) -> UInt64 {
        (0 ..< 8).reduce(0) { $0 | UInt64(bytes[page * 4096 + 144 + $1]) << UInt64(8 * $1) }
    }

    /// Every command that opens the store refuses it with 1 and names both heads; nothing changes.
    static func expectRefused(_ temporary: TemporaryStore, witnessSeq: Int) throws {
        let before = try data(temporary.store)
        let verify = try temporary.recovery(["verify", "--json"])
        #expect(verify.status == 1, "verify: \(verify.stdout) \(verify.stderr)")
        let report = try jsonObject(verify.stdout)
        #expect(report["ok"] as? Bool == false)
        for command in [["stats", "--year", "2022"], ["balance", "P-001001"], ["log"],
                        ["append", "--event", eventLine(id: "after-rollback", participant: "P-001001", at: "2022-12-30T09:00:00+08:00")],
                        ["import", try DamageCampaignTests.sampleFile()], ["rules", "adopt", temporary.file("rules.toml").path, "--actor", "x"], ["rebuild"]] {
            let outcome = try temporary.recovery(command)
            #expect(outcome.status != 0, "\(command[0]) accepted a store behind its witness: \(outcome.stdout)")
            #expect([1, 70].contains(outcome.status), "\(command[0]): \(outcome.status) \(outcome.stderr)")
        }
        #expect(try data(temporary.store) == before, "a refused store was written to")
    }

    @Test("one byte of the older meta page's txnid: LMDB would open an old state; every command refuses it, verify names both heads")
    func olderMetaPageChosen() throws {
        let temporary = try Self.sampleLedger()
        var bytes = try Self.data(temporary.store)
        let older = Self.txnid(bytes, page: 0) < Self.txnid(bytes, page: 1) ? 0 : 1
        bytes[older * 4096 + 151] = 0x01  // the txnid's high byte: now the "newest" meta page
        try Self.write(bytes, temporary.store)
        let verify = try temporary.recovery(["verify", "--json"])
        #expect(verify.status == 1)
        let reason = try jsonObject(verify.stdout)["reason"] as? String ?? ""
        #expect(reason.contains("seq 61") && reason.contains("went backwards"), "\(reason)")
        let append = try temporary.recovery(["stats", "--year", "2022"])
        #expect(append.status == 1 && append.stderr.contains("head witness says seq 61"), "\(append.stderr)")
        try Self.expectRefused(temporary, witnessSeq: 61)
    }

    @Test("swapped meta pages: refused, never read as an older state")
    func swappedMetaPages() throws {
        let temporary = try Self.sampleLedger()
        var bytes = try Self.data(temporary.store)
        let first = Array(bytes[0 ..< 4096])
        bytes.replaceSubrange(0 ..< 4096, with: bytes[4096 ..< 8192])
        bytes.replaceSubrange(4096 ..< 8192, with: first)
        try Self.write(bytes, temporary.store)
        try Self.expectRefused(temporary, witnessSeq: 61)
    }

    @Test("an older backup's data file copied over the store: refused; accept-restore accepts it after verifying; appends go on")
    func deliberateRestore() throws {
        let temporary = try TemporaryStore().initialised().enrolled()
        _ = try temporary.recovery(["append", "--event", eventLine(id: "c1")])
        let backup = temporary.file("backup").path
        let backedUp = try temporary.recovery(["backup", backup, "--json"])
        #expect(backedUp.status == 0, "\(backedUp.stderr)")
        #expect(FileManager.default.fileExists(atPath: backup + "/head.witness"), "a backup carries its own witness")
        #expect(try RecoveryBinary.run(["verify", "--store", backup]).status == 0)
        _ = try temporary.recovery(["append", "--event", eventLine(id: "c2")])
        _ = try temporary.recovery(["append", "--event", eventLine(id: "c3")])
        try Self.write(try Self.data(backup), temporary.store)
        let refused = try temporary.recovery(["balance", "P-000123"])
        #expect(refused.status == 1 && refused.stderr.contains("accept-restore"), "\(refused.stderr)")
        let accepted = try temporary.recovery(["accept-restore"])
        #expect(accepted.status == 0 && accepted.stdout.contains("seq 3") && accepted.stdout.contains("seq 5"), "\(accepted.stdout) \(accepted.stderr)")
        #expect(try temporary.recovery(["verify"]).status == 0)
        let appended = try temporary.recovery(["append", "--json", "--event", eventLine(id: "c4")])
        #expect(try jsonObject(appended.stdout)["seq"] as? Int == 4)
    }

    @Test("accept-restore takes a sound older state only when asked, and it becomes the witness")
    func acceptRestoreOfOlderMeta() throws {
        let temporary = try Self.sampleLedger()
        var bytes = try Self.data(temporary.store)
        let older = Self.txnid(bytes, page: 0) < Self.txnid(bytes, page: 1) ? 0 : 1
        bytes[older * 4096 + 151] = 0x01
        try Self.write(bytes, temporary.store)
        // The old state is a sound chain of one event: accepting it is a deliberate act.
        let accepted = try temporary.recovery(["accept-restore"])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        let witness = try String(contentsOfFile: temporary.store + "/head.witness", encoding: .utf8)
        #expect(witness.hasPrefix("recovery-witness/1 1 "))
    }

    @Test("a missing or unreadable witness is refused like a rollback")
    func missingWitness() throws {
        let temporary = try TemporaryStore().initialised()
        try FileManager.default.removeItem(atPath: temporary.store + "/head.witness")
        let outcome = try temporary.recovery(["stats", "--year", "2022"])
        #expect(outcome.status == 1 && outcome.stderr.contains("missing"), "\(outcome.stderr)")
        try Data(repeating: 0x41, count: 256).write(to: URL(fileURLWithPath: temporary.store + "/head.witness"))
        let damaged = try temporary.recovery(["verify"])
        #expect(damaged.status == 1 && damaged.stdout.contains("damaged"), "\(damaged.stdout)")
    }
}
