import Foundation
import Synchronization
import Testing
// The scenario's seeded generator, so a failing damage can be replayed from its seed.
@testable import EnpingScenario
@preconcurrency import Glibc

/// Damaged copies of a good store (random byte flips, truncations, zeroed pages): no command
/// may die by a signal or hang on any of them, every exit code is one of the contract's, and
/// `verify` says ok only where every event's content is unchanged (docs/reliability.md).
@Suite("Damage campaign: never a crash, never a hang, damage never passes verify")
struct DamageCampaignTests {
    /// Copies per run (`RECOVERY_DAMAGE_COPIES` for longer runs: `Tools/campaign`).
    static let copies = ProcessInfo.processInfo.environment["RECOVERY_DAMAGE_COPIES"].flatMap(Int.init) ?? 300
    /// The seed of the run; printed with every failure so it can be replayed.
    static let seed = ProcessInfo.processInfo.environment["RECOVERY_DAMAGE_SEED"].flatMap(UInt64.init) ?? 20_261_130
    /// Exit codes the contract allows on a damaged store.
    static let allowed: Set<Int32> = [0, 1, 65, 66, 70]
    /// A command still running after this is a hang.
    static let timeoutSeconds = 20.0

    static let commands: [[String]] = [
        ["verify", "--json"],
        ["log", "--format", "jsonl"],
        ["stats", "--year", "2022", "--as-of", "2022-12-31", "--json"],
        ["balance", "P-001001"],
        ["audit", "P-001001"],
        ["alerts"],
        ["rebuild", "--check"],
        ["append", "--event", eventLine(id: "after-damage", participant: "P-001001", at: "2022-12-30T09:30:00+08:00")],
    ]

    @Test("hundreds of damaged copies: only contract exit codes, no signal, no hang; verify ok ⇒ content unchanged")
    func damagedCopies() async throws {
        let original = try TemporaryStore().initialised()
        #expect(try original.recovery(["import", Self.sampleFile()]).status == 0)
        let content = try original.recovery(["log", "--format", "jsonl"]).stdout
        let data = try Data(contentsOf: URL(fileURLWithPath: original.store + "/data.mdb"))
        let witness = try Data(contentsOf: URL(fileURLWithPath: original.store + "/head.witness"))
        let executable = try RecoveryBinary.executable()
        // Minutes of blocking work, on threads of its own: run from the test's task, the
        // concurrent loop held Swift's cooperative threads (two on 2 cores) for the whole
        // campaign, and every async test waited — server tests timed out after 390 s.
        let found = try await RecoveryBinary.onOwnThread { () -> [String] in
            let failures = Mutex<[String]>([])
            let workers = 2
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var copy = worker
                while copy < Self.copies {
                    do {
                        let problems = try Self.run(copy: copy, data: data, witness: witness, content: content, executable: executable)
                        if !problems.isEmpty { failures.withLock { $0 += problems } }
                    } catch {
                        failures.withLock { $0.append("copy \(copy): \(error)") }
                    }
                    copy += workers
                }
            }
            return failures.withLock { $0 }
        }
        let summary = found.prefix(20).joined(separator: "\n")
        #expect(found.isEmpty, "seed \(Self.seed), \(found.count) problems:\n\(summary)")
    }

    /// Damages one copy as the seed says and runs every command on it.
    static func run(copy: Int, data: Data, witness: Data, content: String, executable: URL) throws -> [String] {
        var random = SplitMix64(seed: seed &+ UInt64(copy) &* 0x9E37_79B9_7F4A_7C15)
        var bytes = [UInt8](data)
        let damage: String
        switch copy % 5 {
        case 0, 1:
            let flips = 1 + Int(random.next() % 16)
            var places: [Int] = []
            for _ in 0 ..< flips {
                let place = Int(random.next() % UInt64(bytes.count))
                bytes[place] ^= UInt8(1 + random.next() % 255)
                places.append(place)
            }
            damage = "\(flips) flipped bytes at \(places)"
        case 2:
            let length = Int(random.next() % UInt64(bytes.count))
            bytes.removeSubrange(length...)
            damage = "truncated to \(length) bytes"
        case 3:
            let page = Int(random.next() % UInt64(bytes.count / 4096))
            for index in page * 4096 ..< min((page + 1) * 4096, bytes.count) { bytes[index] = 0 }
            damage = "page \(page) zeroed"
        default:
            let page = 2 + Int(random.next() % UInt64(max(1, bytes.count / 4096 - 2)))
            let offset = page * 4096 + Int(random.next() % 64)
            if offset < bytes.count { bytes[offset] ^= UInt8(1 + random.next() % 255) }
            damage = "page header byte \(offset) flipped"
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("damage-\(seed)-\(copy)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(bytes).write(to: folder.appendingPathComponent("data.mdb"))
        try witness.write(to: folder.appendingPathComponent("head.witness"))
        var problems: [String] = []
        var verified = false
        for command in commands {
            let outcome = try runBounded(executable, command + ["--store", folder.path], seconds: timeoutSeconds)
            let label = "copy \(copy) (\(damage)): \(command[0])"
            switch outcome {
            case .hung:
                problems.append("\(label) still running after \(Int(timeoutSeconds)) s")
            case .signalled(let signal, let stderr):
                problems.append("\(label) died by signal \(signal): \(stderr.prefix(300))")
            case .exited(let status, let stdout, let stderr):
                if !allowed.contains(status) { problems.append("\(label) exited \(status): \(stderr.prefix(300))") }
                if status != 0, stderr.contains("Backtrace") || stderr.contains("Fatal error") {
                    problems.append("\(label) printed a crash report: \(stderr.prefix(300))")
                }
                if command[0] == "verify" {
                    verified = status == 0
                    // verify must find damage itself, before LMDB trips over it; the fault
                    // handler is the last resort of the other commands only.
                    if stderr.contains("storage engine fault") {
                        problems.append("\(label): verify faulted instead of reporting where the damage is")
                    }
                }
                if command[0] == "log", verified, status == 0, stdout != content {
                    problems.append("\(label): verify said ok but the events' content changed")
                }
                if command[0] == "log", verified, status != 0 {
                    problems.append("\(label): verify said ok but log failed with \(status): \(stderr.prefix(200))")
                }
            }
        }
        return problems
    }

    enum Outcome {
        case exited(Int32, String, String)
        case signalled(Int32, String)
        case hung
    }

    /// Runs a program, killing it when it outlives `seconds`.
    static func runBounded(_ executable: URL, _ arguments: [String], seconds: Double) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        defer {
            output.closeBothEnds()
            error.closeBothEnds()
        }
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        let outputData = Mutex(Data())
        let errorData = Mutex(Data())
        let drained = DispatchGroup()
        DispatchQueue.global().async(group: drained) { outputData.withLock { $0 = output.fileHandleForReading.readDataToEndOfFile() } }
        DispatchQueue.global().async(group: drained) { errorData.withLock { $0 = error.fileHandleForReading.readDataToEndOfFile() } }
        if finished.wait(timeout: .now() + seconds) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            finished.wait()
            drained.wait()
            return .hung
        }
        drained.wait()
        let stdout = String(decoding: outputData.withLock { $0 }, as: UTF8.self)
        let stderr = String(decoding: errorData.withLock { $0 }, as: UTF8.self)
        if process.terminationReason == .uncaughtSignal { return .signalled(process.terminationStatus, stderr) }
        return .exited(process.terminationStatus, stdout, stderr)
    }

    static func sampleFile() throws -> String {
        var directory = URL(fileURLWithPath: #filePath)
        for _ in 0 ..< 3 { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent("Tools/sample-events.jsonl").path
    }
}
