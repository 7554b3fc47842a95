import EventLog
import Rehabilitation
import Testing

@Suite("Timestamps and the city's zone")
struct TimestampTests {
    private func instant(_ text: String) -> Int64? {
        try? CityZone.parseInstant(text).get()
    }

    @Test("offsets, Z and a bare date (midnight in Asia/Shanghai) give UTC milliseconds")
    func parsesForms() {
        #expect(instant("2022-03-01T09:30:00+08:00") == 1_646_098_200_000)
        #expect(instant("2022-03-01T01:30:00Z") == 1_646_098_200_000)
        #expect(instant("2022-03-01T01:30:00z") == 1_646_098_200_000)
        #expect(instant("2022-02-28T20:30:00-05:00") == 1_646_098_200_000)
        #expect(instant("2022-03-01") == 1_646_064_000_000)
        #expect(instant("2022-03-01T01:30:00.123456Z") == 1_646_098_200_123)
        #expect(instant("2022-03-01T01:30:00.5Z") == 1_646_098_200_500)
    }

    @Test("before 1992 the zone database decides (China kept summer time 1986–1991)")
    func historicOffsets() {
        // 1990-07-01 was in summer time (+09:00) in Asia/Shanghai.
        #expect(instant("1990-07-01") == instant("1990-06-30T15:00:00Z"))
        #expect(instant("1990-01-01") == instant("1989-12-31T16:00:00Z"))
    }

    @Test("rejects malformed instants", arguments: [
        "2022-02-30", "2022-13-01", "2022-03-01T09:30:00", "2022-03-01T24:00:00Z", "2022-03-01 09:30:00+08:00",
        "2022-03-01T09:30:00+8:00", "2022-03-01T09:30:00.Z", "22-03-01", "2022-03-01T09:30:60Z", "",
    ])
    func rejects(_ text: String) {
        #expect(instant(text) == nil)
    }

    @Test("formats UTC for machines and local time for people")
    func formats() {
        #expect(Timestamp.utcString(1_646_098_200_123) == "2022-03-01T01:30:00.123Z")
        #expect(CityZone.localString(1_646_098_200_123) == "2022-03-01 09:30:00")
        #expect(CityZone.localDate(ofUTC: 1_646_064_000_000).description == "2022-03-01")
        #expect(CityZone.localDate(ofUTC: 1_646_063_999_999).description == "2022-02-28")
        #expect(Timestamp.utcString(-1) == "1969-12-31T23:59:59.999Z")
    }
}

