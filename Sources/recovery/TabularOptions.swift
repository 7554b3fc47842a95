import ArgumentParser
import LedgerDocuments

/// `--excel` and `--lang`, beside a command's `--format`: which form a tabular output takes.
struct TabularOptions: ParsableArguments {
    @Flag(help: "The spreadsheet CSV (Excel, WPS): UTF-8 with a byte-order mark, CRLF, Chinese headers, amounts in 元, rates as percentages, local times (implies --format csv).")
    var excel = false

    @OptionGroup var languageOptions: LanguageOptions

    var language: Language { languageOptions.language }

    /// The form for `format` (table or csv; other formats are the command's own).
    func form(_ format: OutputFormat) -> TabularForm {
        if excel { return .excel }
        return format == .csv ? .csv : .table(language)
    }

    /// `--excel` with a format other than csv (or the default table) is a usage error.
    func check(_ format: OutputFormat, formatGiven: Bool) throws {
        if excel, formatGiven, format != .csv { throw ValidationError("--excel is a form of --format csv") }
    }
}

/// `--format table|json|csv`, `--json`, `--excel` and `--lang`: the options of every command
/// whose output is a table, a JSON document or a CSV (`audit`, `alerts`, `stats`, `rules diff`).
struct TableJSONCSVOptions: ParsableArguments {
    @Option(help: "Output format: table, json or csv.")
    var format: OutputFormat = .table

    @Flag(help: "Short for --format json.")
    var json = false

    @OptionGroup var tabular: TabularOptions

    var isJSON: Bool { json || format == .json }
    /// The table's or the CSV's form (when not JSON).
    var form: TabularForm { tabular.form(format) }
    var language: Language { tabular.language }

    func validate() throws {
        guard [.table, .json, .csv].contains(format) else { throw ValidationError("--format must be table, json or csv") }
        try tabular.check(isJSON ? .json : format, formatGiven: json || format != .table)
    }
}
