/// What an accepted event does to a participant's projection, packed by the catalogue's field
/// kinds: the type, the code of its choice field, its flag, its integer (points, amounts) and
/// its town's place in the city's list. Free text (reasons, courses, employers, items) is not
/// part of it: only the log keeps it. A rebuild holds millions of these, so it is 24 bytes of
/// plain values; the validator and the stored-record reader fill it from the same table, so a
/// type has at most one field of each packed kind (a test holds the table to that).
public struct EventEffect: Equatable, Sendable {
    public let type: EventType
    /// The code of the type's choice field (its default when absent); 0 when it has none.
    public let choice: UInt8
    /// The type's flag field; false when it has none.
    public let flag: Bool
    /// The town's place in the city's list of towns (an enrolment); 0 when the type has no town.
    public let town: UInt16
    /// The type's integer field (points, a delta, an amount in fen); 0 when it has none.
    public let amount: Int64

    public init(type: EventType, choice: UInt8 = 0, flag: Bool = false, town: UInt16 = 0, amount: Int64 = 0) {
        self.type = type
        self.choice = choice
        self.flag = flag
        self.town = town
        self.amount = amount
    }

    /// The choice field's value, typed. The validator and the reader only pack codes the
    /// table names, so a code without a case is a broken invariant, not input.
    public func choice<Choice: CatalogueChoice>(_: Choice.Type) -> Choice {
        guard let value = Choice(code: choice) else { preconditionFailure("\(type.name): choice code \(choice) is not a \(Choice.self)") }
        return value
    }
}
