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

    /// The event's cells; `data` is its JSON in CSV and its words for people.
    package static func cells(_ event: StoredEvent, city: City) -> [TabularCell] {
        var json: [UInt8] = []
        JSONWriter.write(event.data, into: &json)
        let words = Label(Vocabulary.describe(type: event.type, data: event.data, city: city, .zh, includingType: false),
                          Vocabulary.describe(type: event.type, data: event.data, city: city, .en, includingType: false))
        let backdated = isBackdated(event)
        return [
            .text(String(event.seq)), .instant(event.at), .code(event.type, Vocabulary.eventType(named: event.type)),
            .text(event.participant), .text(event.actor), .code(String(decoding: json, as: UTF8.self), words),
            .instant(event.recordedAt), .code(backdated ? "true" : "false", backdated ? Label("补录", "backdated") : Label("", "")),
            .text(event.id),
        ]
    }
}
