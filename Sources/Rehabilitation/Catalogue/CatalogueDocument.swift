/// The catalogue table of docs/events.md, written from `EventType.definition`: a test
/// regenerates it and fails on any difference, so the document cannot drift from the code.
extension EventType {
    /// The Markdown table: one row per type, with its code, its data fields and when it is accepted.
    public static var markdownTable: String {
        var lines = ["| type | code | data | accepted only when |", "|---|---|---|---|"]
        for type in allCases {
            let definition = type.definition
            let data = definition.fields.isEmpty ? "—" : definition.fields.map(describe).joined(separator: "; ")
            lines.append("| `\(definition.name)` | \(type.rawValue) | \(data) | \(definition.acceptedWhen) |")
        }
        lines.append("")
        lines.append("Voidable types: " + voidableTypes.map { "`\($0.name)`" }.joined(separator: ", ") + ".")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func describe(_ field: FieldDefinition) -> String {
        var text = "`\(field.name)`"
        switch field.kind {
        case .choice(let set):
            let choices = set.choices.map { choice in
                "`\(choice.name)` (\(choice.code)\(choice.note.map { ", \($0)" } ?? ""))"
            }
            text += ": " + choices.joined(separator: " \\| ")
            if let code = field.defaultCode, let name = set.choices.first(where: { $0.code == code })?.name {
                text += "; optional, default `\(name)`"
            }
        case .integer(let range, let nonZero):
            text += ": " + (nonZero ? "non-zero integer" : "integer") + ", \(number(range.lowerBound)) … \(number(range.upperBound))"
        case .flag:
            text += ": boolean"
        case .text:
            text += ": " + (field.meaning ?? "string") + (field.isOptional ? "; optional" : "")
        case .town:
            text += ": " + (field.meaning ?? "a town id")
        }
        return text
    }

    /// `1,000,000,000`, `−1000`: thousands grouped from five digits on, a true minus sign.
    private static func number(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var grouped = digits
        if digits.count > 4 {
            grouped = ""
            for (index, digit) in digits.enumerated() {
                if index > 0, (digits.count - index) % 3 == 0 { grouped += "," }
                grouped.append(digit)
            }
        }
        return (value < 0 ? "−" : "") + grouped
    }
}
