import Foundation
import HaatCore
import HaatSite
import HaatStore
import Logging
import HaatContent

/// `POST /admin/rebuild`: the same build as `haat build` (import changed content, then
/// render), in the background inside `haat serve`, one at a time. A request while one
/// runs queues a build; requests while one is queued share it, since it will see every
/// change made before it starts. A failed build leaves the live site as it was (the
/// builder's staging) and records its error lines.
actor SiteRebuilder {
    private let store: any HaatStore
    private let options: SiteBuilder.Options
    private let logger: Logger
    /// A build is running, or its record is being created.
    private var busy = false
    /// The build that runs next; requests share it while its record is being created too.
    private var queued: Task<BuildRecord, any Error>?
    /// Awaited before each build starts: tests hold a build there to see the queue.
    private let beforeBuild: @Sendable () async -> Void

    init(store: any HaatStore, publishing: Publishing, siteFolder: String, logger: Logger,
         beforeBuild: @escaping @Sendable () async -> Void = {}) {
        self.store = store
        self.logger = logger
        self.beforeBuild = beforeBuild
        options = SiteBuilder.Options(content: publishing.content, themeFolder: publishing.themeFolder, output: URL(fileURLWithPath: siteFolder),
                                      store: store, media: publishing.media, cacheFolder: publishing.cacheFolder)
    }

    /// Starts a rebuild, or queues one (or joins the one already queued), and returns it.
    /// What the actor decides is decided before its first `await`: requests arriving
    /// while a record is being written must see that a build is on its way.
    func request(by actor: String) async throws -> BuildRecord {
        if let queued { return try await queued.value }
        let creation = Task { [store] in try await store.createBuild(requestedBy: actor, now: Date()) }
        if busy {
            queued = creation
            return try await creation.value
        }
        busy = true
        do {
            let build = try await creation.value
            start(build)
            return build
        } catch {
            await startNext()
            throw error
        }
    }

    private func start(_ build: BuildRecord) {
        Task { await self.run(build) }
    }

    /// Starts the queued build, if there is one; otherwise the rebuilder is idle. A queued
    /// build whose record could not be written was reported to its requesters as an error.
    private func startNext() async {
        guard let next = queued else {
            busy = false
            return
        }
        queued = nil
        guard let build = try? await next.value else { return await startNext() }
        start(build)
    }

    private func run(_ build: BuildRecord) async {
        let clock = ContinuousClock(), started = clock.now
        func finish(_ status: BuildStatus, pages: Int?, error: String?) async {
            let elapsed = clock.now - started
            let milliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
            let record = BuildRecord(id: build.id, status: status, pagesWritten: pages, durationMS: milliseconds, error: error,
                                     requestedBy: build.requestedBy, createdAt: build.createdAt)
            do { try await store.updateBuild(record) } catch { logger.error("build \(build.id): could not record its end: \(error)") }
        }
        await beforeBuild()
        do {
            try await store.updateBuild(BuildRecord(id: build.id, status: .running, pagesWritten: nil, durationMS: nil, error: nil,
                                                    requestedBy: build.requestedBy, createdAt: build.createdAt))
            let summary = try await SiteBuilder(options: options).build()
            logger.info("build \(build.id) (requested by \(build.requestedBy)): \(summary)")
            await finish(.succeeded, pages: summary.written, error: nil)
        } catch {
            let text = (error as? ContentErrors)?.description ?? String(describing: error)
            logger.warning("build \(build.id) failed; the live site is unchanged: \(text)")
            await finish(.failed, pages: nil, error: text)
        }
        await startNext()
    }
}
