/// Event ids the ledger makes for people who do not give one.
package enum EventID {
    /// A UUIDv7 (RFC 9562 §5.7) in lowercase: 48 bits of Unix milliseconds, then random bits.
    /// Time-ordered ids land at the end of the id index (no probe, a page append), and a
    /// person who retries with the id printed keeps the append idempotent.
    package static func timeOrdered(unixMilliseconds: Int64, using generator: inout some RandomNumberGenerator) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        let time = UInt64(max(0, unixMilliseconds)) & 0xFFFF_FFFF_FFFF
        for index in 0 ..< 6 { bytes[index] = UInt8(truncatingIfNeeded: time >> (8 * (5 - index))) }
        for index in 6 ..< 16 { bytes[index] = UInt8.random(in: 0 ... 255, using: &generator) }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)  // version 7
        bytes[8] = 0x80 | (bytes[8] & 0x3F)  // variant 10
        let hex = bytes.map { byte -> String in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }
        return hex[0 ..< 4].joined() + "-" + hex[4 ..< 6].joined() + "-" + hex[6 ..< 8].joined() + "-" + hex[8 ..< 10].joined() + "-" + hex[10 ..< 16].joined()
    }

    /// The Unix milliseconds a UUIDv7 carries; nil for any other id.
    package static func unixMilliseconds(ofTimeOrdered id: String) -> Int64? {
        let utf8 = Array(id.utf8)
        guard utf8.count == 36, [8, 13, 18, 23].allSatisfy({ utf8[$0] == UInt8(ascii: "-") }), utf8[14] == UInt8(ascii: "7") else { return nil }
        let hex = String(decoding: utf8[0 ..< 8] + utf8[9 ..< 13], as: UTF8.self)
        guard hex.utf8.allSatisfy({ (0x30 ... 0x39).contains($0) || (0x61 ... 0x66).contains($0) }), let value = Int64(hex, radix: 16) else { return nil }
        return value
    }
}
