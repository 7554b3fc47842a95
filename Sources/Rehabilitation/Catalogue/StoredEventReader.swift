import EventLog
import LMDB

/// The catalogue read from stored records: a rebuild needs each event's packed effect, not
/// its `JSONValue` data, and reads the fields that matter in place. The type is found by its
/// stored name and the fields by the table (`EventType.definition`); a record whose type,
/// choice, town or fields the table does not describe is damage (`CatalogueMismatch`),
/// never "no effect".
///
/// The table is laid out flat, as arrays of plain values with every name back to back in one
/// byte array: each rebuild thread makes its own reader, and reading it per event retains no
/// object (a struct of strings and arrays copied per event made two cores fight over the same
/// reference counts).
public struct StoredEventReader: Sendable {
    private enum Packed: UInt8, Sendable { case text, integer, flag, town, choice }

    /// Every name (types, field keys, choices, towns), back to back.
    private var names: [UInt8] = []
    // Types ("plans"), in the table's order.
    private var planType: [EventType] = []
    private var planName: [Range<Int>] = []
    private var planIsSystem: [Bool] = []
    private var planFields: [Range<Int>] = []
    // Fields of every type, back to back.
    private var fieldKey: [Range<Int>] = []
    private var fieldPacked: [Packed] = []
    /// The code assumed when an optional choice is absent; -1 for a required field, -2 for an
    /// optional field without a default (a text).
    private var fieldDefault: [Int16] = []
    private var fieldChoices: [Range<Int>] = []
    // Choices of every choice field, back to back.
    private var choiceName: [Range<Int>] = []
    private var choiceCode: [UInt8] = []
    /// The city's town ids, in the city's order.
    private var townName: [Range<Int>] = []

    /// A reader for the events of `city`, sharing no storage with it or with other readers.
    public init(city: City) {
        func add(_ text: String) -> Range<Int> {
            let start = names.count
            names.append(contentsOf: text.utf8)
            return start ..< names.count
        }
        for type in EventType.allCases {
            let definition = type.definition
            let name = add(definition.name)
            let firstField = fieldKey.count
            for field in definition.fields {
                fieldKey.append(add(field.name))
                fieldDefault.append(field.defaultCode.map(Int16.init) ?? (field.isOptional ? -2 : -1))
                let firstChoice = choiceName.count
                switch field.kind {
                case .text: fieldPacked.append(.text)
                case .integer: fieldPacked.append(.integer)
                case .flag: fieldPacked.append(.flag)
                case .town: fieldPacked.append(.town)
                case .choice(let set):
                    fieldPacked.append(.choice)
                    for choice in set.choices {
                        choiceName.append(add(choice.name))
                        choiceCode.append(choice.code)
                    }
                }
                fieldChoices.append(firstChoice ..< choiceName.count)
            }
            planType.append(type)
            planName.append(name)
            planIsSystem.append(definition.isSystem)
            planFields.append(firstField ..< fieldKey.count)
        }
        for town in city.towns { townName.append(add(town.id)) }
    }

    /// The plan of a stored event's type; throws when the table has no type of that name.
    private func plan(of layout: EventLayout, in value: Span<UInt8>) throws(CatalogueMismatch) -> Int {
        let range = layout.typeRange
        // A handful of types: lengths rule out most at once (no nested arrays: no references).
        for plan in planType.indices where planName[plan].count == range.count && value.matches(names, planName[plan], in: range) {
            return plan
        }
        throw CatalogueMismatch("unknown event type \"\(Self.text(range, value))\"")
    }

    /// The packed effect of a stored event of a participant's stream (or, `inSystemStream`,
    /// of the ledger's system stream). Throws `CatalogueMismatch` when its type, a choice, the
    /// town or the set of fields is not the table's, or a system type is in a participant's
    /// stream or the reverse; `RecordDamage` when the bytes do not decode.
    public func effect(of layout: EventLayout, in value: Span<UInt8>, inSystemStream: Bool = false) throws -> EventEffect {
        let plan = try plan(of: layout, in: value)
        let type = planType[plan]
        guard planIsSystem[plan] == inSystemStream else {
            throw CatalogueMismatch(inSystemStream ? "the system stream holds a \(type.name) event"
                                                   : "a participant's stream holds a system event (\(type.name))")
        }
        let fields = planFields[plan]
        let data = try layout.dataObject(in: value)
        var choice: UInt8 = 0
        var flag = false
        var town: UInt16 = 0
        var amount: Int64 = 0
        // One bit per field of the type (the table test holds every type to at most 32).
        var seen: UInt32 = 0
        var problem: String?
        try data.forEachMember(in: value) { key, member throws(RecordDamage) in
            guard problem == nil else { return }
            var found = -1
            for field in fields where value.matches(names, fieldKey[field], in: key) {
                found = field
                break
            }
            guard found >= 0 else {
                problem = "\(type.name) has no data field \"\(Self.text(key, value))\""
                return
            }
            let bit: UInt32 = 1 << UInt32(found - fields.lowerBound)
            guard seen & bit == 0 else {
                problem = "data.\(Self.text(key, value)) is stored twice"
                return
            }
            seen |= bit
            switch fieldPacked[found] {
            case .text:
                if !member.isString { problem = "data.\(Self.text(key, value)) is not a string" }
            case .integer:
                if let number = try member.integer(in: value) { amount = number } else { problem = "data.\(Self.text(key, value)) is not an integer" }
            case .flag:
                if let bool = member.bool { flag = bool } else { problem = "data.\(Self.text(key, value)) is not a boolean" }
            case .town:
                guard let range = try member.stringRange(in: value),
                      let number = townName.firstIndex(where: { value.matches(names, $0, in: range) }) else {
                    problem = "data.\(Self.text(key, value)) is not a town of the city"
                    return
                }
                town = UInt16(number)
            case .choice:
                guard let range = try member.stringRange(in: value),
                      let index = fieldChoices[found].first(where: { value.matches(names, choiceName[$0], in: range) }) else {
                    problem = "data.\(Self.text(key, value)) holds a choice the catalogue does not know"
                    return
                }
                choice = choiceCode[index]
            }
        }
        if let problem { throw CatalogueMismatch(problem) }
        for field in fields where seen & (1 << UInt32(field - fields.lowerBound)) == 0 {
            switch fieldDefault[field] {
            case -2: continue
            case 0...: choice = UInt8(fieldDefault[field])
            default: throw CatalogueMismatch("\(type.name) lacks its data field \(String(decoding: names[fieldKey[field]], as: UTF8.self))")
            }
        }
        return EventEffect(type: type, choice: choice, flag: flag, town: town, amount: amount)
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
