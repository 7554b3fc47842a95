import Crypto
import Foundation
import LMDB

/// How `verify` splits the log over the cores (docs/decisions.md, "verify checks the log in
/// parts on every core").
struct VerifySplit: Sendable {
    /// Parts start at multiples of 2^`blockLevel` leaves, so that every tree node of that level
    /// or lower lies within one part; the few nodes above it are checked after the parts.
    let blockLevel: Int
    /// Most parts a core gets: a few, so that a core finishing early takes another (the parts'
    /// costs differ with their records' sizes and the machine's other work).
    let partsPerCore: Int
    /// The cores counted; nil for the machine's (tests fix it, so that the parts are the same
    /// on every machine).
    let cores: Int?

    /// 2^14 leaves a block: 1,000,000 events make 62 blocks, and 64 nodes above them at most;
    /// 4 parts a core (16 measured no different).
    static let standard = VerifySplit(blockLevel: 14, partsPerCore: 4)

    init(blockLevel: Int, partsPerCore: Int, cores: Int? = nil) {
        // The tree's stored levels start at `lowestStoredLevel`: a block holds one stored node.
        precondition(blockLevel >= MerkleStore.lowestStoredLevel && blockLevel < 40, "a block level between the lowest stored level and 39")
        precondition(partsPerCore >= 1 && (cores ?? 1) >= 1, "at least one part a core, and one core")
        self.blockLevel = blockLevel
        self.partsPerCore = partsPerCore
        self.cores = cores
    }

    /// The parts a log of `blocks` blocks is cut into.
    func parts(blocks: UInt64) -> UInt64 {
        min(blocks, UInt64(partsPerCore * (cores ?? max(ProcessInfo.processInfo.activeProcessorCount, 1))))
    }
}

extension EventLog {
    /// `verify`'s first pass: every check of the sequential walk, split into seq ranges checked
    /// on every core at once (each in its own read transaction of the caller's very snapshot)
    /// beside the two index walks. The chain needs no sequence: record n is checked against
    /// the stored hash of n − 1, and if every record's check holds, the stored hashes are the
    /// chain from `hash(0)` by induction. Returns the report of an intact log, or nil when any
    /// part finds anything wrong (or cannot read that snapshot): the sequential walk then runs
    /// and names the first problem, as it always has. A failing read of the caller's own
    /// snapshot is thrown, as the walk would throw it.
    func verifiedInParts(in transaction: Transaction, digest: (seq: UInt64, hash: [UInt8])?, split: VerifySplit) throws -> VerificationReport? {
        // The last seq, read from the last key: a log whose keys are not exactly 1…count is
        // left to the sequential walk.
        let lastSeq = try transaction.withCursor(databases.events) { cursor -> UInt64? in
            guard try cursor.move(.last) else { return nil }
            return cursor.withCurrent { key, _ in SeqKey.decode(key) }
        }
        // A damaged last key can name any seq: one beyond `Int` is no count at all.
        guard let count = lastSeq, count > 0, let entries = Int(exactly: count), try transaction.entryCount(databases.events) == entries else { return nil }
        if let digest, digest.seq == 0 || digest.seq > count { return nil }
        if let tree = databases.merkle, try transaction.entryCount(tree) != MerkleStore.storedNodes(size: count) { return nil }
        guard try transaction.entryCount(databases.byStream) == entries, try transaction.entryCount(databases.ids) == entries else { return nil }

        let blockSize = UInt64(1) << UInt64(split.blockLevel)
        let blocks = (count + blockSize - 1) / blockSize
        let partCount = split.parts(blocks: blocks)
        var jobs: [VerifyJob] = [.index(databases.byStream), .index(databases.ids)]
        for part in 0 ..< partCount {
            let first = blocks * part / partCount * blockSize + 1
            let last = min(blocks * (part + 1) / partCount * blockSize, count)
            jobs.append(.events(first ... last))
        }
        let snapshot = try transaction.snapshotID()
        let results = jobs.parallelMap { job -> VerifyJobResult in
            do {
                return try environment.read { own in
                    // Only the caller's snapshot: a writer's commit in between would show more.
                    guard try own.snapshotID() == snapshot else { return .refused }
                    switch job {
                    case .index(let database): return .index(try fingerprint(of: database, in: own))
                    case .events(let seqs): return try checkPart(seqs, blockLevel: split.blockLevel, in: own).map { .events($0) } ?? .refused
                    }
                }
            } catch {
                // The sequential walk meets the same failure and reports it.
                return .refused
            }
        }
        var prints = IndexPrints()
        var indexPrints: [IndexFingerprint] = []
        var roots: [[UInt8]] = []
        for result in results {
            switch result {
            case .refused: return nil
            case .index(let print): indexPrints.append(print)
            case .events(let part):
                prints.merge(part.prints)
                roots += part.roots
            }
        }
        guard indexPrints == [prints.stream, prints.id] else { return nil }
        if let tree = databases.merkle, try !nodesAboveBlocksMatch(roots, blockLevel: split.blockLevel, tree: tree, in: transaction) { return nil }
        if let digest {
            let matches = try transaction.value(in: databases.events, forKey: SeqKey.encode(digest.seq)) {
                digest.hash.count == ChainHash.size && $0.matches(digest.hash, at: 0)
            }
            guard matches == true else { return nil }
        }
        guard let head = try transaction.value(in: databases.events, forKey: SeqKey.encode(count), { $0.copiedBytes(from: 0, count: ChainHash.size) }) else { return nil }
        return VerificationReport(ok: true, events: entries, headSeq: count, headHash: ChainHash.hex(head), firstBadSeq: nil, reason: nil)
    }

