import CSV
import EventLog
import Foundation
import Rehabilitation

/// The three forms of every tabular output (`log`, `audit`, `alerts`, `stats`, `rules diff`):
/// a table for people in their language, CSV for programs (the documented codes as columns,
/// raw values), and CSV for spreadsheets (`--excel`: a byte-order mark, CRLF, Chinese headers,
/// money in 元, rates as percentages, local times). A command says what its cells are; this
/// says how each form writes them, once.
package enum TabularForm: Sendable, Equatable {
    case table(Language)
    case csv
    case excel
}

/// One column: its key (the CSV header, a documented code), its label (table and spreadsheet
/// headers), and whether it holds numbers (right-aligned; never guarded as a formula).
package struct TabularColumn: Sendable {
    package let key: String
    package let label: Label
    package let isNumeric: Bool

    package init(_ key: String, _ label: Label, numeric: Bool = false) {
        self.key = key
        self.label = label
        self.isNumeric = numeric
    }
}

/// What a cell holds; each form writes it its own way.
package enum TabularCell: Sendable {
    /// The same in every form (ids, names, words already in the table's language).
    case text(String)
    /// A code for programs, its label for people: `lost_contact` / 失联.
    case code(String, Label)
    case integer(Int64)
    /// Money: fen in CSV, 元 with two decimals in a spreadsheet, `1,200.00` in a table.
    case fen(Int64)
    /// A fraction (CSV: rounded to 4 decimals, as JSON has it) or a percentage with one decimal.
    case rate(Double?)
    /// A points delta: the number in CSV, signed for people (`+2`, `-5`).
    case delta(Int64)
    /// An instant: UTC RFC 3339 in CSV, the city's wall clock for people.
    case instant(Int64)
    case date(CivilDate)
    case empty

    func rendered(_ form: TabularForm) -> String {
        switch self {
        case .text(let text): return text
        case .code(let code, let label):
            switch form {
            case .csv: return code
            case .excel: return label.zh
            case .table(let language): return label[language]
            }
        case .integer(let number): return form == .csv || form == .excel ? String(number) : Vocabulary.count(number)
        case .fen(let fen):
            switch form {
            case .csv: return String(fen)
            case .excel: return Vocabulary.yuan(fen).replacingOccurrences(of: ",", with: "")
            case .table: return Vocabulary.yuan(fen)
            }
        case .rate(let rate):
            guard let rate, rate.isFinite else { return form == .csv || form == .excel ? "" : "—" }
            if form == .csv {
                var bytes: [UInt8] = []
                OrderedJSON.rate(rate).write(into: &bytes)
                return String(decoding: bytes, as: UTF8.self)
            }
            return Vocabulary.percent(rate)
        case .delta(let points): return form == .csv ? String(points) : Vocabulary.delta(points)
        case .instant(let milliseconds): return form == .csv ? Timestamp.utcString(milliseconds) : CityZone.localString(milliseconds)
        case .date(let date): return date.description
        case .empty: return ""
        }
    }
}

/// Writes rows as they come, in bounded memory: a table aligns its columns by the first
/// `alignedRows` rows (display width, CJK counting double; text left, numbers right) and
/// lets a wider cell after them push its line; CSV goes out through the CSV library in
/// chunks of `chunkRows`.
package struct TabularWriter {
    package let columns: [TabularColumn]
    package let form: TabularForm
    private let emit: ([UInt8]) -> Void
    private var pending: [[String]] = []
    private var widths: [Int]?
    private var started = false

    /// Rows a table holds back to measure its columns: a town's worklist or a participant's
    /// history fits; a whole log streams after them.
    static let alignedRows = 4_096
    /// Rows per CSV chunk.
    static let chunkRows = 1_024

    package init(columns: [TabularColumn], form: TabularForm, emit: @escaping ([UInt8]) -> Void) {
        self.columns = columns
        self.form = form
        self.emit = emit
    }

    package mutating func add(_ cells: [TabularCell]) throws(SpreadsheetCSV.Failure) {
        precondition(cells.count == columns.count, "a row has one cell per column")
        let row = cells.map { $0.rendered(form) }
        pending.append(form == .csv || form == .excel ? row : row.map(DisplayText.escaped))
        switch form {
        case .table: if widths == nil ? pending.count >= Self.alignedRows : true { flushTable() }
        case .csv, .excel: if pending.count >= Self.chunkRows { try flushCSV() }
        }
    }

    /// Writes what is held back (the header at least).
    package mutating func finish() throws(SpreadsheetCSV.Failure) {
        switch form {
        case .table: flushTable()
        case .csv, .excel: try flushCSV()
        }
    }

    private mutating func flushTable() {
        guard case .table(let language) = form else { return }
        if widths == nil {
            let header = columns.map { $0.label[language] }
            var measured = header.map(TextTable.width)
            for row in pending {
                for (index, cell) in row.enumerated() { measured[index] = max(measured[index], TextTable.width(cell)) }
            }
            widths = measured
            emit(Array((line(header) + "\n").utf8))
        }
        var text = ""
        for row in pending { text += line(row) + "\n" }
        pending.removeAll(keepingCapacity: true)
        if !text.isEmpty { emit(Array(text.utf8)) }
    }

    private func line(_ cells: [String]) -> String {
        let widths = widths ?? []
        var text = ""
        for (index, cell) in cells.enumerated() {
            let padding = String(repeating: " ", count: max(0, widths[index] - TextTable.width(cell)))
            let last = index == cells.count - 1
            if index > 0 { text += "  " }
            if columns[index].isNumeric {
                text += padding + cell
            } else {
                text += last ? cell : cell + padding
            }
        }
        return text
    }

    private mutating func flushCSV() throws(SpreadsheetCSV.Failure) {
        var rows = pending
        pending.removeAll(keepingCapacity: true)
        if !started {
            rows.insert(columns.map { form == .excel ? $0.label.zh : $0.key }, at: 0)
            if form == .excel { emit(SpreadsheetCSV.byteOrderMark) }
        }
        let firstData = started ? 0 : 1
        started = true
        guard !rows.isEmpty else { return }
        let numeric = Set(columns.indices.filter { columns[$0].isNumeric })
        emit(try SpreadsheetCSV.rows(rows, numericColumns: numeric, guardingFrom: firstData, crlf: form == .excel))
    }
}
