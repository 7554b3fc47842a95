import Foundation
@preconcurrency import Glibc
import LMDB
import Testing

/// The last-resort fault handler ends the process with its status and its one line, never by
/// the signal: also when several threads fault at once, as a parallel scan over a damaged
/// page can (the damage campaign met exactly that: a rebuild dying by SIGBUS).
@Suite("Fault guard")
struct FaultGuardTests {
    @Test("eight threads faulting at once: exit status 70 and the line once, no signal death (five processes)")
    func concurrentFaults() async {
        // The race is timing-dependent: the handler that reset itself lost it in about three
        // child processes of five, so five make a regression all but certain to show.
        for _ in 0 ..< 5 { await oneProcess() }
    }

    private func oneProcess() async {
        let result = await #expect(processExitsWith: .exitCode(70), observing: [\.standardErrorContent]) {
            FaultGuard.install(message: "guard: fault\n", exitStatus: 70)
            let threads = 8
            let ready = DispatchGroup()
            let start = DispatchSemaphore(value: 0)
            for _ in 0 ..< threads {
                ready.enter()
                Thread.detachNewThread {
                    ready.leave()
                    start.wait()
                    _ = pthread_kill(pthread_self(), SIGBUS)
                    // Only reached if the signal were ignored; the guard must have ended the process.
                    while true { sleep(1) }
                }
            }
            ready.wait()
            for _ in 0 ..< threads { start.signal() }
            while true { sleep(1) }
        }
        let text = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(text.components(separatedBy: "guard: fault").count - 1 == 1, "\(text)")
    }
}
