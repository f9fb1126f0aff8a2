import Foundation

/// Maps an array on every core (`DispatchQueue.concurrentPerform`), keeping order: for
/// CPU-bound, independent work such as parsing thousands of bundles, extracting tags or
/// scoring similar creators. The one parallel map of Haat's.
public enum ConcurrentMap {
    public static func map<Element: Sendable, Result: Sendable>(_ items: [Element], _ transform: @Sendable (Element) -> Result) -> [Result] {
        map(items, scratch: {}) { _, item in transform(item) }
    }

    /// The same, with scratch space each worker makes once and reuses from item to item
    /// (buffers too large to allocate per item).
    public static func map<Element: Sendable, Result: Sendable, Scratch>(_ items: [Element], scratch makeScratch: @Sendable () -> Scratch,
                                                                         _ transform: @Sendable (inout Scratch, Element) -> Result) -> [Result] {
        guard items.count > 1 else {
            var scratch = makeScratch()
            return items.map { transform(&scratch, $0) }
        }
        let results = UnsafeMutableBufferPointer<Result?>.allocate(capacity: items.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        let workers = min(items.count, ProcessInfo.processInfo.activeProcessorCount * 4)
        let buffer = SendableBuffer(pointer: results)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var scratch = makeScratch()
            var index = worker
            while index < items.count {
                buffer.pointer[index] = transform(&scratch, items[index])
                index += workers
            }
        }
        return results.map { $0! }  // every index was written
    }

    /// Each worker writes only its own slots, so sharing the buffer is safe.
    private struct SendableBuffer<T>: @unchecked Sendable {
        let pointer: UnsafeMutableBufferPointer<T>
    }
}
