@testable import EventLog
import Foundation
import LMDB
import Testing

/// The Merkle tree as the log keeps it (docs/format.md §13): kept by every append, equal to the
/// tree computed in memory from the records, proofs from it that check, damage to it found by
/// `verify` at the exact seq, and the one-time build for stores made before it.
@Suite("The stored Merkle tree")
struct MerkleStoreTests {
    /// The tree computed in memory from the log's records (leaf i = record of seq i + 1).
    static func memoryTree(_ log: EventLog) throws -> MemoryMerkleTree {
        var tree = MemoryMerkleTree()
        try log.scanEntries { entry in
            try tree.append(leafHash: Merkle.leafHash(Array(entry.record)))
            return true
        }
        return tree
    }

    /// Appends `count` events in batches of varying sizes (1, 2, 3, … events).
    static func fill(_ log: EventLog, count: Int, prefix: String = "e") throws {
        var made = 0
        var batch = 1
        while made < count {
            let size = min(batch, count - made)
            _ = try log.appendBatch { writer in
                for index in made ..< made + size { try writer.append(event("\(prefix)\(index)", participant: "P-\(index % 5)")) }
            }
            made += size
            batch = batch % 7 + 1
        }
    }

    @Test("every root, audit path and consistency path from the stored tree is the memory tree's, and checks")
    func storedTreeMatches() throws {
        let log = try EventLog.create(at: newLedgerFolder())
        try Self.fill(log, count: 70)
        let memory = try Self.memoryTree(log)
        #expect(memory.size == 70)
        for size in UInt64(1) ... 70 {
            let root = try Merkle.root(size: size, in: memory)
            #expect(try log.treeRoot(size: size).root == root)
            for seq in [1, size / 2 + 1, size] {
                let proof = try log.inclusionProof(seq: seq, size: size)
                #expect(proof.root == root)
                #expect(proof.path == (try Merkle.inclusionProof(index: seq - 1, size: size, in: memory)))
                #expect(Merkle.rootFromInclusion(index: seq - 1, size: size, leafHash: Merkle.leafHash(Array(proof.entry.record)), proof: proof.path) == root)
            }
            let consistency = try log.consistencyProof(from: size, to: 70)
            #expect(consistency.oldRoot == root)
            #expect(Merkle.isConsistent(from: size, to: 70, oldRoot: root, newRoot: consistency.newRoot, proof: consistency.path))
        }
        #expect(try log.verify().ok)
        #expect(throws: TreeError.sizeBeyondLog(size: 71, events: 70)) { try log.treeRoot(size: 71) }
        #expect(throws: TreeError.seqOutsideTree(seq: 9, size: 8)) { try log.inclusionProof(seq: 9, size: 8) }
    }

    @Test("batches larger than the pipeline's chunks store the same tree, and verify")
    func largeBatches() throws {
        let log = try EventLog.create(at: newLedgerFolder())
        // 1 + 2·chunk + 7 events in one batch, then an odd batch across more chunk boundaries.
        for (batch, count) in [(0, 1 + 2 * TreePipeline.chunkRecords + 7), (1, TreePipeline.chunkRecords * 3 - 5)].map({ $0 }) {
            _ = try log.appendBatch { writer in
                for index in 0 ..< count { try writer.append(event("b\(batch)-\(index)", participant: "P-\(index % 9)")) }
            }
        }
        let memory = try Self.memoryTree(log)
        #expect(memory.size == UInt64(1 + 2 * TreePipeline.chunkRecords + 7 + TreePipeline.chunkRecords * 3 - 5))
        #expect(try log.treeRoot().root == Merkle.root(size: memory.size, in: memory))
        for size in [UInt64(16), 2_048, 4_111, memory.size] {
            #expect(try log.treeRoot(size: size).root == Merkle.root(size: size, in: memory))
        }
        #expect(try log.verify().ok)

        // The first build of a format-1 store crosses the same chunk boundaries.
        let folder = newLedgerFolder()
        let old = try EventLog.create(at: folder, withTree: false)
        _ = try old.appendBatch { writer in
            for index in 0 ..< TreePipeline.chunkRecords * 2 + 100 { try writer.append(event("u\(index)", participant: "P-\(index % 9)")) }
        }
        let upgraded = try EventLog.open(at: folder)
        let built = try Self.memoryTree(upgraded)
        #expect(try upgraded.treeRoot().root == Merkle.root(size: built.size, in: built))
        #expect(try upgraded.verify().ok)
    }

    /// Opens the tree's database beside the log, as an attacker with the files could.
    static func tamper(_ folder: String, _ change: (WriteTransaction, Database) throws -> Void) throws {
        let environment = try Environment.open(path: folder)
        let tree = try environment.openExistingDatabases(["merkle"])[0]
        try environment.write { try change($0, tree) }
    }

    static func key(lastLeaf: UInt64, level: UInt8) -> [UInt8] {
        withUnsafeBytes(of: lastLeaf.bigEndian) { Array($0) } + [level]
    }

    @Test("one changed byte of a stored node fails verify at the seq of the node's last leaf")
    func changedNode() throws {
        let folder = newLedgerFolder()
        let log = try EventLog.create(at: folder)
        try Self.fill(log, count: 100)
        // The level-5 node over leaves 32–63 ends at leaf 63: seq 64.
        try Self.tamper(folder) { transaction, tree in
            let key = Self.key(lastLeaf: 63, level: 5)
            var hash = try #require(try transaction.bytes(in: tree, forKey: key))
            hash[7] ^= 0x20
            try transaction.put(hash, forKey: key, in: tree)
        }
        let report = try log.verify()
        #expect(!report.ok)
        #expect(report.firstBadSeq == 64)
        #expect(report.reason?.contains("level-5 node over seq 33–64") == true, "\(report.reason ?? "")")
    }

