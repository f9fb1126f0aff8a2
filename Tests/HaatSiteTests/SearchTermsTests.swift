import Foundation
import Testing
@testable import HaatSite

/// The build's search terms against the table the browser's search.js is held to as well
/// (Tests/Search/stems.json, checked in chromium by search_flow.py): two implementations of
/// one rule, one table of answers.
struct SearchTermsTests {
    static let table: [String: String] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Search/stems.json")
        return (try? JSONDecoder().decode([String: String].self, from: Data(contentsOf: url))) ?? [:]
    }()

    @Test func theBuildMakesTheTermsOfTheSharedTable() {
        #expect(Self.table.count >= 40, "Tests/Search/stems.json is missing or short")
        for (text, expected) in Self.table.sorted(by: { $0.key < $1.key }) {
            #expect(SearchTerms.terms(text).joined(separator: " ") == expected, "\(text)")
        }
    }

    @Test func formsPeopleTypeMeet() {
        for group in [["photographer", "photographers", "photography"], ["cake", "cakes"], ["framing", "frames", "framed"],
                      ["decoration", "decorations"], ["bakery", "baker", "bakers"]] {
            #expect(Set(group.map(SearchTerms.stem)).count == 1, "\(group)")
        }
        // Words that only look like plurals keep their last letter.
        #expect(["dress", "status", "henna", "eggless"].map(SearchTerms.stem) == ["dress", "status", "henna", "eggless"])
    }
}
