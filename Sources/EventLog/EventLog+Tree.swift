import Foundation
import LMDB
import Synchronization

/// Why a tree question cannot be answered (docs/proofs.md): the answer is "no", not damage.
public enum TreeError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The store was made before the tree and could not be given it (opened read-only).
    case noTree(folder: String)
    /// A tree size larger than the log.
    case sizeBeyondLog(size: UInt64, events: UInt64)
    /// A seq that is not in the tree of `size` leaves.
    case seqOutsideTree(seq: UInt64, size: UInt64)
    /// A consistency proof asked from a larger tree to a smaller one.
    case shrinkingTree(from: UInt64, to: UInt64)

    public var description: String {
        switch self {
        case .noTree(let folder):
            "\(folder) was made before the Merkle tree and has not been given one: run `recovery upgrade` as a user who may write it"
        case .sizeBeyondLog(let size, let events): "the ledger holds \(events) events, so it has no tree of size \(size)"
        case .seqOutsideTree(let seq, let size): "seq \(seq) is not in the tree of size \(size) (seqs 1–\(size))"
        case .shrinkingTree(let from, let to): "a tree of size \(from) cannot grow into one of size \(to)"
        }
    }
}

extension EventLog {
    /// Tells a terminal how the tree's first build is going (set by the command line; nil
    /// elsewhere): events done, events in all.
    package static let treeBuildProgress = Mutex<(@Sendable (_ done: UInt64, _ total: UInt64) -> Void)?>(nil)
    /// Events between two progress reports.
    static let progressInterval: UInt64 = 1 << 17

    /// Whether the store keeps a Merkle tree (format 2).
    public var hasTree: Bool { databases.merkle != nil }

    /// Gives a format-1 store its tree in one write transaction — every record's leaf and
    /// the stored nodes, exactly as the appends since would have written them — and moves
    /// its format to 2. Returns the log opened with its tree. Another process that did it
    /// first is found inside the transaction, and its tree is used.
    package func upgradeTree() throws -> EventLog {
        let report = Self.treeBuildProgress.withLock { $0 }
        let tree = try Self.storageErrors(folder: folder) {
            try environment.write { transaction -> Database in
                let tree = try transaction.openDatabase(LogDatabases.merkleName, options: .create)
                let format = try transaction.bytes(in: databases.meta, forKey: Array("format".utf8)).map { String(decoding: $0, as: UTF8.self) }
                if format == Self.formatName { return tree }
                guard format == Self.formatWithoutTree, try transaction.entryCount(tree) == 0 else {
                    throw LogError.damagedStore(reason: "format \(format ?? "none") with a partial Merkle tree")
                }
                let total = try head(in: transaction).seq
                // The records are copied on this thread and hashed on another (`TreePipeline`).
                let pipeline = TreePipeline(edge: MerkleEdge())
                let nodes = try transaction.appendCursor(for: tree)
                try transaction.withCursor(databases.events) { cursor in
                    guard try cursor.move(.first) else { return }
                    // Bounded by the log: one step per stored event, in seq order.
                    repeat {
                        let finished = try cursor.withCurrent { key, value in
                            let seq = SeqKey.decode(key)
                            guard seq == pipeline.size + 1, value.count > EventRecord.offsetInValue else {
                                throw LogError.damaged(seq: pipeline.size + 1, reason: "the log is not a gap-free run of records; run `recovery verify`")
                            }
                            return pipeline.add(storedValue: value)
                        }
                        try MerkleStore.append(finished, with: nodes)
                        if let report, pipeline.size % Self.progressInterval == 0 { report(pipeline.size, total) }
                    } while try cursor.move(.next)
                }
                try MerkleStore.append(pipeline.finish(), with: nodes)
                try transaction.put(Array(Self.formatName.utf8), forKey: Array("format".utf8), in: databases.meta)
                try transaction.put(Array(MerkleStore.hashAlgorithm.utf8), forKey: Array(Self.treeHashKey.utf8), in: databases.meta)
                try transaction.put(Array(try Self.metadataChecksum(in: transaction, databases: databases).utf8),
                                    forKey: Array(Self.checksumKey.utf8), in: databases.meta)
                report?(total, total)
                return tree
            }
        }
        return EventLog(folder: folder, environment: environment,
                        databases: LogDatabases([databases.events, databases.byStream, databases.ids, databases.meta], merkle: tree),
                        clock: clock)
    }

    /// Runs `body` with the tree of the whole log as one read snapshot sees it.
    func withTree<T>(_ body: (_ nodes: StoredMerkleNodes, _ head: LogHead) throws -> T) throws -> T {
        guard let tree = databases.merkle else { throw TreeError.noTree(folder: folder) }
        return try Self.storageErrors(folder: folder) {
            try environment.read { transaction in
                let head = try head(in: transaction)
                return try body(StoredMerkleNodes(transaction: transaction, databases: databases, tree: tree, size: head.seq), head)
            }
        }
    }

    /// The root of the tree of the first `size` events (default: all of them), and the size.
    package func treeRoot(size: UInt64? = nil) throws -> (size: UInt64, root: [UInt8]) {
        try withTree { nodes, head in
            let size = size ?? head.seq
            guard size <= head.seq else { throw TreeError.sizeBeyondLog(size: size, events: head.seq) }
            return (size, try Merkle.root(size: size, in: nodes))
        }
    }

    /// The entry at `seq` and its audit path in the tree of `size` events (default: all),
    /// with that tree's root.
    package func inclusionProof(seq: UInt64, size: UInt64? = nil) throws -> (entry: LoggedEntry, size: UInt64, root: [UInt8], path: [[UInt8]]) {
        guard let tree = databases.merkle else { throw TreeError.noTree(folder: folder) }
        return try Self.storageErrors(folder: folder) {
            try environment.read { transaction in
                let events = try head(in: transaction).seq
                let size = size ?? events
                guard size <= events else { throw TreeError.sizeBeyondLog(size: size, events: events) }
                guard seq >= 1, seq <= size else { throw TreeError.seqOutsideTree(seq: seq, size: size) }
                let nodes = StoredMerkleNodes(transaction: transaction, databases: databases, tree: tree, size: events)
                guard let entry = try entry(at: seq, in: transaction) else { throw LogError.damaged(seq: seq, reason: "the event is missing") }
                return (entry, size, try Merkle.root(size: size, in: nodes), try Merkle.inclusionProof(index: seq - 1, size: size, in: nodes))
            }
        }
    }

    /// The consistency path from the tree of `old` events to that of `new` (default: all),
    /// with both roots.
    package func consistencyProof(from old: UInt64, to new: UInt64? = nil) throws -> (new: UInt64, oldRoot: [UInt8], newRoot: [UInt8], path: [[UInt8]]) {
        try withTree { nodes, head in
            let new = new ?? head.seq
            guard new <= head.seq else { throw TreeError.sizeBeyondLog(size: new, events: head.seq) }
            guard old <= new else { throw TreeError.shrinkingTree(from: old, to: new) }
            return (new, try Merkle.root(size: old, in: nodes), try Merkle.root(size: new, in: nodes),
                    try Merkle.consistencyProof(from: old, to: new, in: nodes))
        }
    }
}
