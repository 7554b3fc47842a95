import Foundation
@preconcurrency import Glibc

/// One load on the server: wrk (Debian's) with `serve-load.lua`, which makes every request
/// unique and prints wrk's exact figures from its `done()` hook; wrk's own CPU time comes from
/// `wait4`, the server's from /proc before and after.
struct WrkRun {
    /// What a load is.
    struct Load {
        /// A short tag, also part of the events' ids (so every run's ids differ).
        let tag: String
        /// `append` or `read` (serve-load.lua's modes).
        let mode: String
        let connections: Int
        let threads: Int
        /// Events per request (appends only).
        let eventsPerRequest: Int
        let seconds: Int
    }

    let load: Load
    let requests: Int
    let seconds: Double
    let p50Milliseconds: Double
    let p90Milliseconds: Double
    let p99Milliseconds: Double
    let maxMilliseconds: Double
    /// Connect, read, write errors, non-2xx answers and timeouts, together.
    let errors: Int
    let errorText: String
    let wrkCPUSeconds: Double
    let serverCPUSeconds: Double
    /// Deltas of the server's /metrics over the run.
    let commits: Double
    let committedRequests: Double
    let commitSeconds: Double
    let accessRecords: Double
    let eventsAppended: Double
    /// Bytes the server wrote to files during the run (store pages, head witness, request log):
    /// its write calls' bytes less the responses' (wrk's bytes read).
    let writtenBytes: Double

    var requestsPerSecond: Double { Double(requests) / seconds }
    var eventsPerSecond: Double { requestsPerSecond * Double(load.eventsPerRequest) }
    var requestsPerCommit: Double { commits > 0 ? committedRequests / commits : .nan }
    var accessRecordsPerCommit: Double { commits > 0 ? accessRecords / commits : .nan }
    var meanCommitMilliseconds: Double { commits > 0 ? commitSeconds / commits * 1000 : .nan }
    /// The server's CPU time per completed request, in µs.
    var serverMicrosecondsPerRequest: Double { requests > 0 ? serverCPUSeconds * 1e6 / Double(requests) : .nan }

    static func run(
        _ load: Load, wrk: String, script: String, server: ServerProcess, token: String, participantsFile: String,
        at: String, folder: String
    ) throws -> WrkRun {
        let path = load.mode == "read" ? "/v1/participants" : "/v1/events"
        let arguments = [
            "-t", String(load.threads), "-c", String(load.connections), "-d", "\(load.seconds)s", "--timeout", "10s", "--latency",
            "-s", script, "-H", "Authorization: Bearer \(token)", "-H", "Content-Type: application/json",
            "http://127.0.0.1:\(server.port)\(path)",
            "--", load.mode, participantsFile, at, load.tag, String(load.eventsPerRequest),
        ]
        let before = try server.metrics()
        let serverBefore = server.cpuSeconds()
        let writtenBefore = server.writtenBytes()
        let outcome = try ChildProcess.run(wrk, arguments, outputIn: folder)
        let serverAfter = server.cpuSeconds()
        let writtenAfter = server.writtenBytes()
        let after = try server.metrics()
        guard outcome.exitCode == 0,
              let line = outcome.standardOutput.split(separator: "\n").first(where: { $0.hasPrefix("RESULT ") }),
              let object = try? JSONSerialization.jsonObject(with: Data(line.dropFirst(7).utf8)) as? [String: Any] else {
            throw ChildProcess.Failure(description: "wrk \(arguments.joined(separator: " ")) failed (exit \(outcome.exitCode)): \(outcome.standardOutput.suffix(1_000)) \(outcome.standardError.suffix(1_000))")
        }
        func number(_ key: String) -> Double { (object[key] as? NSNumber)?.doubleValue ?? .nan }
        func delta(_ name: String) -> Double { (after[name] ?? 0) - (before[name] ?? 0) }
        let errorCounts = ["connect_errors", "read_errors", "write_errors", "status_errors", "timeouts"].map { ($0, Int(number($0))) }
        return WrkRun(
            load: load, requests: Int(number("requests")), seconds: number("duration_us") / 1e6,
            p50Milliseconds: number("p50_us") / 1000, p90Milliseconds: number("p90_us") / 1000,
            p99Milliseconds: number("p99_us") / 1000, maxMilliseconds: number("max_us") / 1000,
            errors: errorCounts.reduce(0) { $0 + $1.1 },
            errorText: errorCounts.filter { $0.1 > 0 }.map { "\($0.1) \($0.0.replacingOccurrences(of: "_", with: " "))" }.joined(separator: ", "),
            wrkCPUSeconds: outcome.cpuSeconds, serverCPUSeconds: serverAfter - serverBefore,
            commits: delta("recovery_group_commit_seconds_count"), committedRequests: delta("recovery_group_commit_requests_sum"),
            commitSeconds: delta("recovery_group_commit_seconds_sum"), accessRecords: delta("recovery_access_records_total"),
            eventsAppended: delta("recovery_events_appended_total"), writtenBytes: writtenAfter - writtenBefore - number("bytes"))
    }

