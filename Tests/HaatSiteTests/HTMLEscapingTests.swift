import Mustache
import Testing
@testable import HaatSite

/// Haat's faster escaper must escape exactly as swift-mustache's own `HTML` type does.
struct HTMLEscapingTests {
    @Test(arguments: ["plain", "", "<script>alert('x')</script>", "Tom & \"Jerry\" > 'Spike'", "हाट <b>ಮೈಸೂರು</b> 🎂&amp;", "&&&<<<>>>\"\"\"'''"])
    func escapesLikeTheLibrary(_ text: String) throws {
        FastHTMLEscaping.register
        let library = try MustacheTemplate(string: "{{x}}").render(["x": text])
        let fast = try MustacheTemplate(string: "{{% CONTENT_TYPE: HAAT_HTML }}{{x}}").render(["x": text])
        #expect(fast == library)
        #expect(FastHTMLEscaping().escapeText(text) == library)
    }
}
