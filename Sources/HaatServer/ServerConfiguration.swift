import Foundation

/// What `haat serve` needs to start: where to listen and what to serve.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The built site, served under `/`.
    public var siteFolder: String

    public init(host: String = "127.0.0.1", port: Int = 8080, siteFolder: String = "site") {
        self.host = host
        self.port = port
        self.siteFolder = siteFolder
    }
}
