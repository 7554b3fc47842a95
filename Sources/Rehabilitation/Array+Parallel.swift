import Dispatch
import Synchronization

extension Array where Element: Sendable {
    /// The elements transformed on every core at once, in order. For the CPU-bound phases of
    /// a rebuild, whose inputs are already split into independent parts.
    func parallelMap<Result: Sendable>(_ transform: @Sendable (Element) -> Result) -> [Result] {
        let results = Mutex<[Int: Result]>([:])
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let result = transform(self[index])
            results.withLock { $0[index] = result }
        }
        return results.withLock { results in indices.map { results[$0]! } }
    }
}
