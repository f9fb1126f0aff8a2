import Foundation

/// The security headers of Haat's pages, rendered in one place from the configuration:
/// `haat serve` sends them, `haat build` writes them into the site's `_headers` for a CDN,
/// and docs/deploying.md's nginx block shows the same lines (a test holds it to them).
///
/// The pages run only the theme's own files: no inline script or style, no `eval`,
/// nothing framed, never framed themselves. The exceptions are Checkout's origins, only on
/// the pages that open it (creator pages and `/account/`), and the API's origin and its
/// WebSocket's when site.yml's `api_url` puts the API on another origin.
public struct SecurityHeaders: Sendable, Equatable {
    /// Which policy a page gets.
    public enum Page: Sendable, CaseIterable {
        case standard
        /// A page that may open the payment window.
        case checkout
    }

    /// Where the payment window comes from, by what the browser loads from each origin.
    public struct Checkout: Sendable, Equatable {
        public var scripts: [String]
        public var frames: [String]
        public var connections: [String]
        public var images: [String]

        public init(scripts: [String], frames: [String] = [], connections: [String] = [], images: [String] = []) {
            self.scripts = scripts
            self.frames = frames
            self.connections = connections
            self.images = images
        }

        /// Razorpay's Checkout, as Razorpay's own CSP allowlist has it: checkout.js, which
        /// loads more script from its CDN, opens the payment form from api.razorpay.com in a
        /// frame and reports to its telemetry hosts.
        public static let razorpay = Checkout(
            scripts: ["https://checkout.razorpay.com", "https://cdn.razorpay.com"],
            frames: ["https://api.razorpay.com"],
            connections: ["https://api.razorpay.com", "https://lumberjack.razorpay.com", "https://lumberjack-metrics.razorpay.com"],
            images: ["https://cdn.razorpay.com"])

        /// The Checkout whose script is at `scriptURL`: Razorpay's, or the test payments'
        /// stand-in, whose checkout.js and pay buttons talk to its own origin only. Nil for
        /// what is not an http(s) URL.
        public init?(scriptURL: String) {
            guard let origin = SecurityHeaders.origin(of: scriptURL) else { return nil }
            self = Checkout.razorpay.scripts.contains(origin) ? .razorpay : Checkout(scripts: [origin], connections: [origin])
        }
    }

    /// The API's origin and its WebSocket's when it is on another origin; empty when the
    /// API is a path of the site's own (`'self'` covers `ws:` and `wss:` there).
    public let apiOrigins: [String]
    /// Nil when payments are not set up: no page then loads Checkout.
    public let checkout: Checkout?

    /// `apiURL` as site.yml's `api_url` has it; one that is neither a path nor an http(s)
    /// URL adds no origin (`CatalogParser` refuses it with its line).
    public init(apiURL: String, checkout: Checkout?) {
        apiOrigins = Self.apiOrigins(of: apiURL) ?? []
        self.checkout = checkout
    }

    public static let contentTypeOptions = "nosniff"
    public static let referrerPolicy = "strict-origin-when-cross-origin"
    /// Advice for the TLS proxy in front (docs/deploying.md); `haat serve` speaks plain
    /// HTTP and never sends it: a browser would ignore it there, or keep it wrongly.
    public static let strictTransportSecurity = "max-age=31536000"

    /// Features the site never uses.
    static let deniedFeatures = ["accelerometer", "camera", "display-capture", "gyroscope", "hid", "magnetometer",
                                 "microphone", "midi", "payment", "serial", "usb"]
    /// Features the site's own pages use and no frame may: geolocation, for a listing's
    /// "Near me" (filters.js), asked for only when pressed.
    static let ownPagesOnlyFeatures = ["geolocation"]

