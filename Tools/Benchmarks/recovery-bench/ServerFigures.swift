import Foundation
@preconcurrency import Glibc

/// Figures 14–17: `recovery serve` (Hummingbird, group commit) under wrk, on the ledger figure 3's
/// last import built from the same million events, with a `city_office` token granted by the
/// CLI. Single-event appends at 1, 16 and 64 connections against figure 2 (one in-process
/// durable append); batches of 1,000 events against figure 3 (`recovery import`); participant
/// reads, each recorded in the access log before the answer; the server's peak resident set
/// and wrk's own CPU time. One server process takes every load, in that order.
enum ServerFigures {
    struct Inputs {
        let workload: Workload
        let recovery: String
        let store: String
        let folder: String
        /// Figure 2's in-process durable appends per second (its log median), if measured.
        let durableAppendsPerSecond: Double?
        /// Figure 3's import events per second.
        let importEventsPerSecond: Double
        let seconds: Int
        let wrkThreads: Int
        let wrkScript: String?
    }

    static let batchEvents = 1_000
    static let batchConnections = 4

    static func measure(_ inputs: Inputs) throws -> [FigureResult] {
        let watch = Stopwatch()
        let wrk = try wrkExecutable()
        let script = try scriptPath(inputs.wrkScript)
        let folder = inputs.folder

        // A token of the city office (appends and reads everywhere), granted by the CLI.
        let granted = try ChildProcess.run(
            inputs.recovery, ["access", "grant", "bench-load", "--role", "city_office", "--json", "--store", inputs.store], outputIn: folder)
        guard granted.exitCode == 0,
              let object = try? JSONSerialization.jsonObject(with: Data(granted.standardOutput.utf8)) as? [String: Any],
              let token = object["token"] as? String else {
            throw ChildProcess.Failure(description: "recovery access grant failed (exit \(granted.exitCode)): \(granted.standardOutput) \(granted.standardError.prefix(500))")
        }

        // The enrolled participants (every participant of the data set with an event), for the
        // script's round-robin; the check-ins are dated an hour ago, after every enrolment.
        var seen = [Bool](repeating: false, count: inputs.workload.participantCount)
        var participants: [String] = []
        for owner in inputs.workload.participantOfEvent where !seen[Int(owner)] {
            seen[Int(owner)] = true
            participants.append(inputs.workload.participantName(Int(owner)))
        }
        participants.sort()
        let participantsFile = folder + "/serve-participants.txt"
        guard FileManager.default.createFile(atPath: participantsFile, contents: Data((participants.joined(separator: "\n") + "\n").utf8)) else {
            throw ChildProcess.Failure(description: "cannot write \(participantsFile)")
        }
        let atSeconds = Int64(time(nil)) - 3_600
        if let last = inputs.workload.events.last?.at, last / 1_000 >= atSeconds {
            throw ChildProcess.Failure(description: "the data set's events reach into the last hour or the future; the server figures date check-ins an hour ago")
        }
        let at = cityTime(atSeconds)

        let server = try ServerProcess(recovery: inputs.recovery, store: inputs.store, folder: folder)
        let authorization = [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")]
        // Before any load: one append and one read answer as the figures expect.
        let appended = try HTTPProbe.request(
            port: server.port, method: "POST", path: "/v1/events", headers: authorization,
            body: #"{"id":"bench-probe-1","type":"check_in","participant":"\#(participants[0])","at":"\#(at)","data":{"channel":"online"}}"#)
        guard appended.status == 201 else {
            throw ChildProcess.Failure(description: "POST /v1/events answered \(appended.status), not 201: \(appended.body.prefix(1_000))")
        }
        let read = try HTTPProbe.request(port: server.port, method: "GET", path: "/v1/participants/\(participants[0])", headers: authorization)
        guard read.status == 200 else {
            throw ChildProcess.Failure(description: "GET /v1/participants/\(participants[0]) answered \(read.status), not 200: \(read.body.prefix(1_000))")
        }

        func run(_ tag: String, _ mode: String, connections: Int, events: Int = 1, seconds: Int? = nil) throws -> WrkRun {
            let load = WrkRun.Load(
                tag: tag, mode: mode, connections: connections, threads: connections == 1 ? 1 : min(inputs.wrkThreads, connections),
                eventsPerRequest: events, seconds: seconds ?? inputs.seconds)
            progress("   wrk: \(mode) at \(connections) connection\(connections == 1 ? "" : "s")\(events > 1 ? ", \(events) events a request" : "") for \(load.seconds) s…")
            return try WrkRun.run(load, wrk: wrk, script: script, server: server, token: token, participantsFile: participantsFile, at: at, folder: folder)
        }
        progress("14–17. recovery serve on port \(server.port) under wrk…")
        // One second untimed: the server's threads, allocator and the store's pages warm up.
        let warmUp = try run("warm", "append", connections: 16, seconds: 1)
        let singles = [try run("c1", "append", connections: 1), try run("c16", "append", connections: 16), try run("c64", "append", connections: 64)]
        let batch = try run("b1000", "append", connections: batchConnections, events: batchEvents)
        let reads = try run("r64", "read", connections: 64)
        let memory = server.memoryKilobytes()
        let logBytes = server.logBytes()
        let stopped = try server.stop()
        let wrkVersion = (try? ChildProcess.run(wrk, ["--version"], outputIn: folder).standardOutput)?
            .split(separator: "\n").first.map { String($0.prefix { $0 != "[" }).trimmingCharacters(in: .whitespaces) } ?? "wrk"

        var figures: [FigureResult] = []
        let durable = inputs.durableAppendsPerSecond ?? .nan
        let top = singles[2]
        figures.append(FigureResult(
            number: 14, name: "HTTP durable appends, 64 connections",
            log: .init(value: top.eventsPerSecond, unit: "events/s",
                       text: "\(Report.rate(top.eventsPerSecond)), p99 \(Report.fixed(top.p99Milliseconds, 1)) ms"),
            raw: .init(value: durable, unit: "events/s", text: Report.rate(durable) + " (fig. 2)"),
            ratio: top.eventsPerSecond / durable,
            ratioMeaning: "HTTP events/s at 64 connections ÷ figure 2's in-process durable appends/s (for information)",
            judged: top.eventsPerSecond, judgedMeaning: "events/s at 64 connections",
            goal: .atLeast(15_000), targetText: "≥ 15,000 ev/s, p99 ≤ 25 ms",
            notes: ["POST /v1/events of one check-in each (unique id, participants round-robin), keep-alive, every answer after its durable group commit; figure 2's rate: \(Report.rate(durable)) (one EventLog.append + fsync, in-process)"]
                + singles.map { "\($0.note()); ratio to fig. 2 \(Report.fixed($0.eventsPerSecond / durable, 2))" },
            conditions: [
                .init(meaning: "p99 latency (ms) at 64 connections", measured: top.p99Milliseconds, goal: .atMost(25)),
                .init(meaning: "failed requests", measured: Double(singles.map(\.errors).reduce(0, +)), goal: .atMost(0)),
            ],
            measurements: singles.map { $0.measurement("\($0.load.connections) connections", extra: [("ratio_to_figure_2", $0.eventsPerSecond / durable)]) }))

        let importRate = inputs.importEventsPerSecond
        figures.append(FigureResult(
            number: 15, name: "HTTP batches of 1,000 events, 4 connections",
            log: .init(value: batch.eventsPerSecond, unit: "events/s", text: Report.rate(batch.eventsPerSecond)),
            raw: .init(value: importRate, unit: "events/s", text: Report.rate(importRate) + " (fig. 3)"),
            ratio: batch.eventsPerSecond / importRate, ratioMeaning: "HTTP batch events/s ÷ figure 3's `recovery import` events/s",
            judged: batch.eventsPerSecond / importRate, judgedMeaning: "the ratio",
            goal: .atLeast(0.5), targetText: "ratio ≥ 0.5",
            notes: ["POST /v1/events of {\"events\":[1,000 check-ins]} (\(Report.fixed(Double(batchBodyBytes(participants[0], at)) / 1024, 0)) KiB bodies), answered after the durable commit; figure 3 imports the data set's mixed events (with enrolments) from a file",
                    batch.note()],
            conditions: [.init(meaning: "failed requests", measured: Double(batch.errors), goal: .atMost(0))],
            measurements: [batch.measurement("\(batchConnections) connections, \(batchEvents) events a request", extra: [("ratio_to_figure_3", batch.eventsPerSecond / importRate)])]))

        figures.append(FigureResult(
            number: 16, name: "HTTP participant reads, 64 connections",
            log: .init(value: reads.requestsPerSecond, unit: "requests/s",
                       text: "\(Report.grouped(reads.requestsPerSecond)) req/s, p99 \(Report.fixed(reads.p99Milliseconds, 1)) ms"),
            raw: .init(value: 0, unit: "requests/s", text: "—"),
            ratio: 0, ratioMeaning: "none (absolute target)",
            judged: reads.requestsPerSecond, judgedMeaning: "requests/s",
            goal: .atLeast(10_000), targetText: "≥ 10,000 req/s, p99 ≤ 20 ms",
            notes: ["GET /v1/participants/{id}, participants round-robin over \(Report.grouped(Double(participants.count))); each read is recorded in the access log, durably (group commit), before the answer",
                    reads.note()],
            conditions: [
                .init(meaning: "p99 latency (ms)", measured: reads.p99Milliseconds, goal: .atMost(20)),
                .init(meaning: "failed requests", measured: Double(reads.errors), goal: .atMost(0)),
            ],
            measurements: [reads.measurement("64 connections")]))

        let peak = (memory["VmHWM"] ?? .nan) / 1024
        let runs = [warmUp] + singles + [batch, reads]
        func mebibytes(_ key: String) -> String { memory[key].map { Report.fixed($0 / 1024, 0) + " MiB" } ?? "?" }
        figures.append(FigureResult(
            number: 17, name: "server peak memory; wrk's CPU",
            log: .init(value: peak, unit: "MiB", text: Report.fixed(peak, 0) + " MiB"),
            raw: .init(value: 0, unit: "MiB", text: "—"),
            ratio: 0, ratioMeaning: "none (absolute target)",
            judged: peak, judgedMeaning: "the server's peak resident set (VmHWM)",
            goal: .atMost(300), targetText: "< 300 MiB",
            notes: ["VmHWM of `recovery serve` after every load of figures 14–16, read from /proc/PID/status before SIGTERM; then VmRSS \(mebibytes("VmRSS")): anonymous \(mebibytes("RssAnon")), file-mapped (the store) \(mebibytes("RssFile")); \(Int(memory["Threads"] ?? 0)) threads",
                    "wrk's CPU per run (user + system, from wait4): " + runs.map { "\($0.load.tag) \(Report.fixed($0.wrkCPUSeconds, 2)) s" }.joined(separator: ", ")
                        + "; the server's: " + runs.map { "\($0.load.tag) \(Report.fixed($0.serverCPUSeconds, 2)) s" }.joined(separator: ", ")
                        + " (\(ProcessInfo.processInfo.activeProcessorCount) cores shared by both)",
                    "server: exit \(stopped.exitCode) after SIGTERM, \(Report.fixed(stopped.cpuSeconds, 1)) CPU seconds in all; request log (stderr) \(Report.fixed(Double(logBytes) / 1_048_576, 1)) MiB; \(wrkVersion), script \(script); store \(inputs.store)",
                    "figures 14–17 took \(Report.fixed(watch.elapsedSeconds, 1)) s (grant, start, \(runs.count) wrk runs, stop)"],
            conditions: [.init(meaning: "the server's exit code after SIGTERM", measured: Double(stopped.exitCode), goal: .atMost(0))],
            measurements: runs.map { FigureResult.Measurement(label: $0.load.tag, values: [("wrk_cpu_seconds", $0.wrkCPUSeconds), ("server_cpu_seconds", $0.serverCPUSeconds), ("seconds", $0.seconds)]) }
                + [FigureResult.Measurement(label: "server", values: [
                    ("vm_hwm_mib", peak), ("vm_rss_mib", (memory["VmRSS"] ?? .nan) / 1024), ("rss_anon_mib", (memory["RssAnon"] ?? .nan) / 1024),
                    ("rss_file_mib", (memory["RssFile"] ?? .nan) / 1024), ("exit_code", Double(stopped.exitCode)), ("cpu_seconds", stopped.cpuSeconds),
                ])]))
        return figures
    }

    /// `wrk` on the PATH (Tools/bench installs Debian's).
    private static func wrkExecutable() throws -> String {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(folder)/wrk"
            if access(path, X_OK) == 0 { return path }
        }
        throw ChildProcess.Failure(description: "no wrk on the PATH: install it (`apt-get install wrk`; Tools/bench does) or leave out figures 14–17")
    }

    /// `--wrk-script PATH`, else serve-load.lua beside this tool's sources.
    private static func scriptPath(_ given: String?) throws -> String {
        let path = given ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("serve-load.lua").path
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ChildProcess.Failure(description: "cannot read the wrk script \(path); pass --wrk-script PATH")
        }
        return path
    }

    /// `2026-11-30T18:04:05+08:00` for seconds since 1970 (UTC), in the city's zone.
    private static func cityTime(_ seconds: Int64) -> String {
        var local = time_t(seconds + 8 * 3_600)
        var parts = tm()
        gmtime_r(&local, &parts)
        return String(format: "%04ld-%02ld-%02ldT%02ld:%02ld:%02ld+08:00",
                      Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    /// About how large a batch body is (for the notes).
    private static func batchBodyBytes(_ participant: String, _ at: String) -> Int {
        let event = #"{"id":"bench-b1000-0-100000","type":"check_in","participant":"\#(participant)","at":"\#(at)","data":{"channel":"online"}}"#
        return 12 + batchEvents * (event.utf8.count + 1)
    }
}