    /// Checks the records `seqs` (a part starting at a block's first leaf) exactly as the
    /// sequential walk does, the stored hash of the record before them standing for the chain
    /// so far; returns what the part vouches for, or nil at the first problem.
    private func checkPart(_ seqs: ClosedRange<UInt64>, blockLevel: Int, in transaction: Transaction) throws -> VerifyPart? {
        var part = VerifyPart()
        var chain = ChainWalk()
        var previousRecordedAt = Int64.min
        if seqs.lowerBound > 1 {
            let seed = try transaction.value(in: databases.events, forKey: SeqKey.encode(seqs.lowerBound - 1)) { value -> Int64? in
                guard value.count > EventRecord.offsetInValue, let layout = try? EventLayout(value, recordAt: EventRecord.offsetInValue) else { return nil }
                chain = ChainWalk(after: value)
                return layout.recordedAt
            }
            guard let seed, let recordedAt = seed else { return nil }
            previousRecordedAt = recordedAt
        }
        return try withOptionalCursor(transaction, databases.merkle) { treeCursor -> VerifyPart? in
            var stored = treeCursor.map { StoredNodeWalk(cursor: $0, firstLeaf: seqs.lowerBound - 1, blockLevel: blockLevel) }
            var block = BlockTree(level: blockLevel)
            return try transaction.withCursor(databases.events) { cursor -> VerifyPart? in
                guard try cursor.move(.setRange, key: SeqKey.encode(seqs.lowerBound)) else { return nil }
                var expected = seqs.lowerBound
                // At most the part's records: the walk stops past its last seq.
                repeat {
                    let holds = try cursor.withCurrent { key, value -> Bool in
                        guard SeqKey.decode(key) == expected, value.count > EventRecord.offsetInValue else { return false }
                        let chained = chain.next(storedValue: value)
                        guard ChainWalk.stored(value, holds: chained) else { return false }
                        guard case .success(let layout) = Self.checkedLayout(
                            of: value, seq: expected, record: chain.record, after: previousRecordedAt) else { return false }
                        part.prints.add(value, layout)
                        if stored != nil {
                            let leaf = chain.leafHash()
                            let leafIndex = expected - 1
                            let fits = try block.add(leaf) { level, hash in try stored?.next(level: level, lastLeaf: leafIndex, is: hash) ?? false }
                            guard fits else { return false }
                            if let root = block.takeRoot() { part.roots.append(root) }
                        }
                        chain.adopt(chained)
                        previousRecordedAt = layout.recordedAt
                        expected += 1
                        return true
                    }
                    guard holds else { return nil }
                    if expected > seqs.upperBound { return part }
                } while try cursor.move(.next)
                return nil
            }
        }
    }

    /// Checks the stored nodes above the blocks (levels above `blockLevel`), combined from the
    /// blocks' roots in order as the writer's edge combines subtrees: one lookup a node, about
    /// one a block.
    private func nodesAboveBlocksMatch(_ roots: [[UInt8]], blockLevel: Int, tree: Database, in transaction: Transaction) throws -> Bool {
        var peaks: [(level: Int, hash: [UInt8])] = []
        for (block, root) in roots.enumerated() {
            var hash = root
            var level = blockLevel
            // At most 64 merges: each removes a peak of the next level up.
            while let last = peaks.last, last.level == level {
                hash = Merkle.nodeHash(last.hash, hash)
                peaks.removeLast()
                level += 1
                let index = (((UInt64(block) + 1) << UInt64(blockLevel)) >> UInt64(level)) - 1
                let matches = try transaction.value(in: tree, forKey: MerkleStore.key(level: level, index: index)) { span in
                    span.count == Merkle.hashSize && span.matches(hash, at: 0)
                }
                guard matches == true else { return false }
            }
            peaks.append((level, hash))
        }
        return true
    }
}

