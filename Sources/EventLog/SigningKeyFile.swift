import Foundation
@preconcurrency import Glibc

/// The ledger's signing key: an Ed25519 key named by the ledger's origin, kept in
/// `signing.key` in the store folder as one line `PRIVATE+KEY+ORIGIN+KEYID+BASE64` (the C2SP
/// signed-note signer form). It is a file of its own, owner-only (0600), outside `data.mdb`:
/// `backup` copies the data, and the key only when asked (`backup --with-key`).
public enum SigningKeyFile {
    /// The key file's name in the store folder.
    public static let fileName = "signing.key"
    /// A key file is one short line; anything longer is not one.
    static let maximumBytes = 4_096

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case missing(path: String)
        case exists(path: String)
        case unreadable(path: String, reason: String)
        case exposed(path: String, mode: UInt32)
        case malformed(path: String, reason: String)

        public var description: String {
            switch self {
            case .missing(let path): "\(path) does not exist: this ledger has no signing key; make one with `recovery key create --origin NAME`"
            case .exists(let path): "\(path) already exists; a ledger's key is never replaced"
            case .unreadable(let path, let reason): "\(path): \(reason)"
            case .exposed(let path, let mode):
                "\(path) may be read by other users (mode \(String(mode, radix: 8))): the key is refused; `chmod 600 \(path)` if no one else has read it, else make a new ledger key and tell those who check its proofs"
            case .malformed(let path, let reason): "\(path) is not a signing key (\(reason))"
            }
        }
    }

    public static func path(in folder: String) -> String { (folder as NSString).appendingPathComponent(fileName) }

    /// Makes a new key named `origin` in `folder`; never replaces one.
    package static func create(in folder: String, origin: String) throws -> SignedNote.SignerKey {
        let key = try SignedNote.SignerKey.generate(name: origin)
        try write(key, to: path(in: folder))
        return key
    }

    /// Writes `key` to a new owner-only file at `path`.
    package static func write(_ key: SignedNote.SignerKey, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { throw Failure.exists(path: path) }
            throw Failure.unreadable(path: path, reason: "cannot create (\(String(cString: strerror(errno))))")
        }
        defer { close(descriptor) }
        let bytes = Array((key.text + "\n").utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            unlink(path)
            throw Failure.unreadable(path: path, reason: "cannot write the key (\(String(cString: strerror(errno))))")
        }
    }

    /// Reads the key of `folder` (or the file `path`), refusing one that others may read.
    package static func read(path: String) throws -> SignedNote.SignerKey {
        var status = stat()
        guard stat(path, &status) == 0 else {
            if errno == ENOENT { throw Failure.missing(path: path) }
            throw Failure.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        guard status.st_mode & 0o077 == 0 else { throw Failure.exposed(path: path, mode: status.st_mode & 0o777) }
        guard status.st_size <= maximumBytes, let data = FileManager.default.contents(atPath: path) else {
            throw Failure.unreadable(path: path, reason: "cannot be read, or is longer than a key")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        do { return try SignedNote.SignerKey(text) } catch { throw Failure.malformed(path: path, reason: error.description) }
    }
}
