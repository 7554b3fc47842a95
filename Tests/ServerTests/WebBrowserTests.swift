import Foundation
import TestSupport
import Testing

/// The pages in a real browser (Debian's Chromium through Selenium, Tools/web-check) over the
/// Enping reference ledger: every role's pages against `recovery stats`, `alerts`, `audit` and
/// `balance`, the record forms, scope, sessions, screenshots at desktop and phone width, and an
/// axe-core accessibility check of every page.
@Suite("Web pages in a real browser", .serialized)
struct WebBrowserTests {
    /// Where the screenshots and the accessibility report go (kept after the run).
    static let output = GeneratedSection.docs.deletingLastPathComponent().appendingPathComponent(".build/web-check")

    @Test("every role's pages show what the ledger holds, forms record once, and no page has a critical accessibility violation")
    func browser() async throws {
        let script = GeneratedSection.docs.deletingLastPathComponent().appendingPathComponent("Tools/web-check")
        var arguments = ["python3", script.path, "--recovery", try RecoveryBinary.executable().path, "--out", Self.output.path]
        if ProcessInfo.processInfo.environment["RECOVERY_WRITE_DOCS"] == "1" { arguments += ["--keep-docs", GeneratedSection.docs.path] }
        let outcome = try await RecoveryBinary.runProgramDetached(URL(fileURLWithPath: "/usr/bin/env"), arguments)
        #expect(outcome.status == 0, "web-check:\n\(outcome.stdout.suffix(8000))\n\(outcome.stderr.suffix(4000))")
        // The run left its evidence: screenshots at both widths and the accessibility report.
        let files = (try? FileManager.default.contentsOfDirectory(atPath: Self.output.path)) ?? []
        #expect(files.contains { $0.hasSuffix("-desktop.png") } && files.contains { $0.hasSuffix("-phone.png") }, "\(files)")
        #expect(files.contains("axe-report.json"))
    }
}
