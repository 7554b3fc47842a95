/// Appends the primitives of the stored record format (see docs/format.md): unsigned LEB128
/// varints, zigzag varints for signed numbers, length-prefixed UTF-8, and tagged JSON values.
public struct BinaryEncoder {
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 160) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Encodes into `buffer`, replacing its contents but keeping its storage: hot paths reuse
    /// one buffer instead of allocating one per record.
    public static func encode(into buffer: inout [UInt8], _ body: (inout BinaryEncoder) -> Void) {
        var encoder = BinaryEncoder(capacity: 0)
        swap(&encoder.bytes, &buffer)
        encoder.bytes.removeAll(keepingCapacity: true)
        body(&encoder)
        swap(&encoder.bytes, &buffer)
    }

    public mutating func append(byte: UInt8) { bytes.append(byte) }

    public mutating func append(bytes more: [UInt8]) { bytes.append(contentsOf: more) }

    public mutating func append(varint value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }

    public mutating func append(zigzag value: Int64) {
        append(varint: UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    public mutating func append(string: String) {
        var text = string
        text.withUTF8 { utf8 in
            append(varint: UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    public mutating func append(value: JSONValue) {
        switch value {
        case .null: bytes.append(BinaryValueTag.null)
        case .bool(let flag): bytes.append(flag ? BinaryValueTag.true : BinaryValueTag.false)
        case .integer(let integer):
            bytes.append(BinaryValueTag.integer)
            append(zigzag: integer)
        case .number(let number):
            bytes.append(BinaryValueTag.number)
            let bits = number.bitPattern
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        case .string(let text):
            bytes.append(BinaryValueTag.string)
            append(string: text)
        case .array(let elements):
            bytes.append(BinaryValueTag.array)
            append(varint: UInt64(elements.count))
            for element in elements { append(value: element) }
        case .object(let members):
            bytes.append(BinaryValueTag.object)
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
