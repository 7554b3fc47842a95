import Crypto
import Foundation
import LMDB
@preconcurrency import Glibc

/// A witness of the newest durable head (seq and chain hash), kept in `head.witness` beside
/// `data.mdb`, so that a store that went backwards — an older meta page chosen after damage,
/// an older `data.mdb` copied over the live one — is never taken for a good one.
///
/// It is written after every durable commit, never before, so it may lag the store (after a
/// crash between the commit and its write, or a power loss: it is not fsync'ed), but it
/// never leads a store that is intact. The file holds two 128-byte slots, written in turn
/// (slot = seq mod 2) under an exclusive `flock`, each with its own checksum: a torn write
/// leaves the other slot, an older but valid witness. Format in docs/format.md §10.
public struct HeadWitness: Equatable, Sendable, CustomStringConvertible {
    public let seq: UInt64
    public let hash: [UInt8]

    public init(seq: UInt64, hash: [UInt8]) {
        self.seq = seq
        self.hash = hash
    }

    init(_ head: LogHead) { self.init(seq: head.seq, hash: head.hash) }

    public var description: String { "seq \(seq) (hash \(ChainHash.hex(hash)))" }

    /// The witness file's name in the store folder.
    public static let fileName = "head.witness"
    static let slotBytes = 128
    static let magic = "recovery-witness/1"

    /// One slot: `recovery-witness/1 SEQ HASH CHECK`, space-padded, ending in a newline;
    /// CHECK is the first 8 bytes of SHA-256 over the text before it, in hex.
    func slot() -> [UInt8] {
        let body = "\(Self.magic) \(String(seq)) \(ChainHash.hex(hash))"
        let check = ChainHash.hex(Array(SHA256.hash(data: Array(body.utf8))).prefix(8))
        var bytes = Array("\(body) \(check)".utf8)
        while bytes.count < Self.slotBytes - 1 { bytes.append(0x20) }
        bytes.append(0x0A)
        return bytes
    }

    /// Reads a slot; nil when it is empty, torn or damaged.
    static func parse(slot bytes: ArraySlice<UInt8>) -> HeadWitness? {
        let text = String(decoding: bytes, as: UTF8.self)
        let fields = text.split(separator: " ", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard fields.count >= 4, fields[0] == magic, let seq = UInt64(fields[1]),
              let hash = ChainHash.bytes(fromHex: fields[2]) else { return nil }
        let witness = HeadWitness(seq: seq, hash: hash)
        let body = "\(magic) \(fields[1]) \(fields[2])"
        guard fields[3] == ChainHash.hex(Array(SHA256.hash(data: Array(body.utf8))).prefix(8)) else { return nil }
        return witness
    }

    /// What reading the witness of a folder found.
    public enum Reading: Equatable, Sendable {
        case missing
        /// The file is there but neither slot holds a valid witness.
        case unreadable
        case found(HeadWitness)
    }

    /// Reads the newest valid slot of `folder`'s witness.
    public static func read(folder: String) throws -> Reading {
        let path = folder + "/" + fileName
        switch StoreFolder.presence(of: path) {
        case .missing: return .missing
        case .inaccessible(let code): throw LogError.fileSystem(path: path, reason: StoreFolder.describe(errno: code))
        case .present: break
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw LogError.fileSystem(path: path, reason: "cannot read the head witness")
        }
        defer { try? handle.close() }
        let bytes = [UInt8](try handle.read(upToCount: 2 * slotBytes) ?? Data())
        return newest(in: bytes).map { .found($0) } ?? .unreadable
    }

    private static func newest(in bytes: [UInt8]) -> HeadWitness? {
        var best: HeadWitness?
        for slot in 0 ..< 2 where bytes.count >= (slot + 1) * slotBytes {
            if let witness = parse(slot: bytes[(slot * slotBytes) ..< ((slot + 1) * slotBytes)]), witness.seq >= best?.seq ?? 0 {
                best = witness
            }
        }
        return best
    }

    /// Records `head` after its durable commit, unless the witness already holds a later seq
    /// (another process committed after it and wrote first). With `replacing`, writes it
    /// whatever the file holds (a new ledger, a verified backup, an accepted restore).
    static func advance(folder: String, to head: LogHead, replacing: Bool = false) throws {
        let path = folder + "/" + fileName
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw LogError.fileSystem(path: path, reason: "cannot write the head witness (\(StoreFolder.describe(errno: errno)))")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw LogError.fileSystem(path: path, reason: "cannot lock the head witness") }
        }
        defer { flock(descriptor, LOCK_UN) }
        do {
            let bytes = [UInt8](try handle.read(upToCount: 2 * slotBytes) ?? Data())
            var slots = bytes + [UInt8](repeating: 0, count: max(0, 2 * slotBytes - bytes.count))
            if !replacing, let current = newest(in: bytes), current.seq >= head.seq { return }
            let witness = HeadWitness(head)
            let slot = Int(head.seq % 2)
            slots.replaceSubrange((slot * slotBytes) ..< ((slot + 1) * slotBytes), with: witness.slot())
            if replacing {
                // Both slots, so no older witness of another history survives.
                let other = 1 - slot
                slots.replaceSubrange((other * slotBytes) ..< ((other + 1) * slotBytes), with: witness.slot())
            }
            try handle.seek(toOffset: 0)
            try handle.write(contentsOf: slots)
        } catch let error as LogError {
            throw error
        } catch {
            throw LogError.fileSystem(path: path, reason: "cannot write the head witness (\(error.localizedDescription))")
        }
    }
}
