import EventLog
import LedgerDocuments

/// The JSON document `append --json` and `import --json` print on standard output when input
/// is refused (exit 65; the `recovery:` lines still go to standard error):
/// `{"error":"rejected","total":N,"errors":[{"line":…,"field":…,"code":…,"reason":…},…]}`.
/// `errors` holds the first refusals (at most 20); `total` counts them all.
extension RefusalDocument {
    static func text(errors: [InputError], total: Int) -> String {
        json(errors: errors, total: total, position: .line).text
    }

    /// Prints the document for a refusal when `json` is set, and passes every error on.
    static func printingRefusals<T>(json: Bool, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch LogError.rejected(let errors, let total) where json {
            StandardStreams.print(text(errors: errors, total: total))
            throw LogError.rejected(errors: errors, total: total)
        }
    }
}