    @Test("damage far apart: verify names the first bad seq, whether the tree's or the chain's, across the pipeline's chunks",
          arguments: [(treeLeaf: UInt64(1_023), record: UInt64(6_000)), (treeLeaf: UInt64(6_143), record: UInt64(700))])
    func firstDamageWins(treeLeaf: UInt64, record: UInt64) throws {
        let folder = newLedgerFolder()
        let log = try EventLog.create(at: folder)
        // Beyond three of the pipeline's chunks, so that the tree's verdict lags the walk.
        let count = 3 * TreePipeline.chunkRecords + 500
        _ = try log.appendBatch { writer in
            for index in 0 ..< count { try writer.append(event("f\(index)", participant: "P-\(index % 7)")) }
        }
        var hashBefore: (tree: [UInt8], record: [UInt8]) = ([], [])
        // Both databases from one environment (as `tamper` opens the tree's).
        let environment = try Environment.open(path: folder)
        let databases = try environment.openExistingDatabases(["merkle", "events"])
        let (tree, events) = (databases[0], databases[1])
        try environment.write { transaction in
            func storedHash(_ seq: UInt64) throws -> [UInt8] {
                Array(try #require(try transaction.bytes(in: events, forKey: withUnsafeBytes(of: seq.bigEndian) { Array($0) })).prefix(32))
            }
            // The level-4 node whose last leaf is `treeLeaf` (ends at seq treeLeaf + 1).
            let key = Self.key(lastLeaf: treeLeaf, level: 4)
            var hash = try #require(try transaction.bytes(in: tree, forKey: key))
            hash[0] ^= 0x01
            try transaction.put(hash, forKey: key, in: tree)
            // One byte of a record's actor: its chain hash no longer matches.
            let recordKey = withUnsafeBytes(of: record.bigEndian) { Array($0) }
            var value = try #require(try transaction.bytes(in: events, forKey: recordKey))
            value[value.count - 4] ^= 0x01
            try transaction.put(value, forKey: recordKey, in: events)
            hashBefore = (try storedHash(treeLeaf), try storedHash(record - 1))
        }
        let report = try log.verify()
        #expect(!report.ok)
        let treeFirst = treeLeaf + 1 < record
        #expect(report.firstBadSeq == (treeFirst ? treeLeaf + 1 : record), "\(report)")
        // The chain up to the seq before the bad one, as a walk that stops there reports it.
        #expect(report.headSeq == (treeFirst ? treeLeaf : record - 1))
        #expect(report.headHash == ChainHash.hex(treeFirst ? hashBefore.tree : hashBefore.record))
        #expect(report.reason?.contains(treeFirst ? "Merkle tree" : "chain hash mismatch") == true, "\(report.reason ?? "")")
    }

    @Test("a missing node, and a node beyond the log, fail verify")
    func missingAndStrayNodes() throws {
        let folder = newLedgerFolder()
        let log = try EventLog.create(at: folder)
        try Self.fill(log, count: 40)
        try Self.tamper(folder) { transaction, tree in _ = try transaction.removeValue(forKey: Self.key(lastLeaf: 31, level: 4), in: tree) }
        let missing = try log.verify()
        #expect(!missing.ok && missing.firstBadSeq == 32, "\(missing)")

        let other = newLedgerFolder()
        let second = try EventLog.create(at: other)
        try Self.fill(second, count: 40)
        try Self.tamper(other) { transaction, tree in
            _ = try transaction.put([UInt8](repeating: 7, count: 32), forKey: Self.key(lastLeaf: 47, level: 4), in: tree)
        }
        let stray = try second.verify()
        #expect(!stray.ok && stray.firstBadSeq == 40, "\(stray)")
        #expect(stray.reason?.contains("beyond the log") == true)
    }

    @Test("a store made before the tree gets it when opened for writing, the same tree the appends make")
    func upgrade() throws {
        let folder = newLedgerFolder()
        let old = try EventLog.create(at: folder, withTree: false)
        try Self.fill(old, count: 90)
        #expect(!old.hasTree)
        #expect(try old.metadata("format") == EventLog.formatWithoutTree)
        #expect(throws: TreeError.noTree(folder: folder)) { try old.treeRoot() }
        let opened = try EventLog.open(at: folder)
        #expect(opened.hasTree)
        #expect(try opened.metadata("format") == EventLog.formatName)
        #expect(try opened.treeRoot().root == Merkle.root(size: 90, in: try Self.memoryTree(opened)))
        #expect(try opened.verify().ok)
        // A log still holding the format-1 view may not append past the new tree.
        #expect(throws: LogError.self) { try old.append(event("late")) }
        // Appends after the upgrade extend the built tree.
        try Self.fill(opened, count: 30, prefix: "after")
        #expect(try opened.verify().ok)
        #expect(try opened.treeRoot().root == Merkle.root(size: 120, in: try Self.memoryTree(opened)))

        // A store made with the tree from the start holds exactly the same nodes.
        let fresh = try EventLog.create(at: newLedgerFolder())
        try Self.fill(fresh, count: 90)
        try Self.fill(fresh, count: 30, prefix: "after")
        #expect(try fresh.treeRoot(size: 90).root != opened.treeRoot(size: 90).root, "different clocks make different records")
        #expect(try fresh.verify().ok)
    }
}
