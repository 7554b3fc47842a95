import EventLog
import Foundation
import Metrics
import Rehabilitation

/// The server's one writer: a dedicated thread (an LMDB write transaction must begin and end on
/// one thread, never across an `await`) that takes every request waiting, applies them in one
/// transaction (`Ledger.commitGroup`), commits once, durably, and only then answers each —
/// the group commit. Access records ride the same commits. Rare writes (grants, revocations,
/// rules adoptions) run alone, in arrival order with the rest.
final class WriteQueue: @unchecked Sendable {
    private enum Job {
        case request(GroupRequest, CheckedContinuation<GroupOutcome, any Error>)
        case record(AccessRecord, CheckedContinuation<Void, any Error>)
        case task(run: @Sendable (Ledger) -> Void, fail: @Sendable (any Error) -> Void)
    }

    private let ledger: Ledger
    /// Participant states kept decoded between commits (touched by the writer thread only).
    private let carry = StateCarry()
    // `jobs` and `state` are guarded by `condition`'s lock (hence @unchecked Sendable).
    private let condition = NSCondition()
    private var jobs: [Job] = []
    /// Events in `jobs`: bounded, so an overload answers 503 instead of growing memory.
    private var queuedEvents = 0
    private var state = State.running
    private enum State { case running, stopping, stopped }
    private let finished = DispatchSemaphore(value: 0)

    /// Events one commit takes at most: a full batch request (10,000) fits alone, and a commit
    /// stays short enough that the requests after it wait milliseconds, not seconds.
    static let eventsPerCommit = 10_000
    /// Events waiting at most (ten full commits): beyond it a request is refused with 503
    /// and `Retry-After` rather than held in memory.
    static let queuedEventsLimit = 100_000

    private let commitTimer = Timer(label: "recovery_group_commit_seconds")
    private let requestsPerCommit = Recorder(label: "recovery_group_commit_requests")
    private let eventsAppended = Counter(label: "recovery_events_appended_total")
    private let accessRecords = Counter(label: "recovery_access_records_total")

    init(ledger: Ledger) {
        self.ledger = ledger
        let thread = Thread { [self] in run() }
        thread.name = "recovery-writer"
        thread.start()
    }

    /// Appends a request's events atomically; answers after the durable commit.
    func submit(_ request: GroupRequest) async throws -> GroupOutcome {
        try await withCheckedThrowingContinuation { continuation in enqueue(.request(request, continuation)) }
    }

    /// Records a read in the access log; returns after the durable commit that holds it.
    func record(_ record: AccessRecord) async throws {
        try await withCheckedThrowingContinuation { continuation in enqueue(.record(record, continuation)) }
    }

    /// Runs a write of its own (a grant, a revocation, a rules adoption) on the writer thread.
    func perform<T: Sendable>(_ body: @escaping @Sendable (Ledger) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            enqueue(.task(run: { ledger in continuation.resume(with: Result { try body(ledger) }) },
                          fail: { error in continuation.resume(throwing: error) }))
        }
    }

    private func enqueue(_ job: Job) {
        condition.lock()
        guard state == .running else {
            condition.unlock()
            switch job {
            case .request(_, let continuation): continuation.resume(throwing: ServerStopping())
            case .record(_, let continuation): continuation.resume(throwing: ServerStopping())
            case .task(_, let fail): fail(ServerStopping())
            }
            return
        }
        if case .request(let request, let continuation) = job {
            guard queuedEvents + request.events.count <= Self.queuedEventsLimit else {
                condition.unlock()
                continuation.resume(throwing: ServerBusy())
                return
            }
            queuedEvents += request.events.count
        }
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Refuses new work, finishes what is queued, and returns once the thread has ended.
    func stop() {
        condition.lock()
        if state == .running { state = .stopping }
        condition.signal()
        condition.unlock()
        finished.wait()
        finished.signal()
    }

    private func run() {
        // Bounded by the server's life: each turn takes the jobs waiting, or ends when stopped.
        while true {
            condition.lock()
            while jobs.isEmpty && state == .running { condition.wait() }
            if jobs.isEmpty {
                state = .stopped
                condition.unlock()
                break
            }
            let taken = jobs
            jobs.removeAll(keepingCapacity: true)
            queuedEvents = 0
            condition.unlock()
            process(taken)
        }
        finished.signal()
    }

    private func process(_ taken: [Job]) {
        var requests: [(GroupRequest, CheckedContinuation<GroupOutcome, any Error>)] = []
        var records: [(AccessRecord, CheckedContinuation<Void, any Error>)] = []
        for job in taken {
            switch job {
            case .request(let request, let continuation): requests.append((request, continuation))
            case .record(let record, let continuation): records.append((record, continuation))
            case .task(let body, _):
                body(ledger)
                // A grant, revocation or adoption (a rebuild) moved the head: the carried states
                // are dropped by the next commit, which sees a head they do not reflect.
            }
        }
        var start = 0
        repeat {
            var end = start
            var events = 0
            while end < requests.count, end == start || events + requests[end].0.events.count <= Self.eventsPerCommit {
                events += requests[end].0.events.count
                end += 1
            }
            let group = requests[start ..< end]
            // Every access record rides the first commit.
            let riding = start == 0 ? records : []
            commit(group, riding)
            start = end
        } while start < requests.count
    }

    private func commit(_ group: ArraySlice<(GroupRequest, CheckedContinuation<GroupOutcome, any Error>)>,
                        _ records: [(AccessRecord, CheckedContinuation<Void, any Error>)]) {
        guard !group.isEmpty || !records.isEmpty else { return }
        let started = DispatchTime.now().uptimeNanoseconds
        do {
            let outcomes = try ledger.commitGroup(group.map(\.0), accessRecords: records.map(\.0), carrying: carry)
            commitTimer.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - started))
            requestsPerCommit.record(group.count)
            if !records.isEmpty { accessRecords.increment(by: records.count) }
            for ((_, continuation), outcome) in zip(group, outcomes) {
                if case .appended(let results) = outcome {
                    eventsAppended.increment(by: results.filter { if case .appended = $0 { true } else { false } }.count)
                }
                continuation.resume(returning: outcome)
            }
            for (_, continuation) in records { continuation.resume() }
        } catch {
            for (_, continuation) in group { continuation.resume(throwing: error) }
            for (_, continuation) in records { continuation.resume(throwing: error) }
        }
    }
}

/// The server is shutting down and takes no more writes (503).
struct ServerStopping: Error {}

/// More events are waiting for the writer than `WriteQueue.queuedEventsLimit` (503, retry).
struct ServerBusy: Error {}
