import HTTPTypes
import Rehabilitation

/// Every route of the API with who may use it: the single definition the router registers,
/// the gate enforces and docs/server.md's authorization matrix is written from (a test
/// regenerates the table and fails on any difference).
package enum Route: CaseIterable, Sendable {
    case appendEvents, participant, participantEvents, participantAudit, alerts, stats
    case rulesShow, rulesDiff, rulesAdopt, log, verify, head, accessLog, accessGrant, accessRevoke, accessList
    case checkpoint, inclusionProof, consistencyProof, participantReceipt

    /// How far a role reaches on a route.
    package enum Reach: Sendable {
        /// Refused (403).
        case none
        /// Only participants (or towns) of the identity's own towns.
        case ownTowns
        /// Everything the route serves.
        case all

        /// How the matrices in the documents write it.
        package var cell: String {
            switch self {
            case .none: "—"
            case .ownTowns: "own towns"
            case .all: "yes"
            }
        }
    }

    package var method: HTTPRequest.Method {
        switch self {
        case .appendEvents, .rulesDiff, .rulesAdopt, .accessGrant, .accessRevoke: .post
        default: .get
        }
    }

    /// The path as the API document writes it.
    package var path: String {
        switch self {
        case .appendEvents: "/v1/events"
        case .participant: "/v1/participants/{id}"
        case .participantEvents: "/v1/participants/{id}/events"
        case .participantAudit: "/v1/participants/{id}/audit"
        case .alerts: "/v1/alerts"
        case .stats: "/v1/stats"
        case .rulesShow: "/v1/rules"
        case .rulesDiff: "/v1/rules/diff"
        case .rulesAdopt: "/v1/rules/adopt"
        case .log: "/v1/log"
        case .verify: "/v1/verify"
        case .head: "/v1/head"
        case .accessLog: "/v1/access-log"
        case .accessGrant: "/v1/access/grant"
        case .accessRevoke: "/v1/access/revoke"
        case .accessList: "/v1/access"
        case .checkpoint: "/v1/checkpoint"
        case .inclusionProof: "/v1/proofs/inclusion"
        case .consistencyProof: "/v1/proofs/consistency"
        case .participantReceipt: "/v1/participants/{id}/receipt"
        }
    }

    /// The path in the router's syntax (`{id}` becomes `:id`).
    var routerPath: String { path.replacingOccurrences(of: "{id}", with: ":id") }

    /// The methods the routes matching `path` take (a `{id}` matches any one segment); nil for
    /// a path no route has.
    static func methods(forPath path: String) -> [String]? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        let methods = (allCases.map { ($0.method.rawValue, $0.path) } + [("GET", "/healthz"), ("GET", "/metrics"), ("GET", "/openapi.yaml")])
            .filter { _, pattern in
                let parts = pattern.split(separator: "/", omittingEmptySubsequences: false)
                return parts.count == segments.count && zip(parts, segments).allSatisfy { $0 == "{id}" ? !$1.isEmpty : $0 == $1 }
            }
            .map(\.0)
        return methods.isEmpty ? nil : methods
    }

    /// `GET /v1/participants/{id}`: how logs and access records name the route.
    package var name: String { "\(method.rawValue) \(path)" }

    /// The matrix: what `role` may do here.
    package func reach(of role: Role) -> Reach {
        switch (self, role) {
        case (.appendEvents, .recorder), (.appendEvents, .townOffice): .ownTowns
        case (.appendEvents, .cityOffice): .all
        case (.participant, .recorder), (.participant, .townOffice), (.participantEvents, .recorder), (.participantEvents, .townOffice),
             (.participantAudit, .recorder), (.participantAudit, .townOffice), (.alerts, .recorder), (.alerts, .townOffice):
            .ownTowns
        case (.participant, .cityOffice), (.participant, .auditor), (.participantEvents, .cityOffice), (.participantEvents, .auditor),
             (.participantAudit, .cityOffice), (.participantAudit, .auditor), (.alerts, .cityOffice), (.alerts, .auditor):
            .all
        case (.stats, .townOffice): .ownTowns
        case (.stats, .cityOffice), (.stats, .auditor): .all
        case (.rulesShow, .admin): .none
        case (.rulesShow, _): .all
        case (.rulesDiff, .cityOffice), (.rulesAdopt, .cityOffice): .all
        case (.log, .auditor), (.verify, .auditor), (.head, .auditor): .all
        case (.accessLog, .auditor), (.accessLog, .admin): .all
        case (.accessGrant, .admin), (.accessRevoke, .admin), (.accessList, .admin): .all
        // The city publishes checkpoints; auditors check proofs (docs/proofs.md §6).
        case (.checkpoint, .auditor), (.checkpoint, .cityOffice), (.inclusionProof, .auditor), (.consistencyProof, .auditor): .all
        // A receipt is the participant's data: whoever may read the participant.
        case (.participantReceipt, .recorder), (.participantReceipt, .townOffice): .ownTowns
        case (.participantReceipt, .cityOffice), (.participantReceipt, .auditor): .all
        default: .none
        }
    }

    /// Whether a response carries participant-level data, and so is recorded in the access
    /// log before it is sent.
    package var isAccessLogged: Bool {
        switch self {
        case .participant, .participantEvents, .participantAudit, .alerts, .participantReceipt: true
        default: false
        }
    }

    /// The authorization matrix as a Markdown table (docs/server.md).
    package static var markdownMatrix: String {
        var lines = ["| route | " + Role.allCases.map { "`\($0.name)`" }.joined(separator: " | ") + " | access-logged |",
                     "|---|" + String(repeating: "---|", count: Role.allCases.count) + "---|"]
        for route in allCases {
            let cells = Role.allCases.map { route.reach(of: $0).cell }
            lines.append("| `\(route.name)` | " + cells.joined(separator: " | ") + " | " + (route.isAccessLogged ? "yes" : "no") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
