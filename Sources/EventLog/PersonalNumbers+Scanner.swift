extension PersonalNumbers {
    /// Follows digit runs through a text fed one class of character at a time.
    struct Scanner {
        private(set) var finding: Finding?
        private(set) var edges = Edges()
        private var run = DigitRun()
        private var runStart = 0
        /// A run of exactly 17 digits just ended at an X: an identity number unless a digit follows.
        private var seventeenBeforeX: (run: DigitRun, start: Int)?
        private var lastWasX = false
        private var letters = 0

        mutating func digit(_ digit: UInt8, at offset: Int) {
            guard finding == nil else { return }
            if lastWasX {
                seventeenBeforeX = nil
                if letters == 1 { edges.headEndsInX = false }
                lastWasX = false
            }
            if run.isEmpty { runStart = offset }
            run.append(digit)
        }

        /// Settles the run that just ended (and a 17-digit run awaiting its X); true when it
        /// was a personal number, now in `finding`.
        private mutating func concludedWithFinding() -> Bool {
            if let pending = seventeenBeforeX {
                finding = PersonalNumbers.identity(pending.run, endsInX: true, at: pending.start)
                return true
            }
            if let found = PersonalNumbers.examine(run, at: runStart) {
                finding = found
                return true
            }
            return false
        }

        mutating func letter(isX: Bool) {
            guard finding == nil, !concludedWithFinding() else { return }
            letters += 1
            if letters == 1 {
                edges.head = run
                edges.headEndsInX = isX && !run.isEmpty
            }
            if isX && run.count == 17 { seventeenBeforeX = (run, runStart) }
            lastWasX = isX
            run = DigitRun()
        }

        mutating func finish() {
            guard finding == nil, !concludedWithFinding() else { return }
            if letters == 0 { edges.head = run }
            edges.tail = run
        }
    }
}
