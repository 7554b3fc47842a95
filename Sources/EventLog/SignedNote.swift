import Crypto
import Foundation

/// Signed notes as C2SP specifies them (c2sp.org/signed-note, the format of Go's checksum
/// database and of transparency-log checkpoints): a text of lines, a blank line, then one line
/// per signature, `— NAME BASE64(KEYID ‖ SIGNATURE)`. A key is named; its 32-bit id is the
/// first four bytes of SHA-256(NAME ‖ "\n" ‖ TYPE ‖ PUBLIC KEY). Type 0x01 is Ed25519, the only
/// one implemented; the type byte is what lets another algorithm be added without a format
/// change.
package enum SignedNote {
    /// The signature type of Ed25519 keys.
    package static let ed25519: UInt8 = 0x01
    /// Signatures one note may carry (more is refused as malformed, as Go's reader does).
    package static let maximumSignatures = 100
    /// The longest note read (a checkpoint is a few hundred bytes).
    package static let maximumBytes = 1 << 20

    package enum Failure: Error, Equatable, CustomStringConvertible {
        case malformedKey(String)
        case malformedNote(String)
        case unsupportedAlgorithm(UInt8)
        case noSignatureByKey(String)
        case invalidSignature(String)

        package var description: String {
            switch self {
            case .malformedKey(let why): "malformed key: \(why)"
            case .malformedNote(let why): "malformed note: \(why)"
            case .unsupportedAlgorithm(let type): "unsupported signature algorithm 0x\(String(type, radix: 16))"
            case .noSignatureByKey(let key): "the note carries no signature by \(key)"
            case .invalidSignature(let key): "the signature by \(key) does not match the note's text"
            }
        }
    }

    /// The 32-bit id of a key.
    package static func keyID(name: String, type: UInt8, publicKey: [UInt8]) -> UInt32 {
        var hasher = SHA256()
        hasher.update(data: Array(name.utf8) + [0x0A, type])
        hasher.update(data: publicKey)
        let digest = Array(hasher.finalize())
        return UInt32(digest[0]) << 24 | UInt32(digest[1]) << 16 | UInt32(digest[2]) << 8 | UInt32(digest[3])
    }

    /// A key name: not empty, no white space, no `+` (it separates a key's fields).
    package static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 256 && !name.unicodeScalars.contains { $0 == "+" || $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }
    }

    static func hex8(_ value: UInt32) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 8 - text.count) + text
    }

    /// `NAME+KEYID+BASE64(TYPE ‖ PUBLIC KEY)`: what a verifier is given.
    package struct VerifierKey: Equatable, Sendable {
        package let name: String
        package let id: UInt32
        package let type: UInt8
        package let publicKey: [UInt8]

        package init(name: String, publicKey: [UInt8]) throws(Failure) {
            guard isValidName(name) else { throw .malformedKey("a key name is not empty and holds no space or +") }
            guard publicKey.count == 32 else { throw .malformedKey("an Ed25519 public key is 32 bytes") }
            self.name = name
            self.type = SignedNote.ed25519
            self.publicKey = publicKey
            self.id = SignedNote.keyID(name: name, type: SignedNote.ed25519, publicKey: publicKey)
        }

        package init(_ text: String) throws(Failure) {
            // The base64 field may hold + itself: only the first two separate fields.
            let parts = text.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, isValidName(String(parts[0])), parts[1].count == 8, let id = UInt32(parts[1], radix: 16),
                  parts[1].allSatisfy({ $0.isHexDigit && ($0.isNumber || $0.isLowercase) }),
                  let key = Data(base64Encoded: String(parts[2])).map(Array.init), key.count >= 1 else {
                throw .malformedKey("a verifier key is NAME+KEYID+BASE64 (8 lower-case hex digits of key id)")
            }
            guard key[0] == SignedNote.ed25519 else { throw .unsupportedAlgorithm(key[0]) }
            guard key.count == 33 else { throw .malformedKey("an Ed25519 public key is 32 bytes") }
            let publicKey = Array(key.dropFirst())
            guard SignedNote.keyID(name: String(parts[0]), type: key[0], publicKey: publicKey) == id else {
                throw .malformedKey("the key id does not match the name and key")
            }
            self.name = String(parts[0])
            self.id = id
            self.type = key[0]
            self.publicKey = publicKey
        }

        package var text: String { "\(name)+\(hex8(id))+" + Data([type] + publicKey).base64EncodedString() }
    }

    /// `PRIVATE+KEY+NAME+KEYID+BASE64(TYPE ‖ SEED)`: what the signer keeps, owner-only.
    package struct SignerKey: Sendable {
        package let name: String
        package let seed: [UInt8]
        package let verifier: VerifierKey

        package init(name: String, seed: [UInt8]) throws(Failure) {
            guard seed.count == 32 else { throw .malformedKey("an Ed25519 seed is 32 bytes") }
            let key: Curve25519.Signing.PrivateKey
            do { key = try Curve25519.Signing.PrivateKey(rawRepresentation: seed) } catch { throw .malformedKey("not an Ed25519 seed") }
            self.name = name
            self.seed = seed
            self.verifier = try VerifierKey(name: name, publicKey: Array(key.publicKey.rawRepresentation))
        }

        /// A new key from the system's secure generator.
        package static func generate(name: String) throws(Failure) -> SignerKey {
            try SignerKey(name: name, seed: Array(Curve25519.Signing.PrivateKey().rawRepresentation))
        }

        package init(_ text: String) throws(Failure) {
            let parts = text.split(separator: "+", maxSplits: 4, omittingEmptySubsequences: false)
            guard parts.count == 5, parts[0] == "PRIVATE", parts[1] == "KEY", parts[3].count == 8, let id = UInt32(parts[3], radix: 16),
                  let key = Data(base64Encoded: String(parts[4])).map(Array.init), key.count >= 1 else {
                throw .malformedKey("a signer key is PRIVATE+KEY+NAME+KEYID+BASE64")
            }
            guard key[0] == SignedNote.ed25519 else { throw .unsupportedAlgorithm(key[0]) }
            try self.init(name: String(parts[2]), seed: Array(key.dropFirst()))
            guard verifier.id == id else { throw .malformedKey("the key id does not match the name and key") }
        }

        package var text: String { "PRIVATE+KEY+\(name)+\(hex8(verifier.id))+" + Data([SignedNote.ed25519] + seed).base64EncodedString() }

        /// The note: `text` (lines, each ending in a line feed), a blank line, this key's signature.
        package func sign(_ text: String) throws(Failure) -> String {
            try SignedNote.checkText(text)
            let key: Curve25519.Signing.PrivateKey
            let signature: Data
            do {
                key = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
                signature = try key.signature(for: Data(text.utf8))
            } catch {
                throw .malformedKey("the seed does not sign")
            }
            let id = verifier.id
            let prefix: [UInt8] = [UInt8(id >> 24), UInt8(id >> 16 & 0xFF), UInt8(id >> 8 & 0xFF), UInt8(id & 0xFF)]
            return text + "\n— \(name) " + Data(prefix + Array(signature)).base64EncodedString() + "\n"
        }
    }

    /// A note's text: not empty, UTF-8 lines each ending in a line feed, no other control
    /// characters, no blank line inside it (it would end the text).
    static func checkText(_ text: String) throws(Failure) {
        guard text.hasSuffix("\n"), !text.hasPrefix("\n"), !text.contains("\n\n") else {
            throw .malformedNote("the text is lines ending in a line feed, none of them empty")
        }
        guard !text.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F }) else {
            throw .malformedNote("the text holds a control character")
        }
    }

    /// Checks `note`'s signature by `key`; returns the note's text. Signatures by other keys
    /// are ignored (a note may carry witnesses' too).
    package static func open(_ note: String, key: VerifierKey) throws(Failure) -> String {
        guard note.utf8.count <= maximumBytes else { throw .malformedNote("longer than \(maximumBytes) bytes") }
        guard let split = note.range(of: "\n\n", options: .backwards) else { throw .malformedNote("no blank line before the signatures") }
        let text = String(note[..<split.lowerBound]) + "\n"
        try checkText(text)
        let block = note[split.upperBound...]
        guard block.hasSuffix("\n") else { throw .malformedNote("the signatures do not end with a line feed") }
        let lines = block.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
        guard !lines.isEmpty, lines.count <= maximumSignatures else { throw .malformedNote("1–\(maximumSignatures) signature lines") }
        var verified = false
        for line in lines {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == 3, fields[0] == "—", isValidName(String(fields[1])),
                  let bytes = Data(base64Encoded: String(fields[2])).map(Array.init), bytes.count > 4,
                  Data(bytes).base64EncodedString() == fields[2] else {
                throw .malformedNote("a signature line is `— NAME BASE64` (canonical base64)")
            }
            let id = UInt32(bytes[0]) << 24 | UInt32(bytes[1]) << 16 | UInt32(bytes[2]) << 8 | UInt32(bytes[3])
            guard fields[1] == key.name, id == key.id else { continue }
            guard let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: key.publicKey),
                  publicKey.isValidSignature(Data(bytes.dropFirst(4)), for: Data(text.utf8)) else {
                throw .invalidSignature(key.name + "+" + hex8(key.id))
            }
            verified = true
        }
        guard verified else { throw .noSignatureByKey(key.name + "+" + hex8(key.id)) }
        return text
    }
}
