/// Every participant's state recomputed from the log, numbered by participant as the scan
/// met them: what `rebuild`, `rebuild --check`, `rules diff` and the statistics of a cut
/// derive from one pass over the events.
struct RecomputedStates {
    var keys: ParticipantKeys
    var states: [ParticipantState]
    /// The states' stored forms, when asked for (a rebuild encodes on every core).
    var encoded: [[UInt8]]?
    /// The events scanned (the rules stream's included).
    let events: Int

    /// The number of participants.
    var count: Int { states.count }

    /// The participant id of number `index`.
    func participant(_ index: Int) -> String { String(decoding: keys.key(index), as: UTF8.self) }

    /// The states by participant id.
    var byParticipant: [String: ParticipantState] {
        var dictionary = [String: ParticipantState](minimumCapacity: count)
        for index in 0 ..< count { dictionary[participant(index)] = states[index] }
        return dictionary
    }

    /// The balances by participant id.
    var balances: [String: Int64] {
        var dictionary = [String: Int64](minimumCapacity: count)
        for index in 0 ..< count { dictionary[participant(index)] = states[index].balance }
        return dictionary
    }
}
