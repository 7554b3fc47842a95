import EventLog

/// Aligns columns for terminals, counting CJK characters as two columns wide: numbers right,
/// text left (`TabularWriter` is the streaming form, with columns declared numeric).
package enum TextTable {
    package static func width(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + (($1.value >= 0x1100 && $1.value <= 0x115F) || ($1.value >= 0x2E80 && $1.value <= 0xA4CF)
            || ($1.value >= 0xAC00 && $1.value <= 0xD7A3) || ($1.value >= 0xF900 && $1.value <= 0xFAFF) || ($1.value >= 0xFF00 && $1.value <= 0xFF60) ? 2 : 1) }
    }

    /// The lines of a table; every cell is escaped, so a name cannot break or restyle a line.
    /// A column of numbers (digits, signs, separators, %) is right-aligned, any other left:
    /// the alignment is `TabularWriter`'s, with the numeric columns found from the cells.
    package static func render(header: [String], rows: [[String]]) -> [String] {
        let columns = header.indices.map { index in
            let numeric = rows.allSatisfy { row in
                index >= row.count || row[index].isEmpty || row[index] == "—"
                    || row[index].allSatisfy { $0.isASCII && ($0.isNumber || "+-.,%".contains($0)) }
            } && rows.contains { index < $0.count && $0[index].contains(where: \.isNumber) }
            return TabularColumn(String(index), Label(header[index], header[index]), numeric: numeric)
        }
        var text = ""
        var writer = TabularWriter(columns: columns, form: .table(.en)) { text += String(decoding: $0, as: UTF8.self) }
        // A table form never throws (only CSV can); rows shorter than the header are padded.
        for row in rows { try? writer.add(header.indices.map { .text($0 < row.count ? row[$0] : "") }) }
        try? writer.finish()
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }
}
