import Foundation
@preconcurrency import Glibc

/// A running `recovery serve --listen 127.0.0.1:0` on a store: started, found listening (the
/// port read from its "listening" log line), observed through /proc (CPU time, peak resident
/// set) and its /metrics, and stopped with SIGTERM.
final class ServerProcess {
    let pid: pid_t
    let port: Int
    /// Its standard error: one JSON line per request, and the lifecycle lines.
    let logPath: String
    private var ended: (exitCode: Int32, cpuSeconds: Double)?

    init(recovery: String, store: String, folder: String) throws {
        logPath = folder + "/serve.stderr"
        pid = try ChildProcess.start(recovery, ["serve", "--store", store, "--listen", "127.0.0.1:0"],
                                     standardOutput: folder + "/serve.stdout", standardError: logPath)
        let watch = Stopwatch()
        var found: Int?
        while found == nil {
            if let exit = ChildProcess.poll(pid) {
                ended = exit
                throw ChildProcess.Failure(description: "recovery serve ended (exit \(exit.exitCode)) before listening: \(Self.tail(of: logPath))")
            }
            found = Self.listeningPort(in: logPath)
            if found == nil {
                guard watch.elapsedSeconds < 60 else {
                    kill(pid, SIGKILL)
                    _ = try? ChildProcess.wait(pid, what: "recovery serve")
                    throw ChildProcess.Failure(description: "recovery serve did not log \"listening\" within 60 s: \(Self.tail(of: logPath))")
                }
                usleep(10_000)
            }
        }
        port = found!
    }

    deinit {
        if ended == nil {
            kill(pid, SIGKILL)
            _ = try? ChildProcess.wait(pid, what: "recovery serve")
        }
    }

    /// User plus system CPU seconds the server has used so far (/proc/PID/stat).
    func cpuSeconds() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return .nan }
        // After "pid (comm) ": state is field 3, utime 14, stime 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return .nan }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Bytes the server has passed to write calls so far (/proc/PID/io `wchar`: store pages,
    /// the head witness, its log and the responses; `write_bytes` is no use here: on this
    /// kernel's ext4 it counts far more than is written).
    func writtenBytes() -> Double {
        guard let io = try? String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8) else { return .nan }
        for line in io.split(separator: "\n") where line.hasPrefix("wchar:") {
            return Double(line.dropFirst("wchar:".count).trimmingCharacters(in: .whitespaces)) ?? .nan
        }
        return .nan
    }

    /// Lines of /proc/PID/status, in KiB: VmHWM (the peak resident set), VmRSS, RssAnon, RssFile.
    func memoryKilobytes() -> [String: Double] {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return [:] }
        var values: [String: Double] = [:]
        for line in status.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, ["VmHWM", "VmRSS", "RssAnon", "RssFile", "RssShmem", "Threads"].contains(String(parts[0])) else { continue }
            if let number = parts[1].split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap({ Double($0) }) {
                values[String(parts[0])] = number
            }
        }
        return values
    }

    /// The `_sum` and `_count` of every histogram and the value of every counter on /metrics,
    /// by name (labels kept in the name).
    func metrics() throws -> [String: Double] {
        let answer = try HTTPProbe.request(port: port, method: "GET", path: "/metrics")
        guard answer.status == 200 else { throw ChildProcess.Failure(description: "GET /metrics answered \(answer.status)") }
        var values: [String: Double] = [:]
        for line in answer.body.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            values[String(line[..<space])] = value
        }
        return values
    }

    /// SIGTERM, then waits (up to 60 s, then SIGKILL) for the exit: its code and total CPU seconds.
    func stop() throws -> (exitCode: Int32, cpuSeconds: Double) {
        if let ended { return ended }
        kill(pid, SIGTERM)
        let watch = Stopwatch()
        while true {
            if let exit = ChildProcess.poll(pid) {
                ended = exit
                return exit
            }
            if watch.elapsedSeconds > 60 {
                kill(pid, SIGKILL)
                let exit = try ChildProcess.wait(pid, what: "recovery serve")
                ended = exit
                return exit
            }
            usleep(10_000)
        }
    }

    /// Bytes the server has logged (its request log).
    func logBytes() -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: logPath)[.size]) as? Int) ?? 0
    }

    /// The port in `"address":"[IPv4]127.0.0.1/127.0.0.1:PORT"` of the "listening" line.
    private static func listeningPort(in path: String) -> Int? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.contains("\"listening\"") {
            guard let key = line.range(of: "\"address\":\"") else { continue }
            let address = line[key.upperBound...].prefix { $0 != "\"" }
            if let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) { return port }
        }
        return nil
    }

    private static func tail(of path: String) -> String {
        let text = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return String(text.suffix(1_000))
    }
}
