import Foundation
import Testing
@preconcurrency import Glibc

/// The fault campaign that found lost acknowledged appends (docs/reliability.md): groups of
/// four `recovery append --json` processes on one store, about half of them SIGKILLed at a
/// random moment within 20 ms of starting, both cores kept busy by other processes. Every
/// append that exited 0 must be in the log at the seq it printed.
@Suite("Kill campaign: no acknowledged append is ever lost")
struct KillCampaignTests {
    /// Acknowledged appends the test needs before it stops. Every append is a new process
    /// (20–70 ms of start-up here, more under load), so CI runs 3,000 — the deterministic
    /// `FirstOpenerTests` covers the mechanism itself — and `Tools/campaign kill` runs the
    /// 20,000 of the issue (`RECOVERY_CAMPAIGN_APPENDS`).
    static let targetAppends = ProcessInfo.processInfo.environment["RECOVERY_CAMPAIGN_APPENDS"].flatMap(Int.init) ?? 3_000
    /// The time bound: the campaign stops here even below its target (and then fails).
    static let timeLimitSeconds = ProcessInfo.processInfo.environment["RECOVERY_CAMPAIGN_SECONDS"].flatMap(Double.init) ?? 900
    static let participants = (1 ... 6).map { "P-K\($0)" }

    @Test("groups of four appenders, half SIGKILLed within 20 ms, under CPU load: every acknowledged id is at its seq")
    func killedAppendersLoseNothing() async throws {
        let temporary = try TemporaryStore().initialised().enrolled(Self.participants)
        let store = temporary.store
        let executable = try RecoveryBinary.executable()
        // Minutes of blocking work (launching, sleeping, waiting) on a thread of its own: from
        // the test's task it held one of Swift's two cooperative threads here for the whole
        // campaign, and a server test beside it saw 11 requests take 50 s.
        let run = try await RecoveryBinary.onOwnThread { try Self.campaign(store: store, executable: executable) }
        for problem in run.problems { Issue.record(Comment(rawValue: problem)) }
        let acknowledged = run.acknowledged
        print("kill campaign: \(acknowledged.count) acknowledged appends, \(run.killed) killed, \(run.groups) groups in \(Int(run.seconds)) s")
        #expect(acknowledged.count >= Self.targetAppends,
                "only \(acknowledged.count) acknowledged appends in \(Int(run.seconds)) s (target \(Self.targetAppends))")

        var idAtSeq: [Int: String] = [:]
        for line in try temporary.recovery(["log", "--format", "jsonl"]).stdout.split(separator: "\n") {
            let event = try jsonObject(String(line))
            if let seq = event["seq"] as? Int, let id = event["id"] as? String { idAtSeq[seq] = id }
        }
        let lost = acknowledged.filter { idAtSeq[$0.value] != $0.key }
        #expect(lost.isEmpty, "acknowledged but not at their seq: \(lost.sorted { $0.value < $1.value }.prefix(10).map { "\($0.key)@\($0.value) (holds \(idAtSeq[$0.value] ?? "nothing"))" })")
        #expect(try temporary.recovery(["verify"]).status == 0)
        #expect(try temporary.recovery(["rebuild", "--check"]).status == 0)
    }

    /// The campaign itself: what was acknowledged at which seq, and what went wrong.
    static func campaign(store: String, executable: URL) throws -> (acknowledged: [String: Int], killed: Int, groups: Int, seconds: Double, problems: [String]) {
        let load = try CPULoad(processes: 2)
        defer { load.stop() }
        var acknowledged: [String: Int] = [:]
        var problems: [String] = []
        var killed = 0
        var group = 0
        let started = Date()
        while acknowledged.count < Self.targetAppends, Date().timeIntervalSince(started) < Self.timeLimitSeconds {
            group += 1
            var members: [(id: String, process: Process, output: Pipe, killAt: Double?)] = []
            for slot in 0 ..< 4 {
                let id = "k-\(group)-\(slot)"
                let process = Process()
                process.executableURL = executable
                process.arguments = ["append", "--json", "--store", store, "--event",
                                     eventLine(id: id, participant: Self.participants[(group * 4 + slot) % 6])]
                let output = Pipe()
                process.standardOutput = output
                process.standardError = output
                process.standardInput = FileHandle.nullDevice
                try process.run()
                members.append((id, process, output, Bool.random() ? Double.random(in: 0 ... 0.020) : nil))
            }
            let launched = Date()
            for member in members.filter({ $0.killAt != nil }).sorted(by: { $0.killAt! < $1.killAt! }) {
                let wait = member.killAt! - Date().timeIntervalSince(launched)
                if wait > 0 { usleep(useconds_t(wait * 1_000_000)) }
                kill(member.process.processIdentifier, SIGKILL)
            }
            for member in members {
                member.process.waitUntilExit()
                let text = String(decoding: member.output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                member.output.closeBothEnds()
                if member.process.terminationReason == .uncaughtSignal { killed += 1; continue }
                guard member.process.terminationStatus == 0 else {
                    problems.append("append \(member.id) exited \(member.process.terminationStatus) in group \(group): \(text)")
                    continue
                }
                let reply = try jsonObject(text)
                guard let seq = reply["seq"] as? Int, reply["duplicate"] as? Bool == false else {
                    problems.append("append \(member.id) printed \(text)")
                    continue
                }
                acknowledged[member.id] = seq
            }
        }
        load.stop()
        return (acknowledged, killed, group, Date().timeIntervalSince(started), problems)
    }
}

@Suite("A first opener killed inside mdb_env_open")
struct FirstOpenerTests {
    /// The event of an append with this id.
    static func event(_ id: String) -> String { eventLine(id: id) }

