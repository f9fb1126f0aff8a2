import Dispatch
import Foundation

/// Maps an array on every core, keeping order: discovery's per-creator work (tokenising,
/// extracting tags) is independent from creator to creator.
enum ParallelMap {
    static func map<Element: Sendable, Result: Sendable>(_ items: [Element], _ transform: @Sendable (Element) -> Result) -> [Result] {
        guard items.count > 1 else { return items.map(transform) }
        let results = Slots<Result>(count: items.count)
        let chunks = min(items.count, ProcessInfo.processInfo.activeProcessorCount * 4)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            results.store(stride(from: chunk, to: items.count, by: chunks).map { ($0, transform(items[$0])) })
        }
        return results.values
    }

    /// Results as the chunks running at once hand them in.
    private final class Slots<Value>: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [Value?]

        init(count: Int) { slots = Array(repeating: nil, count: count) }

        func store(_ items: [(Int, Value)]) { lock.withLock { for (index, value) in items { slots[index] = value } } }
        var values: [Value] { lock.withLock { slots.map { $0! } } }
    }
}
