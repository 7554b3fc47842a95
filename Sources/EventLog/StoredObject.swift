import LMDB

/// A stored JSON object read in place: the members of an event's `data` found by key without
/// building a dictionary of `JSONValue`s. Rebuilds read two or three fields of every one of
/// millions of events; decoding whole objects was most of their cost.
public struct StoredObject {
    /// The number of members.
    public let count: Int
    private let membersStart: Int

    /// Reads the object whose tag is at `offset`.
    init(_ value: Span<UInt8>, at offset: Int) throws(RecordDamage) {
        var decoder = BinaryDecoder(offset: offset)
        guard try decoder.byte(value) == BinaryValueTag.object else { throw RecordDamage("data is not an object") }
        count = try decoder.length(value)
        membersStart = decoder.offset
    }

    /// Calls `body` with each member's key (where its UTF-8 bytes are) and value, in stored
    /// order; `count` bounds the walk, and every step is bounds-checked.
    public func forEachMember(in value: Span<UInt8>, _ body: (_ key: Range<Int>, _ member: StoredValue) throws(RecordDamage) -> Void) throws(RecordDamage) {
        var decoder = BinaryDecoder(offset: membersStart)
        for _ in 0 ..< count {
            let keyLength = try decoder.length(value)
            let key = decoder.offset ..< decoder.offset + keyLength
            decoder.offset += keyLength
            try body(key, try StoredValue(value, at: decoder.offset))
            try decoder.skipValue(value)
        }
    }

    /// The member named `key`, or nil.
    public func member(_ key: StaticString, in value: Span<UInt8>) throws(RecordDamage) -> StoredValue? {
        var decoder = BinaryDecoder(offset: membersStart)
        for _ in 0 ..< count {
            let keyLength = try decoder.length(value)
            let isKey = value.matches(key, in: decoder.offset ..< decoder.offset + keyLength)
            decoder.offset += keyLength
            if isKey { return try StoredValue(value, at: decoder.offset) }
            try decoder.skipValue(value)
        }
        return nil
    }
}

/// One stored JSON value read in place (see `StoredObject`).
public struct StoredValue {
    private let tag: UInt8
    /// Where the value's payload starts, after its tag.
    private let payload: Int

    init(_ value: Span<UInt8>, at offset: Int) throws(RecordDamage) {
        guard offset < value.count else { throw RecordDamage("record ends early") }
        tag = value[offset]
        payload = offset + 1
    }

    /// The integer, or nil when the value is not an integer.
    public func integer(in value: Span<UInt8>) throws(RecordDamage) -> Int64? {
        guard tag == BinaryValueTag.integer else { return nil }
        var decoder = BinaryDecoder(offset: payload)
        return try decoder.zigzag(value)
    }

    /// Whether the value is a string (without reading it).
    public var isString: Bool { tag == BinaryValueTag.string }

    /// The boolean, or nil when the value is not a boolean.
    public var bool: Bool? {
        switch tag {
        case BinaryValueTag.true: true
        case BinaryValueTag.false: false
        default: nil
        }
    }

    /// Where the string's UTF-8 bytes are in the stored value, or nil when it is not a string.
    public func stringRange(in value: Span<UInt8>) throws(RecordDamage) -> Range<Int>? {
        guard tag == BinaryValueTag.string else { return nil }
        var decoder = BinaryDecoder(offset: payload)
        let count = try decoder.length(value)
        return decoder.offset ..< decoder.offset + count
    }

    /// The string, or nil when the value is not a string.
    public func string(in value: Span<UInt8>) throws(RecordDamage) -> String? {
        guard let range = try stringRange(in: value) else { return nil }
        guard let text = value.utf8String(from: range.lowerBound, count: range.count) else {
            throw RecordDamage("invalid UTF-8 in a stored string")
        }
        return text
    }
}
