import LMDB

/// Reading the log one stream at a time, through the stream index: what lets a replay hold
/// one stream's events at a time instead of the whole log's.
extension EventLog {
    /// A stream of the stream index: its key and its number of entries (events at any seq).
    package struct IndexedStream: Sendable {
        package let key: [UInt8]
        package let entries: Int
    }

    /// A buffer for `withIndexedEvent`'s key.
    package static func seqKeyBuffer() -> [UInt8] { [UInt8](repeating: 0, count: 8) }

    /// A seq the stream index lists, with the caller's tag (which stream it came from).
    package struct IndexedSeq: Sendable {
        package let seq: UInt64
        package let tag: Int32
    }

    /// Every stream of the stream index, in the index's key order (bytes, shorter first on a
    /// common prefix), with its number of entries. Memory grows with the number of streams,
    /// not of events: one key and one count each.
    package func indexedStreams(in transaction: Transaction) throws -> [IndexedStream] {
        var streams: [IndexedStream] = []
        try transaction.withCursor(databases.byStream) { cursor in
            guard try cursor.move(.first) else { return }
            repeat {
                let key = cursor.withCurrent { key, _ in key.copiedBytes() }
                streams.append(IndexedStream(key: key, entries: try cursor.duplicateCount()))
            } while try cursor.move(.nextKey)
        }
        return streams
    }

    /// Appends the seqs the stream index lists for `stream`, up to `through`, in seq order, to
    /// `seqs` (with `tag` beside each); returns how many. An entry that is not a seq is damage.
    package func appendIndexedSeqs(
        of stream: [UInt8], through: UInt64, tag: Int32, to seqs: inout [IndexedSeq], in transaction: Transaction
    ) throws -> Int {
        var count = 0
        try transaction.withCursor(databases.byStream) { cursor in
            guard try cursor.move(.setKey, key: stream) else { return }
            repeat {
                guard let seq = cursor.withCurrentValue({ SeqKey.decode($0) }) else {
                    throw LogError.damaged(seq: 0, reason: "malformed stream index entry")
                }
                if seq > through { return }
                seqs.append(IndexedSeq(seq: seq, tag: tag))
                count += 1
            } while try cursor.move(.nextDuplicate)
        }
        return count
    }

    /// Lends the stored event at `seq`, which the stream index lists under `stream`, to `body`
    /// with its layout, read in place. No event there, or a record of another seq or stream,
    /// is damage (`LogError.damaged`).
    /// `key` is the caller's 8-byte buffer for the seq's key, reused from read to read.
    package func withIndexedEvent<T>(
        at seq: UInt64, of stream: [UInt8], in transaction: Transaction, key: inout [UInt8], _ body: (Span<UInt8>, EventLayout) throws -> T
    ) throws -> T {
        SeqKey.write(seq, into: &key)
        let found: T? = try transaction.value(in: databases.events, forKey: key) { value in
            let layout: EventLayout
            do { layout = try EventLayout(value, recordAt: EventRecord.offsetInValue) } catch let damage as RecordDamage {
                throw LogError.damaged(seq: seq, reason: damage.reason)
            }
            guard layout.seq == seq, Self.bytes(of: layout.streamRange, in: value, equal: stream) else {
                throw LogError.damaged(seq: seq, reason: "the stream index lists this seq under a stream its record does not name")
            }
            return try body(value, layout)
        }
        guard let found else { throw LogError.damaged(seq: seq, reason: "indexed event is missing") }
        return found
    }

    private static func bytes(of range: Range<Int>, in value: Span<UInt8>, equal key: [UInt8]) -> Bool {
        guard range.count == key.count else { return false }
        for offset in 0 ..< key.count where value[range.lowerBound + offset] != key[offset] { return false }
        return true
    }
}
