import LMDB

extension EventLog {
    /// Recomputes the whole chain from `hash(0)` and checks every stored hash, every record's
    /// own seq and time order, and every index entry against the records. With `digest`,
    /// also checks that the chain hash at that seq is the published one: a head hash
    /// published earlier proves that nothing before it changed since.
    /// Also checks the metadata's checksum and, unless `checkingWitness` is false, that the
    /// store is not behind its head witness.
    public func verify(digest: (seq: UInt64, hash: [UInt8])? = nil, checkingWitness: Bool = true) throws -> VerificationReport {
        try verify(digest: digest, checkingWitness: checkingWitness, split: .standard)
    }

    /// `verify` with the log split as `split` says (tests use small blocks).
    func verify(digest: (seq: UInt64, hash: [UInt8])?, checkingWitness: Bool, split: VerifySplit) throws -> VerificationReport {
        let witness = checkingWitness ? try HeadWitness.read(folder: folder) : nil
        return try Self.storageErrors(folder: folder) {
            try environment.read { transaction in
                let report = try verifiedInParts(in: transaction, digest: digest, split: split)
                    ?? verifiedInOneWalk(in: transaction, digest: digest)
                guard report.ok else { return report }
                func failure(_ seq: UInt64?, _ reason: String) -> VerificationReport { report.failing(at: seq, reason: reason) }
                if let problem = try metadataProblem(in: transaction) { return failure(nil, problem) }
                if let witness, let problem = try witnessProblem(witness, head: try head(in: transaction), in: transaction) {
                    return failure(problem.seq, "the store went backwards: " + problem.detail)
                }
                return report
            }
        }
    }

    /// `verify`'s sequential walk, which names the first problem: it runs when the parts'
    /// pass (`verifiedInParts`) does not vouch for the log.
    func verifiedInOneWalk(in transaction: Transaction, digest: (seq: UInt64, hash: [UInt8])?) throws -> VerificationReport {
        var chain = ChainWalk()
        var previousRecordedAt = Int64.min
        var expected: UInt64 = 1
        func failure(_ seq: UInt64, _ reason: String) -> VerificationReport {
            VerificationReport(ok: false, events: Int(expected - 1), headSeq: expected - 1, headHash: ChainHash.hex(chain.previousHash),
                               firstBadSeq: seq, reason: reason)
        }
        // The tree is recomputed from the records on another core (`TreePipeline`, as the
        // batch append grows it), and each node it completes is compared here with the next
        // stored one (they are stored in that order). Its nodes come back a few chunks behind
        // the walk, so a problem found in the walk waits for the tree's verdict on the seqs
        // before it: the first bad seq is reported, as in a walk that checked each in turn.
        // The same core fingerprints what the two indexes must hold (checked after the walk);
        // without a tree, this walk does.
        let tree = databases.merkle.map { _ in TreePipeline(edge: MerkleEdge(), fingerprinting: true) }
        var prints = IndexPrints()
        let walked: (found: VerificationReport?, tree: (seq: UInt64, reason: String)?) = try withOptionalCursor(transaction, databases.merkle) { treeCursor in
            var nodes = TreeComparison(cursor: treeCursor)
            let found = try transaction.withCursor(databases.events) { cursor -> VerificationReport? in
            guard try cursor.move(.first) else { return nil }
            repeat {
                let found: VerificationReport? = try cursor.withCurrent { key, value in
                    guard let seq = SeqKey.decode(key) else { return failure(expected, "malformed key in the event database") }
                    guard seq == expected else {
                        return failure(expected, "seq \(expected) is missing: the next stored event is \(seq)")
                    }
                    guard value.count > EventRecord.offsetInValue else { return failure(seq, "stored value is too short to hold a hash and a record") }
                    let computed = chain.next(storedValue: value)
                    guard ChainWalk.stored(value, holds: computed) else {
                        return failure(seq, "chain hash mismatch: the record or its stored hash was altered")
                    }
                    let layout: EventLayout
                    switch Self.checkedLayout(of: value, seq: seq, record: chain.record, after: previousRecordedAt) {
                    case .success(let checked): layout = checked
                    case .failure(let problem): return failure(seq, problem.reason)
                    }
                    if let tree {
                        try nodes.compare(tree.add(storedValue: value))
                        // An earlier seq's node is wrong: the walk stops there.
                        if nodes.problem != nil { return failure(seq, "") }
                    }
                    if let digest, digest.seq == seq, !digest.hash.elementsEqual(computed) {
                        return failure(seq, "chain hash at seq \(seq) is \(ChainHash.hex(Array(computed))), not the published \(ChainHash.hex(digest.hash)): the history up to it was rewritten")
                    }
                    if tree == nil { prints.add(value, layout) }
                    chain.adopt(computed)
                    previousRecordedAt = layout.recordedAt
                    expected += 1
                    return nil
                }
                if let found { return found }
            } while try cursor.move(.next)
            return nil
            }
            // The tree's verdict on every record added to it (and the other core idle again).
            if let tree {
                let rest = tree.finish()
                if nodes.problem == nil { try nodes.compare(rest) }
                prints = tree.prints ?? prints
            }
            return (found, nodes.problem)
        }
        if let problem = walked.tree, walked.found.map({ problem.seq <= $0.firstBadSeq ?? 0 }) ?? true {
            // The chain up to the seq before the bad node was checked: its stored hash is its hash.
            let before = problem.seq - 1
            let hash = before == 0 ? ChainHash.genesis
                : try transaction.value(in: databases.events, forKey: SeqKey.encode(before)) { $0.copiedBytes(from: 0, count: ChainHash.size) } ?? []
            return VerificationReport(ok: false, events: Int(before), headSeq: before, headHash: ChainHash.hex(hash),
                                      firstBadSeq: problem.seq, reason: problem.reason)
        }
        if let problem = walked.found { return problem }
        let count = expected - 1
        if let tree = databases.merkle, try transaction.entryCount(tree) != MerkleStore.storedNodes(size: count) {
            return failure(count, "the Merkle tree holds \(try transaction.entryCount(tree)) nodes where \(count) events make \(MerkleStore.storedNodes(size: count)): it holds nodes beyond the log")
        }
        if let digest, digest.seq > count || digest.seq == 0 {
            return failure(digest.seq, "the log holds \(count) events, so it has no seq \(digest.seq)")
        }
        if try transaction.entryCount(databases.byStream) != Int(count) {
            return try strayIndexEntry(in: transaction, database: databases.byStream, count: count, failure: failure)
                ?? failure(count, "the stream index holds a different number of entries than the log")
        }
        if try transaction.entryCount(databases.ids) != Int(count) {
            return try strayIndexEntry(in: transaction, database: databases.ids, count: count, failure: failure)
                ?? failure(count, "the id index holds a different number of entries than the log")
        }
        if try fingerprint(of: databases.byStream, in: transaction) != prints.stream || fingerprint(of: databases.ids, in: transaction) != prints.id {
            return try firstIndexProblem(in: transaction, count: count)
                ?? failure(count, "the indexes do not hold exactly the records' entries")
        }
        return VerificationReport(ok: true, events: Int(count), headSeq: count, headHash: ChainHash.hex(chain.previousHash),
                                  firstBadSeq: nil, reason: nil)
    }

