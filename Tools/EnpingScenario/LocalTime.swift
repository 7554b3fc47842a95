/// The scenario's clock: days and minutes counted from 2016-01-01 00:00 in Asia/Shanghai
/// (UTC+8, no daylight saving since 1991), so dates need no Foundation and no time zone data.
enum LocalTime {
    /// Days from 1970-01-01 to 2016-01-01.
    private static let baseEpochDay = epochDay(2016, 1, 1)

    /// Day number (since 2016-01-01) of a civil date.
    static func day(_ year: Int, _ month: Int, _ day: Int) -> Int {
        epochDay(year, month, day) - baseEpochDay
    }

    /// The last day of the history: 2022-12-31.
    static let lastDay = day(2022, 12, 31)

    /// Year, month and day of a day number.
    static func civil(_ day: Int) -> (year: Int, month: Int, day: Int) {
        var z = day + baseEpochDay + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        z -= era * 146_097
        let yoe = (z - z / 1460 + z / 36524 - z / 146_096) / 365
        let doy = z - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// The year of a day number.
    static func year(_ day: Int) -> Int { civil(day).year }

    /// The same month and day `years` later (29 February becomes 28 February), as the
    /// three-year terms of the regulation are counted.
    static func adding(years: Int, to day: Int) -> Int {
        let c = civil(day)
        let d = (c.month == 2 && c.day == 29) ? 28 : c.day
        return self.day(c.year + years, c.month, d)
    }

    /// A month number (months since January 2016), the key of the monthly check-in cap.
    static func monthIndex(_ day: Int) -> Int {
        let c = civil(day)
        return (c.year - 2016) * 12 + c.month - 1
    }

    /// The minute number of `minuteOfDay` on `day`.
    static func minute(day: Int, minuteOfDay: Int) -> Int { day * 1440 + minuteOfDay }

    /// Appends `YYYY-MM-DDTHH:MM:00+08:00` for a minute number.
    static func write(minute: Int, into out: inout [UInt8]) {
        let day = minute >= 0 ? minute / 1440 : (minute - 1439) / 1440
        let m = minute - day * 1440
        let c = civil(day)
        digits(c.year, 4, &out); out.append(UInt8(ascii: "-"))
        digits(c.month, 2, &out); out.append(UInt8(ascii: "-"))
        digits(c.day, 2, &out); out.append(UInt8(ascii: "T"))
        digits(m / 60, 2, &out); out.append(UInt8(ascii: ":"))
        digits(m % 60, 2, &out)
        out.append(contentsOf: ":00+08:00".utf8)
    }

    private static func digits(_ value: Int, _ width: Int, _ out: inout [UInt8]) {
        var divisor = 1
        for _ in 1 ..< width { divisor *= 10 }
        var v = value
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(v / divisor))
            v %= divisor
            divisor /= 10
        }
    }

    private static func epochDay(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
