/// Appends the primitives of the stored record format (see docs/format.md): unsigned LEB128
/// varints, zigzag varints for signed numbers, length-prefixed UTF-8, and tagged JSON values.
public struct BinaryEncoder {
    /// The bytes written so far.
    public var bytes: [UInt8] { storage }
    /// Usable from inline code: projections are encoded from another module, one varint at a time.
    @usableFromInline var storage: [UInt8]

    public init(capacity: Int = 160) {
        storage = []
        storage.reserveCapacity(capacity)
    }

    /// Encodes into `buffer`, replacing its contents but keeping its storage: hot paths reuse
    /// one buffer instead of allocating one per record.
    public static func encode(into buffer: inout [UInt8], _ body: (inout BinaryEncoder) -> Void) {
        var encoder = BinaryEncoder(capacity: 0)
        swap(&encoder.storage, &buffer)
        encoder.storage.removeAll(keepingCapacity: true)
        body(&encoder)
        swap(&encoder.storage, &buffer)
    }

    @inlinable
    public mutating func append(byte: UInt8) { storage.append(byte) }

    public mutating func append(bytes more: [UInt8]) { storage.append(contentsOf: more) }

    @inlinable
    public mutating func append(varint value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            storage.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        storage.append(UInt8(remaining))
    }

    @inlinable
    public mutating func append(zigzag value: Int64) {
        append(varint: UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    public mutating func append(string: String) {
        var text = string
        text.withUTF8 { utf8 in
            append(varint: UInt64(utf8.count))
            storage.append(contentsOf: utf8)
        }
    }

    public mutating func append(value: JSONValue) {
        switch value {
        case .null: storage.append(BinaryValueTag.null)
        case .bool(let flag): storage.append(flag ? BinaryValueTag.true : BinaryValueTag.false)
        case .integer(let integer):
            storage.append(BinaryValueTag.integer)
            append(zigzag: integer)
        case .number(let number):
            storage.append(BinaryValueTag.number)
            let bits = number.bitPattern
            for shift in stride(from: 56, through: 0, by: -8) { storage.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        case .string(let text):
            storage.append(BinaryValueTag.string)
            append(string: text)
        case .array(let elements):
            storage.append(BinaryValueTag.array)
            append(varint: UInt64(elements.count))
            for element in elements { append(value: element) }
        case .object(let members):
            storage.append(BinaryValueTag.object)
            append(varint: UInt64(members.count))
            if members.count == 1, let (key, member) = members.first {
                append(string: key)
                append(value: member)
                return
            }
            for key in JSONValue.canonicalKeyOrder(members) {
                append(string: key)
                append(value: members[key]!)
            }
        }
    }
}
