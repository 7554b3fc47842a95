// recovery-bench: measures the event log against raw LMDB on one data set, in one run.
// See docs/performance.md for what each figure means; Tools/bench builds and runs it.
@preconcurrency import Glibc

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains("-h") || arguments.contains("--help") {
    print(BenchOptions.usage)
    exit(0)
}
do {
    let options = try BenchOptions.parse(arguments)
    let report = try BenchmarkRun(options: options).run()
    print(options.json ? try report.json() : report.table())
} catch let error as BenchOptions.UsageError {
    progress(error.description)
    exit(64)
} catch {
    progress("failed: \(error)")
    exit(1)
}
