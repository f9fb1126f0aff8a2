import Logging
import NIOConcurrencyHelpers
import NIOCore

/// At most `ConnectionLimits.maxConnections` connections open at once, lead sockets
/// included. Over the cap a new connection is closed as soon as it is accepted, without a
/// byte: answering 503 would mean reading its request first, which is the very work (and
/// the slow client's hold) the cap is there to refuse, and browsers and proxies retry a
/// closed connection as they would a 503. Hummingbird's own limit instead stops
/// accepting, which leaves every later client waiting in the kernel's queue for as long
/// as the cap stays full; a refusal says so at once.
final class ConnectionCap: Sendable {
    let maximum: Int
    private let state = NIOLockedValueBox(State())

    private struct State {
        var open = 0
        var lastWarning: NIODeadline?
    }

    init(maximum: Int) {
        self.maximum = maximum
    }

    var open: Int { state.withLockedValue { $0.open } }

    /// Counts `channel` in until it closes, or refuses it (closing it) when the cap is
    /// reached; true when admitted.
    func admit(_ channel: any Channel, logger: Logger) -> Bool {
        let (admitted, warn, open) = state.withLockedValue { state -> (Bool, Bool, Int) in
            guard state.open >= maximum else {
                state.open += 1
                return (true, false, state.open)
            }
            // Once a minute at most: a flood of refusals must not flood the log too.
            let now = NIODeadline.now()
            let warn = state.lastWarning.map { now - $0 > .minutes(1) } ?? true
            if warn { state.lastWarning = now }
            return (false, warn, state.open)
        }
        guard admitted else {
            if warn { logger.warning("\(open) connections open, the most allowed (HAAT_MAX_CONNECTIONS): refusing new ones") }
            channel.close(promise: nil)
            return false
        }
        channel.closeFuture.whenComplete { [self] _ in state.withLockedValue { $0.open -= 1 } }
        return true
    }
}
