import Foundation
import EventLog

/// The city's time zone, Asia/Shanghai. Every calendar question (which day, which month)
/// is answered in this zone, while instants are stored in UTC.
///
/// China has kept UTC+8 without daylight saving since September 1991, so instants from 1992
/// on are converted arithmetically (the hot path of imports and projections); earlier
/// instants ask the system's zone database.
public enum CityZone {
    /// The zone's identifier.
    public static let identifier = "Asia/Shanghai"
    static let fixedOffsetMilliseconds: Int64 = 8 * 3_600_000
    /// 1992-01-01T00:00:00+08:00: from here on the offset is always +08:00.
    static let fixedOffsetSince: Int64 = 694_195_200_000
    private static let zone = TimeZone(identifier: identifier)!

    /// The zone's offset from UTC at the UTC instant `milliseconds`.
    public static func offsetMilliseconds(atUTC milliseconds: Int64) -> Int64 {
        if milliseconds >= fixedOffsetSince { return fixedOffsetMilliseconds }
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        return Int64(zone.secondsFromGMT(for: date)) * 1000
    }

    /// The local calendar date of a UTC instant.
    public static func localDate(ofUTC milliseconds: Int64) -> CivilDate {
        let local = milliseconds + offsetMilliseconds(atUTC: milliseconds)
        return CivilDate(daysSinceEpoch: CivilDate.floorDivide(local, 86_400_000))
    }

    /// The UTC instant of local midnight starting `date`.
    public static func startOfDay(_ date: CivilDate) -> Int64 {
        let localMidnight = date.daysSinceEpoch * 86_400_000
        var guess = localMidnight - fixedOffsetMilliseconds
        if guess < fixedOffsetSince {
            // Iterate once or twice: the offset depends on the instant being sought.
            for _ in 0 ..< 3 { guess = localMidnight - offsetMilliseconds(atUTC: guess) }
        }
        return guess
    }

    /// The last millisecond of local `date`.
    public static func endOfDay(_ date: CivilDate) -> Int64 {
        startOfDay(date.adding(days: 1)) - 1
    }

    /// `2022-03-01 09:30:00`: local wall-clock time in the city's zone, for people.
    public static func localString(_ milliseconds: Int64) -> String {
        let wall = Timestamp.wallClock(milliseconds + offsetMilliseconds(atUTC: milliseconds))
        return String(wall.prefix(19)).replacingOccurrences(of: "T", with: " ")
    }

    /// Parses an event's `at`: an RFC 3339 time with an offset, or a bare date `YYYY-MM-DD`,
    /// which means local midnight in the city's zone (the domain decides; the log knows no zone).
    public static func parseInstant(_ text: String) -> Result<Int64, TimestampError> {
        guard text.utf8.count == 10 else {
            return Timestamp.parse(text).mapError { $0 == .notRFC3339 ? TimestampError($0.reason + " or a date (2022-03-01)") : $0 }
        }
        guard let date = CivilDate(text) else { return .failure(TimestampError("not a valid date YYYY-MM-DD")) }
        // Local midnight of 0001-01-01 (UTC+08:05:43 then) is still year 0000 in UTC.
        let instant = startOfDay(date)
        guard Timestamp.isInRange(instant) else { return .failure(.outOfRange) }
        return .success(instant)
    }
}
