import AsyncHTTPClient
import Foundation
import NIOCore

/// The one HTTP exchange both providers' clients make: a time limit, a bounded answer, and
/// no answer at all reported as the provider being unavailable.
enum SMSHTTP {
    static func execute(_ request: HTTPClientRequest, on client: HTTPClient, timeout: TimeAmount, provider: String) async throws -> (status: Int, body: Data) {
        do {
            let response = try await client.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: 64 * 1024)
            return (Int(response.status.code), Data(body.readableBytesView))
        } catch {
            throw SMSError.unavailable("\(provider) did not answer: \(error)")
        }
    }
}