    /// Why a stored record is wrong, besides its chain hash.
    struct RecordProblem: Error {
        let reason: String
    }

    /// The checks of one stored record (`value`, at `seq`; `record` is a copy of its bytes after
    /// the hash) besides its chain hash, the same in every walk of `verify`: its canonical form,
    /// the seq it names, and its time order after the previous record's `recorded_at`.
    /// Returns its layout.
    static func checkedLayout(of value: Span<UInt8>, seq: UInt64, record: ArraySlice<UInt8>, after previousRecordedAt: Int64) -> Result<EventLayout, RecordProblem> {
        // The canonical form is checked in place; only a record it cannot vouch for is decoded
        // and encoded again, which names what is wrong.
        if !CanonicalCheck.isCanonical(value, recordAt: EventRecord.offsetInValue, end: value.count) {
            let event: StoredEvent
            do { event = try EventRecord.decode(value: value) } catch {
                return .failure(RecordProblem(reason: "record cannot be decoded: \(error.reason)"))
            }
            guard event.seq == seq else { return .failure(RecordProblem(reason: "record says seq \(event.seq) but is stored at \(seq)")) }
            guard EventRecord.encode(event)[...] == record else {
                return .failure(RecordProblem(reason: "record is not in canonical form (it decodes, but the log never writes it so)"))
            }
        }
        let layout: EventLayout
        do { layout = try EventLayout(value, recordAt: EventRecord.offsetInValue) } catch {
            return .failure(RecordProblem(reason: "record cannot be decoded: \(error.reason)"))
        }
        guard layout.seq == seq else { return .failure(RecordProblem(reason: "record says seq \(layout.seq) but is stored at \(seq)")) }
        guard layout.recordedAt >= previousRecordedAt else { return .failure(RecordProblem(reason: "recorded_at goes back in time")) }
        return .success(layout)
    }

    /// Compares the nodes a recomputed tree completes with the stored tree, in order, and keeps
    /// the first that differs (the seq of the leaf that completed it, and why).
    private struct TreeComparison {
        let cursor: Cursor?
        var started = false
        private(set) var problem: (seq: UInt64, reason: String)?

        init(cursor: Cursor?) { self.cursor = cursor }

