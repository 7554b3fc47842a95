import HTTPTypes
import LedgerWeb
import Rehabilitation

/// Every web page and form, with the API route whose row of the authorization matrix decides
/// who may use it: a page is exactly as open as the API call that serves the same data, so the
/// matrix (`Route.reach`) stays the one definition of who may do what.
package enum WebRoute: CaseIterable, Sendable {
    case today, todayCSV, findParticipant, participant, record, statement, receipt, figures, figuresCSV
    case rules, rulesPreview, rulesAdopt, integrity, verify

    package var method: HTTPRequest.Method {
        switch self {
        case .record, .rulesPreview, .rulesAdopt, .verify: .post
        default: .get
        }
    }

    package var path: String {
        switch self {
        case .today: "/today"
        case .todayCSV: "/today.csv"
        case .findParticipant: "/participants"
        case .participant: "/participants/{id}"
        case .record: "/participants/{id}/events"
        case .statement: "/participants/{id}/statement"
        case .receipt: "/participants/{id}/receipt.json"
        case .figures: "/figures"
        case .figuresCSV: "/figures.csv"
        case .rules: "/rules"
        case .rulesPreview: "/rules/preview"
        case .rulesAdopt: "/rules/adopt"
        case .integrity: "/integrity"
        case .verify: "/integrity/verify"
        }
    }

    var routerPath: String { path.replacingOccurrences(of: "{id}", with: ":id") }

    /// How logs and access records name it.
    package var name: String { "\(method.rawValue) \(path)" }

    /// The API routes whose data the page shows or whose write it makes; the page's reach is
    /// the narrowest of theirs.
    package var apiRoutes: [Route] {
        switch self {
        case .today, .todayCSV: [.alerts]
        case .findParticipant, .participant, .statement: [.participantAudit]
        case .record: [.appendEvents]
        case .receipt: [.participantReceipt]
        case .figures, .figuresCSV: [.stats]
        case .rules: [.rulesShow]
        case .rulesPreview: [.rulesDiff]
        case .rulesAdopt: [.rulesAdopt]
        case .integrity: [.head, .accessLog]
        case .verify: [.verify]
        }
    }

    package func reach(of role: Role) -> Route.Reach {
        var narrowest = Route.Reach.all
        for route in apiRoutes {
            switch route.reach(of: role) {
            case .none: return .none
            case .ownTowns: narrowest = .ownTowns
            case .all: break
            }
        }
        return narrowest
    }

    /// Whether what it answers names participants, and so is written to the access log first.
    package var isAccessLogged: Bool {
        switch self {
        case .today, .todayCSV, .participant, .statement, .receipt: true
        default: false
        }
    }

    /// The navigation entry a page stands for.
    package var page: WebPage? {
        switch self {
        case .today: .today
        case .figures: .figures
        case .rules: .rules
        case .integrity: .integrity
        default: nil
        }
    }

    /// The navigation a role sees: the pages whose reach is not `none`.
    package static func navigation(for role: Role) -> [WebPage] {
        WebPage.allCases.filter { page in allCases.first { $0.page == page }.map { $0.reach(of: role) != .none } ?? false }
    }

    /// The pages and forms by role, as a Markdown table (docs/web.md).
    package static var markdownMatrix: String {
        var lines = ["| page or form | " + Role.allCases.map { "`\($0.name)`" }.joined(separator: " | ") + " | as the API's | access-logged |",
                     "|---|" + String(repeating: "---|", count: Role.allCases.count) + "---|---|"]
        for route in allCases {
            let cells = Role.allCases.map { route.reach(of: $0).cell }
            lines.append("| `\(route.name)` | " + cells.joined(separator: " | ") + " | "
                         + route.apiRoutes.map { "`\($0.name)`" }.joined(separator: ", ") + " | " + (route.isAccessLogged ? "yes" : "no") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
