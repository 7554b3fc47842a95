@preconcurrency import Glibc

/// A monotonic clock reading; the wall clock could jump during a long run.
struct Stopwatch {
    private let start: UInt64

    init() { start = Self.now() }

    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    var elapsedNanoseconds: UInt64 { Self.now() - start }
    var elapsedSeconds: Double { Double(elapsedNanoseconds) / 1e9 }
}
