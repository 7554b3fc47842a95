/// One table: its keys, each with the line it was written on (for error messages).
public struct TOMLTable: Sendable {
    public internal(set) var entries: [String: (value: TOMLValue, line: Int)] = [:]
    /// The line of the table's header (0 for the root table).
    public let line: Int
    /// Keys in the order written.
    public internal(set) var keyOrder: [String] = []

    init(line: Int) { self.line = line }
}
