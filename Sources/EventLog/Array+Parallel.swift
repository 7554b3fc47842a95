import Dispatch
import Synchronization

extension Array where Element: Sendable {
    /// The elements transformed on every core at once, in order: for work already split into
    /// independent parts (the ranges of a parallel scan, the phases of a rebuild). A
    /// transform that can fail returns a `Result`.
    public func parallelMap<Result: Sendable>(_ transform: @Sendable (Element) -> Result) -> [Result] {
        let results = Mutex<[Int: Result]>([:])
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let result = transform(self[index])
            results.withLock { $0[index] = result }
        }
        return results.withLock { results in indices.map { results[$0]! } }
    }
}
