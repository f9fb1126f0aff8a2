import Foundation

/// The web origins whose pages may open the lead WebSocket: the site's own (the host the
/// request came to, and site.yml's `base_url`) and those in `HAAT_ALLOWED_ORIGINS`.
///
/// Browsers send no CORS preflight for a WebSocket, so without this check any page the
/// creator visits could open the socket. A browser always sends `Origin` with an http(s)
/// (or `null`) origin, the page's; a request without one, or with a `ws:`/`wss:` one
/// (what WebSocket libraries such as swift-websocket's client send: no page has such an
/// origin), is not a browser's, and could send any `Origin` it liked, so it is let through:
/// the ticket is what guards the socket from those.
public struct AllowedOrigins: Sendable, Equatable {
    /// Normalised `scheme://host[:port]`, the port only when it is not the scheme's default.
    public private(set) var origins: Set<String> = []

    public static let none = AllowedOrigins()

    public init() {}

    public struct Invalid: Error, CustomStringConvertible {
        public let entry: String
        public var description: String { "\"\(entry)\" is not an origin (scheme://host[:port], e.g. https://haat.example)" }
    }

    /// `text` as origins separated by commas, each http(s) with a host and no path.
    public init(parsing text: String) throws {
        for entry in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            guard let origin = Self.normalised(entry, requireBareOrigin: true) else { throw Invalid(entry: entry) }
            origins.insert(origin)
        }
    }

    /// Adds the origin of `url` (site.yml's `base_url`); a URL without one adds nothing.
    public mutating func insert(originOf url: String) {
        if let origin = Self.normalised(url, requireBareOrigin: false) { origins.insert(origin) }
    }

    /// Whether a WebSocket request with these `Origin` and `Host` headers may upgrade.
    public func allows(origin: String?, host: String?) -> Bool {
        guard let origin else { return true }
        let scheme = origin.prefix(while: { $0 != ":" }).lowercased()
        if scheme == "ws" || scheme == "wss" { return true }
        guard let normalised = Self.normalised(origin, requireBareOrigin: true) else { return false }
        if origins.contains(normalised) { return true }
        // The site's own origin: the page was served by the host it now connects to.
        guard let host, !host.isEmpty else { return false }
        return ["http", "https"].contains { Self.normalised("\($0)://\(host)", requireBareOrigin: true) == normalised }
    }

    /// `scheme://host[:port]` in lowercase, without the scheme's default port; nil unless
    /// `text` is an http(s) URL with a host (and, when `requireBareOrigin`, nothing more
    /// than a trailing `/`).
    static func normalised(_ text: String, requireBareOrigin: Bool) -> String? {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host?.lowercased(), !host.isEmpty, url.user == nil, url.password == nil else { return nil }
        if requireBareOrigin {
            guard url.path.isEmpty || url.path == "/", url.query == nil, url.fragment == nil else { return nil }
        }
        let defaultPort = scheme == "https" ? 443 : 80
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        if let port = url.port, port != defaultPort { return "\(scheme)://\(hostPart):\(port)" }
        return "\(scheme)://\(hostPart)"
    }
}
