import Foundation
import LMDB

/// How the log keeps its Merkle tree in LMDB (docs/format.md §13): the hashes of complete
/// subtrees of level `lowestStoredLevel` and up, each keyed by the leaf that completes it
/// (8 bytes, big-endian) then its level (1 byte). An append's nodes all carry its own leaf
/// number and rising levels, so every write is an `MDB_APPEND` at the end of one B-tree and no
/// node is ever rewritten. Lower levels (subtrees of at most 8 records) are recomputed from the
/// records when a proof needs them.
package enum MerkleStore {
    /// The lowest level stored: a level-4 node covers 16 records, so the tree costs one
    /// stored node per 16 events (about 3 bytes an event) and a lower node is at most 8
    /// record reads away.
    package static let lowestStoredLevel = 4
    /// The hash algorithm's name, kept in the metadata (`tree_hash`) and in every checkpoint:
    /// the only one implemented.
    package static let hashAlgorithm = "sha-256"

    /// The key of the complete subtree `index` of `level`: its last leaf, then its level.
    static func key(level: Int, index: UInt64) -> [UInt8] {
        let last = ((index + 1) << UInt64(level)) - 1
        var key = SeqKey.encode(last)
        key.append(UInt8(level))
        return key
    }

    /// The level and index of the node stored under `key` (made by `key(level:index:)`).
    static func node(ofKey key: [UInt8]) -> (level: Int, index: UInt64) {
        precondition(key.count == SeqKey.size + 1, "a tree key is a seq and a level")
        let last = SeqKey.decode(key.span.extracting(..<SeqKey.size)) ?? 0
        let level = Int(key[SeqKey.size])
        return (level, ((last + 1) >> UInt64(level)) - 1)
    }

    /// The seqs a node covers (leaf i is seq i + 1), as messages name it.
    static func seqs(level: Int, index: UInt64) -> String {
        "level-\(level) node over seq \(index << UInt64(level) + 1)–\((index + 1) << UInt64(level))"
    }

    /// Stores `nodes` (in key order) at the end of the tree's database; a node LMDB will not
    /// append there means the tree's end is out of order: damage.
    static func append(_ nodes: [(key: [UInt8], hash: [UInt8])], with cursor: AppendCursor) throws {
        for node in nodes {
            guard try cursor.put(node.hash, forKey: node.key, options: .append) else {
                throw LogError.damagedStore(reason: "the Merkle tree is out of order at its end (a node could not be added)")
            }
        }
    }

    /// How many nodes the tree of `size` leaves stores: ⌊size / 2^l⌋ for each stored level l.
    static func storedNodes(size: UInt64) -> Int {
        (lowestStoredLevel ..< 64).reduce(0) { $0 + Int(size >> UInt64($1)) }
    }

    /// Whether node (`level`, `index`) is a complete subtree of a tree of `size` leaves.
    static func exists(level: Int, index: UInt64, size: UInt64) -> Bool {
        // Levels above 63 and indexes whose leaves overflow 64 bits are no node at all.
        guard level >= 0, level < 64, index < (UInt64.max >> UInt64(level)) else { return false }
        return (index + 1) << UInt64(level) <= size
    }
}

/// The stored tree of the first `size` leaves, read in one transaction: stored nodes by key,
/// lower ones recomputed from the records (leaf i is the record of seq i + 1).
struct StoredMerkleNodes: MerkleNodes {
    let transaction: Transaction
    let databases: LogDatabases
    let tree: Database
    let size: UInt64

    func hash(level: Int, index: UInt64) throws -> [UInt8] {
        guard MerkleStore.exists(level: level, index: index, size: size) else {
            throw LogError.damagedStore(reason: "the Merkle tree was asked for a node outside its \(size) leaves")
        }
        if level < MerkleStore.lowestStoredLevel {
            if level == 0 { return try leafHash(seq: index + 1) }
            return Merkle.nodeHash(try hash(level: level - 1, index: index * 2), try hash(level: level - 1, index: index * 2 + 1))
        }
        let key = MerkleStore.key(level: level, index: index)
        let stored = try transaction.value(in: tree, forKey: key) { span -> [UInt8]? in
            span.count == Merkle.hashSize ? span.copiedBytes() : nil
        }
        let last = (index + 1) << UInt64(level)
        guard let found = stored else {
            throw LogError.damaged(seq: last, reason: "the Merkle tree lacks its \(MerkleStore.seqs(level: level, index: index))")
        }
        guard let hash = found else {
            throw LogError.damaged(seq: last, reason: "the Merkle tree's \(MerkleStore.seqs(level: level, index: index)) is not one hash")
        }
        return hash
    }

    /// The leaf hash of the record stored at `seq`.
    func leafHash(seq: UInt64) throws -> [UInt8] {
        let hash = try transaction.value(in: databases.events, forKey: SeqKey.encode(seq)) { value -> [UInt8]? in
            value.count > EventRecord.offsetInValue ? Merkle.leafHash(value.copiedBytes(from: EventRecord.offsetInValue)) : nil
        }
        guard let found = hash else { throw LogError.damaged(seq: seq, reason: "the event is missing") }
        guard let leaf = found else { throw LogError.damaged(seq: seq, reason: "stored value is too short to hold a hash and a record") }
        return leaf
    }
}

/// The right edge of a tree: the complete subtrees that make up its current size, largest
/// first (one per one-bit of the size: at most 64). Appending a leaf merges the equal-sized
/// subtrees it completes, like carrying in binary addition. The writer, `verify` and the
/// tree's first build all grow a tree this way.
package struct MerkleEdge: Sendable {
    /// (level, hash) of each complete subtree of the edge, largest first.
    package private(set) var peaks: [(level: Int, hash: [UInt8])] = []
    /// Leaves so far.
    package private(set) var size: UInt64 = 0

    package init() {}

    /// The edge of the first `size` leaves of `nodes`: at most 64 node reads.
    init(size: UInt64, nodes: some MerkleNodes) throws {
        var start: UInt64 = 0
        for level in stride(from: 63, through: 0, by: -1) where size & (UInt64(1) << UInt64(level)) != 0 {
            peaks.append((level, try nodes.hash(level: level, index: start >> UInt64(level))))
            start += UInt64(1) << UInt64(level)
        }
        self.size = size
    }

    /// Appends a leaf; `completed` sees every node of level `MerkleStore.lowestStoredLevel` or
    /// above that it completes, lowest first, with the index of the completing leaf.
    package mutating func append(leafHash: [UInt8], completed: (_ level: Int, _ hash: [UInt8]) throws -> Void) rethrows {
        var hash = leafHash
        var level = 0
        // At most 64 merges: each removes a peak of the next level up.
        while let last = peaks.last, last.level == level {
            hash = Merkle.nodeHash(last.hash, hash)
            peaks.removeLast()
            level += 1
            if level >= MerkleStore.lowestStoredLevel { try completed(level, hash) }
        }
        peaks.append((level, hash))
        size += 1
    }

    /// The root of the tree of `size` leaves: the peaks folded from the right.
    package var root: [UInt8] {
        guard var hash = peaks.last?.hash else { return Merkle.emptyRoot }
        for peak in peaks.dropLast().reversed() { hash = Merkle.nodeHash(peak.hash, hash) }
        return hash
    }
}
