/// Splits a Markdown file into its YAML front matter (between `---` lines at the very top)
/// and the Markdown body, remembering on which file line the YAML starts.
/// Scans UTF-8 bytes: it runs on every creator file of every build.
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
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        // Line i is bytes[lineStarts[i]..<lineEnd(i)], without its "\n".
        var lineStart = 0
        var line = 0
        var yamlStart: Int?
        while lineStart <= bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            if isFence(bytes[lineStart..<lineEnd]) {
                if let start = yamlStart {
                    let yaml = String(decoding: bytes[start..<lineStart], as: UTF8.self)
                    let body = lineEnd < bytes.count ? String(decoding: bytes[(lineEnd + 1)...], as: UTF8.self) : ""
                    return .success(FrontMatter(yaml: yaml, body: body, lineOffset: 1, bodyLine: line + 2))
                }
                yamlStart = lineEnd + 1
            } else if yamlStart == nil {
                return .failure(.missingOpening)
            }
            line += 1
            lineStart = lineEnd + 1
        }
        return .failure(yamlStart == nil ? .missingOpening : .missingClosing)
    }

    /// `---`, optionally followed by spaces, tabs or a carriage return.
    private static func isFence(_ line: ArraySlice<UInt8>) -> Bool {
        guard line.count >= 3, line.prefix(3).allSatisfy({ $0 == UInt8(ascii: "-") }) else { return false }
        return line.dropFirst(3).allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
    }
}
