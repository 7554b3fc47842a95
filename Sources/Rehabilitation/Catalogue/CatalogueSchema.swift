/// The vocabulary the catalogue table (`EventType.definition`) is written in: what an event
/// type's data fields are, as data, so that the JSON validator, the stored-record reader, the
/// packed effects and docs/events.md are all derived from one table.

/// A fixed set of named values a data field may take. Each choice has its JSON name (also its
/// stored form, since records keep `data` as JSON values) and a fixed code: its raw value,
/// which projections and packed effects store. Codes never change once used.
public protocol CatalogueChoice: RawRepresentable, CaseIterable, Hashable, Sendable where RawValue == UInt8, AllCases == [Self] {
    /// The name in JSON.
    var name: String { get }
    /// A note shown beside the name in docs/events.md (e.g. the Chinese term), if any.
    var note: String? { get }
}

extension CatalogueChoice {
    public var note: String? { nil }

    /// The choice with this code; nil for a code no choice has (damage, where it was stored).
    public init?(code: UInt8) { self.init(rawValue: code) }

    /// The set as the table describes it.
    static var choiceSet: ChoiceSet {
        ChoiceSet(choices: allCases.map { ChoiceSet.Choice(name: $0.name, code: $0.rawValue, note: $0.note) })
    }
}

/// The choices of one field, in declaration order, with their names and codes.
public struct ChoiceSet: Sendable {
    public struct Choice: Sendable {
        public let name: String
        public let code: UInt8
        public let note: String?
    }

    public let choices: [Choice]

    /// The code of the choice named `name`, or nil.
    func code(named name: String) -> UInt8? { choices.first { $0.name == name }?.code }
}

/// What a data field holds.
public enum FieldKind: Sendable {
    /// A string of 1 … `maximumScalars` code points (free text: reasons, courses, employers, ids).
    case text
    /// An integer within `range`; with `nonZero`, 0 is refused too.
    case integer(ClosedRange<Int64>, nonZero: Bool)
    /// `true` or `false`.
    case flag
    /// One of a fixed set of names.
    case choice(ChoiceSet)
    /// The id of one of the city's towns (stored as text; packed as its place in the city's list).
    case town

    /// The longest free text, in code points.
    public static let maximumTextScalars = 200
}

/// One field of an event type's `data`.
public struct FieldDefinition: Sendable {
    /// The key in the `data` object.
    public let name: String
    public let kind: FieldKind
    /// For an optional choice, the code assumed when the field is absent; nil for a required field.
    public let defaultCode: UInt8?
    /// Whether the field may be absent (an optional choice, with its default; an optional text).
    public let isOptional: Bool
    /// A word on what the field means, for docs/events.md (nil: the kind says it all).
    public let meaning: String?

    /// A required field.
    static func required(_ name: String, _ kind: FieldKind, meaning: String? = nil) -> FieldDefinition {
        FieldDefinition(name: name, kind: kind, defaultCode: nil, isOptional: false, meaning: meaning)
    }

    /// A text that may be absent (it then has no effect).
    static func optionalText(_ name: String, meaning: String) -> FieldDefinition {
        FieldDefinition(name: name, kind: .text, defaultCode: nil, isOptional: true, meaning: meaning)
    }

    /// An optional choice that defaults to `defaultChoice`.
    static func optional<Choice: CatalogueChoice>(_ name: String, default defaultChoice: Choice) -> FieldDefinition {
        FieldDefinition(name: name, kind: .choice(Choice.choiceSet), defaultCode: defaultChoice.rawValue, isOptional: true, meaning: nil)
    }

    static func choice<Choice: CatalogueChoice>(_ name: String, _: Choice.Type) -> FieldDefinition {
        FieldDefinition(name: name, kind: .choice(Choice.choiceSet), defaultCode: nil, isOptional: false, meaning: nil)
    }

}

/// The state an event type needs its participant in, where that is a plain condition; the
/// rules that compare the event with the state (balance, dates, jobs) are in
/// `ParticipantState.refusal`.
public enum Precondition: Sendable {
    /// On the register (any type that is not an enrolment, a measure end or a void).
    case registered
    /// Not under a measure (an enrolment).
    case notUnderMeasure
    /// Under a measure (a measure end).
    case underMeasure
    /// None (a void: its target decides; a system event).
    case unconditional
}

/// One row of the catalogue table.
public struct EventDefinition: Sendable {
    /// The `type` in JSON and in stored records.
    public let name: String
    /// The data fields, in the order they are checked.
    public let fields: [FieldDefinition]
    public let precondition: Precondition
    /// Whether a `voided` event may cancel this type's effect.
    public let isVoidable: Bool
    /// Appended only by the ledger itself (never accepted from `append` or `import`).
    public let isSystem: Bool
    /// The "accepted only when" text of docs/events.md.
    public let acceptedWhen: String
}
