import Foundation
import HummingbirdWSClient
import Logging
import Testing

/// `haat serve` stopped by its service manager (SIGTERM): the creators' open lead
/// sockets are told "going away" (1001), so their dashboards reconnect at once.
struct ServeShutdownTests {
    @Test func aStoppingServerClosesLeadSocketsWithGoingAway() async throws {
        var files = CommandLineTests.config
        files["content/creators/cake-0/index.md"] = CommandLineTests.creator("Cake 0")
        let folder = try CommandLineTests.workspace(files)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("data/haat.sqlite").path
        let environment = ServeProcess.environment()
        let approved = try CommandLineTests.haat(["approve", "--all", "--db", database], in: folder, environment: environment)
        #expect(approved.status == 0, "\(approved.errors)")
        let server = try await ServeProcess.start("serve", in: folder, database: database, environment: environment)
        do {
            let creator = try await server.api.register("a@example.com", role: "creator")
            let ticket = try await server.api.ticket(creator)
            let url = "ws://127.0.0.1:\(server.port)/api/v1/creator/notifications?ticket=\(ticket)"
            let logger = { var logger = Logger(label: "shutdown-test"); logger.logLevel = .critical; return logger }()
            let opened = AsyncStream<Void>.makeStream()
            async let closed = WebSocketClient.connect(url: url, logger: logger) { inbound, _, _ in
                opened.continuation.yield()
                for try await _ in inbound {}
            }
            var iterator = opened.stream.makeAsyncIterator()
            _ = await iterator.next()
            await server.stop()
            #expect(try await closed?.closeCode == .goingAway)
        } catch {
            await server.stop()
            throw error
        }
    }
}
