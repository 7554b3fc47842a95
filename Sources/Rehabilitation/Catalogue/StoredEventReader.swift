import EventLog
import LMDB

/// The catalogue read from stored records: a rebuild needs each event's packed effect, not
/// its `JSONValue` data, and reads the fields that matter in place. The type is found by its
/// stored name and the fields by the table (`EventType.definition`); a record whose type,
/// choice, town or fields the table does not describe is damage (`CatalogueMismatch`),
/// never "no effect". Each rebuild thread makes its own reader, whose lookup tables are its
/// own copies: threads then share no reference-counted object, whose counts they would fight over.
public struct StoredEventReader: Sendable {
    private enum Packed {
        case text, integer, flag, town
        /// Each choice's name as UTF-8, with its code.
        case choice([(name: [UInt8], code: UInt8)])
    }

    private struct Field {
        let key: [UInt8]
        let packed: Packed
        let defaultCode: UInt8?
    }

    private struct Plan {
        let type: EventType
        let name: [UInt8]
        let fields: [Field]
        /// Appended only by the ledger, only in its system stream.
        let isSystem: Bool
    }

    /// The plans by the length of the type's name (no two types need more than a few compares).
    private let plansByLength: [[Plan]]
    /// The city's town ids as UTF-8, in the city's order.
    private let towns: [[UInt8]]

    /// A reader for the events of `city`, sharing no storage with it or with other readers.
    public init(city: City) {
        towns = city.towns.map { Array($0.id.utf8) }
        var byLength: [[Plan]] = []
        for type in EventType.allCases {
            let definition = type.definition
            let fields = definition.fields.map { field -> Field in
                let packed: Packed = switch field.kind {
                case .text: .text
                case .integer: .integer
                case .flag: .flag
                case .town: .town
                case .choice(let set): .choice(set.choices.map { (Array($0.name.utf8), $0.code) })
                }
                return Field(key: Array(field.name.utf8), packed: packed, defaultCode: field.defaultCode)
            }
            let name = Array(definition.name.utf8)
            while byLength.count <= name.count { byLength.append([]) }
            byLength[name.count].append(Plan(type: type, name: name, fields: fields, isSystem: definition.isSystem))
        }
        plansByLength = byLength
    }

    /// The type of a stored event; throws when the table has no type of that name.
    public func type(of layout: EventLayout, in value: Span<UInt8>) throws(CatalogueMismatch) -> EventType {
        try plan(of: layout, in: value).type
    }

    private func plan(of layout: EventLayout, in value: Span<UInt8>) throws(CatalogueMismatch) -> Plan {
        let range = layout.typeRange
        if range.count < plansByLength.count {
            for plan in plansByLength[range.count] where value.matches(plan.name, at: range.lowerBound) { return plan }
        }
        throw CatalogueMismatch("unknown event type \"\(Self.text(range, value))\"")
    }

    /// The packed effect of a stored event of a participant's stream (or, `inSystemStream`,
    /// of the ledger's system stream). Throws `CatalogueMismatch` when its type, a choice, the
    /// town or the set of fields is not the table's, or a system type is in a participant's
    /// stream or the reverse; `RecordDamage` when the bytes do not decode.
    public func effect(of layout: EventLayout, in value: Span<UInt8>, inSystemStream: Bool = false) throws -> EventEffect {
        let plan = try plan(of: layout, in: value)
        guard plan.isSystem == inSystemStream else {
            throw CatalogueMismatch(inSystemStream ? "the system stream holds a \(plan.type.name) event"
                                                   : "a participant's stream holds a system event (\(plan.type.name))")
        }
        let data = try layout.dataObject(in: value)
        var choice: UInt8 = 0
        var flag = false
        var town: UInt16 = 0
        var amount: Int64 = 0
        // One bit per field of the plan (no type has more than a handful; the table test holds it).
        var seen: UInt32 = 0
        var problem: String?
        try data.forEachMember(in: value) { key, member throws(RecordDamage) in
            guard problem == nil else { return }
            guard let index = plan.fields.firstIndex(where: { $0.key.count == key.count && value.matches($0.key, at: key.lowerBound) }) else {
                problem = "\(plan.type.name) has no data field \"\(Self.text(key, value))\""
                return
            }
            guard seen & (1 << UInt32(index)) == 0 else {
                problem = "data.\(Self.text(key, value)) is stored twice"
                return
            }
            seen |= 1 << UInt32(index)
            let field = plan.fields[index]
            switch field.packed {
            case .text:
                if !member.isString { problem = "data.\(Self.text(key, value)) is not a string" }
            case .integer:
                if let number = try member.integer(in: value) { amount = number } else { problem = "data.\(Self.text(key, value)) is not an integer" }
            case .flag:
                if let bool = member.bool { flag = bool } else { problem = "data.\(Self.text(key, value)) is not a boolean" }
            case .town:
                guard let range = try member.stringRange(in: value),
                      let number = towns.firstIndex(where: { $0.count == range.count && value.matches($0, at: range.lowerBound) }) else {
                    problem = "data.\(Self.text(key, value)) is not a town of the city"
                    return
                }
                town = UInt16(number)
            case .choice(let choices):
                guard let range = try member.stringRange(in: value),
                      let found = choices.first(where: { $0.name.count == range.count && value.matches($0.name, at: range.lowerBound) }) else {
                    problem = "data.\(Self.text(key, value)) holds a choice the catalogue does not know"
                    return
                }
                choice = found.code
            }
        }
        if let problem { throw CatalogueMismatch(problem) }
        for (index, field) in plan.fields.enumerated() where seen & (1 << UInt32(index)) == 0 {
            guard let code = field.defaultCode else {
                throw CatalogueMismatch("\(plan.type.name) lacks its data field \(String(decoding: field.key, as: UTF8.self))")
            }
            choice = code
        }
        return EventEffect(type: plan.type, choice: choice, flag: flag, town: town, amount: amount)
    }

    /// Stored text for a message, escaped (it may be anything).
    private static func text(_ range: Range<Int>, _ value: Span<UInt8>) -> String {
        DisplayText.escaped(value.utf8String(from: range.lowerBound, count: min(range.count, 64)) ?? "(not UTF-8)")
    }
}

/// A stored record that decodes but is not what the catalogue describes: an unknown type or
/// choice, a field missing, extra or of the wrong kind. Damage (never "no effect").
public struct CatalogueMismatch: Error, Sendable {
    public let reason: String
    init(_ reason: String) { self.reason = reason }
}
