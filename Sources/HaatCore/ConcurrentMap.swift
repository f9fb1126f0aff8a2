import Foundation

/// Maps a collection on every core (`DispatchQueue.concurrentPerform`), keeping order.
/// Used for CPU-bound, independent work such as parsing thousands of bundles.
public enum ConcurrentMap {
    public static func map<Element: Sendable, Result: Sendable>(_ items: [Element], _ transform: @Sendable (Element) -> Result) -> [Result] {
        guard items.count > 1 else { return items.map(transform) }
        let results = UnsafeMutableBufferPointer<Result?>.allocate(capacity: items.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        let chunks = min(items.count, ProcessInfo.processInfo.activeProcessorCount * 4)
        let buffer = SendableBuffer(pointer: results)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            var index = chunk
            while index < items.count {
                buffer.pointer[index] = transform(items[index])
                index += chunks
            }
        }
        return results.map { $0! }
    }

    /// Each iteration writes only its own slots, so sharing the buffer is safe.
    private struct SendableBuffer<T>: @unchecked Sendable {
        let pointer: UnsafeMutableBufferPointer<T>
    }
}
