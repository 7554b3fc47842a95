import EventLog
import Foundation
import Rehabilitation

/// What people type for an event — money in 元, a time on the city's wall clock — turned into
/// what the catalogue takes (integer fen, an instant with its offset). The one conversion that
/// the web forms and `recovery record` share.
package enum EntryValues {
    /// "1200", "1200.5", "1,200.00", "1200.05 元" → fen; nil for anything else (more than two
    /// decimals, signs, letters, more digits than an amount can have).
    package static func fen(yuan text: String) -> Int64? {
        let plain = text.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "元", with: "").trimmingCharacters(in: .whitespaces)
        let parts = plain.split(separator: ".", omittingEmptySubsequences: false)
        // At most 12 digits of 元: the catalogue's amounts stop at 10,000,000 元 anyway.
        guard (1 ... 2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 12, parts[0].allSatisfy(\.isASCII),
              let whole = Int64(parts[0]), whole >= 0 else { return nil }
        var cents: Int64 = 0
        if parts.count == 2 {
            guard (1 ... 2).contains(parts[1].count), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int64(parts[1]) else { return nil }
            cents = parts[1].count == 1 ? value * 10 : value
        }
        return whole * 100 + cents
    }

    /// A wall-clock time in the city's zone, `YYYY-MM-DDTHH:MM[:SS]` (a space may stand for the
    /// `T`), as an RFC 3339 instant with the zone's offset on that day; nil if it is not one.
    package static func instant(local text: String) -> String? {
        let local = text.count > 10 && text[text.index(text.startIndex, offsetBy: 10)] == " "
            ? String(text.prefix(10)) + "T" + String(text.dropFirst(11)) : text
        let seconds = local.count == 16 ? local + ":00" : local
        guard seconds.count == 19, seconds.allSatisfy(\.isASCII), let date = CivilDate(seconds.prefix(10)) else { return nil }
        let offset = CityZone.offsetMilliseconds(atUTC: CityZone.startOfDay(date)) / 60_000
        let sign = offset < 0 ? "-" : "+"
        let hours = abs(offset) / 60, minutes = abs(offset) % 60
        return seconds + sign + (hours < 10 ? "0" : "") + String(hours) + ":" + (minutes < 10 ? "0" : "") + String(minutes)
    }
}
