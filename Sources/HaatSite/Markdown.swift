import CCmark
import Foundation

/// Markdown to HTML through cmark (the CommonMark reference implementation) in its safe
/// mode: raw HTML is dropped and `javascript:`, `vbscript:`, `file:` and non-image
/// `data:` links are emptied, so a creator's story can never inject markup or script.
public enum Markdown {
    public static func html(_ markdown: String) -> String {
        let options = CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_SMART
        let rendered: String = markdown.utf8CString.withUnsafeBufferPointer { buffer in
            guard let output = cmark_markdown_to_html(buffer.baseAddress, buffer.count - 1, options) else { return "" }
            defer { free(output) }
            return String(cString: output)
        }
        // Links in user content must not pass on our reputation or our window.
        return rendered.replacingOccurrences(of: "<a href=\"", with: "<a rel=\"nofollow ugc noopener\" href=\"")
    }

    /// Plain text for meta descriptions and search: the rendered story's text without
    /// markup (so omitted raw HTML stays omitted), cut at a word boundary near `limit`.
    public static func excerpt(html: String, limit: Int = 160) -> String {
        var text = ""
        var inTag = false
        for character in html {
            switch character {
            case "<": inTag = true
            case ">" where inTag: inTag = false; text.append(" ")
            default: if !inTag { text.append(character) }
            }
        }
        for (entity, value) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: value)
        }
        var result = ""
        for word in text.split(whereSeparator: { $0.isWhitespace }) {
            if result.count + word.count + 1 > limit { return result + "…" }
            result += result.isEmpty ? String(word) : " " + word
        }
        return result
    }

    /// The number of words, for the completeness score.
    public static func wordCount(_ markdown: String) -> Int {
        markdown.split(whereSeparator: { $0.isWhitespace }).count
    }
}
