import ArgumentParser

/// `--format table|json` and `--json`, for the commands whose contract names those two formats.
struct TableOrJSONOptions: ParsableArguments {
    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table

    @Flag(help: "Short for --format json.")
    var json = false

    /// Whether to print JSON.
    var isJSON: Bool { json || format == .json }

    func validate() throws {
        guard [.table, .json].contains(format) else { throw ValidationError("--format must be table or json") }
    }
}
