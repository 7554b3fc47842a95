import CLMDB

/// The log's stored values (chain hash ‖ binary record), copied out of its `events`
/// database in seq order. The raw floor appends exactly these bytes, so both sides write
/// the same number of equally sized values.
struct StoredRecords {
    /// Every value, back to back.
    let bytes: [UInt8]
    /// Value `i` is `bytes[offsets[i] ..< offsets[i + 1]]`.
    let offsets: [Int]

    var count: Int { offsets.count - 1 }
    var averageSize: Double { Double(bytes.count) / Double(max(count, 1)) }

    /// Copies every value of `database`, checking that the keys run 1, 2, 3, … as 8-byte
    /// big-endian seqs.
    static func copy(from environment: RawEnvironment, database: MDB_dbi) throws(RawLMDBError) -> StoredRecords {
        try environment.withReadCursor(on: database) { _, cursor throws(RawLMDBError) in
            var bytes: [UInt8] = []
            var offsets: [Int] = [0]
            var key = MDB_val()
            var value = MDB_val()
            var code = mdb_cursor_get(cursor, &key, &value, MDB_FIRST)
            while code == 0 {
                var seq: UInt64 = 0
                if key.mv_size == 8 { seq = UInt64(bigEndian: key.mv_data!.loadUnaligned(as: UInt64.self)) }
                guard seq == UInt64(offsets.count) else {
                    throw RawLMDBError(code: 0, operation: "the log's events are not keyed 1, 2, 3, … (found \(seq) at \(offsets.count))")
                }
                bytes.append(contentsOf: UnsafeRawBufferPointer(start: value.mv_data, count: value.mv_size))
                offsets.append(bytes.count)
                code = mdb_cursor_get(cursor, &key, &value, MDB_NEXT)
            }
            guard code == MDB_NOTFOUND else { throw RawLMDBError(code: code, operation: "mdb_cursor_get") }
            return StoredRecords(bytes: bytes, offsets: offsets)
        }
    }
}
