@testable import EventLog
import Foundation
import LMDB
import Testing

/// `verify`'s first pass splits the log into parts checked on every core; on any doubt the
/// sequential walk runs and names the problem. These tests hold the two to each other: on an
/// intact log both give the same report, and the parts never vouch for a log the walk finds
/// damaged.
@Suite("verify in parts")
struct VerifyPartsTests {
    /// Blocks of 16 leaves, three parts a core of four counted whatever the machine: a few
    /// hundred events make twelve parts and nodes above the blocks.
    static let smallSplit = VerifySplit(blockLevel: MerkleStore.lowestStoredLevel, partsPerCore: 3, cores: 4)

    /// The parts' verdict and the walk's, in one snapshot.
    static func verdicts(_ log: EventLog, digest: (seq: UInt64, hash: [UInt8])? = nil, split: VerifySplit = smallSplit) throws -> (parts: VerificationReport?, walk: VerificationReport) {
        try log.read { transaction in
            (try log.verifiedInParts(in: transaction, digest: digest, split: split), try log.verifiedInOneWalk(in: transaction, digest: digest))
        }
    }

    /// A log of `count` events, and its databases `names` opened beside it, as someone with the
    /// files could open them to damage the store.
    static func filledStore(count: Int, opening names: [String]) throws -> (log: EventLog, environment: Environment, databases: [Database]) {
        let folder = newLedgerFolder()
        let log = try EventLog.create(at: folder)
        try MerkleStoreTests.fill(log, count: count)
        let environment = try Environment.open(path: folder)
        return (log, environment, try environment.openExistingDatabases(names))
    }

