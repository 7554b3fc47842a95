import CLMDB
import EventLog
import Foundation
@preconcurrency import Glibc

/// One run: generates the data set once, then measures every figure on it in an order that
/// keeps them independent — the read figures (4, 5) see exactly the million batch-appended
/// events, the durable appends (2) come after them, the import (3), a separate process
/// on its own store, comes next, then the domain's figures on that store, and last the
/// server's (14–17), a `recovery serve` process on the store of figure 3's last import.
struct BenchmarkRun {
    let options: BenchOptions

    func run() throws -> Report {
        let wantsDomain = !options.only.isDisjoint(with: 6 ... 13)
        let wantsServer = !options.only.isDisjoint(with: BenchOptions.serverFigures)
        let recovery = options.only.contains(3) || wantsDomain || wantsServer ? try recoveryExecutable() : nil
        let started = Stopwatch()
        let wholeRun = SystemLoad()
        let scratch = try ScratchFolder()
        defer {
            if options.keep { progress("kept the stores in \(scratch.path)") } else { scratch.remove() }
        }

        progress("generating \(Report.grouped(Double(options.events))) events over \(Report.grouped(Double(options.participants))) participants…")
        let workload = Workload.generate(events: options.events, participants: options.participants)
        if let mismatch = workload.mismatchWithParser(samples: 2_000) {
            throw ChildProcess.Failure(description: "the generated JSON Lines and NewEvent values differ: \(mismatch)")
        }

        let logFolder = scratch.path + "/log-store"
        var figures: [FigureResult] = []
        var facts: [(String, String)] = []
        do {  // The log and raw environments close at the end of this scope, before the folder goes.
            let log = try EventLog.create(at: logFolder)
            let logEnvironment = try RawEnvironment(sharing: log)

            progress("1. batch append through the log, then the raw floor…")
            var load = SystemLoad()
            let batch = try BatchAppendFigure.measure(
                workload: workload, log: log, logEnvironment: logEnvironment, scratch: scratch, rounds: options.batchRounds)
            figures.append(batch.result.noting(load.note()))

            if options.only.contains(4) {
                progress("4. full scans…")
                load = SystemLoad()
                figures.append(try ScanFigure.measure(workload: workload, log: log, logEnvironment: logEnvironment).noting(load.note()))
            }
            if options.only.contains(5) {
                progress("5. participant streams…")
                load = SystemLoad()
                figures.append(try ParticipantReadFigure.measure(
                    workload: workload, log: log, logEnvironment: logEnvironment, lookups: options.lookups).noting(load.note()))
            }
            if !options.only.isDisjoint(with: ProofFigures.numbers) {
                progress("18–22. the Merkle tree and its proofs…")
                load = SystemLoad()
                let proofs = try ProofFigures.measure(workload: workload, log: log, scratch: scratch, rounds: 3, only: options.only)
                let note = load.note()
                figures += proofs.map { $0.noting(note) }
            }
            if options.only.contains(VerifyFigure.number) {
                progress("23. verify against the SHA-256 chain…")
                load = SystemLoad()
                figures.append(try VerifyFigure.measure(log: log, records: batch.records).noting(load.note()))
            }
            var durableAppendsPerSecond: Double?
            if options.only.contains(2) || wantsServer {
                progress("2. durable single appends…")
                load = SystemLoad()
                figures.append(try DurableAppendFigure.measure(
                    workload: workload, log: log, raw: batch.rawEnvironment, rawEvents: batch.rawEventsDatabase,
                    records: batch.records, count: options.durableAppends, likeLog: batch.likeLogEnvironment).noting(load.note()))
                // Its log median in µs; the server's appends compare with it (figure 14).
                durableAppendsPerSecond = figures.last.map { 1e6 / $0.log.value }
            }
            if let recovery {
                progress("3. recovery import…")
                load = SystemLoad()
                let imported = try ImportFigure.measure(
                    workload: workload, recovery: recovery, folder: scratch.path, rawEventsPerSecond: batch.rawEventsPerSecond)
                figures.append(imported.noting(load.note()))
                if wantsDomain {
                    load = SystemLoad()
                    let domain = try DomainFigures.measure(
                        store: scratch.path + "/import-store-1", jsonLines: String(decoding: workload.jsonLines, as: UTF8.self),
                        importRate: imported.judged, importSeconds: Double(workload.eventCount) / imported.judged,
                        recovery: recovery, folder: scratch.path, lookups: options.lookups)
                    let note = load.note()
                    figures += domain.filter { options.only.contains($0.number) }.map { $0.noting(note) }
                }
                if wantsServer {
                    load = SystemLoad()
                    let server = try ServerFigures.measure(ServerFigures.Inputs(
                        workload: workload, recovery: recovery, store: ImportFigure.store(round: ImportFigure.rounds, in: scratch.path),
                        folder: scratch.path, durableAppendsPerSecond: durableAppendsPerSecond, importEventsPerSecond: imported.judged,
                        seconds: options.serverSeconds, wrkThreads: options.wrkThreads, wrkScript: options.wrkScript))
                    let note = load.note() + " (wrk and the server, children of this process, count as its own)"
                    figures += server.filter { options.only.contains($0.number) }.map { $0.noting(note) }
                }
            }

            facts = [
                ("date", ISO8601DateFormatter().string(from: Date())),
                ("events", Report.grouped(Double(workload.eventCount))),
                ("participants", Report.grouped(Double(workload.participantCount))),
                ("average JSON line", Report.fixed(workload.averageLineBytes, 1) + " B"),
                ("average stored value (hash + record)", Report.fixed(batch.records.averageSize, 1) + " B"),
                ("log store data.mdb", Self.megabytes(logFolder + "/data.mdb")),
                ("raw store data.mdb", Self.megabytes(scratch.path + "/raw-store-1/data.mdb")),
            ]
            if recovery != nil { facts.append(("import store data.mdb", Self.megabytes(scratch.path + "/import-store-1/data.mdb"))) }
            facts += [
                ("LMDB", String(cString: mdb_version(nil, nil, nil))),
                ("processors", String(sysconf(Int32(_SC_NPROCESSORS_ONLN)))),
                ("recovery", recovery ?? "not run"),
                ("whole run", wholeRun.note()),
            ]
        }
        figures.sort { $0.number < $1.number }
        return Report(options: options, figures: figures, facts: facts, wallSeconds: started.elapsedSeconds)
    }

    /// `--recovery PATH`, else `recovery` beside this executable.
    private func recoveryExecutable() throws -> String {
        let path: String
        if let given = options.recoveryPath {
            path = given
        } else {
            var own = CommandLine.arguments[0]
            if !own.contains("/"), let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
                own = resolved
            }
            path = (own as NSString).deletingLastPathComponent + "/recovery"
        }
        guard access(path, X_OK) == 0 else {
            throw ChildProcess.Failure(description: """
                no executable recovery at \(path): build it with \
                `swift build -c release --scratch-path .build-bench --product recovery`, or pass --recovery PATH
                """)
        }
        return path
    }

    private static func megabytes(_ path: String) -> String {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        return size.map { Report.fixed(Double($0) / 1_048_576, 1) + " MiB" } ?? "?"
    }
}

/// Progress on standard error, so that `--json` output stays clean.
func progress(_ text: String) {
    FileHandle.standardError.write(Data(("recovery-bench: " + text + "\n").utf8))
}
