import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TestSupport

/// A real `recovery serve` process on a loopback port the kernel chose, found in its
/// "listening" log line; and a real HTTP client to talk to it.
final class ServerProcess: @unchecked Sendable {
    let store: TemporaryStore
    let process: Process
    let port: Int
    private let log: LineCollector

    /// Starts the server on `store` (which must hold a ledger) and waits until it listens.
    init(store: TemporaryStore, arguments: [String] = []) throws {
        self.store = store
        process = Process()
        process.executableURL = try RecoveryBinary.executable()
        process.arguments = ["serve", "--store", store.store, "--listen", "127.0.0.1:0"] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        log = LineCollector(errors.fileHandleForReading)
        try process.run()
        guard let line = log.waitForLine(containing: "\"message\":\"listening\"", seconds: 60),
              let start = line.range(of: "\"address\":\""),
              let address = line[start.upperBound...].split(separator: "\"").first,
              let portText = address.split(separator: ":").last, let port = Int(portText) else {
            let running = process.isRunning
            process.terminate()
            process.waitUntilExit()
            throw HarnessFailure("the server did not report listening (\(running ? "still running" : "exited \(process.terminationStatus)")); its log:\n\(log.text)")
        }
        self.port = port
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }
    /// What the server logged so far.
    var logText: String { log.text }

    /// Sends `signal` and waits for the exit; returns the exit status (or 128 + signal).
    @discardableResult
    func stop(signal: Int32 = SIGTERM, seconds: Double = 60) -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}

struct HarnessFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Reads a child's standard error line by line on its own thread.
final class LineCollector: @unchecked Sendable {
    private let condition = NSCondition()
    private var lines: [String] = []
    private var ended = false

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 0x0A) {
                    let line = String(decoding: pending[pending.startIndex ..< newline], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex ... newline)
                    condition.lock()
                    lines.append(line)
                    condition.broadcast()
                    condition.unlock()
                }
            }
            condition.lock()
            ended = true
            condition.broadcast()
            condition.unlock()
        }
    }

    func waitForLine(containing text: String, seconds: Double) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let line = lines.first(where: { $0.contains(text) }) { return line }
            if ended || !condition.wait(until: deadline) { return lines.first(where: { $0.contains(text) }) }
        }
    }

    var text: String {
        condition.lock()
        defer { condition.unlock() }
        return lines.joined(separator: "\n")
    }

    var allLines: [String] {
        condition.lock()
        defer { condition.unlock() }
        return lines
    }
}

/// An answer: status, body bytes and the body as JSON when it is JSON.
struct Answer: Sendable {
    let status: Int
    let headers: [(String, String)]
    let body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
    var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
}

/// One shared client for every test (AsyncHTTPClient, keep-alive).
enum Client {
    static let shared = HTTPClient(eventLoopGroupProvider: .singleton)

    static func send(_ method: HTTPMethod, _ url: String, token: String? = nil, body: [UInt8]? = nil,
                     headers: [(String, String)] = [], timeout: Int64 = 60) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await shared.execute(request, timeout: .seconds(timeout))
        let bytes = try await response.body.collect(upTo: 64 * 1024 * 1024)
        return Answer(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                      body: Array(bytes.readableBytesView))
    }

    static func json(_ object: Any) -> [UInt8] { Array((try? JSONSerialization.data(withJSONObject: object)) ?? Data()) }
}

/// A ledger with participants in two towns and one identity of every role, served.
final class ServedLedger: @unchecked Sendable {
    static let ownTown = "encheng"
    static let otherTown = "hengpi"
    /// Enrolled in the own and the other town.
    static let ownParticipant = "P-OWN-1"
    static let otherParticipant = "P-OTHER-1"

    let store: TemporaryStore
    let server: ServerProcess
    /// Tokens by role name: recorder and town_office reach `ownTown` only.
    private(set) var tokens: [String: String] = [:]

    init(arguments: [String] = []) throws {
        store = try TemporaryStore()
        try Self.check(store.run(["init"]), "init")
        let enrolments = [(Self.ownParticipant, Self.ownTown), (Self.otherParticipant, Self.otherTown)].map { participant, town in
            "{\"id\":\"enrol-\(participant)\",\"type\":\"enrolled\",\"participant\":\"\(participant)\",\"at\":\"2026-01-05T09:00:00+08:00\",\"actor\":\"setup\",\"data\":{\"program\":\"community_detox\",\"town\":\"\(town)\",\"employable\":true}}"
        }
        let file = store.file("enrol.jsonl")
        try Data((enrolments.joined(separator: "\n") + "\n").utf8).write(to: file)
        try Self.check(store.run(["import", file.path]), "import")
        for (role, towns) in [("recorder", [Self.ownTown]), ("town_office", [Self.ownTown]), ("city_office", []), ("auditor", []), ("admin", [])] {
            tokens[role] = try store.grant("test-\(role.replacingOccurrences(of: "_", with: "-"))", role: role, towns: towns)
        }
        server = try ServerProcess(store: store, arguments: arguments)
    }

    func token(_ role: String) -> String { tokens[role]! }
    var url: String { server.baseURL }

    static func check(_ outcome: RecoveryBinary.Outcome, _ what: String) throws {
        guard outcome.status == 0 else { throw HarnessFailure("\(what) failed (\(outcome.status)): \(outcome.stderr)") }
    }
}

extension TemporaryStore {
    /// Runs `recovery ARGUMENTS --store STORE`.
    func run(_ arguments: [String]) throws -> RecoveryBinary.Outcome {
        try RecoveryBinary.run(arguments + ["--store", store])
    }

    /// Grants through the CLI; returns the token.
    func grant(_ identity: String, role: String, towns: [String] = []) throws -> String {
        let outcome = try run(["access", "grant", identity, "--role", role, "--json"] + towns.flatMap { ["--town", $0] })
        guard outcome.status == 0, let object = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any],
              let token = object["token"] as? String else {
            throw HarnessFailure("grant failed: \(outcome.stderr)")
        }
        return token
    }
}

/// An event object for the API (`actor` left for the server to stamp).
/// A fresh event id with no digits: a random UUID's hex reads as a mobile number about once in
/// 400 draws, and the privacy screen then refuses the event (a flaky 422, seen in CI).
func freshEventID() -> String {
    String(UUID().uuidString.lowercased().map { $0.isNumber ? Character(UnicodeScalar(UInt8(ascii: "g") + UInt8($0.asciiValue! - 48))) : $0 })
}

func apiEvent(id: String = freshEventID(), type: String = "check_in", participant: String,
              at: String = "2026-02-01T09:00:00+08:00", data: [String: Any] = [:]) -> [String: Any] {
    ["id": id, "type": type, "participant": participant, "at": at, "data": data]
}
