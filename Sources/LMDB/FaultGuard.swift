@preconcurrency import Glibc
import Synchronization

/// The last resort against damaged stores: LMDB trusts its pages, so a damaged page can make
/// it read outside the map (SIGSEGV, SIGBUS) or fail one of its assertions (SIGABRT). With
/// the guard installed, such a signal writes one fixed line to standard error and ends the
/// process with the given status instead of a crash and a backtrace. The handler only calls
/// `write` and `_exit`, which are async-signal-safe; the message is prepared beforehand.
package enum FaultGuard {
    // Set once, before any handler can run; read only by the handler.
    nonisolated(unsafe) private static var message: UnsafeMutablePointer<UInt8>?
    nonisolated(unsafe) private static var messageLength = 0
    nonisolated(unsafe) private static var status: Int32 = 70
    nonisolated(unsafe) private static var alternateStack: UnsafeMutableRawPointer?
    /// Set by the first thread that faults: a parallel scan can fault on several threads at
    /// once, and every one of them must end in the guard's `_exit`, not in the default action
    /// (which is what the signal would get if the handler reset itself after its first run).
    private static let entered = Atomic<Bool>(false)

    /// The signals a fault in LMDB or in reading stored bytes can raise.
    static let signals: [Int32] = [SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGFPE, SIGTRAP]

    /// Installs (or re-installs with a new message and status) the handler for every fault signal.
    package static func install(message text: String, exitStatus: Int32) {
        let bytes = Array(text.utf8)
        // Safety: allocated once per install and never freed (a handler may still point at
        // an older buffer only if a signal arrives during re-install, so old ones are kept).
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        buffer.initialize(from: bytes, count: bytes.count)
        messageLength = 0
        message = buffer
        messageLength = bytes.count
        status = exitStatus
        if alternateStack == nil {
            // A stack overflow raises SIGSEGV on a full stack: the handler needs its own.
            let size = 256 * 1024
            // Safety: a stack for the handler, kept for the process's life.
            let stack = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
            var description = stack_t()
            description.ss_sp = stack
            description.ss_size = size
            description.ss_flags = 0
            if sigaltstack(&description, nil) == 0 { alternateStack = stack }
        }
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { _ in
                // Safety: only async-signal-safe calls (a lock-free atomic exchange, write,
                // pause, _exit) on memory prepared before the signal.
                if FaultGuard.entered.exchange(true, ordering: .acquiringAndReleasing) {
                    // Another thread is already writing the line and ending the process.
                    while true { pause() }
                }
                if let message = FaultGuard.message { _ = write(STDERR_FILENO, message, FaultGuard.messageLength) }
                _exit(FaultGuard.status)
            }
            sigemptyset(&action.sa_mask)
            // Not SA_RESETHAND: a second thread's fault must reach this handler too.
            action.sa_flags = Int32(truncatingIfNeeded: UInt32(SA_ONSTACK))
            sigaction(signal, &action, nil)
        }
    }
}
