import EventLog

/// Decides the alerts of one participant on a day, from their history: the one definition
/// used by `recovery alerts` and by the `overdue` figure of `recovery stats`.
enum AlertRules {
    /// The participant's current enrolment on `day` when they are under a measure then, or nil.
    /// Events dated after the day do not count.
    static func currentMeasure(_ history: ParticipantHistory, through end: Int64) -> ParticipantHistory.RegisterChange? {
        var current: ParticipantHistory.RegisterChange?
        for change in history.register where change.at <= end {
            switch change.change {
            case .enrolled: current = change
            case .transferred: break
            case .measureEnded, .deregistered: current = nil
            }
        }
        return current
    }

    /// The alerts of `participant` on `day`, in the order contact, serious_violation, relapse_report.
    static func alerts(
        participant: String, history: ParticipantHistory, on day: CivilDate, rules: PointsRules
    ) -> [Alert] {
        let end = CityZone.endOfDay(day)
        // The town of the day: the enrolment's, or a later transfer's.
        guard let enrolment = currentMeasure(history, through: end), let town = history.town(through: end) else { return [] }
        var alerts: [Alert] = []
        if let contact = contactAlert(participant: participant, town: town, history: history, enrolment: enrolment, day: day, end: end, rules: rules) {
            alerts.append(contact)
        }
        let refusals = history.refusals.filter { $0 >= enrolment.at && $0 <= end }.sorted()
        if refusals.count >= 3 {
            alerts.append(Alert(participant: participant, town: town, kind: .seriousViolation, level: nil,
                                since: CityZone.localDate(ofUTC: refusals[2]), daysOverdue: nil))
        }
        let windowStart = CityZone.startOfDay(day.adding(days: -29))
        if let latest = history.positives.filter({ $0 >= windowStart && $0 <= end }).max() {
            alerts.append(Alert(participant: participant, town: town, kind: .relapseReport, level: nil,
                                since: CityZone.localDate(ofUTC: latest), daysOverdue: nil))
        }
        return alerts
    }

    static func contactAlert(
        participant: String, town: String, history: ParticipantHistory, enrolment: ParticipantHistory.RegisterChange,
        day: CivilDate, end: Int64, rules: PointsRules
    ) -> Alert? {
        guard let version = rules.version(on: day) else { return nil }
        var lastContact = enrolment.at
        for contact in history.contacts where contact >= enrolment.at && contact <= end && contact > lastContact {
            lastContact = contact
        }
        let since = CityZone.localDate(ofUTC: lastContact)
        let overdue = Int(day.daysSinceEpoch - since.daysSinceEpoch) - Int(version.checkInIntervalDays)
        guard overdue >= 1 else { return nil }
        let level: Alert.Level = overdue <= 6 ? .late : overdue <= 29 ? .suspectedLostContact : .lostContact
        return Alert(participant: participant, town: town, kind: .contact, level: level, since: since, daysOverdue: overdue)
    }
}
