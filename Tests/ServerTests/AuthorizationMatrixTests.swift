import AsyncHTTPClient
import Foundation
import NIOHTTP1
@testable import LedgerServer
import Rehabilitation
import TestSupport
import Testing

/// Every role × every route × a participant (or town) of the identity's own town and of
/// another: the status is the one the route table (`Route.reach`) promises, and a refused
/// request changes nothing.
@Suite("Authorization matrix", .serialized)
struct AuthorizationMatrixTests {
    @Test("every role on every route, own town and other town")
    func matrix() async throws {
        let served = try ServedLedger()
        defer { served.server.stop() }
        let rulesDocument = try served.store.run(["rules", "show"]).stdout
        var victims = 0
        var checked = 0
        for route in Route.allCases {
            for role in Role.allCases {
                for own in [true, false] {
                    let participant = own ? ServedLedger.ownParticipant : ServedLedger.otherParticipant
                    let town = own ? ServedLedger.ownTown : ServedLedger.otherTown
                    var victim: String?
                    if route == .accessRevoke {
                        victims += 1
                        victim = "victim-\(victims)"
                        _ = try served.store.grant(victim!, role: "auditor")
                    }
                    let (method, path, body) = Self.request(route, participant: participant, town: town, rules: rulesDocument, victim: victim, serial: checked)
                    let before = try await Self.head(served)
                    let answer = try await Client.send(method, served.url + path, token: served.token(role.name), body: body)
                    let expectSuccess = switch route.reach(of: role) {
                    case .none: false
                    case .ownTowns: own
                    case .all: true
                    }
                    let context = "\(role.name) \(route.name) (\(own ? "own" : "other") town): \(answer.status) \(answer.text.prefix(300))"
                    if expectSuccess {
                        #expect((200 ..< 300).contains(answer.status), "\(context)")
                    } else {
                        #expect(answer.status == 403, "\(context)")
                        #expect(answer.json?["error"] as? String == "forbidden", "\(context)")
                        #expect(try await Self.head(served) == before, "a refused request changed the log: \(context)")
                        if let victim {
                            let list = try await Client.send(.GET, served.url + "/v1/access", token: served.token("admin"))
                            let names = (list.json?["identities"] as? [[String: Any]])?.compactMap { $0["identity"] as? String } ?? []
                            #expect(names.contains(victim), "a refused revocation revoked: \(context)")
                        }
                    }
                    checked += 1
                }
            }
        }
        #expect(checked == Route.allCases.count * Role.allCases.count * 2)
    }

    /// The log's head seq, as the auditor sees it.
    static func head(_ served: ServedLedger) async throws -> Int {
        let answer = try await Client.send(.GET, served.url + "/v1/head", token: served.token("auditor"))
        guard answer.status == 200, let seq = answer.json?["seq"] as? Int else { throw HarnessFailure("head: \(answer.status) \(answer.text)") }
        return seq
    }

    /// A valid request for `route` about `participant` or `town`.
    static func request(_ route: Route, participant: String, town: String, rules: String, victim: String?, serial: Int)
        -> (HTTPMethod, String, [UInt8]?) {
        switch route {
        case .appendEvents: (.POST, "/v1/events", Client.json(apiEvent(participant: participant)))
        case .participant: (.GET, "/v1/participants/\(participant)", nil)
        case .participantEvents: (.GET, "/v1/participants/\(participant)/events?limit=5", nil)
        case .participantAudit: (.GET, "/v1/participants/\(participant)/audit", nil)
        case .alerts: (.GET, "/v1/alerts?town=\(town)&as_of=2026-03-01", nil)
        case .stats: (.GET, "/v1/stats?year=2026&town=\(town)", nil)
        case .rulesShow: (.GET, "/v1/rules", nil)
        case .rulesDiff: (.POST, "/v1/rules/diff", Client.json(["document": rules]))
        case .rulesAdopt: (.POST, "/v1/rules/adopt", Client.json(["document": rules, "reason": "matrix test \(serial)"]))
        case .log: (.GET, "/v1/log?limit=5", nil)
        case .verify: (.GET, "/v1/verify", nil)
        case .head: (.GET, "/v1/head", nil)
        case .accessLog: (.GET, "/v1/access-log?limit=5", nil)
        case .accessGrant: (.POST, "/v1/access/grant", Client.json(["identity": "granted-\(serial)", "role": "auditor"]))
        case .accessRevoke: (.POST, "/v1/access/revoke", Client.json(["identity": victim ?? "nobody"]))
        case .accessList: (.GET, "/v1/access", nil)
        case .checkpoint: (.GET, "/v1/checkpoint", nil)
        case .inclusionProof: (.GET, "/v1/proofs/inclusion?seq=1", nil)
        case .consistencyProof: (.GET, "/v1/proofs/consistency?from=1", nil)
        case .participantReceipt: (.GET, "/v1/participants/\(participant)/receipt", nil)
        }
    }
}
