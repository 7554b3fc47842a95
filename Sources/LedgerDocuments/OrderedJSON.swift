import EventLog

/// JSON output whose object keys keep the order the contract documents (JSONWriter sorts
/// keys, which suits stored data but not printed reports).
package indirect enum OrderedJSON {
    case object([(String, OrderedJSON)])
    case array([OrderedJSON])
    case string(String)
    case integer(Int64)
    case number(Double)
    case bool(Bool)
    case null
    /// Stored event data, written canonically.
    case value(JSONValue)
    /// JSON text written elsewhere (one object of `LogJSONL`), copied as it is.
    case written([UInt8])

    package static func optional(_ text: String?) -> OrderedJSON { text.map { .string($0) } ?? .null }
    package static func optional(_ number: Int64?) -> OrderedJSON { number.map { .integer($0) } ?? .null }
    package static func int(_ number: Int) -> OrderedJSON { .integer(Int64(number)) }
    package static func seq(_ number: UInt64) -> OrderedJSON { .integer(Int64(number)) }

    /// A rate rounded to 4 decimals, or null.
    package static func rate(_ value: Double?) -> OrderedJSON {
        guard let value else { return .null }
        return .number((value * 10_000).rounded() / 10_000)
    }

    package var text: String {
        var output: [UInt8] = []
        write(into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    package func write(into output: inout [UInt8]) {
        switch self {
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                JSONWriter.writeString(key, into: &output)
                output.append(UInt8(ascii: ":"))
                value.write(into: &output)
            }
            output.append(UInt8(ascii: "}"))
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                element.write(into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .string(let text): JSONWriter.writeString(text, into: &output)
        case .integer(let number): output.append(contentsOf: String(number).utf8)
        case .number(let number):
            if number == number.rounded(), abs(number) < 1e15 {
                output.append(contentsOf: String(Int64(number)).utf8)
            } else {
                output.append(contentsOf: String(number).utf8)
            }
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .null: output.append(contentsOf: "null".utf8)
        case .value(let value): JSONWriter.write(value, into: &output)
        case .written(let text): output.append(contentsOf: text)
        }
    }
}
