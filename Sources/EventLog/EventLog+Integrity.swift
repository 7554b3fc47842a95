import Crypto
import LMDB

/// The checks that keep a damaged or rolled-back store from being taken for a good one:
/// the metadata's checksum and the head witness (docs/format.md §10, docs/reliability.md).
extension EventLog {
    /// The `meta` key holding the checksum of every other metadata entry.
    static let checksumKey = "checksum"

    /// SHA-256, in hex, over every metadata entry but the checksum itself, in key order,
    /// each as varint(key length) ‖ key ‖ varint(value length) ‖ value.
    static func metadataChecksum(in transaction: Transaction, databases: LogDatabases) throws -> String {
        var hasher = SHA256()
        // Bounded: the metadata is a handful of entries written at `init`.
        var entries = 0
        try transaction.withCursor(databases.meta) { cursor in
            guard try cursor.move(.first) else { return }
            repeat {
                entries += 1
                guard entries <= 1_000 else { throw LogError.damagedStore(reason: "the metadata holds more than 1,000 entries") }
                let (key, value) = cursor.withCurrent { key, value in (key.copiedBytes(), value.copiedBytes()) }
                guard key != Array(checksumKey.utf8) else { continue }
                var framed = BinaryEncoder(capacity: key.count + value.count + 20)
                framed.append(varint: UInt64(key.count))
                framed.append(bytes: key)
                framed.append(varint: UInt64(value.count))
                framed.append(bytes: value)
                hasher.update(data: framed.bytes)
            } while try cursor.move(.next)
        }
        return ChainHash.hex(Array(hasher.finalize()))
    }

    /// Nil when the metadata matches its checksum, else what is wrong.
    func metadataProblem(in transaction: Transaction) throws -> String? {
        let stored = try transaction.bytes(in: databases.meta, forKey: Array(Self.checksumKey.utf8))
        guard let stored else { return "the store's metadata has no checksum" }
        let computed = try Self.metadataChecksum(in: transaction, databases: databases)
        guard stored == Array(computed.utf8) else {
            return "the store's metadata (format, creation time, city) does not match its checksum: a byte of it was changed"
        }
        return nil
    }

    /// Throws `damagedStore` when the metadata does not match its checksum.
    func checkMetadata() throws {
        let problem = try Self.storageErrors(folder: folder) { try environment.read { try metadataProblem(in: $0) } }
        if let problem { throw LogError.damagedStore(reason: problem) }
    }

    /// Throws `rolledBack` when the store is behind its head witness (or the witness is gone).
    /// The witness is read before the snapshot begins: a commit (and its witness) made in
    /// between is then in the snapshot, so the witness can never lead an intact store.
    func checkWitness() throws {
        let witness = try HeadWitness.read(folder: folder)
        try Self.storageErrors(folder: folder) {
            try environment.read { transaction in try checkWitness(witness, head: try head(in: transaction), in: transaction) }
        }
    }

    func checkWitness(_ witness: HeadWitness.Reading, head: LogHead, in transaction: Transaction) throws {
        if let problem = try witnessProblem(witness, head: head, in: transaction) { throw LogError.rolledBack(detail: problem.detail) }
    }

    /// Nil when the store is at or past its witness with the same hash there; else the
    /// first seq that cannot be trusted and both heads, for the user. `witness` must have
    /// been read before `transaction` began (or while it holds the writer's lock).
    func witnessProblem(_ witness: HeadWitness.Reading, head: LogHead, in transaction: Transaction) throws -> (seq: UInt64, detail: String)? {
        let storeHead = "the store's head is seq \(head.seq) (hash \(ChainHash.hex(head.hash)))"
        switch witness {
        case .missing:
            return (head.seq, "\(storeHead), but its head witness (\(HeadWitness.fileName)) is missing")
        case .unreadable:
            return (head.seq, "\(storeHead), but its head witness (\(HeadWitness.fileName)) is damaged")
        case .found(let witness):
            if witness.seq > head.seq {
                return (head.seq + 1, "\(storeHead), but its head witness says seq \(witness.seq) (hash \(ChainHash.hex(witness.hash))) was committed")
            }
            guard witness.seq > 0 else { return nil }
            let stored = try transaction.value(in: databases.events, forKey: SeqKey.encode(witness.seq)) { value in
                value.count >= ChainHash.size ? value.copiedBytes(count: ChainHash.size) : []
            }
            if stored != witness.hash {
                return (witness.seq, "\(storeHead); at seq \(witness.seq) it holds hash \(stored.map { ChainHash.hex($0) } ?? "nothing"), but its head witness says hash \(ChainHash.hex(witness.hash)) was committed there: the history was replaced")
            }
            return nil
        }
    }
}
