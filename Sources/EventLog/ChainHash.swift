import Crypto
import LMDB

/// The hash chain: `hash(n) = SHA-256(hash(n−1) ‖ record(n))`, starting from 32 zero bytes.
/// Changing any stored record changes every hash from it onwards.
extension ChainHash {
    /// `hash(0)`.
    public static let genesis = [UInt8](repeating: 0, count: size)

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

/// The chain recomputed over stored values read one after another (`verify`): one buffer holds
/// hash(n − 1) and then record n, so each step is one SHA-256 over one buffer and allocates
/// nothing once the buffer has grown to the longest record.
struct ChainWalk {
    private var buffer: [UInt8]

    /// The chain from `hash(0)`.
    init() { buffer = ChainHash.genesis }

    /// The chain from a stored value's hash (a part of `verify` starting after it).
    init(after storedValue: Span<UInt8>) {
        precondition(storedValue.count >= ChainHash.size, "a stored value starts with its hash")
        buffer = storedValue.copiedBytes(from: 0, count: ChainHash.size)
    }

    /// hash(n − 1), the last one adopted.
    var previousHash: [UInt8] { Array(buffer[..<ChainHash.size]) }
    /// The record of the last `next`.
    var record: ArraySlice<UInt8> { buffer[ChainHash.size...] }

    /// Places the record of `value` (after its stored hash) behind the current hash and returns
    /// the hash chained over it; `adopt` makes it the current one.
    mutating func next(storedValue value: Span<UInt8>) -> SHA256Digest {
        buffer.removeSubrange(ChainHash.size...)
        value.append(from: EventRecord.offsetInValue, to: &buffer)
        return SHA256.hash(data: buffer)
    }

    /// The Merkle leaf hash of the last `next`'s record, `SHA-256(0x00 ‖ record)`, from the same
    /// buffer: the byte before the record becomes the prefix. Call it after `next`, before
    /// `adopt` (which writes that byte back).
    mutating func leafHash() -> SHA256Digest {
        buffer[ChainHash.size - 1] = Merkle.leafPrefixByte
        return SHA256.hash(data: buffer[(ChainHash.size - 1)...])
    }

    mutating func adopt(_ hash: SHA256Digest) {
        // In place: iterating a digest would make an array of it, an allocation an event.
        buffer.overwrite(from: 0, withContentsOf: hash)
    }

    /// Whether `value` starts with `hash` (a stored value's chain hash).
    static func stored(_ value: Span<UInt8>, holds hash: SHA256Digest) -> Bool {
        value.matches(contentsOf: hash, at: 0)
    }
}