    /// One line for a figure's notes.
    func note() -> String {
        let what = load.mode == "read" ? "\(Report.grouped(requestsPerSecond)) req/s"
            : load.eventsPerRequest == 1 ? Report.rate(eventsPerSecond)
            : "\(Report.rate(eventsPerSecond)) (\(Report.fixed(requestsPerSecond, 1)) req/s of \(load.eventsPerRequest) events)"
        let carried = load.mode == "read"
            ? "\(Report.fixed(accessRecordsPerCommit, 1)) access records per commit"
            : "\(Report.fixed(requestsPerCommit, 1)) requests per commit"
        return "\(load.connections) connection\(load.connections == 1 ? "" : "s") (wrk -t\(load.threads), \(load.seconds) s): \(what), "
            + "latency p50 \(Report.fixed(p50Milliseconds, 2)) ms, p90 \(Report.fixed(p90Milliseconds, 2)) ms, p99 \(Report.fixed(p99Milliseconds, 2)) ms, max \(Report.fixed(maxMilliseconds, 1)) ms; "
            + "\(Report.grouped(commits)) commits, \(carried), \(Report.fixed(meanCommitMilliseconds, 2)) ms per commit, "
            + "\(Report.fixed(writtenBytes / 1024 / max(commits, 1), 0)) KiB written to files per commit (store, witness, request log); "
            + "CPU: server \(Report.fixed(serverCPUSeconds, 2)) s (\(Report.fixed(serverCPUSeconds / seconds, 2)) cores, \(Report.fixed(serverMicrosecondsPerRequest, 0)) µs a request), "
            + "wrk \(Report.fixed(wrkCPUSeconds, 2)) s (\(Report.fixed(wrkCPUSeconds / seconds, 2)) cores)"
            + (errors > 0 ? "; ERRORS: \(errorText)" : "")
    }

    /// The numbers, for `--json`.
    func measurement(_ label: String, extra: [(String, Double)] = []) -> FigureResult.Measurement {
        FigureResult.Measurement(label: label, values: [
            ("connections", Double(load.connections)), ("wrk_threads", Double(load.threads)), ("events_per_request", Double(load.eventsPerRequest)),
            ("seconds", seconds), ("requests", Double(requests)), ("requests_per_second", requestsPerSecond),
            ("events_per_second", load.mode == "read" ? 0 : eventsPerSecond),
            ("p50_ms", p50Milliseconds), ("p90_ms", p90Milliseconds), ("p99_ms", p99Milliseconds), ("max_ms", maxMilliseconds),
            ("errors", Double(errors)), ("wrk_cpu_seconds", wrkCPUSeconds), ("server_cpu_seconds", serverCPUSeconds),
            ("server_cpu_us_per_request", serverMicrosecondsPerRequest),
            ("commits", commits), ("requests_per_commit", load.mode == "read" ? accessRecordsPerCommit : requestsPerCommit),
            ("mean_commit_ms", meanCommitMilliseconds), ("events_appended", eventsAppended), ("access_records", accessRecords),
            ("written_bytes", writtenBytes),
        ] + extra)
    }
}
