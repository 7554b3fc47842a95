import EventLog

extension Ledger {
    /// The local years from the earliest enrolment to the latest register change or contact
    /// of any participant (nil for a ledger without participants): the years a figures page
    /// offers, and its trend's span.
    public func eventYears() throws -> ClosedRange<Int>? {
        try log.read { transaction in
            var span = ActivitySpan()
            for part in try foldStoredStates(in: transaction, scope: .alerts, into: ActivitySpan(), { span, _, state in span.add(state.history) }) {
                span.add(part)
            }
            return span.years
        }
    }

    /// The local date of `participant`'s last contact (check-in or test) on or before `day`.
    public func lastContact(of participant: String, onOrBefore day: CivilDate) throws -> CivilDate? {
        guard let state = try state(of: participant) else { return nil }
        let end = CityZone.endOfDay(day)
        // Contacts are kept in append order, which a backdated event breaks: take the latest.
        return state.history.contacts.lazy.filter { $0 <= end }.max().map(CityZone.localDate(ofUTC:))
    }
}

extension Ledger {
    /// The stored event with this id, if any.
    public func event(id: String) throws -> StoredEvent? {
        try log.read { transaction in
            guard let seq = try log.seq(ofId: id, in: transaction) else { return nil }
            return try log.event(at: seq, in: transaction)
        }
    }
}
