import EventLog

/// Checks an event's `type` and `data` against the catalogue table (`EventType.definition`)
/// and packs them into an `EventEffect`. Unknown types, unknown or missing data fields, wrong
/// types and values out of range are refused with the field at fault (`data.town`, …) and
/// their refusal code; fields are checked in the table's order and the first problem is kept.
public struct EventCatalogue: Sendable {
    /// The city whose town ids `enrolled` may name.
    public let city: City
    /// Each type's fields by code − 1 (system types' included), taken from the table once.
    private let fieldsByType: [[FieldDefinition]]

    public init(city: City) {
        self.city = city
        fieldsByType = EventType.allCases.map(\.definition.fields)
    }

    /// The packed effect of an accepted type and data, or why they are not acceptable.
    /// System types (`rules_adopted`) are refused as unknown: only the ledger appends them.
    public func effect(type name: String, data: JSONValue) -> Result<EventEffect, InputError> {
        guard let type = EventType(name: name), !EventType.systemTypes.contains(type) else {
            return .failure(InputError(field: "type", code: .typeUnknown,
                                       reason: "unknown event type \"\(name)\" (accepted: \(EventType.acceptedNames.joined(separator: ", ")))"))
        }
        let members = data.objectMembers ?? [:]
        var choice: UInt8 = 0
        var flag = false
        var town: UInt16 = 0
        var amount: Int64 = 0
        var read = 0
        func refuse(_ field: FieldDefinition, _ code: RefusalCode, _ reason: String) -> Result<EventEffect, InputError> {
            .failure(InputError(field: "data.\(field.name)", code: code, reason: reason))
        }
        let fields = fieldsByType[Int(type.rawValue) - 1]
        for field in fields {
            guard let value = members[field.name] else {
                if let code = field.defaultCode {
                    choice = code
                    continue
                }
                if field.isOptional { continue }
                return refuse(field, .dataMissing, "is required")
            }
            read += 1
            switch field.kind {
            case .text:
                guard let text = value.stringValue else { return refuse(field, .dataType, "must be a string, not \(value.typeName)") }
                guard !text.isEmpty, text.unicodeScalars.count <= FieldKind.maximumTextScalars else {
                    return refuse(field, .dataLength, "must be 1–\(FieldKind.maximumTextScalars) characters")
                }
            case .integer(let range, let nonZero):
                guard let number = value.integerValue else { return refuse(field, .dataType, "must be an integer, not \(value.typeName)") }
                guard range.contains(number) else {
                    return refuse(field, .dataOutOfRange, "must be between \(range.lowerBound) and \(range.upperBound)")
                }
                if nonZero, number == 0 { return refuse(field, .dataOutOfRange, "must not be zero") }
                amount = number
            case .flag:
                guard let value = value.boolValue else { return refuse(field, .dataType, "must be true or false, not \(value.typeName)") }
                flag = value
            case .choice(let set):
                guard let text = value.stringValue, let code = set.code(named: text) else {
                    return refuse(field, .dataNotAChoice, "must be one of \(set.choices.map(\.name).joined(separator: " | "))")
                }
                choice = code
            case .town:
                guard let text = value.stringValue else { return refuse(field, .dataType, "must be a string, not \(value.typeName)") }
                guard !text.isEmpty, text.unicodeScalars.count <= FieldKind.maximumTextScalars else {
                    return refuse(field, .dataLength, "must be 1–\(FieldKind.maximumTextScalars) characters")
                }
                guard let number = city.townNumber(text) else {
                    return refuse(field, .dataUnknownTown, "\"\(DisplayText.escaped(text))\" is not a town of \(DisplayText.escaped(city.name)) (towns: \(city.towns.map(\.id).joined(separator: ", ")))")
                }
                town = UInt16(number)
            }
        }
        if read < members.count {
            for key in members.keys.sorted() where !fields.contains(where: { $0.name == key }) {
                return .failure(InputError(field: "data.\(key)", code: .dataUnknownField, reason: "unknown field for this event type"))
            }
        }
        return .success(EventEffect(type: type, choice: choice, flag: flag, town: town, amount: amount))
    }
}
