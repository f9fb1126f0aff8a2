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
    /// markup (so omitted raw HTML stays omitted), cut at a word boundary near `limit`
    /// characters. Works on UTF-8 bytes: it runs once per creator on every build.
    public static func excerpt(html: String, limit: Int = 160) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(min(html.utf8.count, limit * 8))
        var inTag = false
        var pendingSpace = false
        var characters = 0
        var lastWordEnd = 0
        for byte in html.utf8 {
            if inTag {
                if byte == UInt8(ascii: ">") { inTag = false; pendingSpace = true }
                continue
            }
            switch byte {
            case UInt8(ascii: "<"):
                inTag = true
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                pendingSpace = true
            default:
                if pendingSpace, !text.isEmpty {
                    lastWordEnd = text.count
                    if characters >= limit { return decodeEntities(String(decoding: text[..<lastWordEnd], as: UTF8.self)) + "…" }
                    text.append(UInt8(ascii: " "))
                    characters += 1
                }
                pendingSpace = false
                text.append(byte)
                if byte & 0xC0 != 0x80 { characters += 1 }
            }
        }
        if characters > limit + 20, lastWordEnd > 0 {
            return decodeEntities(String(decoding: text[..<lastWordEnd], as: UTF8.self)) + "…"
        }
        return decodeEntities(String(decoding: text, as: UTF8.self))
    }

    private static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = text
        for (entity, value) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
            result = result.replacingOccurrences(of: entity, with: value)
        }
        return result
    }

    /// The number of words (runs of non-space bytes), for the completeness score.
    public static func wordCount(_ markdown: String) -> Int {
        var count = 0
        var inWord = false
        for byte in markdown.utf8 {
            let isSpace = byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
            if !isSpace, !inWord { count += 1 }
            inWord = !isSpace
        }
        return count
    }
}