    /// The policy of the page at `path` (a URL path): creator pages and `/account/` open Checkout.
    public static func page(forPath path: String) -> Page {
        let first = path.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: true).first
        return first == "creators" || first == "account" ? .checkout : .standard
    }

    public func contentSecurityPolicy(for page: Page) -> String {
        let checkout = page == .checkout ? self.checkout : nil
        var directives: [(String, [String])] = [
            ("default-src", ["'self'"]),
            ("script-src", ["'self'"] + (checkout?.scripts ?? [])),
            ("style-src", ["'self'"]),
            ("img-src", ["'self'", "data:"] + (checkout?.images ?? [])),
            ("connect-src", ["'self'"] + apiOrigins + (checkout?.connections ?? [])),
        ]
        if let frames = checkout?.frames, !frames.isEmpty { directives.append(("frame-src", frames)) }
        directives += [("object-src", ["'none'"]), ("base-uri", ["'self'"]), ("form-action", ["'self'"]), ("frame-ancestors", ["'none'"])]
        return directives.map { name, sources in ([name] + Self.unique(sources)).joined(separator: " ") }.joined(separator: "; ")
    }

    /// Every denied feature as `name=()`; on a Checkout page, `payment` for Checkout's
    /// frames (Razorpay's form may ask the browser's Payment Request API for UPI apps).
    public func permissionsPolicy(for page: Page) -> String {
        let frames = page == .checkout ? checkout?.frames ?? [] : []
        let denied = Self.deniedFeatures.map { feature in
            feature == "payment" && !frames.isEmpty ? "payment=(\(frames.map { "\"\($0)\"" }.joined(separator: " ")))" : "\(feature)=()"
        }
        return (denied + Self.ownPagesOnlyFeatures.map { "\($0)=(self)" }).sorted().joined(separator: ", ")
    }

    /// The headers of a page or a file of the site, in a fixed order.
    public func pageHeaders(for page: Page) -> [(name: String, value: String)] {
        [("Content-Security-Policy", contentSecurityPolicy(for: page)), ("Permissions-Policy", permissionsPolicy(for: page)),
         ("Referrer-Policy", Self.referrerPolicy), ("X-Content-Type-Options", Self.contentTypeOptions)]
    }

    /// The site's `_headers` file (Netlify, Cloudflare Pages and hosts that read it), for
    /// a site whose top level holds `entries` (folder names end in `/`). Hosts differ in
    /// how they merge one header set by several matching rules, so each URL matches exactly
    /// one rule: one per top-level entry, each with all four headers.
    public func headersFile(topLevel entries: [String]) -> String {
        var text = "# Written by haat build: the headers haat serve sends with each page (docs/deploying.md).\n"
        text += "# Add Strict-Transport-Security: \(Self.strictTransportSecurity) once the site is only served over HTTPS.\n"
        let rules = ["/"] + entries.sorted().filter { $0 != Self.headersFileName }.map { $0.hasSuffix("/") ? "/\($0)*" : "/\($0)" }
        for rule in rules {
            text += "\n\(rule)\n"
            for header in pageHeaders(for: Self.page(forPath: rule)) { text += "  \(header.name): \(header.value)\n" }
        }
        return text
    }

    public static let headersFileName = "_headers"

    /// docs/deploying.md's nginx lines for `page`: nginx serves the site and terminates TLS, so HSTS is
    /// among them (`add_header` in a location replaces the server block's, hence all of them).
    public func nginxDirectives(for page: Page) -> [String] {
        // Quoted with what the value does not hold: the CSP has ' and Permissions-Policy ".
        (pageHeaders(for: page) + [("Strict-Transport-Security", Self.strictTransportSecurity)]).map { name, value in
            let quote = value.contains("\"") ? "'" : "\""
            return "add_header \(name) \(quote)\(value)\(quote) always;"
        }
    }

    /// `api_url`'s origins: `[]` for a path of the site (`/api/v1`), the http(s) origin and
    /// its WebSocket's (`ws:`/`wss:`) for an absolute URL, nil for anything else.
    public static func apiOrigins(of apiURL: String) -> [String]? {
        if apiURL.hasPrefix("/") {
            let refused = apiURL.hasPrefix("//") || apiURL.unicodeScalars.contains { $0 == "\\" || $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }
            return refused ? nil : []
        }
        guard let origin = origin(of: apiURL) else { return nil }
        return [origin, (origin.hasPrefix("https:") ? "wss" : "ws") + origin.drop { $0 != ":" }]
    }

    /// `scheme://host[:port]` of an absolute http(s) URL, or nil. Rebuilt from checked
    /// parts, so nothing of the text but a host name and a port reaches a header.
    static func origin(of text: String) -> String? {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme),
              components.user == nil, components.password == nil,
              let host = components.host?.lowercased(), !host.isEmpty,
              host.unicodeScalars.allSatisfy({ CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789.-:[]").contains($0) })
        else { return nil }
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme)://\(bracketed)" + (components.port.map { ":\($0)" } ?? "")
    }

    private static func unique(_ items: [String]) -> [String] {
        var seen: Set<String> = []
        return items.filter { seen.insert($0).inserted }
    }
}
