import TestSupport
import Foundation
@testable import LedgerServer
import EventLog
import Rehabilitation
import Testing

/// The route table is the single definition of who may do what: docs/server.md's matrix is
/// generated from it, and the API document the server serves is docs/openapi.yaml, byte for
/// byte, naming every route of the table with its method.
@Suite("Server documents")
struct ServerDocumentTests {
    static let openAPIPath = GeneratedSection.docs.appendingPathComponent("openapi.yaml").path
    static let embeddedPath = GeneratedSection.docs.deletingLastPathComponent()
        .appendingPathComponent("Sources/LedgerServer/OpenAPIDocument.swift").path

    @Test("docs/server.md holds exactly the authorization matrix generated from the route table")
    func matrixDocumented() throws {
        let (documented, generated) = try GeneratedSection.compare("matrix", in: "server.md", generated: Route.markdownMatrix)
        #expect(documented == generated, "regenerate with RECOVERY_WRITE_DOCS=1 swift test --filter ServerDocumentTests")
    }

    @Test("the served API document is docs/openapi.yaml")
    func servedDocumentIsTheDocument() throws {
        let document = try String(contentsOfFile: Self.openAPIPath, encoding: .utf8)
        if OpenAPIDocument.text + "\n" != document, GeneratedSection.rewriting {
            #expect(!document.contains("\"\"\"#"), "the document must not close the Swift raw string")
            let source = """
            // Generated from docs/openapi.yaml by `RECOVERY_WRITE_DOCS=1 swift test --filter ServerDocumentTests`;
            // the test fails when the two differ. Do not edit by hand.
            enum OpenAPIDocument {
                static let text = #\"\"\"
            \(document)\"\"\"#
            }

            """
            try source.write(toFile: Self.embeddedPath, atomically: true, encoding: .utf8)
            return
        }
        #expect(OpenAPIDocument.text + "\n" == document, "regenerate with RECOVERY_WRITE_DOCS=1 swift test --filter ServerDocumentTests")
    }

    @Test("every route of the table is in the API document with its method and roles, and no other /v1 route is")
    func everyRouteDocumented() throws {
        let lines = try String(contentsOfFile: Self.openAPIPath, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        var documented: [String: Set<String>] = [:]
        var path: String?
        var operation: String?
        for line in lines {
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
                operation = nil
            } else if let current = path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let key = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "post", "put", "delete", "patch"].contains(String(key)) {
                    operation = "\(key.uppercased()) \(current)"
                    documented[operation!] = []
                }
            } else if let current = operation, line.hasPrefix("      x-roles: [") {
                let list = line.drop { $0 != "[" }.dropFirst().prefix { $0 != "]" }
                documented[current] = Set(list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            } else if !line.hasPrefix(" "), !line.isEmpty {
                path = nil
                operation = nil
            }
        }
        let routes = Set(Route.allCases.map(\.name))
        #expect(routes.isSubset(of: Set(documented.keys)), "undocumented: \(routes.subtracting(documented.keys).sorted())")
        let served = Set(documented.keys.filter { $0.contains(" /v1/") })
        #expect(served.isSubset(of: routes), "documented but not served: \(served.subtracting(routes).sorted())")
        for route in Route.allCases {
            let allowed = Set(Role.allCases.filter { route.reach(of: $0) != .none }.map(\.name))
            #expect(documented[route.name] == allowed, "x-roles of \(route.name) must be \(allowed.sorted())")
        }
    }

    @Test("the API document's refusal codes are the code's")
    func refusalCodesDocumented() throws {
        let lines = try String(contentsOfFile: Self.openAPIPath, encoding: .utf8).split(separator: "\n")
        let start = try #require(lines.firstIndex(of: "    RefusalCode:"))
        var codes: [String] = []
        for line in lines[(start + 1)...] {
            if line.hasPrefix("        - ") { codes.append(String(line.dropFirst(10))) } else if !line.hasPrefix("      ") { break }
        }
        #expect(codes == RefusalCode.allEntries.map(\.code.rawValue))
    }

    @Test("the matrix: auditors append nothing, admins read no participant data, only the city office changes rules")
    func matrixPromises() {
        for route in Route.allCases {
            if route.method == .post, route != .accessGrant, route != .accessRevoke { #expect(route.reach(of: .auditor) == .none) }
            if route.isAccessLogged || route == .stats || route == .rulesShow { #expect(route.reach(of: .admin) == .none) }
        }
        for role in Role.allCases where role != .cityOffice {
            #expect(Route.rulesAdopt.reach(of: role) == .none)
            #expect(Route.rulesDiff.reach(of: role) == .none)
        }
        for role in Role.allCases where role != .admin {
            #expect(Route.accessGrant.reach(of: role) == .none)
        }
    }
}
