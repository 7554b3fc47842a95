import EventLog
import Foundation
import Rehabilitation
import Synchronization

/// Finds the identity of a bearer token in the register, reloading the register whenever the
/// `_access` stream has changed (a grant or revocation by the admin route or by the CLI in
/// another process): a revoked token fails on the very next request.
final class Authenticator: Sendable {
    private let ledger: Ledger
    private let cached = Mutex<AccessRegister?>(nil)

    init(ledger: Ledger) { self.ledger = ledger }

    func identity(token: String) throws -> Identity? {
        guard token.utf8.count <= AccessToken.maximumBytes else { return nil }
        return try register().identity(token: token)
    }

    func register() throws -> AccessRegister {
        let version = try ledger.accessVersion()
        if let register = cached.withLock({ $0 }), register.version == version { return register }
        let register = try ledger.accessRegister()
        cached.withLock { $0 = register }
        return register
    }
}

/// More than `Limits.failuresAllowed` failed authentications from one address within a
/// minute block it (429) for a minute.
final class AttemptLimiter: Sendable {
    private struct Entry {
        var windowStart: Int64
        var failures: Int
        var blockedUntil: Int64
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let clock: @Sendable () -> Int64

    init(clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) { self.clock = clock }

    /// Seconds the address stays blocked; nil when it is not.
    func blockedSeconds(_ address: String) -> Int64? {
        let now = clock()
        return entries.withLock { entries in
            guard let entry = entries[address], entry.blockedUntil > now else { return nil }
            return entry.blockedUntil - now
        }
    }

    func recordFailure(_ address: String) {
        let now = clock()
        entries.withLock { entries in
            if entries.count >= Limits.trackedAddresses {
                // Forget whatever no longer counts; if a flood still fills the table, start over
                // rather than grow (blocked addresses are kept).
                entries = entries.filter { $0.value.blockedUntil > now || now - $0.value.windowStart < Limits.failureWindowSeconds }
                if entries.count >= Limits.trackedAddresses { entries = entries.filter { $0.value.blockedUntil > now } }
            }
            var entry = entries[address] ?? Entry(windowStart: now, failures: 0, blockedUntil: 0)
            if now - entry.windowStart >= Limits.failureWindowSeconds { entry = Entry(windowStart: now, failures: 0, blockedUntil: entry.blockedUntil) }
            entry.failures += 1
            if entry.failures > Limits.failuresAllowed { entry.blockedUntil = now + Limits.blockSeconds }
            entries[address] = entry
        }
    }
}
