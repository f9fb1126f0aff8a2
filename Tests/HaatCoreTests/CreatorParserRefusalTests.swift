import Foundation
import Testing
@testable import HaatCore

/// What fuzzing the parser found accepted and must not be: lists without a limit, a
/// profile's own private contact data in its public text, keys written empty, control
/// characters made by YAML escapes. Each is refused with the line it is on.
struct CreatorParserRefusalTests {
    let base = CreatorParserTests()
    static let valid = CreatorParserTests.valid
    static let path = "content/creators/sugar-bloom/index.md"

    func problems(_ text: String, images: Set<String> = ["cake-1.jpg"], slug: String = "sugar-bloom") -> [String] {
        let result = CreatorParser(catalog: CreatorParserTests.catalog, currentYear: 2026)
            .parse(text: text, slug: Slug(slug)!, path: Self.path, imageNames: images)
        guard case .failure(let errors) = result else { return [] }
        return errors.diagnostics.map { "\($0.line): \($0.message)" }
    }

    func replacing(_ old: String, with new: String) -> String {
        let text = Self.valid.replacingOccurrences(of: old, with: new)
        #expect(text != Self.valid, "the test's replacement did not apply")
        return text
    }

    // MARK: Lists have limits

    /// `key:` followed by one `- entry` line each; the key is on line 20 (after `tags`'
    /// own line is replaced), so entry n is on line 20 + n.
    func listOf(_ key: String, _ entries: [String], replacing line: String = "tags: [Eggless, \"Birthday Cakes\"]") -> String {
        replacing(line, with: "\(key):\n" + entries.map { "  - \($0)" }.joined(separator: "\n"))
    }

    @Test func aListOneOverItsLimitIsRefusedAtTheFirstEntryTooMany() {
        #expect(problems(listOf("tags", (1...31).map { "tag-\($0)" })) == ["51: tags may list at most 30 tags: this is number 31 of 31"])
        #expect(problems(listOf("tags", (1...30).map { "tag-\($0)" })) == [], "30 tags are fine")

        let languages = replacing("languages: [Marathi, English]", with: "languages:\n" + (1...13).map { "  - Language \($0)" }.joined(separator: "\n"))
        #expect(problems(languages) == ["20: languages may list at most 12 languages: this is number 13 of 13"])

        let service = "  - {title: Cake, price_from: 800}"
        let services = replacing("services:\n  - title: Birthday cake\n    price_from: 800\n    description: One kilo.",
                                 with: "services:\n" + Array(repeating: service, count: 21).joined(separator: "\n"))
        #expect(problems(services) == ["34: services may list at most 20 services: this is number 21 of 21"])

        let images = Set((1...31).map { "p\($0).jpg" })
        let portfolio = replacing("portfolio:\n  - image: cake-1.jpg\n    caption: Unicorn cake",
                                  with: "portfolio:\n" + (1...31).map { "  - image: p\($0).jpg" }.joined(separator: "\n"))
        #expect(problems(portfolio, images: images) == ["48: portfolio may list at most 30 images: this is number 31 of 31"])

        let categories = replacing("category: cakes", with: "categories:\n  - cakes\n  - mehendi\n  - cakes\n  - mehendi")
        #expect(problems(categories).contains("7: categories may list at most 3 categories: this is number 4 of 4"))
    }

    @Test func fiftySevenThousandTagsAreOneError() {
        let text = replacing("tags: [Eggless, \"Birthday Cakes\"]", with: "tags: [" + (1...57_000).map { "t\($0)" }.joined(separator: ", ") + "]")
        #expect(problems(text) == ["20: tags may list at most 30 tags: this is number 31 of 57000"])
    }

    @Test func repeatedTagsCountOnce() throws {
        let creator = try base.parse(replacing("tags: [Eggless, \"Birthday Cakes\"]", with: "tags: [eggless, Eggless, EGGLESS, birthday]")).get()
        #expect(creator.tags.map(\.description) == ["eggless", "birthday"])
    }

    // MARK: A profile's own private contact data stays out of its public text

