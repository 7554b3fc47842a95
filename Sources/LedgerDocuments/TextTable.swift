import EventLog

/// Aligns columns for terminals, counting CJK characters as two columns wide: numbers right,
/// text left (`TabularWriter` is the streaming form, with columns declared numeric).
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
        // A column of numbers (digits, signs, separators, %) is right-aligned, any other left.
        let numeric = header.indices.map { index in
            rows.allSatisfy { row in
                index >= row.count || row[index].isEmpty || row[index] == "—"
                    || row[index].allSatisfy { $0.isASCII && ($0.isNumber || "+-.,%".contains($0)) }
            } && rows.contains { index < $0.count && $0[index].contains(where: \.isNumber) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - width(cell))
                return numeric[index] ? padding + cell : (index == cells.count - 1 ? cell : cell + padding)
            }.joined(separator: "  ")
        }
        return [line(header)] + rows.map(line)
    }
}
