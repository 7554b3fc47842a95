import CLMDB

/// Where a cursor moves; the subset of `MDB_cursor_op` that reading a log needs.
package enum CursorOperation: Sendable {
    case first, last, next, previous
    /// The first key greater than or equal to the given key.
    case setRange
    /// Exactly the given key.
    case setKey
    /// Exactly the given key and duplicate value.
    case getBoth
    /// The first duplicate value greater than or equal to the given value, within the given key.
    case getBothRange
    /// The next duplicate of the current key, or nothing at its end.
    case nextDuplicate
    /// The last duplicate of the current key.
    case lastDuplicate
    /// The first duplicate of the next key (skipping the current key's other duplicates).
    case nextKey

    var raw: MDB_cursor_op {
        switch self {
        case .first: MDB_FIRST
        case .last: MDB_LAST
        case .next: MDB_NEXT
        case .previous: MDB_PREV
        case .setRange: MDB_SET_RANGE
        case .setKey: MDB_SET_KEY
        case .getBoth: MDB_GET_BOTH
        case .getBothRange: MDB_GET_BOTH_RANGE
        case .nextDuplicate: MDB_NEXT_DUP
        case .lastDuplicate: MDB_LAST_DUP
        case .nextKey: MDB_NEXT_NODUP
        }
    }
}
