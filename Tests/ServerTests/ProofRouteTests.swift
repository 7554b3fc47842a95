import Foundation
import TestSupport
import Testing

/// The proof routes of `recovery serve` (docs/proofs.md §6) and the statement's receipt: what
/// they answer checks with the ledger's public key alone, and scope and access logging hold.
@Suite("Proofs over HTTP", .serialized)
struct ProofRouteTests {
    /// Writes `answer`'s body to a file and runs `recovery check-proof` on it.
    static func check(_ answer: Answer, key: String, in store: TemporaryStore, name: String) throws -> RecoveryBinary.Outcome {
        let url = store.file(name)
        try Data(answer.body).write(to: url)
        return try RecoveryBinary.run(["check-proof", url.path, "--key", key])
    }

    @Test("checkpoint, inclusion and consistency proofs and receipts check; scope, sizes and the access log hold")
    func routes() async throws {
        let served = try ServedLedger()
        defer { served.server.stop() }
        let key = try served.store.run(["key", "show"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let auditor = served.token("auditor")

        let checkpoint = try await Client.send(.GET, served.url + "/v1/checkpoint", token: auditor)
        #expect(checkpoint.status == 200)
        let size = try #require(checkpoint.json?["tree_size"] as? Int)
        #expect(checkpoint.json?["key"] as? String == key)
        let note = try #require(checkpoint.json?["checkpoint"] as? String)
        try Data(note.utf8).write(to: served.store.file("cp"))
        #expect(try RecoveryBinary.run(["check-proof", served.store.file("cp").path, "--key", key]).status == 0)

        let inclusion = try await Client.send(.GET, served.url + "/v1/proofs/inclusion?seq=\(size)&size=\(size)", token: auditor)
        #expect(inclusion.status == 200, "\(inclusion.text)")
        let checked = try Self.check(inclusion, key: key, in: served.store, name: "inclusion.json")
        #expect(checked.status == 0, "\(checked.stdout)")
        let consistency = try await Client.send(.GET, served.url + "/v1/proofs/consistency?from=1", token: auditor)
        #expect(consistency.status == 200)
        #expect(try Self.check(consistency, key: key, in: served.store, name: "consistency.json").status == 0)
        #expect(try await Client.send(.GET, served.url + "/v1/proofs/inclusion?seq=1&size=\(size + 5)", token: auditor).status == 404)
        #expect(try await Client.send(.GET, served.url + "/v1/proofs/inclusion?seq=\(size + 1)", token: auditor).status == 404)
        #expect(try await Client.send(.GET, served.url + "/v1/proofs/consistency?from=2&to=1", token: auditor).status == 400)
        #expect(try await Client.send(.GET, served.url + "/v1/proofs/inclusion", token: auditor).status == 400)
        // The published checkpoint is extended by the ledger the server keeps.
        #expect(try served.store.run(["verify", "--against", served.store.file("cp").path]).status == 0)

        let recorder = served.token("recorder")
        let receipt = try await Client.send(.GET, served.url + "/v1/participants/\(ServedLedger.ownParticipant)/receipt", token: recorder)
        #expect(receipt.status == 200 && receipt.json?["proof"] as? String == "receipt")
        #expect(try Self.check(receipt, key: key, in: served.store, name: "receipt.json").status == 0)
        let other = try await Client.send(.GET, served.url + "/v1/participants/\(ServedLedger.otherParticipant)/receipt", token: recorder)
        #expect(other.status == 403)
        let log = try await Client.send(.GET, served.url + "/v1/access-log?participant=\(ServedLedger.ownParticipant)", token: auditor)
        let routes = (log.json?["records"] as? [[String: Any]])?.compactMap { $0["route"] as? String } ?? []
        #expect(routes.contains("GET /v1/participants/{id}/receipt"), "\(routes)")

        // The printable statement names the receipt's checkpoint and offers it as a download.
        let browser = WebSessionTests.Browser(served.url)
        try await browser.signIn(recorder)
        let statement = try await browser.send(.GET, "/participants/\(ServedLedger.ownParticipant)/statement")
        #expect(statement.status == 200 && statement.text.contains("data-tree-size=") && statement.text.contains(key), "\(statement.text.prefix(400))")
        let download = try await browser.send(.GET, "/participants/\(ServedLedger.ownParticipant)/receipt.json")
        #expect(download.status == 200 && download.header("Content-Disposition")?.contains("attachment") == true)
        #expect(try Self.check(download, key: key, in: served.store, name: "download.json").status == 0)
        #expect(try await browser.send(.GET, "/participants/\(ServedLedger.otherParticipant)/receipt.json").status == 403)
    }
}
