import EventLog
import Rehabilitation

/// The people-facing table: local time in the city's zone.
package enum LogTable {
    package static let header = pad("SEQ", 8) + pad("AT (Asia/Shanghai)", 21) + pad("TYPE", 22) + pad("PARTICIPANT", 14) + pad("ACTOR", 18) + "ID"

    package static func row(_ event: StoredEvent) -> String {
        pad(String(event.seq), 8) + pad(CityZone.localString(event.at), 21) + pad(event.type, 22)
            + pad(event.participant, 14) + pad(event.actor, 18) + DisplayText.escaped(event.id)
    }

    /// `text` (escaped: a cell never holds a control character) padded to `width` columns.
    package static func pad(_ text: String, _ width: Int) -> String {
        let text = DisplayText.escaped(text)
        return text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
