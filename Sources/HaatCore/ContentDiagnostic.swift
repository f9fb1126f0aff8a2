/// One problem found in the content tree, reported as `path:line: message`
/// so editors and CI logs can jump straight to it.
public struct ContentDiagnostic: Error, Hashable, Sendable, CustomStringConvertible, Comparable {
    public var path: String
    public var line: Int
    public var message: String

    public init(path: String, line: Int, message: String) {
        self.path = path
        self.line = max(1, line)
        self.message = message
    }

    public var description: String { "\(path):\(line): \(message)" }

    public static func < (lhs: ContentDiagnostic, rhs: ContentDiagnostic) -> Bool {
        (lhs.path, lhs.line, lhs.message) < (rhs.path, rhs.line, rhs.message)
    }
}

/// Every problem of a content tree at once: the build reports them all in one run.
public struct ContentErrors: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [ContentDiagnostic]

    public init(_ diagnostics: [ContentDiagnostic]) {
        self.diagnostics = diagnostics.sorted()
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
