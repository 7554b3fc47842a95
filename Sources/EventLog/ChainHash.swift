import Crypto

/// The hash chain: `hash(n) = SHA-256(hash(n−1) ‖ record(n))`, starting from 32 zero bytes.
/// Changing any stored record changes every hash from it onwards.
extension ChainHash {
    /// `hash(0)`.
    public static let genesis = [UInt8](repeating: 0, count: size)

    /// The hash of a record chained onto `previous`.
    public static func next(previous: [UInt8], record: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: previous)
        hasher.update(data: record)
        return Array(hasher.finalize())
    }

    /// Turns a stored value whose first 32 bytes hold the previous hash (then the record) into
    /// the stored value proper: `SHA-256(previous ‖ record)` replaces the previous hash. One
    /// contiguous hash over one buffer, no intermediate copies: the batch append's hot path.
    static func chainInPlace(_ value: inout [UInt8]) {
        let digest = SHA256.hash(data: value)
        for (index, byte) in digest.enumerated() { value[index] = byte }
    }

    /// Lower-case hexadecimal, as printed and published.
    public static func hex<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Parses 64 hexadecimal digits, or returns nil.
    public static func bytes(fromHex text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count == 64 else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(size)
        for index in stride(from: 0, to: 64, by: 2) {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            result.append(high << 4 | low)
        }
        return result
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
