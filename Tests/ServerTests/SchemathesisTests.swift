import Foundation
import TestSupport
import Testing

/// schemathesis (PyPI) against the document the server serves, with a token of every role and
/// none: no 5xx, and every status, content type and body as documented (Tools/schemathesis-check).
@Suite("API document conformance (schemathesis)", .serialized)
struct SchemathesisTests {
    @Test("every role's requests, and anonymous ones, get documented answers and never a 5xx")
    func conformance() async throws {
        let served = try ServedLedger()
        defer { served.server.stop() }
        let script = GeneratedSection.docs.deletingLastPathComponent().appendingPathComponent("Tools/schemathesis-check")
        let tokens = ["recorder", "town_office", "city_office", "auditor", "admin"].flatMap { ["--token", "\($0)=\(served.token($0))"] }
        let outcome = try await RecoveryBinary.runProgramDetached(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", script.path, "--url", served.url, "--max-examples", "15", "--run-timeout", "300"] + tokens)
        #expect(outcome.status == 0, "schemathesis:\n\(outcome.stdout.suffix(6000))\n\(outcome.stderr.suffix(3000))")
        #expect(!served.server.logText.contains("\"status\":5"), "the server answered 5xx:\n\(served.server.logText.split(separator: "\n").filter { $0.contains("\"status\":5") }.prefix(5).joined(separator: "\n"))")
    }
}
