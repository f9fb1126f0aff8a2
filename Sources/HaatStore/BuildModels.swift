import Foundation

public enum BuildStatus: String, Sendable {
    case queued, running, succeeded, failed
}

/// A rebuild requested through the admin API.
public struct BuildRecord: Hashable, Sendable {
    public let id: String
    public let status: BuildStatus
    public let pagesWritten: Int?
    public let durationMS: Int?
    public let error: String?
    public let requestedBy: String
    public let createdAt: Date

    public init(id: String, status: BuildStatus, pagesWritten: Int?, durationMS: Int?, error: String?, requestedBy: String, createdAt: Date) {
        self.id = id
        self.status = status
        self.pagesWritten = pagesWritten
        self.durationMS = durationMS
        self.error = error
        self.requestedBy = requestedBy
        self.createdAt = createdAt
    }
}