    @Test("on an intact log the parts give the walk's report, whatever the log's length against the blocks",
          arguments: [1, 15, 16, 17, 31, 32, 33, 255, 256, 257, 700])
    func intact(count: Int) throws {
        let log = try EventLog.create(at: newLedgerFolder())
        try MerkleStoreTests.fill(log, count: count)
        let (parts, walk) = try Self.verdicts(log)
        #expect(walk.ok)
        #expect(parts == walk)
        // Through `verify` too, with a published digest of a middle seq, and the standard split.
        let middle = UInt64(max(count / 2, 1))
        let hash = try log.read { try #require(try $0.value(in: log.databases.events, forKey: SeqKey.encode(middle)) { $0.copiedBytes(from: 0, count: 32) }) }
        #expect(try log.verify(digest: (middle, hash), checkingWitness: false, split: Self.smallSplit) == walk)
        #expect(try Self.verdicts(log, digest: (middle, hash), split: .standard).parts == walk)
        var wrong = hash
        wrong[5] ^= 1
        #expect(try Self.verdicts(log, digest: (middle, wrong)).parts == nil)
        #expect(try Self.verdicts(log, digest: (UInt64(count) + 1, hash)).parts == nil)
    }

    /// One damage to one database of the store, as someone with the files could make it.
    enum Damage: CaseIterable {
        case flipValueByte, removeEntry, addEntry, flipKeyByte
    }

    @Test("the parts never vouch for a log the walk finds damaged: 160 seeded random damages to every database")
    func damagesAgree() throws {
        let names = ["events", "merkle", "by_participant", "ids"]
        let (log, environment, databases) = try Self.filledStore(count: 300, opening: names)
        var random = SplitMix(seed: 0x5EED_2026_1207)
        var walkFound = 0
        for round in 0 ..< 160 {
            let which = random.next(below: names.count)
            let database = databases[which]
            let damage = Damage.allCases[random.next(below: Damage.allCases.count)]
            // Every entry, to pick one and to put the database back afterwards.
            let entries = try environment.read { transaction in
                try transaction.withCursor(database) { cursor -> [(key: [UInt8], value: [UInt8])] in
                    var all: [(key: [UInt8], value: [UInt8])] = []
                    guard try cursor.move(.first) else { return all }
                    repeat { all.append(cursor.withCurrent { ($0.copiedBytes(), $1.copiedBytes()) }) } while try cursor.move(.next)
                    return all
                }
            }
            let chosen = entries[random.next(below: entries.count)]
            let position = random.next(below: 1_000)
            let bit = UInt8(1) << UInt8(random.next(below: 8))
            try environment.write { transaction in
                switch damage {
                case .flipValueByte:
                    var value = chosen.value
                    value[position % value.count] ^= bit
                    try transaction.removeValue(forKey: chosen.key, in: database)
                    _ = try transaction.put(value, forKey: chosen.key, in: database)
                case .removeEntry:
                    try transaction.removeValue(forKey: chosen.key, in: database)
                case .addEntry:
                    var key = chosen.key
                    key.append(bit)
                    _ = try transaction.put(chosen.value, forKey: key, in: database)
                case .flipKeyByte:
                    var key = chosen.key
                    key[position % key.count] ^= bit
                    try transaction.removeValue(forKey: chosen.key, in: database)
                    _ = try transaction.put(chosen.value, forKey: key, in: database)
                }
            }
            let (parts, walk) = try Self.verdicts(log)
            if !walk.ok { walkFound += 1 }
            #expect(walk.ok ? parts == walk : parts == nil, "round \(round): \(damage) in \(names[which]): the walk says \(walk.reason ?? "ok")")
            // The walk's report is what `verify` gives.
            #expect(try log.verify(digest: nil, checkingWitness: false, split: Self.smallSplit) == walk)
            // Put the database back as it was.
            try environment.write { transaction in
                try transaction.removeAllEntries(database)
                for entry in entries { _ = try transaction.put(entry.value, forKey: entry.key, in: database) }
            }
        }
        // Nearly every one of these changes is damage the walk names; that the parts agree on
        // an intact log is the test above.
        #expect(walkFound >= 150, "the walk found \(walkFound) of 160")
        #expect(try Self.verdicts(log).parts?.ok == true)
    }

    @Test("a record whose recorded_at goes back, its chain, tree and indexes made anew, is found at a part's first seq and inside a part",
          arguments: [UInt64(33), 40])
    func timeGoesBack(seq: UInt64) throws {
        let count = 100
        let (log, environment, databases) = try Self.filledStore(count: count, opening: ["events", "merkle"])
        // 100 events in blocks of 16 make 7 parts of one block each: seq 33 starts the third.
        #expect(Self.smallSplit.parts(blocks: 7) == 7)
        let (events, tree) = (databases[0], databases[1])
        try environment.write { transaction in
            var records: [[UInt8]] = []
            for index in 1 ... UInt64(count) {
                records.append(try #require(try transaction.bytes(in: events, forKey: SeqKey.encode(index))).suffix(from: ChainHash.size).map { $0 })
            }
            // The record at `seq` a millisecond before the one ahead of it, in canonical form.
            let before = try EventRecord.decode(value: (ChainHash.genesis + records[Int(seq) - 2]).span)
            let old = try EventRecord.decode(value: (ChainHash.genesis + records[Int(seq) - 1]).span)
            let moved = StoredEvent(seq: old.seq, recordedAt: before.recordedAt - 1, id: old.id, type: old.type,
                                    stream: old.stream, at: old.at, actor: old.actor, data: old.data)
            records[Int(seq) - 1] = EventRecord.encode(moved)
            // The chain from there on, and the whole tree, as the log would have made them.
            var previous = try #require(try transaction.bytes(in: events, forKey: SeqKey.encode(seq - 1))).prefix(ChainHash.size).map { $0 }
            for index in seq ... UInt64(count) {
                var value = previous + records[Int(index) - 1]
                ChainHash.chainInPlace(&value)
                _ = try transaction.put(value, forKey: SeqKey.encode(index), in: events)
                previous = Array(value.prefix(ChainHash.size))
            }
            try transaction.removeAllEntries(tree)
            var edge = MerkleEdge()
            for record in records {
                let index = edge.size
                try edge.append(leafHash: Merkle.leafHash(record)) { level, hash in
                    _ = try transaction.put(hash, forKey: MerkleStore.key(level: level, index: index >> UInt64(level)), in: tree)
                }
            }
        }
        let (parts, walk) = try Self.verdicts(log)
        #expect(!walk.ok)
        #expect(walk.firstBadSeq == seq)
        #expect(walk.reason == "recorded_at goes back in time")
        #expect(parts == nil)
        #expect(try log.verify(digest: nil, checkingWitness: false, split: Self.smallSplit) == walk)
    }

    @Test("a last key naming a seq beyond Int is left to the walk, which names the gap")
    func hugeLastKey() throws {
        let (log, environment, databases) = try Self.filledStore(count: 40, opening: ["events"])
        let events = databases[0]
        try environment.write { transaction in
            let value = try #require(try transaction.bytes(in: events, forKey: SeqKey.encode(40)))
            _ = try transaction.removeValue(forKey: SeqKey.encode(40), in: events)
            _ = try transaction.put(value, forKey: SeqKey.encode(UInt64(1) << 63 | 40), in: events)
        }
        let (parts, walk) = try Self.verdicts(log)
        #expect(parts == nil)
        #expect(!walk.ok && walk.firstBadSeq == 40)
    }
}
