import Crypto
import Foundation

/// The Merkle tree of RFC 9162 §2.1 (RFC 6962's, for Certificate Transparency) over a list of
/// leaves: leaf hash `SHA-256(0x00 ‖ leaf)`, interior node `SHA-256(0x01 ‖ left ‖ right)`, the
/// tree of n leaves split at the largest power of two below n. Proofs in this form can be
/// checked by any transparency-log tool (docs/proofs.md).
///
/// The hashes come from `MerkleNodes`: the hash of every *complete* subtree — `2^level` leaves
/// starting at a multiple of `2^level` — which is what an append stores (a leaf and the
/// subtrees it completes, two nodes on average). Every other hash a root or a proof needs is
/// combined from O(log n) of them.
package enum Merkle {
    /// Bytes in a hash.
    package static let hashSize = 32

    /// The root of the empty tree: SHA-256 of nothing.
    package static let emptyRoot: [UInt8] = Array(SHA256.hash(data: [UInt8]()))

    /// `SHA-256(0x00 ‖ leaf)`.
    package static func leafHash<Bytes: DataProtocol>(_ leaf: Bytes) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: leafPrefix)
        hasher.update(data: leaf)
        return Array(hasher.finalize())
    }
    private static let leafPrefix: [UInt8] = [leafPrefixByte]
    /// The byte before a leaf's record in its hash.
    static let leafPrefixByte: UInt8 = 0x00

    /// `SHA-256(0x01 ‖ left ‖ right)`.
    package static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: nodePrefix)
        hasher.update(data: left)
        hasher.update(data: right)
        return Array(hasher.finalize())
    }

    private static let nodePrefix: [UInt8] = [nodePrefixByte]
    /// The byte before an interior node's two children in its hash.
    static let nodePrefixByte: UInt8 = 0x01

    /// The largest power of two strictly below `count` (count ≥ 2).
    static func split(_ count: UInt64) -> UInt64 {
        precondition(count >= 2, "only a tree of two leaves or more splits")
        return UInt64(1) << UInt64(63 - (count - 1).leadingZeroBitCount)
    }

    /// Whether leaves `range` form a complete subtree (stored as one node).
    static func isComplete(_ range: Range<UInt64>) -> Bool {
        let count = UInt64(range.count)
        return count > 0 && count & (count - 1) == 0 && range.lowerBound % count == 0
    }

    // MARK: Roots and proofs from stored nodes

    /// MTH(D[range]): the hash of the tree over leaves `range` (RFC 9162 §2.1.1).
    package static func root(of range: Range<UInt64>, in nodes: some MerkleNodes) throws -> [UInt8] {
        if range.isEmpty { return emptyRoot }
        if isComplete(range) {
            let level = UInt64(range.count).trailingZeroBitCount
            return try nodes.hash(level: level, index: range.lowerBound >> UInt64(level))
        }
        let middle = range.lowerBound + split(UInt64(range.count))
        return nodeHash(try root(of: range.lowerBound ..< middle, in: nodes), try root(of: middle ..< range.upperBound, in: nodes))
    }

    /// The root of the tree of the first `size` leaves.
    package static func root(size: UInt64, in nodes: some MerkleNodes) throws -> [UInt8] {
        try root(of: 0 ..< size, in: nodes)
    }

    /// PATH(index, D[size]): the audit path of leaf `index` in the tree of `size` leaves
    /// (RFC 9162 §2.1.3.1), leaf-side first.
    package static func inclusionProof(index: UInt64, size: UInt64, in nodes: some MerkleNodes) throws -> [[UInt8]] {
        precondition(index < size, "the leaf must be in the tree")
        var proof: [[UInt8]] = []
        var range = 0 ..< size
        var leaf = index
        // From the root down, each step halves the range: at most 64 steps.
        while range.count > 1 {
            let middle = range.lowerBound + split(UInt64(range.count))
            if range.lowerBound + leaf < middle {
                proof.append(try root(of: middle ..< range.upperBound, in: nodes))
                range = range.lowerBound ..< middle
            } else {
                proof.append(try root(of: range.lowerBound ..< middle, in: nodes))
                leaf -= middle - range.lowerBound
                range = middle ..< range.upperBound
            }
        }
        return proof.reversed()
    }

    /// PROOF(old, D[new]): the consistency path from the tree of `old` leaves to the tree of
    /// `new` (RFC 9162 §2.1.4.1); empty when `old` is 0 or equals `new`.
    package static func consistencyProof(from old: UInt64, to new: UInt64, in nodes: some MerkleNodes) throws -> [[UInt8]] {
        precondition(old <= new, "a tree does not shrink")
        guard old > 0, old < new else { return [] }
        var proof: [[UInt8]] = []
        var range = 0 ..< new
        var cut = old
        var whole = true
        // SUBPROOF(cut, D[range], whole), unrolled: each step halves the range.
        while true {
            let count = UInt64(range.count)
            if cut == count {
                if !whole { proof.append(try root(of: range, in: nodes)) }
                break
            }
            let middle = range.lowerBound + split(count)
            let half = middle - range.lowerBound
            if cut <= half {
                proof.append(try root(of: middle ..< range.upperBound, in: nodes))
                range = range.lowerBound ..< middle
            } else {
                proof.append(try root(of: range.lowerBound ..< middle, in: nodes))
                cut -= half
                whole = false
                range = middle ..< range.upperBound
            }
        }
        return proof.reversed()
    }

    // MARK: Checking proofs (no nodes needed)

    /// The root an inclusion proof leads to from `leafHash`, or nil when the proof cannot be
    /// one for leaf `index` of `size` leaves (RFC 9162 §2.1.3.2).
    package static func rootFromInclusion(index: UInt64, size: UInt64, leafHash: [UInt8], proof: [[UInt8]]) -> [UInt8]? {
        guard index < size, leafHash.count == hashSize, proof.allSatisfy({ $0.count == hashSize }) else { return nil }
        var fn = index
        var sn = size - 1
        var hash = leafHash
        for sibling in proof {
            guard sn > 0 else { return nil }
            if fn & 1 == 1 || fn == sn {
                hash = nodeHash(sibling, hash)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                hash = nodeHash(hash, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 ? hash : nil
    }

    /// Whether `proof` shows that the tree of `new` leaves with root `newRoot` extends the tree
    /// of `old` leaves with root `oldRoot` (RFC 9162 §2.1.4.2).
    package static func isConsistent(from old: UInt64, to new: UInt64, oldRoot: [UInt8], newRoot: [UInt8], proof: [[UInt8]]) -> Bool {
        guard old <= new, oldRoot.count == hashSize, newRoot.count == hashSize, proof.allSatisfy({ $0.count == hashSize }) else { return false }
        if old == new { return proof.isEmpty && oldRoot == newRoot }
        if old == 0 { return proof.isEmpty }
        guard !proof.isEmpty else { return false }
        var path = proof
        if old & (old - 1) == 0 { path.insert(oldRoot, at: 0) }
        var fn = old - 1
        var sn = new - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var oldHash = path[0]
        var newHash = path[0]
        for sibling in path.dropFirst() {
            guard sn > 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                oldHash = nodeHash(sibling, oldHash)
                newHash = nodeHash(sibling, newHash)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                newHash = nodeHash(newHash, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && oldHash == oldRoot && newHash == newRoot
    }

    // MARK: Appending

    /// The nodes appending leaf number `index` (0-based) with hash `leafHash` adds: the leaf
    /// itself (level 0) and every complete subtree it completes, up the right edge. Reads the
    /// left siblings from `nodes`. One node more than `index` has trailing one-bits: two on
    /// average, 64 at most.
    package static func nodesCompleted(byAppending leafHash: [UInt8], at index: UInt64, in nodes: some MerkleNodes)
        throws -> [(level: Int, index: UInt64, hash: [UInt8])] {
        var added = [(level: 0, index: index, hash: leafHash)]
        var hash = leafHash
        var position = index
        var level = 0
        // At most 64 levels: `position` loses a bit each step.
        while position & 1 == 1 {
            let left = try nodes.hash(level: level, index: position - 1)
            hash = nodeHash(left, hash)
            position >>= 1
            level += 1
            added.append((level, position, hash))
        }
        return added
    }
}

/// Where the hashes of complete subtrees come from: the store's tree, or memory.
package protocol MerkleNodes {
    /// The hash of the complete subtree of `2^level` leaves starting at leaf `index << level`.
    func hash(level: Int, index: UInt64) throws -> [UInt8]
}

/// A tree held in memory, level by level (tests, and checking a receipt's events).
package struct MemoryMerkleTree: MerkleNodes, Sendable {
    /// `levels[l][i]`: the complete subtree of level l at index i.
    package private(set) var levels: [[[UInt8]]] = []

    package init() {}

    package var size: UInt64 { UInt64(levels.first?.count ?? 0) }

    package enum Missing: Error { case node(level: Int, index: UInt64) }

    package func hash(level: Int, index: UInt64) throws -> [UInt8] {
        guard level < levels.count, index < UInt64(levels[level].count) else { throw Missing.node(level: level, index: index) }
        return levels[level][Int(index)]
    }

    /// Appends a leaf (its hash) and the subtrees it completes.
    package mutating func append(leafHash: [UInt8]) throws {
        for (level, index, hash) in try Merkle.nodesCompleted(byAppending: leafHash, at: size, in: self) {
            if level == levels.count { levels.append([]) }
            precondition(UInt64(levels[level].count) == index, "nodes are completed in order")
            levels[level].append(hash)
        }
    }
}
