import Crypto
import EventLog

/// Someone the server lets in: a name (stamped as `actor` on what they append), a role and,
/// for a town-scoped role, their towns. Kept as `access_granted` / `access_revoked` events in
/// the system stream `_access`, so who was allowed what, and when, is in the hash chain.
public struct Identity: Equatable, Sendable {
    public let name: String
    public let role: Role
    /// Town ids, in the city's order; empty for a role that is not town-scoped.
    public let towns: [String]
    public let grantedAt: Int64
    public let grantedBy: String
    /// SHA-256 of the bearer token (a web session keeps it, to end when the grant changes).
    package let tokenDigest: [UInt8]

    /// Whether the identity's reach includes `town` (every town for a city-wide role).
    public func reaches(town: String?) -> Bool {
        guard role.isTownScoped else { return true }
        guard let town else { return false }
        return towns.contains(town)
    }

    /// 1–64 characters of A-Z a-z 0-9 . _ @ -: what an identity may be called (it is stored
    /// as `actor` on every event it appends, and the log's actor rule allows these).
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= maximumNameBytes && name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "@") || byte == UInt8(ascii: "-")
        }
    }
    public static let maximumNameBytes = 64
    /// A town-scoped identity's towns: a city's (Enping has 11) fit with room.
    public static let maximumTowns = 64
}

/// Bearer tokens: 256 random bits, shown once; only their SHA-256 is stored.
public enum AccessToken {
    /// `rl_` and 43 characters of base64url (32 bytes from the system's secure generator).
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0 ..< 32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return prefix + base64URL(bytes)
    }

    public static let prefix = "rl_"

    /// 256 random bits from the system's secure generator, as base64url (session ids, form
    /// tokens, fresh event ids).
    package static func randomText(bytes count: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        return base64URL((0 ..< count).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }
    /// The longest token the server looks at (a longer header is refused unread).
    public static let maximumBytes = 256

    public static func digest(_ token: String) -> [UInt8] { Array(SHA256.hash(data: Array(token.utf8))) }

    package static func base64URL(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index ..< min(index + 3, bytes.count)]
            var value: UInt32 = 0
            for (offset, byte) in chunk.enumerated() { value |= UInt32(byte) << UInt32(16 - 8 * offset) }
            for place in 0 ... chunk.count { output.append(alphabet[Int((value >> UInt32(18 - 6 * place)) & 63)]) }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Equal digests, in time that does not depend on where they differ.
    package static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }
}

/// The identities in force, as the `_access` stream stands at `version` events.
public struct AccessRegister: Sendable {
    /// Active identities by name.
    public let identities: [String: Identity]
    /// Events in the `_access` stream this register reflects: a reader whose count differs
    /// reloads (a grant or revocation made by another process, the CLI, counts too).
    public let version: Int

    /// The identity holding `token`, if any. Every identity's digest is compared, each in
    /// constant time, so the time taken says nothing about which digest came close.
    public func identity(token: String) -> Identity? {
        let digest = AccessToken.digest(token)
        var found: Identity?
        for identity in identities.values where AccessToken.constantTimeEqual(identity.tokenDigest, digest) {
            found = identity
        }
        return found
    }

    /// Replays the `_access` stream. A record that does not read as a grant or revocation is
    /// damage (the catalogue's reader has already held its fields to the table).
    init(events: [StoredEvent], city: City) throws {
        var identities: [String: Identity] = [:]
        for event in events {
            let members = event.data.objectMembers ?? [:]
            guard let name = members["identity"]?.stringValue else {
                throw LogError.damaged(seq: event.seq, reason: "an access event without an identity")
            }
            switch EventType(name: event.type) {
            case .accessGranted:
                guard let role = members["role"]?.stringValue.flatMap(Role.init(name:)),
                      let digestHex = members["token_sha256"]?.stringValue, let digest = ChainHash.bytes(fromHex: digestHex), digest.count == 32 else {
                    throw LogError.damaged(seq: event.seq, reason: "an access grant without a role or token digest")
                }
                let towns = (members["towns"]?.stringValue ?? "").split(separator: " ").map(String.init)
                guard towns.allSatisfy({ city.town($0) != nil }) else {
                    throw LogError.damaged(seq: event.seq, reason: "an access grant names a town the city does not have")
                }
                identities[name] = Identity(name: name, role: role, towns: towns, grantedAt: event.at, grantedBy: event.actor, tokenDigest: digest)
            case .accessRevoked:
                identities[name] = nil
            default:
                throw LogError.damaged(seq: event.seq, reason: "the access stream holds a \(event.type) event")
            }
        }
        self.identities = identities
        self.version = events.count
    }
}
