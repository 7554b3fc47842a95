import Foundation
import LedgerWeb
import Rehabilitation
import Synchronization

/// Signed-in browsers. A session id is 256 random bits in an HttpOnly cookie; what it stands
/// for stays here, in memory (a restart signs everyone out, which is the safe side).
final class SessionStore: Sendable {
    struct Session: Sendable {
        let identity: String
        /// The digest of the token signed in with: the session ends when the register holds
        /// another (a new grant) or none (a revocation).
        let tokenDigest: [UInt8]
        /// The form token every POST must carry.
        let csrf: String
        let openedAt: Int64
        var lastSeenAt: Int64
    }

    /// A session ends this long after its last request.
    static let idleSeconds: Int64 = 15 * 60
    /// And this long after sign-in, however busy.
    static let lifetimeSeconds: Int64 = 12 * 3600
    /// Sessions held at most: a flood of sign-ins cannot exhaust memory; the oldest go first.
    static let maximumSessions = 10_000

    private let sessions = Mutex<[String: Session]>([:])
    private let clock: @Sendable () -> Int64

    init(clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) { self.clock = clock }

    /// Opens a session; returns its id.
    func open(identity: Identity) -> (id: String, session: Session) {
        let now = clock()
        let id = AccessToken.randomText()
        let session = Session(identity: identity.name, tokenDigest: identity.tokenDigest, csrf: AccessToken.randomText(),
                              openedAt: now, lastSeenAt: now)
        sessions.withLock { sessions in
            if sessions.count >= Self.maximumSessions {
                sessions = sessions.filter { !Self.expired($0.value, now: now) }
                while sessions.count >= Self.maximumSessions, let oldest = sessions.min(by: { $0.value.lastSeenAt < $1.value.lastSeenAt }) {
                    sessions.removeValue(forKey: oldest.key)
                }
            }
            sessions[id] = session
        }
        return (id, session)
    }

    /// The live session with this id (its idle time starts again), or nil.
    func session(_ id: String) -> Session? {
        let now = clock()
        return sessions.withLock { sessions in
            guard var session = sessions[id] else { return nil }
            guard !Self.expired(session, now: now) else {
                sessions.removeValue(forKey: id)
                return nil
            }
            session.lastSeenAt = now
            sessions[id] = session
            return session
        }
    }

    func close(_ id: String) { sessions.withLock { _ = $0.removeValue(forKey: id) } }

    private static func expired(_ session: Session, now: Int64) -> Bool {
        now - session.lastSeenAt >= idleSeconds || now - session.openedAt >= lifetimeSeconds
    }
}

/// The last verification run through the integrity page or `GET /v1/verify`.
final class VerificationMemo: Sendable {
    private let last = Mutex<IntegrityPage.Verification?>(nil)

    func record(_ verification: IntegrityPage.Verification) { last.withLock { $0 = verification } }
    var latest: IntegrityPage.Verification? { last.withLock { $0 } }
}
