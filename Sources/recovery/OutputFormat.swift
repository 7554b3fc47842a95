import ArgumentParser

/// The `--format` values; each command accepts the ones its contract names.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, jsonl, csv
}
