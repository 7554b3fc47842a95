import CSV
import Foundation

/// CSV for spreadsheets (Excel, WPS): UTF-8 with a byte-order mark (without it both read the
/// bytes as the system's code page and Chinese turns to noise), CRLF line ends, and quoting by
/// the CSV library (yaslab/CSV.swift), never by joining strings.
package enum SpreadsheetCSV {
    /// The UTF-8 byte-order mark.
    package static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The most rows one export holds: a city's worklist or figures are a few thousand rows;
    /// the limit keeps a runaway caller from building an unbounded document in memory.
    package static let maximumRows = 1_000_000

    package enum Failure: Error, CustomStringConvertible {
        case tooManyRows(Int)
        case writer(String)
        package var description: String {
            switch self {
            case .tooManyRows(let count): "\(count) rows is more than an export holds (\(SpreadsheetCSV.maximumRows))"
            case .writer(let reason): "the CSV writer failed: \(reason)"
            }
        }
    }

    /// The document: the header row, then `rows`. A text cell that a spreadsheet would read as
    /// a formula (it starts with = + - @, a tab or a carriage return) is prefixed with an
    /// apostrophe, unless the column is numeric (`numericColumns`), where a minus is a sign.
    package static func document(header: [String], rows: [[String]], numericColumns: Set<Int> = []) throws(Failure) -> [UInt8] {
        guard rows.count <= maximumRows else { throw .tooManyRows(rows.count) }
        let stream = OutputStream.toMemory()
        stream.open()
        defer { stream.close() }
        do {
            let writer = try CSVWriter(stream: stream, newline: .crlf)
            try writer.write(row: header.map { guarded($0) })
            for row in rows {
                try writer.write(row: row.enumerated().map { numericColumns.contains($0.offset) ? $0.element : guarded($0.element) })
            }
            // The library ends the last row without a line end; spreadsheets expect one.
            let lineEnd: [UInt8] = [0x0D, 0x0A]
            guard stream.write(lineEnd, maxLength: 2) == 2 else { throw Failure.writer("the memory stream refused the last line end") }
        } catch {
            throw .writer("\(error)")
        }
        guard let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else {
            throw .writer("the memory stream holds no data")
        }
        return byteOrderMark + Array(data)
    }

    /// Rows written by the CSV library, each ended (CRLF for spreadsheets, LF otherwise): a
    /// chunk of a streamed export. Rows before `guardingFrom` (a header) are written as they
    /// are; the others' text cells are guarded as in `document`.
    package static func rows(_ rows: [[String]], numericColumns: Set<Int>, guardingFrom first: Int, crlf: Bool) throws(Failure) -> [UInt8] {
        let stream = OutputStream.toMemory()
        stream.open()
        defer { stream.close() }
        do {
            let writer = try CSVWriter(stream: stream, newline: crlf ? .crlf : .lf)
            for (index, row) in rows.enumerated() {
                try writer.write(row: index < first ? row : row.enumerated().map { numericColumns.contains($0.offset) ? $0.element : guarded($0.element) })
            }
            let lineEnd: [UInt8] = crlf ? [0x0D, 0x0A] : [0x0A]
            guard stream.write(lineEnd, maxLength: lineEnd.count) == lineEnd.count else { throw Failure.writer("the memory stream refused the last line end") }
        } catch {
            throw .writer("\(error)")
        }
        guard let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else {
            throw .writer("the memory stream holds no data")
        }
        return Array(data)
    }

    private static func guarded(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        return "'" + text
    }
}
