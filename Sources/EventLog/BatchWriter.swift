import Foundation
import LMDB

/// Appends events inside one write transaction: assigns `seq`, `recorded_at` and the chain
/// hash, maintains the stream and id indexes, and enforces idempotency and expected
/// versions. Refused events are collected instead of thrown, so one pass over an import
/// reports every bad line; the owning `EventLog` aborts the whole transaction if any were.
package final class BatchWriter {
    /// The write transaction, for layers above that keep projections in step with the log.
    package let transaction: WriteTransaction
    let databases: LogDatabases
    /// The head after the last appended event.
    package var head: LogHead { LogHead(seq: headSeq, hash: headHash, recordedAt: headRecordedAt) }
    private var headSeq: UInt64
    private var headRecordedAt: Int64
    /// The chain hash of the head, overwritten in place by each append.
    @exclusivity(unchecked) private var headHash: [UInt8]
    /// Reused for every stored value and seq key: LMDB copies what it is given.
    @exclusivity(unchecked) private var valueBuffer: [UInt8] = []
    @exclusivity(unchecked) private var keyBuffer = [UInt8](repeating: 0, count: 8)
    /// The clock's one reading for the batch (`recorded_at` is the later of it and the head's).
    package let now: Int64
    private let firstNewSeq: UInt64
    private var linesOfNewEvents: [Int32] = []
    /// What has been appended or recognised so far.
    package private(set) var summary = BatchSummary()
    /// The first refusals (at most `keptErrors`).
    package private(set) var errors: [InputError] = []
    /// How many events were refused.
    package private(set) var errorCount = 0
    /// How many refusals are kept for reporting.
    package static let keptErrors = 20

    init(log: EventLog, transaction: WriteTransaction, databases: LogDatabases, head: LogHead, now: Int64) {
        self.log = log
        self.transaction = transaction
        self.databases = databases
        self.headSeq = head.seq
        self.headRecordedAt = head.recordedAt
        self.headHash = head.hash
        self.now = now
        self.firstNewSeq = head.seq + 1
    }

    /// Records a refusal found by the caller (a bad line, a domain rule).
    package func reject(_ error: InputError) {
        errorCount += 1
        if errors.count < Self.keptErrors { errors.append(error) }
    }

    /// Appends `event`, or recognises it as a duplicate, or records why it is refused and
    /// returns nil. `admit`, when given, is asked last (after duplicates, conflicts and the
    /// expected version) and may refuse the event for reasons of a higher layer.
    /// Throws only storage errors (and whatever `admit` throws).
    @discardableResult
    package func append(
        _ event: NewEvent, line: Int? = nil, expectedVersion: Int? = nil,
        admit: ((NewEvent) throws -> InputError?)? = nil
    ) throws -> AppendOutcome? {
        let seq = headSeq + 1
        let recordedAt = max(now, headRecordedAt)
        var id = event.id ?? UUID().uuidString.lowercased()
        var value: [UInt8] = []
        swap(&value, &valueBuffer)
        defer { swap(&value, &valueBuffer) }
        let contentStart = EventRecord.encodeValue(into: &value, seq: seq, recordedAt: recordedAt, id: id, event: event)
        // An id above every stored id cannot be a duplicate: no probe needed (files with
        // ordered ids, the common case, then append to the id index at its end).
        if let given = event.id, try !isAboveLargestId(given), let holder = try seqHolding(id: given) {
            if try storedContent(at: holder, equals: value[contentStart...]) {
                summary.duplicates += 1
                return .duplicate(seq: holder)
            }
            let place = holder >= firstNewSeq ? "line \(linesOfNewEvents[Int(holder - firstNewSeq)])" : "seq \(holder)"
            reject(InputError(line: line, field: "id", code: .idConflict, reason: "\"\(given)\" is already used by \(place) with different content (conflict)"))
            return nil
        }
        if let expectedVersion {
            let actual = try version(of: event.stream)
            if actual != expectedVersion {
                reject(InputError(
                    line: line, field: nil, code: .versionConflict,
                    reason: "expected version \(expectedVersion), but the stream of \(event.stream) holds \(actual) events (actual version \(actual))"))
                return nil
            }
        }
        if let admit, let refusal = try admit(event) {
            reject(refusal.at(line: line))
            return nil
        }
        SeqKey.write(seq, into: &keyBuffer)
        // Bounded: a fresh random id collides with a stored one about never; a second
        // refusal means the id index itself is damaged, and is reported, not looped on.
        var attempts = 0
        while true {
            attempts += 1
            let ordered = try isAboveLargestId(id)
            let stored = ordered
                ? try idAppender().put(keyBuffer, forKey: id, options: .append)
                : try transaction.put(keyBuffer, forKey: id, in: databases.ids, options: .noOverwrite)
            if stored {
                if ordered { largestId = Array(id.utf8) }
                break
            }
            if ordered {
                // LMDB refused to append a key above the largest one it holds: the index's
                // last page does not hold its largest key.
                throw LogError.damagedStore(reason: "the id index is out of order at its end (seq \(seq) could not be indexed)")
            }
            guard event.id == nil, attempts < Self.maximumIdAttempts else {
                throw LogError.damagedStore(reason: "the id index refused id \"\(id)\" for seq \(seq)")
            }
            // Only a generated id can get here (a given one was probed): draw another.
            id = UUID().uuidString.lowercased()
            _ = EventRecord.encodeValue(into: &value, seq: seq, recordedAt: recordedAt, id: id, event: event)
        }
        try addToTree(record: value[EventRecord.offsetInValue...], seq: seq)
        for index in 0 ..< ChainHash.size { value[index] = headHash[index] }
        ChainHash.chainInPlace(&value)
        for index in 0 ..< ChainHash.size { headHash[index] = value[index] }
        try eventAppender().put(value, forKey: keyBuffer, options: .append)
        try transaction.put(keyBuffer, forKey: event.stream, in: databases.byStream, options: .appendDuplicate)
        headSeq = seq
        headRecordedAt = recordedAt
        linesOfNewEvents.append(Int32(clamping: line ?? 0))
        summary.appended += 1
        if summary.firstSeq == nil { summary.firstSeq = seq }
        summary.lastSeq = seq
        return .appended(seq: seq)
    }

    private var events: AppendCursor?
    private var ids: AppendCursor?
    private var treeNodes: AppendCursor?
    /// The tree's growth for this batch, started at its first append from the stored right
    /// edge (nil until then, and in a store without a tree).
    private var tree: TreePipeline?

    /// Adds the record as leaf `seq − 1`; its nodes are stored in this transaction, as they
    /// are hashed and at the latest by `finishTree`: a proof never sees an event without its leaf.
    private func addToTree(record: ArraySlice<UInt8>, seq: UInt64) throws {
        guard let database = databases.merkle else { return }
        if tree == nil {
            let nodes = StoredMerkleNodes(transaction: transaction, databases: databases, tree: database, size: seq - 1)
            tree = TreePipeline(edge: try MerkleEdge(size: seq - 1, nodes: nodes))
        }
        guard let tree else { return }
        assert(tree.size == seq - 1, "the tree holds the events before this one")
        try store(tree.add(record: record))
    }

    /// Stores the nodes the batch's last events completed; the log calls it before committing.
    func finishTree() throws {
        guard let tree else { return }
        try store(tree.finish())
        self.tree = nil
    }

    private func store(_ nodes: [(key: [UInt8], hash: [UInt8])]) throws {
        guard let database = databases.merkle, !nodes.isEmpty else { return }
        if treeNodes == nil { treeNodes = try transaction.appendCursor(for: database) }
        if let treeNodes { try MerkleStore.append(nodes, with: treeNodes) }
    }

    private func eventAppender() throws -> AppendCursor {
        if let events { return events }
        let cursor = try transaction.appendCursor(for: databases.events)
        events = cursor
        return cursor
    }

    private func idAppender() throws -> AppendCursor {
        if let ids { return ids }
        let cursor = try transaction.appendCursor(for: databases.ids)
        ids = cursor
        return cursor
    }

    /// How many generated ids an append tries before it reports the id index as damaged.
    static let maximumIdAttempts = 4

    /// The largest key of the id index, as stored bytes (a damaged key need not be UTF-8),
    /// read once per batch and kept current.
    private var largestId: [UInt8]?
    private var largestIdLoaded = false

    private func isAboveLargestId(_ id: String) throws -> Bool {
        if !largestIdLoaded {
            largestId = try transaction.withCursor(databases.ids) { cursor in
                try cursor.move(.last) ? cursor.withCurrent { key, _ in key.copiedBytes() } : nil
            }
            largestIdLoaded = true
        }
        guard let largestId else { return true }
        return KeyOrder.precedes(largestId, Array(id.utf8))
    }

    /// The number of events in a stream, including those appended in this batch.
    package func version(of stream: String) throws -> Int {
        try EventLog.version(of: stream, in: transaction, databases: databases)
    }

    /// The ledger's log, for reading back inside this transaction.
    package unowned let log: EventLog

    /// The seq holding `id`, if any (including events appended in this batch).
    package func seqHolding(id: String) throws -> UInt64? {
        try transaction.value(in: databases.ids, forKey: id) { SeqKey.decode($0) } ?? nil
    }

    private func storedContent(at seq: UInt64, equals content: ArraySlice<UInt8>) throws -> Bool {
        let equal = try transaction.value(in: databases.events, forKey: SeqKey.encode(seq)) { value -> Bool in
            do {
                let offset = try EventLayout(value, recordAt: EventRecord.offsetInValue).contentStart
                return value.count - offset == content.count && value.matches(content, at: offset)
            } catch let error as RecordDamage {
                throw LogError.damaged(seq: seq, reason: error.reason)
            }
        }
        guard let equal else { throw LogError.damaged(seq: seq, reason: "the id index points at a missing event") }
        return equal
    }
}
