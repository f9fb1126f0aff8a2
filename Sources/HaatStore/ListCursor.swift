import Foundation

/// The position after which a list continues: opaque to clients (base64 of time and id).
public struct ListCursor: Sendable {
    public let date: Date
    public let id: String

    public init(date: Date, id: String) {
        self.date = date
        self.id = id
    }

    public init?(encoded: String) {
        guard let data = Data(base64Encoded: encoded), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: "|", maxSplits: 1)
        guard parts.count == 2, let seconds = Double(parts[0]) else { return nil }
        date = Date(timeIntervalSince1970: seconds)
        id = String(parts[1])
    }

    public var encoded: String { Data("\(date.timeIntervalSince1970)|\(id)".utf8).base64EncodedString() }
}
