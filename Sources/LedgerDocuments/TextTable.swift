import EventLog

/// Aligns columns for terminals, counting CJK characters as two columns wide.
package enum TextTable {
    package static func width(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + (($1.value >= 0x1100 && $1.value <= 0x115F) || ($1.value >= 0x2E80 && $1.value <= 0xA4CF)
            || ($1.value >= 0xAC00 && $1.value <= 0xD7A3) || ($1.value >= 0xF900 && $1.value <= 0xFAFF) || ($1.value >= 0xFF00 && $1.value <= 0xFF60) ? 2 : 1) }
    }

    /// The lines of a table; every cell is escaped, so a name cannot break or restyle a line.
    package static func render(header: [String], rows: [[String]]) -> [String] {
        let rows = rows.map { $0.map(DisplayText.escaped) }
        var widths = header.map(width)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], width(cell)) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - width(cell))
                return index == 0 ? cell + padding : padding + cell
            }.joined(separator: "  ")
        }
        return [line(header)] + rows.map(line)
    }
}
