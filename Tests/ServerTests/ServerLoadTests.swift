import AsyncHTTPClient
import Foundation
import NIOCore
import Glibc
import Synchronization
import TestSupport
import Testing

/// The server under concurrent appends: nothing acknowledged is lost (not by load, a graceful
/// stop, a second signal or SIGKILL at random moments), nothing is applied twice or by half,
/// and the CLI keeps working on the same store meanwhile.
@Suite("Server under load", .serialized)
struct ServerLoadTests {
    /// A client with a connection per concurrent appender (the default pool keeps 8).
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// Ids the server acknowledged (2xx).
    final class Acknowledged: Sendable {
        private let ids = Mutex<[String]>([])
        private let stopping = Mutex(false)
        /// Ends the appenders' loops (the server was killed: nothing more can be acknowledged).
        func stop() { stopping.withLock { $0 = true } }
        func resume() { stopping.withLock { $0 = false } }
        var isStopped: Bool { stopping.withLock { $0 } }
        func add(_ id: String) { ids.withLock { $0.append(id) } }
        var all: [String] { ids.withLock { $0 } }
    }

    /// `clients` appenders of single check-ins for `seconds` (or until the server goes away).
    static func load(_ url: String, token: String, clients: Int, seconds: Double, into acknowledged: Acknowledged) async {
        let deadline = Date().addingTimeInterval(seconds)
        await withTaskGroup(of: Void.self) { group in
            for client in 0 ..< clients {
                group.addTask {
                    var failures = 0
                    while Date() < deadline, failures < 20, !acknowledged.isStopped {
                        let participant = client % 2 == 0 ? ServedLedger.ownParticipant : ServedLedger.otherParticipant
                        let id = "load-\(UUID().uuidString.lowercased())"
                        var request = HTTPClientRequest(url: url + "/v1/events")
                        request.method = .POST
                        request.headers.add(name: "Authorization", value: "Bearer \(token)")
                        request.body = .bytes(ByteBuffer(bytes: Client.json(apiEvent(id: id, participant: participant))))
                        do {
                            let response = try await Self.client.execute(request, timeout: .seconds(5))
                            _ = try await response.body.collect(upTo: 1 << 20)
                            if response.status.code == 201 || response.status.code == 200 { acknowledged.add(id) } else { failures += 1 }
                        } catch {
                            failures += 1
                            try? await Task.sleep(for: .milliseconds(20))
                        }
                    }
                }
            }
        }
    }

