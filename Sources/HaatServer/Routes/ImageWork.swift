import Foundation

/// Image decoding and encoding off Swift's cooperative threads (which serve every
/// request and socket), at most one image per core at a time.
enum ImageWork {
    private static let queue = DispatchQueue(label: "haat.images", attributes: .concurrent)
    private static let slots = DispatchSemaphore(value: max(1, ProcessInfo.processInfo.activeProcessorCount))

    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                slots.wait()
                defer { slots.signal() }
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
