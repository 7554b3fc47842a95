import EventLog
import Rehabilitation

/// `log` and `audit` as rows: what each event was, in words, with when it happened and when
/// it was recorded, and a mark on events recorded more than a day after their `at`.
package enum LogTable {
    /// An event recorded more than this after its `at` is backdated (补录).
    package static let backdatedAfterMilliseconds: Int64 = 86_400_000

    package static let columns: [TabularColumn] = [
        TabularColumn("seq", Label("序号", "seq"), numeric: true),
        TabularColumn("at", Label("时间", "at (Asia/Shanghai)")),
        TabularColumn("type", Label("类型", "type")),
        TabularColumn("participant", Label("人员", "participant")),
        TabularColumn("actor", Label("记录人", "actor")),
        TabularColumn("data", Label("内容", "what")),
        TabularColumn("recorded_at", Label("录入时间", "recorded at")),
        TabularColumn("backdated", Label("补录", "backdated")),
        TabularColumn("id", Label("编号", "id")),
    ]

    package static func isBackdated(_ event: StoredEvent) -> Bool {
        event.recordedAt - event.at > backdatedAfterMilliseconds
    }

    /// The event's cells for `form`; `data` is its JSON in CSV and its words for people (only
    /// the words the form prints are made: a whole log goes through here).
    package static func cells(_ event: StoredEvent, city: City, form: TabularForm) -> [TabularCell] {
        var json: [UInt8] = []
        if form == .csv { JSONWriter.write(event.data, into: &json) }
        func words(_ language: Language) -> String { Vocabulary.describe(type: event.type, data: event.data, city: city, language, includingType: false) }
        let words: Label = switch form {
        case .csv: Label("", "")
        case .excel: Label(words(.zh), "")
        case .table(let language): language == .zh ? Label(words(.zh), "") : Label("", words(.en))
        }
        let backdated = isBackdated(event)
        return [
            .text(String(event.seq)), .instant(event.at), .code(event.type, Vocabulary.eventType(named: event.type)),
            .text(event.participant), .text(event.actor), .code(String(decoding: json, as: UTF8.self), words),
            .instant(event.recordedAt), .code(backdated ? "true" : "false", backdated ? Label("补录", "backdated") : Label("", "")),
            .text(event.id),
        ]
    }
}
