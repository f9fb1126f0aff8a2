/// Splits a Markdown file into its YAML front matter (between `---` lines at the very top)
/// and the Markdown body, remembering on which file line the YAML starts.
public struct FrontMatter: Sendable {
    public let yaml: String
    public let body: String
    /// Lines of the file before the YAML's first line (1 for the opening `---`).
    public let lineOffset: Int
    /// The file line on which the body starts.
    public let bodyLine: Int

    public enum SplitError: Error, Equatable {
        case missingOpening
        case missingClosing
    }

    public static func split(_ text: String) -> Result<FrontMatter, SplitError> {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if let first = lines.first, first.hasPrefix("\u{FEFF}") { lines[0] = first.dropFirst() }
        func isFence(_ line: Substring) -> Bool {
            let trimmed = line.hasSuffix("\r") ? line.dropLast() : line
            return trimmed.trimmingTrailingSpaces() == "---"
        }
        guard let first = lines.first, isFence(first) else { return .failure(.missingOpening) }
        guard let closing = lines.indices.dropFirst().first(where: { isFence(lines[$0]) }) else {
            return .failure(.missingClosing)
        }
        let yaml = lines[1..<closing].joined(separator: "\n")
        let body = lines[(closing + 1)...].joined(separator: "\n")
        return .success(FrontMatter(yaml: yaml, body: body, lineOffset: 1, bodyLine: closing + 2))
    }
}

extension Substring {
    fileprivate func trimmingTrailingSpaces() -> Substring {
        var result = self
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
