import EventLog
import Testing

@Suite("Timestamp range")
struct TimestampRangeTests {
    @Test("instants outside the years 0001–9999 in UTC are refused, so output stays RFC 3339")
    func range() {
        #expect((try? Timestamp.parse("9999-12-31T23:59:59.999-23:59").get()) == nil)
        #expect((try? Timestamp.parse("0001-01-01T00:00:00+23:59").get()) == nil)
        #expect((try? Timestamp.parse("9999-12-31T23:59:59.999Z").get()) != nil)
    }

    @Test("the log reads RFC 3339 only: what a bare date means is the domain's to decide")
    func bareDatesAreNotTheLogs() {
        #expect((try? Timestamp.parse("2022-03-01").get()) == nil)
        #expect((try? Timestamp.parse("2022-03-01T01:30:00Z").get()) == 1_646_098_200_000)
        #expect(Timestamp.utcString(1_646_098_200_123) == "2022-03-01T01:30:00.123Z")
    }
}
