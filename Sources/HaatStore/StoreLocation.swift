import Foundation

/// Where the store lives, as given by `--db` or `HAAT_DB`: a SQLite file path
/// (default `data/haat.sqlite`) or a `postgres://` URL; and where its media folder is.
public struct StoreLocation: Sendable, Equatable {
    public static let defaultDatabase = "data/haat.sqlite"

    public let database: String
    public let mediaFolder: String
    /// Where builds and imports remember what they did (`HAAT_CACHE`, else `cache/`
    /// beside the media folder). Safe to delete at any time.
    public let cacheFolder: String

    /// - Parameters:
    ///   - database: `--db`, else `HAAT_DB`, else the default.
    ///   - media: `HAAT_MEDIA`, else `media/` beside the SQLite file.
    public init(database: String?, media: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let resolved = database ?? environment["HAAT_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultDatabase
        let mediaSetting = media ?? environment["HAAT_MEDIA"].flatMap { $0.isEmpty ? nil : $0 }
        self.database = resolved
        if resolved.hasPrefix("postgres://") || resolved.hasPrefix("postgresql://") {
            guard let mediaSetting else {
                throw StoreError.conflict("HAAT_MEDIA is required with a PostgreSQL database: the media folder must be shared storage")
            }
            mediaFolder = mediaSetting
        } else {
            mediaFolder = mediaSetting ?? URL(fileURLWithPath: resolved).deletingLastPathComponent().appendingPathComponent("media").path
        }
        cacheFolder = environment["HAAT_CACHE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? URL(fileURLWithPath: mediaFolder).deletingLastPathComponent().appendingPathComponent("cache").path
    }

    public var isPostgres: Bool { database.hasPrefix("postgres://") || database.hasPrefix("postgresql://") }
}
