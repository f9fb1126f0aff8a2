import Dispatch
import Foundation

/// Maps an array on every core, keeping order: discovery's per-creator work (tokenising,
/// extracting tags) is independent from creator to creator.
enum ParallelMap {
    static func map<Element: Sendable, Result: Sendable>(_ items: [Element], _ transform: @Sendable (Element) -> Result) -> [Result] {
        guard items.count > 1 else { return items.map(transform) }
        let results = ChunkResults<Result?>(count: items.count)
        let chunks = min(items.count, ProcessInfo.processInfo.activeProcessorCount * 4)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            results.store(stride(from: chunk, to: items.count, by: chunks).map { ($0, transform(items[$0])) })
        }
        return results.values(default: nil).map { $0! }  // every index was stored
    }
}

/// Results by index, as the chunks running at once hand them in.
final class ChunkResults<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Value?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ items: [(Int, Value)]) { lock.withLock { for (index, value) in items { slots[index] = value } } }

    /// Every slot, `fallback` where none was stored.
    func values(default fallback: Value) -> [Value] { lock.withLock { slots.map { $0 ?? fallback } } }
}
