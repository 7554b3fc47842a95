import Foundation
import Testing

/// Nothing outside the package can append to a ledger's log except through the ledger. The
/// package has no library product; a client of its modules would be compiled without this
/// package's name, so `package` symbols are invisible to it. This test type-checks small
/// client files exactly so — against the modules this build produced, without
/// `-package-name` — and requires every bypass to fail while the public API compiles.
@Suite("The sealed write path")
struct SealedWritePathTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The name SwiftPM compiled this package's modules with: its identity (the root folder's
    /// name, lower case, other characters as `_`).
    static var packageName: String {
        String(packageRoot.lastPathComponent.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    /// Type-checks `source` as a client module (as a module of this package with
    /// `insidePackage`); returns the exit status and the diagnostics.
    static func typecheck(_ source: String, insidePackage: Bool = false) throws -> (status: Int32, diagnostics: String) {
        let modules = try RecoveryBinary.executable().deletingLastPathComponent().appendingPathComponent("Modules")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("client-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("main.swift")
        try Data(source.utf8).write(to: file)
        let outcome = try RecoveryBinary.runProgram(URL(fileURLWithPath: "/usr/bin/env"), [
            "swiftc", "-typecheck", "-swift-version", "6", "-module-name", "Client",
        ] + (insidePackage ? ["-package-name", packageName] : []) + [
            "-I", modules.path, "-I", packageRoot.appendingPathComponent("Sources/CLMDB").path, file.path,
        ])
        return (outcome.status, outcome.stdout + outcome.stderr)
    }

    static let prelude = """
        import EventLog
        import LMDB
        import Rehabilitation
        let ledger = try Ledger.open(at: "/nonexistent")
        let event = NewEvent(id: nil, type: "check_in", participant: "P-1", at: 0, actor: "a")

        """

    @Test("a client of the public API compiles")
    func publicAPICompiles() throws {
        let (status, diagnostics) = try Self.typecheck(Self.prelude + """
            _ = try ledger.append(event)
            _ = try ledger.submitBatch { batch in try batch.submit(event) }
            _ = try ledger.importLines(Array("{}".utf8))
            _ = try ledger.log.head()
            _ = try ledger.log.verify()
            _ = try EventLog.open(at: "/nonexistent").head()
            _ = try ledger.state(of: "P-1")
            """)
        #expect(status == 0, "\(diagnostics)")
    }

    @Test("every way around the ledger fails to compile", arguments: [
        "_ = try ledger.log.append(event)",
        "_ = try ledger.log.appendBatch { writer in try writer.append(event) }",
        "_ = ledger.log.environment",
        "_ = try EventLog.create(at: \"/tmp/x\")",
        "_ = try Environment.open(path: \"/tmp/x\")",
        "_ = try Ledger.create(at: \"/tmp/x\", clock: { 0 })",
        "_ = try EventLog.open(at: \"/tmp/x\", clock: { 0 })",
        "_ = ledger.log.clock",
    ])
    func bypassesFail(_ line: String) throws {
        let (status, diagnostics) = try Self.typecheck(Self.prelude + line + "\n")
        #expect(status != 0, "compiled outside the package: \(line)")
        #expect(diagnostics.contains("error:"), "\(line): \(diagnostics)")
        // The same line compiles as a module of the package: it failed for its access level
        // alone, not for a typo in this test.
        let inside = try Self.typecheck(Self.prelude + line + "\n", insidePackage: true)
        #expect(inside.status == 0, "\(line) does not compile inside the package either (package name \(Self.packageName)): \(inside.diagnostics)")
    }

    @Test("the batch's log writer is the ledger module's own (internal, not even package)")
    func batchWriterIsInternal() throws {
        let line = "_ = try ledger.submitBatch { batch in batch.writer }\n"
        for inside in [false, true] {
            let (status, diagnostics) = try Self.typecheck(Self.prelude + line, insidePackage: inside)
            #expect(status != 0)
            #expect(diagnostics.contains("'writer' is inaccessible due to 'internal' protection level"), "\(diagnostics)")
        }
    }
}
