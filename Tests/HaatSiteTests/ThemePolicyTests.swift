import Foundation
import Testing

/// The pages run under `script-src 'self'; style-src 'self'` (docs/security.md): the
/// default theme's templates hold no inline script, event handler, `javascript:` URL or
/// inline style, and its scripts neither evaluate text as code nor write style attributes,
/// which the policy would refuse.
struct ThemePolicyTests {
    static func files(_ folder: String, ending suffix: String) throws -> [(name: String, text: String)] {
        let root = TestSite.themeFolder.appendingPathComponent(folder)
        let names = try #require(FileManager.default.subpaths(atPath: root.path)).filter { $0.hasSuffix(suffix) }.sorted()
        return try names.map { ($0, try String(contentsOf: root.appendingPathComponent($0), encoding: .utf8)) }
    }

    @Test func templatesHoldNoInlineScriptHandlerOrStyle() throws {
        let templates = try Self.files("templates", ending: ".mustache")
        #expect(templates.count >= 10)
        for (name, text) in templates {
            for tag in text.matches(of: /<script\b[^>]*>/) {
                #expect(tag.0.contains(" src=") || tag.0.contains("type=\"application/ld+json\""), "\(name): inline script \(tag.0)")
            }
            for pattern in [/\son[a-z]+\s*=/, /\sstyle\s*=/, /<style\b/, /javascript:/] {
                #expect(text.firstMatch(of: pattern) == nil, "\(name): \(text.firstMatch(of: pattern).map { String($0.0) } ?? "")")
            }
        }
    }

    @Test func scriptsNeitherEvaluateTextNorWriteStyleAttributes() throws {
        let scripts = try Self.files("assets", ending: ".js")
        #expect(scripts.count >= 4)
        for (name, text) in scripts {
            for pattern in [/\beval\s*\(/, /new\s+Function\s*\(/, /set(?:Timeout|Interval)\s*\(\s*["'`]/, /setAttribute\(\s*["']style["']/,
                            /[{,]\s*["']?style["']?\s*:/, /<style\b/, /\son[a-z]+=\\?["']/, /javascript:/] {
                #expect(text.firstMatch(of: pattern) == nil, "\(name): \(text.firstMatch(of: pattern).map { String($0.0) } ?? "")")
            }
        }
    }
}
