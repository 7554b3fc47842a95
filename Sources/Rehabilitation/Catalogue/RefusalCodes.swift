import EventLog

/// The refusal codes of the ledger (the log's own, `id.conflict` and `version.conflict`, are in
/// `RefusalCode.logEntries`). This list is the single definition: docs/cli.md's table is
/// checked against `RefusalCode.allEntries` by a test.
extension RefusalCode {
    public static let ledgerEntries: [Entry] = [
        Entry("json.syntax", "the line is not one valid JSON object (syntax, invalid UTF-8, a duplicate member)"),
        Entry("line.too_long", "the line is longer than 64 KiB"),
        Entry("envelope.unknown_field", "a top-level field other than id, type, participant, at, actor, data"),
        Entry("envelope.missing", "a required top-level field (type, participant, at, actor) is absent"),
        Entry("envelope.type", "a top-level field has the wrong JSON type"),
        Entry("envelope.invalid", "id, type, participant or actor breaks its character or length rule"),
        Entry("at.invalid", "`at` is not an RFC 3339 time with an offset or a date, or falls outside the years 0001–9999"),
        Entry("data.too_large", "the canonical JSON text of `data` is over 4096 bytes"),
        Entry("type.unknown", "the type is not in the catalogue (or is a system type)"),
        Entry("data.missing", "a required data field is absent"),
        Entry("data.type", "a data field has the wrong JSON type"),
        Entry("data.length", "a text field is empty or longer than 200 code points"),
        Entry("data.out_of_range", "a number is outside its range (or zero where zero is refused)"),
        Entry("data.not_a_choice", "a choice field holds a name the catalogue does not list"),
        Entry("data.unknown_town", "`town` is not a town of the ledger's city"),
        Entry("data.unknown_field", "a data field the type does not list"),
        Entry("privacy.identifier", "a string holds something shaped like a resident identity or mobile number"),
        Entry("at.future", "`at` is more than 24 hours after the ledger's clock"),
        Entry("at.before_enrolment", "`at` is earlier than the participant's latest enrolment"),
        Entry("at.before_measure_end", "an enrolment dated before the participant's last measure end or deregistration"),
        Entry("at.before_placement", "a job end dated before its placement"),
        Entry("participant.not_registered", "the participant is not on the register"),
        Entry("participant.already_under_measure", "an enrolment while the participant is under a measure"),
        Entry("participant.not_under_measure", "a measure end while the participant is not under a measure"),
        Entry("participant.already_employed", "a job placement while the participant is employed"),
        Entry("participant.not_employed", "a job end while the participant is not employed"),
        Entry("points.insufficient", "a redemption of more points than the balance holds"),
        Entry("void.unknown_target", "no event has the id a void names"),
        Entry("void.other_participant", "the voided event belongs to another participant"),
        Entry("void.not_voidable", "the voided event's type cannot be voided"),
        Entry("void.already_voided", "the target is already voided"),
        Entry("void.has_dependents", "an enrolment cannot be voided while a later event of the participant stands (void those first)"),
        Entry("actor.mismatch", "the server: an event's `actor` names another identity than the caller's (the server stamps the caller's)"),
        Entry("rules.invalid", "a rules document that does not parse or breaks the rules' own checks (docs/rules.md)"),
        Entry("access.identity", "an identity name that is not 1–64 characters of A-Z a-z 0-9 . _ @ -"),
        Entry("access.towns", "a town-scoped role without towns, another role with towns, or a town the city does not have"),
    ]

    /// Every code, the log's first.
    public static let allEntries: [Entry] = logEntries + ledgerEntries

    private static func ledger(_ code: String) -> RefusalCode {
        guard let entry = ledgerEntries.first(where: { $0.code.rawValue == code }) else { preconditionFailure("\(code) is not listed") }
        return entry.code
    }

    package static let jsonSyntax = ledger("json.syntax")
    package static let lineTooLong = ledger("line.too_long")
    package static let envelopeUnknownField = ledger("envelope.unknown_field")
    package static let envelopeMissing = ledger("envelope.missing")
    package static let envelopeType = ledger("envelope.type")
    package static let envelopeInvalid = ledger("envelope.invalid")
    package static let atInvalid = ledger("at.invalid")
    package static let dataTooLarge = ledger("data.too_large")
    package static let typeUnknown = ledger("type.unknown")
    package static let dataMissing = ledger("data.missing")
    package static let dataType = ledger("data.type")
    package static let dataLength = ledger("data.length")
    package static let dataOutOfRange = ledger("data.out_of_range")
    package static let dataNotAChoice = ledger("data.not_a_choice")
    package static let dataUnknownTown = ledger("data.unknown_town")
    package static let dataUnknownField = ledger("data.unknown_field")
    package static let privacyIdentifier = ledger("privacy.identifier")
    package static let atFuture = ledger("at.future")
    package static let atBeforeEnrolment = ledger("at.before_enrolment")
    package static let atBeforeMeasureEnd = ledger("at.before_measure_end")
    package static let atBeforePlacement = ledger("at.before_placement")
    package static let notRegistered = ledger("participant.not_registered")
    package static let alreadyUnderMeasure = ledger("participant.already_under_measure")
    package static let notUnderMeasure = ledger("participant.not_under_measure")
    package static let alreadyEmployed = ledger("participant.already_employed")
    package static let notEmployed = ledger("participant.not_employed")
    package static let pointsInsufficient = ledger("points.insufficient")
    package static let voidUnknownTarget = ledger("void.unknown_target")
    package static let voidOtherParticipant = ledger("void.other_participant")
    package static let voidNotVoidable = ledger("void.not_voidable")
    package static let voidAlreadyVoided = ledger("void.already_voided")
    package static let voidHasDependents = ledger("void.has_dependents")
    public static let actorMismatch = ledger("actor.mismatch")
    public static let rulesInvalid = ledger("rules.invalid")
    public static let accessIdentity = ledger("access.identity")
    public static let accessTowns = ledger("access.towns")
}
