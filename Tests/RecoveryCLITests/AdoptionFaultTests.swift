import Foundation
import Testing
import TestSupport
@preconcurrency import Glibc

/// `rules adopt` writes its re-priced states over many transactions and switches to them in
/// the one that appends the adoption (docs/format.md §12.3b): killed anywhere, or raced by
/// appenders in other processes, it must leave the old rules with the old states or the new
/// rules with the new states, and never a mix.
@Suite("Rules adoption killed and raced")
struct AdoptionFaultTests {
    /// A ledger of 1,500 participants with four check-ins each, and the two documents the
    /// adoptions alternate between (what a check-in earns: 2 or 3 points).
    static func ledger() throws -> (store: TemporaryStore, documents: [String]) {
        let temporary = try TemporaryStore().initialised()
        var lines: [String] = []
        for number in 0 ..< 1_500 {
            let participant = "P-A\(number)"
            lines.append(enrolmentLine(participant))
            for day in 1 ... 4 { lines.append(eventLine(id: "c-\(number)-\(day)", participant: participant, at: "2022-03-0\(day)T09:30:00+08:00")) }
        }
        let file = try temporary.jsonLines("events.jsonl", lines)
        try #require(try temporary.recovery(["import", file]).status == 0)
        let shown = try temporary.recovery(["rules", "show"]).stdout
        try #require(shown.contains("check_in = 2 "))
        var documents: [String] = []
        for (index, points) in ["3", "2"].enumerated() {
            let path = temporary.file("rules-\(index).toml").path
            try shown.replacingOccurrences(of: "check_in = 2 ", with: "check_in = \(points) ").write(toFile: path, atomically: true, encoding: .utf8)
            documents.append(path)
        }
        return (temporary, documents)
    }

    /// `recovery ARGUMENTS --store STORE`, with stagings of 4 KiB a transaction.
    static func recovery(_ store: String, _ arguments: [String]) throws -> RecoveryBinary.Outcome {
        try RecoveryBinary.run(arguments + ["--store", store], environment: staging)
    }

    /// About 30 states a staging transaction (the default is 8 MiB): the 1,500 states take
    /// some fifty commits, between which the kills and the appenders land.
    static let staging = ["RECOVERY_STAGING_BYTES": "4096"]

    /// What a check-in earns under the adopted rules, from `rules show`.
    static func checkInPoints(_ store: String) throws -> Int? {
        let shown = try recovery(store, ["rules", "show"]).stdout
        return ["2", "3"].compactMap { shown.contains("check_in = \($0) ") ? Int($0) : nil }.first
    }

    /// The projection matches a replay, and a participant's balance is what its four check-ins earn.
    static func checkConsistent(_ store: String, points: Int, _ context: String) throws -> [String] {
        var problems: [String] = []
        let check = try recovery(store, ["rebuild", "--check"])
        if check.status != 0 { problems.append("\(context): rebuild --check exited \(check.status): \(check.stdout.prefix(300))\(check.stderr.prefix(300))") }
        let balance = try recovery(store, ["balance", "P-A7", "--json"])
        let value = (try? jsonObject(balance.stdout))?["balance"] as? Int
        if value != 4 * points { problems.append("\(context): P-A7's balance is \(value.map(String.init) ?? balance.stderr), not \(4 * points)") }
        return problems
    }

