import EventLog
import Testing

@Suite("Binary record primitives")
struct BinaryDecoderTests {
    static let values: [UInt64] = [0, 1, 127, 128, 300, 16_383, 16_384, 1 << 35, 1_700_000_000_000, UInt64(Int64.max), .max]

    /// Encodes `values`, then `padding` more bytes, and decodes them back.
    private func roundTrip(_ values: [UInt64], padding: Int) throws -> [UInt64] {
        var encoder = BinaryEncoder()
        for value in values { encoder.append(varint: value) }
        let bytes = encoder.bytes + [UInt8](repeating: 0, count: padding)
        var decoder = BinaryDecoder()
        return try values.map { _ in try decoder.varint(bytes.span) }
    }

    @Test("varints round-trip near the end of a record and far from it", arguments: [0, 16])
    func varints(padding: Int) throws {
        #expect(try roundTrip(Self.values, padding: padding) == Self.values)
        for value in Self.values { #expect(try roundTrip([value], padding: padding) == [value]) }
    }

    @Test("zigzag numbers round-trip", arguments: [Int64.min, -1_700_000_000_000, -1, 0, 1, 86_400_000, Int64.max])
    func zigzag(value: Int64) throws {
        for padding in [0, 16] {
            var encoder = BinaryEncoder()
            encoder.append(zigzag: value)
            let bytes = encoder.bytes + [UInt8](repeating: 0, count: padding)
            var decoder = BinaryDecoder()
            #expect(try decoder.zigzag(bytes.span) == value)
            #expect(decoder.offset == encoder.bytes.count)
        }
    }

    @Test("varints that overflow 64 bits, run past 10 bytes or past the end are damage", arguments: [
        [UInt8](repeating: 0xFF, count: 9) + [0x02],
        [UInt8](repeating: 0x80, count: 10) + [0x01],
        [0x80, 0x80],
        [0x80, 0x80] + [UInt8](repeating: 0xFF, count: 20),
    ])
    func damage(bytes: [UInt8]) {
        var decoder = BinaryDecoder()
        #expect(throws: RecordDamage.self) { try decoder.varint(bytes.span) }
    }
}