    /// Every event of the log, by the CLI: (seq, id, actor).
    static func logEvents(_ store: TemporaryStore) throws -> [(seq: Int, id: String, actor: String)] {
        let outcome = try store.run(["log", "--format", "jsonl"])
        guard outcome.status == 0 else { throw HarnessFailure("log: \(outcome.stderr)") }
        return try outcome.stdout.split(separator: "\n").map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let seq = object["seq"] as? Int, let id = object["id"] as? String, let actor = object["actor"] as? String else {
                throw HarnessFailure("unreadable log line \(line)")
            }
            return (seq, id, actor)
        }
    }

    /// Every acknowledged id is in the log exactly once, the log is gap-free, and `verify` and
    /// `rebuild --check` pass.
    static func checkNothingLost(_ store: TemporaryStore, acknowledged: [String]) throws {
        let events = try logEvents(store)
        #expect(events.map(\.seq) == Array(1 ... events.count), "the log has gaps")
        var counts: [String: Int] = [:]
        for event in events { counts[event.id, default: 0] += 1 }
        let missing = acknowledged.filter { counts[$0] == nil }
        #expect(missing.isEmpty, "\(missing.count) acknowledged events are missing, e.g. \(missing.prefix(3))")
        #expect(counts.values.allSatisfy { $0 == 1 })
        let verify = try store.run(["verify"])
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
        let rebuild = try store.run(["rebuild", "--check"])
        #expect(rebuild.status == 0, "\(rebuild.stdout) \(rebuild.stderr)")
    }

    @Test("64 clients appending: every acknowledged event lands once; the CLI appends, verifies and counts meanwhile; SIGTERM exits 0")
    func loadWithCLI() async throws {
        let served = try ServedLedger()
        let acknowledged = Acknowledged()
        let token = served.token("city_office")
        async let loading: Void = Self.load(served.url, token: token, clients: 64, seconds: 4, into: acknowledged)
        try await Task.sleep(for: .seconds(1))
        // The CLI on the same store while the server is loaded.
        let line = "{\"id\":\"cli-during-load\",\"type\":\"check_in\",\"participant\":\"\(ServedLedger.ownParticipant)\",\"at\":\"2026-02-01T10:00:00+08:00\",\"actor\":\"cli-user\",\"data\":{}}"
        let append = try served.store.run(["append", "--event", line])
        #expect(append.status == 0, "\(append.stderr)")
        let cliSeq = Int(append.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(try served.store.run(["verify"]).status == 0)
        #expect(try served.store.run(["stats", "--year", "2026", "--format", "json"]).status == 0)
        await loading
        #expect(acknowledged.all.count > 20, "only \(acknowledged.all.count) appends were acknowledged")
        #expect(served.server.stop(signal: SIGTERM) == 0)
        try Self.checkNothingLost(served.store, acknowledged: acknowledged.all + ["cli-during-load"])
        let cliEvent = try Self.logEvents(served.store).first { $0.id == "cli-during-load" }
        #expect(cliEvent?.seq == cliSeq)
        #expect(cliEvent?.actor == "cli-user")
    }

    @Test("SIGTERM under load drains and exits 0; a second signal exits at once; nothing acknowledged is lost")
    func shutdownSignals() async throws {
        let served = try ServedLedger()
        let acknowledged = Acknowledged()
        async let loading: Void = Self.load(served.url, token: served.token("city_office"), clients: 32, seconds: 3, into: acknowledged)
        try await Task.sleep(for: .seconds(1))
        #expect(served.server.stop(signal: SIGTERM) == 0)
        await loading
        try Self.checkNothingLost(served.store, acknowledged: acknowledged.all)

        let again = try ServerProcess(store: served.store)
        let more = Acknowledged()
        async let loadingMore: Void = Self.load(again.baseURL, token: served.token("city_office"), clients: 32, seconds: 3, into: more)
        try await Task.sleep(for: .seconds(1))
        kill(again.process.processIdentifier, SIGTERM)
        kill(again.process.processIdentifier, SIGTERM)
        let status = again.stop(signal: SIGTERM, seconds: 10)
        #expect(status == 0 || status == 128 + SIGTERM, "exit \(status)")
        await loadingMore
        try Self.checkNothingLost(served.store, acknowledged: acknowledged.all + more.all)
    }

    @Test("a request in flight holds the drain open; a second SIGTERM ends the process at once, and the store verifies")
    func secondSignal() async throws {
        let served = try ServedLedger()
        // A request whose body never finishes: graceful shutdown waits for it.
        let stalled = try RawConnection(port: served.server.port)
        try stalled.send("POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(served.token("city_office"))\r\nContent-Length: 1000\r\n\r\n{\"id\":")
        try await Task.sleep(for: .milliseconds(300))
        kill(served.server.process.processIdentifier, SIGTERM)
        try await Task.sleep(for: .seconds(1))
        #expect(served.server.process.isRunning, "the drain should wait for the request in flight")
        let started = Date()
        let status = served.server.stop(signal: SIGTERM, seconds: 10)
        #expect(status == 128 + SIGTERM, "exit \(status)")
        // The drain would wait for the stalled request until the 30-second idle timeout.
        #expect(Date().timeIntervalSince(started) < 10)
        try Self.checkNothingLost(served.store, acknowledged: [])
    }

    @Test("SIGKILL at random moments under load, 5 times, with both cores busy: every acknowledged event survives")
    func killCampaign() async throws {
        let served = try ServedLedger()
        served.server.stop()
        let burners = CPUBurners(count: 2)
        defer { burners.stop() }
        let acknowledged = Acknowledged()
        var generator = SystemRandomNumberGenerator()
        for round in 1 ... 5 {
            let before = acknowledged.all.count
            let server = try ServerProcess(store: served.store)
            let delay = Double.random(in: 0.3 ... 1.5, using: &generator)
            async let loading: Void = Self.load(server.baseURL, token: served.token("city_office"), clients: 16, seconds: 30, into: acknowledged)
            try await Task.sleep(for: .milliseconds(Int(delay * 1000)))
            server.stop(signal: SIGKILL)
            acknowledged.stop()
            await loading
            acknowledged.resume()
            #expect(acknowledged.all.count > before, "round \(round) acknowledged nothing")
        }
        try Self.checkNothingLost(served.store, acknowledged: acknowledged.all)
    }
}

/// Busy processes that keep the cores loaded (some failures show only on a busy machine).
final class CPUBurners {
    private var processes: [Process] = []

    init(count: Int) {
        for _ in 0 ..< count {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "while :; do :; done"]
            if (try? process.run()) != nil { processes.append(process) }
        }
    }

    func stop() {
        for process in processes where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        processes.removeAll()
    }

    deinit { stop() }
}
