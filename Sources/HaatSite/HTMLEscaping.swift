import Mustache

/// The same HTML escaping as swift-mustache's built-in `HTML` content type (`&`, `<`, `>`,
/// `"`, `'`), done on UTF-8 bytes instead of a dictionary lookup per `Character`: escaping
/// is a good share of rendering ten thousand pages. Templates opt in with
/// `{{% CONTENT_TYPE: HAAT_HTML }}` on their first line; without it they get the library's
/// own (identical, slower) escaping.
struct FastHTMLEscaping: MustacheContentType {
    static let name = "HAAT_HTML"

    /// Registers the content type once per process, before any theme is parsed.
    static let register: Void = {
        MustacheContentTypes.register(FastHTMLEscaping(), named: name)
    }()

    func escapeText(_ text: String) -> String {
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            switch byte {
            case 0x26: bytes.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])  // &amp;
            case 0x3C: bytes.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B])  // &lt;
            case 0x3E: bytes.append(contentsOf: [0x26, 0x67, 0x74, 0x3B])  // &gt;
            case 0x22: bytes.append(contentsOf: [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B])  // &quot;
            case 0x27: bytes.append(contentsOf: [0x26, 0x23, 0x33, 0x39, 0x3B])  // &#39;
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// HTML escaping outside templates (the pages Haat writes by hand): the same escaping as
/// the templates'.
enum HTML {
    static func escape(_ text: String) -> String { FastHTMLEscaping().escapeText(text) }
}
