import Foundation

/// The command line of `recovery-bench`. Parsed by hand: the tool deliberately depends on
/// nothing but the modules it measures.
struct BenchOptions {
    var events = 1_000_000
    var participants = 10_000
    var durableAppends = 300
    var lookups = 1_000
    var json = false
    var keep = false
    var recoveryPath: String?
    /// The figures to measure; figure 1 always runs, as it fills the stores the others use.
    var only: Set<Int> = Set(1 ... BenchOptions.lastFigure)
    /// Rounds of figure 1 (each on fresh stores; the best counts).
    var batchRounds = 3
    /// Seconds each wrk run of the server figures (14–17) lasts.
    var serverSeconds = 5
    /// wrk's threads for the runs with more than one connection.
    var wrkThreads = 1
    /// The wrk script (default: Tools/Benchmarks/serve-load.lua beside this tool's sources).
    var wrkScript: String?

    static let lastFigure = 23
    /// `recovery serve` under wrk (docs/performance.md).
    static let serverFigures = 14 ... 17

    static let usage = """
        usage: recovery-bench [--events N] [--participants N] [--appends N] [--lookups N]
                              [--recovery PATH] [--only LIST] [--server-only] [--server-seconds N]
                              [--wrk-threads N] [--wrk-script PATH] [--json] [--keep]

          --events N        events in the data set (default 1000000)
          --participants N  participants the events are spread over (default 10000)
          --appends N       durable single appends to time (default 300)
          --lookups N       random participants whose streams are read (default 1000)
          --recovery PATH   the recovery binary (default: beside this executable)
          --only LIST       measure only these figures, e.g. 1,4 (figure 1 always runs:
                            it fills the stores the others read; 6–13, the domain's,
                            need figure 3's import store, so they run figure 3 too;
                            14–17, the server's, serve figure 3's store and compare
                            with figures 2 and 3, so they run both)
          --server-only     the server figures 14–17 and the floors they compare with
                            (figures 2 and 3; figure 1 in one round instead of three):
                            --only 2,3,14,15,16,17 with a single round of figure 1
          --proofs-only     the Merkle tree's figures 18–22 (issue 12), figure 1 in one round
          --server-seconds N  seconds of each wrk run (default 5; five runs)
          --wrk-threads N   wrk threads for the runs with 16 or 64 connections (default 1)
          --wrk-script PATH the wrk Lua script (default: Tools/Benchmarks/serve-load.lua)
          --json            print the results as JSON instead of a table
          --keep            keep the temporary stores (their folder is printed)
        """

    struct UsageError: Error, CustomStringConvertible {
        let description: String
    }

    static func parse(_ arguments: [String]) throws(UsageError) -> BenchOptions {
        var options = BenchOptions()
        var index = 0
        func value(_ name: String) throws(UsageError) -> String {
            index += 1
            guard index < arguments.count else { throw UsageError(description: "\(name) needs a value") }
            return arguments[index]
        }
        func count(_ name: String, minimum: Int) throws(UsageError) -> Int {
            let text = try value(name)
            guard let number = Int(text.filter { $0 != "_" }), number >= minimum else {
                throw UsageError(description: "\(name) must be a whole number ≥ \(minimum), not \(text)")
            }
            return number
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--events": options.events = try count("--events", minimum: 1)
            case "--participants": options.participants = try count("--participants", minimum: 1)
            case "--appends": options.durableAppends = try count("--appends", minimum: 1)
            case "--lookups": options.lookups = try count("--lookups", minimum: 1)
            case "--recovery": options.recoveryPath = try value("--recovery")
            case "--only":
                let text = try value("--only")
                let figures = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard !figures.isEmpty, figures.allSatisfy({ $0.map { (1 ... lastFigure).contains($0) } ?? false }) else {
                    throw UsageError(description: "--only takes figure numbers 1–\(lastFigure) separated by commas, not \(text)")
                }
                options.only = Set(figures.compactMap { $0 }).union([1])
            case "--proofs-only":
                options.only = Set([1]).union(ProofFigures.numbers)
                options.batchRounds = 1
            case "--server-only":
                options.only = Set([1, 2, 3]).union(serverFigures)
                options.batchRounds = 1
            case "--server-seconds": options.serverSeconds = try count("--server-seconds", minimum: 1)
            case "--wrk-threads": options.wrkThreads = try count("--wrk-threads", minimum: 1)
            case "--wrk-script": options.wrkScript = try value("--wrk-script")
            case "--json": options.json = true
            case "--keep": options.keep = true
            case "-h", "--help": throw UsageError(description: usage)
            case let other: throw UsageError(description: "unknown argument \(other)\n\n\(usage)")
            }
            index += 1
        }
        return options
    }
}
