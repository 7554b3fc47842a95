/// What `recovery rebuild --check` found: participants whose stored projection differs from
/// the one recomputed from the log.
public struct ProjectionCheck: Sendable {
    public struct Difference: Equatable, Sendable {
        public let participant: String
        /// nil when the projection has no entry for the participant.
        public let storedBalance: Int64?
        /// nil when the log has no events for a participant the projection lists.
        public let rebuiltBalance: Int64?
        /// True when the balances agree but other state (register, measure, job, caps) differs.
        public let stateOnly: Bool
    }

    public let events: Int
    public let differences: [Difference]
    public var consistent: Bool { differences.isEmpty }
}
