/// Reads and writes instants as RFC 3339 times with an offset. Instants are UTC milliseconds
/// since 1970; finer fractions are truncated. What a bare date means (midnight in which
/// zone) is not the log's to decide: the layer above parses dates and asks `isInRange`.
public enum Timestamp {
    /// Parses an RFC 3339 time with an offset, or returns why it is not one.
    public static func parse(_ text: String) -> Result<Int64, TimestampError> {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let year = CivilDate.digits(bytes, 0, 4), let month = CivilDate.digits(bytes, 5, 2),
              let day = CivilDate.digits(bytes, 8, 2), let hour = CivilDate.digits(bytes, 11, 2),
              let minute = CivilDate.digits(bytes, 14, 2), let second = CivilDate.digits(bytes, 17, 2)
        else {
            return .failure(.notRFC3339)
        }
        guard let date = CivilDate(year: year, month: month, day: day) else { return .failure(.init("not a valid calendar date")) }
        guard hour < 24, minute < 60, second < 60 else { return .failure(.init("not a valid time of day")) }
        var index = 19
        var milliseconds = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digitCount = 0
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                if digitCount < 3 { milliseconds = milliseconds * 10 + Int(bytes[index] - UInt8(ascii: "0")) }
                digitCount += 1
                index += 1
            }
            guard digitCount > 0 else { return .failure(.init("a fraction of a second needs digits")) }
            if digitCount < 3 { for _ in digitCount ..< 3 { milliseconds *= 10 } }
        }
        guard index < bytes.count else { return .failure(.init("needs an offset (Z or ±HH:MM)")) }
        var offsetMinutes = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            guard index + 6 == bytes.count, bytes[index + 3] == UInt8(ascii: ":"),
                  let offsetHours = CivilDate.digits(bytes, index + 1, 2),
                  let offsetMinutesPart = CivilDate.digits(bytes, index + 4, 2),
                  offsetHours < 24, offsetMinutesPart < 60
            else { return .failure(.init("offset must be Z or ±HH:MM")) }
            offsetMinutes = sign * (offsetHours * 60 + offsetMinutesPart)
            index += 6
        default:
            return .failure(.init("needs an offset (Z or ±HH:MM)"))
        }
        guard index == bytes.count else { return .failure(.init("unexpected text after the offset")) }
        let localMilliseconds = date.daysSinceEpoch * 86_400_000
            + Int64(hour * 3_600_000 + minute * 60_000 + second * 1000 + milliseconds)
        let instant = localMilliseconds - Int64(offsetMinutes) * 60_000
        guard isInRange(instant) else { return .failure(.outOfRange) }
        return .success(instant)
    }

    /// Whether an instant falls within the years 0001–9999 in UTC (so it prints as RFC 3339).
    public static func isInRange(_ instant: Int64) -> Bool { instant >= earliest && instant <= latest }

    /// 0001-01-01T00:00:00Z: instants are kept to years 0001–9999 in UTC so they always print as RFC 3339.
    static let earliest: Int64 = -62_135_596_800_000
    /// 9999-12-31T23:59:59.999Z.
    static let latest: Int64 = 253_402_300_799_999

    /// `2022-03-01T01:30:00.000Z`: the canonical UTC form used in machine output.
    public static func utcString(_ milliseconds: Int64) -> String {
        wallClock(milliseconds) + "Z"
    }

    /// `2022-03-01T01:30:00.000` for an instant already shifted into some zone's wall time.
    public static func wallClock(_ milliseconds: Int64) -> String {
        let days = CivilDate.floorDivide(milliseconds, 86_400_000)
        let within = Int(milliseconds - days * 86_400_000)
        return CivilDate(daysSinceEpoch: days).description + "T" + clock(within)
    }

    private static func clock(_ millisecondsOfDay: Int) -> String {
        let hours = millisecondsOfDay / 3_600_000
        let minutes = millisecondsOfDay / 60_000 % 60
        let seconds = millisecondsOfDay / 1000 % 60
        let milliseconds = millisecondsOfDay % 1000
        return String(format2: hours) + ":" + String(format2: minutes) + ":" + String(format2: seconds) + "." + String(format3: milliseconds)
    }
}

/// Why a text is not a valid instant.
public struct TimestampError: Error, Equatable, Sendable {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public static let outOfRange = TimestampError("must fall within the years 0001–9999 in UTC")
    /// The text is not shaped like an RFC 3339 time with an offset at all.
    public static let notRFC3339 = TimestampError("must be an RFC 3339 time with an offset (2022-03-01T09:30:00+08:00)")
}