    /// The txnids of `data.mdb`'s two meta pages (docs/format.md: LMDB's meta at offset 16
    /// of pages 0 and 1, txnid at byte 144 of each page, little-endian).
    static func metaTransactions(_ store: String) throws -> (UInt64, UInt64) {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: store + "/data.mdb")).prefix(8192))
        func txnid(_ offset: Int) -> UInt64 { (0 ..< 8).reduce(0) { $0 | UInt64(bytes[offset + $1]) << UInt64(8 * $1) } }
        return (txnid(144), txnid(4096 + 144))
    }

    @Test("stopped (gdb) after it initialised LMDB's lock region, SIGKILLed while two appenders wait: nothing acknowledged is lost")
    func killedFirstOpener() throws {
        let temporary = try TemporaryStore().initialised().enrolled()
        var acknowledged: [String: Int] = [:]
        // Commit until the newest meta page is page 1: a writer starting from a lock region
        // reset to txnid 0 would then commit over it (the lost-append mechanism).
        for index in 0 ..< 4 {
            let (page0, page1) = try Self.metaTransactions(temporary.store)
            if page1 > page0, index > 0 { break }
            let id = "acked-\(index)"
            let reply = try jsonObject(try temporary.recovery(["append", "--json", "--event", Self.event(id)]).stdout)
            acknowledged[id] = reply["seq"] as? Int
        }
        let (page0, page1) = try Self.metaTransactions(temporary.store)
        try #require(page1 > page0, "the newest meta page should be page 1 (txnids \(page0), \(page1))")

        let stopped = temporary.file("stopped").path
        let gdb = Process()
        // Through python3, which clears the signal mask this process's children inherit:
        // gdb learns of its inferior's stops by SIGCHLD, and a blocked one stalls it.
        gdb.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gdb.arguments = [
            "python3", "-c", "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execvp('gdb', ['gdb'] + sys.argv[1:])",
            "-batch", "-nx", "--readnever", "-ex", "set breakpoint pending on", "-ex", "break mdb_env_open", "-ex", "run",
            // The first pread inside mdb_env_open reads the meta pages: the lock region is
            // initialised by then (txnid 0) and not yet set from the meta pages.
            "-ex", "break pread64", "-ex", "continue", "-ex", "shell touch \(stopped)", "-ex", "shell sleep 15",
            "--args", try RecoveryBinary.executable().path, "append", "--json", "--store", temporary.store,
            "--event", Self.event("killed"),
        ]
        _ = FileManager.default.createFile(atPath: temporary.file("gdb.log").path, contents: nil)
        let gdbLog = try FileHandle(forWritingTo: temporary.file("gdb.log"))
        gdb.standardOutput = gdbLog
        gdb.standardError = gdbLog
        gdb.standardInput = FileHandle.nullDevice
        try gdb.run()
        defer { if gdb.isRunning { kill(gdb.processIdentifier, SIGKILL) } }
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: stopped), Date() < deadline { usleep(50_000) }
        try #require(FileManager.default.fileExists(atPath: stopped),
                     "gdb did not stop the opener inside mdb_env_open: \(String(decoding: (try? Data(contentsOf: temporary.file("gdb.log"))) ?? Data(), as: UTF8.self).suffix(1500))")
        // python3 exec'd gdb in its own process, so gdb's pid is the one started.
        let children = try RecoveryBinary.runProgram(URL(fileURLWithPath: "/usr/bin/pgrep"), ["-P", String(gdb.processIdentifier)])
        let opener = try #require(children.stdout.split(separator: "\n").first.flatMap { Int32($0) }, "no inferior under gdb")

        let waiters = try (0 ..< 2).map { index -> (String, Process, Pipe) in
            let process = Process()
            process.executableURL = try RecoveryBinary.executable()
            process.arguments = ["append", "--json", "--store", temporary.store, "--event", Self.event("after-\(index)")]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            return ("after-\(index)", process, output)
        }
        usleep(500_000)  // the waiters are blocked behind the stopped opener
        kill(opener, SIGKILL)
        // And its tracer: a traced process killed stops once more at its exit, until gdb lets it go.
        kill(gdb.processIdentifier, SIGKILL)
        for (id, process, output) in waiters {
            process.waitUntilExit()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            output.closeBothEnds()
            #expect(process.terminationStatus == 0, "\(id): \(text)")
            acknowledged[id] = (try? jsonObject(text))?["seq"] as? Int
        }
        gdb.waitUntilExit()

        var idAtSeq: [Int: String] = [:]
        for line in try temporary.recovery(["log", "--format", "jsonl"]).stdout.split(separator: "\n") {
            let event = try jsonObject(String(line))
            if let seq = event["seq"] as? Int, let id = event["id"] as? String { idAtSeq[seq] = id }
        }
        for (id, seq) in acknowledged {
            #expect(idAtSeq[seq] == id, "\(id) was acknowledged at seq \(seq), which holds \(idAtSeq[seq] ?? "nothing")")
        }
        #expect(Set(acknowledged.values).count == acknowledged.count, "two appends acknowledged at one seq: \(acknowledged)")
        #expect(try temporary.recovery(["verify"]).status == 0)
    }
}

/// Busy processes that keep the cores loaded while a fault test runs: some failures only
/// show when the machine is busy.
final class CPULoad {
    private var processes: [Process] = []

    init(processes count: Int) throws {
        for _ in 0 ..< count {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            // Bounded: each loader ends by itself after 15 minutes even if the test is killed.
            process.arguments = ["-c", "end=$(($(date +%s) + 900)); while [ $(date +%s) -lt $end ]; do i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done; done"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            processes.append(process)
        }
    }

    func stop() {
        for process in processes where process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        processes = []
    }

    deinit { stop() }
}
