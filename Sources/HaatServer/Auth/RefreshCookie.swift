import Foundation
import HTTPTypes
import Hummingbird

/// The refresh token as a browser keeps it: an `HttpOnly; Secure; SameSite=Strict` cookie
/// that only `/auth/refresh` and `/auth/logout` receive, so no page script can read it and
/// one script injection cannot become a lasting account takeover. Every response that
/// issues a session sets it here (`sessionResponse`); logout clears it.
///
/// Browsers accept `Secure` cookies from `http://127.0.0.1` and `http://localhost`, so
/// `make demo` over plain HTTP keeps working.
enum RefreshCookie {
    static let name = "haat_refresh"
    /// The auth routes only: the cookie never travels with any other request.
    static let path = "/api/v1/auth/"

    /// The token a request carries in the cookie, if any.
    static func token(in request: Request) -> String? {
        request.cookies[name].map(\.value).flatMap { $0.isEmpty ? nil : $0 }
    }

    static func setting(_ token: String, lifetime: TimeInterval) -> String {
        cookie(token, maxAge: Int(lifetime))
    }

    /// Makes the browser forget the cookie.
    static let clearing = cookie("", maxAge: 0)

    private static func cookie(_ value: String, maxAge: Int) -> String {
        "\(name)=\(value); Path=\(path); Max-Age=\(maxAge); HttpOnly; Secure; SameSite=Strict"
    }

    /// A request made by a browser: one carrying `Sec-Fetch-Site`, which browsers add to
    /// every request and page scripts can neither set nor remove.
    static func isFromBrowser(_ request: Request) -> Bool {
        request.headers[secFetchSite] != nil
    }

    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!

    /// API.md's `Session` with the cookie. A browser gets the refresh token only in the
    /// cookie (the body leaves it out); any other client gets it in the body as well.
    static func sessionResponse(_ session: SessionBody, for request: Request, lifetime: TimeInterval,
                                status: HTTPResponse.Status = .ok) throws -> Response {
        var body = session
        if isFromBrowser(request) { body.refreshToken = nil }
        var response = try JSONResponse.make(body, status: status)
        if let token = session.refreshToken { response.headers.append(HTTPField(name: .setCookie, value: setting(token, lifetime: lifetime))) }
        return response
    }
}
