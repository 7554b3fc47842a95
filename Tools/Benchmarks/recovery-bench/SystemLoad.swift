import Foundation
@preconcurrency import Glibc

/// How busy the machine was with other work while a figure was measured: the CPU time all
/// processes used (from /proc/stat) minus this process's and its children's (getrusage).
/// On a small or shared machine a concurrent build can halve a figure; this makes it visible.
struct SystemLoad {
    private let busy: Double
    private let steal: Double
    private let own: Double
    private let wall: Stopwatch

    init() {
        (busy, steal) = Self.machineSeconds()
        own = Self.ownSeconds()
        wall = Stopwatch()
    }

    /// Other processes' CPU use since `init`, in cores (1.0 = one core kept busy throughout),
    /// and the time the hypervisor took away, likewise in cores.
    func otherLoad() -> (cores: Double, stolen: Double) {
        let (busyNow, stealNow) = Self.machineSeconds()
        let seconds = max(wall.elapsedSeconds, 1e-9)
        let others = (busyNow - busy) - (Self.ownSeconds() - own)
        return (max(others, 0) / seconds, max(stealNow - steal, 0) / seconds)
    }

    /// One line for a figure's notes.
    func note() -> String {
        let (cores, stolen) = otherLoad()
        let warning = cores > 0.15 || stolen > 0.05 ? " — figures from this stretch are less trustworthy" : ""
        return "machine load from other processes meanwhile: \(Report.fixed(cores, 2)) cores, steal \(Report.fixed(stolen, 2)) cores\(warning)"
    }

    /// Busy (non-idle, non-iowait) and stolen CPU seconds of the whole machine.
    private static func machineSeconds() -> (busy: Double, steal: Double) {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let cpuLine = stat.split(separator: "\n").first else { return (0, 0) }
        let fields = cpuLine.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard fields.count >= 8 else { return (0, 0) }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        // user nice system idle iowait irq softirq steal …; steal is excluded from busy.
        let busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6]
        return (busy / ticks, fields[7] / ticks)
    }

    private static func ownSeconds() -> Double {
        var total = 0.0
        for who in [RUSAGE_SELF, RUSAGE_CHILDREN] {
            var usage = rusage()
            getrusage(__rusage_who_t(who.rawValue), &usage)
            total += Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            total += Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        }
        return total
    }
}