    @Test("an adoption SIGKILLed at a random moment leaves the old rules or the new, each with its own states")
    func killedAdoption() async throws {
        let (temporary, documents) = try Self.ledger()
        let executable = try RecoveryBinary.executable()
        let store = temporary.store
        // Processes launched and killed, minutes at worst: on a thread of its own, not a
        // cooperative one.
        let (problems, outcomes) = try await RecoveryBinary.onOwnThread { () -> ([String], [String: Int]) in
            var problems: [String] = []
            var outcomes: [String: Int] = [:]
            // How long an unkilled adoption takes here: the kills fall inside that.
            let started = Date()
            let first = try Self.recovery(store, ["rules", "adopt", documents[0], "--actor", "office-1", "--retroactive", "--reason", "calibration"])
            let seconds = max(0.05, Date().timeIntervalSince(started))
            if first.status != 0 { problems.append("the first adoption exited \(first.status): \(first.stderr)") }
            var points = 3
            for round in 1 ... 12 {
                let document = documents[round % 2]
                let process = Process()
                process.executableURL = executable
                process.arguments = ["rules", "adopt", document, "--actor", "office-1", "--retroactive", "--reason", "kill \(round)", "--store", store]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                process.standardInput = FileHandle.nullDevice
                process.environment = ProcessInfo.processInfo.environment.merging(Self.staging) { $1 }
                try process.run()
                usleep(useconds_t(Double.random(in: 0 ... seconds) * 1_000_000))
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                let killed = process.terminationReason == .uncaughtSignal
                guard let now = try Self.checkInPoints(store) else {
                    problems.append("round \(round): `rules show` names neither document")
                    continue
                }
                let expected = round % 2 == 0 ? 3 : 2
                if now != points && now != expected { problems.append("round \(round): check-ins earn \(now)") }
                outcomes[killed ? (now == points ? "killed before the switch" : "killed after the switch") : "finished", default: 0] += 1
                points = now
                problems += try Self.checkConsistent(store, points: points, "round \(round)")
            }
            // The next adoption, unkilled, lands whatever the last one left behind.
            let target = points == 2 ? 0 : 1
            let last = try Self.recovery(store, ["rules", "adopt", documents[target], "--actor", "office-1", "--retroactive", "--reason", "after the kills"])
            if last.status != 0 { problems.append("the adoption after the kills exited \(last.status): \(last.stderr)") }
            problems += try Self.checkConsistent(store, points: target == 0 ? 3 : 2, "after the kills")
            if try Self.recovery(store, ["verify"]).status != 0 { problems.append("verify failed after the kills") }
            return (problems, outcomes)
        }
        withExtendedLifetime(temporary) {}
        print("killed adoptions: \(outcomes.sorted { $0.key < $1.key })")
        #expect(problems.isEmpty, "\(problems.prefix(10))")
        #expect(outcomes.values.reduce(0, +) == 12)
    }

    @Test("adoptions raced by appenders in other processes: every acknowledged event priced by the rules adopted last")
    func racedAdoption() async throws {
        let (temporary, documents) = try Self.ledger()
        let executable = try RecoveryBinary.executable()
        let store = temporary.store
        let problems = try await RecoveryBinary.onOwnThread { () -> [String] in
            var problems: [String] = []
            let appends = 40
            let appender = Thread {
                for index in 0 ..< appends {
                    let outcome = try? RecoveryBinary.runProgram(executable, ["append", "--store", store, "--event",
                        eventLine(id: "race-\(index)", participant: "P-A\(index % 5 + 100)", at: "2022-04-0\(index % 9 + 1)T09:30:00+08:00")])
                    if outcome?.status != 0 { print("append race-\(index): \(outcome?.stderr ?? "did not run")") }
                }
            }
            appender.start()
            for round in 0 ..< 4 {
                let outcome = try Self.recovery(store, ["rules", "adopt", documents[round % 2], "--actor", "office-1", "--retroactive", "--reason", "race \(round)"])
                if outcome.status != 0 { problems.append("adoption \(round) exited \(outcome.status): \(outcome.stderr)") }
            }
            while appender.isExecuting || !appender.isFinished { usleep(10_000) }
            // Rules adopted last: round 3's document (check-ins earn 2).
            problems += try Self.checkConsistent(store, points: 2, "after the race")
            let log = try Self.recovery(store, ["log", "--format", "jsonl"]).stdout
            let raced = log.split(separator: "\n").filter { $0.contains("\"race-") }.count
            if raced != appends { problems.append("\(raced) of \(appends) raced appends are in the log") }
            if try Self.recovery(store, ["verify"]).status != 0 { problems.append("verify failed after the race") }
            return problems
        }
        withExtendedLifetime(temporary) {}
        #expect(problems.isEmpty, "\(problems.prefix(10))")
    }
}