        mutating func compare(_ nodes: [(key: [UInt8], hash: [UInt8])]) throws {
            guard let cursor else { return }
            for node in nodes where problem == nil {
                let moved = try cursor.move(started ? .next : .first)
                started = true
                let matches = moved && cursor.withCurrent { storedKey, storedHash in
                    storedKey.elementsEqual(node.key) && storedHash.elementsEqual(node.hash)
                }
                if !matches {
                    let (level, index) = MerkleStore.node(ofKey: node.key)
                    problem = ((index + 1) << UInt64(level), "the Merkle tree's \(MerkleStore.seqs(level: level, index: index)) is missing or does not match the records")
                }
            }
        }
    }

    /// The fingerprint of every (key, seq) entry of `database`, walked in its own order.
    func fingerprint(of database: Database, in transaction: Transaction) throws -> IndexFingerprint {
        var print = IndexFingerprint()
        try transaction.withCursor(database) { cursor in
            guard try cursor.move(.first) else { return }
            repeat {
                let malformed = cursor.withCurrent { key, value -> Bool in
                    guard let seq = SeqKey.decode(value) else { return true }
                    print.add(key, seq: seq)
                    return false
                }
                // A malformed entry changes the print: it is counted with an impossible seq.
                if malformed { print.add("", seq: 0) }
            } while try cursor.move(.next)
        }
        return print
    }

    /// Where the indexes and the records part, found the slow way once the fingerprints
    /// differ: the first event the stream index lacks or the id index does not point at
    /// (reported as the chain up to the event before it), or an entry naming another event.
    private func firstIndexProblem(in transaction: Transaction, count: UInt64) throws -> VerificationReport? {
        var previousHash = ChainHash.genesis
        for seq in 1 ... max(count, 1) where count > 0 {
            let found = try transaction.value(in: databases.events, forKey: SeqKey.encode(seq)) { value -> (StoredEvent, [UInt8])? in
                guard let event = try? EventRecord.decode(value: value) else { return nil }
                return (event, value.copiedBytes(from: 0, count: ChainHash.size))
            }
            guard let (event, hash) = found ?? nil else { break }
            func failure(_ reason: String) -> VerificationReport {
                VerificationReport(ok: false, events: Int(seq - 1), headSeq: seq - 1, headHash: ChainHash.hex(previousHash),
                                   firstBadSeq: seq, reason: reason)
            }
            let indexed = try transaction.withCursor(databases.byStream) { index in
                try index.move(.getBoth, key: Array(event.stream.utf8), value: SeqKey.encode(seq))
            }
            guard indexed else { return failure("the stream index lacks this event") }
            let idHolder = try transaction.value(in: databases.ids, forKey: Array(event.id.utf8)) { SeqKey.decode($0) }
            guard idHolder == seq else { return failure("the id index does not point at this event") }
            previousHash = hash
        }
        return try strayIndexEntry(in: transaction, database: databases.byStream, count: count) { seq, reason in
            VerificationReport(ok: false, events: Int(count), headSeq: count, headHash: ChainHash.hex(previousHash), firstBadSeq: seq, reason: reason)
        } ?? strayIndexEntry(in: transaction, database: databases.ids, count: count) { seq, reason in
            VerificationReport(ok: false, events: Int(count), headSeq: count, headHash: ChainHash.hex(previousHash), firstBadSeq: seq, reason: reason)
        }
    }

    func withOptionalCursor<T>(_ transaction: Transaction, _ database: Database?, _ body: (Cursor?) throws -> T) throws -> T {
        guard let database else { return try body(nil) }
        return try transaction.withCursor(database) { try body($0) }
    }

    /// Finds an index entry that names no event, or an event of another stream/id.
    private func strayIndexEntry(
        in transaction: Transaction, database: Database, count: UInt64,
        failure: (UInt64, String) -> VerificationReport
    ) throws -> VerificationReport? {
        var lowest: (seq: UInt64, reason: String)?
        try transaction.withCursor(database) { cursor in
            guard try cursor.move(.first) else { return }
            repeat {
                let (key, seq) = cursor.withCurrent { key, value in (key.copiedBytes(), SeqKey.decode(value)) }
                guard let seq else { lowest = (1, "malformed entry in \(database.name)"); return }
                var reason: String?
                if seq == 0 || seq > count {
                    reason = "\(database.name) names seq \(seq), which is not in the log"
                } else {
                    let event = try transaction.value(in: databases.events, forKey: SeqKey.encode(seq)) {
                        try EventRecord.decode(value: $0)
                    }
                    let name = database == databases.ids ? event?.id : event?.stream
                    if name.map({ Array($0.utf8) }) != key { reason = "\(database.name) holds an entry for seq \(seq) that does not match its event" }
                }
                if let reason, lowest.map({ seq < $0.seq }) ?? true { lowest = (seq, reason) }
            } while try cursor.move(.next)
        }
        return lowest.map { failure($0.seq, $0.reason) }
    }
}