/// A piece of `verify`'s first pass.
private enum VerifyJob: Sendable {
    /// The records of these seqs.
    case events(ClosedRange<UInt64>)
    /// One index, walked in its own order and fingerprinted.
    case index(Database)
}

private enum VerifyJobResult: Sendable {
    case events(VerifyPart)
    case index(IndexFingerprint)
    /// Something is wrong, or the snapshot was not the caller's.
    case refused
}

/// What a part vouches for once its records all hold.
private struct VerifyPart: Sendable {
    /// The (stream, seq) and (id, seq) pairs its records hold.
    var prints = IndexPrints()
    /// The root of each complete block of its records, in order.
    var roots: [[UInt8]] = []
}

/// The tree of one block of 2^`level` leaves, grown leaf by leaf as the writer's `MerkleEdge`
/// grows, but kept flat: the peaks in one buffer and each node hashed from one buffer, so a
/// node allocates nothing.
private struct BlockTree {
    let level: Int
    /// The peaks' hashes, 32 bytes each, largest first; at most `level` + 1 of them.
    private var peaks: [UInt8]
    private var peakLevels: [Int] = []
    /// `0x01 ‖ left ‖ right`: a node's input.
    private var node = [UInt8](repeating: Merkle.nodePrefixByte, count: 1 + 2 * Merkle.hashSize)
    private var leaves: UInt64 = 0

    init(level: Int) {
        self.level = level
        peaks = [UInt8](repeating: 0, count: (level + 1) * Merkle.hashSize)
        peakLevels.reserveCapacity(level + 1)
    }

    /// Adds a leaf; `completed` is shown each stored-level node it completes and says whether
    /// it matches. Returns false at the first that does not.
    mutating func add(_ leaf: SHA256Digest, completed: (_ level: Int, _ hash: SHA256Digest) throws -> Bool) rethrows -> Bool {
        precondition(leaves < UInt64(1) << UInt64(level), "a block's root is taken before its next leaf")
        var hash = leaf
        var height = 0
        // At most `level` merges: each removes a peak of the next level up.
        while let top = peakLevels.last, top == height {
            let start = (peakLevels.count - 1) * Merkle.hashSize
            node.replaceSubrange(1 ... Merkle.hashSize, with: peaks[start ..< start + Merkle.hashSize])
            node.overwrite(from: 1 + Merkle.hashSize, withContentsOf: hash)
            hash = SHA256.hash(data: node)
            peakLevels.removeLast()
            height += 1
            if height >= MerkleStore.lowestStoredLevel, try !completed(height, hash) { return false }
        }
        peaks.overwrite(from: peakLevels.count * Merkle.hashSize, withContentsOf: hash)
        peakLevels.append(height)
        leaves += 1
        return true
    }

    /// The block's root once all its leaves are in (and the tree empty again for the next block).
    mutating func takeRoot() -> [UInt8]? {
        guard peakLevels == [level] else { return nil }
        peakLevels.removeAll(keepingCapacity: true)
        leaves = 0
        return Array(peaks[..<Merkle.hashSize])
    }
}

/// The stored nodes of levels up to a block's, read in key order from a part's first leaf:
/// the order in which a part's blocks complete them. Nodes above that level are passed over
/// (they are checked after the parts); together with the count of stored nodes, this checks
/// that the stored tree is exactly the one the records make.
private struct StoredNodeWalk {
    let cursor: Cursor
    let firstLeaf: UInt64
    let blockLevel: Int
    private var positioned = false

    init(cursor: Cursor, firstLeaf: UInt64, blockLevel: Int) {
        self.cursor = cursor
        self.firstLeaf = firstLeaf
        self.blockLevel = blockLevel
    }

    /// Whether the next stored node is the one of `level` whose last leaf is `lastLeaf`, holding `hash`.
    mutating func next(level: Int, lastLeaf: UInt64, is hash: SHA256Digest) throws -> Bool {
        // At most the nodes above the block's level between two of a block's: about one a block.
        while true {
            let moved = positioned ? try cursor.move(.next) : try cursor.move(.setRange, key: SeqKey.encode(firstLeaf))
            positioned = true
            guard moved else { return false }
            // Nil for a node above the block's level, passed over.
            let matches = cursor.withCurrent { key, value -> Bool? in
                let isNode = key.count == SeqKey.size + 1
                if isNode, Int(key[SeqKey.size]) > blockLevel { return nil }
                return isNode && SeqKey.decode(key.extracting(..<SeqKey.size)) == lastLeaf
                    && Int(key[SeqKey.size]) == level && value.count == Merkle.hashSize && value.matches(contentsOf: hash, at: 0)
            }
            if let matches { return matches }
        }
    }
}
