import Synchronization
import EventLog
import Foundation
import LMDB
import Testing

@Suite("Event log")
struct EventLogTests {
    @Test("appends get gap-free seqs, the chain verifies, and reads return what was written")
    func appendAndRead() throws {
        let log = try EventLog.create(at: newLedgerFolder())
        let data: JSONValue = .object(["n": .integer(-5), "f": .number(0.25), "s": .string("恩平"), "a": .array([.null, .bool(true)])])
        #expect(try log.append(event("a", data: data)) == .appended(seq: 1))
        #expect(try log.append(event(nil, participant: "P-2")) == .appended(seq: 2))
        #expect(try log.append(event("c")) == .appended(seq: 3))
        var seen: [StoredEvent] = []
        try log.scan { seen.append($0); return true }
        #expect(seen.map(\.seq) == [1, 2, 3])
        #expect(seen[0].data == data)
        #expect(seen[1].id.count == 36)
        var stream: [UInt64] = []
        try log.events(of: "P-1") { stream.append($0.event.seq); return true }
        #expect(stream == [1, 3])
        #expect(try log.version(of: "P-1") == 2)
        let report = try log.verify()
        #expect(report.ok && report.events == 3 && report.headSeq == 3)
        #expect(report.headHash == ChainHash.hex(try log.head().hash))
    }

    @Test("same id and same content is a duplicate; different content is a conflict")
    func idempotency() throws {
        let log = try EventLog.create(at: newLedgerFolder())
        _ = try log.append(event("x"))
        #expect(try log.append(event("x")) == .duplicate(seq: 1))
        let conflict = #expect(throws: LogError.self) { try log.append(event("x", participant: "P-9")) }
        guard case .rejected(let errors, _) = conflict else { Issue.record("expected a rejection"); return }
        #expect(errors.first?.field == "id")
        #expect(errors.first?.reason.contains("seq 1") == true)
        #expect(try log.head().seq == 1)
    }

    @Test("expected versions are checked after duplicates")
    func expectedVersion() throws {
        let log = try EventLog.create(at: newLedgerFolder())
        #expect(try log.append(event("a"), expectedVersion: 0) == .appended(seq: 1))
        #expect(throws: LogError.self) { try log.append(event("b"), expectedVersion: 0) }
        #expect(try log.append(event("a"), expectedVersion: 7) == .duplicate(seq: 1))
        #expect(try log.append(event("b"), expectedVersion: 1) == .appended(seq: 2))
    }

    @Test("recorded_at never decreases, even when the clock goes back")
    func recordedAtIsMonotonic() throws {
        let reading = Mutex<Int64>(2_000_000_000_000)
        let log = try EventLog.create(at: newLedgerFolder(), clock: { reading.withLock { $0 } })
        _ = try log.append(event("a"))
        reading.withLock { $0 = 1_000_000_000_000 }
        _ = try log.append(event("b"))
        var times: [Int64] = []
        try log.scan { times.append($0.recordedAt); return true }
        #expect(times == [2_000_000_000_000, 2_000_000_000_000])
    }