    @Test func theProfilesOwnNumberOrEmailInAnyPublicPlaceIsRefusedOnItsLine() {
        // The phone (+91 50000 12345), written the ways people write it.
        #expect(problems(replacing("We bake **eggless** cakes.", with: "We bake cakes.\n\nCall 50000-12345 or +91 (50000) 12 345.")) == [
            "24: the story contains this profile's private phone number (500…45): remove it; customers get the number only through the contact button",
        ])
        // WhatsApp (098220 12345) in a caption, the account (any case) in the name,
        // the contact email in a service's description, the number in a tag.
        #expect(problems(replacing("caption: Unicorn cake", with: "caption: WhatsApp 98220 12345 for this one")) == [
            "19: portfolio[1].caption contains this profile's private phone number (982…45): remove it; customers get the number only through the contact button",
        ])
        #expect(problems(replacing("name: Sugar Bloom", with: "name: Sugar Bloom (OWNER@example.com)")) == [
            "2: name contains this profile's private email (own…): remove it; contact details are never published",
        ])
        #expect(problems(replacing("description: One kilo.", with: "description: Write to hello@sugar.example")) == [
            "16: services[1].description contains this profile's private email (hel…): remove it; contact details are never published",
        ])
        #expect(problems(replacing("tags: [Eggless, \"Birthday Cakes\"]", with: "tags: [eggless, call-5000012345]")) == [
            "20: tags[2] contains this profile's private phone number (500…45): remove it; customers get the number only through the contact button",
        ])
        #expect(problems(Self.valid, slug: "cakes-5000012345") == [
            "1: the folder name \"cakes-5000012345\" contains this profile's private phone number (500…45): remove it; customers get the number only through the contact button",
        ])
    }

    @Test func otherNumbersAndAddressesAreFine() {
        #expect(problems(replacing("We bake **eggless** cakes.", with: "Since 2019. Order 2 days ahead; 1 kg = ₹800. Shop no. 98765 43210 is our neighbour's, orders@elsewhere.example too.")) == [])
    }

    // MARK: A key written is a key filled

    @Test func optionalKeysWrittenEmptyAreRefused() {
        let empty = "is empty: give it a value or leave the key out"
        #expect(problems(replacing("since: 2019", with: "since: ~")) == ["6: since \(empty)"])
        #expect(problems(replacing("area: Kothrud", with: "area: \"\"")) == ["5: area \(empty)"])
        #expect(problems(replacing("languages: [Marathi, English]", with: "languages: []")) == ["7: languages \(empty)"])
        #expect(problems(replacing("languages: [Marathi, English]", with: "languages: [~]")) == ["7: each entry of languages must be text"])
        #expect(problems(replacing("whatsapp: \"098220 12345\"", with: "whatsapp: \"\"")) == ["11: whatsapp \(empty)"])
        #expect(problems(replacing("description: One kilo.", with: "description: ~")) == ["16: description \(empty)"])
        #expect(problems(replacing("caption: Unicorn cake", with: "caption: \" \"")) == ["19: caption \(empty)"])
        #expect(problems(replacing("tags: [Eggless, \"Birthday Cakes\"]", with: "tags: []")) == ["20: tags \(empty)"])
        #expect(problems(replacing("tags: [Eggless, \"Birthday Cakes\"]", with: "tags: [~]")) == ["20: tag \"~\" must be 2 to 64 letters a-z, digits or '-' (spaces become '-')"])
    }

    // MARK: No control characters, however written

    @Test func controlCharactersFromEscapesAreRefusedLikeRawOnes() {
        #expect(problems(replacing("name: Sugar Bloom", with: "name: \"\\0\"")) == ["2: name contains a control character (U+0000): remove it"])
        #expect(problems(replacing("title: Birthday cake", with: "title: \"Birthday\\x07cake\"")) == ["14: services[1].title contains a control character (U+0007): remove it"])
        #expect(problems(replacing("caption: Unicorn cake", with: "caption: \"Unicorn\\u0085\\u009Bcake\"")) == ["19: portfolio[1].caption contains a control character (U+009B): remove it"])
        // Raw in the front matter, YAML refuses it; raw in the story, the parser does.
        #expect(problems(replacing("name: Sugar Bloom", with: "name: Sugar\u{0}Bloom")).first?.contains("invalid YAML") == true)
        #expect(problems(replacing("We bake **eggless** cakes.", with: "We bake\n\ncakes\u{1B}[31m.")) == ["24: the story contains a control character (U+001B): remove it"])
        #expect(problems(replacing("We bake **eggless** cakes.", with: "Tabs\tand\r\nline ends are fine.")) == [])
    }

    // MARK: Aliases

    /// Ten short lines of YAML aliases of aliases stand for ten billion nodes, and Yams
    /// hashed a key made of them whole: minutes per request. No alias is accepted, and
    /// the document is not composed at all.
    @Test func yamlAliasesAreRefusedBeforeComposing() {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...9 { lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]") }
        lines.append("*a9 : boom")
        let bomb = replacing("tags: [Eggless, \"Birthday Cakes\"]", with: lines.joined(separator: "\n"))
        #expect(problems(bomb) == ["21: YAML aliases (*name) are not accepted: write the value out in full"])
        let reused = replacing("name: Sugar Bloom", with: "name: &n Sugar Bloom").replacingOccurrences(of: "caption: Unicorn cake", with: "caption: *n")
        #expect(problems(reused) == ["19: YAML aliases (*name) are not accepted: write the value out in full"])
        // An asterisk that is not an alias is only text.
        #expect(problems(replacing("caption: Unicorn cake", with: "caption: \"*Unicorn* cake\"")) == [])
        #expect(problems(replacing("caption: Unicorn cake", with: "caption: Unicorn *cake*")) == [])
    }
}
