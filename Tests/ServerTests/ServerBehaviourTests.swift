import AsyncHTTPClient
import Foundation
import Glibc
import TestSupport
import Testing

/// What the server promises besides the matrix: identities and their revocation, the actor
/// stamp, the brute-force limit, body limits, idle and malformed connections, the access
/// log, TLS and the plain-HTTP rule.
@Suite("Server behaviour")
struct ServerBehaviourTests {
    @Test("a token revoked by the CLI or by the admin fails on the very next request; grants over the API work at once")
    func revocation() async throws {
        let served = try ServedLedger()
        defer { served.server.stop() }
        let path = served.url + "/v1/participants/\(ServedLedger.ownParticipant)"
        // Granted by the CLI while the server runs.
        let token = try served.store.grant("late-worker", role: "recorder", towns: [ServedLedger.ownTown])
        #expect(try await Client.send(.GET, path, token: token).status == 200)
        #expect(try served.store.run(["access", "revoke", "late-worker"]).status == 0)
        #expect(try await Client.send(.GET, path, token: token).status == 401)
        // Granted and revoked by the admin over the API.
        let grant = try await Client.send(.POST, served.url + "/v1/access/grant", token: served.token("admin"),
                                          body: Client.json(["identity": "api-worker", "role": "city_office"]))
        #expect(grant.status == 201)
        let apiToken = try #require(grant.json?["token"] as? String)
        #expect(apiToken.hasPrefix("rl_") && apiToken.count == 46)
        #expect(try await Client.send(.GET, path, token: apiToken).status == 200)
        let list = try await Client.send(.GET, served.url + "/v1/access", token: served.token("admin"))
        #expect(!list.text.contains(apiToken), "the identity list must never show a token")
        #expect(try await Client.send(.POST, served.url + "/v1/access/revoke", token: served.token("admin"),
                                      body: Client.json(["identity": "api-worker"])).status == 200)
        #expect(try await Client.send(.GET, path, token: apiToken).status == 401)
        #expect(try await Client.send(.POST, served.url + "/v1/access/revoke", token: served.token("admin"),
                                      body: Client.json(["identity": "api-worker"])).status == 404)
        // The store holds digests only: no token appears in the log.
        let log = try served.store.run(["log", "--format", "jsonl"])
        #expect(!log.stdout.contains(token) && !log.stdout.contains(apiToken))
        #expect(log.stdout.contains("\"access_granted\"") && log.stdout.contains("\"access_revoked\""))
    }

    @Test("the server stamps the caller's identity as actor and refuses another one (422 actor.mismatch)")
    func actorStamp() async throws {
        let served = try ServedLedger()
        defer { served.server.stop() }
        let token = served.token("recorder")
        let appended = try await Client.send(.POST, served.url + "/v1/events", token: token,
                                             body: Client.json(apiEvent(id: "stamp-1", participant: ServedLedger.ownParticipant)))
        #expect(appended.status == 201)
        var spoofed = apiEvent(participant: ServedLedger.ownParticipant)
        spoofed["actor"] = "someone-else"
        let refused = try await Client.send(.POST, served.url + "/v1/events", token: token, body: Client.json(spoofed))
        #expect(refused.status == 422)
        let errors = refused.json?["errors"] as? [[String: Any]]
        #expect(errors?.first?["code"] as? String == "actor.mismatch")
        #expect(errors?.first?["field"] as? String == "actor")
        let events = try await Client.send(.GET, served.url + "/v1/participants/\(ServedLedger.ownParticipant)/events", token: token)
        let stored = (events.json?["events"] as? [[String: Any]])?.first { $0["id"] as? String == "stamp-1" }
        #expect(stored?["actor"] as? String == "test-recorder")
        // The same event again is an idempotent repeat (200), a changed one a conflict (409).
        let again = try await Client.send(.POST, served.url + "/v1/events", token: token,
                                          body: Client.json(apiEvent(id: "stamp-1", participant: ServedLedger.ownParticipant)))
        #expect(again.status == 200 && again.json?["duplicate"] as? Bool == true)
        let changed = try await Client.send(.POST, served.url + "/v1/events", token: token,
                                            body: Client.json(apiEvent(id: "stamp-1", participant: ServedLedger.ownParticipant, at: "2026-02-02T09:00:00+08:00")))
        #expect(changed.status == 409)
        #expect(changed.json?["error"] as? String == "conflict")
        // An expected version that does not hold is a conflict too.
        var versioned = apiEvent(participant: ServedLedger.ownParticipant)
        versioned["expect_version"] = 0
        let stale = try await Client.send(.POST, served.url + "/v1/events", token: token, body: Client.json(versioned))
        #expect(stale.status == 409, "\(stale.status): \(stale.text)")
    }

    @Test("the server's own refusal codes: actor.mismatch, rules.invalid, access.identity, access.towns")
    func serverRefusalCodes() async throws {
        let served = try ServedLedger()
        defer { served.server.stop() }
        func code(_ answer: Answer) -> String? { (answer.json?["errors"] as? [[String: Any]])?.first?["code"] as? String }
        var spoofed = apiEvent(participant: ServedLedger.ownParticipant)
        spoofed["actor"] = "not-me"
        let actor = try await Client.send(.POST, served.url + "/v1/events", token: served.token("city_office"), body: Client.json(spoofed))
        #expect(actor.status == 422 && code(actor) == "actor.mismatch")
        let rules = try await Client.send(.POST, served.url + "/v1/rules/diff", token: served.token("city_office"),
                                          body: Client.json(["document": "this is [not toml"]))
        #expect(rules.status == 422 && code(rules) == "rules.invalid", "\(rules.text)")
        let admin = served.token("admin")
        let identity = try await Client.send(.POST, served.url + "/v1/access/grant", token: admin,
                                             body: Client.json(["identity": "has space", "role": "auditor"]))
        #expect(identity.status == 422 && code(identity) == "access.identity")
        let towns = try await Client.send(.POST, served.url + "/v1/access/grant", token: admin,
                                          body: Client.json(["identity": "no-towns", "role": "recorder"]))
        #expect(towns.status == 422 && code(towns) == "access.towns")
        let unknownTown = try await Client.send(.POST, served.url + "/v1/access/grant", token: admin,
                                                body: Client.json(["identity": "far-away", "role": "recorder", "towns": ["guangzhou"]]))
        #expect(unknownTown.status == 422 && code(unknownTown) == "access.towns")
        // The CLI refuses the same grants with exit 65.
        #expect(try served.store.run(["access", "grant", "no-towns", "--role", "town_office"]).status == 65)
    }

    @Test("one JSON log line per request: route pattern, status, actor, duration, bytes; never a token, an id or event data")
    func requestLog() async throws {
        let served = try ServedLedger()
        let token = served.token("recorder")
        let event = apiEvent(id: "log-check-1", participant: ServedLedger.ownParticipant, data: ["channel": "online"])
        #expect(try await Client.send(.POST, served.url + "/v1/events", token: token, body: Client.json(event)).status == 201)
        #expect(try await Client.send(.GET, served.url + "/v1/participants/\(ServedLedger.ownParticipant)", token: token).status == 200)
        #expect(try await Client.send(.GET, served.url + "/v1/head", token: "rl_not-a-token").status == 401)
        served.server.stop()
        let lines = served.server.logText.split(separator: "\n").map(String.init)
        let requests = try lines.compactMap { line -> [String: Any]? in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
            return object["message"] as? String == "request" ? object : nil
        }
        #expect(requests.count == 3)
        #expect(requests.map { $0["route"] as? String } == ["POST /v1/events", "GET /v1/participants/{id}", "GET /v1/head"])
        #expect(requests.map { $0["status"] as? Int } == [201, 200, 401])
        #expect(requests.map { $0["actor"] as? String } == ["test-recorder", "test-recorder", "-"])
        #expect(requests.allSatisfy { ($0["duration_ms"] as? Double).map { $0 >= 0 } == true && $0["bytes"] is Int && $0["time"] is String })
        let text = served.server.logText
        for secret in [token, "rl_not-a-token", ServedLedger.ownParticipant, "log-check-1", "online"] {
            #expect(!text.contains(secret), "the log shows \(secret)")
        }
    }

    @Test("statistics: JSON or CSV by Accept; a town office sees its towns' rows only, never the city's")
    func statistics() async throws {
        let served = try ServedLedger()
        defer { served.server.stop() }
        let city = try await Client.send(.GET, served.url + "/v1/stats?year=2026", token: served.token("city_office"))
        #expect(city.status == 200)
        #expect(city.json?["city"] is [String: Any])
        #expect((city.json?["towns"] as? [String: Any])?.count == 11)
        let csv = try await Client.send(.GET, served.url + "/v1/stats?year=2026", token: served.token("city_office"), headers: [("Accept", "text/csv")])
        #expect(csv.status == 200 && csv.header("Content-Type")?.hasPrefix("text/csv") == true)
        #expect(csv.text.split(separator: "\n").count == 13)
        #expect(csv.text.hasPrefix("scope,") && csv.text.contains("\ncity,"))
        let town = try await Client.send(.GET, served.url + "/v1/stats?year=2026", token: served.token("town_office"))
        #expect(town.status == 200)
        #expect(town.json?["city"] is NSNull)
        #expect((town.json?["towns"] as? [String: Any]).map { Array($0.keys) } == [ServedLedger.ownTown])
        let townCSV = try await Client.send(.GET, served.url + "/v1/stats?year=2026", token: served.token("town_office"), headers: [("Accept", "text/csv")])
        #expect(townCSV.text.split(separator: "\n").map { $0.split(separator: ",").first.map(String.init) } == ["scope", ServedLedger.ownTown])
        #expect(try await Client.send(.GET, served.url + "/v1/stats?year=2026&town=\(ServedLedger.otherTown)", token: served.token("town_office")).status == 403)
        #expect(try await Client.send(.GET, served.url + "/v1/stats", token: served.token("city_office")).status == 400)
        #expect(try await Client.send(.GET, served.url + "/v1/stats?year=2026&town=atlantis", token: served.token("city_office")).status == 400)
    }

    @Test("a batch is all or nothing: one refused event leaves no trace of the others")
    func atomicBatch() async throws {
        let served = try ServedLedger()
        defer { served.server.stop() }
        let token = served.token("city_office")
        let before = try await AuthorizationMatrixTests.head(served)
        let batch = ["events": [apiEvent(participant: ServedLedger.ownParticipant), apiEvent(participant: ServedLedger.otherParticipant),
                                apiEvent(participant: "P-NEVER-ENROLLED")]]
        let refused = try await Client.send(.POST, served.url + "/v1/events", token: token, body: Client.json(batch))
        #expect(refused.status == 422)
        #expect((refused.json?["errors"] as? [[String: Any]])?.first?["index"] as? Int == 2)
        #expect(try await AuthorizationMatrixTests.head(served) == before)
        let good = ["events": [apiEvent(participant: ServedLedger.ownParticipant), apiEvent(participant: ServedLedger.otherParticipant)]]
        let appended = try await Client.send(.POST, served.url + "/v1/events", token: token, body: Client.json(good))
        #expect(appended.status == 201)
        #expect(appended.json?["appended"] as? Int == 2)
        #expect(appended.json?["last_seq"] as? Int == before + 2)
    }

    @Test("more than 10 failed authentications from one address within a minute give 429, even with a good token")
    func bruteForce() async throws {
        let served = try ServedLedger()
        defer { served.server.stop() }
        let path = served.url + "/v1/head"
        // All at once, so that they fall within one minute however busy the machine is.
        let started = Date()
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for attempt in 1 ... 11 {
                group.addTask { try await Client.send(.GET, path, token: "rl_wrong\(attempt)").status }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        let elapsed = Date().timeIntervalSince(started)
        try #require(elapsed < 50, "the 11 failures took \(elapsed) s: more than the limiter's minute could hold")
        #expect(statuses.sorted() == Array(repeating: 401, count: 11), "\(statuses)")
        let blocked = try await Client.send(.GET, path, token: served.token("auditor"))
        #expect(blocked.status == 429)
        #expect(blocked.json?["error"] as? String == "too_many_attempts")
        #expect(Int(blocked.header("Retry-After") ?? "") ?? 0 > 0)
    }

    @Test("bodies over the limit are 413, malformed JSON 400, and nothing is appended")
    func limits() async throws {
        let served = try ServedLedger()
        defer { served.server.stop() }
        let token = served.token("city_office")
        let before = try await AuthorizationMatrixTests.head(served)
        let huge = [UInt8](repeating: UInt8(ascii: " "), count: 17 * 1024 * 1024)
        #expect(try await Client.send(.POST, served.url + "/v1/events", token: token, body: huge).status == 413)
        let tooMany = ["events": (0 ..< 10_001).map { _ in apiEvent(participant: ServedLedger.ownParticipant) }]
        #expect(try await Client.send(.POST, served.url + "/v1/events", token: token, body: Client.json(tooMany)).status == 413)
        for malformed in ["{", "[]", "\"text\"", "{\"events\":{}}", "{\"events\":[]}", "{\"events\":[1]}"] {
            let answer = try await Client.send(.POST, served.url + "/v1/events", token: token, body: Array(malformed.utf8))
            #expect(answer.status == 400, "\(malformed): \(answer.status)")
            #expect(answer.json?["error"] as? String == "malformed_json")
        }
        #expect(try await Client.send(.GET, served.url + "/v1/participants/bad%20id", token: token).status == 400)
        #expect(try await Client.send(.GET, served.url + "/v1/log?limit=0", token: served.token("auditor")).status == 400)
        #expect(try await Client.send(.GET, served.url + "/v1/participants/P-NOBODY", token: token).status == 404)
        #expect(try await AuthorizationMatrixTests.head(served) == before)
    }

    @Test("a connection that sends nothing is closed after the idle timeout while others are served; malformed HTTP is refused")
    func idleAndMalformedConnections() async throws {
        let served = try ServedLedger(arguments: ["--idle-timeout", "2"])
        defer { served.server.stop() }
        let idle = try RawConnection(port: served.server.port)
        let opened = Date()
        let garbage = try RawConnection(port: served.server.port)
        try garbage.send("THIS IS NOT HTTP\r\n\r\n")
        let garbageAnswer = garbage.readAll(seconds: 5)
        #expect(garbageAnswer.isEmpty || garbageAnswer.hasPrefix("HTTP/1.1 400"), "\(garbageAnswer)")
        for _ in 0 ..< 5 {
            #expect(try await Client.send(.GET, served.url + "/healthz").status == 200)
        }
        // Measured from the connection's opening: the server closes it after the 2-second
        // timeout, not before, and does close it (a busy CI machine may add seconds).
        let closed = idle.readAll(seconds: 60)
        let waited = Date().timeIntervalSince(opened)
        #expect(closed.isEmpty, "an idle connection got \(closed)")
        #expect(waited >= 1.5 && waited < 60, "closed after \(waited) s, expected about 2")
        #expect(try await Client.send(.GET, served.url + "/healthz").status == 200)
    }

    @Test("reads of participant data are in the access log before they are answered; verify checks its chain")
    func accessLog() async throws {
        let served = try ServedLedger()
        defer { served.server.stop() }
        let recorder = served.token("recorder")
        #expect(try await Client.send(.GET, served.url + "/v1/participants/\(ServedLedger.ownParticipant)", token: recorder).status == 200)
        #expect(try await Client.send(.GET, served.url + "/v1/alerts?as_of=2026-06-01", token: recorder).status == 200)
        let log = try await Client.send(.GET, served.url + "/v1/access-log?actor=test-recorder", token: served.token("auditor"))
        let records = try #require(log.json?["records"] as? [[String: Any]])
        #expect(records.count == 2)
        #expect(records.first?["route"] as? String == "GET /v1/participants/{id}")
        #expect(records.first?["participants"] as? [String] == [ServedLedger.ownParticipant])
        #expect(records.last?["towns"] as? [String] == [ServedLedger.ownTown])
        let cli = try served.store.run(["access", "log", "--participant", ServedLedger.ownParticipant, "--json"])
        #expect(cli.status == 0)
        // The participant's own read, and the alert list that named them (no contact since January).
        #expect(cli.stdout.split(separator: "\n").count == 2)
        #expect(records.last?["participants"] as? [String] == [ServedLedger.ownParticipant])
        let verify = try await Client.send(.GET, served.url + "/v1/verify", token: served.token("auditor"))
        #expect(verify.json?["ok"] as? Bool == true)
        #expect(verify.json?["access_records"] as? Int == 2)
        // Statistics are not participant-level: not recorded.
        #expect(try await Client.send(.GET, served.url + "/v1/stats?year=2026", token: served.token("city_office")).status == 200)
        let after = try await Client.send(.GET, served.url + "/v1/access-log", token: served.token("admin"))
        #expect((after.json?["records"] as? [[String: Any]])?.count == 2)
    }

    @Test("plain HTTP on a non-loopback address is refused (64) unless allowed; TLS serves HTTPS")
    func transport() async throws {
        let store = try TemporaryStore()
        _ = try store.run(["init"])
        let refused = try store.run(["serve", "--listen", "0.0.0.0:0"])
        #expect(refused.status == 64, "\(refused.stderr)")
        #expect(refused.stderr.contains("--allow-plaintext"))
        #expect(try store.run(["serve", "--tls-cert", "/nonexistent.pem"]).status == 64)
        let certificate = store.file("cert.pem").path
        let key = store.file("key.pem").path
        let openssl = try RecoveryBinary.runProgram(URL(fileURLWithPath: "/usr/bin/openssl"), [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ])
        try #require(openssl.status == 0, "openssl: \(openssl.stderr)")
        let token = try store.grant("tls-auditor", role: "auditor")
        let server = try ServerProcess(store: store, arguments: ["--tls-cert", certificate, "--tls-key", key])
        defer { server.stop() }
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = .makeClientConfiguration()
        configuration.tlsConfiguration?.certificateVerification = .none
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        var request = HTTPClientRequest(url: "https://127.0.0.1:\(server.port)/v1/head")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        var status: UInt = 0
        var failure: (any Error)?
        do { status = try await client.execute(request, timeout: .seconds(30)).status.code } catch { failure = error }
        // Under TLS the pages' cookies are Secure: a browser never sends them over plain HTTP.
        var cookies: [String] = []
        do {
            let login = try await client.execute(HTTPClientRequest(url: "https://127.0.0.1:\(server.port)/login"), timeout: .seconds(30))
            cookies = login.headers["Set-Cookie"]
        } catch { failure = error }
        try await client.shutdown()
        #expect(failure == nil && status == 200, "\(String(describing: failure))")
        #expect(!cookies.isEmpty && cookies.allSatisfy { $0.contains("; Secure") && $0.contains("HttpOnly") && $0.contains("SameSite=Strict") }, "\(cookies)")
    }
}

/// A bare TCP connection, for what an HTTP client would not send.
final class RawConnection {
    let socket: Int32

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw HarnessFailure("connect failed: \(errno)") }
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard Glibc.send(socket, bytes, bytes.count, 0) == bytes.count else { throw HarnessFailure("send failed") }
    }

    /// Everything received until the peer closes (or `seconds` pass).
    func readAll(seconds: Double) -> String {
        var timeout = timeval(tv_sec: Int(seconds), tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received += buffer[0 ..< count]
        }
        return String(decoding: received, as: UTF8.self)
    }

    deinit { close(socket) }
}