    @Test("a batch with one refused event appends nothing")
    func batchIsAtomic() throws {
        let log = try EventLog.create(at: newLedgerFolder())
        _ = try log.append(event("held"))
        #expect(throws: LogError.self) {
            try log.appendBatch { writer in
                try writer.append(event("n1"), line: 1)
                try writer.append(event("held", participant: "P-7"), line: 2)
                try writer.append(event("n2"), line: 3)
            }
        }
        #expect(try log.head().seq == 1)
        #expect(try log.verify().ok)
    }

    @Test("a conflict inside one batch names the earlier line")
    func conflictNamesEarlierLine() throws {
        let log = try EventLog.create(at: newLedgerFolder())
        let rejection = #expect(throws: LogError.self) {
            try log.appendBatch { writer in
                try writer.append(event("dup"), line: 4)
                try writer.append(event("dup"), line: 5)
                try writer.append(event("dup", participant: "P-3"), line: 9)
            }
        }
        guard case .rejected(let errors, let total) = rejection else { Issue.record("expected a rejection"); return }
        #expect(total == 1)
        #expect(errors.first?.description == "line 9: id: \"dup\" is already used by line 4 with different content (conflict)")
    }

    @Test("the store grows past 32 MiB without resizing anything")
    func storeGrowth() throws {
        let log = try EventLog.create(at: newLedgerFolder())
        let big: JSONValue = .object(["note": .string(String(repeating: "x", count: 3900))])
        var appended = 0
        while log.environment.usage().usedBytes < 32 << 20 {
            let (_, summary) = try log.appendBatch { writer in
                for _ in 0 ..< 500 { try writer.append(event(nil, data: big)) }
            }
            appended += summary.appended
        }
        #expect(log.environment.usage().mapSize == Environment.defaultMapSize)
        #expect(try log.head().seq == UInt64(appended))
        #expect(try log.verify().ok)
    }

    @Test("changing one byte of one stored record is found at exactly that seq")
    func tamperDetection() throws {
        let folder = newLedgerFolder()
        let log = try EventLog.create(at: folder)
        for index in 1 ... 50 { _ = try log.append(event("e\(index)", participant: "P-\(index % 7)")) }
        let environment = try Environment.open(path: folder)
        let events = try environment.openExistingDatabases(["events"])[0]
        let key = withUnsafeBytes(of: UInt64(23).bigEndian) { Array($0) }
        try environment.write { transaction in
            var value = try #require(try transaction.bytes(in: events, forKey: key))
            value[value.count - 3] ^= 0x01
            try transaction.put(value, forKey: key, in: events)
        }
        let report = try log.verify()
        #expect(!report.ok)
        #expect(report.firstBadSeq == 23)
    }

    @Test("an index entry that names no event is found")
    func strayIndexEntry() throws {
        let folder = newLedgerFolder()
        let log = try EventLog.create(at: folder)
        for index in 1 ... 10 { _ = try log.append(event("e\(index)")) }
        let environment = try Environment.open(path: folder)
        let index = try environment.openExistingDatabases(["by_participant"])[0]
        try environment.write { transaction in
            try transaction.put(withUnsafeBytes(of: UInt64(4).bigEndian) { Array($0) }, forKey: Array("P-404".utf8), in: index)
        }
        let report = try log.verify()
        #expect(!report.ok)
        #expect(report.firstBadSeq == 4)
    }

    @Test("an index entry moved to another seq, the entry count unchanged, is found by the fingerprint and placed")
    func movedIndexEntry() throws {
        let folder = newLedgerFolder()
        let log = try EventLog.create(at: folder)
        for index in 1 ... 10 { _ = try log.append(event("e\(index)")) }
        #expect(try log.verify().ok)
        let environment = try Environment.open(path: folder)
        let ids = try environment.openExistingDatabases(["ids"])[0]
        try environment.write { transaction in
            // e5's id now names seq 6: as many entries as before, one of them wrong.
            try transaction.put(withUnsafeBytes(of: UInt64(6).bigEndian) { Array($0) }, forKey: Array("e5".utf8), in: ids)
        }
        let report = try log.verify()
        #expect(!report.ok)
        #expect(report.firstBadSeq == 5)
        #expect(report.reason == "the id index does not point at this event")
        #expect(report.headSeq == 4)
    }

    @Test("a published digest pins the history")
    func digest() throws {
        let log = try EventLog.create(at: newLedgerFolder())
        for index in 1 ... 5 { _ = try log.append(event("e\(index)")) }
        let head = try log.head()
        _ = try log.append(event("e6"))
        #expect(try log.verify(digest: (5, head.hash)).ok)
        var wrong = head.hash
        wrong[0] ^= 0xFF
        let report = try log.verify(digest: (5, wrong))
        #expect(!report.ok && report.firstBadSeq == 5)
        #expect(!(try log.verify(digest: (99, head.hash)).ok))
    }

    @Test("opening a folder without a ledger, or creating over one, fails clearly")
    func createAndOpen() throws {
        let folder = newLedgerFolder()
        #expect(throws: LogError.self) { try EventLog.open(at: folder) }
        _ = try EventLog.create(at: folder)
        #expect(throws: LogError.self) { try EventLog.create(at: folder) }
        let attributes = try FileManager.default.attributesOfItem(atPath: folder)
        #expect((attributes[.posixPermissions] as? Int) == 0o700)
        let data = try FileManager.default.attributesOfItem(atPath: folder + "/data.mdb")
        #expect((data[.posixPermissions] as? Int) == 0o600)
    }
}
